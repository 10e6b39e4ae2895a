package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/duban-org/duban/internal/auth"
)

// securityHeaders sets the headers every answer carries: no inline script,
// no framing, no type sniffing, no referrer leaks.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests writes one structured line per request.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Int("bytes", rec.bytes),
			slog.Duration("took", time.Since(start)), slog.String("remote", r.RemoteAddr))
	})
}

// recoverPanics turns a handler panic into a 500 with a fixed body; the
// stack goes to the log, never to the client.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic in handler", "method", r.Method, "path", r.URL.Path, "panic", v)
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"error":"internal error; the server log has the details","code":"internal"}` + "\n"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Request body limits. JSON bodies are small; multipart uploads (plan
// documents, report attachments) get a larger ceiling here and their
// handlers enforce their own, smaller limits inside it.
const (
	maxBody       = 1 << 20
	maxUploadBody = 64 << 20
)

// limitBodies caps every request body, so no handler can be made to read
// without end: 413 at once when the declared length is too long, and an
// error from the reader when an undeclared one runs past the limit.
func limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		limit := int64(maxBody)
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
			limit = maxUploadBody
		}
		if r.ContentLength > limit {
			writeProblem(w, http.StatusRequestEntityTooLarge, "too_large",
				fmt.Sprintf("the request body is larger than this server accepts (%d bytes)", limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing requests that a browser marks as coming
// from another site (Sec-Fetch-Site, or an Origin that is not this host):
// the first line against cross-site request forgery, before any cookie is
// looked at. Requests without those headers (command-line clients) pass; for
// them the per-session token below is what counts.
func crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusForbidden, "forbidden", "cross-origin request refused: state-changing requests must come from duban's own pages")
	}))
	return cop.Handler(next)
}

// sessions finds the principal of a request from its session cookie and
// puts it, and the session, in the context. A cookie that names no live
// session is cleared and the request goes on as the public, with the reason
// kept so that a 401 can say "your session expired" rather than just
// "sign in".
func sessions(accounts *auth.Accounts, log *slog.Logger, secure bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(auth.CookieName)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		p, s, err := accounts.Resolve(r.Context(), c.Value)
		switch {
		case err == nil:
			ctx := auth.WithPrincipal(r.Context(), p)
			ctx = auth.WithCurrent(ctx, auth.Current{Session: s, Token: c.Value})
			r = r.WithContext(ctx)
		case errors.Is(err, auth.ErrNoSession), errors.Is(err, auth.ErrSessionExpired), errors.Is(err, auth.ErrSessionEnded):
			http.SetCookie(w, &http.Cookie{Name: auth.CookieName, Path: "/", MaxAge: -1, HttpOnly: true,
				SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || secure})
			r = r.WithContext(auth.WithSessionProblem(r.Context(), err))
		default:
			log.ErrorContext(r.Context(), "session lookup failed", "err", err)
			writeProblem(w, http.StatusServiceUnavailable, "internal", "the session store is not available; try again shortly")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// signInMethod and signInPath name the route exempt from the CSRF token: it is how a client gets one.
// Cross-site sign-in is still refused by crossOrigin.
const signInMethod, signInPath = http.MethodPost, "/api/v1/session"

// csrfTokens requires the session's CSRF token in the X-CSRF-Token header
// on every state-changing request that carries a session cookie. A cookie
// rides along with any request the browser makes; the token only with
// requests written by duban's own pages, which read it from the sign-in
// answer.
func csrfTokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			next.ServeHTTP(w, r)
			return
		}
		cur, ok := auth.CurrentFrom(r.Context())
		if !ok || (r.Method == signInMethod && r.URL.Path == signInPath) {
			next.ServeHTTP(w, r)
			return
		}
		got := r.Header.Get(auth.CSRFHeader)
		if got == "" {
			writeProblem(w, http.StatusForbidden, "forbidden", "the "+auth.CSRFHeader+" header is missing: send the csrf_token from the sign-in answer with every change")
			return
		}
		if !auth.CheckCSRF(cur.Token, got) {
			writeProblem(w, http.StatusForbidden, "forbidden", "the "+auth.CSRFHeader+" header does not match this session: fetch GET /api/v1/session for the current token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// writeProblem answers a middleware refusal in the API's error shape.
func writeProblem(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"error": msg, "code": code})
	_, _ = w.Write(append(b, '\n'))
}

// ParseProxies reads a comma-separated list of addresses and CIDR prefixes
// (10.0.0.0/8, 127.0.0.1) naming the reverse proxies and load balancers
// whose X-Forwarded-For header is to be believed.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is neither an address nor a prefix such as 10.0.0.0/8", part)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// clientAddress sets RemoteAddr to the client's own address when the
// request came through trusted proxies: the right-most X-Forwarded-For
// entry that is not itself a trusted proxy. Without it, every request
// behind a load balancer would share one address — one audit "remote" and
// one sign-in rate limit for the whole city. Headers from untrusted peers
// are ignored: anyone can write X-Forwarded-For.
func clientAddress(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(a netip.Addr) bool {
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !isTrusted(peer.Addr()) {
			next.ServeHTTP(w, r)
			return
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		client := netip.Addr{}
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a malformed entry: trust nothing left of it
			}
			client = a.Unmap()
			if !isTrusted(a) {
				break
			}
		}
		if client.IsValid() {
			r2 := *r
			r2.RemoteAddr = netip.AddrPortFrom(client, 0).String()
			r = &r2
		}
		next.ServeHTTP(w, r)
	})
}

// passwordGate confines a session whose password must be changed (expired,
// or set by an administrator) to the session routes: who am I, sign out,
// and change the password.
func passwordGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur, ok := auth.CurrentFrom(r.Context())
		if ok && cur.Session.PasswordChangeRequired && r.URL.Path != "/api/v1/session" && r.URL.Path != "/api/v1/session/password" {
			writeProblem(w, http.StatusForbidden, "forbidden",
				"change your password first (it has expired, or an administrator set it): PUT /api/v1/session/password")
			return
		}
		next.ServeHTTP(w, r)
	})
}
