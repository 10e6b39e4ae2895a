package delivery

import (
	"errors"
	"math"
	"testing"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
)

func scorePlan() *plan.Plan {
	return &plan.Plan{ID: 1, Year: 2021, Jurisdiction: "140105", Tasks: []plan.Task{
		{ID: 1, Code: "1.1", LeadUnitID: 10, CoUnitIDs: []int64{11, 12}, Deadline: day("2021-06-30")},
		{ID: 2, Code: "1.2", LeadUnitID: 11, CoUnitIDs: []int64{10}, Deadline: day("2021-12-31")},
		{ID: 3, Code: "1.3", LeadUnitID: 12, Deadline: day("2021-12-31")},
	}}
}

func submitted(id, task, unit int64, period string, state ReportState, when string) Report {
	return Report{ID: id, TaskID: task, UnitID: unit, Period: period, State: state, SubmittedAt: at(when)}
}

func scoreOf(t *testing.T, scores []Score, unit int64) Score {
	t.Helper()
	for _, s := range scores {
		if s.UnitID == unit {
			return s
		}
	}
	t.Fatalf("no score for unit %d", unit)
	return Score{}
}

func TestAssessReports(t *testing.T) {
	p := scorePlan()
	returned := submitted(4, 2, 11, "2021-02", StateReturned, "2021-03-03 10:00")
	returned.ReturnCause, returned.ReviewedAt = "quality", at("2021-03-04 10:00")
	reports := []Report{
		submitted(1, 1, 10, "2021-01", StateAccepted, "2021-02-05 23:30"),  // last minute, on time
		submitted(2, 1, 10, "2021-02", StateSubmitted, "2021-03-06 00:10"), // ten minutes late (16:10 UTC on the 5th)
		submitted(3, 2, 11, "2021-01", StateAccepted, "2021-02-01 09:00"),
		returned, // on time, but returned for quality
		{ID: 5, TaskID: 3, UnitID: 12, Period: "2021-02", State: StateDraft},
	}
	in := Inputs{Plan: p, Reports: reports}
	asOf := d("2021-03-10")
	scores := Assess(in, EvaluatePlan(in, DefaultRules(), asOf), DefaultScoreRules(), DefaultRules(), asOf)

	tests := []struct {
		unit        int64
		total       float64
		owed, ontim int
		rank        int
		rules       []string
	}{
		{10, 99, 2, 1, 1, []string{"report.late"}},
		{11, 98, 2, 2, 2, []string{"report.returned"}},
		{12, 98, 2, 0, 2, []string{"report.missing", "report.missing"}},
	}
	for _, tt := range tests {
		s := scoreOf(t, scores, tt.unit)
		if s.Total != tt.total || s.Owed != tt.owed || s.OnTime != tt.ontim || s.Rank != tt.rank {
			t.Errorf("unit %d: total %v owed %d on time %d rank %d; want %v %d %d %d", tt.unit, s.Total, s.Owed, s.OnTime, s.Rank, tt.total, tt.owed, tt.ontim, tt.rank)
		}
		if len(s.Components) != len(tt.rules) {
			t.Fatalf("unit %d: components %+v, want rules %v", tt.unit, s.Components, tt.rules)
		}
		for i, c := range s.Components {
			if c.Rule != tt.rules[i] || c.Reason.Zh == "" || c.Reason.En == "" || c.TaskCode == "" {
				t.Errorf("unit %d component %d: %+v, want rule %s with reasons", tt.unit, i, c, tt.rules[i])
			}
		}
		if !near(s.OnTimeRate, float64(tt.ontim)/float64(tt.owed)) {
			t.Errorf("unit %d: on-time rate %v", tt.unit, s.OnTimeRate)
		}
	}
	if c := scoreOf(t, scores, 12).Components[0]; c.Period != "2021-01" || c.Reason.Zh != "任务1.3 2021-01进展报告未报送（2021-02-05截止），扣1分" {
		t.Errorf("missing report component: %+v", c)
	}
}

func TestAssessMissedTask(t *testing.T) {
	p := scorePlan()
	sr := ScoreRules{Base: 100, MissedLead: 5, MissedCo: 3, LateReport: 0, Returned: 2}
	in := Inputs{Plan: p}
	for _, tt := range []struct {
		asOf           string
		lead, co1, co2 float64
	}{
		{"2021-07-05", 100, 100, 100}, // June's report is due today: not yet missed
		{"2021-07-06", 95, 97, 97},
	} {
		asOf := d(tt.asOf)
		scores := Assess(in, EvaluatePlan(in, DefaultRules(), asOf), sr, DefaultRules(), asOf)
		for unit, want := range map[int64]float64{10: tt.lead, 11: tt.co1, 12: tt.co2} {
			if s := scoreOf(t, scores, unit); s.Total != want {
				t.Errorf("%s unit %d: %v (%+v), want %v", tt.asOf, unit, s.Total, s.Components, want)
			}
		}
	}
	// Property: every total is the base plus its components.
	scores := Assess(in, EvaluatePlan(in, DefaultRules(), d("2021-09-01")), DefaultScoreRules(), DefaultRules(), d("2021-09-01"))
	for _, s := range scores {
		sum := s.Base
		for _, c := range s.Components {
			sum += c.Points
		}
		if math.Abs(sum-s.Total) > 1e-6 {
			t.Errorf("unit %d: total %v, components add to %v", s.UnitID, s.Total, sum)
		}
	}
	if s := scoreOf(t, scores, 10); s.Components[0].Rule != "task.missed_lead" || s.Components[0].Reason.Zh != "任务1.1逾期未完成（截止2021-06-30），牵头单位扣5分" {
		t.Errorf("missed task component: %+v", s.Components[0])
	}
}

func TestCompletedTaskOwesNoMoreReports(t *testing.T) {
	p := &plan.Plan{ID: 1, Year: 2021, Tasks: []plan.Task{{ID: 1, Code: "1", LeadUnitID: 10, Deadline: day("2021-12-31")}}}
	done := acceptedReport(1, 1, "2021-01", "2021-02-03")
	done.UnitID, done.Assessment = 10, AssessCompleted
	in := Inputs{Plan: p, Reports: []Report{done}}
	asOf := d("2021-06-10")
	ps := EvaluatePlan(in, DefaultRules(), asOf)
	if obs := Obligations(p, Calendar{}, nil, &ps, d("2021-01-01"), asOf); len(obs) != 1 {
		t.Errorf("%d obligations after completion in January, want 1", len(obs))
	}
	if obs := Obligations(p, Calendar{}, nil, nil, d("2021-01-01"), asOf); len(obs) != 5 {
		t.Errorf("%d obligations without a status, want 5 (January to May)", len(obs))
	}
}

func TestObligationsFollowTheDeadline(t *testing.T) {
	p := &plan.Plan{ID: 1, Year: 2021, Tasks: []plan.Task{{ID: 1, Code: "1", LeadUnitID: 10, Deadline: day("2021-04-15")}}}
	obs := Obligations(p, Calendar{}, nil, nil, d("2021-01-01"), d("2022-12-31"))
	if len(obs) != 4 || obs[3].Cycle.Key != "2021-04" {
		t.Errorf("obligations %+v, want January to April", obs)
	}
	ext := Extension{TaskID: 1, State: ExtensionGranted, Original: d("2021-04-15"), Granted: d("2022-02-28"), DecidedOn: d("2021-04-10")}
	obs = Obligations(p, Calendar{}, []Extension{ext}, nil, d("2021-01-01"), d("2022-12-31"))
	if len(obs) != 14 || obs[13].Cycle.Key != "2022-02" {
		t.Errorf("%d obligations, last %+v; want 14 to 2022-02", len(obs), obs[len(obs)-1])
	}
}

func TestRank(t *testing.T) {
	scores := []Score{{UnitID: 1, Total: 90}, {UnitID: 2, Total: 95}, {UnitID: 3, Total: 95}, {UnitID: 4, Total: 80}, {UnitID: 5, Total: 95}, {UnitID: 6, Total: 100 - 0.1*3}}
	scores[5].Total = math.Round(scores[5].Total*1e6) / 1e6
	Rank(scores)
	want := []struct {
		unit int64
		rank int
	}{{6, 1}, {2, 2}, {3, 2}, {5, 2}, {1, 5}, {4, 6}}
	for i, w := range want {
		if scores[i].UnitID != w.unit || scores[i].Rank != w.rank {
			t.Errorf("place %d: unit %d rank %d, want unit %d rank %d", i, scores[i].UnitID, scores[i].Rank, w.unit, w.rank)
		}
	}
	// Property: ranks never decrease down the table and equal totals share one.
	for i := 1; i < len(scores); i++ {
		if scores[i].Rank < scores[i-1].Rank || (scores[i].Total == scores[i-1].Total) != (scores[i].Rank == scores[i-1].Rank) {
			t.Errorf("ranks %d %d for totals %v %v", scores[i-1].Rank, scores[i].Rank, scores[i-1].Total, scores[i].Total)
		}
	}
}

func TestScoreRulesValidate(t *testing.T) {
	if err := DefaultScoreRules().Validate(); err != nil {
		t.Error(err)
	}
	if err := (ScoreRules{Base: 100, LateReport: -1}).Validate(); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("negative deduction: %v", err)
	}
	if err := (ScoreRules{Base: math.NaN()}).Validate(); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("NaN base: %v", err)
	}
}

func TestExtensions(t *testing.T) {
	task := plan.Task{ID: 1, Code: "2.3", LeadUnitID: 10, Deadline: day("2021-06-30")}
	e, err := RequestExtension(task, nil, 10, d("2021-09-30"), " 征地手续未批复 ", d("2021-06-30"))
	if err != nil || e.Original != d("2021-06-30") || e.Reason != "征地手续未批复" || e.State != ExtensionRequested {
		t.Fatalf("request on the deadline day: %+v, %v", e, err)
	}
	bad := []struct {
		name     string
		unit     int64
		proposed string
		reason   string
		on       string
		existing []Extension
		want     error
	}{
		{"after the deadline", 10, "2021-09-30", "原因", "2021-07-01", nil, fault.ErrInvalid},
		{"not later", 10, "2021-06-30", "原因", "2021-06-01", nil, fault.ErrInvalid},
		{"no reason", 10, "2021-09-30", "  ", "2021-06-01", nil, fault.ErrInvalid},
		{"a cooperating unit", 11, "2021-09-30", "原因", "2021-06-01", nil, fault.ErrForbidden},
		{"one already waiting", 10, "2021-09-30", "原因", "2021-06-01", []Extension{e}, fault.ErrConflict},
	}
	for _, tt := range bad {
		if _, err := RequestExtension(task, tt.existing, tt.unit, d(tt.proposed), tt.reason, d(tt.on)); !errors.Is(err, tt.want) {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := RequestExtension(plan.Task{ID: 2, LeadUnitID: 10}, nil, 10, d("2021-09-30"), "x", d("2021-06-01")); !errors.Is(err, fault.ErrConflict) {
		t.Errorf("no deadline: %v", err)
	}

	if err := e.Grant(d("2021-06-30"), d("2021-07-02"), ""); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("grant not later: %v", err)
	}
	if err := e.Grant(d("2021-09-30"), d("2021-06-29"), ""); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("decided before asked: %v", err)
	}
	refused := e
	if err := refused.Refuse(d("2021-07-02"), " "); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("refusal without a reason: %v", err)
	}
	if err := e.Grant(d("2021-08-31"), d("2021-07-02"), "同意延期两个月"); err != nil || e.State != ExtensionGranted {
		t.Fatalf("grant: %v", err)
	}
	if err := e.Refuse(d("2021-07-03"), "x"); !errors.Is(err, fault.ErrConflict) {
		t.Errorf("refusing a granted extension: %v", err)
	}
	for _, tt := range []struct {
		asOf     string
		deadline string
		extended bool
	}{{"2021-07-01", "2021-06-30", false}, {"2021-07-02", "2021-08-31", true}} {
		dl, ext := Deadline(task, []Extension{e}, d(tt.asOf))
		if dl != d(tt.deadline) || ext != tt.extended {
			t.Errorf("Deadline at %s = %s %v, want %s %v", tt.asOf, dl, ext, tt.deadline, tt.extended)
		}
	}
	// A second request moves the granted date, and replaces the first.
	e2, err := RequestExtension(task, []Extension{e}, 10, d("2021-10-31"), "再次延期", d("2021-08-20"))
	if err != nil || e2.Original != d("2021-08-31") {
		t.Fatalf("second request: %+v %v", e2, err)
	}
	e2.ID = 2
	if err := e2.Grant(d("2021-10-15"), d("2021-08-25"), ""); err != nil {
		t.Fatal(err)
	}
	if dl, _ := Deadline(task, []Extension{e2, e}, d("2021-09-01")); dl != d("2021-10-15") {
		t.Errorf("after the second grant: %s", dl)
	}
}
