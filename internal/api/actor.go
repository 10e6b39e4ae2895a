package api

import (
	"net"
	"net/http"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/extract"
)

// actorOf names who makes a request, for the audit log.
func actorOf(r *http.Request) audit.Actor {
	p := auth.PrincipalFrom(r.Context())
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if p.Anonymous {
		return audit.Actor{Name: "public", Remote: host}
	}
	return audit.Actor{UserID: p.User.ID, Name: p.User.Username, Remote: host}
}

func (a *API) extractOptions() extract.Options {
	return extract.Options{Units: a.cfg.Units}
}
