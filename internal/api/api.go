// Package api is duban's JSON API under /api/v1, described by the OpenAPI 3
// document at /api/openapi.json. Handlers parse, ask the authorization
// policy, call the domain and store layers, and answer JSON; they build no
// SQL and hold no rules of their own.
package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/extract"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/upload"
)

// Config is what the API needs from its server.
type Config struct {
	Store  *store.Store
	Log    *slog.Logger
	Now    func() time.Time
	Units  *extract.UnitTable // keyword → unit table for imports; nil: built-in
	Upload int64              // largest accepted upload in bytes; 0: 20 MiB
	// Accounts signs in and out; nil: one over Store with the default policy.
	Accounts *auth.Accounts
	// OIDC is the single sign-on provider; nil: password sign-in only.
	OIDC *auth.OIDC
	// Attachments keeps report attachments; nil: uploads are refused.
	Attachments *upload.Store
}

// API serves the JSON routes.
type API struct {
	cfg Config
}

// New makes an API.
func New(cfg Config) *API {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Upload <= 0 {
		cfg.Upload = 20 << 20
	}
	if cfg.Accounts == nil && cfg.Store != nil {
		cfg.Accounts = auth.NewAccounts(cfg.Store, auth.SessionPolicy{})
	}
	return &API{cfg: cfg}
}

// Route is one entry of the route table: a ServeMux pattern, the action the
// authorization policy judges, and the handler.
type Route struct {
	Pattern string
	Action  auth.Action
	Handler http.HandlerFunc
}

// Routes is the API's route table: one group per surface, each group a
// table read top to bottom in the file that holds its handlers.
func (a *API) Routes() []Route {
	var all []Route
	for _, group := range [][]Route{
		a.metaRoutes(),
		a.sessionRoutes(),
		a.planRoutes(),
		a.auditRoutes(),
		a.divisionRoutes(),
		a.reportRoutes(),
		a.deliveryRoutes(),
		a.noticeRoutes(),
	} {
		all = append(all, group...)
	}
	return all
}

// Register adds every route to mux behind the authorization check.
func (a *API) Register(mux *http.ServeMux) {
	for _, r := range a.Routes() {
		mux.Handle(r.Pattern, authorize(r.Action, r.Handler))
	}
}

// authorize asks the one policy before the handler runs: 401 for the public
// where a role is needed, 403 for a role that may not.
func authorize(action auth.Action, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.PrincipalFrom(r.Context())
		if !auth.Allowed(p, action) {
			if p.Anonymous {
				writeError(w, r, unauthenticated(r))
				return
			}
			writeError(w, r, errForbidden)
			return
		}
		next(w, r)
	})
}
