package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/fault"
)

// OIDCConfig configures single sign-on with an OpenID Connect provider (a
// government's unified identity platform, 统一身份认证). Sign-in by password
// stays available: SSO is an additional way in, to existing accounts only.
type OIDCConfig struct {
	Issuer       string // the provider's issuer URL; its discovery document is read at start
	ClientID     string
	ClientSecret string
	RedirectURL  string // duban's callback: https://HOST/api/v1/session/oidc/callback
	// UsernameClaim names the ID-token claim that holds the duban user
	// name; default preferred_username.
	UsernameClaim string
}

// OIDC is a discovered provider, ready to send browsers to and to check
// what comes back.
type OIDC struct {
	cfg      OIDCConfig
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
}

// NewOIDC reads the provider's discovery document and keys' location. It
// fails at start rather than at the first sign-in when the provider cannot
// be reached or is misconfigured.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("auth: OIDC needs an issuer, a client id and a redirect URL")
	}
	if cfg.UsernameClaim == "" {
		cfg.UsernameClaim = "preferred_username"
	}
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("auth: OIDC provider %s: %w", cfg.Issuer, err)
	}
	return &OIDC{
		cfg:      cfg,
		verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile"},
		},
	}, nil
}

// OIDCFlow is what a browser keeps (in a short-lived HttpOnly cookie)
// between leaving for the provider and coming back: the state that ties the
// answer to this browser, the nonce that ties the ID token to this request,
// and the PKCE verifier that ties the code to this client.
type OIDCFlow struct {
	State, Nonce, Verifier string
}

// Encode packs the flow into one cookie value.
func (f OIDCFlow) Encode() string { return f.State + "." + f.Nonce + "." + f.Verifier }

// DecodeOIDCFlow unpacks a cookie value made by Encode.
func DecodeOIDCFlow(s string) (OIDCFlow, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return OIDCFlow{}, false
	}
	return OIDCFlow{State: parts[0], Nonce: parts[1], Verifier: parts[2]}, true
}

// Begin starts a sign-in: the URL to send the browser to and the flow to
// keep.
func (o *OIDC) Begin() (string, OIDCFlow, error) {
	state, err := newToken()
	if err != nil {
		return "", OIDCFlow{}, err
	}
	nonce, err := newToken()
	if err != nil {
		return "", OIDCFlow{}, err
	}
	f := OIDCFlow{State: state, Nonce: nonce, Verifier: oauth2.GenerateVerifier()}
	url := o.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(f.Verifier))
	return url, f, nil
}

// ErrOIDC is the kind of every refused single sign-on; the message says
// which check failed.
var ErrOIDC = errors.New("single sign-on failed")

// Identify finishes a sign-in at the provider: it checks the state, trades
// the code for tokens (with the PKCE verifier), verifies the ID token's
// signature, issuer, audience, expiry and nonce, and returns the user name
// the token vouches for.
func (o *OIDC) Identify(ctx context.Context, f OIDCFlow, state, code string) (string, error) {
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		return "", fmt.Errorf("%w: the answer does not belong to this browser's sign-in (state differs); start again", ErrOIDC)
	}
	if code == "" {
		return "", fmt.Errorf("%w: the provider sent no code", ErrOIDC)
	}
	tok, err := o.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return "", fmt.Errorf("%w: the provider refused the code: %v", ErrOIDC, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return "", fmt.Errorf("%w: the provider sent no ID token", ErrOIDC)
	}
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return "", fmt.Errorf("%w: the ID token does not verify: %v", ErrOIDC, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return "", fmt.Errorf("%w: the ID token was made for another sign-in (nonce differs)", ErrOIDC)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return "", fmt.Errorf("%w: ID token claims: %v", ErrOIDC, err)
	}
	name, _ := claims[o.cfg.UsernameClaim].(string)
	if !ValidUsernameInput(name) {
		return "", fmt.Errorf("%w: the ID token has no usable %q claim", ErrOIDC, o.cfg.UsernameClaim)
	}
	return name, nil
}

// ErrNoAccount refuses a single sign-on whose identity has no enabled
// duban account: SSO never creates accounts, the office does.
var ErrNoAccount = errors.New("this identity has no enabled duban account: ask the supervision office to create or enable it")

// SignInAs opens a session for an account whose owner another party (the
// OIDC provider, named by method) has identified. The account must exist
// and be enabled; the attempt is recorded like a password sign-in.
func (a *Accounts) SignInAs(ctx context.Context, username, method string, c Client) (SignedIn, error) {
	u, err := a.store.UserByName(ctx, username)
	reason := ""
	switch {
	case errors.Is(err, fault.ErrNotFound):
		reason = method + "_unknown"
	case err != nil:
		return SignedIn{}, err
	case u.Disabled:
		reason = method + "_disabled"
	}
	if reason != "" {
		if err := a.recordFailure(ctx, audit.Actor{Name: username, Remote: c.Remote}, username, c, reason); err != nil {
			return SignedIn{}, err
		}
		return SignedIn{}, ErrNoAccount
	}
	return a.open(ctx, u, c, method)
}
