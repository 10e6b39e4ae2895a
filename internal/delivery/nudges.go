package delivery

import (
	"fmt"
	"slices"

	"github.com/duban-org/duban/internal/fault"
)

// NudgeRules say when reminders (催办) and supervision notices (督办单) go
// out. The zero value means the defaults (see DefaultNudgeRules).
type NudgeRules struct {
	// Before lists how many days before a due day (a report's, a
	// milestone's) a reminder goes out; After how many days after, while
	// still outstanding. OnDay adds a reminder on the day itself.
	Before []int `json:"before,omitempty"`
	OnDay  *bool `json:"on_day,omitempty"`
	After  []int `json:"after,omitempty"`
	// BlueWithin is how many days before a task's deadline a blue notice
	// warns that it is near and the task is not done.
	BlueWithin int `json:"blue_within,omitempty"`
	// RespondDays is the time a unit has to respond to a notice.
	RespondDays int `json:"respond_days,omitempty"`
}

// DefaultNudgeRules remind three days before, on the day and one and seven
// days after; warn (blue) fifteen days before a deadline; give five days
// to respond to a notice.
func DefaultNudgeRules() NudgeRules {
	on := true
	return NudgeRules{Before: []int{3}, OnDay: &on, After: []int{1, 7}, BlueWithin: 15, RespondDays: 5}
}

// WithDefaults fills what is unset from DefaultNudgeRules.
func (r NudgeRules) WithDefaults() NudgeRules {
	d := DefaultNudgeRules()
	if r.Before == nil {
		r.Before = d.Before
	}
	if r.OnDay == nil {
		r.OnDay = d.OnDay
	}
	if r.After == nil {
		r.After = d.After
	}
	if r.BlueWithin == 0 {
		r.BlueWithin = d.BlueWithin
	}
	if r.RespondDays == 0 {
		r.RespondDays = d.RespondDays
	}
	return r
}

// Validate checks the day counts.
func (r NudgeRules) Validate() error {
	var v fault.Validation
	for i, d := range r.Before {
		if d < 1 || d > 60 {
			v.Add(fmt.Sprintf("before[%d]", i), "nudge.days", "days before are 1–60")
		}
	}
	for i, d := range r.After {
		if d < 1 || d > 60 {
			v.Add(fmt.Sprintf("after[%d]", i), "nudge.days", "days after are 1–60")
		}
	}
	if r.BlueWithin < 0 || r.BlueWithin > 90 {
		v.Add("blue_within", "nudge.days", "the blue notice comes 0–90 days before a deadline")
	}
	if r.RespondDays < 0 || r.RespondDays > 60 {
		v.Add("respond_days", "nudge.days", "a response is due within 0–60 days")
	}
	return v.Err()
}

// Nudge kinds.
const (
	NudgeReminder = "reminder"
	NudgeNotice   = "notice"
)

// Notice colours (三色督办单).
const (
	NoticeBlue   = "blue"   // a deadline is near
	NoticeYellow = "yellow" // behind 序时进度, or a report returned for its content
	NoticeRed    = "red"    // overdue
)

// Nudge is a reminder or notice that is due on a day. Key names the
// occasion, not the day it was noticed: judging the same day twice, or a
// missed day late, yields the same key, and the store issues each key once.
type Nudge struct {
	Key       string `json:"key"`
	Kind      string `json:"kind"`
	Colour    string `json:"colour,omitempty"`
	PlanID    int64  `json:"plan_id"`
	TaskID    int64  `json:"task_id"`
	UnitID    int64  `json:"unit_id"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	Rule      string `json:"rule"`
	RespondBy Date   `json:"respond_by,omitempty"`
}

// Nudges lists what is due on day: report and milestone reminders before,
// on and after their due days while outstanding; a blue notice when a
// task's deadline is within BlueWithin days; a yellow one when a task is
// behind 序时进度 (once per reporting cycle) or a report was returned for
// false or poor content; a red one when a task is overdue (once per
// deadline in force). ps is the plan's status at the end of day.
func Nudges(in Inputs, ps PlanStatus, nr NudgeRules, rules Rules, day Date) []Nudge {
	nr = nr.WithDefaults()
	p := in.Plan
	var out []Nudge
	maxBefore, maxAfter := 0, 0
	for _, b := range nr.Before {
		maxBefore = max(maxBefore, b)
	}
	for _, a := range nr.After {
		maxAfter = max(maxAfter, a)
	}
	// which says whether day is a reminder day for due, and which.
	which := func(due Date) (string, bool) {
		switch {
		case day == due && *nr.OnDay:
			return "on", true
		case day < due && slices.Contains(nr.Before, int(due-day)):
			return fmt.Sprintf("before%d", due-day), true
		case day > due && slices.Contains(nr.After, int(day-due)):
			return fmt.Sprintf("after%d", day-due), true
		}
		return "", false
	}
	code := map[int64]string{}
	for _, t := range p.Tasks {
		code[t.ID] = t.Code + " " + t.Title
	}

	// Reports owed and not yet delivered.
	obs := Obligations(p, in.Calendar, in.Extensions, &ps, day-Date(maxAfter), day+Date(maxBefore))
	for _, dv := range Deliveries(obs, in.Reports, rules.location(), day) {
		if dv.Delivered {
			continue
		}
		w, ok := which(dv.Cycle.Due)
		if !ok {
			continue
		}
		subject := fmt.Sprintf("催报：任务%s %s进展报告", code[dv.TaskID], dv.Cycle.Key)
		body := fmt.Sprintf("任务%s %s进展报告应于%s前报送，尚未报送。", code[dv.TaskID], dv.Cycle.Key, dv.Cycle.Due)
		if day > dv.Cycle.Due {
			body = fmt.Sprintf("任务%s %s进展报告应于%s前报送，已逾期%d天，请尽快报送。", code[dv.TaskID], dv.Cycle.Key, dv.Cycle.Due, day-dv.Cycle.Due)
		}
		out = append(out, Nudge{Key: fmt.Sprintf("p%d:report:%d:%d:%s:%s", p.ID, dv.TaskID, dv.UnitID, dv.Cycle.Key, w), Kind: NudgeReminder,
			PlanID: p.ID, TaskID: dv.TaskID, UnitID: dv.UnitID, Subject: subject, Body: body, Rule: "reminder.report." + w})
	}

	for _, t := range p.Tasks {
		ts, ok := ps.Task(t.ID)
		if !ok || t.LeadUnitID == 0 {
			continue
		}
		done := ts.Completed != 0 && ts.Completed <= day
		// Milestones not done.
		for _, m := range t.Milestones {
			due := DateOf(m.Due)
			if m.DoneAt != nil && DayIn(*m.DoneAt, rules.location()) <= day {
				continue
			}
			if w, ok := which(due); ok && !done {
				out = append(out, Nudge{Key: fmt.Sprintf("p%d:milestone:%d:%s", p.ID, m.ID, w), Kind: NudgeReminder, PlanID: p.ID, TaskID: t.ID, UnitID: t.LeadUnitID,
					Subject: fmt.Sprintf("催办：任务%s节点“%s”", code[t.ID], m.Title),
					Body:    fmt.Sprintf("任务%s的节点“%s”应于%s完成。", code[t.ID], m.Title, due), Rule: "reminder.milestone." + w})
			}
		}
		if done {
			continue
		}
		respond := day + Date(nr.RespondDays)
		switch {
		case ts.Class == ClassOverdue:
			out = append(out, Nudge{Key: fmt.Sprintf("p%d:notice:red:%d:%s", p.ID, t.ID, ts.Deadline), Kind: NudgeNotice, Colour: NoticeRed, PlanID: p.ID, TaskID: t.ID, UnitID: t.LeadUnitID,
				Subject: fmt.Sprintf("红色督办单：任务%s逾期未完成", code[t.ID]), Body: ts.Reason.Zh + fmt.Sprintf("。请于%s前书面反馈整改措施。", respond),
				Rule: ts.Rule, RespondBy: respond})
		case ts.Class == ClassBehind:
			cycle, _ := in.Calendar.LastDue(day)
			out = append(out, Nudge{Key: fmt.Sprintf("p%d:notice:yellow:%d:%s", p.ID, t.ID, cycle.Key), Kind: NudgeNotice, Colour: NoticeYellow, PlanID: p.ID, TaskID: t.ID, UnitID: t.LeadUnitID,
				Subject: fmt.Sprintf("黄色督办单：任务%s滞后序时进度", code[t.ID]), Body: ts.Reason.Zh + fmt.Sprintf("。请于%s前书面反馈加快推进措施。", respond),
				Rule: ts.Rule, RespondBy: respond})
		}
		if ts.Class != ClassOverdue && ts.Deadline >= day && ts.Deadline-day <= Date(nr.BlueWithin) {
			out = append(out, Nudge{Key: fmt.Sprintf("p%d:notice:blue:%d:%s", p.ID, t.ID, ts.Deadline), Kind: NudgeNotice, Colour: NoticeBlue, PlanID: p.ID, TaskID: t.ID, UnitID: t.LeadUnitID,
				Subject: fmt.Sprintf("蓝色督办单：任务%s临近截止日期", code[t.ID]),
				Body:    fmt.Sprintf("任务%s截止日期为%s，尚未完成。请于%s前反馈完成计划。", code[t.ID], ts.Deadline, respond),
				Rule:    "notice.deadline_near", RespondBy: respond})
		}
	}

	// Reports returned for false or poor content, on the day of the return.
	for _, r := range in.Reports {
		if r.ReviewedAt == nil || r.State != StateReturned || (r.ReturnCause != "quality" && r.ReturnCause != "false") {
			continue
		}
		if DayIn(*r.ReviewedAt, rules.location()) != day {
			continue
		}
		respond := day + Date(nr.RespondDays)
		out = append(out, Nudge{Key: fmt.Sprintf("p%d:notice:yellow:returned:%d", p.ID, r.ID), Kind: NudgeNotice, Colour: NoticeYellow, PlanID: p.ID, TaskID: r.TaskID, UnitID: r.UnitID,
			Subject: fmt.Sprintf("黄色督办单：任务%s %s进展报告被退回", code[r.TaskID], r.Period),
			Body:    fmt.Sprintf("退回意见：%s。请于%s前修改后重新报送。", r.Comment, respond), Rule: "notice.returned." + r.ReturnCause, RespondBy: respond})
	}
	return out
}
