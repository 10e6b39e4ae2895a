// Command load is duban's load test: it starts a duban server of its own on
// a temporary SQLite database (loopback only), signs in the seed plan's
// reporting units, and for a bounded time runs many concurrent clients that
// read plans, plan status and task reports and submit progress reports
// through the JSON API. It prints the errors (there should be none),
// p50/p99 latency per kind of request and the throughput, and exits 1 if any
// request failed.
//
// Run it with bench/load.sh; see bench/README.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/duban-org/duban/internal/drill"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is the command line.
type config struct {
	bin      string
	addr     string
	duration time.Duration
	clients  int
	units    int
	jsonOut  string
	keep     bool
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.bin, "duban", "", "the duban binary to start (default: build ./cmd/duban into a temporary folder)")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "address the server listens on; must be loopback")
	fs.DurationVar(&c.duration, "duration", 60*time.Second, "how long the clients run (at most 30m)")
	fs.IntVar(&c.clients, "clients", 200, "concurrent clients")
	fs.IntVar(&c.units, "units", 200, "at most this many reporting units sign in (the clients share their sessions)")
	fs.StringVar(&c.jsonOut, "json", "", "also write the figures as JSON to this file")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary database and server log")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := c.check(); err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return 2
	}
	res, err := c.run(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return 1
	}
	res.print(stdout)
	if c.jsonOut != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(c.jsonOut, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintf(stderr, "load: %v\n", err)
			return 1
		}
	}
	if res.Errors > 0 || !res.AuditOK {
		return 1
	}
	return 0
}

// check refuses a configuration that could reach beyond this machine or run
// without bound.
func (c config) check() error {
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", c.addr, err)
	}
	if err := drill.CheckLoopback("http://" + net.JoinHostPort(host, "1")); err != nil {
		return fmt.Errorf("-addr %q: a load test only runs on loopback (127.0.0.1, ::1)", c.addr)
	}
	if c.duration <= 0 || c.duration > 30*time.Minute {
		return fmt.Errorf("-duration %s: between 1s and 30m", c.duration)
	}
	if c.clients < 1 || c.clients > 5000 {
		return fmt.Errorf("-clients %d: between 1 and 5000", c.clients)
	}
	if c.units < 1 {
		return fmt.Errorf("-units %d: at least 1", c.units)
	}
	return nil
}

// Op kinds.
const (
	opPlanList    = "GET /api/v1/plans"
	opPlanGet     = "GET /api/v1/plans/{id}"
	opPlanStatus  = "GET /api/v1/plans/{id}/status"
	opTaskReports = "GET /api/v1/tasks/{id}/reports"
	opReportSave  = "POST /api/v1/tasks/{id}/reports"
	opSubmit      = "POST /api/v1/reports/{id}/submit"
)

// sample is one request's outcome.
type sample struct {
	op  string
	dur time.Duration
	err error
}

func (c config) run(logw io.Writer) (*result, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "duban-load-")
	if err != nil {
		return nil, err
	}
	if !c.keep {
		defer os.RemoveAll(dir)
	} else {
		fmt.Fprintf(logw, "load: keeping %s\n", dir)
	}
	bin := c.bin
	if bin == "" {
		fmt.Fprintln(logw, "load: building duban …")
		if bin, err = drill.Build(ctx, dir); err != nil {
			return nil, err
		}
	}
	db := filepath.Join(dir, "duban.db")
	const password = "Load-test-密码-2021!"
	fmt.Fprintln(logw, "load: preparing the database (seed plan, accounts) …")
	fx, err := drill.Prepare(ctx, db, c.units, password)
	if err != nil {
		return nil, err
	}
	srv, err := drill.Start(ctx, bin, db, filepath.Join(dir, "attachments"), "--addr", c.addr)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			fmt.Fprintf(logw, "load: stopping the server: %v\n", err)
		}
		if c.keep {
			os.WriteFile(filepath.Join(dir, "server.log"), []byte(srv.Log()), 0o644)
		}
	}()
	if err := drill.CheckLoopback(srv.URL); err != nil {
		return nil, err
	}
	hc := &http.Client{Transport: drill.NewTransport(c.clients), Timeout: 60 * time.Second}
	fmt.Fprintf(logw, "load: signing in %d reporting units at %s …\n", len(fx.Reporters), srv.URL)
	sessions := make([]*drill.Client, len(fx.Reporters))
	for i, r := range fx.Reporters {
		if sessions[i], err = drill.SignIn(ctx, hc, srv.URL, r.Account); err != nil {
			return nil, err
		}
	}
	if len(sessions) == 0 {
		return nil, errors.New("no reporting units to sign in")
	}
	// Each unit numbers its submissions, so that clients sharing a unit
	// never write the same (task, period) twice.
	counters := make([]atomic.Int64, len(sessions))

	fmt.Fprintf(logw, "load: %d clients for %s …\n", c.clients, c.duration)
	runCtx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	perClient := make([][]sample, c.clients)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < c.clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			u := i % len(sessions)
			cl := &client{c: sessions[u], rep: fx.Reporters[u], counter: &counters[u], plan: fx.PlanID, tasks: fx.Tasks,
				rng: rand.New(rand.NewPCG(uint64(i), 2021))}
			perClient[i] = cl.loop(runCtx)
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []sample
	for _, s := range perClient {
		all = append(all, s...)
	}
	res := summarize(all, elapsed, c.clients, len(sessions))
	// The server's own verdict on what the load wrote.
	office, err := drill.SignIn(ctx, hc, srv.URL, fx.Office)
	if err != nil {
		return nil, err
	}
	var verdict struct {
		OK     bool  `json:"ok"`
		Events int64 `json:"events"`
	}
	if err := office.Do(ctx, "GET", "/api/v1/audit/verify", nil, &verdict); err != nil {
		return nil, err
	}
	res.AuditOK, res.AuditEvents = verdict.OK, verdict.Events
	return res, nil
}

// client is one simulated user: a closed loop of requests without pauses.
type client struct {
	c       *drill.Client
	rep     drill.Reporter
	counter *atomic.Int64
	plan    int64
	tasks   []int64
	rng     *rand.Rand
}

// loop runs until ctx ends: of every ten steps, three list plans, two read
// the whole plan, one reads the plan's status, two read a task's reports
// and two write and submit a report. A request cut short by the end of the
// run is not counted.
func (cl *client) loop(ctx context.Context) []sample {
	var out []sample
	timed := func(op string, f func() error) error {
		t0 := time.Now()
		err := f()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		out = append(out, sample{op, time.Since(t0), err})
		return err
	}
	for ctx.Err() == nil {
		switch n := cl.rng.IntN(10); {
		case n < 3:
			timed(opPlanList, func() error { return cl.c.Do(ctx, "GET", "/api/v1/plans", nil, nil) })
		case n < 5:
			timed(opPlanGet, func() error { return cl.c.Do(ctx, "GET", fmt.Sprintf("/api/v1/plans/%d", cl.plan), nil, nil) })
		case n < 6:
			timed(opPlanStatus, func() error { return cl.c.Do(ctx, "GET", fmt.Sprintf("/api/v1/plans/%d/status", cl.plan), nil, nil) })
		case n < 8:
			task := cl.rep.Tasks[cl.rng.IntN(len(cl.rep.Tasks))]
			timed(opTaskReports, func() error { return cl.c.Do(ctx, "GET", fmt.Sprintf("/api/v1/tasks/%d/reports", task), nil, nil) })
		default:
			k := int(cl.counter.Add(1) - 1)
			task := cl.rep.Tasks[k%len(cl.rep.Tasks)]
			periods := drill.Periods(2021 + k/len(cl.rep.Tasks)/16)
			period := periods[k/len(cl.rep.Tasks)%16]
			var draft drill.Report
			body := map[string]any{"period": period, "assessment": "on_track",
				"narrative": fmt.Sprintf("%s：%s 期间完成既定进度，新增就业%d人。", cl.rep.Username, period, 100+k)}
			err := timed(opReportSave, func() error {
				return cl.c.Do(ctx, "POST", fmt.Sprintf("/api/v1/tasks/%d/reports", task), body, &draft)
			})
			if err == nil {
				timed(opSubmit, func() error {
					return cl.c.Do(ctx, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", draft.ID), nil, nil)
				})
			}
		}
	}
	return out
}

// opStats are the figures of one kind of request.
type opStats struct {
	Op       string  `json:"op"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
	Maxms    float64 `json:"max_ms"`
}

// result is the run's figures.
type result struct {
	Clients     int       `json:"clients"`
	Units       int       `json:"units"`
	Seconds     float64   `json:"seconds"`
	Requests    int       `json:"requests"`
	Errors      int       `json:"errors"`
	PerSecond   float64   `json:"requests_per_second"`
	Submissions int       `json:"reports_submitted"`
	P50ms       float64   `json:"p50_ms"`
	P99ms       float64   `json:"p99_ms"`
	Ops         []opStats `json:"ops"`
	ErrorSample []string  `json:"error_sample,omitempty"`
	AuditOK     bool      `json:"audit_chain_ok"`
	AuditEvents int64     `json:"audit_events"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// quantile is the q-quantile of sorted durations (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*q+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func summarize(all []sample, elapsed time.Duration, clients, units int) *result {
	res := &result{Clients: clients, Units: units, Seconds: elapsed.Seconds(), Requests: len(all)}
	byOp := map[string][]time.Duration{}
	errsByOp := map[string]int{}
	var durs []time.Duration
	seen := map[string]bool{}
	for _, s := range all {
		durs = append(durs, s.dur)
		byOp[s.op] = append(byOp[s.op], s.dur)
		if s.err != nil {
			res.Errors++
			errsByOp[s.op]++
			msg := s.err.Error()
			if len(res.ErrorSample) < 10 && !seen[msg] {
				seen[msg] = true
				res.ErrorSample = append(res.ErrorSample, msg)
			}
		} else if s.op == opSubmit {
			res.Submissions++
		}
	}
	slices.Sort(durs)
	res.P50ms, res.P99ms = ms(quantile(durs, 0.50)), ms(quantile(durs, 0.99))
	res.PerSecond = float64(len(all)) / elapsed.Seconds()
	ops := make([]string, 0, len(byOp))
	for op := range byOp {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		d := byOp[op]
		slices.Sort(d)
		res.Ops = append(res.Ops, opStats{Op: op, Requests: len(d), Errors: errsByOp[op],
			P50ms: ms(quantile(d, 0.5)), P99ms: ms(quantile(d, 0.99)), Maxms: ms(d[len(d)-1])})
	}
	return res
}

func (r *result) print(w io.Writer) {
	fmt.Fprintf(w, "duban load test: %d clients (%d reporting units' sessions), %.1f s, loopback\n", r.Clients, r.Units, r.Seconds)
	fmt.Fprintf(w, "requests %d, errors %d, throughput %.1f requests/s, reports submitted %d (%.1f/s)\n",
		r.Requests, r.Errors, r.PerSecond, r.Submissions, float64(r.Submissions)/r.Seconds)
	fmt.Fprintf(w, "latency all requests: p50 %.1f ms, p99 %.1f ms\n\n", r.P50ms, r.P99ms)
	fmt.Fprintf(w, "%-34s %9s %7s %9s %9s %9s\n", "request", "count", "errors", "p50 ms", "p99 ms", "max ms")
	for _, o := range r.Ops {
		fmt.Fprintf(w, "%-34s %9d %7d %9.1f %9.1f %9.1f\n", o.Op, o.Requests, o.Errors, o.P50ms, o.P99ms, o.Maxms)
	}
	if len(r.ErrorSample) > 0 {
		fmt.Fprintf(w, "\nerrors (first distinct):\n  %s\n", strings.Join(r.ErrorSample, "\n  "))
	}
	verdict := "intact"
	if !r.AuditOK {
		verdict = "BROKEN"
	}
	fmt.Fprintf(w, "\naudit chain after the run: %s (%d events)\n", verdict, r.AuditEvents)
}
