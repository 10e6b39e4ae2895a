package api_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/server"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// provider is a small OpenID Connect provider that runs in the test
// process on a loopback port: discovery, JWKS, the authorization endpoint
// (the person at the provider is whoever the test says has signed in
// there), and the token endpoint with client authentication, one-time codes
// and PKCE S256. It signs real RS256 ID tokens; duban checks them with
// go-oidc exactly as it would a government identity platform's.
type provider struct {
	srv          *httptest.Server
	key          *rsa.PrivateKey
	clientID     string
	clientSecret string

	mu     sync.Mutex
	person string // the user name the provider vouches for
	codes  map[string]grant
	signer *rsa.PrivateKey // normally key; a test swaps in a stranger's key
}

type grant struct {
	nonce, challenge, redirect, person string
}

func newProvider(t *testing.T) *provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{key: key, signer: key, clientID: "duban", clientSecret: "s3cret-for-duban", codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *provider) discovery(w http.ResponseWriter, r *http.Request) {
	base := p.srv.URL
	_ = json.NewEncoder(w).Encode(map[string]any{
		"issuer": base, "authorization_endpoint": base + "/authorize", "token_endpoint": base + "/token",
		"jwks_uri": base + "/jwks", "response_types_supported": []string{"code"},
		"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func (p *provider) jwks(w http.ResponseWriter, r *http.Request) {
	pub := p.key.PublicKey
	_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "k1",
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// authorize checks the client and redirect, then sends the browser back
// with a one-time code, as a provider does once its user has signed in.
func (p *provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.clientID || q.Get("response_type") != "code" || !strings.Contains(q.Get("scope"), "openid") ||
		q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	code := b64(randomBytes(16))
	p.mu.Lock()
	p.codes[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), person: p.person}
	p.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	v := back.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func (p *provider) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.FormValue("client_id"), r.FormValue("client_secret")
	}
	if id != p.clientID || secret != p.clientSecret {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client"})
		return
	}
	p.mu.Lock()
	g, found := p.codes[r.FormValue("code")]
	delete(p.codes, r.FormValue("code")) // one use only
	signer := p.signer
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.FormValue("code_verifier")))
	if !found || r.FormValue("grant_type") != "authorization_code" || r.FormValue("redirect_uri") != g.redirect || b64(sum[:]) != g.challenge {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
		return
	}
	now := time.Now()
	claims := map[string]any{"iss": p.srv.URL, "sub": "sub-" + g.person, "aud": p.clientID, "iat": now.Unix(),
		"exp": now.Add(5 * time.Minute).Unix(), "nonce": g.nonce, "preferred_username": g.person}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": b64(randomBytes(16)), "token_type": "Bearer",
		"expires_in": 300, "id_token": signJWT(signer, claims)})
}

func signJWT(key *rsa.PrivateKey, claims map[string]any) string {
	head, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "k1"})
	body, _ := json.Marshal(claims)
	input := b64(head) + "." + b64(body)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	return input + "." + b64(sig)
}

// ssoWorld is the fixture with single sign-on through p.
func ssoWorld(t *testing.T, s *store.Store, c *clock, p *provider) *world {
	t.Helper()
	w := newWorld(t, s, c, auth.SessionPolicy{})
	sso, err := auth.NewOIDC(ctx, auth.OIDCConfig{Issuer: p.srv.URL, ClientID: p.clientID, ClientSecret: p.clientSecret,
		RedirectURL: "http://duban.test/api/v1/session/oidc/callback"})
	if err != nil {
		t.Fatal(err)
	}
	w.h = server.Handler(server.Config{Now: c.Now, SSO: sso, Log: slog.New(slog.DiscardHandler)}, s)
	return w
}

// ssoSignIn walks a browser through the flow: duban → provider → duban.
// It returns duban's final answer; tamper may change the callback URL.
func (w *world) ssoSignIn(p *provider, person string, tamper func(u *url.URL)) *httptest.ResponseRecorder {
	w.t.Helper()
	p.mu.Lock()
	p.person = person
	p.mu.Unlock()
	rec := w.do(request{method: "GET", path: "/api/v1/session/oidc"})
	if rec.Code != http.StatusFound {
		w.t.Fatalf("begin: %d %s", rec.Code, rec.Body)
	}
	var flow *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "duban_oidc" {
			flow = c
		}
	}
	if flow == nil || !flow.HttpOnly {
		w.t.Fatalf("begin set no HttpOnly flow cookie: %v", rec.Result().Header["Set-Cookie"])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(rec.Header().Get("Location"))
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || back.Path != "/api/v1/session/oidc/callback" {
		w.t.Fatalf("provider answered %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if tamper != nil {
		tamper(back)
	}
	req := httptest.NewRequest("GET", back.RequestURI(), nil)
	req.AddCookie(flow)
	out := httptest.NewRecorder()
	w.h.ServeHTTP(out, req)
	return out
}

func TestOIDCSignIn(t *testing.T) {
	p := newProvider(t)
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := ssoWorld(t, s, c, p)

		rec := w.ssoSignIn(p, "leader", nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" {
			t.Fatalf("callback: %d %s", rec.Code, rec.Body)
		}
		var sess *session
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == auth.CookieName && ck.Value != "" && ck.HttpOnly {
				sess = &session{token: ck.Value, csrf: auth.CSRFToken(ck.Value)}
			}
		}
		if sess == nil {
			t.Fatalf("no session cookie after SSO: %v", rec.Result().Header["Set-Cookie"])
		}
		me := w.do(request{method: "GET", path: "/api/v1/session", as: sess})
		if me.Code != http.StatusOK || !strings.Contains(me.Body.String(), `"username":"leader"`) {
			t.Fatalf("who am I after SSO: %d %s", me.Code, me.Body)
		}
		if stored, err := s.SessionByTokenHash(ctx, auth.HashToken(sess.token)); err != nil || stored.Method != "oidc" {
			t.Errorf("stored SSO session %+v, %v; want method oidc", stored, err)
		}

		before := w.counts()
		for _, tc := range []struct {
			name   string
			person string
			tamper func(u *url.URL)
			setup  func()
			status int
			says   string
		}{
			{"identity without an account", "stranger", nil, nil, http.StatusForbidden, "no enabled duban account"},
			{"disabled account", "gone", nil, func() { w.accounts.SetDisabled(ctx, admin, "gone", true) }, http.StatusForbidden, "no enabled duban account"},
			{"answer for another browser", "office", func(u *url.URL) { q := u.Query(); q.Set("state", "forged"); u.RawQuery = q.Encode() }, nil, http.StatusUnauthorized, "state differs"},
			{"made-up code", "office", func(u *url.URL) { q := u.Query(); q.Set("code", "forged"); u.RawQuery = q.Encode() }, nil, http.StatusUnauthorized, "refused the code"},
			{"provider refusal", "office", func(u *url.URL) { u.RawQuery = "error=access_denied" }, nil, http.StatusUnauthorized, "access_denied"},
			{"token signed by another key", "office", nil, func() {
				k, _ := rsa.GenerateKey(rand.Reader, 2048)
				p.mu.Lock()
				p.signer = k
				p.mu.Unlock()
			}, http.StatusUnauthorized, "does not verify"},
		} {
			if tc.setup != nil {
				tc.setup()
			}
			rec := w.ssoSignIn(p, tc.person, tc.tamper)
			if msg, _, _ := errorOf(t, rec); rec.Code != tc.status || !strings.Contains(msg, tc.says) {
				t.Errorf("%s: %d %q; want %d saying %q", tc.name, rec.Code, msg, tc.status, tc.says)
			}
			for _, ck := range rec.Result().Cookies() {
				if ck.Name == auth.CookieName && ck.Value != "" {
					t.Errorf("%s: a session cookie was set", tc.name)
				}
			}
		}
		p.mu.Lock()
		p.signer = p.key
		p.mu.Unlock()
		if after := w.counts(); after.sessions != before.sessions {
			t.Errorf("refused SSO sign-ins opened sessions: %+v → %+v", before, after)
		}

		// Without its flow cookie the callback does nothing.
		req := httptest.NewRequest("GET", "/api/v1/session/oidc/callback?code=x&state=y", nil)
		out := httptest.NewRecorder()
		w.h.ServeHTTP(out, req)
		if msg, _, _ := errorOf(t, out); out.Code != http.StatusBadRequest || !strings.Contains(msg, "no single sign-on in progress") {
			t.Errorf("callback without flow: %d %q", out.Code, msg)
		}
	})
}

// TestOIDCNotConfigured: without a provider both routes say so.
func TestOIDCNotConfigured(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		for _, path := range []string{"/api/v1/session/oidc", "/api/v1/session/oidc/callback?code=x&state=y"} {
			rec := w.do(request{method: "GET", path: path})
			if msg, _, _ := errorOf(t, rec); rec.Code != http.StatusNotFound || !strings.Contains(msg, "not configured") {
				t.Errorf("%s: %d %q", path, rec.Code, msg)
			}
		}
	})
}
