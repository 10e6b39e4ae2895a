package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/server"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

func quietLog(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, nil))
}

func TestFreshServerShowsTheSeedPlan(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			var logs bytes.Buffer
			cfg := server.Config{DB: b.DSN(t), Log: quietLog(&logs), Now: time.Now}
			s, err := store.Open(ctx, cfg.DB, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := server.Bootstrap(ctx, s, cfg); err != nil {
				t.Fatal(err)
			}
			// A second start changes nothing.
			if err := server.Bootstrap(ctx, s, cfg); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(logs.String(), "password=") || strings.Count(logs.String(), "password=") != 1 {
				t.Errorf("the one-time password must be logged exactly once; log:\n%s", logs.String())
			}
			srv := httptest.NewServer(server.Handler(cfg, s))
			defer srv.Close()

			get := func(path string) (int, []byte, http.Header) {
				resp, err := http.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, body, resp.Header
			}
			if code, _, h := get("/healthz"); code != 200 || h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Fatalf("healthz %d, headers %v", code, h)
			}
			if code, body, _ := get("/readyz"); code != 200 {
				t.Fatalf("readyz %d %s", code, body)
			}
			code, body, _ := get("/api/v1/plans")
			var list struct {
				Plans []struct {
					ID     int64  `json:"id"`
					Status string `json:"status"`
					Year   int    `json:"year"`
					Tasks  int    `json:"tasks"`
				} `json:"plans"`
			}
			if err := json.Unmarshal(body, &list); err != nil || code != 200 {
				t.Fatalf("plans: %d %s %v", code, body, err)
			}
			if len(list.Plans) != 1 || list.Plans[0].Status != "published" || list.Plans[0].Year != 2021 || list.Plans[0].Tasks < 18 {
				t.Fatalf("plans = %+v (log: %s)", list.Plans, logs.String())
			}
			code, body, _ = get("/api/v1/plans/1")
			if code != 200 || !strings.Contains(string(body), "织密社会保障网络") {
				t.Fatalf("plan 1: %d %.300s", code, body)
			}
			for path, want := range map[string]int{"/api/v1/plans/abc": 400, "/api/v1/plans/999": 404, "/nope": 404} {
				if code, body, _ := get(path); code != want {
					t.Errorf("%s: %d %s, want %d", path, code, body, want)
				}
			}
		})
	}
}

func TestRunRefusesWhatIsNotADubanDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 10)), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	err := server.Run(context.Background(), server.Config{Addr: "127.0.0.1:0", DB: path, Log: quietLog(&logs)})
	if err == nil || !strings.Contains(err.Error(), "not a duban database") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(path); !bytes.HasPrefix(data, []byte("not a database")) {
		t.Fatal("the file was changed")
	}
}

func TestRunShutsDownGracefully(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var logs bytes.Buffer
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, server.Config{Addr: "127.0.0.1:0", DB: filepath.Join(t.TempDir(), "d.db"), Log: quietLog(&logs),
			AdminPassword: "Ex4mple-Passw0rd", Ready: func(a string) { addr <- a }})
	}()
	var a string
	select {
	case a = <-addr:
	case err := <-done:
		t.Fatalf("server ended early: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	resp, err := http.Get("http://" + a + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no graceful stop")
	}
	if strings.Contains(logs.String(), "Ex4mple-Passw0rd") {
		t.Fatal("a given admin password must never be logged")
	}
}

func TestFirstAdminPassword(t *testing.T) {
	ctx := context.Background()
	open := func(t *testing.T) *store.Store {
		s, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return s
	}
	t.Run("a weak password from the environment is refused", func(t *testing.T) {
		s := open(t)
		var logs bytes.Buffer
		err := server.Bootstrap(ctx, s, server.Config{Log: quietLog(&logs), Now: time.Now, NoSeed: true, AdminPassword: "admin123"})
		if err == nil || !strings.Contains(err.Error(), "DUBAN_ADMIN_PASSWORD") {
			t.Fatalf("err = %v", err)
		}
		if n, _ := s.CountUsers(ctx); n != 0 {
			t.Fatalf("%d accounts created with a weak password", n)
		}
	})
	for _, c := range []struct {
		name     string
		password string
		must     bool
	}{
		{"a generated password must be changed at first sign-in", "", true},
		{"a password from the environment need not", "Ex4mple-Passw0rd", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			var logs bytes.Buffer
			cfg := server.Config{Log: quietLog(&logs), Now: time.Now, NoSeed: true, AdminPassword: c.password}
			if err := server.Bootstrap(ctx, s, cfg); err != nil {
				t.Fatal(err)
			}
			password := c.password
			if password == "" {
				_, after, ok := strings.Cut(logs.String(), "password=")
				if !ok {
					t.Fatalf("no password in the log: %s", logs.String())
				}
				password = strings.Fields(after)[0]
			}
			srv := httptest.NewServer(server.Handler(cfg, s))
			defer srv.Close()
			body := strings.NewReader(`{"username":"admin","password":"` + password + `"}`)
			resp, err := http.Post(srv.URL+"/api/v1/session", "application/json", body)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got struct {
				MustChange bool `json:"password_change_required"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
				t.Fatalf("sign-in: %d %v", resp.StatusCode, err)
			}
			if got.MustChange != c.must {
				t.Fatalf("password_change_required = %v, want %v", got.MustChange, c.must)
			}
		})
	}
}
