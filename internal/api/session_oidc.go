package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/fault"
)

// oidcCookie keeps a single sign-on in progress (state, nonce, PKCE
// verifier) for ten minutes, only on the callback's path.
const (
	oidcCookie     = "duban_oidc"
	oidcCookiePath = "/api/v1/session/oidc"
	oidcFlowAge    = 600 // seconds
)

// errNoSSO answers the SSO routes of a server without a provider.
var errNoSSO = fmt.Errorf("single sign-on is not configured on this server: %w", fault.ErrNotFound)

// oidcBegin sends the browser to the provider, keeping the flow in a short
// HttpOnly cookie.
func (a *API) oidcBegin(w http.ResponseWriter, r *http.Request) {
	if a.cfg.OIDC == nil {
		writeError(w, r, errNoSSO)
		return
	}
	url, flow, err := a.cfg.OIDC.Begin()
	if err != nil {
		writeError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: flow.Encode(), Path: oidcCookiePath, MaxAge: oidcFlowAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || a.cfg.Accounts.Policy().SecureCookies})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, url, http.StatusFound)
}

// oidcCallback is where the provider sends the browser back: check
// everything, open a session on the existing account, and go to the
// workspace.
func (a *API) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if a.cfg.OIDC == nil {
		writeError(w, r, errNoSSO)
		return
	}
	// The flow is single-use whatever happens next.
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Path: oidcCookiePath, MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || a.cfg.Accounts.Policy().SecureCookies})
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		writeJSON(w, http.StatusUnauthorized, apiError{Error: "the identity provider refused the sign-in: " + truncateText(e+" "+q.Get("error_description"), 200), Code: "unauthenticated"})
		return
	}
	c, err := r.Cookie(oidcCookie)
	flow, ok := auth.OIDCFlow{}, false
	if err == nil {
		flow, ok = auth.DecodeOIDCFlow(c.Value)
	}
	if !ok {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "no single sign-on in progress in this browser (or it took longer than 10 minutes): start again", Code: "invalid"})
		return
	}
	username, err := a.cfg.OIDC.Identify(r.Context(), flow, q.Get("state"), q.Get("code"))
	if err != nil {
		writeJSON(w, http.StatusUnauthorized, apiError{Error: err.Error(), Code: "unauthenticated"})
		return
	}
	in, err := a.cfg.Accounts.SignInAs(r.Context(), username, "oidc", clientOf(r))
	if errors.Is(err, auth.ErrNoAccount) {
		writeJSON(w, http.StatusForbidden, apiError{Error: err.Error(), Code: "forbidden"})
		return
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	if cur, ok := auth.CurrentFrom(r.Context()); ok {
		if err := a.cfg.Accounts.SignOut(r.Context(), actorOf(r), cur.Session.ID); err != nil {
			a.cfg.Log.WarnContext(r.Context(), "could not end the previous session at sign-in", "session", cur.Session.ID, "err", err)
		}
	}
	http.SetCookie(w, a.sessionCookie(r, in.Token, in.Session.ExpiresAt))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// truncateText cuts an outside string for an error message.
func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
