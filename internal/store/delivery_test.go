package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// deliveryPlan stores a published plan with one task led by unit a and one
// cumulative indicator.
func deliveryPlan(t *testing.T, s *store.Store) (p *plan.Plan, a, b int64) {
	t.Helper()
	ua, ub := seedOrg(t, s)
	dl := time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)
	err := s.Write(ctx, admin, func(tx *store.Tx) error {
		var err error
		p, err = tx.CreatePlan(ctx, &plan.Plan{Jurisdiction: "140105", Year: 2021, Title: "计划", Status: plan.StatusDraft, SourceSHA256: "d",
			Tasks: []plan.Task{{Code: "1.1", Title: "稳就业", LeadUnitID: ua.ID, CoUnitIDs: []int64{ub.ID}, Deadline: &dl,
				Indicators: []plan.Indicator{{Name: "新增就业", Unit: "人", Target: 12000, Comparator: plan.GE, Kind: plan.Cumulative}}}}}, nil)
		if err != nil {
			return err
		}
		return tx.PublishPlan(ctx, p.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	p, _ = s.Plan(ctx, p.ID)
	return p, ua.ID, ub.ID
}

func fields(err error) string {
	var v fault.Validation
	if !errors.As(err, &v) {
		return "not a validation error: " + err.Error()
	}
	var out []string
	for _, f := range v {
		out = append(out, f.Field)
	}
	return strings.Join(out, ",")
}

func TestPlanSettingsRoundTrip(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, s *store.Store) {
		p, a, _ := deliveryPlan(t, s)
		got, err := s.PlanSettings(ctx, p.ID)
		if err != nil || got.Status.Margin != 0.05 || got.Calendar.DueDay != 0 || got.Scoring != nil {
			t.Fatalf("defaults: %+v %v", got, err)
		}
		bad := store.PlanSettings{PlanID: p.ID, Calendar: delivery.Calendar{DueDay: 40}, Status: delivery.Rules{Margin: 0.7},
			Channels: store.Channels{Email: map[int64][]string{a: {"not mail"}}, Webhooks: []store.Webhook{{URL: "ftp://x", Format: "qq"}}}}
		err = s.Write(ctx, admin, func(tx *store.Tx) error { _, err := tx.SetPlanSettings(ctx, bad); return err })
		want := "calendar.due_day,status.margin,channels.email[" // then the unit id
		if f := fields(err); !strings.HasPrefix(f, want) || !strings.Contains(f, "channels.webhooks[0].url,channels.webhooks[0].format") {
			t.Errorf("fields %s", f)
		}
		good := store.PlanSettings{PlanID: p.ID, Calendar: delivery.Calendar{Frequency: delivery.Quarterly, DueDay: 10}, Status: delivery.DefaultRules(),
			Scoring:  []byte(`{"base":100,"missed_lead":4,"missed_co":2,"late_report":1,"returned":2}`),
			Channels: store.Channels{Email: map[int64][]string{a: {"rsj@xiaodian.gov.cn"}}, Webhooks: []store.Webhook{{URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", Format: "wecom"}}}}
		if err := s.Write(ctx, admin, func(tx *store.Tx) error { _, err := tx.SetPlanSettings(ctx, good); return err }); err != nil {
			t.Fatal(err)
		}
		got, _ = s.PlanSettings(ctx, p.ID)
		if got.Calendar.Frequency != delivery.Quarterly || got.Calendar.DueDay != 10 || !strings.Contains(string(got.Scoring), `"missed_lead":4`) ||
			got.Channels.Email[a][0] != "rsj@xiaodian.gov.cn" || got.Channels.Webhooks[0].Format != "wecom" || got.Reminders != nil {
			t.Errorf("read back %+v", got)
		}
	})
}

func TestReportStore(t *testing.T) {
	now := time.Date(2021, 4, 5, 15, 59, 0, 0, time.UTC) // 23:59 on the 5th in Beijing: still on time
	storetest.Each(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		now = time.Date(2021, 4, 5, 15, 59, 0, 0, time.UTC)
		p, a, b := deliveryPlan(t, s)
		task, ind := p.Tasks[0], p.Tasks[0].Indicators[0]
		write := func(fn func(tx *store.Tx) error) error { return s.Write(ctx, admin, fn) }
		var rep delivery.Report
		err := write(func(tx *store.Tx) error {
			_, err := tx.SaveDraft(ctx, delivery.Report{TaskID: task.ID, UnitID: a, Period: "2021-13", Actuals: []delivery.Actual{{IndicatorID: ind.ID + 100, Value: 1}}})
			return err
		})
		if f := fields(err); f != "period,actuals[0].indicator_id" {
			t.Errorf("bad draft: %s", f)
		}
		err = write(func(tx *store.Tx) error {
			var err error
			rep, err = tx.SaveDraft(ctx, delivery.Report{TaskID: task.ID, UnitID: a, Period: "2021-03", Narrative: "一季度", Actuals: []delivery.Actual{{IndicatorID: ind.ID, Value: 3000}}})
			if err != nil {
				return err
			}
			rep, err = tx.MoveReport(ctx, rep.ID, store.Transition{To: delivery.StateSubmitted})
			return err
		})
		if err != nil || rep.Late || rep.State != delivery.StateSubmitted {
			t.Fatalf("on-time submission: %+v %v", rep, err)
		}
		for _, tc := range []struct {
			step store.Transition
			want string
		}{
			{store.Transition{To: delivery.StateDraft}, "conflict"},
			{store.Transition{To: delivery.StateReturned, Cause: "quality"}, "comment"},
			{store.Transition{To: delivery.StateReturned, Comment: "x", Cause: "lazy"}, "cause"},
			{store.Transition{To: delivery.StateAccepted, Cause: "quality"}, "cause"},
		} {
			err := write(func(tx *store.Tx) error { _, err := tx.MoveReport(ctx, rep.ID, tc.step); return err })
			got := "conflict"
			if !errors.Is(err, fault.ErrConflict) {
				got = fields(err)
			}
			if got != tc.want {
				t.Errorf("%+v: %v; want %s", tc.step, err, tc.want)
			}
		}
		// B's report on the same cycle is its own, and one minute later
		// (00:00 on the 6th in Beijing) it is late.
		now = now.Add(time.Minute)
		var late delivery.Report
		err = write(func(tx *store.Tx) error {
			r, err := tx.SaveDraft(ctx, delivery.Report{TaskID: task.ID, UnitID: b, Period: "2021-03", Narrative: "配合"})
			if err != nil {
				return err
			}
			late, err = tx.MoveReport(ctx, r.ID, store.Transition{To: delivery.StateSubmitted})
			return err
		})
		if err != nil || !late.Late {
			t.Errorf("submission at 00:00 on the 6th in Beijing: %+v %v; want late", late, err)
		}
		err = write(func(tx *store.Tx) error {
			_, err := tx.SaveDraft(ctx, delivery.Report{TaskID: task.ID, UnitID: a, Period: "2021-03", Narrative: "改"})
			return err
		})
		if !errors.Is(err, fault.ErrConflict) {
			t.Errorf("editing a submitted report: %v", err)
		}
		list, _ := s.Reports(ctx, store.ReportFilter{TaskID: task.ID, Period: "2021-03"})
		hist, _ := s.ReportHistory(ctx, rep.ID)
		if len(list) != 2 || len(list[0].Actuals) != 1 || len(hist) != 2 || hist[1].To != delivery.StateSubmitted || hist[1].ActorName != admin.Name {
			t.Errorf("reports %+v, history %+v", list, hist)
		}
	})
}

func TestNoticeOnceAndAtomic(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, s *store.Store) {
		p, a, _ := deliveryPlan(t, s)
		n := store.Notice{PlanID: p.ID, Jurisdiction: "140105", Kind: store.KindNotice, Colour: "yellow", UnitID: a, TaskID: p.Tasks[0].ID,
			Subject: "黄色督办单", Body: "滞后", DedupeKey: "notice/yellow/1/behind/2021-03", IssuedOn: delivery.NewDate(2021, 4, 6), RespondBy: delivery.NewDate(2021, 4, 11)}
		routes := []store.Route{{Channel: "inbox", Recipient: "unit:1"}, {Channel: "webhook", Recipient: "http://127.0.0.1:9/"}}
		// A transaction that fails after issuing leaves neither the notice
		// nor its deliveries: the key stays free.
		boom := errors.New("boom")
		err := s.Write(ctx, admin, func(tx *store.Tx) error {
			if _, ok, err := tx.IssueNotice(ctx, n, routes); err != nil || !ok {
				t.Fatalf("issue: %v %v", ok, err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if all, _ := s.Notices(ctx, store.NoticeFilter{PlanID: p.ID}); len(all) != 0 {
			t.Fatalf("a rolled-back notice remains: %+v", all)
		}
		var first, second store.Notice
		for i, dst := range []*store.Notice{&first, &second} {
			err := s.Write(ctx, admin, func(tx *store.Tx) error {
				got, ok, err := tx.IssueNotice(ctx, n, routes)
				if ok != (i == 0) {
					t.Errorf("issue %d: issued=%v", i, ok)
				}
				*dst = got
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		other := n
		other.DedupeKey, other.IssuedOn = "notice/yellow/1/behind/2021-04", delivery.NewDate(2021, 5, 6)
		_ = s.Write(ctx, admin, func(tx *store.Tx) error { other, _, err = tx.IssueNotice(ctx, other, nil); return err })
		if first.Number != "督办〔2021〕1号" || other.Number != "督办〔2021〕2号" {
			t.Errorf("numbers %q, %q", first.Number, other.Number)
		}
		ds, _ := s.Deliveries(ctx, p.ID, first.ID)
		if len(ds) != 2 {
			t.Errorf("deliveries %+v; want one per route", ds)
		}
		// Responding acknowledges, once.
		err = s.Write(ctx, admin, func(tx *store.Tx) error { _, err := tx.RespondNotice(ctx, first.ID, "已整改"); return err })
		got, _ := s.Notice(ctx, first.ID)
		if err != nil || got.AcknowledgedAt == nil || got.RespondedAt == nil {
			t.Errorf("after a response: %+v %v", got, err)
		}
		bad := n
		bad.DedupeKey, bad.Colour, bad.RespondBy = "k", "green", 0
		err = s.Write(ctx, admin, func(tx *store.Tx) error { _, _, err := tx.IssueNotice(ctx, bad, nil); return err })
		if f := fields(err); f != "colour,respond_by" {
			t.Errorf("a green notice without a date: %s", f)
		}
	})
}

func TestJobDays(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, s *store.Store) {
		if _, ok, err := s.JobDay(ctx, "plan:1:daily"); ok || err != nil {
			t.Fatalf("a job that never ran: %v %v", ok, err)
		}
		start := delivery.NewDate(2021, 3, 1)
		err := s.Write(ctx, admin, func(tx *store.Tx) error {
			last, err := tx.LockJobDay(ctx, "plan:1:daily", start)
			if err != nil || last != start-1 {
				t.Errorf("first lock: %s %v", last, err)
			}
			return tx.SetJobDay(ctx, "plan:1:daily", start+4)
		})
		if err != nil {
			t.Fatal(err)
		}
		if d, ok, _ := s.JobDay(ctx, "plan:1:daily"); !ok || d != start+4 {
			t.Errorf("job day %s %v", d, ok)
		}
	})
}

// TestNoticeNumbersUnderConcurrency issues notices from four writers at
// once: the numbers are 1…n, each once.
func TestNoticeNumbersUnderConcurrency(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, s *store.Store) {
		p, a, _ := deliveryPlan(t, s)
		const writers, each = 4, 10
		errs := make(chan error, writers)
		for w := range writers {
			go func() {
				for i := range each {
					errs <- s.Write(ctx, admin, func(tx *store.Tx) error {
						_, _, err := tx.IssueNotice(ctx, store.Notice{PlanID: p.ID, Jurisdiction: "140105", Kind: store.KindNotice, Colour: "blue", UnitID: a,
							Subject: "蓝色督办单", Body: "临近截止", DedupeKey: fmt.Sprintf("k/%d/%d", w, i), IssuedOn: delivery.NewDate(2021, 12, 1), RespondBy: delivery.NewDate(2021, 12, 6)}, nil)
						return err
					})
				}
			}()
		}
		for range writers * each {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		all, _ := s.Notices(ctx, store.NoticeFilter{PlanID: p.ID})
		seen := map[int]bool{}
		for _, n := range all {
			if seen[n.Seq] || n.Seq < 1 || n.Seq > writers*each || n.Number != fmt.Sprintf("督办〔2021〕%d号", n.Seq) {
				t.Errorf("notice %s: seq %d number %q", n.DedupeKey, n.Seq, n.Number)
			}
			seen[n.Seq] = true
		}
		if len(all) != writers*each {
			t.Errorf("%d notices", len(all))
		}
	})
}
