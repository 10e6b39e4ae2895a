package delivery

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff.\n--- got ---\n%s", path, got)
	}
}

// yearPlan is a small district plan: a cumulative jobs target that falls
// behind and catches up, a project with a milestone done late and a
// September deadline, and a ceiling broken in summer with a growth rate
// judged at year end.
func yearPlan() *plan.Plan {
	return &plan.Plan{ID: 1, Year: 2021, Jurisdiction: "140105", Title: "2021年重点任务",
		Sections: []plan.Section{{ID: 1, Title: "民生"}, {ID: 2, Title: "项目"}},
		Tasks: []plan.Task{
			{ID: 1, SectionID: 1, Code: "1.1", Title: "稳就业", LeadUnitID: 10, CoUnitIDs: []int64{12}, Leader: "王副区长", Deadline: day("2021-12-31"),
				Indicators: []plan.Indicator{{ID: 11, TaskID: 1, Name: "新增就业", Unit: "人", Target: 1600, Comparator: plan.GE, Kind: plan.Cumulative}}},
			{ID: 2, SectionID: 2, Code: "2.1", Title: "推进物流园项目", LeadUnitID: 11, CoUnitIDs: []int64{10}, Leader: "李副区长", Deadline: day("2021-09-30"),
				Milestones: []plan.Milestone{{ID: 21, Title: "完成立项", Due: *day("2021-06-30"), DoneAt: at("2021-07-09 15:00")}}},
			{ID: 3, SectionID: 1, Code: "1.2", Title: "保持就业形势稳定", LeadUnitID: 12, Leader: "王副区长", Deadline: day("2021-12-31"),
				Indicators: []plan.Indicator{
					{ID: 31, TaskID: 3, Name: "城镇调查失业率", Unit: "%", Target: 5.5, Comparator: plan.LE, Kind: plan.Level},
					{ID: 32, TaskID: 3, Name: "居民收入增长", Unit: "%", Target: 7, Comparator: plan.GE, Kind: plan.Growth, AnnualOnly: true}}},
		}}
}

// yearReports is the year's reporting as it happened: units submit on the
// 3rd (unit 12 on the 7th, late, in odd months), the office reviews the
// next day, and May's jobs report is returned for quality once.
func yearReports() []Report {
	var out []Report
	id := int64(0)
	add := func(r Report, submittedOn, reviewedOn string) {
		id++
		r.ID = id
		r.SubmittedAt = at(submittedOn + " 10:00")
		if reviewedOn != "" {
			r.ReviewedAt = at(reviewedOn + " 16:00")
		}
		out = append(out, r)
	}
	for m := 1; m <= 12; m++ {
		period := fmt.Sprintf("2021-%02d", m)
		next := NewDate(2021, time.Month(m+1), 1)
		on := func(dd int) string { return (next + Date(dd-1)).String() }

		jobs := float64(110 * m)
		if m >= 7 {
			jobs = 770 + 180*float64(m-7) // catching up in the second half
		}
		r := Report{TaskID: 1, UnitID: 10, Period: period, State: StateAccepted, Actuals: []Actual{{IndicatorID: 11, Value: jobs}},
			Narrative: fmt.Sprintf("%d月累计新增就业%.0f人，举办招聘会%d场。", m, jobs, m)}
		if m == 5 {
			bad := r
			bad.State, bad.ReturnCause, bad.Comment = StateReturned, "quality", "缺少佐证材料"
			add(bad, on(3), on(4))
			r.Narrative += "附招聘会签到表。"
			add(r, on(6), on(7))
		} else {
			add(r, on(3), on(4))
		}

		if m <= 9 {
			a := AssessOnTrack
			if m == 9 {
				a = AssessCompleted
			}
			add(Report{TaskID: 2, UnitID: 11, Period: period, State: StateAccepted, Assessment: a,
				Narrative: fmt.Sprintf("物流园项目%d月进展：完成投资%d万元。", m, 500*m)}, on(3), on(4))
		}

		rate := 5.2 + 0.05*float64(m) // over the 5.5 ceiling from July …
		if m > 8 {
			rate = 5.6 - 0.1*float64(m-8) // … and back under it by November
		}
		sub := on(3)
		if m%2 == 1 {
			sub = on(7)
		}
		actuals := []Actual{{IndicatorID: 31, Value: rate}}
		if m == 12 {
			actuals = append(actuals, Actual{IndicatorID: 32, Value: 7.4})
		}
		add(Report{TaskID: 3, UnitID: 12, Period: period, State: StateAccepted, Actuals: actuals,
			Narrative: fmt.Sprintf("%d月城镇调查失业率%.2f%%。", m, rate)}, sub, (next + 7).String())
	}
	return out
}

// asSeenOn returns the reports as they stood at the end of day: not yet
// submitted ones left out, not yet reviewed ones still submitted.
func asSeenOn(all []Report, day Date) []Report {
	var out []Report
	for _, r := range all {
		if DayIn(*r.SubmittedAt, nil) > day {
			continue
		}
		if r.ReviewedAt != nil && DayIn(*r.ReviewedAt, nil) > day {
			r.State, r.ReviewedAt, r.ReturnCause = StateSubmitted, nil, ""
		}
		out = append(out, r)
	}
	return out
}

// TestYear runs 2021 day by day on a test clock, as the scheduler would,
// and records what the office would have seen and sent in a golden file.
func TestYear(t *testing.T) {
	p := yearPlan()
	all := yearReports()
	rules, rr := DefaultRules(), DefaultReminderRules()
	var log bytes.Buffer
	sent := map[string]bool{}
	var notices []Notice

	for today := d("2021-01-01"); today <= d("2022-01-31"); today++ {
		reports := asSeenOn(all, today)
		// The milestone is done on 9 July: before then the plan says so.
		pl := *p
		pl.Tasks = append([]plan.Task(nil), p.Tasks...)
		if today < d("2021-07-09") {
			t2 := pl.Tasks[1]
			t2.Milestones = []plan.Milestone{{ID: 21, Title: "完成立项", Due: *day("2021-06-30")}}
			pl.Tasks[1] = t2
		}
		in := Inputs{Plan: &pl, Reports: reports}
		s := Supervision{Inputs: in, Rules: rules, Reminders: rr, Notices: notices, Sent: sent}
		a := s.On(today)
		for _, r := range a.Reminders {
			sent[r.Key] = true
			fmt.Fprintf(&log, "%s remind   %-40s %s\n", today, r.Key, r.Message.Zh)
		}
		for _, n := range a.Notices {
			sent[n.Key] = true
			// Units answer within three days, except that nobody answers
			// the notice on task 2.1.
			if n.TaskID != 2 {
				n.Responded = today + 3
			}
			notices = append(notices, n)
			fmt.Fprintf(&log, "%s notice   %-40s %s\n", today, n.Key, n.Reason.Zh)
		}
		for _, e := range a.Escalations {
			sent[e.Key] = true
			fmt.Fprintf(&log, "%s escalate %-40s %s %s\n", today, e.Key, e.Leader, e.Reason.Zh)
		}
		if today.Day() == 10 {
			ps := EvaluatePlan(in, rules, today)
			for _, ts := range ps.Tasks {
				fmt.Fprintf(&log, "%s status   task %d %-15s %-6s %s | %s\n", today, ts.TaskID, ts.Class, ts.Light, ts.Reason.Zh, ts.Reason.En)
			}
			fmt.Fprintf(&log, "%s plan     %d tasks, worst %s, %v\n", today, ps.Plan.Total, ps.Plan.Worst, countsLine(ps.Plan))
		}
	}
	final := d("2022-01-31")
	in := Inputs{Plan: p, Reports: all}
	ps := EvaluatePlan(in, rules, final)
	for _, s := range Assess(in, ps, DefaultScoreRules(), rules, final) {
		fmt.Fprintf(&log, "score    unit %d rank %d total %s on time %d/%d on track %d/%d\n", s.UnitID, s.Rank, num(s.Total), s.OnTime, s.Owed, s.OnTrack, s.Assessed)
		for _, c := range s.Components {
			fmt.Fprintf(&log, "         %-16s %5s %s\n", c.Rule, num(c.Points), c.Reason.Zh)
		}
	}
	golden(t, "year2021.golden", log.Bytes())

	// Facts the log must show whatever else changes.
	ts, _ := ps.Task(1)
	if ts.Class != ClassCompleted || ts.Completed != d("2021-12-31") {
		t.Errorf("jobs task at the end: %s completed %s", ts.Class, ts.Completed)
	}
	ts, _ = ps.Task(2)
	if ts.Class != ClassCompleted || ts.Completed != d("2021-09-30") {
		t.Errorf("project task: %s completed %s", ts.Class, ts.Completed)
	}
	ts, _ = ps.Task(3)
	if ts.Class != ClassCompleted {
		t.Errorf("ceiling and growth task: %s (%s)", ts.Class, ts.Reason.En)
	}
	if !sent["escalate/notice/yellow/2/behind/2021-07"] {
		t.Error("the unanswered notice on task 2.1 was not escalated")
	}
}

func countsLine(r Rollup) string {
	var b bytes.Buffer
	for _, c := range Classes {
		if n := r.Counts[c]; n > 0 {
			fmt.Fprintf(&b, "%s=%d ", c, n)
		}
	}
	return b.String()
}
