package delivery

import (
	"time"

	"github.com/duban-org/duban/internal/plan"
)

// Obligation is a report a unit owes: the lead unit of a task reports once
// per cycle, from the plan year's first cycle until the cycle that contains
// the deadline in force, and no longer once the task is completed.
// Cooperating units feed the lead unit; they owe no report of their own.
type Obligation struct {
	TaskID int64 `json:"task_id"`
	UnitID int64 `json:"unit_id"`
	Cycle  Cycle `json:"cycle"`
}

// Delivery says what became of an obligation by a day.
type Delivery struct {
	Obligation
	Report *Report `json:"-"` // the unit's report for the cycle, if any
	// Delivered: submitted (or further) and not sitting returned.
	Delivered bool `json:"delivered"`
	// OnTime: first delivered no later than the due day.
	OnTime bool `json:"on_time"`
}

// Obligations lists the reports owed on p whose due day is in from..to,
// in due order. Completed (from EvaluatePlan, may be nil) stops the
// obligations of tasks completed before a cycle starts.
func Obligations(p *plan.Plan, cal Calendar, exts []Extension, ps *PlanStatus, from, to Date) []Obligation {
	var out []Obligation
	completed := map[int64]Date{}
	if ps != nil {
		for _, ts := range ps.Tasks {
			if ts.Completed != 0 {
				completed[ts.TaskID] = ts.Completed
			}
		}
	}
	// Cycles of the plan year and of the years a deadline reaches into.
	lastYear := p.Year
	for _, t := range p.Tasks {
		if dl, _ := Deadline(t, exts, to); dl != 0 {
			lastYear = max(lastYear, dl.Year())
		}
	}
	var cycles []Cycle
	for y := p.Year; y <= lastYear && y <= p.Year+5; y++ {
		for _, c := range cal.Cycles(y) {
			if c.Due >= from && c.Due <= to {
				cycles = append(cycles, c)
			}
		}
	}
	for _, c := range cycles {
		for _, t := range p.Tasks {
			if t.LeadUnitID == 0 {
				continue
			}
			dl, _ := Deadline(t, exts, c.End)
			if dl == 0 {
				dl = yearEnd(p.Year)
			}
			if c.Start > dl {
				continue
			}
			if done, ok := completed[t.ID]; ok && done < c.Start {
				continue
			}
			out = append(out, Obligation{TaskID: t.ID, UnitID: t.LeadUnitID, Cycle: c})
		}
	}
	return out
}

// reportKey finds a unit's report on a task for a cycle.
type reportKey struct {
	task, unit int64
	period     string
}

func indexReports(reports []Report) map[reportKey]*Report {
	idx := make(map[reportKey]*Report, len(reports))
	for i := range reports {
		r := &reports[i]
		k := reportKey{r.TaskID, r.UnitID, r.Period}
		// Keep the furthest along if a unit has two (a draft beside a
		// submitted one).
		if old, ok := idx[k]; !ok || stateOrder(r.State) > stateOrder(old.State) {
			idx[k] = r
		}
	}
	return idx
}

func stateOrder(s ReportState) int {
	switch s {
	case StateAccepted:
		return 4
	case StateSignedOff:
		return 3
	case StateSubmitted:
		return 2
	case StateReturned:
		return 1
	}
	return 0
}

// Deliveries matches obligations with reports as they stood at the end of
// day asOf. A report counts as on time when it was first submitted by the
// end of its due day in loc and not marked Late; the store should keep the
// first submission time (or set Late) so that a resubmission after a
// return is not mistaken for a late first delivery.
func Deliveries(obs []Obligation, reports []Report, loc *time.Location, asOf Date) []Delivery {
	if loc == nil {
		loc = Shanghai
	}
	idx := indexReports(reports)
	out := make([]Delivery, len(obs))
	for i, o := range obs {
		dv := Delivery{Obligation: o}
		if r, ok := idx[reportKey{o.TaskID, o.UnitID, o.Cycle.Key}]; ok {
			dv.Report = r
			sent := r.State != StateDraft
			if r.SubmittedAt == nil {
				// An imported report without a submission time: trust its
				// state and the Late flag.
				dv.OnTime = sent && !r.Late
			} else {
				submitted := DayIn(*r.SubmittedAt, loc)
				sent = sent && submitted <= asOf
				dv.OnTime = sent && submitted <= o.Cycle.Due && !r.Late
			}
			dv.Delivered = sent && r.State != StateReturned
		}
		out[i] = dv
	}
	return out
}
