package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/fault"
)

// querier is what reads need: the pool or a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader holds the read methods; Store and Tx both embed it, so a write can
// read what it is about to change inside its own transaction.
type reader struct {
	q querier
	d dialect
}

func (r reader) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.q.ExecContext(ctx, r.d.rebind(q), args...)
}

func (r reader) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.q.QueryContext(ctx, r.d.rebind(q), args...)
}

func (r reader) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return r.q.QueryRowContext(ctx, r.d.rebind(q), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (r reader) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := r.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Tx is one write transaction acting for one actor.
type Tx struct {
	reader
	tx    *sql.Tx
	actor audit.Actor
	now   time.Time
}

// Actor is who this transaction acts for.
func (tx *Tx) Actor() audit.Actor { return tx.actor }

// Now is the transaction's timestamp: every change in it shares one time.
func (tx *Tx) Now() time.Time { return tx.now }

// Write runs fn in one transaction on behalf of actor and commits when fn
// returns nil. Every change fn makes through tx's methods is audited in the
// same transaction. An error from fn rolls everything back.
func (s *Store) Write(ctx context.Context, actor audit.Actor, fn func(tx *Tx) error) (err error) {
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{reader: reader{q: sqlTx, d: s.d}, tx: sqlTx, actor: actor, now: audit.Normalize(s.now())}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// Record appends an audit event for a change made in this transaction. The
// store's own write methods call it; domain code calls it for changes it
// makes through Exec-free methods of its own packages' stores.
func (tx *Tx) Record(ctx context.Context, action, entity string, entityID any, before, after any) error {
	var lastID int64
	var lastHash string
	// Updating the head row first takes its lock (PostgreSQL) so concurrent
	// writers append one after another; SQLite has one writer anyway.
	if _, err := tx.exec(ctx, `UPDATE audit_head SET last_id = last_id WHERE singleton = 1`); err != nil {
		return fmt.Errorf("store: audit head lock: %w", err)
	}
	if err := tx.queryRow(ctx, `SELECT last_id, last_hash FROM audit_head WHERE singleton = 1`).Scan(&lastID, &lastHash); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	e := audit.Event{
		ID:       lastID + 1,
		At:       tx.now,
		Actor:    tx.actor,
		Action:   action,
		Entity:   entity,
		EntityID: fmt.Sprint(entityID),
		Before:   audit.Marshal(before),
		After:    audit.Marshal(after),
		PrevHash: lastHash,
	}
	e.Hash = audit.ComputeHash(e)
	if _, err := tx.exec(ctx, `INSERT INTO audit_events
		(id, at, actor_id, actor_name, remote, action, entity, entity_id, before_json, after_json, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.At, e.Actor.UserID, e.Actor.Name, e.Actor.Remote, e.Action, e.Entity, e.EntityID,
		string(e.Before), string(e.After), e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("store: audit append %s: %w", action, err)
	}
	if _, err := tx.exec(ctx, `UPDATE audit_head SET last_id = ?, last_hash = ? WHERE singleton = 1`, e.ID, e.Hash); err != nil {
		return fmt.Errorf("store: audit head update: %w", err)
	}
	return nil
}

// notFound wraps sql.ErrNoRows as fault.ErrNotFound with what was sought.
func notFound(err error, what string, key any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %v: %w", what, key, fault.ErrNotFound)
	}
	return fmt.Errorf("store: %s %v: %w", what, key, err)
}
