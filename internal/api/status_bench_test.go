package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// BenchmarkPlanStatusAPI is GET /api/v1/plans/{id}/status end to end —
// routing, the reader's right, the inputs, the rules, the JSON — for a plan
// of 500 tasks with five years of monthly accepted reports (30 000, one
// figure each), read by the office, on each engine. After the first request
// the store answers the inputs from its cache (store.Store.DeliveryInputs);
// the cold read is measured by store's BenchmarkStatusFromStore.
func BenchmarkPlanStatusAPI(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			s := storetest.Open(b, be, nil)
			planID := statusBenchPlan(b, s, 500, 5)
			a := New(Config{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
				Now: func() time.Time { return time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC) }})
			mux := http.NewServeMux()
			a.Register(mux)
			office := auth.Principal{User: org.User{ID: 9, Username: "office", Role: org.RoleOffice, Jurisdiction: "140105"}}
			get := func() *httptest.ResponseRecorder {
				req := httptest.NewRequest("GET", "/api/v1/plans/"+strconv.FormatInt(planID, 10)+"/status", nil)
				req = req.WithContext(auth.WithPrincipal(req.Context(), office))
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, req)
				return rec
			}
			if rec := get(); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"total":500`) {
				b.Fatalf("%d %.300s", rec.Code, rec.Body.String())
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				if rec := get(); rec.Code != http.StatusOK {
					b.Fatalf("%d %.300s", rec.Code, rec.Body.String())
				}
			}
			// CPU time tells work from waiting on a busy machine (on
			// PostgreSQL, without the server's share).
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the CPU time, user and system, this process has used.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// statusBenchPlan stores a published plan of tasks tasks, each with one
// cumulative indicator and years×12 accepted monthly reports from 2021 on,
// written with plain SQL (the benchmark is about reading).
func statusBenchPlan(b *testing.B, s *store.Store, tasks, years int) int64 {
	ctx := context.Background()
	var stored *plan.Plan
	var unitID int64
	err := s.Write(ctx, audit.System("bench"), func(tx *store.Tx) error {
		if err := tx.EnsureJurisdiction(ctx, org.Jurisdiction{Code: "140105", Name: "小店区"}); err != nil {
			return err
		}
		u, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "小店区发展和改革局"})
		if err != nil {
			return err
		}
		unitID = u.ID
		dl := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
		p := &plan.Plan{Jurisdiction: "140105", Year: 2025, Title: "五年计划", Status: plan.StatusPublished, SourceSHA256: "bench"}
		for i := range tasks {
			p.Tasks = append(p.Tasks, plan.Task{Code: fmt.Sprint(i + 1), Title: fmt.Sprintf("任务%d", i+1), LeadUnitID: u.ID, Deadline: &dl,
				Indicators: []plan.Indicator{{Name: "投资", Unit: "亿元", Target: 1200, Comparator: plan.GE, Kind: plan.Cumulative}}})
		}
		stored, err = tx.CreatePlan(ctx, p, nil)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	// Placeholders: ? on SQLite, $n on PostgreSQL.
	n := 0
	ph := func() string {
		n++
		if s.Postgres() {
			return "$" + strconv.Itoa(n)
		}
		return "?"
	}
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	reviewed := time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
	for _, t := range stored.Tasks {
		n = 0
		var q strings.Builder
		var args []any
		q.WriteString(`INSERT INTO reports (plan_id, task_id, unit_id, period, narrative, assessment, state, submitted_at, reviewed_at, created_at, updated_at) VALUES `)
		for y := 2021; y < 2021+years; y++ {
			for m := 1; m <= 12; m++ {
				if len(args) > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(")
				for i := range 11 {
					if i > 0 {
						q.WriteString(", ")
					}
					q.WriteString(ph())
				}
				q.WriteString(")")
				args = append(args, stored.ID, t.ID, unitID, fmt.Sprintf("%04d-%02d", y, m), "按计划推进。", string(delivery.AssessOnTrack),
					string(delivery.StateAccepted), reviewed, reviewed, reviewed, reviewed)
			}
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			b.Fatal(err)
		}
		n = 0
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_actuals (report_id, indicator_id, value)
			SELECT id, `+ph()+`, 20 * CAST(substr(period, 6, 2) AS INTEGER) FROM reports WHERE task_id = `+ph(), t.Indicators[0].ID, t.ID); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if s.Postgres() {
		if _, err := s.DB().ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	return stored.ID
}
