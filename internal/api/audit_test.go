package api

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// auditServer is the API's route table on a real database holding one
// jurisdiction and n units created by alternating actors, with every
// request made as p.
func auditServer(t *testing.T, s *store.Store, n int) func(p auth.Principal, target string) *http.Response {
	t.Helper()
	ctx := context.Background()
	err := s.Write(ctx, audit.System("duban seed"), func(tx *store.Tx) error {
		return tx.EnsureJurisdiction(ctx, org.Jurisdiction{Code: "140105", Name: "小店区"})
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		actor := audit.Actor{UserID: int64(1 + i%2), Name: []string{"liming", "=cmd|' /C calc'!A0"}[i%2], Remote: "10.0.0.9"}
		err := s.Write(ctx, actor, func(tx *store.Tx) error {
			_, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: fmt.Sprintf("单位%03d", i)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	a := New(Config{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return time.Date(2021, 4, 12, 9, 30, 0, 0, time.UTC) }})
	mux := http.NewServeMux()
	a.Register(mux)
	return func(p auth.Principal, target string) *http.Response {
		req := httptest.NewRequest("GET", target, nil)
		req = req.WithContext(auth.WithPrincipal(req.Context(), p))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec.Result()
	}
}

func as(role org.Role) auth.Principal {
	return auth.Principal{User: org.User{ID: 9, Username: "u-" + string(role), Role: role, Jurisdiction: "140105"}}
}

func decode[T any](t *testing.T, res *http.Response) T {
	t.Helper()
	var v T
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestAuditBrowse(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, s *store.Store) {
		get := auditServer(t, s, 9) // events: 1 jurisdiction + 9 units
		office := as(org.RoleOffice)
		tests := []struct {
			query   string
			ids     []int64
			next    int64
			wantErr string
		}{
			{"", []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0, ""},
			{"?limit=4", []int64{1, 2, 3, 4}, 4, ""},
			{"?limit=4&after=4", []int64{5, 6, 7, 8}, 8, ""},
			{"?limit=4&after=8", []int64{9, 10}, 0, ""},
			{"?entity=unit&actor=liming", []int64{2, 4, 6, 8, 10}, 0, ""},
			{"?action=jurisdiction.create", []int64{1}, 0, ""},
			{"?entity=unit&entity_id=3", []int64{4}, 0, ""},
			{"?actor=" + url.QueryEscape("=cmd|' /C calc'!A0") + "&limit=2", []int64{3, 5}, 5, ""},
			{"?actor=nobody", []int64{}, 0, ""},
			{"?entity=" + url.QueryEscape("unit' OR '1'='1"), nil, 0, "entity"},
			{"?action=PLAN.CREATE", nil, 0, "action"},
			{"?after=-1", nil, 0, "after"},
			{"?limit=0", nil, 0, "limit"},
			{"?limit=1001", nil, 0, "limit"},
			{"?limit=ten", nil, 0, "limit"},
			{"?actr=liming", nil, 0, "actr"},
			{"?after=1&after=2", nil, 0, "after"},
			{"?format=csv", nil, 0, "format"},
			{"?actor=" + url.QueryEscape("a\x00b"), nil, 0, "actor"},
		}
		for _, tt := range tests {
			res := get(office, "/api/v1/audit"+tt.query)
			if tt.wantErr != "" {
				body := decode[apiError](t, res)
				if res.StatusCode != 400 || body.Code != "invalid" || len(body.Fields) == 0 || body.Fields[0].Field != tt.wantErr {
					t.Errorf("%s: %d %+v, want 400 on %s", tt.query, res.StatusCode, body, tt.wantErr)
				}
				continue
			}
			page := decode[auditPage](t, res)
			ids := []int64{}
			for _, e := range page.Events {
				ids = append(ids, e.ID)
			}
			var next int64
			if page.NextAfter != nil {
				next = *page.NextAfter
			}
			if res.StatusCode != 200 || fmt.Sprint(ids) != fmt.Sprint(tt.ids) || next != tt.next {
				t.Errorf("%s: %d ids %v next %d; want %v next %d", tt.query, res.StatusCode, ids, next, tt.ids, tt.next)
			}
		}
	})
}

func TestAuditRoutesAreForTheOfficeOnly(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, s *store.Store) {
		get := auditServer(t, s, 1)
		for _, path := range []string{"/api/v1/audit", "/api/v1/audit/export", "/api/v1/audit/verify"} {
			if res := get(auth.Public, path); res.StatusCode != 401 {
				t.Errorf("public %s: %d", path, res.StatusCode)
			}
			for _, role := range org.Roles {
				want := 403
				if role == org.RoleOffice {
					want = 200
				}
				if res := get(as(role), path); res.StatusCode != want {
					t.Errorf("%s %s: %d, want %d", role, path, res.StatusCode, want)
				}
			}
			disabled := as(org.RoleOffice)
			disabled.User.Disabled = true
			if res := get(disabled, path); res.StatusCode != 403 {
				t.Errorf("disabled office %s: %d", path, res.StatusCode)
			}
		}
	})
}

func TestAuditExport(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, s *store.Store) {
		// More events than one store page, so the export crosses pages.
		get := auditServer(t, s, store.MaxAuditPage+50)
		office := as(org.RoleOffice)

		res := get(office, "/api/v1/audit/export")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/x-ndjson; charset=utf-8" ||
			res.Header.Get("Content-Disposition") != `attachment; filename="duban-audit-20210412T093000Z.jsonl"` {
			t.Fatalf("%d %v", res.StatusCode, res.Header)
		}
		v := audit.NewVerifier()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			var e audit.Event
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatal(err)
			}
			if err := v.Next(e); err != nil {
				t.Fatalf("the exported chain does not verify: %v", err)
			}
		}
		if v.Count() != store.MaxAuditPage+51 {
			t.Fatalf("exported %d events, want %d", v.Count(), store.MaxAuditPage+51)
		}

		res = get(office, "/api/v1/audit/export?format=csv&actor="+url.QueryEscape("=cmd|' /C calc'!A0")+"&after=1000")
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(string(body), "\uFEFFid,") {
			t.Fatalf("%d %v %.40q", res.StatusCode, res.Header, body)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// Events 1001…1051; the second actor made the odd ones: 26 rows.
		if len(rows) != 1+26 || rows[1][0] != "1001" || rows[1][3] != "'=cmd|' /C calc'!A0" {
			t.Fatalf("%d rows, first %q", len(rows), rows[1])
		}

		if res := get(office, "/api/v1/audit/export?format=xml"); res.StatusCode != 400 {
			t.Fatalf("format=xml: %d", res.StatusCode)
		}
		if res := get(office, "/api/v1/audit/export?limit=5"); res.StatusCode != 400 {
			t.Fatalf("limit on export: %d", res.StatusCode)
		}
	})
}

func TestAuditVerifyRoute(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, s *store.Store) {
		get := auditServer(t, s, 5)
		office := as(org.RoleOffice)
		if got := decode[auditVerification](t, get(office, "/api/v1/audit/verify")); !got.OK || got.Events != 6 {
			t.Fatalf("intact: %+v", got)
		}
		q := `UPDATE audit_events SET before_json = '{"name":"x"}' WHERE id = 4`
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
		res := get(office, "/api/v1/audit/verify")
		got := decode[auditVerification](t, res)
		if res.StatusCode != 200 || got.OK || got.BrokenAt != 4 || got.Events != 3 || !strings.Contains(got.Reason, "altered") {
			t.Fatalf("altered: %d %+v", res.StatusCode, got)
		}
	})
}
