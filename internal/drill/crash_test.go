package drill

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const testPassword = "Crash-drill-密码-2021!"

// TestCrashDuringReportSubmissions starts the real duban binary on a SQLite
// file, has eight reporting units submit progress reports concurrently
// through the API, kills the server with SIGKILL in the middle of it, starts
// it again and checks that every submission the server had acknowledged
// (2xx) is there as acknowledged, that every report in the database has its
// audit events (change and record in one transaction), and that the audit
// chain verifies, both over the API and with `duban audit verify`.
func TestCrashDuringReportSubmissions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bin := dubanBin
	db, data := filepath.Join(dir, "duban.db"), filepath.Join(dir, "attachments")
	fx, err := Prepare(ctx, db, 8, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if len(fx.Reporters) < 4 {
		t.Fatalf("the seed plan gave %d reporting units, want at least 4", len(fx.Reporters))
	}
	srv, err := Start(ctx, bin, db, data)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: NewTransport(64), Timeout: 30 * time.Second}

	type ack struct {
		reporter  int
		report    Report
		submitted bool // the submission was acknowledged, not only the draft
	}
	var (
		mu        sync.Mutex
		acks      []ack
		submitted int
		killed    = make(chan struct{})
		inFlight  int // requests that failed because of the kill
	)
	const killAfter = 60 // acknowledged submissions before the kill
	var clients []*Client
	for _, rep := range fx.Reporters {
		c, err := SignIn(ctx, hc, srv.URL, rep.Account)
		if err != nil {
			srv.Kill()
			t.Fatalf("%v\n%s", err, srv.Log())
		}
		clients = append(clients, c)
	}
	var wg sync.WaitGroup
	for i, rep := range fx.Reporters {
		c := clients[i]
		jobs := make(chan [2]any)
		go func() {
			defer close(jobs)
			// Enough distinct (task, period) pairs that every writer is
			// still busy when the kill comes.
			for year := 2021; year < 3000; year++ {
				for _, p := range Periods(year) {
					for _, task := range rep.Tasks {
						select {
						case jobs <- [2]any{task, p}:
						case <-killed:
							return
						}
					}
				}
			}
		}()
		for w := 0; w < 2; w++ { // two writers per unit: 16 concurrent
			wg.Add(1)
			go func() {
				defer wg.Done()
				for job := range jobs {
					task, period := job[0].(int64), job[1].(string)
					narrative := fmt.Sprintf("%s %s 任务%d：本期完成既定进度。", rep.Username, period, task)
					draft, sub, err := c.Submit(ctx, task, period, narrative)
					mu.Lock()
					switch {
					case err == nil:
						acks = append(acks, ack{i, sub, true})
						submitted++
					case draft.ID != 0:
						acks = append(acks, ack{i, draft, false})
					}
					var apiErr *APIError
					if err != nil && !errors.As(err, &apiErr) {
						inFlight++ // no answer: the server is gone
					}
					mu.Unlock()
					if err != nil {
						if errors.As(err, &apiErr) {
							t.Errorf("%s: %v", rep.Username, err)
						}
						return
					}
				}
			}()
		}
	}
	deadline := time.After(2 * time.Minute)
	for {
		mu.Lock()
		n := submitted
		mu.Unlock()
		if n >= killAfter {
			break
		}
		select {
		case <-deadline:
			srv.Kill()
			t.Fatalf("only %d submissions in 2 minutes\n%s", n, srv.Log())
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}
	close(killed)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("killed with SIGKILL after %d acknowledged submissions and %d acknowledged drafts; %d requests were cut off",
		submitted, len(acks)-submitted, inFlight)

	srv, err = Start(ctx, bin, db, data)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	office, err := SignIn(ctx, hc, srv.URL, fx.Office)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range acks {
		var got Report
		if err := office.Do(ctx, "GET", fmt.Sprintf("/api/v1/reports/%d", a.report.ID), nil, &got); err != nil {
			t.Errorf("acknowledged report %d (%s): %v", a.report.ID, a.report.Period, err)
			continue
		}
		if got.Narrative != a.report.Narrative || got.Period != a.report.Period || got.TaskID != a.report.TaskID {
			t.Errorf("report %d came back as %+v, acknowledged as %+v", a.report.ID, got, a.report)
		}
		if a.submitted && got.State != "submitted" {
			t.Errorf("report %d was acknowledged as submitted but is %s", a.report.ID, got.State)
		}
	}

	// Every report that survived, acknowledged or not, has the audit events
	// of its creation (and of its submission, if submitted): nothing was
	// committed without its record.
	reports := 0
	for _, rep := range fx.Reporters {
		for _, task := range rep.Tasks {
			var list struct{ Reports []Report }
			if err := office.Do(ctx, "GET", fmt.Sprintf("/api/v1/tasks/%d/reports", task), nil, &list); err != nil {
				t.Fatal(err)
			}
			for _, r := range list.Reports {
				reports++
				var page struct {
					Events []struct{ Action string }
				}
				if err := office.Do(ctx, "GET", fmt.Sprintf("/api/v1/audit?entity=report&entity_id=%d", r.ID), nil, &page); err != nil {
					t.Fatal(err)
				}
				var actions []string
				for _, e := range page.Events {
					actions = append(actions, e.Action)
				}
				want := []string{"report.save"}
				if r.State == "submitted" {
					want = append(want, "report.submitted")
				}
				if strings.Join(actions, " ") != strings.Join(want, " ") {
					t.Errorf("report %d (%s) has audit events %v, want %v", r.ID, r.State, actions, want)
				}
			}
		}
	}
	if reports < len(acks) {
		t.Fatalf("%d reports after the restart, %d were acknowledged", reports, len(acks))
	}
	var verdict struct {
		OK     bool
		Events int64
		Reason string
	}
	if err := office.Do(ctx, "GET", "/api/v1/audit/verify", nil, &verdict); err != nil || !verdict.OK {
		t.Fatalf("audit verify over the API: %+v, %v", verdict, err)
	}
	if err := srv.Stop(); err != nil {
		t.Fatalf("stop: %v\n%s", err, srv.Log())
	}
	out, err := exec.Command(bin, "audit", "verify", "--db", db).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "OK: ") {
		t.Fatalf("duban audit verify: %v\n%s", err, out)
	}
	t.Logf("after the restart: %d reports, all acknowledged ones intact; %s", reports, strings.TrimSpace(string(out)))
}
