package delivery

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
)

// Class is a status class as offices publish it.
type Class string

// Status classes, best first.
const (
	ClassCompletedAhead Class = "completed_ahead" // 提前完成
	ClassCompleted      Class = "completed"       // 已完成
	ClassAhead          Class = "ahead"           // 超序时进度
	ClassOnTrack        Class = "on_track"        // 序时推进
	ClassBehind         Class = "behind"          // 滞后序时进度
	ClassOverdue        Class = "overdue"         // 逾期未完成
	ClassNotAssessable  Class = "not_assessable"  // 暂不评价
)

// Classes lists every class in display order, for tables and forms.
var Classes = []Class{ClassCompletedAhead, ClassCompleted, ClassAhead, ClassOnTrack, ClassBehind, ClassOverdue, ClassNotAssessable}

// rank orders assessable classes from worst (0) to best; a task is as good
// as its worst part.
func (c Class) rank() int {
	switch c {
	case ClassOverdue:
		return 0
	case ClassBehind:
		return 1
	case ClassOnTrack:
		return 2
	case ClassAhead:
		return 3
	case ClassCompleted:
		return 4
	case ClassCompletedAhead:
		return 5
	}
	return -1
}

// Light is the traffic light (红黄绿灯) shown with a status.
type Light string

// Lights. Grey means no light yet: nothing can be judged, which is not the
// same as good.
const (
	Green  Light = "green"
	Yellow Light = "yellow"
	Red    Light = "red"
	Grey   Light = "grey"
)

// Light returns the class's traffic light: green for done or on time,
// yellow for behind, red for overdue.
func (c Class) Light() Light {
	switch c {
	case ClassBehind:
		return Yellow
	case ClassOverdue:
		return Red
	case ClassNotAssessable, "":
		return Grey
	}
	return Green
}

// severity orders lights for "worst light" roll-ups.
func (l Light) severity() int {
	switch l {
	case Red:
		return 3
	case Yellow:
		return 2
	case Green:
		return 1
	}
	return 0
}

// Text is a sentence in both languages duban ships.
type Text struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// Rules configure how status is judged. Start from DefaultRules: the zero
// value has no margin and English-less labels.
type Rules struct {
	// Margin is how far (as a share, 0.05 = 5 points) progress may trail or
	// lead the expected share and still count as on 序时进度.
	Margin float64 `json:"margin"`
	// Curve is the expected-progress curve for indicators without their own.
	Curve Curve `json:"curve"`
	// IndicatorCurves overrides the curve per indicator ID.
	IndicatorCurves map[int64]Curve `json:"indicator_curves,omitempty"`
	// ApproxTolerance is how far below a ~ (约, 左右) target still meets it,
	// as a share of the target.
	ApproxTolerance float64 `json:"approx_tolerance"`
	// Labels renames classes (an office may publish 滞后 as 进度偏慢);
	// classes not listed keep the default names.
	Labels map[Class]Text `json:"labels,omitempty"`
	// Location is the jurisdiction's time zone, for report and review
	// times; Shanghai when nil.
	Location *time.Location `json:"-"`
}

// DefaultRules are the rules most offices use: a 5-point margin, a linear
// curve and a 5 % tolerance on approximate targets.
func DefaultRules() Rules {
	return Rules{Margin: 0.05, Curve: Curve{Kind: CurveLinear}, ApproxTolerance: 0.05}
}

var defaultLabels = map[Class]Text{
	ClassCompletedAhead: {"提前完成", "completed ahead of time"},
	ClassCompleted:      {"已完成", "completed"},
	ClassAhead:          {"超序时进度", "ahead"},
	ClassOnTrack:        {"序时推进", "on schedule"},
	ClassBehind:         {"滞后", "behind"},
	ClassOverdue:        {"逾期", "overdue"},
	ClassNotAssessable:  {"暂不评价", "not yet assessable"},
}

// Label returns the name of a class under these rules.
func (r Rules) Label(c Class) Text {
	if l, ok := r.Labels[c]; ok {
		return l
	}
	return defaultLabels[c]
}

// Validate checks the margin, the tolerance, the curves and the labels.
func (r Rules) Validate() error {
	var v fault.Validation
	if !(r.Margin >= 0 && r.Margin < 0.5) {
		v.Add("margin", "rules.margin", "the margin is a share between 0 and 0.5 (0.05 = 5 points)")
	}
	if !(r.ApproxTolerance >= 0 && r.ApproxTolerance < 0.5) {
		v.Add("approx_tolerance", "rules.approx_tolerance", "the tolerance is a share between 0 and 0.5")
	}
	if err := r.Curve.Validate(); err != nil {
		v.Add("curve", "rules.curve", err.Error())
	}
	// Sorted, so the same rules always give the same error list.
	for _, id := range slices.Sorted(maps.Keys(r.IndicatorCurves)) {
		if err := r.IndicatorCurves[id].Validate(); err != nil {
			v.Add(fmt.Sprintf("indicator_curves[%d]", id), "rules.curve", err.Error())
		}
	}
	for _, c := range slices.Sorted(maps.Keys(r.Labels)) {
		l := r.Labels[c]
		if c.rank() < 0 && c != ClassNotAssessable {
			v.Add("labels", "rules.label_class", fmt.Sprintf("%q is not a status class", c))
		}
		if l.Zh == "" || l.En == "" {
			v.Add("labels", "rules.label_empty", fmt.Sprintf("the label of %s needs both a Chinese and an English name", c))
		}
	}
	return v.Err()
}

func (r Rules) curveFor(id int64) Curve {
	if c, ok := r.IndicatorCurves[id]; ok {
		return c
	}
	return r.Curve
}

func (r Rules) location() *time.Location {
	if r.Location == nil {
		return Shanghai
	}
	return r.Location
}

// Status is a judgement with its light and the rule that produced it, in
// words, so a bulletin never shows a colour without its reason.
type Status struct {
	Class Class `json:"class"`
	Light Light `json:"light"`
	// Rule is a stable code for the rule that decided ("indicator.behind",
	// "task.overdue"), for filters and catalogues.
	Rule   string `json:"rule"`
	Reason Text   `json:"reason"`
}

// IndicatorStatus is an indicator's status with the figures behind it.
type IndicatorStatus struct {
	Status
	Progress Progress `json:"progress"`
}

// TaskStatus is a task's status at a date, with what it was judged from.
type TaskStatus struct {
	Status
	TaskID    int64 `json:"task_id"`
	SectionID int64 `json:"section_id,omitempty"`
	LeadUnit  int64 `json:"lead_unit_id,omitempty"`
	// Deadline is the deadline in force; Extended says a granted extension
	// moved it.
	Deadline Date `json:"deadline"`
	Extended bool `json:"extended"`
	// Reference is the day progress is measured at: the end of the last
	// cycle whose reports are due or in.
	Reference  Date              `json:"reference"`
	Completed  Date              `json:"completed,omitempty"` // when the work was done; 0 if not
	Indicators []IndicatorStatus `json:"indicators"`
}

// Rollup counts statuses per class for a section, a unit, a plan or a
// jurisdiction, with the worst light among them.
type Rollup struct {
	Total  int           `json:"total"`
	Counts map[Class]int `json:"counts"`
	Worst  Light         `json:"worst"`
}

// Add counts one status.
func (r *Rollup) Add(s Status) {
	if r.Counts == nil {
		r.Counts = make(map[Class]int, len(Classes))
	}
	r.Total++
	r.Counts[s.Class]++
	if s.Light.severity() > r.Worst.severity() || r.Worst == "" {
		r.Worst = s.Light
	}
}

// Merge adds another roll-up's counts.
func (r *Rollup) Merge(o Rollup) {
	if o.Total == 0 {
		return
	}
	if r.Counts == nil {
		r.Counts = make(map[Class]int, len(Classes))
	}
	r.Total += o.Total
	for c, n := range o.Counts {
		r.Counts[c] += n
	}
	if o.Worst.severity() > r.Worst.severity() || r.Worst == "" {
		r.Worst = o.Worst
	}
}

// MainIndicatorStatus is the status of one of a plan's main indicators
// (主要预期指标), judged from the accepted reports of its responsible unit on
// the plan's main indicators.
type MainIndicatorStatus struct {
	IndicatorStatus
	IndicatorID int64 `json:"indicator_id"`
	UnitID      int64 `json:"responsible_unit_id,omitempty"`
	Reference   Date  `json:"reference"`
}

// PlanStatus is the status of every task and main indicator of a plan at a
// date, rolled up.
type PlanStatus struct {
	PlanID       int64        `json:"plan_id"`
	Jurisdiction string       `json:"jurisdiction"`
	AsOf         Date         `json:"as_of"`
	Tasks        []TaskStatus `json:"tasks"` // in plan order
	// Indicators are the plan's main indicators, in plan order.
	Indicators []MainIndicatorStatus `json:"indicators"`
	// Sections counts each section's tasks, its subsections' included.
	Sections map[int64]Rollup `json:"sections"`
	// Units counts tasks by lead unit and main indicators by responsible
	// unit: the unit that answers for them.
	Units map[int64]Rollup `json:"units"`
	// Plan counts the tasks and the main indicators.
	Plan Rollup `json:"plan"`
}

// Task returns the status of one task, or false.
func (ps PlanStatus) Task(id int64) (TaskStatus, bool) {
	for _, t := range ps.Tasks {
		if t.TaskID == id {
			return t, true
		}
	}
	return TaskStatus{}, false
}

// Inputs are what the rules read about one plan: the plan, its reports (any
// state; only accepted ones count as evidence), its extension requests and
// its reporting calendar.
type Inputs struct {
	Plan       *plan.Plan
	Reports    []Report
	Extensions []Extension
	Calendar   Calendar
}

// accepted is a report the rules may use, with its cycle.
type accepted struct {
	r        *Report
	on       Date // the end of the cycle, or the review day if earlier
	reviewed Date
}

// EvaluatePlan judges every task of in.Plan at the end of day asOf. Only
// reports accepted by then count, and only extensions decided by then, so
// that evaluating a past day gives what the office saw on it.
func EvaluatePlan(in Inputs, r Rules, asOf Date) PlanStatus {
	p := in.Plan
	ps := PlanStatus{PlanID: p.ID, Jurisdiction: p.Jurisdiction, AsOf: asOf, Tasks: make([]TaskStatus, 0, len(p.Tasks)),
		Sections: map[int64]Rollup{}, Units: map[int64]Rollup{}}
	ev := indexEvidence(in, r.location(), asOf)
	lastDue, _ := in.Calendar.LastDue(asOf)
	var scratch []Observation // reused across tasks
	for i := range p.Tasks {
		t := &p.Tasks[i]
		ts := evaluateTask(t, p.Year, ev.accepted[t.ID], ev.pending[t.ID], in.Extensions, in.Calendar, lastDue.End, r, asOf, &scratch)
		ps.Tasks = append(ps.Tasks, ts)
		ps.Plan.Add(ts.Status)
		if t.LeadUnitID != 0 {
			u := ps.Units[t.LeadUnitID]
			u.Add(ts.Status)
			ps.Units[t.LeadUnitID] = u
		}
	}
	ps.Indicators = evaluateMainIndicators(p, ev.accepted[0], lastDue.End, r, asOf, &scratch)
	for _, is := range ps.Indicators {
		ps.Plan.Add(is.Status)
		if is.UnitID != 0 {
			u := ps.Units[is.UnitID]
			u.Add(is.Status)
			ps.Units[is.UnitID] = u
		}
	}
	ps.Sections = sectionRollups(p, ps.Tasks)
	return ps
}

// evaluateMainIndicators judges the plan's main indicators over the plan
// year from reps, the accepted reports on them (indexEvidence files them
// under task 0, as they have no task). Only a figure from the indicator's
// responsible unit counts: the store keeps other units' figures out, and
// the rules do not trust a report the store did not write. Progress is
// measured at the end of the last cycle due or reported, as for a task.
func evaluateMainIndicators(p *plan.Plan, reps []accepted, lastDueEnd Date, r Rules, asOf Date, scratch *[]Observation) []MainIndicatorStatus {
	out := make([]MainIndicatorStatus, 0, len(p.Indicators))
	if len(p.Indicators) == 0 {
		return out
	}
	start, end := yearStart(p.Year), yearEnd(p.Year)
	ref := max(lastDueEnd, start-1)
	for _, a := range reps {
		ref = max(ref, a.on)
	}
	ref = min(ref, asOf)
	obs := *scratch
	defer func() { *scratch = obs }()
	for _, in := range p.Indicators {
		obs = obs[:0]
		for _, a := range reps {
			if a.r.UnitID != in.ResponsibleUnitID {
				continue
			}
			for _, ac := range a.r.Actuals {
				if ac.IndicatorID == in.ID {
					obs = append(obs, Observation{Period: a.r.Period, On: a.on, Value: ac.Value, Increment: ac.Increment})
				}
			}
		}
		pr := IndicatorProgress(in, obs, start, end, ref, r.curveFor(in.ID), r.ApproxTolerance)
		st := indicatorStatus(in, pr, start, end, r)
		st.Reason = Text{in.Name + "，" + st.Reason.Zh, in.Name + ": " + st.Reason.En}
		out = append(out, MainIndicatorStatus{IndicatorStatus: IndicatorStatus{Status: st, Progress: pr},
			IndicatorID: in.ID, UnitID: in.ResponsibleUnitID, Reference: ref})
	}
	return out
}

// EvaluateTask judges one task of in.Plan; see EvaluatePlan.
func EvaluateTask(in Inputs, taskID int64, r Rules, asOf Date) (TaskStatus, error) {
	for i := range in.Plan.Tasks {
		t := &in.Plan.Tasks[i]
		if t.ID != taskID {
			continue
		}
		lastDue, _ := in.Calendar.LastDue(asOf)
		ev := indexEvidence(in, r.location(), asOf)
		var scratch []Observation
		return evaluateTask(t, in.Plan.Year, ev.accepted[t.ID], ev.pending[t.ID], in.Extensions, in.Calendar, lastDue.End, r, asOf, &scratch), nil
	}
	return TaskStatus{}, fmt.Errorf("task %d in plan %d: %w", taskID, in.Plan.ID, fault.ErrNotFound)
}

// evidence is what the reports say about each task at a day.
type evidence struct {
	accepted map[int64][]accepted // accepted by then, in cycle order
	// pending is the latest cycle end among reports submitted by then and
	// not yet reviewed: the office's own backlog, which must not make a
	// unit overdue.
	pending map[int64]Date
}

// indexEvidence groups the reports accepted by asOf per task, in cycle
// order, and notes those awaiting review. Reports of cycles that ended
// before the plan year are history, not evidence for this year, and
// reports naming no known cycle are skipped (Report.Validate and the store
// keep them out).
func indexEvidence(in Inputs, loc *time.Location, asOf Date) evidence {
	from := yearStart(in.Plan.Year)
	cycles := map[string]Cycle{}
	skip := map[string]bool{}
	pending := map[int64]Date{}
	// Per-task lists are carved out of one array sized by a first, cheap
	// count, which is much cheaper than growing hundreds of slices.
	count := make(map[int64]int, len(in.Plan.Tasks))
	total := 0
	for i := range in.Reports {
		if in.Reports[i].State == StateAccepted {
			count[in.Reports[i].TaskID]++
			total++
		}
	}
	flat := make([]accepted, total)
	byTask := make(map[int64][]accepted, len(count))
	next := 0
	for task, n := range count {
		byTask[task] = flat[next : next : next+n]
		next += n
	}
	for i := range in.Reports {
		rep := &in.Reports[i]
		switch rep.State {
		case StateAccepted, StateSubmitted, StateSignedOff:
		default:
			continue
		}
		if skip[rep.Period] {
			continue
		}
		c, ok := cycles[rep.Period]
		if !ok {
			var err error
			if c, err = in.Calendar.Cycle(rep.Period); err != nil || c.End < from {
				skip[rep.Period] = true
				continue
			}
			cycles[rep.Period] = c
		}
		if rep.SubmittedAt != nil && DayIn(*rep.SubmittedAt, loc) > asOf {
			continue // not yet sent on that day
		}
		reviewed := asOf
		if rep.State == StateAccepted && rep.ReviewedAt != nil {
			reviewed = DayIn(*rep.ReviewedAt, loc)
		}
		if rep.State != StateAccepted || reviewed > asOf {
			pending[rep.TaskID] = max(pending[rep.TaskID], c.End)
			continue
		}
		byTask[rep.TaskID] = append(byTask[rep.TaskID], accepted{r: rep, on: min(c.End, reviewed), reviewed: reviewed})
	}
	order := func(a, b accepted) int {
		return cmp.Or(cmp.Compare(a.on, b.on), cmp.Compare(a.reviewed, b.reviewed), cmp.Compare(a.r.ID, b.r.ID))
	}
	for _, list := range byTask {
		if !slices.IsSortedFunc(list, order) { // stores usually list reports in cycle order
			slices.SortFunc(list, order)
		}
	}
	return evidence{accepted: byTask, pending: pending}
}

// evaluateTask applies the task rules, in this order:
//  1. completed (every indicator met, or an accepted report says so) →
//     completed, or completed ahead when done with at least the margin of
//     time to spare;
//  2. not completed once the reports for the cycle containing the deadline in
//     force are due → overdue. Completion is judged against the deadline
//     itself (work done by 30 June and reported in the June report, due 5
//     July, was on time), so the verdict waits for that report rather than
//     calling every December task overdue on 1 January; nor is a task
//     overdue while a report covering its deadline awaits the office's
//     review. A deadline missed without a granted extension is judged
//     against the original date;
//  3. otherwise the worst of its indicators, its missed milestones and, when
//     no indicator can be judged, the latest accepted self-assessment.
func evaluateTask(t *plan.Task, year int, reps []accepted, pendingEnd Date, exts []Extension, cal Calendar, lastDueEnd Date, r Rules, asOf Date, scratch *[]Observation) TaskStatus {
	start := yearStart(year)
	deadline, extended := Deadline(*t, exts, asOf)
	if deadline == 0 {
		deadline = yearEnd(year)
	}
	ts := TaskStatus{TaskID: t.ID, SectionID: t.SectionID, LeadUnit: t.LeadUnitID, Deadline: deadline, Extended: extended}

	ref := max(lastDueEnd, start-1)
	for _, a := range reps {
		ref = max(ref, a.on)
	}
	ref = min(ref, asOf)
	ts.Reference = ref

	// Indicators.
	ts.Indicators = make([]IndicatorStatus, len(t.Indicators))
	allMet, metOn := len(t.Indicators) > 0, Date(0)
	obs := *scratch
	defer func() { *scratch = obs }()
	for i, in := range t.Indicators {
		obs = obs[:0]
		for _, a := range reps {
			for _, ac := range a.r.Actuals {
				if ac.IndicatorID == in.ID {
					obs = append(obs, Observation{Period: a.r.Period, On: a.on, Value: ac.Value, Increment: ac.Increment})
				}
			}
		}
		pr := IndicatorProgress(in, obs, start, deadline, ref, r.curveFor(in.ID), r.ApproxTolerance)
		ts.Indicators[i] = IndicatorStatus{Status: indicatorStatus(in, pr, start, deadline, r), Progress: pr}
		if pr.MetOn == 0 {
			allMet = false
		}
		metOn = max(metOn, pr.MetOn)
	}

	// A report accepted as "completed" closes the task too.
	var lastReport *accepted
	for i := range reps {
		a := &reps[i]
		if a.r.Assessment == AssessCompleted && (!allMet || a.on < metOn) {
			allMet, metOn = true, a.on
		}
		if a.r.Assessment != "" {
			lastReport = a
		}
	}
	if allMet {
		ts.Completed = metOn
		ts.Status = r.completed(start, deadline, metOn)
		return ts
	}

	// The worst of what can be judged.
	best := Status{}
	worse := func(s Status) {
		if s.Class.rank() < 0 {
			return
		}
		if best.Class == "" || s.Class.rank() < best.Class.rank() {
			best = s
		}
	}
	judged := false
	for i := range ts.Indicators {
		is := ts.Indicators[i]
		if is.Class == ClassNotAssessable {
			continue
		}
		judged = true
		s := is.Status
		name := t.Indicators[i].Name
		s.Reason = Text{name + "，" + s.Reason.Zh, name + ": " + s.Reason.En}
		worse(s)
	}
	for _, m := range t.Milestones {
		due := DateOf(m.Due)
		if due < asOf && (m.DoneAt == nil || DayIn(*m.DoneAt, r.location()) > asOf) {
			l := r.Label(ClassBehind)
			worse(Status{Class: ClassBehind, Rule: "task.milestone_missed", Reason: Text{
				fmt.Sprintf("节点“%s”应于%s完成，尚未完成：%s", m.Title, due, l.Zh),
				fmt.Sprintf("milestone “%s” was due %s and is not done: %s", m.Title, due, l.En)}})
		}
	}
	if !judged && lastReport != nil {
		worse(r.selfAssessed(lastReport.r))
	}
	if asOf > max(deadline, cal.CycleOf(deadline).Due) && pendingEnd < deadline {
		ts.Status = r.overdue(deadline, extended, pendingOrRefused(t.ID, exts, asOf), best)
		return ts
	}
	if best.Class == "" {
		best = r.notAssessable(t, ts.Indicators)
	}
	best.Light = best.Class.Light()
	ts.Status = best
	return ts
}

func pendingOrRefused(taskID int64, exts []Extension, asOf Date) bool {
	for _, e := range exts {
		if e.TaskID == taskID && e.RequestedOn <= asOf && (e.State == ExtensionRequested || e.State == ExtensionRefused || e.DecidedOn > asOf) {
			return true
		}
	}
	return false
}

func (r Rules) completed(start, deadline, on Date) Status {
	c, rule := ClassCompleted, "task.completed"
	if Elapsed(start, deadline, on) <= 1-r.Margin && on < deadline {
		c, rule = ClassCompletedAhead, "task.completed_ahead"
	}
	l := r.Label(c)
	s := Status{Class: c, Light: c.Light(), Rule: rule, Reason: Text{
		fmt.Sprintf("%s完成，截止日期%s：%s", on, deadline, l.Zh),
		fmt.Sprintf("done by %s, deadline %s: %s", on, deadline, l.En)}}
	if on > deadline {
		s.Rule = "task.completed_late"
		s.Reason = Text{
			fmt.Sprintf("%s完成，晚于截止日期%s：%s（逾期完成）", on, deadline, l.Zh),
			fmt.Sprintf("done by %s, after the deadline %s: %s late", on, deadline, l.En)}
	}
	return s
}

// overdue says the deadline passed, and what was still short (the worst
// part of the task, when one was judged behind) so the red light names it.
func (r Rules) overdue(deadline Date, extended, unGranted bool, worst Status) Status {
	l := r.Label(ClassOverdue)
	which := Text{"截止日期", "deadline"}
	if extended {
		which = Text{"延期后的截止日期", "extended deadline"}
	}
	short := Text{}
	if worst.Class == ClassBehind {
		short = Text{"（" + worst.Reason.Zh + "）", " (" + worst.Reason.En + ")"}
	}
	s := Status{Class: ClassOverdue, Light: Red, Rule: "task.overdue", Reason: Text{
		fmt.Sprintf("%s%s已过，未完成%s：%s", which.Zh, deadline, short.Zh, l.Zh),
		fmt.Sprintf("%s %s passed without completion%s: %s", which.En, deadline, short.En, l.En)}}
	if unGranted && !extended {
		s.Rule = "task.overdue_no_extension"
		s.Reason.Zh += "（延期申请未获批准，按原定日期判断）"
		s.Reason.En += " (no extension granted: judged against the original date)"
	}
	return s
}

var assessmentWords = map[Assessment]Text{
	AssessAhead:   {"超序时进度", "ahead"},
	AssessOnTrack: {"序时推进", "on schedule"},
	AssessBehind:  {"滞后", "behind"},
}

func (r Rules) selfAssessed(rep *Report) Status {
	c := ClassOnTrack
	switch rep.Assessment {
	case AssessAhead:
		c = ClassAhead
	case AssessBehind:
		c = ClassBehind
	}
	w, l := assessmentWords[rep.Assessment], r.Label(c)
	return Status{Class: c, Rule: "task.self_assessed", Reason: Text{
		fmt.Sprintf("%s进展报告（已审核）自评%s：%s", rep.Period, w.Zh, l.Zh),
		fmt.Sprintf("the accepted %s report assesses it as %s: %s", rep.Period, w.En, l.En)}}
}

func (r Rules) notAssessable(t *plan.Task, inds []IndicatorStatus) Status {
	l := r.Label(ClassNotAssessable)
	if len(inds) > 0 {
		// The first indicator's reason says why (annual only, no figure).
		s := inds[0].Status
		s.Reason = Text{t.Indicators[0].Name + "，" + s.Reason.Zh, t.Indicators[0].Name + ": " + s.Reason.En}
		return s
	}
	return Status{Class: ClassNotAssessable, Rule: "task.no_report", Reason: Text{
		"尚无审核通过的进展报告：" + l.Zh, "no accepted report yet: " + l.En}}
}

// indicatorStatus classes one indicator's progress and says why in words.
func indicatorStatus(in plan.Indicator, p Progress, start, end Date, r Rules) Status {
	s := Status{}
	set := func(c Class, rule string, zh, en string) Status {
		l := r.Label(c)
		s = Status{Class: c, Light: c.Light(), Rule: rule, Reason: Text{zh + "：" + l.Zh, en + ": " + l.En}}
		return s
	}
	switch {
	case in.AnnualOnly && !p.Final:
		return set(ClassNotAssessable, "indicator.annual_only", "年度指标，期末评价", "annual indicator, assessed when the period ends")
	case !p.Has:
		return set(ClassNotAssessable, "indicator.no_figure", "尚无审核通过的数据", "no accepted figure yet")
	}
	figures := describe(in, p, r.curveFor(in.ID), start, end)
	switch {
	case p.MetOn != 0:
		c := ClassCompleted
		if p.MetOn < end && Elapsed(start, end, p.MetOn) <= 1-r.Margin {
			c = ClassCompletedAhead
		}
		return set(c, "indicator."+string(c), figures.Zh, figures.En)
	case p.Final && !p.Met:
		c := ClassBehind
		l := r.Label(c)
		return Status{Class: c, Light: c.Light(), Rule: "indicator.missed", Reason: Text{figures.Zh + "：未达目标（" + l.Zh + "）", figures.En + ": target missed (" + l.En + ")"}}
	case in.Comparator == plan.LE && !p.Met:
		return set(ClassBehind, "indicator.over_ceiling", figures.Zh, figures.En)
	case p.Done >= p.Expected+r.Margin-1e-9:
		return set(ClassAhead, "indicator.ahead", figures.Zh, figures.En)
	case p.Done >= p.Expected-r.Margin-1e-9:
		return set(ClassOnTrack, "indicator.on_track", figures.Zh, figures.En)
	default:
		return set(ClassBehind, "indicator.behind", figures.Zh, figures.En)
	}
}

// describe puts the figures behind a judgement in words: shares against
// 序时进度 for what builds up, the value against the target for the rest.
// It runs for every indicator on every evaluation, so it concatenates
// rather than formats.
func describe(in plan.Indicator, p Progress, c Curve, start, end Date) Text {
	if p.Prorated {
		done, exp := pct(p.Done), pct(p.Expected)
		if c.Kind == "" || c.Kind == CurveLinear {
			of := " % of the year elapsed"
			if start != yearStart(start.Year()) || end != yearEnd(start.Year()) {
				of = " % of the time to " + end.String() + " elapsed"
			}
			return Text{"已完成" + done + "%，序时进度" + exp + "%", done + " % done, " + exp + of}
		}
		return Text{"已完成" + done + "%，计划进度" + exp + "%", done + " % done, " + exp + " % planned by now"}
	}
	v, t, u := num(p.Value), num(in.Target), in.Unit
	nowZh, nowEn := "当前", "now"
	if p.Final {
		nowZh, nowEn = "期末", "at the end"
	}
	switch {
	case in.Comparator == plan.LE:
		return Text{nowZh + v + u + "，上限" + t + u, v + " " + u + " " + nowEn + ", ceiling " + t + " " + u}
	case in.Kind == plan.Growth:
		return Text{"增速" + v + u + "，目标" + cmpZh(in.Comparator) + t + u, "growth " + v + " " + u + ", target " + string(in.Comparator) + " " + t + " " + u}
	default:
		return Text{nowZh + v + u + "，目标" + cmpZh(in.Comparator) + t + u, v + " " + u + " " + nowEn + ", target " + string(in.Comparator) + " " + t + " " + u}
	}
}

func cmpZh(c plan.Comparator) string {
	switch c {
	case plan.GE:
		return "≥"
	case plan.LE:
		return "≤"
	case plan.Approx:
		return "约"
	}
	return ""
}

// pct writes a share as a percentage with at most one decimal: 0.9166… is
// "91.7", 0.5 is "50".
func pct(x float64) string { return strconv.FormatFloat(math.Round(x*1000)/10, 'f', -1, 64) }

// num writes a figure with at most four decimals and no trailing zeros.
func num(x float64) string { return strconv.FormatFloat(math.Round(x*1e4)/1e4, 'f', -1, 64) }

// sectionRollups counts each section's tasks and adds every section's
// counts to its ancestors, so a pillar shows the sum of its chapters.
func sectionRollups(p *plan.Plan, tasks []TaskStatus) map[int64]Rollup {
	parent := make(map[int64]int64, len(p.Sections))
	for _, s := range p.Sections {
		parent[s.ID] = s.ParentID
	}
	out := make(map[int64]Rollup, len(p.Sections))
	for _, ts := range tasks {
		seen := 0
		for id := ts.SectionID; id != 0 && seen <= len(p.Sections); id = parent[id] {
			r := out[id]
			r.Add(ts.Status)
			out[id] = r
			seen++ // a cycle in bad data must not loop forever
		}
	}
	return out
}

// RollupJurisdictions adds each plan's roll-up to its jurisdiction and to
// every ancestor (district → city → province), so a city sees the sum of its
// districts' plans and its own.
func RollupJurisdictions(plans []PlanStatus, js []org.Jurisdiction) map[string]Rollup {
	parent := make(map[string]string, len(js))
	for _, j := range js {
		parent[j.Code] = j.Parent
	}
	out := map[string]Rollup{}
	for _, ps := range plans {
		seen := 0
		for code := ps.Jurisdiction; code != "" && seen <= len(js); code = parent[code] {
			r := out[code]
			r.Merge(ps.Plan)
			out[code] = r
			seen++
		}
	}
	return out
}
