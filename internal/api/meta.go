package api

import (
	"context"
	"net/http"
	"time"

	"github.com/duban-org/duban/internal/auth"
)

func (a *API) metaRoutes() []Route {
	return []Route{
		{"GET /healthz", auth.ActionMetaRead, a.healthz},
		{"GET /readyz", auth.ActionMetaRead, a.readyz},
		{"GET /api/openapi.json", auth.ActionMetaRead, a.openAPI},
	}
}

func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz checks the database answers and its schema is current, so a load
// balancer only sends traffic to a server that can serve it.
func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	cur, latest, err := a.cfg.Store.SchemaVersion(ctx)
	if err != nil {
		a.cfg.Log.WarnContext(ctx, "not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
		return
	}
	if cur != latest {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "schema not current", "schema": cur, "latest": latest})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "schema": cur})
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(openAPIDoc)
}
