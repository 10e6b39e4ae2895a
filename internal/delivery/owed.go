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
// in due order. With ps (the plan's status from EvaluatePlan; may be nil)
// a task completed before a cycle starts owes nothing for it: nobody
// should be chased for reports on finished work.
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

// reportIndex holds, per unit, task and cycle, the report furthest along
// in review and the day the first of its reports was submitted, so that a
// store keeping a resubmission as a second row and a store overwriting
// SubmittedAt on resubmission both date the first delivery right when
// they can.
type reportIndex struct {
	latest map[reportKey]*Report
	first  map[reportKey]Date
}

func indexReports(reports []Report, loc *time.Location) reportIndex {
	idx := reportIndex{latest: make(map[reportKey]*Report, len(reports)), first: make(map[reportKey]Date, len(reports))}
	for i := range reports {
		r := &reports[i]
		k := reportKey{r.TaskID, r.UnitID, r.Period}
		if old, ok := idx.latest[k]; !ok || stateOrder(r.State) > stateOrder(old.State) {
			idx.latest[k] = r
		}
		if r.State != StateDraft && r.SubmittedAt != nil {
			day := DayIn(*r.SubmittedAt, loc)
			if f, ok := idx.first[k]; !ok || day < f {
				idx.first[k] = day
			}
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
// day asOf. A report is delivered when it is submitted or further along
// and not sitting returned; it was on time when the unit's first
// submission for the cycle came by the end of the due day in loc and the
// report is not marked Late. A report returned for rework and resubmitted
// after the due day was still delivered on time (the return costs points
// of its own); the store should keep the first submission time or set
// Late, as it sees fit.
func Deliveries(obs []Obligation, reports []Report, loc *time.Location, asOf Date) []Delivery {
	if loc == nil {
		loc = Shanghai
	}
	idx := indexReports(reports, loc)
	out := make([]Delivery, len(obs))
	for i, o := range obs {
		dv := Delivery{Obligation: o}
		k := reportKey{o.TaskID, o.UnitID, o.Cycle.Key}
		if r, ok := idx.latest[k]; ok {
			dv.Report = r
			sent := r.State != StateDraft
			if first, ok := idx.first[k]; ok {
				sent = sent && first <= asOf
				dv.OnTime = sent && first <= o.Cycle.Due && !r.Late
			} else {
				// An imported report without a submission time: trust its
				// state and the Late flag.
				dv.OnTime = sent && !r.Late
			}
			dv.Delivered = sent && r.State != StateReturned
		}
		out[i] = dv
	}
	return out
}
