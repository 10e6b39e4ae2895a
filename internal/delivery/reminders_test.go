package delivery

import (
	"slices"
	"testing"

	"github.com/duban-org/duban/internal/plan"
)

func supervisedPlan() *plan.Plan {
	t := employment(1, "2021-06-30")
	t.Leader = "张副区长"
	t.Milestones = []plan.Milestone{{ID: 5, Title: "出台方案", Due: *day("2021-03-31")}}
	return &plan.Plan{ID: 1, Year: 2021, Jurisdiction: "140105", Tasks: []plan.Task{t}}
}

func keys(a Actions) []string {
	var out []string
	for _, r := range a.Reminders {
		out = append(out, r.Key)
	}
	for _, n := range a.Notices {
		out = append(out, n.Key)
	}
	for _, e := range a.Escalations {
		out = append(out, e.Key)
	}
	slices.Sort(out)
	return out
}

func TestRemindersOnADay(t *testing.T) {
	janOnTime := submitted(1, 1, 10, "2021-01", StateSubmitted, "2021-02-05 23:30")
	janReturned := submitted(1, 1, 10, "2021-01", StateReturned, "2021-02-03 10:00")
	marchLow := acceptedReport(3, 1, "2021-03", "2021-04-02", jobs(1, 100))
	quality := submitted(4, 1, 10, "2021-03", StateReturned, "2021-04-03 10:00")
	quality.ReturnCause, quality.ReviewedAt = "quality", at("2021-04-07 16:00")
	resubmitted := quality
	resubmitted.State = StateSubmitted
	red := Notice{Key: "notice/red/1/overdue/2021-06-30", Color: NoticeRed, TaskID: 1, Issued: d("2021-07-06"), RespondBy: d("2021-07-11")}
	answered := red
	answered.Responded = d("2021-07-10")

	tests := []struct {
		name    string
		day     string
		reports []Report
		notices []Notice
		sent    []string
		want    []string
	}{
		{"three days before the 5th", "2021-02-02", nil, nil, nil, []string{"remind/report/1/10/2021-01/-3"}},
		{"two days before: nothing", "2021-02-03", nil, nil, nil, nil},
		{"on the due day", "2021-02-05", nil, nil, nil, []string{"remind/report/1/10/2021-01/+0"}},
		{"delivered at 23:30 on the due day", "2021-02-06", []Report{janOnTime}, nil, nil, nil},
		{"a day late", "2021-02-06", nil, nil, nil, []string{"remind/report/1/10/2021-01/+1"}},
		{"returned and not resubmitted", "2021-02-06", []Report{janReturned}, nil, nil, []string{"remind/report/1/10/2021-01/+1"}},
		{"already sent", "2021-02-06", nil, nil, []string{"remind/report/1/10/2021-01/+1"}, nil},
		{"milestone three days ahead", "2021-03-28", nil, nil, nil, []string{"remind/milestone/1/5/2021-03-31/-3"}},
		{"behind 序时进度: yellow notice", "2021-04-10", []Report{marchLow}, nil, nil, []string{"notice/yellow/1/behind/2021-04"}},
		{"returned for quality: yellow notice that day", "2021-04-07", []Report{marchLow, quality}, nil, nil, []string{"notice/yellow/1/returned/4", "notice/yellow/1/behind/2021-04", "remind/milestone/1/5/2021-03-31/+7"}},
		// The milestone missed in March keeps the task behind, so June's
		// yellow notice is due as well.
		{"resubmitted at once, the return still noticed", "2021-04-08", []Report{marchLow, resubmitted}, nil, nil, []string{"notice/yellow/1/returned/4", "notice/yellow/1/behind/2021-04"}},
		{"deadline near: blue notice", "2021-06-15", nil, nil, nil, []string{"notice/blue/1/deadline/2021-06-30", "notice/yellow/1/behind/2021-06"}},
		{"deadline in three days", "2021-06-27", nil, nil, []string{"notice/blue/1/deadline/2021-06-30", "notice/yellow/1/behind/2021-06"}, []string{"remind/deadline/1/2021-06-30/-3"}},
		// Until June's report is due the task may turn out done: still
		// behind, not overdue, and no "deadline passed" reminder.
		{"deadline passed, June's report not yet due", "2021-07-01", nil, nil, nil, []string{"notice/yellow/1/behind/2021-07"}},
		// June's report is still owed: the task ran into June.
		{"overdue: red notice", "2021-07-06", nil, nil, nil, []string{"notice/red/1/overdue/2021-06-30", "remind/report/1/10/2021-06/+1"}},
		{"overdue a week: deadline reminder", "2021-07-07", nil, nil, []string{red.Key}, []string{"remind/deadline/1/2021-06-30/+7"}},
		{"response day: not yet escalated", "2021-07-11", nil, []Notice{red}, []string{red.Key}, nil},
		{"no response: escalated", "2021-07-12", nil, []Notice{red}, []string{red.Key}, []string{"escalate/notice/red/1/overdue/2021-06-30", "remind/report/1/10/2021-06/+7"}},
		{"answered in time", "2021-07-12", nil, []Notice{answered}, []string{red.Key}, []string{"remind/report/1/10/2021-06/+7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent := map[string]bool{}
			for _, k := range tt.sent {
				sent[k] = true
			}
			s := Supervision{Inputs: Inputs{Plan: supervisedPlan(), Reports: tt.reports}, Rules: DefaultRules(), Reminders: DefaultReminderRules(), Notices: tt.notices, Sent: sent}
			a := s.On(d(tt.day))
			got := keys(a)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			for _, r := range a.Reminders {
				if r.UnitID != 10 || r.Message.Zh == "" || r.Message.En == "" || r.On != d(tt.day) {
					t.Errorf("reminder %+v", r)
				}
			}
			for _, n := range a.Notices {
				if n.UnitID != 10 || n.Leader != "张副区长" || n.RespondBy != d(tt.day)+5 || n.Reason.Zh == "" {
					t.Errorf("notice %+v", n)
				}
			}
			for _, e := range a.Escalations {
				if e.Leader != "张副区长" || e.Reason.Zh == "" {
					t.Errorf("escalation %+v", e)
				}
			}
		})
	}
}

func TestRemindersCatchUp(t *testing.T) {
	s := Supervision{Inputs: Inputs{Plan: supervisedPlan()}, Rules: DefaultRules(), Reminders: DefaultReminderRules()}
	// Down from 1 to 12 February: only the latest reminder on January's
	// report goes out; the earlier ones are recorded as superseded.
	a := s.Between(d("2021-02-01"), d("2021-02-12"))
	if got := keys(a); !slices.Equal(got, []string{"remind/report/1/10/2021-01/+7"}) {
		t.Errorf("catch-up sends %v", got)
	}
	wantSuperseded := []string{"remind/report/1/10/2021-01/+0", "remind/report/1/10/2021-01/+1", "remind/report/1/10/2021-01/+3", "remind/report/1/10/2021-01/-1", "remind/report/1/10/2021-01/-3"}
	if !slices.Equal(a.Superseded, wantSuperseded) {
		t.Errorf("superseded %v, want %v", a.Superseded, wantSuperseded)
	}
	// Down across the deadline: the red notice overtakes the blue and the
	// yellow ones.
	a = s.Between(d("2021-06-10"), d("2021-07-08"))
	var notices []string
	for _, n := range a.Notices {
		notices = append(notices, n.Key)
	}
	if !slices.Equal(notices, []string{"notice/red/1/overdue/2021-06-30"}) || !slices.Contains(a.Superseded, "notice/blue/1/deadline/2021-06-30") || !slices.Contains(a.Superseded, "notice/yellow/1/behind/2021-06") {
		t.Errorf("notices %v, superseded %v", notices, a.Superseded)
	}

	// Down from May to mid-June while behind: one yellow notice, June's.
	a = s.Between(d("2021-05-01"), d("2021-06-12"))
	notices = notices[:0]
	for _, n := range a.Notices {
		notices = append(notices, n.Key)
	}
	if !slices.Equal(notices, []string{"notice/yellow/1/behind/2021-06"}) || !slices.Contains(a.Superseded, "notice/yellow/1/behind/2021-05") {
		t.Errorf("notices %v, superseded %v", notices, a.Superseded)
	}

	// Property: a catch-up accounts for exactly what daily runs would have
	// sent, each key once.
	daily := map[string]bool{}
	sent := map[string]bool{}
	for day := d("2021-01-01"); day <= d("2021-08-31"); day++ {
		run := s
		run.Sent = sent
		for _, k := range keys(run.On(day)) {
			if daily[k] {
				t.Fatalf("%s sent twice", k)
			}
			daily[k], sent[k] = true, true
		}
	}
	a = s.Between(d("2021-01-01"), d("2021-08-31"))
	caught := map[string]bool{}
	for _, k := range append(keys(a), a.Superseded...) {
		if caught[k] {
			t.Fatalf("%s twice in the catch-up", k)
		}
		caught[k] = true
	}
	if len(caught) != len(daily) {
		t.Errorf("catch-up accounts for %d keys, daily runs sent %d", len(caught), len(daily))
	}
	for k := range daily {
		if !caught[k] {
			t.Errorf("catch-up lost %s", k)
		}
	}
}

func TestReminderRulesValidate(t *testing.T) {
	if err := DefaultReminderRules().Validate(); err != nil {
		t.Error(err)
	}
	for _, rr := range []ReminderRules{
		{Before: []int{0}, RespondWithin: 5},
		{After: []int{400}, RespondWithin: 5},
		{BlueWithin: -1, RespondWithin: 5},
		{RespondWithin: 0},
	} {
		if rr.Validate() == nil {
			t.Errorf("%+v validated", rr)
		}
	}
}
