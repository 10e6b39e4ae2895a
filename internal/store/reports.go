package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
)

// ReportFilter narrows Reports. Zero fields do not filter.
type ReportFilter struct {
	PlanID int64
	TaskID int64
	// Main keeps only reports on the plan's main indicators (no task).
	Main   bool
	UnitID int64
	Period string
	State  delivery.ReportState
}

// HistoryEntry is one state change of a report.
type HistoryEntry struct {
	ID          int64                `json:"id"`
	ReportID    int64                `json:"report_id"`
	From        delivery.ReportState `json:"from,omitempty"`
	To          delivery.ReportState `json:"to"`
	At          time.Time            `json:"at"`
	ActorID     int64                `json:"actor_id,omitempty"`
	ActorName   string               `json:"actor_name"`
	Comment     string               `json:"comment,omitempty"`
	ReturnCause string               `json:"return_cause,omitempty"`
	Late        bool                 `json:"late,omitempty"`
}

const reportColumns = `id, plan_id, task_id, unit_id, period, narrative, assessment, state, comment, return_cause, late, submitted_at, reviewed_at, updated_at`

func scanReport(sc interface{ Scan(...any) error }) (delivery.Report, error) {
	var r delivery.Report
	var sub, rev sql.NullTime
	var task sql.NullInt64
	err := sc.Scan(&r.ID, &r.PlanID, &task, &r.UnitID, &r.Period, &r.Narrative, &r.Assessment, &r.State, &r.Comment, &r.ReturnCause, &r.Late, &sub, &rev, &r.UpdatedAt)
	if sub.Valid {
		t := sub.Time.UTC()
		r.SubmittedAt = &t
	}
	if rev.Valid {
		t := rev.Time.UTC()
		r.ReviewedAt = &t
	}
	r.TaskID = task.Int64
	r.UpdatedAt = r.UpdatedAt.UTC()
	r.Actuals, r.Attachments = []delivery.Actual{}, []delivery.Attachment{}
	return r, err
}

// Report returns one report with its figures and attachments.
func (r reader) Report(ctx context.Context, id int64) (delivery.Report, error) {
	rep, err := scanReport(r.queryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = ?`, id))
	if err != nil {
		return rep, notFound(err, "report", id)
	}
	list := []delivery.Report{rep}
	if err := r.reportDetails(ctx, `r.id = ?`, []any{id}, list); err != nil {
		return rep, err
	}
	return list[0], nil
}

// ReportPlan returns the plan id of a report's task, with its jurisdiction.
func (r reader) ReportPlan(ctx context.Context, id int64) (planID int64, jurisdiction string, err error) {
	err = r.queryRow(ctx, `SELECT p.id, p.jurisdiction FROM reports r JOIN plans p ON p.id = r.plan_id WHERE r.id = ?`, id).Scan(&planID, &jurisdiction)
	if err != nil {
		return 0, "", notFound(err, "report", id)
	}
	return planID, jurisdiction, nil
}

// Reports lists reports by task, period and unit, with figures and
// attachments, reading each kind of detail in one query for the whole list.
func (r reader) Reports(ctx context.Context, f ReportFilter) ([]delivery.Report, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.PlanID != 0 {
		where, args = append(where, "r.plan_id = ?"), append(args, f.PlanID)
	}
	if f.TaskID != 0 {
		where, args = append(where, "r.task_id = ?"), append(args, f.TaskID)
	}
	if f.Main {
		where = append(where, "r.task_id IS NULL")
	}
	if f.UnitID != 0 {
		where, args = append(where, "r.unit_id = ?"), append(args, f.UnitID)
	}
	if f.Period != "" {
		where, args = append(where, "r.period = ?"), append(args, f.Period)
	}
	if f.State != "" {
		where, args = append(where, "r.state = ?"), append(args, string(f.State))
	}
	cond := strings.Join(where, " AND ")
	rows, err := r.query(ctx, `SELECT `+prefixed("r.", reportColumns)+` FROM reports r WHERE `+cond+` ORDER BY r.task_id, r.period, r.unit_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: reports %+v: %w", f, err)
	}
	out := []delivery.Report{}
	for rows.Next() {
		rep, err := scanReport(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: reports %+v: %w", f, err)
		}
		out = append(out, rep)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	return out, r.reportDetails(ctx, cond, args, out)
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// reportDetails fills figures and attachments of list, whose reports match
// cond (over reports r).
func (r reader) reportDetails(ctx context.Context, cond string, args []any, list []delivery.Report) error {
	idx := make(map[int64]int, len(list))
	for i, rep := range list {
		idx[rep.ID] = i
	}
	rows, err := r.query(ctx, `SELECT a.report_id, a.indicator_id, a.value, a.increment FROM report_actuals a JOIN reports r ON r.id = a.report_id WHERE `+cond+` ORDER BY a.report_id, a.indicator_id`, args...)
	if err != nil {
		return fmt.Errorf("store: report figures: %w", err)
	}
	for rows.Next() {
		var id int64
		var a delivery.Actual
		if err := rows.Scan(&id, &a.IndicatorID, &a.Value, &a.Increment); err != nil {
			rows.Close()
			return fmt.Errorf("store: report figures: %w", err)
		}
		if i, ok := idx[id]; ok {
			list[i].Actuals = append(list[i].Actuals, a)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = r.query(ctx, `SELECT a.report_id, a.sha256, a.name, a.content_type, a.size FROM report_attachments a JOIN reports r ON r.id = a.report_id WHERE `+cond+` ORDER BY a.report_id, a.id`, args...)
	if err != nil {
		return fmt.Errorf("store: report attachments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a delivery.Attachment
		if err := rows.Scan(&id, &a.SHA256, &a.Name, &a.ContentType, &a.Size); err != nil {
			return fmt.Errorf("store: report attachments: %w", err)
		}
		if i, ok := idx[id]; ok {
			list[i].Attachments = append(list[i].Attachments, a)
		}
	}
	return rows.Err()
}

// ReportHistory lists a report's state changes, oldest first.
func (r reader) ReportHistory(ctx context.Context, reportID int64) ([]HistoryEntry, error) {
	rows, err := r.query(ctx, `SELECT id, report_id, from_state, to_state, at, actor_id, actor_name, comment, return_cause, late
		FROM report_history WHERE report_id = ? ORDER BY id`, reportID)
	if err != nil {
		return nil, fmt.Errorf("store: history of report %d: %w", reportID, err)
	}
	defer rows.Close()
	out := []HistoryEntry{}
	for rows.Next() {
		var h HistoryEntry
		if err := rows.Scan(&h.ID, &h.ReportID, &h.From, &h.To, &h.At, &h.ActorID, &h.ActorName, &h.Comment, &h.ReturnCause, &h.Late); err != nil {
			return nil, fmt.Errorf("store: history of report %d: %w", reportID, err)
		}
		h.At = h.At.UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}

// SaveDraft creates a unit's report on a task for a cycle, or updates it
// while it is a draft or has been returned. The period must name a cycle of
// the plan's calendar, and every figure an indicator of the task. A report
// with no task is on the plan's main indicators (rep.PlanID): the unit must
// be responsible for one of them, and every figure must be one it is
// responsible for. A new report starts as a draft and its creation is the
// first history entry.
func (tx *Tx) SaveDraft(ctx context.Context, rep delivery.Report) (delivery.Report, error) {
	if rep.State == "" {
		rep.State = delivery.StateDraft
	}
	if err := rep.Validate(); err != nil {
		return rep, err
	}
	planID := rep.PlanID
	if !rep.OnMainIndicators() {
		var err error
		if planID, _, err = tx.TaskPlan(ctx, rep.TaskID); err != nil {
			return rep, err
		}
	}
	settings, err := tx.PlanSettings(ctx, planID)
	if err != nil {
		return rep, err
	}
	var v fault.Validation
	if _, err := settings.Calendar.Cycle(rep.Period); err != nil {
		v.Add("period", "report.period", err.Error())
	}
	var inds map[int64]bool
	var existing delivery.Report
	if rep.OnMainIndicators() {
		if inds, err = tx.mainIndicatorIDs(ctx, planID, rep.UnitID); err != nil {
			return rep, err
		}
		if len(inds) == 0 {
			v.Add("unit_id", "report.not_responsible", fmt.Sprintf("unit %d is responsible for none of the main indicators of plan %d", rep.UnitID, planID))
		}
		for i, a := range rep.Actuals {
			if !inds[a.IndicatorID] {
				v.Add(fmt.Sprintf("actuals[%d].indicator_id", i), "report.indicator", fmt.Sprintf("indicator %d is not a main indicator of plan %d in the charge of unit %d", a.IndicatorID, planID, rep.UnitID))
			}
		}
	} else {
		if inds, err = tx.taskIndicatorIDs(ctx, rep.TaskID); err != nil {
			return rep, err
		}
		for i, a := range rep.Actuals {
			if !inds[a.IndicatorID] {
				v.Add(fmt.Sprintf("actuals[%d].indicator_id", i), "report.indicator", fmt.Sprintf("indicator %d is not an indicator of task %d", a.IndicatorID, rep.TaskID))
			}
		}
	}
	if err := v.Err(); err != nil {
		return rep, err
	}
	on := fmt.Sprintf("task %d", rep.TaskID)
	if rep.OnMainIndicators() {
		on = fmt.Sprintf("the main indicators of plan %d", planID)
		existing, err = scanReport(tx.queryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE plan_id = ? AND task_id IS NULL AND unit_id = ? AND period = ?`, planID, rep.UnitID, rep.Period))
	} else {
		existing, err = scanReport(tx.queryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE task_id = ? AND unit_id = ? AND period = ?`, rep.TaskID, rep.UnitID, rep.Period))
	}
	switch {
	case err == nil:
		if existing.State != delivery.StateDraft && existing.State != delivery.StateReturned {
			return rep, fmt.Errorf("the %s report of unit %d on %s is %s and can no longer be edited: %w", rep.Period, rep.UnitID, on, existing.State, fault.ErrConflict)
		}
		if _, err := tx.exec(ctx, `UPDATE reports SET narrative = ?, assessment = ?, updated_at = ? WHERE id = ?`,
			rep.Narrative, string(rep.Assessment), tx.now, existing.ID); err != nil {
			return rep, fmt.Errorf("store: update report %d: %w", existing.ID, err)
		}
		rep.ID = existing.ID
	case isNoRows(err):
		id, err := tx.insert(ctx, `INSERT INTO reports (plan_id, task_id, unit_id, period, narrative, assessment, state, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, planID, nullID(rep.TaskID), rep.UnitID, rep.Period, rep.Narrative, string(rep.Assessment), string(delivery.StateDraft), tx.now, tx.now)
		if err != nil {
			return rep, fmt.Errorf("store: create report: %w", conflict(err))
		}
		rep.ID = id
		if err := tx.history(ctx, id, "", delivery.StateDraft, "", "", false); err != nil {
			return rep, err
		}
	default:
		return rep, fmt.Errorf("store: report lookup: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM report_actuals WHERE report_id = ?`, rep.ID); err != nil {
		return rep, fmt.Errorf("store: report %d figures: %w", rep.ID, err)
	}
	for _, a := range rep.Actuals {
		if _, err := tx.exec(ctx, `INSERT INTO report_actuals (report_id, indicator_id, value, increment) VALUES (?, ?, ?, ?)`,
			rep.ID, a.IndicatorID, a.Value, a.Increment); err != nil {
			return rep, fmt.Errorf("store: report %d figure %d: %w", rep.ID, a.IndicatorID, err)
		}
	}
	saved, err := tx.Report(ctx, rep.ID)
	if err != nil {
		return rep, err
	}
	var before any
	if existing.ID != 0 {
		before = existing
	}
	return saved, tx.Record(ctx, "report.save", "report", rep.ID, before, saved)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// mainIndicatorIDs lists the main indicators (no task) of a plan that unit
// is responsible for.
func (r reader) mainIndicatorIDs(ctx context.Context, planID, unit int64) (map[int64]bool, error) {
	rows, err := r.query(ctx, `SELECT id FROM indicators WHERE plan_id = ? AND task_id IS NULL AND responsible_unit_id = ?`, planID, unit)
	if err != nil {
		return nil, fmt.Errorf("store: main indicators of plan %d for unit %d: %w", planID, unit, err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

func (r reader) taskIndicatorIDs(ctx context.Context, taskID int64) (map[int64]bool, error) {
	rows, err := r.query(ctx, `SELECT id FROM indicators WHERE task_id = ?`, taskID)
	if err != nil {
		return nil, fmt.Errorf("store: indicators of task %d: %w", taskID, err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// Transition is one review step asked of MoveReport.
type Transition struct {
	To      delivery.ReportState
	Comment string // required when returning
	Cause   string // when returning: "quality", "false" or "" (other)
}

// Return causes that count against a unit's score.
const (
	CauseQuality = "quality" // poor content
	CauseFalse   = "false"   // false content
)

// MoveReport takes a report to another state under delivery.Move, records
// the step in the report's history and the audit log, and returns the
// report as it now stands. A submission after the cycle's due day (in the
// jurisdiction's days) is marked late, and stays late once accepted.
func (tx *Tx) MoveReport(ctx context.Context, id int64, step Transition) (delivery.Report, error) {
	rep, err := tx.Report(ctx, id)
	if err != nil {
		return rep, err
	}
	before := rep
	if err := delivery.Move(rep.State, step.To); err != nil {
		return rep, err
	}
	var v fault.Validation
	switch step.Cause {
	case "", CauseQuality, CauseFalse:
	default:
		v.Add("cause", "report.return_cause", "the cause is quality, false or empty")
	}
	if step.To == delivery.StateReturned && strings.TrimSpace(step.Comment) == "" {
		v.Add("comment", "report.return_comment", "a returned report says what to fix")
	}
	if step.To != delivery.StateReturned && step.Cause != "" {
		v.Add("cause", "report.return_cause", "only a return has a cause")
	}
	if err := v.Err(); err != nil {
		return rep, err
	}
	now := tx.now
	switch step.To {
	case delivery.StateSubmitted:
		settings, err := tx.PlanSettings(ctx, rep.PlanID)
		if err != nil {
			return rep, err
		}
		c, err := settings.Calendar.Cycle(rep.Period)
		if err != nil {
			return rep, err
		}
		// A resubmission after a return keeps the time and the lateness of
		// the first submission: the unit was late or not when it first
		// reported (delivery.Deliveries reads it so).
		late := rep.Late
		if rep.SubmittedAt == nil {
			late = delivery.DayIn(now, settings.Status.Location) > c.Due
		}
		if _, err := tx.exec(ctx, `UPDATE reports SET state = ?, late = ?, submitted_at = COALESCE(submitted_at, ?), updated_at = ? WHERE id = ?`,
			string(step.To), late, now, now, id); err != nil {
			return rep, fmt.Errorf("store: submit report %d: %w", id, err)
		}
		rep.Late = late
	case delivery.StateSignedOff:
		if _, err := tx.exec(ctx, `UPDATE reports SET state = ?, updated_at = ? WHERE id = ?`, string(step.To), now, id); err != nil {
			return rep, fmt.Errorf("store: sign off report %d: %w", id, err)
		}
	case delivery.StateAccepted, delivery.StateReturned:
		// A cause once given stays on the report after it is resubmitted and
		// accepted: the return for poor or false content still happened and
		// the score counts it (delivery.Assess reads ReturnCause).
		if _, err := tx.exec(ctx, `UPDATE reports SET state = ?, comment = ?, return_cause = COALESCE(NULLIF(?, ''), return_cause), reviewed_at = ?, updated_at = ? WHERE id = ?`,
			string(step.To), strings.TrimSpace(step.Comment), step.Cause, now, now, id); err != nil {
			return rep, fmt.Errorf("store: review report %d: %w", id, err)
		}
	}
	if err := tx.history(ctx, id, rep.State, step.To, step.Comment, step.Cause, rep.Late); err != nil {
		return rep, err
	}
	after, err := tx.Report(ctx, id)
	if err != nil {
		return after, err
	}
	return after, tx.Record(ctx, "report."+string(step.To), "report", id, map[string]any{"state": before.State}, map[string]any{"state": after.State, "late": after.Late, "comment": after.Comment, "return_cause": after.ReturnCause})
}

func (tx *Tx) history(ctx context.Context, reportID int64, from, to delivery.ReportState, comment, cause string, late bool) error {
	if _, err := tx.exec(ctx, `INSERT INTO report_history (report_id, from_state, to_state, at, actor_id, actor_name, comment, return_cause, late)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, reportID, string(from), string(to), tx.now, tx.actor.UserID, tx.actor.Name, strings.TrimSpace(comment), cause, late); err != nil {
		return fmt.Errorf("store: history of report %d: %w", reportID, err)
	}
	return nil
}

// AddAttachment records a stored file as attached to a report that is still
// being written (draft or returned). Attaching the same file twice is a
// no-op.
func (tx *Tx) AddAttachment(ctx context.Context, reportID int64, a delivery.Attachment) error {
	rep, err := tx.Report(ctx, reportID)
	if err != nil {
		return err
	}
	if rep.State != delivery.StateDraft && rep.State != delivery.StateReturned {
		return fmt.Errorf("report %d is %s: attach files while it is a draft or returned: %w", reportID, rep.State, fault.ErrConflict)
	}
	for _, x := range rep.Attachments {
		if x.SHA256 == a.SHA256 {
			return nil
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO report_attachments (report_id, sha256, name, content_type, size, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		reportID, a.SHA256, a.Name, a.ContentType, a.Size, tx.now); err != nil {
		return fmt.Errorf("store: attach to report %d: %w", reportID, conflict(err))
	}
	return tx.Record(ctx, "report.attach", "report", reportID, nil, a)
}

// Attachment finds an attachment of a report by its hash.
func (r reader) Attachment(ctx context.Context, reportID int64, sha string) (delivery.Attachment, error) {
	var a delivery.Attachment
	err := r.queryRow(ctx, `SELECT sha256, name, content_type, size FROM report_attachments WHERE report_id = ? AND sha256 = ?`, reportID, sha).
		Scan(&a.SHA256, &a.Name, &a.ContentType, &a.Size)
	if err != nil {
		return a, notFound(err, "attachment", sha)
	}
	return a, nil
}
