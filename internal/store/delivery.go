package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
)

// PlanSettings are a plan's delivery settings: its reporting calendar, its
// status rules, and — kept as JSON the store does not interpret — its
// scoring and reminder rules, whose types belong to package delivery and
// which their readers decode. A plan without a row has the defaults.
type PlanSettings struct {
	PlanID    int64             `json:"plan_id"`
	Calendar  delivery.Calendar `json:"calendar"`
	Status    delivery.Rules    `json:"status"`
	Scoring   json.RawMessage   `json:"scoring,omitempty"`
	Reminders json.RawMessage   `json:"reminders,omitempty"`
	Channels  Channels          `json:"channels"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Channels say where a plan's notices go besides the in-app inbox.
type Channels struct {
	// Email maps a unit id to the addresses that receive its notices.
	Email map[int64][]string `json:"email,omitempty"`
	// LeaderEmail receives escalations to responsible leaders.
	LeaderEmail []string `json:"leader_email,omitempty"`
	// Webhooks receive every notice of the plan (a WeCom or DingTalk group
	// robot, or any service that takes a JSON POST).
	Webhooks []Webhook `json:"webhooks,omitempty"`
}

// Webhook is one outbound HTTP endpoint and the body format it expects.
type Webhook struct {
	URL    string `json:"url"`
	Format string `json:"format"` // generic | wecom | dingtalk
}

// Validate checks addresses and URLs.
func (c Channels) Validate() error {
	var v fault.Validation
	for unit, list := range c.Email {
		for i, a := range list {
			if _, err := mail.ParseAddress(a); err != nil || strings.ContainsAny(a, "\r\n") {
				v.Add(fmt.Sprintf("email[%d][%d]", unit, i), "channels.email", fmt.Sprintf("%q is not an e-mail address", a))
			}
		}
	}
	for i, a := range c.LeaderEmail {
		if _, err := mail.ParseAddress(a); err != nil || strings.ContainsAny(a, "\r\n") {
			v.Add(fmt.Sprintf("leader_email[%d]", i), "channels.email", fmt.Sprintf("%q is not an e-mail address", a))
		}
	}
	for i, w := range c.Webhooks {
		u, err := url.Parse(w.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.Add(fmt.Sprintf("webhooks[%d].url", i), "channels.webhook_url", "a webhook is an http or https URL")
		}
		switch w.Format {
		case "", "generic", "wecom", "dingtalk":
		default:
			v.Add(fmt.Sprintf("webhooks[%d].format", i), "channels.webhook_format", "the format is generic, wecom or dingtalk")
		}
	}
	return v.Err()
}

// DefaultPlanSettings are the settings of a plan nobody configured: a
// monthly calendar due on the 5th and the default status rules.
func DefaultPlanSettings(planID int64) PlanSettings {
	return PlanSettings{PlanID: planID, Status: delivery.DefaultRules()}
}

// PlanSettings returns a plan's delivery settings, the defaults when none
// were saved.
func (r reader) PlanSettings(ctx context.Context, planID int64) (PlanSettings, error) {
	s := DefaultPlanSettings(planID)
	var cal, status, scoring, reminders, channels string
	var updated time.Time
	err := r.queryRow(ctx, `SELECT calendar, status, scoring, reminders, channels, updated_at FROM plan_settings WHERE plan_id = ?`, planID).
		Scan(&cal, &status, &scoring, &reminders, &channels, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("store: settings of plan %d: %w", planID, err)
	}
	s.UpdatedAt = updated.UTC()
	for _, f := range []struct {
		src string
		dst any
	}{{cal, &s.Calendar}, {status, &s.Status}, {channels, &s.Channels}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return s, fmt.Errorf("store: settings of plan %d: %w", planID, err)
		}
	}
	if scoring != "{}" && scoring != "" {
		s.Scoring = json.RawMessage(scoring)
	}
	if reminders != "{}" && reminders != "" {
		s.Reminders = json.RawMessage(reminders)
	}
	return s, nil
}

// SetPlanSettings saves a plan's delivery settings after checking the
// calendar, the status rules and the channels; the caller checks the
// scoring and reminder rules, which it decoded.
func (tx *Tx) SetPlanSettings(ctx context.Context, s PlanSettings) (PlanSettings, error) {
	if _, err := tx.Plan(ctx, s.PlanID); err != nil {
		return s, err
	}
	var v fault.Validation
	for _, check := range []struct {
		field string
		err   error
	}{{"calendar", s.Calendar.Validate()}, {"status", s.Status.Validate()}, {"channels", s.Channels.Validate()}} {
		var fv fault.Validation
		if errors.As(check.err, &fv) {
			for _, f := range fv {
				f.Field = check.field + "." + f.Field
				v = append(v, f)
			}
		} else if check.err != nil {
			v.Add(check.field, "invalid", check.err.Error())
		}
	}
	if err := v.Err(); err != nil {
		return s, err
	}
	before, err := tx.PlanSettings(ctx, s.PlanID)
	if err != nil {
		return s, err
	}
	enc := func(x any) string { b, _ := json.Marshal(x); return string(b) }
	raw := func(m json.RawMessage) string {
		if len(m) == 0 || string(m) == "null" {
			return "{}"
		}
		return string(m)
	}
	s.UpdatedAt = tx.now
	if _, err := tx.exec(ctx, `INSERT INTO plan_settings (plan_id, calendar, status, scoring, reminders, channels, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (plan_id) DO UPDATE SET calendar = excluded.calendar, status = excluded.status, scoring = excluded.scoring,
			reminders = excluded.reminders, channels = excluded.channels, updated_at = excluded.updated_at`,
		s.PlanID, enc(s.Calendar), enc(s.Status), raw(s.Scoring), raw(s.Reminders), enc(s.Channels), s.UpdatedAt); err != nil {
		return s, fmt.Errorf("store: settings of plan %d: %w", s.PlanID, err)
	}
	return s, tx.Record(ctx, "plan.settings", "plan", s.PlanID, before, s)
}

// Extensions lists a plan's extension requests (taskID 0: all tasks),
// oldest first.
func (r reader) Extensions(ctx context.Context, planID, taskID int64) ([]delivery.Extension, error) {
	q := `SELECT id, task_id, unit_id, original, proposed, reason, requested_on, state, granted, decided_on, note FROM extensions WHERE plan_id = ?`
	args := []any{planID}
	if taskID != 0 {
		q += ` AND task_id = ?`
		args = append(args, taskID)
	}
	rows, err := r.query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: extensions of plan %d: %w", planID, err)
	}
	defer rows.Close()
	out := []delivery.Extension{}
	for rows.Next() {
		e, err := scanExtension(rows)
		if err != nil {
			return nil, fmt.Errorf("store: extensions of plan %d: %w", planID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scanExtension(sc interface{ Scan(...any) error }) (delivery.Extension, error) {
	var e delivery.Extension
	var orig, prop, asked time.Time
	var granted, decided sql.NullTime
	if err := sc.Scan(&e.ID, &e.TaskID, &e.UnitID, &orig, &prop, &e.Reason, &asked, &e.State, &granted, &decided, &e.Note); err != nil {
		return e, err
	}
	e.Original, e.Proposed, e.RequestedOn = delivery.DateOf(orig.UTC()), delivery.DateOf(prop.UTC()), delivery.DateOf(asked.UTC())
	if granted.Valid {
		e.Granted = delivery.DateOf(granted.Time.UTC())
	}
	if decided.Valid {
		e.DecidedOn = delivery.DateOf(decided.Time.UTC())
	}
	return e, nil
}

// Extension returns one extension request.
func (r reader) Extension(ctx context.Context, id int64) (delivery.Extension, int64, error) {
	var planID int64
	row := r.queryRow(ctx, `SELECT plan_id FROM extensions WHERE id = ?`, id)
	if err := row.Scan(&planID); err != nil {
		return delivery.Extension{}, 0, notFound(err, "extension", id)
	}
	e, err := scanExtension(r.queryRow(ctx, `SELECT id, task_id, unit_id, original, proposed, reason, requested_on, state, granted, decided_on, note FROM extensions WHERE id = ?`, id))
	if err != nil {
		return e, 0, notFound(err, "extension", id)
	}
	return e, planID, nil
}

func nullDate(d delivery.Date) any {
	if d == 0 {
		return nil
	}
	return d.Time()
}

// RequestExtension stores a unit's request to move a task's deadline, made
// on day on, after delivery.RequestExtension has checked it against the
// task and its earlier requests.
func (tx *Tx) RequestExtension(ctx context.Context, taskID, unitID int64, proposed delivery.Date, reason string, on delivery.Date) (delivery.Extension, error) {
	planID, _, err := tx.TaskPlan(ctx, taskID)
	if err != nil {
		return delivery.Extension{}, err
	}
	p, err := tx.Plan(ctx, planID)
	if err != nil {
		return delivery.Extension{}, err
	}
	existing, err := tx.Extensions(ctx, planID, taskID)
	if err != nil {
		return delivery.Extension{}, err
	}
	for _, t := range p.Tasks {
		if t.ID != taskID {
			continue
		}
		e, err := delivery.RequestExtension(t, existing, unitID, proposed, reason, on)
		if err != nil {
			return e, err
		}
		e.ID, err = tx.insert(ctx, `INSERT INTO extensions (plan_id, task_id, unit_id, original, proposed, reason, requested_on, state, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, planID, taskID, unitID, e.Original.Time(), e.Proposed.Time(), e.Reason, e.RequestedOn.Time(), string(e.State), tx.now)
		if err != nil {
			return e, fmt.Errorf("store: extension of task %d: %w", taskID, err)
		}
		return e, tx.Record(ctx, "extension.request", "extension", e.ID, nil, e)
	}
	return delivery.Extension{}, fmt.Errorf("task %d: %w", taskID, fault.ErrNotFound)
}

// DecideExtension grants (newDate != 0) or refuses (newDate == 0) a request
// on day on, through delivery's Grant and Refuse.
func (tx *Tx) DecideExtension(ctx context.Context, id int64, grant bool, newDate delivery.Date, note string, on delivery.Date) (delivery.Extension, error) {
	e, _, err := tx.Extension(ctx, id)
	if err != nil {
		return e, err
	}
	before := e
	if grant {
		err = e.Grant(newDate, on, note)
	} else {
		err = e.Refuse(on, note)
	}
	if err != nil {
		return before, err
	}
	if _, err := tx.exec(ctx, `UPDATE extensions SET state = ?, granted = ?, decided_on = ?, note = ? WHERE id = ?`,
		string(e.State), nullDate(e.Granted), nullDate(e.DecidedOn), e.Note, id); err != nil {
		return e, fmt.Errorf("store: decide extension %d: %w", id, err)
	}
	return e, tx.Record(ctx, "extension."+string(e.State), "extension", id, before, e)
}

// DeliveryInputs reads everything the status rules need about a plan in a
// handful of queries: the plan, its reports, its extensions and settings.
func (r reader) DeliveryInputs(ctx context.Context, planID int64) (delivery.Inputs, PlanSettings, error) {
	p, err := r.Plan(ctx, planID)
	if err != nil {
		return delivery.Inputs{}, PlanSettings{}, err
	}
	settings, err := r.PlanSettings(ctx, planID)
	if err != nil {
		return delivery.Inputs{}, settings, err
	}
	reps, err := r.reportsForRules(ctx, planID)
	if err != nil {
		return delivery.Inputs{}, settings, err
	}
	exts, err := r.Extensions(ctx, planID, 0)
	if err != nil {
		return delivery.Inputs{}, settings, err
	}
	return delivery.Inputs{Plan: p, Reports: reps, Extensions: exts, Calendar: settings.Calendar}, settings, nil
}

// reportsForRules reads a plan's reports with what the rules use — states,
// times, figures, causes — but not the narrative, comment or attachments,
// and in no particular order (the rules index them themselves). A plan of
// 500 tasks with five years of monthly reports is 30 000 rows; on SQLite
// the narrative and a sort made this read several times slower.
//
// The figures come in the same query (a report has a few at most), and the
// reports are counted first so the slice is allocated once: growing it by
// doubling copied 30 000 large structs about twice over.
//
// On SQLite the rows come in id order through index reports_plan_id
// (migration 00004): that is the order they sit in the table, so the read
// goes through its pages once, where the order of reports_plan (by period)
// jumps between pages 30 000 times. The times are read as text and parsed
// by parseSQLiteTime (see instant). PostgreSQL needs neither.
func (r reader) reportsForRules(ctx context.Context, planID int64) ([]delivery.Report, error) {
	var n int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM reports WHERE plan_id = ?`, planID).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: reports of plan %d: %w", planID, err)
	}
	times, order := `r.submitted_at, r.reviewed_at`, ``
	if r.d == sqlite {
		times, order = `CAST(r.submitted_at AS TEXT), CAST(r.reviewed_at AS TEXT)`, ` ORDER BY r.id`
	}
	rows, err := r.query(ctx, `SELECT r.id, COALESCE(r.task_id, 0), r.unit_id, r.period, r.assessment, r.state, r.return_cause, r.late, `+times+`,
			a.indicator_id, a.value, a.increment
		FROM reports r LEFT JOIN report_actuals a ON a.report_id = r.id WHERE r.plan_id = ?`+order, planID)
	if err != nil {
		return nil, fmt.Errorf("store: reports of plan %d: %w", planID, err)
	}
	defer rows.Close()
	out := make([]delivery.Report, 0, n)
	// A report with several figures comes in several rows, one after the
	// other on SQLite; idx finds it when an engine interleaves them.
	idx := make(map[int64]int, n)
	for rows.Next() {
		var rep delivery.Report
		var sub, rev instant
		var ind sql.NullInt64
		var value sql.NullFloat64
		var increment sql.NullBool
		if err := rows.Scan(&rep.ID, &rep.TaskID, &rep.UnitID, &rep.Period, &rep.Assessment, &rep.State, &rep.ReturnCause, &rep.Late, &sub, &rev,
			&ind, &value, &increment); err != nil {
			return nil, fmt.Errorf("store: reports of plan %d: %w", planID, err)
		}
		i, seen := len(out)-1, false
		if i >= 0 && out[i].ID == rep.ID {
			seen = true
		} else if i, seen = idx[rep.ID]; !seen {
			rep.PlanID = planID
			rep.SubmittedAt, rep.ReviewedAt = sub.ptr(), rev.ptr()
			i = len(out)
			idx[rep.ID] = i
			out = append(out, rep)
		}
		if ind.Valid {
			out[i].Actuals = append(out[i].Actuals, delivery.Actual{IndicatorID: ind.Int64, Value: value.Float64, Increment: increment.Bool})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reports of plan %d: %w", planID, err)
	}
	return out, nil
}
