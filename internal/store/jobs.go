package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/duban-org/duban/internal/delivery"
)

// LockJobDay reads the last day a scheduler job has fully judged, taking
// the job's row lock for the rest of the transaction so that two servers
// never judge the same day of the same job at once (PostgreSQL row lock;
// SQLite has one writer). A job that never ran gets its row here, at the
// day before start.
func (tx *Tx) LockJobDay(ctx context.Context, job string, start delivery.Date) (delivery.Date, error) {
	res, err := tx.exec(ctx, `UPDATE scheduler_state SET last_day = last_day WHERE job = ?`, job)
	if err != nil {
		return 0, fmt.Errorf("store: lock job %s: %w", job, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := tx.exec(ctx, `INSERT INTO scheduler_state (job, last_day, updated_at) VALUES (?, ?, ?) ON CONFLICT (job) DO NOTHING`,
			job, (start - 1).Time(), tx.now); err != nil {
			return 0, fmt.Errorf("store: create job %s: %w", job, err)
		}
		if _, err := tx.exec(ctx, `UPDATE scheduler_state SET last_day = last_day WHERE job = ?`, job); err != nil {
			return 0, fmt.Errorf("store: lock job %s: %w", job, err)
		}
	}
	var t time.Time
	if err := tx.queryRow(ctx, `SELECT last_day FROM scheduler_state WHERE job = ?`, job).Scan(&t); err != nil {
		return 0, fmt.Errorf("store: job %s: %w", job, err)
	}
	return delivery.DateOf(t.UTC()), nil
}

// SetJobDay records that a job has judged every day up to and including d.
func (tx *Tx) SetJobDay(ctx context.Context, job string, d delivery.Date) error {
	if _, err := tx.exec(ctx, `UPDATE scheduler_state SET last_day = ?, updated_at = ? WHERE job = ?`, d.Time(), tx.now, job); err != nil {
		return fmt.Errorf("store: job %s day %s: %w", job, d, err)
	}
	return tx.Record(ctx, "scheduler.day", "job", job, nil, map[string]any{"last_day": d})
}

// JobDay returns the last day a job has judged; ok is false before its
// first run.
func (r reader) JobDay(ctx context.Context, job string) (delivery.Date, bool, error) {
	var t time.Time
	err := r.queryRow(ctx, `SELECT last_day FROM scheduler_state WHERE job = ?`, job).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: job %s: %w", job, err)
	}
	return delivery.DateOf(t.UTC()), true, nil
}
