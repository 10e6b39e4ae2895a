package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// TestMainIndicatorReports follows a report on a plan's main indicators
// (no task) through the store on both engines: only figures of indicators
// the unit is responsible for are taken, one report per unit and cycle,
// the same review and lateness as a task's report, and the accepted figure
// reaches the status rules through DeliveryInputs (and its cache).
func TestMainIndicatorReports(t *testing.T) {
	now := time.Date(2021, 7, 3, 2, 0, 0, 0, time.UTC)
	storetest.Each(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		now = time.Date(2021, 7, 3, 2, 0, 0, 0, time.UTC)
		ua, ub := seedOrg(t, s)
		dl := time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)
		var p *plan.Plan
		err := s.Write(ctx, admin, func(tx *store.Tx) error {
			var err error
			p, err = tx.CreatePlan(ctx, &plan.Plan{Jurisdiction: "140105", Year: 2021, Title: "计划", Status: plan.StatusDraft, SourceSHA256: "m",
				Indicators: []plan.Indicator{
					{Name: "一般公共预算收入", Unit: "亿元", Target: 40, Comparator: plan.GE, Kind: plan.Cumulative, ResponsibleUnitID: ua.ID},
					{Name: "地区生产总值增长", Unit: "%", Target: 8.5, Comparator: plan.GE, Kind: plan.Growth, AnnualOnly: true, ResponsibleUnitID: ub.ID}},
				Tasks: []plan.Task{{Code: "1.1", Title: "稳就业", LeadUnitID: ua.ID, Deadline: &dl,
					Indicators: []plan.Indicator{{Name: "新增就业", Unit: "人", Target: 12000, Comparator: plan.GE, Kind: plan.Cumulative}}}}}, nil)
			if err != nil {
				return err
			}
			return tx.PublishPlan(ctx, p.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		if p, err = s.Plan(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		revenue, gdp, jobs := p.Indicators[0].ID, p.Indicators[1].ID, p.Tasks[0].Indicators[0].ID
		write := func(fn func(tx *store.Tx) error) error { return s.Write(ctx, admin, fn) }
		save := func(r delivery.Report) (delivery.Report, error) {
			var out delivery.Report
			err := write(func(tx *store.Tx) error { var err error; out, err = tx.SaveDraft(ctx, r); return err })
			return out, err
		}

		// Unit A may not report B's indicator nor a task's; unit B's
		// report on the main indicators is its own.
		for _, tc := range []struct {
			name string
			rep  delivery.Report
			want string
		}{
			{"another unit's indicator", delivery.Report{PlanID: p.ID, UnitID: ua.ID, Period: "2021-06", Actuals: []delivery.Actual{{IndicatorID: gdp, Value: 8}}}, "actuals[0].indicator_id"},
			{"a task's indicator", delivery.Report{PlanID: p.ID, UnitID: ua.ID, Period: "2021-06", Actuals: []delivery.Actual{{IndicatorID: jobs, Value: 8}}}, "actuals[0].indicator_id"},
			{"no cycle", delivery.Report{PlanID: p.ID, UnitID: ua.ID, Period: "2021-13"}, "period"},
			{"neither plan nor task", delivery.Report{UnitID: ua.ID, Period: "2021-06"}, "task_id"},
		} {
			if _, err := save(tc.rep); fields(err) != tc.want {
				t.Errorf("%s: %v; want %s", tc.name, err, tc.want)
			}
		}

		rep, err := save(delivery.Report{PlanID: p.ID, UnitID: ua.ID, Period: "2021-06", Narrative: "上半年", Actuals: []delivery.Actual{{IndicatorID: revenue, Value: 15}}})
		if err != nil || rep.TaskID != 0 || rep.PlanID != p.ID || rep.State != delivery.StateDraft || len(rep.Actuals) != 1 {
			t.Fatalf("draft: %+v %v", rep, err)
		}
		again, err := save(delivery.Report{PlanID: p.ID, UnitID: ua.ID, Period: "2021-06", Narrative: "上半年（改）", Actuals: []delivery.Actual{{IndicatorID: revenue, Value: 16}}})
		if err != nil || again.ID != rep.ID || again.Actuals[0].Value != 16 {
			t.Fatalf("the same unit and cycle edit one report: %+v %v", again, err)
		}
		// The June report is due on 5 July: the 3rd is on time.
		err = write(func(tx *store.Tx) error {
			var err error
			if rep, err = tx.MoveReport(ctx, rep.ID, store.Transition{To: delivery.StateSubmitted}); err != nil {
				return err
			}
			rep, err = tx.MoveReport(ctx, rep.ID, store.Transition{To: delivery.StateAccepted})
			return err
		})
		if err != nil || rep.State != delivery.StateAccepted || rep.Late {
			t.Fatalf("review: %+v %v", rep, err)
		}
		if _, err := save(delivery.Report{PlanID: p.ID, UnitID: ua.ID, Period: "2021-06", Narrative: "再改"}); !errors.Is(err, fault.ErrConflict) {
			t.Errorf("editing an accepted report: %v", err)
		}
		// B reports on the 7th: late, like any late report.
		now = time.Date(2021, 7, 7, 2, 0, 0, 0, time.UTC)
		late, err := save(delivery.Report{PlanID: p.ID, UnitID: ub.ID, Period: "2021-06", Actuals: []delivery.Actual{{IndicatorID: gdp, Value: 8.9}}})
		if err == nil {
			err = write(func(tx *store.Tx) error {
				late, err = tx.MoveReport(ctx, late.ID, store.Transition{To: delivery.StateSubmitted})
				return err
			})
		}
		if err != nil || !late.Late {
			t.Errorf("B's submission on the 7th: %+v %v; want late", late, err)
		}

		main, err := s.Reports(ctx, store.ReportFilter{PlanID: p.ID, Main: true})
		if err != nil || len(main) != 2 || main[0].UnitID != ua.ID || main[1].UnitID != ub.ID {
			t.Fatalf("main reports: %+v %v", main, err)
		}
		if got, _ := s.Reports(ctx, store.ReportFilter{PlanID: p.ID, Main: true, UnitID: ub.ID}); len(got) != 1 || got[0].Actuals[0].IndicatorID != gdp {
			t.Errorf("B's main reports: %+v", got)
		}
		if pid, jur, err := s.ReportPlan(ctx, rep.ID); pid != p.ID || jur != "140105" || err != nil {
			t.Errorf("ReportPlan: %d %s %v", pid, jur, err)
		}

		// The accepted figure reaches the rules: 16 of 40 at the end of
		// June (40 %) is behind 序时进度 (50 %).
		for _, name := range []string{"cold", "cached"} {
			in, settings, err := s.DeliveryInputs(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			ps := delivery.EvaluatePlan(in, settings.Status, delivery.NewDate(2021, time.July, 10))
			if len(ps.Indicators) != 2 {
				t.Fatalf("%s: main indicators %+v", name, ps.Indicators)
			}
			if got := ps.Indicators[0]; got.IndicatorID != revenue || got.UnitID != ua.ID || got.Rule != "indicator.behind" || got.Progress.Value != 16 {
				t.Errorf("%s: revenue %+v", name, got)
			}
			if got := ps.Indicators[1]; got.Rule != "indicator.annual_only" {
				t.Errorf("%s: GDP growth %+v", name, got)
			}
			if ps.Units[ua.ID].Counts[delivery.ClassBehind] != 1 || ps.Plan.Total != 3 {
				t.Errorf("%s: roll-ups %+v %+v", name, ps.Units, ps.Plan)
			}
		}
	})
}
