package delivery

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/plan"
)

// benchPlan builds a plan of n tasks, each with 1–3 indicators of mixed
// kinds, and five years (2021–2025) of accepted monthly reports on each.
// The tasks run to the end of 2025, as in a five-year plan (十四五), so
// every report is evidence and none is skipped as history: the worst case.
func benchPlan(n int) Inputs {
	p := &plan.Plan{ID: 1, Year: 2021, Jurisdiction: "140105"}
	for s := int64(1); s <= 10; s++ {
		p.Sections = append(p.Sections, plan.Section{ID: s, Title: fmt.Sprintf("板块%d", s)})
	}
	kinds := []plan.Kind{plan.Cumulative, plan.Level, plan.Growth}
	var reports []Report
	for i := 1; i <= n; i++ {
		id := int64(i)
		t := plan.Task{ID: id, SectionID: id%10 + 1, Code: fmt.Sprint(i), Title: "任务", LeadUnitID: id%40 + 1, CoUnitIDs: []int64{id%40 + 2}, Deadline: day("2025-12-31")}
		if i%7 == 0 {
			t.Milestones = []plan.Milestone{{ID: id, Title: "节点", Due: *day("2023-06-30")}}
		}
		for k := 0; k < 1+i%3; k++ {
			t.Indicators = append(t.Indicators, plan.Indicator{ID: id*10 + int64(k), TaskID: id, Name: "指标", Unit: "个",
				Target: 120, Comparator: plan.GE, Kind: kinds[(i+k)%3], AnnualOnly: i%11 == 0})
		}
		p.Tasks = append(p.Tasks, t)
		for y := 2021; y <= 2025; y++ {
			for m := 1; m <= 12; m++ {
				// Submitted on the 3rd of the next month, accepted on the 4th,
				// at noon in Beijing.
				submitted := time.Date(y, time.Month(m+1), 3, 4, 0, 0, 0, time.UTC)
				reviewed := submitted.AddDate(0, 0, 1)
				r := Report{ID: int64(len(reports) + 1), TaskID: id, UnitID: t.LeadUnitID, Period: fmt.Sprintf("%d-%02d", y, m),
					State: StateAccepted, Assessment: AssessOnTrack, SubmittedAt: &submitted, ReviewedAt: &reviewed}
				for k, in := range t.Indicators {
					r.Actuals = append(r.Actuals, Actual{IndicatorID: in.ID, Value: float64(((y-2021)*12+m)*(i%3+1) + k)})
				}
				reports = append(reports, r)
			}
		}
	}
	return Inputs{Plan: p, Reports: reports}
}

// BenchmarkPlanStatus: the status of a 500-task plan with five years of
// monthly reports must compute in under 20 ms, so the office's dashboard
// can evaluate it on every request instead of caching a stale answer.
func BenchmarkPlanStatus(b *testing.B) {
	in := benchPlan(500)
	rules := DefaultRules()
	asOf := d("2025-11-20")
	b.ReportAllocs()
	var ps PlanStatus
	cpu0, ok := cpuTime()
	for b.Loop() {
		ps = EvaluatePlan(in, rules, asOf)
	}
	if cpu1, ok1 := cpuTime(); ok && ok1 && b.N > 0 {
		// CPU time includes the garbage collector's helpers, which is
		// part of the cost.
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
	if ps.Plan.Total != 500 {
		b.Fatalf("%d tasks judged", ps.Plan.Total)
	}
}

func TestBenchPlanIsJudged(t *testing.T) {
	// The benchmark's plan is real work: every class it produces comes with
	// a reason, and some tasks are judged on figures.
	in := benchPlan(60)
	// Reports shuffled out of cycle order must give the same answer, and
	// evaluating must leave the caller's reports as they were.
	slices.Reverse(in.Reports)
	before := slices.Clone(in.Reports)
	ps := EvaluatePlan(in, DefaultRules(), d("2025-11-20"))
	if !reflect.DeepEqual(before, in.Reports) {
		t.Error("EvaluatePlan changed its input")
	}
	slices.Reverse(in.Reports)
	if again := EvaluatePlan(in, DefaultRules(), d("2025-11-20")); !reflect.DeepEqual(again, ps) {
		t.Error("the order of the reports changed the result")
	}
	if ps.Plan.Total != 60 {
		t.Fatalf("%d tasks", ps.Plan.Total)
	}
	judged := 0
	for _, ts := range ps.Tasks {
		if ts.Reason.En == "" {
			t.Fatalf("task %d has no reason", ts.TaskID)
		}
		if ts.Class != ClassNotAssessable {
			judged++
		}
	}
	if judged < 30 {
		t.Errorf("only %d of 60 tasks judged: %v", judged, ps.Plan.Counts)
	}
}
