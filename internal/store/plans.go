package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/duban-org/duban/internal/plan"
)

// PlanSummary is a plan without its tree, for lists.
type PlanSummary struct {
	ID           int64       `json:"id"`
	Jurisdiction string      `json:"jurisdiction"`
	Year         int         `json:"year"`
	Title        string      `json:"title"`
	Status       plan.Status `json:"status"`
	SourceName   string      `json:"source_name"`
	SourceSHA256 string      `json:"source_sha256"`
	Tasks        int         `json:"tasks"`
	Indicators   int         `json:"indicators"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// CreatePlan stores a plan and its whole tree (sections, tasks with their
// milestones, indicators and cooperating units, main indicators, flags).
// Section and task references inside p use positions: Task.SectionID and
// Section.ParentID hold the 1-based index into p.Sections, which CreatePlan
// turns into database ids. It returns the stored plan as read back.
func (tx *Tx) CreatePlan(ctx context.Context, p *plan.Plan, sourceDoc []byte) (*plan.Plan, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	id, err := tx.insert(ctx, `INSERT INTO plans (jurisdiction, year, title, status, source_name, source_sha256, source_doc, source_text, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Jurisdiction, p.Year, p.Title, string(p.Status), p.SourceName, p.SourceSHA256, sourceDoc, p.SourceText, tx.now, tx.now)
	if err != nil {
		return nil, fmt.Errorf("store: create plan %q: %w", p.Title, conflict(err))
	}
	sectionIDs := make([]int64, len(p.Sections))
	for i, s := range p.Sections {
		var parent any
		if s.ParentID > 0 && int(s.ParentID) <= i {
			parent = sectionIDs[s.ParentID-1]
		}
		sid, err := tx.insert(ctx, `INSERT INTO sections (plan_id, parent_id, position, title, part) VALUES (?, ?, ?, ?, ?)`,
			id, parent, i+1, s.Title, string(s.Part))
		if err != nil {
			return nil, fmt.Errorf("store: create section %q: %w", s.Title, err)
		}
		sectionIDs[i] = sid
	}
	for i, t := range p.Tasks {
		var section any
		if t.SectionID > 0 && int(t.SectionID) <= len(sectionIDs) {
			section = sectionIDs[t.SectionID-1]
		}
		t.Position = i + 1
		if _, err := tx.insertTask(ctx, id, section, t); err != nil {
			return nil, err
		}
	}
	for i, in := range p.Indicators {
		if err := tx.insertIndicator(ctx, id, nil, i+1, in); err != nil {
			return nil, err
		}
	}
	for _, f := range p.Flags {
		if _, err := tx.exec(ctx, `INSERT INTO plan_flags (plan_id, kind, message, body, start_at, end_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, f.Kind, f.Message, f.Text, f.Start, f.End); err != nil {
			return nil, fmt.Errorf("store: create flag: %w", err)
		}
	}
	stored, err := tx.Plan(ctx, id)
	if err != nil {
		return nil, err
	}
	summary := map[string]any{"title": p.Title, "year": p.Year, "jurisdiction": p.Jurisdiction, "source_name": p.SourceName,
		"source_sha256": p.SourceSHA256, "sections": len(p.Sections), "tasks": len(p.Tasks), "status": p.Status}
	return stored, tx.Record(ctx, "plan.create", "plan", id, nil, summary)
}

func (tx *Tx) insertTask(ctx context.Context, planID int64, section any, t plan.Task) (int64, error) {
	suggested, _ := json.Marshal(nonNil(t.Suggested))
	var deadline any
	if t.Deadline != nil {
		deadline = dateOnly(*t.Deadline)
	}
	tid, err := tx.insert(ctx, `INSERT INTO tasks (plan_id, section_id, position, code, title, body, source_start, source_end, lead_unit_id, leader, deadline, suggested)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		planID, section, t.Position, t.Code, t.Title, t.Text, t.SourceStart, t.SourceEnd, nullID(t.LeadUnitID), t.Leader, deadline, string(suggested))
	if err != nil {
		return 0, fmt.Errorf("store: create task %q: %w", t.Title, err)
	}
	for _, u := range t.CoUnitIDs {
		if _, err := tx.exec(ctx, `INSERT INTO task_co_units (task_id, unit_id) VALUES (?, ?)`, tid, u); err != nil {
			return 0, fmt.Errorf("store: task %d cooperating unit %d: %w", tid, u, err)
		}
	}
	for _, m := range t.Milestones {
		if _, err := tx.exec(ctx, `INSERT INTO milestones (task_id, title, due, done_at) VALUES (?, ?, ?, ?)`,
			tid, m.Title, dateOnly(m.Due), m.DoneAt); err != nil {
			return 0, fmt.Errorf("store: task %d milestone %q: %w", tid, m.Title, err)
		}
	}
	for i, in := range t.Indicators {
		if err := tx.insertIndicator(ctx, planID, tid, i+1, in); err != nil {
			return 0, err
		}
	}
	return tid, nil
}

func (tx *Tx) insertIndicator(ctx context.Context, planID int64, taskID any, pos int, in plan.Indicator) error {
	_, err := tx.exec(ctx, `INSERT INTO indicators (plan_id, task_id, position, name, unit, target, comparator, kind, baseline, annual_only, responsible_unit_id, source_text, source_start, source_end)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		planID, taskID, pos, in.Name, in.Unit, in.Target, string(in.Comparator), string(in.Kind), in.Baseline, in.AnnualOnly,
		nullID(in.ResponsibleUnitID), in.SourceText, in.SourceStart, in.SourceEnd)
	if err != nil {
		return fmt.Errorf("store: create indicator %q: %w", in.Name, err)
	}
	return nil
}

// dateOnly keeps the calendar day of t, at midnight UTC, which both engines
// store as a DATE without shifting it.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

const planSummaryColumns = `p.id, p.jurisdiction, p.year, p.title, p.status, p.source_name, p.source_sha256, p.created_at, p.updated_at,
	(SELECT COUNT(*) FROM tasks t WHERE t.plan_id = p.id),
	(SELECT COUNT(*) FROM indicators i WHERE i.plan_id = p.id)`

func scanPlanSummary(sc interface{ Scan(...any) error }) (PlanSummary, error) {
	var p PlanSummary
	err := sc.Scan(&p.ID, &p.Jurisdiction, &p.Year, &p.Title, &p.Status, &p.SourceName, &p.SourceSHA256, &p.CreatedAt, &p.UpdatedAt, &p.Tasks, &p.Indicators)
	return p, err
}

// PlanFilter narrows Plans. Zero fields do not filter.
type PlanFilter struct {
	Jurisdiction string
	Status       plan.Status
}

// Plans lists plans, newest year first.
func (r reader) Plans(ctx context.Context, f PlanFilter) ([]PlanSummary, error) {
	q := `SELECT ` + planSummaryColumns + ` FROM plans p WHERE 1 = 1`
	var args []any
	if f.Jurisdiction != "" {
		q += ` AND p.jurisdiction = ?`
		args = append(args, f.Jurisdiction)
	}
	if f.Status != "" {
		q += ` AND p.status = ?`
		args = append(args, string(f.Status))
	}
	q += ` ORDER BY p.year DESC, p.id DESC`
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: plans %+v: %w", f, err)
	}
	defer rows.Close()
	out := []PlanSummary{}
	for rows.Next() {
		p, err := scanPlanSummary(rows)
		if err != nil {
			return nil, fmt.Errorf("store: plans: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PlanBySource finds the plan made from a document with this SHA-256 in a
// jurisdiction, so the same document is not imported twice.
func (r reader) PlanBySource(ctx context.Context, jurisdiction, sha256 string) (PlanSummary, error) {
	p, err := scanPlanSummary(r.queryRow(ctx, `SELECT `+planSummaryColumns+` FROM plans p WHERE p.jurisdiction = ? AND p.source_sha256 = ?`, jurisdiction, sha256))
	if err != nil {
		return p, notFound(err, "plan with source", sha256)
	}
	return p, nil
}

// PlanSource returns the original document a plan was made from.
func (r reader) PlanSource(ctx context.Context, id int64) (name string, doc []byte, err error) {
	err = r.queryRow(ctx, `SELECT source_name, source_doc FROM plans WHERE id = ?`, id).Scan(&name, &doc)
	if err != nil {
		return "", nil, notFound(err, "plan", id)
	}
	return name, doc, nil
}

// Plan returns a plan with its whole tree.
func (r reader) Plan(ctx context.Context, id int64) (*plan.Plan, error) {
	p := &plan.Plan{}
	err := r.queryRow(ctx, `SELECT id, jurisdiction, year, title, status, source_name, source_sha256, source_text, created_at, updated_at FROM plans WHERE id = ?`, id).
		Scan(&p.ID, &p.Jurisdiction, &p.Year, &p.Title, &p.Status, &p.SourceName, &p.SourceSHA256, &p.SourceText, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return nil, notFound(err, "plan", id)
	}
	if p.Sections, err = r.sections(ctx, id); err != nil {
		return nil, err
	}
	if p.Tasks, err = r.tasks(ctx, id); err != nil {
		return nil, err
	}
	indicators, err := r.indicators(ctx, id)
	if err != nil {
		return nil, err
	}
	byTask := map[int64]int{}
	for i, t := range p.Tasks {
		byTask[t.ID] = i
	}
	p.Indicators = []plan.Indicator{}
	for _, in := range indicators {
		if i, ok := byTask[in.TaskID]; ok && in.TaskID != 0 {
			p.Tasks[i].Indicators = append(p.Tasks[i].Indicators, in)
		} else {
			p.Indicators = append(p.Indicators, in)
		}
	}
	if err := r.taskDetails(ctx, id, p.Tasks, byTask); err != nil {
		return nil, err
	}
	if p.Flags, err = r.flags(ctx, id); err != nil {
		return nil, err
	}
	return p, nil
}

func (r reader) sections(ctx context.Context, planID int64) ([]plan.Section, error) {
	rows, err := r.query(ctx, `SELECT id, parent_id, position, title, part FROM sections WHERE plan_id = ? ORDER BY position`, planID)
	if err != nil {
		return nil, fmt.Errorf("store: sections of plan %d: %w", planID, err)
	}
	defer rows.Close()
	out := []plan.Section{}
	for rows.Next() {
		var s plan.Section
		var parent sql.NullInt64
		if err := rows.Scan(&s.ID, &parent, &s.Position, &s.Title, &s.Part); err != nil {
			return nil, fmt.Errorf("store: sections of plan %d: %w", planID, err)
		}
		s.ParentID = parent.Int64
		out = append(out, s)
	}
	return out, rows.Err()
}

func (r reader) tasks(ctx context.Context, planID int64) ([]plan.Task, error) {
	rows, err := r.query(ctx, `SELECT id, section_id, position, code, title, body, source_start, source_end, lead_unit_id, leader, deadline, suggested
		FROM tasks WHERE plan_id = ? ORDER BY position`, planID)
	if err != nil {
		return nil, fmt.Errorf("store: tasks of plan %d: %w", planID, err)
	}
	defer rows.Close()
	out := []plan.Task{}
	for rows.Next() {
		var t plan.Task
		var section, lead sql.NullInt64
		var deadline sql.NullTime
		var suggested string
		if err := rows.Scan(&t.ID, &section, &t.Position, &t.Code, &t.Title, &t.Text, &t.SourceStart, &t.SourceEnd, &lead, &t.Leader, &deadline, &suggested); err != nil {
			return nil, fmt.Errorf("store: tasks of plan %d: %w", planID, err)
		}
		t.SectionID, t.LeadUnitID = section.Int64, lead.Int64
		if deadline.Valid {
			d := dateOnly(deadline.Time)
			t.Deadline = &d
		}
		if err := json.Unmarshal([]byte(suggested), &t.Suggested); err != nil {
			return nil, fmt.Errorf("store: task %d suggestions: %w", t.ID, err)
		}
		t.CoUnitIDs, t.Milestones, t.Indicators = []int64{}, []plan.Milestone{}, []plan.Indicator{}
		out = append(out, t)
	}
	return out, rows.Err()
}

// taskDetails fills cooperating units and milestones, one query each for
// the whole plan rather than one per task.
func (r reader) taskDetails(ctx context.Context, planID int64, tasks []plan.Task, byTask map[int64]int) error {
	rows, err := r.query(ctx, `SELECT c.task_id, c.unit_id FROM task_co_units c JOIN tasks t ON t.id = c.task_id WHERE t.plan_id = ? ORDER BY c.task_id, c.unit_id`, planID)
	if err != nil {
		return fmt.Errorf("store: cooperating units of plan %d: %w", planID, err)
	}
	for rows.Next() {
		var tid, uid int64
		if err := rows.Scan(&tid, &uid); err != nil {
			rows.Close()
			return fmt.Errorf("store: cooperating units of plan %d: %w", planID, err)
		}
		if i, ok := byTask[tid]; ok {
			tasks[i].CoUnitIDs = append(tasks[i].CoUnitIDs, uid)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = r.query(ctx, `SELECT m.id, m.task_id, m.title, m.due, m.done_at FROM milestones m JOIN tasks t ON t.id = m.task_id WHERE t.plan_id = ? ORDER BY m.due, m.id`, planID)
	if err != nil {
		return fmt.Errorf("store: milestones of plan %d: %w", planID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m plan.Milestone
		var tid int64
		var done sql.NullTime
		if err := rows.Scan(&m.ID, &tid, &m.Title, &m.Due, &done); err != nil {
			return fmt.Errorf("store: milestones of plan %d: %w", planID, err)
		}
		m.Due = dateOnly(m.Due)
		if done.Valid {
			d := done.Time.UTC()
			m.DoneAt = &d
		}
		if i, ok := byTask[tid]; ok {
			tasks[i].Milestones = append(tasks[i].Milestones, m)
		}
	}
	return rows.Err()
}

func (r reader) indicators(ctx context.Context, planID int64) ([]plan.Indicator, error) {
	rows, err := r.query(ctx, `SELECT id, task_id, name, unit, target, comparator, kind, baseline, annual_only, responsible_unit_id, source_text, source_start, source_end
		FROM indicators WHERE plan_id = ? ORDER BY task_id, position`, planID)
	if err != nil {
		return nil, fmt.Errorf("store: indicators of plan %d: %w", planID, err)
	}
	defer rows.Close()
	var out []plan.Indicator
	for rows.Next() {
		var in plan.Indicator
		var task, unit sql.NullInt64
		var baseline sql.NullFloat64
		if err := rows.Scan(&in.ID, &task, &in.Name, &in.Unit, &in.Target, &in.Comparator, &in.Kind, &baseline, &in.AnnualOnly, &unit, &in.SourceText, &in.SourceStart, &in.SourceEnd); err != nil {
			return nil, fmt.Errorf("store: indicators of plan %d: %w", planID, err)
		}
		in.TaskID, in.ResponsibleUnitID = task.Int64, unit.Int64
		if baseline.Valid {
			b := baseline.Float64
			in.Baseline = &b
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

func (r reader) flags(ctx context.Context, planID int64) ([]plan.Flag, error) {
	rows, err := r.query(ctx, `SELECT id, kind, message, body, start_at, end_at FROM plan_flags WHERE plan_id = ? ORDER BY start_at, id`, planID)
	if err != nil {
		return nil, fmt.Errorf("store: flags of plan %d: %w", planID, err)
	}
	defer rows.Close()
	out := []plan.Flag{}
	for rows.Next() {
		var f plan.Flag
		if err := rows.Scan(&f.ID, &f.Kind, &f.Message, &f.Text, &f.Start, &f.End); err != nil {
			return nil, fmt.Errorf("store: flags of plan %d: %w", planID, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
