package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/org"
)

func (a *API) sessionRoutes() []Route {
	return []Route{
		{"POST /api/v1/session", auth.ActionSessionCreate, a.sessionCreate},
		{"GET /api/v1/session", auth.ActionSessionRead, a.sessionGet},
		{"DELETE /api/v1/session", auth.ActionSessionDelete, a.sessionDelete},
		{"PUT /api/v1/session/password", auth.ActionPasswordSelf, a.passwordChange},
		{"GET /api/v1/session/oidc", auth.ActionSessionCreate, a.oidcBegin},
		{"GET /api/v1/session/oidc/callback", auth.ActionSessionCreate, a.oidcCallback},
	}
}

// sessionProblem is a 401 that says why the cookie did not count (expired,
// ended, unknown) instead of only "sign in first".
type sessionProblem struct{ err error }

func (e sessionProblem) Error() string { return e.err.Error() }

func (e sessionProblem) Is(target error) bool { return target == errUnauthenticated }

// unauthenticated is the 401 error for a request without a live session.
func unauthenticated(r *http.Request) error {
	if err := auth.SessionProblemFrom(r.Context()); err != nil && !errors.Is(err, auth.ErrNoSession) {
		return sessionProblem{err}
	}
	return errUnauthenticated
}

// maxCredentialsBody bounds a sign-in or password body: two short strings
// and their JSON.
const maxCredentialsBody = 4 << 10

// credentials is the sign-in body.
type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// parseCredentials reads a sign-in body: a JSON object with a user name
// and a password, nothing else, nothing after it.
func parseCredentials(body []byte) (credentials, error) {
	var c credentials
	if err := decodeStrict(body, &c); err != nil {
		return c, fault.Validation{{Field: "body", Code: "json", Message: "send a JSON object {\"username\": …, \"password\": …}: " + err.Error()}}
	}
	var v fault.Validation
	if !auth.ValidUsernameInput(c.Username) {
		v.Add("username", "required", "the user name is required (at most 64 characters)")
	}
	if c.Password == "" {
		v.Add("password", "required", "the password is required")
	} else if len(c.Password) > auth.MaxPasswordBytes {
		v.Add("password", "password.long", "a password is at most 256 bytes long")
	}
	return c, v.Err()
}

// decodeStrict decodes one JSON object into v, refusing unknown fields and
// trailing data, with a message a client can act on.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("the body is empty")
		}
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON object")
	}
	return nil
}

// readBody reads a small request body, answering 413 above limit.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	return io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
}

func clientOf(r *http.Request) auth.Client {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return auth.Client{Remote: host, UserAgent: r.UserAgent()}
}

// sessionAnswer is what sign-in and "who am I" answer.
type sessionAnswer struct {
	User      org.User  `json:"user"`
	CSRFToken string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
	IdleAfter int       `json:"idle_timeout_seconds"`
	// PasswordChangeRequired: the session may do nothing but change the
	// password (or sign out) until it is changed.
	PasswordChangeRequired bool `json:"password_change_required"`
}

// sessionCreate signs in: 200 with the user and the CSRF token and a
// session cookie; 401 for any wrong combination, worded the same whether
// or not the account exists; 429 while locked out.
func (a *API) sessionCreate(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, maxCredentialsBody)
	if err != nil {
		writeError(w, r, err)
		return
	}
	c, err := parseCredentials(body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	in, err := a.cfg.Accounts.SignIn(r.Context(), c.Username, c.Password, clientOf(r))
	if err != nil {
		a.writeSignInError(w, r, err)
		return
	}
	// A cookie that came with the request belongs to whoever was signed in
	// before: end that session, so one browser holds one session.
	if cur, ok := auth.CurrentFrom(r.Context()); ok {
		if err := a.cfg.Accounts.SignOut(r.Context(), actorOf(r), cur.Session.ID); err != nil {
			a.cfg.Log.WarnContext(r.Context(), "could not end the previous session at sign-in", "session", cur.Session.ID, "err", err)
		}
	}
	http.SetCookie(w, a.sessionCookie(r, in.Token, in.Session.ExpiresAt))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, sessionAnswer{User: in.User, CSRFToken: in.CSRF, ExpiresAt: in.Session.ExpiresAt,
		IdleAfter: int(a.cfg.Accounts.Policy().Idle / time.Second), PasswordChangeRequired: in.Session.PasswordChangeRequired})
}

// writeSignInError maps the account service's refusals: bad credentials to
// 401, a lockout to 429 with Retry-After, the rest as usual.
func (a *API) writeSignInError(w http.ResponseWriter, r *http.Request, err error) {
	var locked *auth.LockedError
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		writeJSON(w, http.StatusUnauthorized, apiError{Error: err.Error(), Code: "unauthenticated"})
	case errors.As(err, &locked):
		wait := math.Ceil(locked.Until.Sub(a.cfg.Store.Now()).Seconds())
		if wait < 1 {
			wait = 1
		}
		w.Header().Set("Retry-After", strconv.Itoa(int(wait)))
		writeJSON(w, http.StatusTooManyRequests, apiError{Error: err.Error(), Code: "rate_limited"})
	default:
		writeError(w, r, err)
	}
}

// sessionCookie is the session cookie: HttpOnly so no script reads it,
// SameSite=Lax so other sites' forms and scripts do not carry it (links from
// a reminder mail still open the workspace signed in), Secure over TLS or
// when the server is told it sits behind a TLS proxy.
func (a *API) sessionCookie(r *http.Request, token string, expires time.Time) *http.Cookie {
	c := &http.Cookie{
		Name:     auth.CookieName,
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   r.TLS != nil || a.cfg.Accounts.Policy().SecureCookies,
	}
	if token == "" {
		c.MaxAge = -1
	} else {
		c.Expires = expires
		c.MaxAge = max(1, int(expires.Sub(a.cfg.Store.Now())/time.Second))
	}
	return c
}

// sessionGet answers who is signed in, with the CSRF token again (a page
// that was reloaded needs it).
func (a *API) sessionGet(w http.ResponseWriter, r *http.Request) {
	cur, ok := auth.CurrentFrom(r.Context())
	if !ok {
		writeError(w, r, unauthenticated(r))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, sessionAnswer{User: auth.PrincipalFrom(r.Context()).User, CSRFToken: auth.CSRFToken(cur.Token),
		ExpiresAt: cur.Session.ExpiresAt, IdleAfter: int(a.cfg.Accounts.Policy().Idle / time.Second),
		PasswordChangeRequired: cur.Session.PasswordChangeRequired})
}

// sessionDelete signs out: the session ends on the server, not just in the
// browser, and the cookie is cleared.
func (a *API) sessionDelete(w http.ResponseWriter, r *http.Request) {
	cur, ok := auth.CurrentFrom(r.Context())
	if !ok {
		writeError(w, r, unauthenticated(r))
		return
	}
	if err := a.cfg.Accounts.SignOut(r.Context(), actorOf(r), cur.Session.ID); err != nil {
		writeError(w, r, err)
		return
	}
	http.SetCookie(w, a.sessionCookie(r, "", time.Time{}))
	w.WriteHeader(http.StatusNoContent)
}

// passwordChange is the body of PUT /api/v1/session/password.
type passwordChange struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// passwordChange changes the caller's own password. The current password
// is required; the user's other sessions end, this one stays.
func (a *API) passwordChange(w http.ResponseWriter, r *http.Request) {
	cur, ok := auth.CurrentFrom(r.Context())
	if !ok {
		writeError(w, r, unauthenticated(r))
		return
	}
	body, err := readBody(w, r, maxCredentialsBody)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var pc passwordChange
	if err := decodeStrict(body, &pc); err != nil {
		writeError(w, r, fault.Validation{{Field: "body", Code: "json", Message: "send a JSON object {\"old_password\": …, \"new_password\": …}: " + err.Error()}})
		return
	}
	var v fault.Validation
	if pc.OldPassword == "" {
		v.Add("old_password", "required", "the current password is required")
	}
	if pc.NewPassword == "" {
		v.Add("new_password", "required", "the new password is required")
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	p := auth.PrincipalFrom(r.Context())
	n, err := a.cfg.Accounts.ChangePassword(r.Context(), actorOf(r), p.User.ID, cur.Session.ID, pc.OldPassword, pc.NewPassword, clientOf(r))
	if err != nil {
		a.writeSignInError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"changed": true, "ended_sessions": n,
		"message": fmt.Sprintf("password changed; %d other session(s) ended", n)})
}
