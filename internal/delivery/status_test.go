package delivery

import (
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
)

// day returns a stored DATE (midnight UTC), as the store hands them over.
func day(s string) *time.Time {
	t := d(s).Time()
	return &t
}

// at returns an instant in Shanghai.
func at(s string) *time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Shanghai)
	if err != nil {
		panic(err)
	}
	return &t
}

// acceptedReport is a report accepted on the given Shanghai day at noon.
func acceptedReport(id, task int64, period string, reviewed string, actuals ...Actual) Report {
	return Report{ID: id, TaskID: task, UnitID: 10, Period: period, State: StateAccepted, Actuals: actuals,
		SubmittedAt: at(reviewed + " 09:00"), ReviewedAt: at(reviewed + " 12:00")}
}

// employment is a task with one cumulative indicator: 1,000 new jobs by year end.
func employment(id int64, deadline string) plan.Task {
	return plan.Task{ID: id, SectionID: 2, Code: "1." + string(rune('0'+id)), Title: "稳就业", LeadUnitID: 10, CoUnitIDs: []int64{11, 12},
		Deadline:   day(deadline),
		Indicators: []plan.Indicator{{ID: id * 100, TaskID: id, Name: "新增就业", Unit: "人", Target: 1000, Comparator: plan.GE, Kind: plan.Cumulative}}}
}

func jobs(task int64, v float64) Actual { return Actual{IndicatorID: task * 100, Value: v} }

func taskStatus(t *testing.T, in Inputs, r Rules, asOf string) TaskStatus {
	t.Helper()
	ts, err := EvaluateTask(in, in.Plan.Tasks[0].ID, r, d(asOf))
	if err != nil {
		t.Fatal(err)
	}
	if ts.Light != ts.Class.Light() {
		t.Errorf("light %s for class %s", ts.Light, ts.Class)
	}
	if ts.Reason.Zh == "" || ts.Reason.En == "" || ts.Rule == "" {
		t.Errorf("status %+v lacks its rule or reason", ts.Status)
	}
	return ts
}

func TestTaskStatus(t *testing.T) {
	task := employment(1, "2021-12-31")
	halfYear := employment(1, "2021-06-30")
	qualitative := plan.Task{ID: 1, Code: "2.1", Title: "优化营商环境", LeadUnitID: 10, Deadline: day("2021-12-31")}
	withMilestone := qualitative
	withMilestone.Milestones = []plan.Milestone{{ID: 1, Title: "出台方案", Due: *day("2021-03-31")}}
	doneMilestone := qualitative
	doneMilestone.Milestones = []plan.Milestone{{ID: 1, Title: "出台方案", Due: *day("2021-03-31"), DoneAt: at("2021-03-20 10:00")}}
	annual := employment(1, "2021-12-31")
	annual.Indicators[0].AnnualOnly = true
	ceiling := plan.Task{ID: 1, Code: "3.1", LeadUnitID: 10, Deadline: day("2021-12-31"), Indicators: []plan.Indicator{
		{ID: 100, Name: "城镇调查失业率", Unit: "%", Target: 5.5, Comparator: plan.LE, Kind: plan.Level}}}

	march := func(v float64) []Report { return []Report{acceptedReport(1, 1, "2021-03", "2021-04-02", jobs(1, v))} }
	assessed := func(a Assessment, reviewed string) []Report {
		r := acceptedReport(1, 1, "2021-03", reviewed)
		r.Assessment = a
		return []Report{r}
	}
	pending := Extension{ID: 1, TaskID: 1, UnitID: 10, Original: d("2021-06-30"), Proposed: d("2021-09-30"), Reason: "拆迁未完成", RequestedOn: d("2021-06-20"), State: ExtensionRequested}
	granted := pending
	granted.State, granted.Granted, granted.DecidedOn = ExtensionGranted, d("2021-09-30"), d("2021-07-08")
	refused := pending
	refused.State, refused.DecidedOn, refused.Note = ExtensionRefused, d("2021-06-25"), "理由不充分"

	tests := []struct {
		name    string
		task    plan.Task
		reports []Report
		exts    []Extension
		asOf    string
		class   Class
		rule    string
		reason  string // a part of the Chinese reason
	}{
		{"nothing reported", task, nil, nil, "2021-02-10", ClassNotAssessable, "indicator.no_figure", "尚无审核通过的数据"},
		{"on 序时进度 at the margin", task, march(200), nil, "2021-04-10", ClassOnTrack, "indicator.on_track", "已完成20%，序时进度25%：序时推进"},
		{"behind 序时进度", task, march(199), nil, "2021-04-10", ClassBehind, "indicator.behind", "已完成19.9%，序时进度25%：滞后"},
		{"ahead of 序时进度", task, march(300), nil, "2021-04-10", ClassAhead, "indicator.ahead", "已完成30%"},
		// Before March's due day, progress is measured at the end of March
		// only because the March figure is already in.
		{"figure in before the due day", task, march(199), nil, "2021-04-03", ClassBehind, "indicator.behind", "序时进度25%"},
		// Reviewed on 6 April at 01:00 Beijing time (5 April, 17:00 UTC): not
		// yet known at the end of 5 April, so only February's end counts.
		{"review after the day boundary", task, []Report{{ID: 1, TaskID: 1, Period: "2021-03", State: StateAccepted, Actuals: []Actual{jobs(1, 199)},
			ReviewedAt: ptr(time.Date(2021, 4, 5, 17, 0, 0, 0, time.UTC))}}, nil, "2021-04-05", ClassNotAssessable, "indicator.no_figure", ""},
		{"submitted but not accepted", task, []Report{{ID: 1, TaskID: 1, Period: "2021-03", State: StateSubmitted, Actuals: []Actual{jobs(1, 500)}}}, nil, "2021-04-10", ClassNotAssessable, "indicator.no_figure", ""},
		{"completed ahead", task, []Report{acceptedReport(1, 1, "2021-06", "2021-07-02", jobs(1, 1000))}, nil, "2021-07-10", ClassCompletedAhead, "task.completed_ahead", "2021-06-30完成"},
		{"completed in december", task, []Report{acceptedReport(1, 1, "2021-12", "2022-01-04", jobs(1, 1010))}, nil, "2022-01-04", ClassCompleted, "task.completed", ""},
		{"deadline day is not overdue", halfYear, march(850), nil, "2021-06-30", ClassOnTrack, "indicator.on_track", ""},
		// June's report (due 5 July) may still show the work done by 30 June.
		{"deadline passed, June's report not yet due", halfYear, march(500), nil, "2021-07-05", ClassBehind, "indicator.behind", ""},
		{"overdue once June's report is due", halfYear, march(500), nil, "2021-07-06", ClassOverdue, "task.overdue", "截止日期2021-06-30已过，未完成（新增就业，已完成50%，序时进度100%：未达目标（滞后））：逾期"},
		{"june's report awaiting review", halfYear, append(march(500), Report{ID: 2, TaskID: 1, UnitID: 10, Period: "2021-06", State: StateSubmitted,
			SubmittedAt: at("2021-07-03 09:00"), Actuals: []Actual{jobs(1, 1000)}}), nil, "2021-07-09", ClassBehind, "indicator.missed", ""},
		{"june's report accepted late, work done on time", halfYear, append(march(500), acceptedReport(2, 1, "2021-06", "2021-07-12", jobs(1, 1000))), nil, "2021-07-12", ClassCompleted, "task.completed", "2021-06-30完成"},
		{"pending extension does not stop the clock", halfYear, march(500), []Extension{pending}, "2021-07-06", ClassOverdue, "task.overdue_no_extension", "按原定日期"},
		{"refused extension", halfYear, march(500), []Extension{refused}, "2021-07-06", ClassOverdue, "task.overdue_no_extension", ""},
		{"granted extension, before the decision", halfYear, march(500), []Extension{granted}, "2021-07-07", ClassOverdue, "task.overdue_no_extension", ""},
		{"granted extension moves the deadline", halfYear, march(500), []Extension{granted}, "2021-07-08", ClassBehind, "indicator.behind", "序时进度66.7%"},
		{"extended deadline, September's report not yet due", halfYear, march(500), []Extension{granted}, "2021-10-05", ClassBehind, "indicator.behind", ""},
		{"extended deadline passed", halfYear, march(500), []Extension{granted}, "2021-10-06", ClassOverdue, "task.overdue", "延期后的截止日期2021-09-30"},
		{"completed late", halfYear, []Report{acceptedReport(1, 1, "2021-07", "2021-08-03", jobs(1, 1000))}, nil, "2021-08-10", ClassCompleted, "task.completed_late", "逾期完成"},
		{"milestone due today", withMilestone, nil, nil, "2021-03-31", ClassNotAssessable, "task.no_report", ""},
		{"milestone missed", withMilestone, nil, nil, "2021-04-01", ClassBehind, "task.milestone_missed", "节点“出台方案”应于2021-03-31完成"},
		{"milestone done", doneMilestone, nil, nil, "2021-04-01", ClassNotAssessable, "task.no_report", ""},
		{"self-assessed on track", qualitative, assessed(AssessOnTrack, "2021-04-02"), nil, "2021-04-10", ClassOnTrack, "task.self_assessed", "2021-03进展报告"},
		{"self-assessed behind", qualitative, assessed(AssessBehind, "2021-04-02"), nil, "2021-04-10", ClassBehind, "task.self_assessed", ""},
		{"missed milestone outweighs a good self-assessment", withMilestone, assessed(AssessAhead, "2021-04-02"), nil, "2021-04-10", ClassBehind, "task.milestone_missed", ""},
		{"accepted as completed", qualitative, assessed(AssessCompleted, "2021-04-02"), nil, "2021-04-10", ClassCompletedAhead, "task.completed_ahead", ""},
		{"annual-only waits", annual, march(100), nil, "2021-12-31", ClassNotAssessable, "indicator.annual_only", "年度指标"},
		{"annual-only judged with the december figure", annual, []Report{acceptedReport(1, 1, "2021-12", "2022-01-03", jobs(1, 900))}, nil, "2022-01-03", ClassBehind, "indicator.missed", "已完成90%，序时进度100%：未达目标（滞后）"},
		{"annual-only missed", annual, []Report{acceptedReport(1, 1, "2021-12", "2022-01-03", jobs(1, 900))}, nil, "2022-01-06", ClassOverdue, "task.overdue", "未达目标"},
		{"annual-only met", annual, []Report{acceptedReport(1, 1, "2021-12", "2022-01-03", jobs(1, 1000))}, nil, "2022-01-06", ClassCompleted, "task.completed", ""},
		{"over the ceiling", ceiling, []Report{acceptedReport(1, 1, "2021-03", "2021-04-02", Actual{IndicatorID: 100, Value: 5.8})}, nil, "2021-04-10", ClassBehind, "indicator.over_ceiling", "当前5.8%，上限5.5%"},
		{"under the ceiling", ceiling, []Report{acceptedReport(1, 1, "2021-03", "2021-04-02", Actual{IndicatorID: 100, Value: 5.1})}, nil, "2021-04-10", ClassOnTrack, "indicator.on_track", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &plan.Plan{ID: 1, Year: 2021, Jurisdiction: "140105", Tasks: []plan.Task{tt.task}}
			ts := taskStatus(t, Inputs{Plan: p, Reports: tt.reports, Extensions: tt.exts}, DefaultRules(), tt.asOf)
			if ts.Class != tt.class || ts.Rule != tt.rule || !strings.Contains(ts.Reason.Zh, tt.reason) {
				t.Errorf("got %s (%s) %q / %q; want %s (%s) containing %q", ts.Class, ts.Rule, ts.Reason.Zh, ts.Reason.En, tt.class, tt.rule, tt.reason)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestIndicatorReasonWords(t *testing.T) {
	// The sentence offices publish, in both languages.
	in := plan.Indicator{ID: 1, Name: "新增就业", Unit: "人", Target: 1000, Comparator: plan.GE, Kind: plan.Cumulative}
	p := IndicatorProgress(in, []Observation{{On: d("2021-07-31"), Value: 520}}, d("2021-01-01"), d("2021-12-31"), d("2021-07-31"), Curve{}, 0.05)
	s := indicatorStatus(in, p, d("2021-01-01"), d("2021-12-31"), DefaultRules())
	want := Text{"已完成52%，序时进度58.3%：滞后", "52 % done, 58.3 % of the year elapsed: behind"}
	if s.Reason != want || s.Light != Yellow {
		t.Errorf("got %+v %s, want %+v yellow", s.Reason, s.Light, want)
	}
	// A task due mid-year measures against its own period.
	half := IndicatorProgress(in, []Observation{{On: d("2021-03-31"), Value: 250}}, d("2021-01-01"), d("2021-06-30"), d("2021-03-31"), Curve{}, 0.05)
	if s := indicatorStatus(in, half, d("2021-01-01"), d("2021-06-30"), DefaultRules()); s.Reason.En != "25 % done, 50 % of the time to 2021-06-30 elapsed: behind" {
		t.Errorf("half-year reason: %q", s.Reason.En)
	}
	// Renamed classes and a wider margin.
	r := DefaultRules()
	r.Margin = 0.1
	r.Labels = map[Class]Text{ClassOnTrack: {"正常推进", "progressing"}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	s = indicatorStatus(in, p, d("2021-01-01"), d("2021-12-31"), r)
	if s.Class != ClassOnTrack || s.Reason.Zh != "已完成52%，序时进度58.3%：正常推进" || s.Reason.En != "52 % done, 58.3 % of the year elapsed: progressing" {
		t.Errorf("with a 10-point margin and a renamed class: %+v", s)
	}
	// A step curve says "planned", not "elapsed".
	r = DefaultRules()
	r.IndicatorCurves = map[int64]Curve{1: {Kind: CurveStep}}
	p = IndicatorProgress(in, []Observation{{On: d("2021-07-31"), Value: 520}}, d("2021-01-01"), d("2021-12-31"), d("2021-07-31"), r.curveFor(1), 0.05)
	s = indicatorStatus(in, p, d("2021-01-01"), d("2021-12-31"), r)
	if s.Class != ClassOnTrack || s.Reason.Zh != "已完成52%，计划进度50%：序时推进" {
		t.Errorf("step curve: %+v", s)
	}
}

func TestRulesValidate(t *testing.T) {
	bad := []Rules{
		{Margin: -0.01},
		{Margin: 5},
		{ApproxTolerance: 0.9},
		{Curve: Curve{Kind: "wave"}},
		{IndicatorCurves: map[int64]Curve{3: {Kind: CurveCustom}}},
		{Labels: map[Class]Text{"great": {"好", "great"}}},
		{Labels: map[Class]Text{ClassBehind: {"慢", ""}}},
	}
	for _, r := range bad {
		if r.Validate() == nil {
			t.Errorf("%+v validated", r)
		}
	}
	if err := DefaultRules().Validate(); err != nil {
		t.Error(err)
	}
}

func TestRollups(t *testing.T) {
	p := &plan.Plan{ID: 7, Year: 2021, Jurisdiction: "140105",
		Sections: []plan.Section{{ID: 1, Title: "产业"}, {ID: 2, ParentID: 1, Title: "就业"}, {ID: 3, Title: "民生"}}}
	p.Tasks = []plan.Task{employment(1, "2021-12-31"), employment(2, "2021-06-30"), employment(3, "2021-12-31"), employment(4, "2021-12-31")}
	p.Tasks[2].SectionID, p.Tasks[2].LeadUnitID = 3, 20
	p.Tasks[3].SectionID = 1
	reports := []Report{
		acceptedReport(1, 1, "2021-06", "2021-07-02", jobs(1, 500)), // on track
		acceptedReport(2, 2, "2021-06", "2021-07-02", jobs(2, 400)), // overdue after June
		acceptedReport(3, 3, "2021-06", "2021-07-02", jobs(3, 200)), // behind
		// task 4 has no report: not assessable
	}
	ps := EvaluatePlan(Inputs{Plan: p, Reports: reports}, DefaultRules(), d("2021-07-10"))
	want := map[int64]Class{1: ClassOnTrack, 2: ClassOverdue, 3: ClassBehind, 4: ClassNotAssessable}
	for id, c := range want {
		if ts, ok := ps.Task(id); !ok || ts.Class != c {
			t.Errorf("task %d: %s, want %s", id, ts.Class, c)
		}
	}
	check := func(name string, r Rollup, total int, worst Light, counts map[Class]int) {
		t.Helper()
		if r.Total != total || r.Worst != worst {
			t.Errorf("%s: total %d worst %s, want %d %s", name, r.Total, r.Worst, total, worst)
		}
		for c, n := range counts {
			if r.Counts[c] != n {
				t.Errorf("%s: %d %s, want %d", name, r.Counts[c], c, n)
			}
		}
	}
	check("plan", ps.Plan, 4, Red, map[Class]int{ClassOnTrack: 1, ClassOverdue: 1, ClassBehind: 1, ClassNotAssessable: 1})
	check("section 2", ps.Sections[2], 2, Red, map[Class]int{ClassOnTrack: 1, ClassOverdue: 1})
	check("section 1 includes 2", ps.Sections[1], 3, Red, map[Class]int{ClassNotAssessable: 1})
	check("section 3", ps.Sections[3], 1, Yellow, map[Class]int{ClassBehind: 1})
	check("unit 10", ps.Units[10], 3, Red, nil)
	check("unit 20", ps.Units[20], 1, Yellow, nil)

	// A second district with one green task; the city and province sum both.
	other := &plan.Plan{ID: 8, Year: 2021, Jurisdiction: "140106", Tasks: []plan.Task{employment(1, "2021-12-31")}}
	ps2 := EvaluatePlan(Inputs{Plan: other, Reports: reports[:1]}, DefaultRules(), d("2021-07-10"))
	js := []org.Jurisdiction{{Code: "140000", Name: "山西省"}, {Code: "140100", Name: "太原市", Parent: "140000"},
		{Code: "140105", Name: "小店区", Parent: "140100"}, {Code: "140106", Name: "迎泽区", Parent: "140100"}}
	all := RollupJurisdictions([]PlanStatus{ps, ps2}, js)
	check("迎泽区", all["140106"], 1, Green, map[Class]int{ClassOnTrack: 1})
	check("太原市", all["140100"], 5, Red, map[Class]int{ClassOnTrack: 2})
	check("山西省", all["140000"], 5, Red, nil)

	// An empty roll-up has no light; grey alone stays grey.
	var r Rollup
	r.Add(Status{Class: ClassNotAssessable, Light: Grey})
	if r.Worst != Grey {
		t.Errorf("worst of one grey: %s", r.Worst)
	}
}

func TestEvaluateTaskUnknown(t *testing.T) {
	p := &plan.Plan{ID: 1, Year: 2021, Tasks: []plan.Task{employment(1, "2021-12-31")}}
	if _, err := EvaluateTask(Inputs{Plan: p}, 99, DefaultRules(), d("2021-05-01")); err == nil {
		t.Error("task 99 found")
	}
}

func TestHistoryBeforeThePlanYearIsIgnored(t *testing.T) {
	// A figure for December of the previous year must not count toward this
	// year's total.
	p := &plan.Plan{ID: 1, Year: 2021, Tasks: []plan.Task{employment(1, "2021-12-31")}}
	reports := []Report{acceptedReport(1, 1, "2020-12", "2021-01-04", jobs(1, 990))}
	ts := taskStatus(t, Inputs{Plan: p, Reports: reports}, DefaultRules(), "2021-02-10")
	if ts.Class != ClassNotAssessable {
		t.Errorf("got %s (%s)", ts.Class, ts.Reason.En)
	}
}
