package server_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/server"
	"github.com/duban-org/duban/internal/store"
)

// TestRunStartsTheScheduler starts a fresh server on 8 March 2021: the seed
// plan is published on bootstrap, the scheduler's first tick reminds the
// units whose February reports (due 5 March) are three days late, and the
// dispatcher puts the reminders in their inboxes. Stopping the server stops
// the scheduler before the database closes.
func TestRunStartsTheScheduler(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db := filepath.Join(t.TempDir(), "d.db")
	now := func() time.Time { return time.Date(2021, 3, 8, 1, 0, 0, 0, time.UTC) }
	var logs bytes.Buffer
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, server.Config{Addr: "127.0.0.1:0", DB: db, DataDir: t.TempDir(), Log: quietLog(&logs), Now: now,
			AdminPassword: "Ex4mple-Passw0rd", Ready: func(a string) { addr <- a }})
	}()
	select {
	case <-addr:
	case err := <-done:
		t.Fatalf("server ended early: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	plans, err := s.Plans(context.Background(), store.PlanFilter{Status: plan.StatusPublished})
	if err != nil || len(plans) != 1 {
		t.Fatalf("published plans %v %v", plans, err)
	}
	var inbox map[string]int
	for i := 0; i < 300; i++ { // the first tick runs at start; give it time on a busy machine
		inbox, err = s.CountInbox(context.Background(), plans[0].ID)
		if err == nil && len(inbox) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(inbox) == 0 {
		t.Fatalf("no reminder reached an inbox: %v\n%s", err, logs.String())
	}
	for key, n := range inbox {
		if n < 1 {
			t.Errorf("%s: %d", key, n)
		}
	}
	if _, ok := inbox["remind/report/1/1/2021-02/+3"]; !ok {
		t.Errorf("no three-days-late reminder of task 1's February report among %d: %v", len(inbox), inbox)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no graceful stop")
	}
}
