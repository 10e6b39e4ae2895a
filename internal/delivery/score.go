package delivery

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/duban-org/duban/internal/fault"
)

// ScoreRules are the points of the assessment (考核) formula. Every
// deduction appears as a Component of the unit's Score, so a unit can check
// its total by hand.
type ScoreRules struct {
	Base       float64 `json:"base"`        // every unit starts here
	MissedLead float64 `json:"missed_lead"` // a missed task, to its lead unit
	MissedCo   float64 `json:"missed_co"`   // a missed task, to each cooperating unit
	LateReport float64 `json:"late_report"` // a report delivered after its due day, or not at all
	Returned   float64 `json:"returned"`    // a report returned for false or poor content
}

// DefaultScoreRules: base 100; a missed task costs the lead unit 5 and each
// cooperating unit 3; a late report 1; a report returned for false or poor
// content 2.
func DefaultScoreRules() ScoreRules {
	return ScoreRules{Base: 100, MissedLead: 5, MissedCo: 3, LateReport: 1, Returned: 2}
}

// Validate checks that no deduction is negative (a "deduction" that adds
// points would hide in the formula).
func (s ScoreRules) Validate() error {
	var v fault.Validation
	for _, f := range []struct {
		name string
		x    float64
	}{{"base", s.Base}, {"missed_lead", s.MissedLead}, {"missed_co", s.MissedCo}, {"late_report", s.LateReport}, {"returned", s.Returned}} {
		if !(f.x >= 0 && f.x <= 1000) {
			v.Add(f.name, "score.points", fmt.Sprintf("%s must be between 0 and 1000 points", f.name))
		}
	}
	return v.Err()
}

// Component is one line of a unit's score: which task (and cycle), which
// rule, how many points.
type Component struct {
	Rule     string  `json:"rule"` // task.missed_lead, task.missed_co, report.late, report.missing, report.returned
	TaskID   int64   `json:"task_id"`
	TaskCode string  `json:"task_code"`
	Period   string  `json:"period,omitempty"`
	Points   float64 `json:"points"` // negative for a deduction
	Reason   Text    `json:"reason"`
}

// Score is a unit's assessment with everything it was computed from.
type Score struct {
	UnitID     int64       `json:"unit_id"`
	Base       float64     `json:"base"`
	Components []Component `json:"components"`
	Total      float64     `json:"total"` // Base plus every component's points
	// Owed reports whose due day has passed, and how many came on time.
	// OnTimeRate is OnTime/Owed, and 1 while nothing is owed yet.
	Owed       int     `json:"owed"`
	OnTime     int     `json:"on_time"`
	OnTimeRate float64 `json:"on_time_rate"`
	// Led tasks that can be judged, and how many have a green light.
	// OnTrackShare is OnTrack/Assessed, 0 while nothing can be judged.
	Assessed     int     `json:"assessed"`
	OnTrack      int     `json:"on_track"`
	OnTrackShare float64 `json:"on_track_share"`
	Rank         int     `json:"rank"` // 1 is best; equal totals share a rank
}

// Assess scores every unit that leads or cooperates on a task of the plan,
// at the end of day asOf, from the plan's status at that day, and returns
// the scores ranked.
//
// A task is missed when it is overdue or was completed after its deadline:
// missing the date is the fault either way. Reports count against the lead
// unit, which owes them (see Obligations).
func Assess(in Inputs, ps PlanStatus, sr ScoreRules, rules Rules, asOf Date) []Score {
	p := in.Plan
	byUnit := map[int64]*Score{}
	unit := func(id int64) *Score {
		s, ok := byUnit[id]
		if !ok {
			s = &Score{UnitID: id, Base: sr.Base}
			byUnit[id] = s
		}
		return s
	}
	code := make(map[int64]string, len(p.Tasks))
	task := make(map[int64]int, len(p.Tasks))
	for i, t := range p.Tasks {
		code[t.ID], task[t.ID] = t.Code, i
		if t.LeadUnitID != 0 {
			unit(t.LeadUnitID)
		}
		for _, co := range t.CoUnitIDs {
			unit(co)
		}
	}

	// Tasks: missed ones, and the share on track.
	for _, ts := range ps.Tasks {
		i, ok := task[ts.TaskID]
		if !ok {
			continue
		}
		t := p.Tasks[i]
		if t.LeadUnitID != 0 && ts.Class != ClassNotAssessable {
			s := unit(t.LeadUnitID)
			s.Assessed++
			if ts.Light == Green {
				s.OnTrack++
			}
		}
		if ts.Class != ClassOverdue && ts.Rule != "task.completed_late" {
			continue
		}
		what := Text{fmt.Sprintf("任务%s逾期未完成（截止%s）", t.Code, ts.Deadline), fmt.Sprintf("task %s not done by its deadline %s", t.Code, ts.Deadline)}
		if ts.Class != ClassOverdue {
			what = Text{fmt.Sprintf("任务%s逾期完成（截止%s）", t.Code, ts.Deadline), fmt.Sprintf("task %s done after its deadline %s", t.Code, ts.Deadline)}
		}
		if t.LeadUnitID != 0 {
			unit(t.LeadUnitID).deduct(Component{Rule: "task.missed_lead", TaskID: t.ID, TaskCode: t.Code, Points: -sr.MissedLead,
				Reason: Text{what.Zh + "，牵头单位扣" + num(sr.MissedLead) + "分", what.En + ", lead unit: −" + num(sr.MissedLead)}})
		}
		for _, co := range t.CoUnitIDs {
			unit(co).deduct(Component{Rule: "task.missed_co", TaskID: t.ID, TaskCode: t.Code, Points: -sr.MissedCo,
				Reason: Text{what.Zh + "，配合单位扣" + num(sr.MissedCo) + "分", what.En + ", cooperating unit: −" + num(sr.MissedCo)}})
		}
	}

	// Reports: late or missing ones among those due before asOf.
	obs := Obligations(p, in.Calendar, in.Extensions, &ps, NewDate(p.Year, 1, 1), asOf-1)
	for _, dv := range Deliveries(obs, in.Reports, rules.location(), asOf) {
		s := unit(dv.UnitID)
		s.Owed++
		if dv.OnTime {
			s.OnTime++
			continue
		}
		c := Component{Rule: "report.late", TaskID: dv.TaskID, TaskCode: code[dv.TaskID], Period: dv.Cycle.Key, Points: -sr.LateReport}
		if dv.Report == nil || dv.Report.State == StateDraft {
			c.Rule = "report.missing"
			c.Reason = Text{fmt.Sprintf("任务%s %s进展报告未报送（%s截止），扣%s分", c.TaskCode, c.Period, dv.Cycle.Due, num(sr.LateReport)),
				fmt.Sprintf("task %s: %s report not delivered (due %s): −%s", c.TaskCode, c.Period, dv.Cycle.Due, num(sr.LateReport))}
		} else {
			c.Reason = Text{fmt.Sprintf("任务%s %s进展报告迟报（%s截止），扣%s分", c.TaskCode, c.Period, dv.Cycle.Due, num(sr.LateReport)),
				fmt.Sprintf("task %s: %s report late (due %s): −%s", c.TaskCode, c.Period, dv.Cycle.Due, num(sr.LateReport))}
		}
		s.deduct(c)
	}
	for _, r := range in.Reports {
		if r.ReturnCause != "quality" && r.ReturnCause != "false" {
			continue
		}
		if r.ReviewedAt != nil && DayIn(*r.ReviewedAt, rules.location()) > asOf {
			continue
		}
		why := Text{"内容质量不高", "poor content"}
		if r.ReturnCause == "false" {
			why = Text{"内容不实", "false content"}
		}
		onZh, onEn := "任务"+code[r.TaskID], "task "+code[r.TaskID]
		if r.OnMainIndicators() {
			onZh, onEn = "主要预期指标", "main indicators"
		}
		unit(r.UnitID).deduct(Component{Rule: "report.returned", TaskID: r.TaskID, TaskCode: code[r.TaskID], Period: r.Period, Points: -sr.Returned,
			Reason: Text{fmt.Sprintf("%s %s进展报告因%s被退回，扣%s分", onZh, r.Period, why.Zh, num(sr.Returned)),
				fmt.Sprintf("%s: %s report returned for %s: −%s", onEn, r.Period, why.En, num(sr.Returned))}})
	}

	out := make([]Score, 0, len(byUnit))
	for _, s := range byUnit {
		s.Total = s.Base
		for _, c := range s.Components {
			s.Total += c.Points
		}
		s.Total = math.Round(s.Total*1e6) / 1e6 // 100 − 0.1 × 3 must tie with 99.7
		s.OnTimeRate = 1
		if s.Owed > 0 {
			s.OnTimeRate = float64(s.OnTime) / float64(s.Owed)
		}
		if s.Assessed > 0 {
			s.OnTrackShare = float64(s.OnTrack) / float64(s.Assessed)
		}
		out = append(out, *s)
	}
	Rank(out)
	return out
}

// deduct records a component; rules set to 0 points leave no line, so the
// formula shows only what counts.
func (s *Score) deduct(c Component) {
	if c.Points != 0 {
		s.Components = append(s.Components, c)
	}
}

// Rank orders scores by total, best first, and numbers them the way
// sports tables do: equal totals share a rank and the next rank skips
// (1, 2, 2, 4), so a tie never pushes anyone up. Within a tie units appear
// in ID order, which says nothing about merit.
func Rank(scores []Score) {
	slices.SortFunc(scores, func(a, b Score) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.UnitID, b.UnitID))
	})
	for i := range scores {
		if i > 0 && scores[i].Total == scores[i-1].Total {
			scores[i].Rank = scores[i-1].Rank
		} else {
			scores[i].Rank = i + 1
		}
	}
}
