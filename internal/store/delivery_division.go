package store

import (
	"context"
	"fmt"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
)

// UpdateIndicator edits one indicator's measurable fields (name, unit,
// target, comparator, kind, baseline, annual-only) and, for a main
// indicator of the plan, its responsible unit. Task division changes who
// answers for a figure and how it is judged, never which task it belongs
// to, so TaskID is kept.
func (tx *Tx) UpdateIndicator(ctx context.Context, in plan.Indicator) (plan.Indicator, error) {
	var planID, task int64
	var taskID *int64
	var jur string
	if err := tx.queryRow(ctx, `SELECT i.plan_id, i.task_id, p.jurisdiction FROM indicators i JOIN plans p ON p.id = i.plan_id WHERE i.id = ?`, in.ID).
		Scan(&planID, &taskID, &jur); err != nil {
		return in, notFound(err, "indicator", in.ID)
	}
	if taskID != nil {
		task = *taskID
	}
	if err := in.Validate(); err != nil {
		return in, err
	}
	if task != 0 && in.ResponsibleUnitID != 0 {
		return in, fault.Validation{{Field: "responsible_unit_id", Code: "indicator.task_unit", Message: "a task's indicator is answered for by the task's lead unit; only main indicators name a responsible unit"}}
	}
	if err := tx.checkUnits(ctx, jur, in.ResponsibleUnitID); err != nil {
		return in, err
	}
	before, err := tx.indicator(ctx, in.ID)
	if err != nil {
		return in, err
	}
	if _, err := tx.exec(ctx, `UPDATE indicators SET name = ?, unit = ?, target = ?, comparator = ?, kind = ?, baseline = ?, annual_only = ?, responsible_unit_id = ? WHERE id = ?`,
		in.Name, in.Unit, in.Target, string(in.Comparator), string(in.Kind), in.Baseline, in.AnnualOnly, nullID(in.ResponsibleUnitID), in.ID); err != nil {
		return in, fmt.Errorf("store: indicator %d: %w", in.ID, err)
	}
	if err := tx.touchPlan(ctx, planID); err != nil {
		return in, err
	}
	after, err := tx.indicator(ctx, in.ID)
	if err != nil {
		return after, err
	}
	return after, tx.Record(ctx, "indicator.update", "indicator", in.ID, before, after)
}

// Indicator returns one indicator with its plan id.
func (r reader) Indicator(ctx context.Context, id int64) (plan.Indicator, int64, error) {
	var planID int64
	if err := r.queryRow(ctx, `SELECT plan_id FROM indicators WHERE id = ?`, id).Scan(&planID); err != nil {
		return plan.Indicator{}, 0, notFound(err, "indicator", id)
	}
	in, err := r.indicator(ctx, id)
	return in, planID, err
}

func (r reader) indicator(ctx context.Context, id int64) (plan.Indicator, error) {
	var planID int64
	if err := r.queryRow(ctx, `SELECT plan_id FROM indicators WHERE id = ?`, id).Scan(&planID); err != nil {
		return plan.Indicator{}, notFound(err, "indicator", id)
	}
	all, err := r.indicators(ctx, planID)
	if err != nil {
		return plan.Indicator{}, err
	}
	for _, in := range all {
		if in.ID == id {
			return in, nil
		}
	}
	return plan.Indicator{}, fmt.Errorf("indicator %d: %w", id, fault.ErrNotFound)
}

// MarkMilestone records that a milestone was done at the transaction's time
// (done = false clears it).
func (tx *Tx) MarkMilestone(ctx context.Context, id int64, done bool) error {
	var val any
	if done {
		val = tx.now
	}
	res, err := tx.exec(ctx, `UPDATE milestones SET done_at = ? WHERE id = ?`, val, id)
	if err != nil {
		return fmt.Errorf("store: milestone %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("milestone %d: %w", id, fault.ErrNotFound)
	}
	return tx.Record(ctx, "milestone.done", "milestone", id, nil, map[string]any{"done": done})
}

// TaskDivision returns a task's assignment: lead and cooperating units,
// responsible leader and deadline.
func (r reader) TaskDivision(ctx context.Context, taskID int64) (Division, error) {
	return r.division(ctx, taskID)
}

// MilestoneTask returns the task a milestone belongs to.
func (r reader) MilestoneTask(ctx context.Context, id int64) (int64, error) {
	var taskID int64
	if err := r.queryRow(ctx, `SELECT task_id FROM milestones WHERE id = ?`, id).Scan(&taskID); err != nil {
		return 0, notFound(err, "milestone", id)
	}
	return taskID, nil
}
