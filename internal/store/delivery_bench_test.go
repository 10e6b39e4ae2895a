package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
)

// BenchmarkStatusFromStore measures what GET /api/v1/plans/{id}/status
// does on SQLite: read a plan of 500 tasks with five years of monthly
// accepted reports (30 000 reports, one figure each) and judge it. The
// fixture is written with plain inserts: the benchmark is about reading.
func BenchmarkStatusFromStore(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	const tasks, years = 500, 5
	var planID int64
	err = s.Write(ctx, audit.System("bench"), func(tx *Tx) error {
		if err := tx.EnsureJurisdiction(ctx, org.Jurisdiction{Code: "140105", Name: "小店区"}); err != nil {
			return err
		}
		u, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "小店区发展和改革局"})
		if err != nil {
			return err
		}
		dl := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
		p := &plan.Plan{Jurisdiction: "140105", Year: 2025, Title: "五年计划", Status: plan.StatusPublished, SourceSHA256: "bench"}
		for i := range tasks {
			p.Tasks = append(p.Tasks, plan.Task{Code: fmt.Sprint(i + 1), Title: fmt.Sprintf("任务%d", i+1), LeadUnitID: u.ID, Deadline: &dl,
				Indicators: []plan.Indicator{{Name: "投资", Unit: "亿元", Target: 1200, Comparator: plan.GE, Kind: plan.Cumulative}}})
		}
		stored, err := tx.CreatePlan(ctx, p, nil)
		if err != nil {
			return err
		}
		planID = stored.ID
		reviewed := time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
		for _, t := range stored.Tasks {
			for y := 2021; y < 2021+years; y++ {
				for m := 1; m <= 12; m++ {
					id, err := tx.insert(ctx, `INSERT INTO reports (plan_id, task_id, unit_id, period, narrative, assessment, state, submitted_at, reviewed_at, created_at, updated_at)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, planID, t.ID, u.ID, fmt.Sprintf("%04d-%02d", y, m), "按计划推进。", string(delivery.AssessOnTrack),
						string(delivery.StateAccepted), reviewed, reviewed, reviewed, reviewed)
					if err != nil {
						return err
					}
					if _, err := tx.exec(ctx, `INSERT INTO report_actuals (report_id, indicator_id, value) VALUES (?, ?, ?)`, id, t.Indicators[0].ID, float64(20*m)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	asOf := delivery.NewDate(2025, 11, 20)
	b.ReportAllocs()
	b.ResetTimer()
	var load, judge time.Duration
	for b.Loop() {
		t0 := time.Now()
		in, settings, err := s.DeliveryInputs(ctx, planID)
		load += time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		if len(in.Reports) != tasks*years*12 {
			b.Fatalf("%d reports", len(in.Reports))
		}
		t1 := time.Now()
		ps := delivery.EvaluatePlan(in, settings.Status, asOf)
		judge += time.Since(t1)
		if ps.Plan.Total != tasks {
			b.Fatalf("%d tasks judged", ps.Plan.Total)
		}
	}
	b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "load-ms/op")
	b.ReportMetric(float64(judge.Milliseconds())/float64(b.N), "judge-ms/op")
}
