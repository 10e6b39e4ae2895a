package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
)

// BenchmarkStatusFromStore measures what GET /api/v1/plans/{id}/status
// does: read a plan of 500 tasks with five years of monthly accepted
// reports (30 000 reports, one figure each) and judge it — on SQLite, and
// on PostgreSQL when DUBAN_TEST_POSTGRES names a server. Besides ns/op it
// reports "load" (reading the inputs), "judge" (the rules) and "cpu" (this
// process's CPU time, user and system) per status. The fixture
// is written with plain inserts: the benchmark is about reading.
func BenchmarkStatusFromStore(b *testing.B) {
	engines := []struct {
		name string
		dsn  func(b *testing.B) string
	}{{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "bench.db") }}}
	if os.Getenv("DUBAN_TEST_POSTGRES") != "" {
		engines = append(engines, struct {
			name string
			dsn  func(b *testing.B) string
		}{"postgres", benchPostgresDSN})
	}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) { benchStatusFromStore(b, e.dsn(b)) })
	}
}

func benchStatusFromStore(b *testing.B, dsn string) {
	ctx := context.Background()
	s, err := Open(ctx, dsn, Options{})
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
	if s.d == postgres {
		// A freshly written table has no statistics yet; autovacuum would
		// gather them within a minute on a real server.
		if _, err := s.db.ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	asOf := delivery.NewDate(2025, 11, 20)
	// "cached" is every request but the first after a change: a revision
	// check, then the inputs from memory. "cold" is the first: the read
	// the cache saves, through the reader that Tx uses too.
	for _, mode := range []struct {
		name string
		read func(context.Context, int64) (delivery.Inputs, PlanSettings, error)
	}{{"cached", s.DeliveryInputs}, {"cold", s.reader.DeliveryInputs}} {
		b.Run(mode.name, func(b *testing.B) {
			if _, _, err := mode.read(ctx, planID); err != nil { // fills the cache
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			var load, judge time.Duration
			cpu0 := cpuTime()
			for b.Loop() {
				t0 := time.Now()
				in, settings, err := mode.read(ctx, planID)
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
			cpu := cpuTime() - cpu0
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(b.N) }
			b.ReportMetric(ms(cpu), "cpu-ms/op")
			b.ReportMetric(ms(load), "load-ms/op")
			b.ReportMetric(ms(judge), "judge-ms/op")
		})
	}
}

// cpuTime is the CPU time this process has used, user and system, so a
// benchmark on a busy machine can tell work from waiting. (On PostgreSQL the
// server's share is not in it.)
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// benchPostgresDSN gives the benchmark a schema of its own on the server
// named by DUBAN_TEST_POSTGRES, dropped afterwards (package storetest does
// the same for tests, but importing it here would be an import cycle).
func benchPostgresDSN(b *testing.B) string {
	base := os.Getenv("DUBAN_TEST_POSTGRES")
	var r [6]byte
	if _, err := rand.Read(r[:]); err != nil {
		b.Fatal(err)
	}
	schema := "b_" + hex.EncodeToString(r[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		b.Fatalf("postgres: create schema: %v", err)
	}
	b.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
