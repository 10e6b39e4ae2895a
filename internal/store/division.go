package store

import (
	"context"
	"fmt"
	"time"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
)

// Division is the assignment of one task (任务分工).
type Division struct {
	LeadUnitID int64      `json:"lead_unit_id"`
	CoUnitIDs  []int64    `json:"co_unit_ids"`
	Leader     string     `json:"leader"`
	Deadline   *time.Time `json:"deadline,omitempty"`
}

// TaskPlan returns the id and jurisdiction of the plan a task belongs to.
func (r reader) TaskPlan(ctx context.Context, taskID int64) (planID int64, jurisdiction string, err error) {
	err = r.queryRow(ctx, `SELECT p.id, p.jurisdiction FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.id = ?`, taskID).Scan(&planID, &jurisdiction)
	if err != nil {
		return 0, "", notFound(err, "task", taskID)
	}
	return planID, jurisdiction, nil
}

// checkUnits makes sure every unit exists in the jurisdiction.
func (tx *Tx) checkUnits(ctx context.Context, jurisdiction string, ids ...int64) error {
	var v fault.Validation
	for _, id := range ids {
		if id == 0 {
			continue
		}
		u, err := tx.Unit(ctx, id)
		if err != nil || u.Jurisdiction != jurisdiction {
			v.Add("unit_id", "unit.unknown", fmt.Sprintf("unit %d is not a unit of jurisdiction %s", id, jurisdiction))
		}
	}
	return v.Err()
}

// SetTaskDivision assigns a task's lead and cooperating units, responsible
// leader and deadline, replacing what it had.
func (tx *Tx) SetTaskDivision(ctx context.Context, taskID int64, d Division) error {
	planID, jur, err := tx.TaskPlan(ctx, taskID)
	if err != nil {
		return err
	}
	var v fault.Validation
	seen := map[int64]bool{}
	for _, co := range d.CoUnitIDs {
		if co == d.LeadUnitID && co != 0 {
			v.Add("co_unit_ids", "task.co_unit", "the lead unit cannot also cooperate")
		}
		if seen[co] {
			v.Add("co_unit_ids", "task.co_unit_twice", "a cooperating unit is listed twice")
		}
		seen[co] = true
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := tx.checkUnits(ctx, jur, append([]int64{d.LeadUnitID}, d.CoUnitIDs...)...); err != nil {
		return err
	}
	before, err := tx.division(ctx, taskID)
	if err != nil {
		return err
	}
	var deadline any
	if d.Deadline != nil {
		deadline = dateOnly(*d.Deadline)
	}
	if _, err := tx.exec(ctx, `UPDATE tasks SET lead_unit_id = ?, leader = ?, deadline = ? WHERE id = ?`,
		nullID(d.LeadUnitID), d.Leader, deadline, taskID); err != nil {
		return fmt.Errorf("store: task %d division: %w", taskID, err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM task_co_units WHERE task_id = ?`, taskID); err != nil {
		return fmt.Errorf("store: task %d cooperating units: %w", taskID, err)
	}
	for _, co := range d.CoUnitIDs {
		if _, err := tx.exec(ctx, `INSERT INTO task_co_units (task_id, unit_id) VALUES (?, ?)`, taskID, co); err != nil {
			return fmt.Errorf("store: task %d cooperating unit %d: %w", taskID, co, err)
		}
	}
	if err := tx.touchPlan(ctx, planID); err != nil {
		return err
	}
	return tx.Record(ctx, "task.divide", "task", taskID, before, d)
}

func (r reader) division(ctx context.Context, taskID int64) (Division, error) {
	var d Division
	var lead *int64
	var deadline *time.Time
	if err := r.queryRow(ctx, `SELECT lead_unit_id, leader, deadline FROM tasks WHERE id = ?`, taskID).Scan(&lead, &d.Leader, &deadline); err != nil {
		return d, notFound(err, "task", taskID)
	}
	if lead != nil {
		d.LeadUnitID = *lead
	}
	if deadline != nil {
		t := dateOnly(*deadline)
		d.Deadline = &t
	}
	rows, err := r.query(ctx, `SELECT unit_id FROM task_co_units WHERE task_id = ? ORDER BY unit_id`, taskID)
	if err != nil {
		return d, fmt.Errorf("store: task %d cooperating units: %w", taskID, err)
	}
	defer rows.Close()
	d.CoUnitIDs = []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return d, err
		}
		d.CoUnitIDs = append(d.CoUnitIDs, id)
	}
	return d, rows.Err()
}

// SetMilestones replaces a task's milestones.
func (tx *Tx) SetMilestones(ctx context.Context, taskID int64, ms []plan.Milestone) error {
	planID, _, err := tx.TaskPlan(ctx, taskID)
	if err != nil {
		return err
	}
	var v fault.Validation
	for i, m := range ms {
		if m.Title == "" || m.Due.IsZero() {
			v.Add(fmt.Sprintf("milestones[%d]", i), "milestone.incomplete", "a milestone needs a title and a due date")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM milestones WHERE task_id = ?`, taskID); err != nil {
		return fmt.Errorf("store: task %d milestones: %w", taskID, err)
	}
	for _, m := range ms {
		if _, err := tx.exec(ctx, `INSERT INTO milestones (task_id, title, due, done_at) VALUES (?, ?, ?, ?)`,
			taskID, m.Title, dateOnly(m.Due), m.DoneAt); err != nil {
			return fmt.Errorf("store: task %d milestone %q: %w", taskID, m.Title, err)
		}
	}
	if err := tx.touchPlan(ctx, planID); err != nil {
		return err
	}
	return tx.Record(ctx, "task.milestones", "task", taskID, nil, ms)
}

func (tx *Tx) touchPlan(ctx context.Context, planID int64) error {
	if _, err := tx.exec(ctx, `UPDATE plans SET updated_at = ? WHERE id = ?`, tx.now, planID); err != nil {
		return fmt.Errorf("store: plan %d: %w", planID, err)
	}
	return nil
}

// PublishPlan checks the plan is complete (plan.ValidateForPublish) and
// publishes it, which starts delivery.
func (tx *Tx) PublishPlan(ctx context.Context, planID int64) error {
	p, err := tx.Plan(ctx, planID)
	if err != nil {
		return err
	}
	if p.Status == plan.StatusPublished {
		return fmt.Errorf("plan %d is already published: %w", planID, fault.ErrConflict)
	}
	p.Status = plan.StatusPublished
	if err := p.ValidateForPublish(); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE plans SET status = ?, updated_at = ? WHERE id = ?`, string(plan.StatusPublished), tx.now, planID); err != nil {
		return fmt.Errorf("store: publish plan %d: %w", planID, err)
	}
	return tx.Record(ctx, "plan.publish", "plan", planID, map[string]any{"status": plan.StatusDraft}, map[string]any{"status": plan.StatusPublished})
}
