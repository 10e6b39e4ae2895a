package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
)

// divisionRoutes are task division (任务分工) and the units it assigns:
// the office's work before a plan is published, and its corrections after.
func (a *API) divisionRoutes() []Route {
	return []Route{
		{"GET /api/v1/units", auth.ActionUnitList, a.unitList},
		{"POST /api/v1/units", auth.ActionUnitManage, a.unitCreate},
		{"PUT /api/v1/tasks/{id}/division", auth.ActionPlanEdit, a.taskDivision},
		{"PUT /api/v1/tasks/{id}/milestones", auth.ActionPlanEdit, a.taskMilestones},
		{"POST /api/v1/milestones/{id}/done", auth.ActionReportWrite, a.milestoneDone},
		{"PUT /api/v1/indicators/{id}", auth.ActionPlanEdit, a.indicatorUpdate},
		{"POST /api/v1/plans/{id}/publish", auth.ActionPlanPublish, a.planPublish},
		{"GET /api/v1/plans/{id}/settings", auth.ActionStatusRead, a.settingsGet},
		{"PUT /api/v1/plans/{id}/settings", auth.ActionPlanConfig, a.settingsPut},
	}
}

const jsonLimit = 1 << 20

// decodeBody reads a JSON object into v, strictly: an unknown field is a
// mistake worth a 400, not something to ignore.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r, jsonLimit)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, v); err != nil {
		return fault.Validation{{Field: "body", Code: "json", Message: err.Error()}}
	}
	return nil
}

// planOffice checks that the caller runs the jurisdiction of plan id and
// returns the plan. Other jurisdictions' drafts answer 404, their published
// plans 403.
func (a *API) planOffice(r *http.Request, planID int64) (*plan.Plan, error) {
	p, err := a.cfg.Store.Plan(r.Context(), planID)
	if err != nil {
		return nil, err
	}
	pr := auth.PrincipalFrom(r.Context())
	if !auth.CanManage(pr, p.Jurisdiction) {
		if p.Status != plan.StatusPublished && !auth.CanSeeDrafts(pr, p.Jurisdiction) {
			return nil, fmt.Errorf("plan %d: %w", planID, fault.ErrNotFound)
		}
		return nil, fmt.Errorf("plan %d belongs to another jurisdiction: %w", planID, fault.ErrForbidden)
	}
	return p, nil
}

// taskScope returns what the object rules need to know about a task.
func (a *API) taskScope(r *http.Request, taskID int64) (auth.TaskScope, int64, error) {
	planID, jur, err := a.cfg.Store.TaskPlan(r.Context(), taskID)
	if err != nil {
		return auth.TaskScope{}, 0, err
	}
	d, err := a.cfg.Store.TaskDivision(r.Context(), taskID)
	if err != nil {
		return auth.TaskScope{}, 0, err
	}
	return auth.TaskScope{Jurisdiction: jur, LeadUnitID: d.LeadUnitID, CoUnitIDs: d.CoUnitIDs}, planID, nil
}

// taskOffice checks the caller runs the task's jurisdiction.
func (a *API) taskOffice(r *http.Request) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	scope, _, err := a.taskScope(r, id)
	if err != nil {
		return 0, err
	}
	if !auth.CanManage(auth.PrincipalFrom(r.Context()), scope.Jurisdiction) {
		return 0, fmt.Errorf("task %d belongs to another jurisdiction: %w", id, fault.ErrForbidden)
	}
	return id, nil
}

func (a *API) unitList(w http.ResponseWriter, r *http.Request) {
	p := auth.PrincipalFrom(r.Context())
	jur := r.URL.Query().Get("jurisdiction")
	if jur == "" {
		jur = p.User.Jurisdiction
	}
	units, err := a.cfg.Store.Units(r.Context(), jur)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"units": units})
}

func (a *API) unitCreate(w http.ResponseWriter, r *http.Request) {
	var u org.Unit
	if err := decodeBody(w, r, &u); err != nil {
		writeError(w, r, err)
		return
	}
	p := auth.PrincipalFrom(r.Context())
	if u.Jurisdiction == "" {
		u.Jurisdiction = p.User.Jurisdiction
	}
	if !auth.CanManage(p, u.Jurisdiction) {
		writeError(w, r, fmt.Errorf("units of %s are managed by its own office: %w", u.Jurisdiction, fault.ErrForbidden))
		return
	}
	u.ID = 0
	err := a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		u, err = tx.CreateUnit(r.Context(), u)
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

// divisionBody is a task's assignment as the API takes it; the deadline is
// a day.
type divisionBody struct {
	LeadUnitID int64          `json:"lead_unit_id"`
	CoUnitIDs  []int64        `json:"co_unit_ids"`
	Leader     string         `json:"leader"`
	Deadline   *delivery.Date `json:"deadline"`
}

func (a *API) taskDivision(w http.ResponseWriter, r *http.Request) {
	id, err := a.taskOffice(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b divisionBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	d := store.Division{LeadUnitID: b.LeadUnitID, CoUnitIDs: b.CoUnitIDs, Leader: strings.TrimSpace(b.Leader)}
	if d.CoUnitIDs == nil {
		d.CoUnitIDs = []int64{}
	}
	if b.Deadline != nil {
		t := b.Deadline.Time()
		d.Deadline = &t
	}
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error { return tx.SetTaskDivision(r.Context(), id, d) })
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := a.cfg.Store.TaskDivision(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, got)
}

type milestoneBody struct {
	Title string        `json:"title"`
	Due   delivery.Date `json:"due"`
}

func (a *API) taskMilestones(w http.ResponseWriter, r *http.Request) {
	id, err := a.taskOffice(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		Milestones []milestoneBody `json:"milestones"`
	}
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	ms := make([]plan.Milestone, 0, len(b.Milestones))
	for _, m := range b.Milestones {
		pm := plan.Milestone{Title: strings.TrimSpace(m.Title)}
		if m.Due != 0 {
			pm.Due = m.Due.Time()
		}
		ms = append(ms, pm)
	}
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error { return tx.SetMilestones(r.Context(), id, ms) })
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"milestones": ms})
}

// milestoneDone lets the lead unit (or the office) record a milestone as
// reached.
func (a *API) milestoneDone(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	taskID, err := a.cfg.Store.MilestoneTask(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	scope, _, err := a.taskScope(r, taskID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p := auth.PrincipalFrom(r.Context())
	if !auth.CanRequestExtension(p, scope) {
		writeError(w, r, fmt.Errorf("only the lead unit records its milestones: %w", fault.ErrForbidden))
		return
	}
	if err := a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error { return tx.MarkMilestone(r.Context(), id, true) }); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"milestone_id": id, "done": true})
}

func (a *API) indicatorUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	_, planID, err := a.cfg.Store.Indicator(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if _, err := a.planOffice(r, planID); err != nil {
		writeError(w, r, err)
		return
	}
	var in plan.Indicator
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	in.ID = id
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		in, err = tx.UpdateIndicator(r.Context(), in)
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

func (a *API) planPublish(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	if _, err := a.planOffice(r, id); err != nil {
		writeError(w, r, err)
		return
	}
	if err := a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error { return tx.PublishPlan(r.Context(), id) }); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.cfg.Store.Plan(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// settingsView is a plan's settings with the scoring and reminder rules
// decoded (their defaults when unset).
type settingsView struct {
	PlanID    int64                  `json:"plan_id"`
	Calendar  delivery.Calendar      `json:"calendar"`
	Status    delivery.Rules         `json:"status"`
	Scoring   delivery.ScoreRules    `json:"scoring"`
	Reminders delivery.ReminderRules `json:"reminders"`
	Channels  *store.Channels        `json:"channels,omitempty"` // the office only: addresses are not for everyone
	UpdatedAt *time.Time             `json:"updated_at,omitempty"`
}

// settingsOf decodes the rules the store keeps as JSON.
func settingsOf(s store.PlanSettings) (settingsView, error) {
	v := settingsView{PlanID: s.PlanID, Calendar: s.Calendar, Status: s.Status, Scoring: delivery.DefaultScoreRules(), Reminders: delivery.DefaultReminderRules()}
	if len(s.Scoring) > 0 {
		if err := decodeStrict(s.Scoring, &v.Scoring); err != nil {
			return v, fmt.Errorf("scoring rules of plan %d: %w", s.PlanID, err)
		}
	}
	if len(s.Reminders) > 0 {
		if err := decodeStrict(s.Reminders, &v.Reminders); err != nil {
			return v, fmt.Errorf("reminder rules of plan %d: %w", s.PlanID, err)
		}
	}
	if !s.UpdatedAt.IsZero() {
		t := s.UpdatedAt
		v.UpdatedAt = &t
	}
	return v, nil
}

// readablePlan loads a plan the caller may read delivery figures of.
func (a *API) readablePlan(r *http.Request, id int64) (*plan.Plan, error) {
	p, err := a.cfg.Store.Plan(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !auth.CanReadDelivery(auth.PrincipalFrom(r.Context()), p.Jurisdiction, p.Status == plan.StatusPublished) {
		return nil, fmt.Errorf("plan %d: %w", id, fault.ErrNotFound)
	}
	return p, nil
}

func (a *API) settingsGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.readablePlan(r, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	s, err := a.cfg.Store.PlanSettings(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := settingsOf(s)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if auth.CanManage(auth.PrincipalFrom(r.Context()), p.Jurisdiction) {
		v.Channels = &s.Channels
	}
	writeJSON(w, http.StatusOK, v)
}

func (a *API) settingsPut(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	if _, err := a.planOffice(r, id); err != nil {
		writeError(w, r, err)
		return
	}
	var b settingsView
	b.Status = delivery.DefaultRules()
	b.Scoring, b.Reminders = delivery.DefaultScoreRules(), delivery.DefaultReminderRules()
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	var v fault.Validation
	for _, c := range []struct {
		field string
		err   error
	}{{"scoring", b.Scoring.Validate()}, {"reminders", b.Reminders.Validate()}} {
		if fv, ok := c.err.(fault.Validation); ok {
			for _, f := range fv {
				f.Field = c.field + "." + f.Field
				v = append(v, f)
			}
		}
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	s := store.PlanSettings{PlanID: id, Calendar: b.Calendar, Status: b.Status}
	s.Scoring, _ = jsonOf(b.Scoring)
	s.Reminders, _ = jsonOf(b.Reminders)
	if b.Channels != nil {
		s.Channels = *b.Channels
	} else if old, err := a.cfg.Store.PlanSettings(r.Context(), id); err == nil {
		s.Channels = old.Channels // leaving channels out keeps them
	}
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		s, err = tx.SetPlanSettings(r.Context(), s)
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	out, err := settingsOf(s)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out.Channels = &s.Channels
	writeJSON(w, http.StatusOK, out)
}
