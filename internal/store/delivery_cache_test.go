package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// TestDeliveryInputsFollowEveryWrite plays two servers on one database:
// "office" serves statuses from its cache while "unit" writes. After every
// kind of change the inputs the rules read from — reports and their
// figures, review steps, extensions, settings, the task division,
// milestones, indicators, even a figure edited by hand in SQL — office must
// answer exactly what a fresh read inside a transaction answers; a write
// that rolls back must change nothing; and with nothing changed, office
// must answer from memory.
func TestDeliveryInputsFollowEveryWrite(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.DSN(t)
			open := func() *store.Store {
				s, err := store.Open(ctx, dsn, store.Options{Now: fixedClock()})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			unit, office := open(), open()
			if err := unit.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			p, a, coUnit := deliveryPlan(t, unit)
			task, ind := p.Tasks[0], p.Tasks[0].Indicators[0]
			write := func(fn func(tx *store.Tx) error) {
				t.Helper()
				if err := unit.Write(ctx, admin, fn); err != nil {
					t.Fatal(err)
				}
			}
			// check compares office's answer with a read that bypasses the
			// cache, and returns office's answer for the caller's own checks.
			check := func(step string) delivery.Inputs {
				t.Helper()
				got, gotSettings, err := office.DeliveryInputs(ctx, p.ID)
				if err != nil {
					t.Fatalf("%s: %v", step, err)
				}
				var want delivery.Inputs
				var wantSettings store.PlanSettings
				if err := unit.Write(ctx, admin, func(tx *store.Tx) error {
					var err error
					want, wantSettings, err = tx.DeliveryInputs(ctx, p.ID)
					return err
				}); err != nil {
					t.Fatalf("%s: %v", step, err)
				}
				if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotSettings, wantSettings) {
					t.Fatalf("%s: office serves\n%+v\n%+v\nbut the database holds\n%+v\n%+v", step, got, gotSettings, want, wantSettings)
				}
				// The rules only read what they are given, so judging the
				// shared inputs must leave them as they were.
				delivery.EvaluatePlan(got, gotSettings.Status, delivery.NewDate(2021, 12, 1))
				return got
			}

			first := check("first read")
			if again := check("unchanged"); again.Plan != first.Plan {
				t.Fatal("unchanged: office read the plan again instead of answering from memory")
			}

			var rep delivery.Report
			write(func(tx *store.Tx) error {
				var err error
				rep, err = tx.SaveDraft(ctx, delivery.Report{TaskID: task.ID, UnitID: a, Period: "2021-03", Narrative: "一季度", Actuals: []delivery.Actual{{IndicatorID: ind.ID, Value: 3000}}})
				return err
			})
			if in := check("draft saved"); len(in.Reports) != 1 || in.Reports[0].Actuals[0].Value != 3000 {
				t.Fatalf("draft saved: %+v", in.Reports)
			}
			write(func(tx *store.Tx) error {
				_, err := tx.MoveReport(ctx, rep.ID, store.Transition{To: delivery.StateSubmitted})
				return err
			})
			if in := check("submitted"); in.Reports[0].State != delivery.StateSubmitted || in.Reports[0].SubmittedAt == nil {
				t.Fatalf("submitted: %+v", in.Reports[0])
			}
			write(func(tx *store.Tx) error {
				_, err := tx.MoveReport(ctx, rep.ID, store.Transition{To: delivery.StateAccepted})
				return err
			})
			if in := check("accepted"); in.Reports[0].State != delivery.StateAccepted {
				t.Fatalf("accepted: %+v", in.Reports[0])
			}

			// A figure corrected by hand touches report_actuals alone.
			q := `UPDATE report_actuals SET value = 3100 WHERE report_id = ?`
			if unit.Postgres() {
				q = `UPDATE report_actuals SET value = 3100 WHERE report_id = $1`
			}
			if _, err := unit.DB().ExecContext(ctx, q, rep.ID); err != nil {
				t.Fatal(err)
			}
			if in := check("figure corrected in SQL"); in.Reports[0].Actuals[0].Value != 3100 {
				t.Fatalf("figure corrected in SQL: %+v", in.Reports[0].Actuals)
			}

			write(func(tx *store.Tx) error {
				_, err := tx.RequestExtension(ctx, task.ID, a, delivery.NewDate(2022, 3, 31), "征地手续未完成", delivery.NewDate(2021, 10, 8))
				return err
			})
			if in := check("extension requested"); len(in.Extensions) != 1 {
				t.Fatalf("extension requested: %+v", in.Extensions)
			}

			write(func(tx *store.Tx) error {
				_, err := tx.SetPlanSettings(ctx, store.PlanSettings{PlanID: p.ID, Calendar: delivery.Calendar{Frequency: delivery.Quarterly, DueDay: 10}, Status: delivery.DefaultRules()})
				return err
			})
			if in := check("settings saved"); in.Calendar.Frequency != delivery.Quarterly {
				t.Fatalf("settings saved: %+v", in.Calendar)
			}

			dl := time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC)
			write(func(tx *store.Tx) error {
				return tx.SetTaskDivision(ctx, task.ID, store.Division{LeadUnitID: coUnit, CoUnitIDs: []int64{a}, Leader: "王副区长", Deadline: &dl})
			})
			if in := check("task divided again"); in.Plan.Tasks[0].LeadUnitID != coUnit || !reflect.DeepEqual(in.Plan.Tasks[0].CoUnitIDs, []int64{a}) {
				t.Fatalf("task divided again: %+v", in.Plan.Tasks[0])
			}

			write(func(tx *store.Tx) error {
				return tx.SetMilestones(ctx, task.ID, []plan.Milestone{{Title: "完成征地", Due: time.Date(2022, 3, 31, 0, 0, 0, 0, time.UTC)}})
			})
			if in := check("milestone set"); len(in.Plan.Tasks[0].Milestones) != 1 {
				t.Fatalf("milestone set: %+v", in.Plan.Tasks[0].Milestones)
			}

			write(func(tx *store.Tx) error {
				changed := ind
				changed.Target = 15000
				_, err := tx.UpdateIndicator(ctx, changed)
				return err
			})
			if in := check("indicator retargeted"); in.Plan.Tasks[0].Indicators[0].Target != 15000 {
				t.Fatalf("indicator retargeted: %+v", in.Plan.Tasks[0].Indicators[0])
			}

			// A write that fails after changing the tables leaves no trace,
			// in the data or in office's answer.
			before := check("before a failed write")
			abort := errors.New("the office changed its mind")
			err := unit.Write(ctx, admin, func(tx *store.Tx) error {
				if _, err := tx.SaveDraft(ctx, delivery.Report{TaskID: task.ID, UnitID: a, Period: "2021-06", Narrative: "二季度"}); err != nil {
					return err
				}
				in, _, err := tx.DeliveryInputs(ctx, p.ID)
				if err != nil {
					return err
				}
				if len(in.Reports) != 2 {
					t.Errorf("inside its transaction a write sees %d reports, want its own draft too", len(in.Reports))
				}
				return abort
			})
			if !errors.Is(err, abort) {
				t.Fatal(err)
			}
			if after := check("after a failed write"); len(after.Reports) != len(before.Reports) {
				t.Fatalf("after a failed write: %d reports, want %d", len(after.Reports), len(before.Reports))
			}
		})
	}
}

// TestDeliveryInputsUnderConcurrentWrites reads a plan from several
// goroutines of one server while another server files reports: no reader
// may ever see fewer reports than it saw before (a cache entry is never
// replaced by older inputs), and once the writes are done every reader sees
// them all. Run it with -race: the cache is shared by every request.
func TestDeliveryInputsUnderConcurrentWrites(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.DSN(t)
			open := func() *store.Store {
				s, err := store.Open(ctx, dsn, store.Options{Now: fixedClock()})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			unit, office := open(), open()
			if err := unit.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			p, a, _ := deliveryPlan(t, unit)
			const months = 10
			done := make(chan struct{})
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					seen := 0
					for {
						select {
						case <-done:
							in, _, err := office.DeliveryInputs(ctx, p.ID)
							if err == nil && len(in.Reports) != months {
								err = fmt.Errorf("after the writes: %d reports, want %d", len(in.Reports), months)
							}
							errs <- err
							return
						default:
						}
						in, _, err := office.DeliveryInputs(ctx, p.ID)
						if err == nil && len(in.Reports) < seen {
							err = fmt.Errorf("%d reports after %d", len(in.Reports), seen)
						}
						if err != nil {
							errs <- err
							return
						}
						seen = len(in.Reports)
					}
				}()
			}
			for m := 1; m <= months; m++ {
				if err := unit.Write(ctx, admin, func(tx *store.Tx) error {
					_, err := tx.SaveDraft(ctx, delivery.Report{TaskID: p.Tasks[0].ID, UnitID: a, Period: fmt.Sprintf("2021-%02d", m)})
					return err
				}); err != nil {
					t.Fatal(err)
				}
			}
			close(done)
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
}
