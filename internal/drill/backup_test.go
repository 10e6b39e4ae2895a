package drill

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackupWhileServing runs `duban backup` as its own process while a
// duban server process takes report submissions, then `duban restore`s the
// copy into a new place and serves it: the copy verifies, holds a
// consistent moment (every report in it with its audit events), and lacks
// only what was submitted after it was taken.
func TestBackupWhileServing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bin := dubanBin
	db := filepath.Join(dir, "duban.db")
	fx, err := Prepare(ctx, db, 4, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Start(ctx, bin, db, filepath.Join(dir, "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	hc := &http.Client{Transport: NewTransport(16), Timeout: 30 * time.Second}
	var submitted atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, rep := range fx.Reporters {
		c, err := SignIn(ctx, hc, srv.URL, rep.Account)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				task := rep.Tasks[k%len(rep.Tasks)]
				period := Periods(2021 + k/len(rep.Tasks)/16)[k/len(rep.Tasks)%16]
				if _, _, err := c.Submit(ctx, task, period, "备份期间提交的进展。"); err != nil {
					t.Errorf("%s: %v", rep.Username, err)
					return
				}
				submitted.Add(1)
			}
		}()
	}
	for submitted.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}
	file := filepath.Join(dir, "backup.db")
	beforeBackup := submitted.Load()
	out, err := exec.Command(bin, "backup", "--db", db, file).CombinedOutput()
	atBackup := submitted.Load()
	for submitted.Load() < atBackup+20 {
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("duban backup: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`audit chain \((\d+) events\) verified`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("duban backup said %s", out)
	}
	backupEvents, _ := strconv.Atoi(string(m[1]))
	t.Logf("%s", strings.TrimSpace(string(out)))

	// Restoring over the database the server still has open is refused.
	out, err = exec.Command(bin, "restore", "--db", db, file).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by another process") {
		t.Fatalf("duban restore under a running server: %v\n%s", err, out)
	}
	bak, _ := filepath.Glob(db + ".bak-*")
	tmp, _ := filepath.Glob(filepath.Join(dir, ".duban.db.*"))
	if matches := append(bak, tmp...); len(matches) != 0 {
		t.Fatalf("a refused restore left %v", matches)
	}

	restored := filepath.Join(t.TempDir(), "restored.db")
	if out, err := exec.Command(bin, "restore", "--db", restored, file).CombinedOutput(); err != nil {
		t.Fatalf("duban restore: %v\n%s", err, out)
	}
	srv2, err := Start(ctx, bin, restored, filepath.Join(dir, "attachments2"))
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Stop()
	office, err := SignIn(ctx, hc, srv2.URL, fx.Office)
	if err != nil {
		t.Fatal(err)
	}
	reports := 0
	for _, rep := range fx.Reporters {
		for _, task := range rep.Tasks {
			var list struct{ Reports []Report }
			if err := office.Do(ctx, "GET", fmt.Sprintf("/api/v1/tasks/%d/reports", task), nil, &list); err != nil {
				t.Fatal(err)
			}
			for _, r := range list.Reports {
				reports++
				var page struct{ Events []struct{ Action string } }
				if err := office.Do(ctx, "GET", fmt.Sprintf("/api/v1/audit?entity=report&entity_id=%d", r.ID), nil, &page); err != nil {
					t.Fatal(err)
				}
				if len(page.Events) == 0 {
					t.Errorf("report %d is in the backup without its audit events", r.ID)
				}
			}
		}
	}
	var verdict struct {
		OK     bool
		Events int
	}
	if err := office.Do(ctx, "GET", "/api/v1/audit/verify", nil, &verdict); err != nil || !verdict.OK {
		t.Fatalf("restored audit chain: %+v %v", verdict, err)
	}
	// Signing in may add events of its own; the backup's are all there.
	if verdict.Events < backupEvents {
		t.Fatalf("restored chain has %d events, the backup verified %d", verdict.Events, backupEvents)
	}
	final := submitted.Load()
	if int64(reports) < beforeBackup || int64(reports) >= final {
		t.Fatalf("the backup holds %d reports; %d were acknowledged before it started and %d at the end", reports, beforeBackup, final)
	}
	t.Logf("backup holds %d reports (acknowledged: %d before the backup started, %d when it ended, %d at the end)", reports, beforeBackup, atBackup, final)
}
