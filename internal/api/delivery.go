package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
)

// deliveryRoutes are what the rules make of a plan — status against 序时进度
// and unit scores — and the extensions that move deadlines.
func (a *API) deliveryRoutes() []Route {
	return []Route{
		{"GET /api/v1/plans/{id}/status", auth.ActionStatusRead, a.planStatus},
		{"GET /api/v1/jurisdictions/{code}/status", auth.ActionStatusRead, a.jurisdictionStatus},
		{"GET /api/v1/plans/{id}/scores", auth.ActionScoreRead, a.planScores},
		{"GET /api/v1/plans/{id}/extensions", auth.ActionStatusRead, a.extensionList},
		{"POST /api/v1/tasks/{id}/extensions", auth.ActionExtensionRequest, a.extensionRequest},
		{"POST /api/v1/extensions/{id}/grant", auth.ActionExtensionDecide, a.extensionGrant},
		{"POST /api/v1/extensions/{id}/refuse", auth.ActionExtensionDecide, a.extensionRefuse},
	}
}

func jsonOf(v any) (json.RawMessage, error) { return json.Marshal(v) }

// asOf reads the as_of query parameter (a day), today in the
// jurisdiction's zone by default.
func (a *API) asOf(r *http.Request, rules delivery.Rules) (delivery.Date, error) {
	s := r.URL.Query().Get("as_of")
	if s == "" {
		return delivery.DayIn(a.cfg.Now(), rules.Location), nil
	}
	d, err := delivery.ParseDate(s)
	if err != nil {
		return 0, fault.Validation{{Field: "as_of", Code: "date", Message: "as_of is a day written YYYY-MM-DD"}}
	}
	return d, nil
}

// statusView is a plan's status with the class names the plan's rules use.
type statusView struct {
	delivery.PlanStatus
	Labels map[delivery.Class]delivery.Text `json:"labels"`
}

func (a *API) planInputs(r *http.Request) (delivery.Inputs, store.PlanSettings, delivery.Date, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return delivery.Inputs{}, store.PlanSettings{}, 0, err
	}
	// The inputs hold the plan, usually from the store's cache, so the
	// reader's right to it is checked on that copy rather than by reading
	// the whole plan again (readablePlan), which cost more than the rules.
	in, settings, err := a.cfg.Store.DeliveryInputs(r.Context(), id)
	if err != nil {
		return in, settings, 0, err
	}
	if !auth.CanReadDelivery(auth.PrincipalFrom(r.Context()), in.Plan.Jurisdiction, in.Plan.Status == plan.StatusPublished) {
		return delivery.Inputs{}, store.PlanSettings{}, 0, fmt.Errorf("plan %d: %w", id, fault.ErrNotFound)
	}
	day, err := a.asOf(r, settings.Status)
	return in, settings, day, err
}

// planStatus answers every task's class, light and reason at a day, rolled
// up by section, lead unit and plan.
func (a *API) planStatus(w http.ResponseWriter, r *http.Request) {
	in, settings, day, err := a.planInputs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	ps := delivery.EvaluatePlan(in, settings.Status, day)
	labels := map[delivery.Class]delivery.Text{}
	for _, c := range delivery.Classes {
		labels[c] = settings.Status.Label(c)
	}
	writeJSON(w, http.StatusOK, statusView{PlanStatus: ps, Labels: labels})
}

// planScores answers every unit's score with the components that made it,
// ranked.
func (a *API) planScores(w http.ResponseWriter, r *http.Request) {
	in, settings, day, err := a.planInputs(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	v, err := settingsOf(settings)
	if err != nil {
		writeError(w, r, err)
		return
	}
	ps := delivery.EvaluatePlan(in, settings.Status, day)
	scores := delivery.Assess(in, ps, v.Scoring, settings.Status, day)
	writeJSON(w, http.StatusOK, map[string]any{"plan_id": in.Plan.ID, "as_of": day, "rules": v.Scoring, "scores": scores})
}

func (a *API) extensionList(w http.ResponseWriter, r *http.Request) {
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
	all, err := a.cfg.Store.Extensions(r.Context(), id, 0)
	if err != nil {
		writeError(w, r, err)
		return
	}
	// A unit sees the requests on tasks it takes part in; the office and
	// leaders of the jurisdiction see all; others see decided ones only.
	pr := auth.PrincipalFrom(r.Context())
	out := []delivery.Extension{}
	for _, e := range all {
		scope, _, err := a.taskScope(r, e.TaskID)
		if err != nil {
			writeError(w, r, err)
			return
		}
		everything := auth.CanReadNotice(pr, p.Jurisdiction, 0) // the office and leaders
		own := pr.User.Role.NeedsUnit() && pr.User.Jurisdiction == p.Jurisdiction && scope.Involves(pr.User.UnitID)
		if !everything && !own && e.State == delivery.ExtensionRequested {
			continue
		}
		out = append(out, e)
	}
	writeJSON(w, http.StatusOK, map[string]any{"extensions": out})
}

func (a *API) extensionRequest(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	scope, planID, err := a.taskScope(r, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p := auth.PrincipalFrom(r.Context())
	if !auth.CanRequestExtension(p, scope) {
		writeError(w, r, fmt.Errorf("only the lead unit of task %d asks to move its deadline: %w", id, fault.ErrForbidden))
		return
	}
	var b struct {
		Proposed delivery.Date `json:"proposed"`
		Reason   string        `json:"reason"`
	}
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	settings, err := a.cfg.Store.PlanSettings(r.Context(), planID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	today := delivery.DayIn(a.cfg.Now(), settings.Status.Location)
	var e delivery.Extension
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		e, err = tx.RequestExtension(r.Context(), id, p.User.UnitID, b.Proposed, strings.TrimSpace(b.Reason), today)
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

func (a *API) decide(w http.ResponseWriter, r *http.Request, grant bool) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	e, planID, err := a.cfg.Store.Extension(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if _, err := a.planOffice(r, planID); err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		Deadline delivery.Date `json:"deadline"` // grant: the new deadline; 0 means as proposed
		Note     string        `json:"note"`
	}
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if !grant && b.Deadline != 0 {
		writeError(w, r, fault.Validation{{Field: "deadline", Code: "extension.refuse_deadline", Message: "a refusal keeps the deadline; leave deadline out"}})
		return
	}
	if grant && b.Deadline == 0 {
		b.Deadline = e.Proposed
	}
	settings, err := a.cfg.Store.PlanSettings(r.Context(), planID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	today := delivery.DayIn(a.cfg.Now(), settings.Status.Location)
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		e, err = tx.DecideExtension(r.Context(), id, grant, b.Deadline, b.Note, today)
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (a *API) extensionGrant(w http.ResponseWriter, r *http.Request)  { a.decide(w, r, true) }
func (a *API) extensionRefuse(w http.ResponseWriter, r *http.Request) { a.decide(w, r, false) }

// jurisdictionStatus rolls up the published plans of a jurisdiction and of
// every jurisdiction under it (a city sees its districts), each judged at
// the day asked.
func (a *API) jurisdictionStatus(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	js, err := a.cfg.Store.Jurisdictions(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	parent := map[string]string{}
	known := false
	for _, j := range js {
		parent[j.Code] = j.Parent
		known = known || j.Code == code
	}
	if !known {
		writeError(w, r, fmt.Errorf("jurisdiction %q: %w", code, fault.ErrNotFound))
		return
	}
	under := func(c string) bool {
		for i := 0; c != "" && i <= len(js); i++ {
			if c == code {
				return true
			}
			c = parent[c]
		}
		return false
	}
	plans, err := a.cfg.Store.Plans(r.Context(), store.PlanFilter{Status: plan.StatusPublished})
	if err != nil {
		writeError(w, r, err)
		return
	}
	type planRollup struct {
		PlanID       int64           `json:"plan_id"`
		Jurisdiction string          `json:"jurisdiction"`
		Year         int             `json:"year"`
		Title        string          `json:"title"`
		AsOf         delivery.Date   `json:"as_of"`
		Plan         delivery.Rollup `json:"plan"`
	}
	var statuses []delivery.PlanStatus
	out := []planRollup{}
	for _, p := range plans {
		if !under(p.Jurisdiction) {
			continue
		}
		in, settings, err := a.cfg.Store.DeliveryInputs(r.Context(), p.ID)
		if err != nil {
			writeError(w, r, err)
			return
		}
		day, err := a.asOf(r, settings.Status)
		if err != nil {
			writeError(w, r, err)
			return
		}
		ps := delivery.EvaluatePlan(in, settings.Status, day)
		statuses = append(statuses, ps)
		out = append(out, planRollup{PlanID: p.ID, Jurisdiction: p.Jurisdiction, Year: p.Year, Title: p.Title, AsOf: day, Plan: ps.Plan})
	}
	roll := delivery.RollupJurisdictions(statuses, js)
	writeJSON(w, http.StatusOK, map[string]any{"jurisdiction": code, "rollup": roll[code], "jurisdictions": roll, "plans": out})
}
