package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/duban-org/duban/internal/audit"
)

// AuditFilter selects audit events for browsing. Empty fields match
// everything; Actor matches the actor's name exactly.
type AuditFilter struct {
	Entity   string
	EntityID string
	Action   string
	Actor    string
	After    int64 // only events with a larger id: the page cursor
	Limit    int   // at most this many; 0 or more than 1000 means 1000
}

// MaxAuditPage is the largest page AuditSearch returns.
const MaxAuditPage = 1000

// AuditSearch lists the events f selects, oldest first. Pages follow one
// another by passing the last id seen as After, which stays correct while
// new events are appended.
func (r reader) AuditSearch(ctx context.Context, f AuditFilter) ([]audit.Event, error) {
	if f.Limit <= 0 || f.Limit > MaxAuditPage {
		f.Limit = MaxAuditPage
	}
	where := []string{"id > ?"}
	args := []any{f.After}
	for _, c := range []struct{ col, val string }{
		{"entity", f.Entity}, {"entity_id", f.EntityID}, {"action", f.Action}, {"actor_name", f.Actor},
	} {
		if c.val != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.val)
		}
	}
	args = append(args, f.Limit)
	rows, err := r.query(ctx, `SELECT `+auditColumns+` FROM audit_events WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit search %+v: %w", f, err)
	}
	defer rows.Close()
	out := []audit.Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("store: audit event: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
