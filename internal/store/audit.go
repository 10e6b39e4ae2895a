package store

import (
	"context"
	"fmt"

	"github.com/duban-org/duban/internal/audit"
)

const auditColumns = `id, at, actor_id, actor_name, remote, action, entity, entity_id, before_json, after_json, prev_hash, hash`

func scanEvent(sc interface{ Scan(...any) error }) (audit.Event, error) {
	var e audit.Event
	var before, after string
	err := sc.Scan(&e.ID, &e.At, &e.Actor.UserID, &e.Actor.Name, &e.Actor.Remote, &e.Action, &e.Entity,
		&e.EntityID, &before, &after, &e.PrevHash, &e.Hash)
	if before != "" {
		e.Before = []byte(before)
	}
	if after != "" {
		e.After = []byte(after)
	}
	return e, err
}

// AuditEvents lists events with id > after, oldest first, at most limit.
func (r reader) AuditEvents(ctx context.Context, after int64, limit int) ([]audit.Event, error) {
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	rows, err := r.query(ctx, `SELECT `+auditColumns+` FROM audit_events WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit events after %d: %w", after, err)
	}
	defer rows.Close()
	var out []audit.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("store: audit event: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole chain and checks every link and the head. It
// returns the number of events verified, and an *audit.Break at the first
// broken link.
func (r reader) VerifyAudit(ctx context.Context) (int64, error) {
	v := audit.NewVerifier()
	var after int64
	for {
		page, err := r.AuditEvents(ctx, after, 5000)
		if err != nil {
			return v.Count(), err
		}
		for _, e := range page {
			if err := v.Next(e); err != nil {
				return v.Count(), err
			}
			after = e.ID
		}
		if len(page) < 5000 {
			break
		}
	}
	var lastID int64
	var lastHash string
	if err := r.queryRow(ctx, `SELECT last_id, last_hash FROM audit_head WHERE singleton = 1`).Scan(&lastID, &lastHash); err != nil {
		return v.Count(), fmt.Errorf("store: audit head: %w", err)
	}
	if lastID != after || lastHash != v.Head() {
		return v.Count(), &audit.Break{EventID: lastID, Reason: fmt.Sprintf("the log ends at event %d but the head says %d (events removed or head altered)", after, lastID)}
	}
	return v.Count(), nil
}
