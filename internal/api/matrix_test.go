package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/api"
	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/server"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// The principals of the matrix: the public, one user of every role in the
// district 140105, the office of another district (140106), and a user who
// signed in and was then disabled.
type who uint

const (
	public who = 1 << iota
	office
	reporter
	unitHead
	leader
	viewer
	otherOffice
	disabled
)

var principals = []struct {
	who  who
	name string // user name; "" for the public
}{
	{public, ""},
	{office, "office"},
	{reporter, "reporter"},
	{unitHead, "head"},
	{leader, "leader"},
	{viewer, "viewer"},
	{otherOffice, "other.office"},
	{disabled, "gone"},
}

// Spellings for the table. They are written out here, not taken from
// auth's policy: the matrix is a second, independent statement of who may
// do what, and the test fails where the two disagree.
const (
	staff    = office | reporter | unitHead | leader | viewer | otherOffice // every enabled account
	everyone = public | disabled | staff                                    // a disabled account counts as the public
	offices  = office | otherOffice
	units    = reporter | unitHead
	insiders = offices | units | leader // staff who work on delivery (not viewers)
)

// matrix says, for every route, who may pass the authorization check.
// A route of api.Routes() missing here fails TestMatrix: a new route needs
// a row before it ships.
var matrix = map[string]who{
	"GET /healthz":          everyone,
	"GET /readyz":           everyone,
	"GET /api/openapi.json": everyone,

	"POST /api/v1/session":         everyone,
	"GET /api/v1/session":          staff,
	"DELETE /api/v1/session":       staff,
	"PUT /api/v1/session/password": staff,

	"GET /api/v1/session/oidc":          everyone,
	"GET /api/v1/session/oidc/callback": everyone,

	"GET /api/v1/plans":      everyone,
	"POST /api/v1/plans":     offices,
	"GET /api/v1/plans/{id}": everyone,

	// Task division and plan settings: the supervision office's work.
	"GET /api/v1/units":                 staff,
	"POST /api/v1/units":                offices,
	"PUT /api/v1/tasks/{id}/division":   offices,
	"PUT /api/v1/tasks/{id}/milestones": offices,
	"PUT /api/v1/indicators/{id}":       offices,
	"POST /api/v1/plans/{id}/publish":   offices,
	"GET /api/v1/plans/{id}/settings":   staff,
	"PUT /api/v1/plans/{id}/settings":   offices,
	"POST /api/v1/milestones/{id}/done": units,

	// Progress reports: units write, the unit head signs off, the office
	// reviews; everyone signed in may ask, and the object rules then hide
	// drafts from all but their unit and the office.
	"GET /api/v1/tasks/{id}/reports":             staff,
	"POST /api/v1/tasks/{id}/reports":            units,
	"GET /api/v1/plans/{id}/indicator-reports":   staff,
	"POST /api/v1/plans/{id}/indicator-reports":  units,
	"GET /api/v1/reports/{id}":                   staff,
	"PUT /api/v1/reports/{id}":                   units,
	"POST /api/v1/reports/{id}/submit":           units,
	"POST /api/v1/reports/{id}/signoff":          unitHead,
	"POST /api/v1/reports/{id}/accept":           offices,
	"POST /api/v1/reports/{id}/return":           offices,
	"POST /api/v1/reports/{id}/attachments":      units,
	"GET /api/v1/reports/{id}/attachments/{sha}": insiders,

	// Status, scores and deadline extensions.
	"GET /api/v1/plans/{id}/status":           staff,
	"GET /api/v1/plans/{id}/scores":           staff,
	"GET /api/v1/jurisdictions/{code}/status": staff,
	"GET /api/v1/plans/{id}/extensions":       staff,
	"POST /api/v1/tasks/{id}/extensions":      units,
	"POST /api/v1/extensions/{id}/grant":      offices,
	"POST /api/v1/extensions/{id}/refuse":     offices,

	// Reminders and supervision notices.
	"GET /api/v1/notices":                   insiders,
	"POST /api/v1/notices":                  offices,
	"GET /api/v1/notices/{id}":              insiders,
	"POST /api/v1/notices/{id}/acknowledge": units,
	"POST /api/v1/notices/{id}/responses":   units,
	"GET /api/v1/inbox":                     insiders,
	"POST /api/v1/inbox/{id}/read":          insiders,

	// The audit log.
	"GET /api/v1/audit":        offices,
	"GET /api/v1/audit/export": offices,
	"GET /api/v1/audit/verify": offices,
}

// password is every fixture account's password.
const password = "Tr7-harbour-lamp"

// clock is a test clock shared by the store and the server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClock() *clock { return &clock{t: time.Date(2021, 4, 12, 9, 30, 0, 0, time.UTC)} }

// world is a real server handler over a real store with the fixture
// accounts and plans.
type world struct {
	t        *testing.T
	s        *store.Store
	h        http.Handler
	clock    *clock
	users    map[string]org.User
	accounts *auth.Accounts

	published, draftA, draftB int64
}

// session is what a client keeps after signing in.
type session struct {
	token string // the cookie's value
	csrf  string
}

var ctx = context.Background()

var admin = audit.System("test fixture")

// newWorld builds the fixture on s: districts 140105 and 140106, a unit in
// each, one account per principal, a published plan and a draft in 140105
// and a draft in 140106.
func newWorld(t *testing.T, s *store.Store, c *clock, policy auth.SessionPolicy) *world {
	t.Helper()
	w := &world{t: t, s: s, clock: c, users: map[string]org.User{}}
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Write(ctx, admin, func(tx *store.Tx) error {
		for _, j := range []org.Jurisdiction{
			{Code: "140000", Name: "山西省"}, {Code: "140100", Name: "太原市", Parent: "140000"},
			{Code: "140105", Name: "小店区", Parent: "140100"}, {Code: "140106", Name: "迎泽区", Parent: "140100"},
		} {
			if err := tx.EnsureJurisdiction(ctx, j); err != nil {
				return err
			}
		}
		unitA, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "小店区民政局", ShortName: "民政局"})
		if err != nil {
			return err
		}
		if _, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140106", Name: "迎泽区民政局", ShortName: "民政局"}); err != nil {
			return err
		}
		for _, u := range []org.User{
			{Username: "office", Role: org.RoleOffice, Jurisdiction: "140105"},
			{Username: "reporter", Role: org.RoleReporter, Jurisdiction: "140105", UnitID: unitA.ID},
			{Username: "head", Role: org.RoleUnitHead, Jurisdiction: "140105", UnitID: unitA.ID},
			{Username: "leader", Role: org.RoleLeader, Jurisdiction: "140105"},
			{Username: "viewer", Role: org.RoleViewer, Jurisdiction: "140105"},
			{Username: "other.office", Role: org.RoleOffice, Jurisdiction: "140106"},
			{Username: "gone", Role: org.RoleOffice, Jurisdiction: "140105"},
		} {
			u.PasswordHash = hash
			u.DisplayName = u.Username
			if w.users[u.Username], err = tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		deadline := time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)
		for _, p := range []struct {
			id           *int64
			jurisdiction string
			status       plan.Status
		}{{&w.published, "140105", plan.StatusPublished}, {&w.draftA, "140105", plan.StatusDraft}, {&w.draftB, "140106", plan.StatusDraft}} {
			pl := &plan.Plan{Jurisdiction: p.jurisdiction, Year: 2021, Title: "2021年重点工作 " + p.jurisdiction + " " + string(p.status),
				Status: p.status, SourceSHA256: "fixture " + p.jurisdiction + " " + string(p.status),
				Tasks: []plan.Task{{Code: "1.1", Title: "新建社区养老服务中心3个", Deadline: &deadline}}}
			if p.jurisdiction == "140105" {
				pl.Tasks[0].LeadUnitID = unitA.ID
			}
			stored, err := tx.CreatePlan(ctx, pl, nil)
			if err != nil {
				return err
			}
			*p.id = stored.ID
		}
		return nil
	})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	log := slog.New(slog.DiscardHandler)
	w.accounts = auth.NewAccounts(s, policy)
	w.h = server.Handler(server.Config{Log: log, Now: c.Now, Sessions: policy}, s)
	return w
}

// request is one call to the server.
type request struct {
	method, path, body string
	as                 *session
	remote             string // client address; default 192.0.2.1
	header             map[string]string
	noCSRF             bool // leave the X-CSRF-Token header out
}

func (w *world) do(r request) *httptest.ResponseRecorder {
	w.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.remote != "" {
		req.RemoteAddr = r.remote + ":40000"
	}
	if r.as != nil {
		req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: r.as.token})
		if !r.noCSRF {
			req.Header.Set(auth.CSRFHeader, r.as.csrf)
		}
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	return rec
}

// signIn signs a user in through the API and returns the session, failing
// the test unless it worked.
func (w *world) signIn(username string) *session {
	w.t.Helper()
	rec := w.do(request{method: "POST", path: "/api/v1/session", body: credentialsJSON(username, password)})
	if rec.Code != http.StatusOK {
		w.t.Fatalf("sign in %s: %d %s", username, rec.Code, rec.Body)
	}
	return sessionOf(w.t, rec)
}

func credentialsJSON(username, pw string) string {
	b, _ := json.Marshal(map[string]string{"username": username, "password": pw})
	return string(b)
}

// sessionOf reads the cookie and CSRF token from a sign-in answer.
func sessionOf(t *testing.T, rec *httptest.ResponseRecorder) *session {
	t.Helper()
	var body struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.CSRF == "" {
		t.Fatalf("sign-in answer without csrf_token: %s", rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == auth.CookieName && c.Value != "" {
			return &session{token: c.Value, csrf: body.CSRF}
		}
	}
	t.Fatalf("sign-in answer without a session cookie: %v", rec.Result().Header)
	return nil
}

// signInAll signs every principal in; the disabled one is disabled after
// signing in, without ending its session, so the middleware's own check of
// the account is what the matrix sees.
func (w *world) signInAll() map[who]*session {
	w.t.Helper()
	out := map[who]*session{}
	for _, p := range principals {
		if p.name != "" {
			out[p.who] = w.signIn(p.name)
		}
	}
	err := w.s.Write(ctx, admin, func(tx *store.Tx) error {
		u, err := tx.UserByName(ctx, "gone")
		if err != nil {
			return err
		}
		u.Disabled = true
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// concretePath fills a route's path parameters. Reads of a plan get the
// published plan, so the answer is a real 200; everything else gets an id
// that exists nowhere, so no change can happen and an allowed request ends
// in 400 or 404 inside the handler.
func (w *world) concretePath(method, path string) string {
	if method == http.MethodGet && strings.HasPrefix(path, "/api/v1/plans/{id}") {
		path = strings.Replace(path, "{id}", strconv.FormatInt(w.published, 10), 1)
	}
	return pathParam.ReplaceAllString(path, "999999")
}

// TestMatrix asks every route as every principal, through the real
// middleware and handlers, and checks the answer against the table:
// denied means 401 (not signed in) or 403 (signed in, wrong role);
// allowed means anything else, and never a server error.
func TestMatrix(t *testing.T) {
	storetest.Each(t, newClock().Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, newClock(), auth.SessionPolicy{})
		sessions := w.signInAll()
		routes := api.New(api.Config{Store: s}).Routes()
		served := map[string]bool{}
		for _, r := range routes {
			served[r.Pattern] = true
			if _, ok := matrix[r.Pattern]; !ok {
				t.Errorf("route %s has no row in the matrix: write down who may use it", r.Pattern)
			}
		}
		for pattern := range matrix {
			if !served[pattern] {
				t.Errorf("the matrix has a row for %s, which no route serves", pattern)
			}
		}
		// Signing out ends the session the other rows need: ask it last.
		slices.SortStableFunc(routes, func(a, b api.Route) int {
			return boolInt(a.Pattern == "DELETE /api/v1/session") - boolInt(b.Pattern == "DELETE /api/v1/session")
		})
		for _, p := range principals {
			for _, r := range routes {
				allowed, ok := matrix[r.Pattern]
				if !ok {
					continue
				}
				method, path, _ := strings.Cut(r.Pattern, " ")
				req := request{method: method, path: w.concretePath(method, path), as: sessions[p.who]}
				if method != http.MethodGet && method != http.MethodHead {
					req.body = "{}"
				}
				rec := w.do(req)
				label := p.name
				if label == "" {
					label = "public"
				}
				switch want := allowed&p.who != 0; {
				case want && (rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden):
					t.Errorf("%s as %s: %d %s; want allowed", r.Pattern, label, rec.Code, strings.TrimSpace(rec.Body.String()))
				case !want && (p.who == public || p.who == disabled) && rec.Code != http.StatusUnauthorized:
					t.Errorf("%s as %s: %d; want 401", r.Pattern, label, rec.Code)
				case !want && p.who != public && p.who != disabled && rec.Code != http.StatusForbidden:
					t.Errorf("%s as %s: %d; want 403", r.Pattern, label, rec.Code)
				case rec.Code >= 500:
					t.Errorf("%s as %s: server error %d %s", r.Pattern, label, rec.Code, strings.TrimSpace(rec.Body.String()))
				}
			}
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestMatrixObjects checks the object rules behind the role table: a draft
// is seen only inside its own district and not by viewers, and never by the
// public; unseen drafts answer 404, as if they did not exist.
func TestMatrixObjects(t *testing.T) {
	storetest.Each(t, newClock().Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, newClock(), auth.SessionPolicy{})
		sessions := w.signInAll()
		plans := map[string]int64{"published": w.published, "draft 140105": w.draftA, "draft 140106": w.draftB}
		// Who sees which plan (by GET /api/v1/plans/{id} and in the list).
		sees := map[string]who{
			"published":    everyone,
			"draft 140105": office | reporter | unitHead | leader,
			"draft 140106": otherOffice,
		}
		for _, p := range principals {
			label := p.name
			if label == "" {
				label = "public"
			}
			rec := w.do(request{method: "GET", path: "/api/v1/plans", as: sessions[p.who]})
			if rec.Code != http.StatusOK {
				t.Fatalf("list as %s: %d %s", label, rec.Code, rec.Body)
			}
			var list struct {
				Plans []struct {
					ID int64 `json:"id"`
				} `json:"plans"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil {
				t.Fatal(err)
			}
			listed := map[int64]bool{}
			for _, pl := range list.Plans {
				listed[pl.ID] = true
			}
			for name, id := range plans {
				want := sees[name]&p.who != 0
				rec := w.do(request{method: "GET", path: "/api/v1/plans/" + strconv.FormatInt(id, 10), as: sessions[p.who]})
				switch {
				case want && rec.Code != http.StatusOK:
					t.Errorf("%s reading the %s plan: %d; want 200", label, name, rec.Code)
				case !want && rec.Code != http.StatusNotFound:
					t.Errorf("%s reading the %s plan: %d; want 404", label, name, rec.Code)
				}
				if listed[id] != want {
					t.Errorf("%s: the %s plan listed = %v; want %v", label, name, listed[id], want)
				}
			}
		}
	})
}
