package delivery

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
)

// ReminderRules say when reminders (催办) go out and how supervision
// notices (督办单) behave. Days count calendar days in the jurisdiction.
type ReminderRules struct {
	Before []int `json:"before"` // days before a due day
	OnDay  bool  `json:"on_day"` // on the due day itself
	After  []int `json:"after"`  // days after a due day, while still not done
	// BlueWithin: a blue notice goes out when a task's deadline is this
	// many days away or fewer and the task is not done.
	BlueWithin int `json:"blue_within"`
	// RespondWithin: days a unit has to answer a notice before it is
	// escalated to the responsible leader.
	RespondWithin int `json:"respond_within"`
}

// DefaultReminderRules: 3 and 1 days before, on the day, and 1, 3 and 7
// days after; blue notices 15 days before a deadline; 5 days to respond.
func DefaultReminderRules() ReminderRules {
	return ReminderRules{Before: []int{3, 1}, OnDay: true, After: []int{1, 3, 7}, BlueWithin: 15, RespondWithin: 5}
}

// Validate checks that every number of days is between 1 and 366.
func (rr ReminderRules) Validate() error {
	var v fault.Validation
	for _, f := range []struct {
		name string
		days []int
	}{{"before", rr.Before}, {"after", rr.After}} {
		for _, n := range f.days {
			if n < 1 || n > 366 {
				v.Add(f.name, "reminders.days", fmt.Sprintf("%d is not a number of days between 1 and 366", n))
			}
		}
	}
	if rr.BlueWithin < 0 || rr.BlueWithin > 366 {
		v.Add("blue_within", "reminders.days", "blue_within is between 0 (no blue notices) and 366 days")
	}
	if rr.RespondWithin < 1 || rr.RespondWithin > 366 {
		v.Add("respond_within", "reminders.days", "respond_within is between 1 and 366 days")
	}
	return v.Err()
}

// offsets are the days relative to a due day on which to remind: negative
// before, 0 on the day, positive after.
func (rr ReminderRules) offsets() (set map[int]bool, lo, hi int) {
	set = map[int]bool{}
	for _, b := range rr.Before {
		set[-b] = true
		lo = min(lo, -b)
	}
	if rr.OnDay {
		set[0] = true
	}
	for _, a := range rr.After {
		set[a] = true
		hi = max(hi, a)
	}
	return set, lo, hi
}

// ReminderKind says what a reminder is about.
type ReminderKind string

// Reminder kinds.
const (
	RemindReport    ReminderKind = "report"    // a cycle's report is due
	RemindMilestone ReminderKind = "milestone" // a milestone is due
	RemindDeadline  ReminderKind = "deadline"  // a task's deadline is due
)

// Reminder is one 催办 to a unit.
type Reminder struct {
	// Key is stable for the same reminder on any evaluation, so a
	// scheduler sends each once: kind, task, subject, due day, offset.
	Key         string       `json:"key"`
	Kind        ReminderKind `json:"kind"`
	TaskID      int64        `json:"task_id"`
	UnitID      int64        `json:"unit_id"`
	Period      string       `json:"period,omitempty"`
	MilestoneID int64        `json:"milestone_id,omitempty"`
	Due         Date         `json:"due"`
	Offset      int          `json:"offset"` // days from Due: −3 is three days before
	On          Date         `json:"on"`     // the day it is meant for
	Message     Text         `json:"message"`
}

// NoticeColor is the colour of a supervision notice (三色督办单).
type NoticeColor string

// Notice colours, mildest first.
const (
	NoticeBlue   NoticeColor = "blue"   // a deadline is near
	NoticeYellow NoticeColor = "yellow" // behind 序时进度, or a report returned for quality
	NoticeRed    NoticeColor = "red"    // overdue
)

// Notice is a supervision notice (督办单): a formal demand on a task's units
// that requires a dated response.
type Notice struct {
	Key       string      `json:"key"`
	Color     NoticeColor `json:"color"`
	Cause     string      `json:"cause"` // deadline_near, behind, returned, overdue
	TaskID    int64       `json:"task_id"`
	UnitID    int64       `json:"unit_id"` // the lead unit, which must respond
	CoUnitIDs []int64     `json:"co_unit_ids,omitempty"`
	Leader    string      `json:"leader,omitempty"`
	Issued    Date        `json:"issued"`
	RespondBy Date        `json:"respond_by"`
	Responded Date        `json:"responded,omitempty"` // 0 until the unit responds
	Reason    Text        `json:"reason"`
}

// Escalation hands an unanswered notice to the task's responsible leader.
type Escalation struct {
	Key       string `json:"key"`
	NoticeKey string `json:"notice_key"`
	TaskID    int64  `json:"task_id"`
	Leader    string `json:"leader"` // empty when the task names none: the office handles it
	On        Date   `json:"on"`
	Reason    Text   `json:"reason"`
}

// Supervision is everything the reminder rules read: the plan's inputs,
// the rules, the notices issued so far (with responses) and the keys of
// everything already sent.
type Supervision struct {
	Inputs
	Rules     Rules
	Reminders ReminderRules
	Notices   []Notice
	Sent      map[string]bool
}

// Actions are what is due: reminders, new notices and escalations, none of
// them already sent.
type Actions struct {
	Reminders   []Reminder   `json:"reminders"`
	Notices     []Notice     `json:"notices"`
	Escalations []Escalation `json:"escalations"`
	// Superseded are keys a catch-up run did not return because a later
	// action on the same thing replaces them (the "1 day late" reminder
	// once the "3 days late" one is due); record them as sent.
	Superseded []string `json:"superseded,omitempty"`
}

// On returns what is due on day, judged at the end of that day.
func (s Supervision) On(day Date) Actions {
	var out Actions
	p := s.Plan
	ps := EvaluatePlan(s.Inputs, s.Rules, day)
	set, lo, hi := s.Reminders.offsets()
	status := make(map[int64]TaskStatus, len(ps.Tasks))
	for _, ts := range ps.Tasks {
		status[ts.TaskID] = ts
	}
	loc := s.Rules.location()
	add := func(r Reminder) {
		if !s.Sent[r.Key] {
			out.Reminders = append(out.Reminders, r)
		}
	}

	// Reports owed with a due day in reach of an offset.
	obs := Obligations(p, s.Calendar, s.Extensions, &ps, day-Date(hi), day-Date(lo))
	for _, dv := range Deliveries(obs, s.Reports, loc, day) {
		off := int(day - dv.Cycle.Due)
		if dv.Delivered || !set[off] {
			continue
		}
		code := taskCode(p, dv.TaskID)
		w := when(off, dv.Cycle.Due)
		add(Reminder{Key: fmt.Sprintf("remind/report/%d/%d/%s/%+d", dv.TaskID, dv.UnitID, dv.Cycle.Key, off), Kind: RemindReport,
			TaskID: dv.TaskID, UnitID: dv.UnitID, Period: dv.Cycle.Key, Due: dv.Cycle.Due, Offset: off, On: day,
			Message: Text{fmt.Sprintf("任务%s %s进展报告%s", code, dv.Cycle.Key, w.Zh), fmt.Sprintf("task %s: the %s report %s", code, dv.Cycle.Key, w.En)}})
	}

	for _, t := range p.Tasks {
		ts := status[t.ID]
		if ts.Completed != 0 && ts.Completed <= day {
			continue
		}
		for _, m := range t.Milestones {
			due := DateOf(m.Due)
			off := int(day - due)
			if !set[off] || (m.DoneAt != nil && DayIn(*m.DoneAt, loc) <= day) {
				continue
			}
			w := when(off, due)
			add(Reminder{Key: fmt.Sprintf("remind/milestone/%d/%d/%s/%+d", t.ID, m.ID, due, off), Kind: RemindMilestone,
				TaskID: t.ID, UnitID: t.LeadUnitID, MilestoneID: m.ID, Due: due, Offset: off, On: day,
				Message: Text{fmt.Sprintf("任务%s节点“%s”%s", t.Code, m.Title, w.Zh), fmt.Sprintf("task %s: milestone “%s” %s", t.Code, m.Title, w.En)}})
		}
		if t.Deadline == nil && !ts.Extended {
			continue
		}
		// After the deadline, remind only once the task is judged overdue:
		// until the last cycle's report is due, it may be done already.
		dl := ts.Deadline
		if off := int(day - dl); set[off] && (off <= 0 || ts.Class == ClassOverdue) {
			w := when(off, dl)
			add(Reminder{Key: fmt.Sprintf("remind/deadline/%d/%s/%+d", t.ID, dl, off), Kind: RemindDeadline,
				TaskID: t.ID, UnitID: t.LeadUnitID, Due: dl, Offset: off, On: day,
				Message: Text{fmt.Sprintf("任务%s完成时限%s", t.Code, w.Zh), fmt.Sprintf("task %s: the deadline %s", t.Code, w.En)}})
		}
	}

	// Notices.
	notice := func(t plan.Task, key string, c NoticeColor, cause string, reason Text) {
		if s.Sent[key] {
			return
		}
		out.Notices = append(out.Notices, Notice{Key: key, Color: c, Cause: cause, TaskID: t.ID, UnitID: t.LeadUnitID, CoUnitIDs: t.CoUnitIDs,
			Leader: t.Leader, Issued: day, RespondBy: day + Date(s.Reminders.RespondWithin), Reason: reason})
	}
	for _, t := range p.Tasks {
		ts := status[t.ID]
		switch {
		case ts.Completed != 0:
		case ts.Class == ClassOverdue:
			notice(t, fmt.Sprintf("notice/red/%d/overdue/%s", t.ID, ts.Deadline), NoticeRed, "overdue", ts.Reason)
		default:
			if ts.Class == ClassBehind {
				// At most one per task per reporting cycle while it stays behind.
				cycle := s.Calendar.CycleOf(day)
				notice(t, fmt.Sprintf("notice/yellow/%d/behind/%s", t.ID, cycle.Key), NoticeYellow, "behind", ts.Reason)
			}
			if left := int(ts.Deadline - day); left > 0 && left <= s.Reminders.BlueWithin && (t.Deadline != nil || ts.Extended) {
				notice(t, fmt.Sprintf("notice/blue/%d/deadline/%s", t.ID, ts.Deadline), NoticeBlue, "deadline_near", Text{
					fmt.Sprintf("任务%s将于%s到期（还有%d天），尚未完成", t.Code, ts.Deadline, left),
					fmt.Sprintf("task %s is due %s (in %d days) and not done", t.Code, ts.Deadline, left)})
			}
		}
	}
	// A report returned for false or poor content gets a yellow notice,
	// once (the key names the report), from the day it was returned until
	// it is accepted: the store keeps ReturnCause on a report resubmitted
	// after a return, so a quick resubmission does not dodge the notice.
	for _, r := range s.Reports {
		if r.State == StateAccepted || r.State == StateDraft || (r.ReturnCause != "quality" && r.ReturnCause != "false") ||
			r.ReviewedAt == nil || DayIn(*r.ReviewedAt, loc) > day {
			continue
		}
		t, ok := taskOf(p, r.TaskID)
		if !ok {
			continue
		}
		why := Text{"质量不高", "poor content"}
		if r.ReturnCause == "false" {
			why = Text{"内容不实", "false content"}
		}
		notice(t, fmt.Sprintf("notice/yellow/%d/returned/%d", t.ID, r.ID), NoticeYellow, "returned", Text{
			fmt.Sprintf("任务%s %s进展报告因%s被退回", t.Code, r.Period, why.Zh),
			fmt.Sprintf("task %s: the %s report was returned for %s", t.Code, r.Period, why.En)})
	}

	// Escalations of notices nobody answered in time.
	for _, n := range s.Notices {
		key := "escalate/" + n.Key
		if n.Responded != 0 || day <= n.RespondBy || s.Sent[key] {
			continue
		}
		leader := n.Leader
		if t, ok := taskOf(p, n.TaskID); ok && leader == "" {
			leader = t.Leader
		}
		out.Escalations = append(out.Escalations, Escalation{Key: key, NoticeKey: n.Key, TaskID: n.TaskID, Leader: leader, On: day, Reason: Text{
			fmt.Sprintf("督办单（%s）应于%s前回复，逾期未回复，报请责任领导督办", colorZh[n.Color], n.RespondBy),
			fmt.Sprintf("the %s notice was to be answered by %s and was not: escalated to the responsible leader", n.Color, n.RespondBy)}})
	}
	return out
}

var colorZh = map[NoticeColor]string{NoticeBlue: "蓝色", NoticeYellow: "黄色", NoticeRed: "红色"}

// Between returns everything due from day from to day to, for a scheduler
// catching up after downtime: each day is evaluated as if the scheduler
// had run then, every key appears once, and only the latest of several
// actions on one thing is returned (the latest reminder per subject, the
// latest "behind" notice per task, a red notice rather than the blue or
// "behind" yellow before it); the others are listed as Superseded.
func (s Supervision) Between(from, to Date) Actions {
	sent := maps.Clone(s.Sent)
	if sent == nil {
		sent = map[string]bool{}
	}
	var all Actions
	for day := from; day <= to; day++ {
		run := s
		run.Sent = sent
		a := run.On(day)
		for _, r := range a.Reminders {
			sent[r.Key] = true
		}
		for _, n := range a.Notices {
			sent[n.Key] = true
		}
		for _, e := range a.Escalations {
			sent[e.Key] = true
		}
		all.Reminders = append(all.Reminders, a.Reminders...)
		all.Notices = append(all.Notices, a.Notices...)
		all.Escalations = append(all.Escalations, a.Escalations...)
	}

	// Keep the latest reminder per subject.
	latest := map[string]int{}
	for i, r := range all.Reminders {
		latest[subject(r.Key)] = i
	}
	kept := all.Reminders[:0:0]
	for i, r := range all.Reminders {
		if latest[subject(r.Key)] == i {
			kept = append(kept, r)
		} else {
			all.Superseded = append(all.Superseded, r.Key)
		}
	}
	all.Reminders = kept

	// A red notice overtakes a blue or "behind" yellow one on the same task;
	// a yellow one about a returned report stays, as it names the report.
	red := map[int64]bool{}
	for _, n := range all.Notices {
		if n.Color == NoticeRed {
			red[n.TaskID] = true
		}
	}
	// Of several "behind" notices on a task (downtime over more than one
	// cycle), the latest says it all.
	lastBehind := map[int64]int{}
	for i, n := range all.Notices {
		if n.Cause == "behind" {
			lastBehind[n.TaskID] = i
		}
	}
	notices := all.Notices[:0:0]
	for i, n := range all.Notices {
		stale := n.Cause == "behind" && lastBehind[n.TaskID] != i
		if stale || ((n.Cause == "deadline_near" || n.Cause == "behind") && red[n.TaskID]) {
			all.Superseded = append(all.Superseded, n.Key)
			continue
		}
		notices = append(notices, n)
	}
	all.Notices = notices
	slices.Sort(all.Superseded)
	return all
}

// subject is a reminder key without its offset: the thing reminded about.
func subject(key string) string {
	if i := strings.LastIndexByte(key, '/'); i >= 0 {
		return key[:i]
	}
	return key
}

// when says how a due day relates to today, in words.
func when(off int, due Date) Text {
	switch {
	case off < 0:
		return Text{fmt.Sprintf("将于%s截止，还有%d天", due, -off), fmt.Sprintf("is due %s, in %d days", due, -off)}
	case off == 0:
		return Text{fmt.Sprintf("今天（%s）截止", due), fmt.Sprintf("is due today (%s)", due)}
	default:
		return Text{fmt.Sprintf("已于%s截止，逾期%d天，请尽快办理", due, off), fmt.Sprintf("was due %s and is %d days late", due, off)}
	}
}

func taskOf(p *plan.Plan, id int64) (plan.Task, bool) {
	for _, t := range p.Tasks {
		if t.ID == id {
			return t, true
		}
	}
	return plan.Task{}, false
}

func taskCode(p *plan.Plan, id int64) string {
	t, _ := taskOf(p, id)
	return t.Code
}
