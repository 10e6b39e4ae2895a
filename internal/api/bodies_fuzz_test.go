package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/api"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/server"
	"github.com/duban-org/duban/internal/store/storetest"
)

// bodyRoutes are the routes that read a JSON body, with their path
// parameters filled in with ids that exist in the seed plan.
func bodyRoutes(t testing.TB) []string {
	var out []string
	for _, r := range api.New(api.Config{}).Routes() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		// Sign-in spends ~0.2 s of argon2 on every try by design and has
		// its own target (FuzzSignInBody).
		if method != http.MethodPost && method != http.MethodPut || strings.HasPrefix(path, "/api/v1/session") {
			continue
		}
		path = strings.NewReplacer("{id}", "1", "{code}", "140105", "{sha}", strings.Repeat("0", 64)).Replace(path)
		out = append(out, method+" "+path)
	}
	if len(out) == 0 {
		t.Fatal("no routes with a body")
	}
	return out
}

// FuzzJSONBodies sends arbitrary bodies to every route that reads one, as an
// office and as a unit's reporter, against the real API on a real SQLite
// store holding the seed plan. Whatever the body, the answer is a JSON
// object with a status below 500: bad input gets a clear 4xx, never a crash
// or an internal error.
func FuzzJSONBodies(f *testing.F) {
	ctx := context.Background()
	s := storetest.Open(f, storetest.Backends(f)[0], nil)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := server.Bootstrap(ctx, s, server.Config{Log: log, Now: time.Now, AdminPassword: "Fuzz-Office-2021"}); err != nil {
		f.Fatal(err)
	}
	p, err := s.Plan(ctx, 1)
	if err != nil {
		f.Fatal(err)
	}
	admin, err := s.UserByName(ctx, server.FirstAdmin)
	if err != nil {
		f.Fatal(err)
	}
	people := []auth.Principal{
		{User: admin},
		{User: org.User{ID: 9001, Jurisdiction: "140105", Username: "fuzz.reporter", Role: org.RoleReporter, UnitID: p.Tasks[0].LeadUnitID}},
	}
	mux := http.NewServeMux()
	api.New(api.Config{Store: s, Log: log}).Register(mux)
	routes := bodyRoutes(f)

	for i := range routes {
		for _, body := range []string{`{}`, `null`, `[]`, `"x"`, `{"narrative":"本月完成招聘会3场","actuals":[{"indicator_id":1,"value":1200}]}`,
			`{"lead_unit_id":-1,"co_unit_ids":[1,1],"deadline":"2021-13-45"}`, `{"title":"","due":"x"}`, `{"comment":"' OR 1=1 --","cause":"quality"}`,
			`{"target":1e309}`, `{"calendar":{"frequency":"weekly","due_day":40}}`} {
			f.Add(uint8(i), uint8(i%2), []byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, route, who uint8, body []byte) {
		method, path, _ := strings.Cut(routes[int(route)%len(routes)], " ")
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req = req.WithContext(auth.WithPrincipal(req.Context(), people[int(who)%len(people)]))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s with %q: %d %s", method, path, body, rec.Code, rec.Body.String())
		}
		var answer map[string]any
		if rec.Code != http.StatusNoContent {
			if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
				t.Fatalf("%s %s with %q: %d, not a JSON object: %q", method, path, body, rec.Code, rec.Body.String())
			}
		}
	})
}
