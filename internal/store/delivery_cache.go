package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/duban-org/duban/internal/delivery"
)

// The status of a plan is judged from all its reports: 30 000 rows for 500
// tasks over five years of monthly reports, which takes SQLite and
// PostgreSQL a tenth of a second or more to hand over through database/sql,
// while the rules take a few milliseconds. Reports change far less often
// than the status is asked for (every page view of the office, the units and
// the leaders). So a Store keeps each plan's delivery inputs in memory,
// keyed by the plan's revision (table plan_revisions, bumped by triggers in
// every transaction that changes what the inputs are read from), and
// re-reads them only when the revision moved. Checking the revision is one
// primary-key lookup, and because it is asked of the database on every
// read, a change made through any server — or by hand in SQL — is seen at
// once: nothing stale is ever served.

// inputsBudget bounds the cache by the reports it holds (a report with one
// figure is a few hundred bytes here, so about 100 MB at most), so a server
// of a province with hundreds of plans does not keep them all; the least
// recently read go first.
const inputsBudget = 250_000

// inputsCache holds delivery inputs per plan.
type inputsCache struct {
	mu      sync.Mutex
	entries map[int64]*inputsEntry
	reports int    // reports held, against inputsBudget
	tick    uint64 // last use counter, for eviction
}

type inputsEntry struct {
	revision int64
	in       delivery.Inputs
	settings PlanSettings
	used     uint64
}

func newInputsCache() *inputsCache {
	return &inputsCache{entries: map[int64]*inputsEntry{}}
}

func (c *inputsCache) get(planID, revision int64) (*inputsEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[planID]
	if !ok || e.revision != revision {
		return nil, false
	}
	c.tick++
	e.used = c.tick
	return e, true
}

func (c *inputsCache) put(planID, revision int64, in delivery.Inputs, settings PlanSettings) {
	size := len(in.Reports) + 1
	if size > inputsBudget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[planID]; ok {
		if old.revision > revision {
			return // a concurrent reader already stored newer inputs
		}
		c.reports -= len(old.in.Reports) + 1
		delete(c.entries, planID)
	}
	for c.reports+size > inputsBudget {
		var lru int64
		var oldest *inputsEntry
		for id, e := range c.entries {
			if oldest == nil || e.used < oldest.used {
				lru, oldest = id, e
			}
		}
		c.reports -= len(oldest.in.Reports) + 1
		delete(c.entries, lru)
	}
	c.tick++
	c.entries[planID] = &inputsEntry{revision: revision, in: in, settings: settings, used: c.tick}
	c.reports += size
}

// PlanRevision returns the number of committed changes to what a plan's
// delivery inputs are read from; ok is false for a plan id never used.
func (r reader) PlanRevision(ctx context.Context, planID int64) (revision int64, ok bool, err error) {
	err = r.queryRow(ctx, `SELECT revision FROM plan_revisions WHERE plan_id = ?`, planID).Scan(&revision)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: revision of plan %d: %w", planID, err)
	}
	return revision, true, nil
}

// DeliveryInputs returns everything the status rules need about a plan —
// the plan, its reports, its extensions and settings — from memory when the
// plan's revision has not moved since it was last read, and otherwise reads
// them (see reader.DeliveryInputs) and keeps them.
//
// The result is shared with later callers: treat it as read-only (package
// delivery's rules do). Inside a write transaction, Tx.DeliveryInputs reads
// the tables every time, so a transaction sees its own changes and nothing
// it may roll back is ever cached.
func (s *Store) DeliveryInputs(ctx context.Context, planID int64) (delivery.Inputs, PlanSettings, error) {
	// The revision is read before the inputs: a change committed in between
	// makes the inputs newer than their key, which only costs a re-read
	// next time, whereas the other order could file old inputs under a new
	// revision.
	rev, known, err := s.PlanRevision(ctx, planID)
	if err != nil {
		return delivery.Inputs{}, PlanSettings{}, err
	}
	if known {
		if e, ok := s.inputs.get(planID, rev); ok {
			return e.in, e.settings, nil
		}
	}
	in, settings, err := s.reader.DeliveryInputs(ctx, planID)
	if err == nil && known {
		s.inputs.put(planID, rev, in, settings)
	}
	return in, settings, err
}
