package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/api"
	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/schedule"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
	"github.com/duban-org/duban/internal/upload"
)

// dlClock is a settable clock shared by the store, the API and the
// scheduler of one test.
type dlClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *dlClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *dlClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func dlAt(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, delivery.Shanghai)
}

// dlWorld is a published plan with two tasks in 小店区 and the people who
// work on it, plus an office in another district.
type dlWorld struct {
	t        *testing.T
	s        *store.Store
	h        http.Handler
	plan     *plan.Plan
	t1, t2   plan.Task // t1: lead A, co B, one indicator; t2: lead B
	unitA    org.Unit
	unitB    org.Unit
	people   map[string]auth.Principal
	clock    *dlClock
	indID    int64
	reportID int64
}

func dlNewWorld(t *testing.T, s *store.Store, c *dlClock) *dlWorld {
	ctx := context.Background()
	w := &dlWorld{t: t, s: s, clock: c, people: map[string]auth.Principal{}}
	err := s.Write(ctx, audit.System("fixture"), func(tx *store.Tx) error {
		for _, j := range []org.Jurisdiction{{Code: "140000", Name: "山西省"}, {Code: "140100", Name: "太原市", Parent: "140000"},
			{Code: "140105", Name: "小店区", Parent: "140100"}, {Code: "140106", Name: "迎泽区", Parent: "140100"}} {
			if err := tx.EnsureJurisdiction(ctx, j); err != nil {
				return err
			}
		}
		var err error
		if w.unitA, err = tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "小店区人力资源和社会保障局", ShortName: "人社局"}); err != nil {
			return err
		}
		if w.unitB, err = tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "小店区民政局", ShortName: "民政局"}); err != nil {
			return err
		}
		dl := time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)
		p, err := tx.CreatePlan(ctx, &plan.Plan{Jurisdiction: "140105", Year: 2021, Title: "2021年重点工作", Status: plan.StatusDraft, SourceSHA256: "x",
			Sections: []plan.Section{{Title: "民生"}},
			Tasks: []plan.Task{
				{SectionID: 1, Code: "1.1", Title: "稳定就业", LeadUnitID: w.unitA.ID, CoUnitIDs: []int64{w.unitB.ID}, Deadline: &dl,
					Indicators: []plan.Indicator{{Name: "新增就业", Unit: "人", Target: 12000, Comparator: plan.GE, Kind: plan.Cumulative}}},
				{SectionID: 1, Code: "1.2", Title: "养老服务", LeadUnitID: w.unitB.ID, Deadline: &dl},
			}}, nil)
		if err != nil {
			return err
		}
		w.plan = p
		return tx.PublishPlan(ctx, p.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	w.plan, _ = s.Plan(ctx, w.plan.ID)
	w.t1, w.t2 = w.plan.Tasks[0], w.plan.Tasks[1]
	w.indID = w.t1.Indicators[0].ID
	user := func(id int64, jur string, role org.Role, unit int64) auth.Principal {
		return auth.Principal{User: org.User{ID: id, Jurisdiction: jur, Username: fmt.Sprintf("u%d", id), Role: role, UnitID: unit}}
	}
	w.people = map[string]auth.Principal{
		"office":      user(1, "140105", org.RoleOffice, 0),
		"reporterA":   user(2, "140105", org.RoleReporter, w.unitA.ID),
		"headA":       user(3, "140105", org.RoleUnitHead, w.unitA.ID),
		"reporterB":   user(4, "140105", org.RoleReporter, w.unitB.ID),
		"headB":       user(5, "140105", org.RoleUnitHead, w.unitB.ID),
		"leader":      user(6, "140105", org.RoleLeader, 0),
		"viewer":      user(7, "140105", org.RoleViewer, 0),
		"otherOffice": user(8, "140106", org.RoleOffice, 0),
		"public":      auth.Public,
	}
	files, err := upload.NewStore(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.New(api.Config{Store: s, Now: c.Now, Attachments: files}).Register(mux)
	w.h = mux
	return w
}

// do sends a request as one of the people, the principal placed in the
// request context as the session middleware does.
func (w *dlWorld) do(who, method, path string, body any) *httptest.ResponseRecorder {
	w.t.Helper()
	var rd *bytes.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case string:
		rd = bytes.NewReader([]byte(b))
	case *multipart.Writer:
		w.t.Fatal("use upload")
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", ct)
	}
	p, ok := w.people[who]
	if !ok {
		w.t.Fatalf("no person %q", who)
	}
	if !p.Anonymous {
		req = req.WithContext(auth.WithPrincipal(req.Context(), p))
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	return rec
}

func (w *dlWorld) expect(rec *httptest.ResponseRecorder, status int, what string) map[string]any {
	w.t.Helper()
	if rec.Code != status {
		w.t.Fatalf("%s: status %d, want %d: %s", what, rec.Code, status, rec.Body.String())
	}
	var out map[string]any
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			w.t.Fatalf("%s: body is not JSON: %v", what, err)
		}
	}
	return out
}

// fieldsOf lists the field names of a validation error body.
func fieldsOf(body map[string]any) []string {
	var out []string
	fs, _ := body["fields"].([]any)
	for _, f := range fs {
		if m, ok := f.(map[string]any); ok {
			out = append(out, fmt.Sprint(m["field"]))
		}
	}
	return out
}

// TestReportLifecycleAPI takes a report from draft through sign-off, a
// return for quality, resubmission and acceptance, checking at each step
// who may see and do what.
func TestReportLifecycleAPI(t *testing.T) {
	c := &dlClock{t: dlAt(2021, 4, 2, 10)}
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		c.Set(dlAt(2021, 4, 2, 10))
		w := dlNewWorld(t, s, c)
		tasks := fmt.Sprintf("/api/v1/tasks/%d/reports", w.t1.ID)
		draft := map[string]any{"period": "2021-03", "narrative": "一季度新增就业3100人。", "assessment": "on_track",
			"actuals": []map[string]any{{"indicator_id": w.indID, "value": 3100}}}

		// Writing: only the units on the task, each for itself.
		w.expect(w.do("public", "POST", tasks, draft), 401, "public writes")
		w.expect(w.do("office", "POST", tasks, draft), 403, "office writes a unit's report")
		w.expect(w.do("reporterB", "POST", tasks, map[string]any{"period": "2021-03", "unit_id": w.unitA.ID}), 403, "B writes for A")
		bad := w.expect(w.do("reporterA", "POST", tasks, map[string]any{"period": "2021-13", "actuals": []map[string]any{{"indicator_id": 999999, "value": 1}}}), 400, "bad period and indicator")
		if f := fieldsOf(bad); len(f) != 2 || f[0] != "period" || f[1] != "actuals[0].indicator_id" {
			t.Errorf("validation fields %v; want period and actuals[0].indicator_id", f)
		}
		w.expect(w.do("reporterA", "POST", tasks, `{"period":"2021-03","colour":"red"}`), 400, "unknown field")
		rep := w.expect(w.do("reporterA", "POST", tasks, draft), 201, "A drafts")
		id := int64(rep["id"].(float64))
		path := fmt.Sprintf("/api/v1/reports/%d", id)

		// A draft: its unit and the office read it; nobody else does.
		for who, status := range map[string]int{"reporterA": 200, "headA": 200, "office": 200, "reporterB": 404, "leader": 404, "otherOffice": 404, "public": 401} {
			w.expect(w.do(who, "GET", path, nil), status, who+" reads a draft")
		}
		// Viewers read no reports: the role table or the object rule says
		// no, whichever comes first.
		if rec := w.do("viewer", "GET", path, nil); rec.Code != 403 && rec.Code != 404 {
			t.Errorf("viewer reads a draft: %d", rec.Code)
		}
		list := w.expect(w.do("reporterB", "GET", tasks, nil), 200, "B lists")
		if n := len(list["reports"].([]any)); n != 0 {
			t.Errorf("B, cooperating, lists %d reports while A's is a draft; want 0", n)
		}
		w.expect(w.do("reporterA", "GET", fmt.Sprintf("/api/v1/tasks/%d/reports", w.t2.ID), nil), 404, "A lists a task it has no part in")

		// An attachment while it is a draft.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "就业台账.txt")
		fw.Write([]byte("一季度新增就业3100人，其中高校毕业生1200人。\n"))
		mw.Close()
		req := httptest.NewRequest("POST", path+"/attachments", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req = req.WithContext(auth.WithPrincipal(req.Context(), w.people["reporterA"]))
		rec := httptest.NewRecorder()
		w.h.ServeHTTP(rec, req)
		att := w.expect(rec, 201, "upload")
		dl := w.do("office", "GET", path+"/attachments/"+att["sha256"].(string), nil)
		if dl.Code != 200 || !strings.HasPrefix(dl.Header().Get("Content-Disposition"), "attachment") || dl.Header().Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(dl.Body.String(), "高校毕业生") {
			t.Errorf("download: %d %v %q", dl.Code, dl.Header(), dl.Body.String())
		}
		w.expect(w.do("viewer", "GET", path+"/attachments/"+att["sha256"].(string), nil), 403, "viewer downloads")

		// Submit on time, sign off by the unit's own head, return, fix, accept.
		w.expect(w.do("reporterB", "POST", path+"/submit", nil), 404, "B submits A's draft")
		sub := w.expect(w.do("reporterA", "POST", path+"/submit", nil), 200, "A submits")
		if sub["state"] != "submitted" || sub["late"] != false {
			t.Errorf("after submit: %v", sub)
		}
		w.expect(w.do("reporterB", "GET", path, nil), 200, "B reads A's submitted report")
		w.expect(w.do("headB", "POST", path+"/signoff", nil), 403, "B's head signs A's report")
		w.expect(w.do("headA", "POST", path+"/signoff", nil), 200, "A's head signs off")
		w.expect(w.do("reporterA", "POST", path+"/accept", nil), 403, "a reporter accepts")
		w.expect(w.do("otherOffice", "POST", path+"/accept", nil), 404, "another district's office accepts")
		noComment := w.expect(w.do("office", "POST", path+"/return", map[string]any{"cause": "quality"}), 400, "return without comment")
		if f := fieldsOf(noComment); len(f) != 1 || f[0] != "comment" {
			t.Errorf("return without a comment: fields %v", f)
		}
		w.expect(w.do("office", "POST", path+"/return", map[string]any{"comment": "请补充高校毕业生就业数据来源", "cause": "quality"}), 200, "office returns")
		w.expect(w.do("office", "POST", path+"/accept", nil), 409, "accept a returned report")
		c.Set(dlAt(2021, 4, 7, 9)) // after the due day: the resubmission is not a late first delivery
		draft["narrative"] = "一季度新增就业3100人，数据来源：就业实名制系统。"
		w.expect(w.do("reporterA", "PUT", path, draft), 200, "A fixes")
		w.expect(w.do("reporterA", "POST", path+"/submit", nil), 200, "A resubmits")
		acc := w.expect(w.do("office", "POST", path+"/accept", map[string]any{"comment": "同意"}), 200, "office accepts")
		if acc["state"] != "accepted" || acc["late"] != false || acc["return_cause"] != "quality" {
			t.Errorf("accepted report: %v; want accepted, not late, the return cause kept", acc)
		}
		got := w.expect(w.do("office", "GET", path, nil), 200, "history")
		var states []string
		for _, h := range got["history"].([]any) {
			states = append(states, h.(map[string]any)["to"].(string))
		}
		if strings.Join(states, ",") != "draft,submitted,signed_off,returned,submitted,accepted" {
			t.Errorf("history %v", states)
		}
		w.expect(w.do("reporterA", "PUT", path, draft), 409, "edit an accepted report")

		// Status and scores read the accepted report.
		st := w.expect(w.do("viewer", "GET", fmt.Sprintf("/api/v1/plans/%d/status?as_of=2021-04-10", w.plan.ID), nil), 200, "status")
		first := st["tasks"].([]any)[0].(map[string]any)
		if first["class"] != "on_track" || !strings.Contains(first["reason"].(map[string]any)["zh"].(string), "已完成25.8%，序时进度25%") {
			t.Errorf("status of 1.1 on 2021-04-10: %v", first)
		}
		w.expect(w.do("viewer", "GET", fmt.Sprintf("/api/v1/plans/%d/status?as_of=April", w.plan.ID), nil), 400, "bad as_of")
		city := w.expect(w.do("leader", "GET", "/api/v1/jurisdictions/140100/status?as_of=2021-04-10", nil), 200, "the city's roll-up")
		if r := city["rollup"].(map[string]any); r["total"].(float64) != 2 || len(city["plans"].([]any)) != 1 {
			t.Errorf("city roll-up: %v", city)
		}
		w.expect(w.do("leader", "GET", "/api/v1/jurisdictions/999999/status", nil), 404, "an unknown jurisdiction")
		w.expect(w.do("public", "GET", fmt.Sprintf("/api/v1/plans/%d/status", w.plan.ID), nil), 401, "public status")
		sc := w.expect(w.do("leader", "GET", fmt.Sprintf("/api/v1/plans/%d/scores?as_of=2021-04-10", w.plan.ID), nil), 200, "scores")
		totals := map[float64]float64{}
		for _, x := range sc["scores"].([]any) {
			m := x.(map[string]any)
			totals[m["unit_id"].(float64)] = m["total"].(float64)
		}
		// Reports were owed for January, February and March (due 5 February,
		// 5 March, 5 April). A: only March came, and it was returned for
		// quality (−2 −2). B: none came for 1.2 (−3).
		if totals[float64(w.unitA.ID)] != 96 || totals[float64(w.unitB.ID)] != 97 {
			t.Errorf("scores %v; want A 96, B 97", totals)
		}
	})
}

// TestDivisionExtensionsNoticesAPI covers the office's task division and
// settings, an extension granted, and a notice answered through the API.
func TestDivisionExtensionsNoticesAPI(t *testing.T) {
	c := &dlClock{t: dlAt(2021, 3, 1, 10)}
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		c.Set(dlAt(2021, 3, 1, 10))
		w := dlNewWorld(t, s, c)
		div := fmt.Sprintf("/api/v1/tasks/%d/division", w.t2.ID)
		body := map[string]any{"lead_unit_id": w.unitB.ID, "co_unit_ids": []int64{w.unitA.ID}, "leader": "王副区长", "deadline": "2021-06-30"}
		w.expect(w.do("reporterB", "PUT", div, body), 403, "a reporter divides")
		w.expect(w.do("otherOffice", "PUT", div, body), 403, "another district divides")
		bad := w.expect(w.do("office", "PUT", div, map[string]any{"lead_unit_id": w.unitB.ID, "co_unit_ids": []int64{w.unitB.ID}}), 400, "lead also cooperates")
		if f := fieldsOf(bad); len(f) == 0 || f[0] != "co_unit_ids" {
			t.Errorf("fields %v", f)
		}
		got := w.expect(w.do("office", "PUT", div, body), 200, "office divides")
		if got["leader"] != "王副区长" || !strings.HasPrefix(fmt.Sprint(got["deadline"]), "2021-06-30") {
			t.Errorf("division: %v", got)
		}
		w.expect(w.do("office", "PUT", fmt.Sprintf("/api/v1/tasks/%d/milestones", w.t2.ID), map[string]any{"milestones": []map[string]any{{"title": "完成选址", "due": "2021-04-30"}}}), 200, "milestones")
		w.expect(w.do("office", "PUT", fmt.Sprintf("/api/v1/indicators/%d", w.indID), map[string]any{"name": "新增就业", "unit": "人", "target": 12000, "comparator": ">>", "kind": "cumulative"}), 400, "bad comparator")

		// Settings: validated per field; channels only for the office.
		settings := fmt.Sprintf("/api/v1/plans/%d/settings", w.plan.ID)
		badSet := w.expect(w.do("office", "PUT", settings, map[string]any{"calendar": map[string]any{"due_day": 40}, "scoring": map[string]any{"base": 100, "missed_lead": -5}}), 400, "bad settings")
		if f := strings.Join(fieldsOf(badSet), ","); !strings.Contains(f, "scoring.missed_lead") {
			t.Errorf("settings fields %s", f)
		}
		hook := []map[string]any{{"url": "http://127.0.0.1:9/robot", "format": "wecom"}}
		w.expect(w.do("office", "PUT", settings, map[string]any{"calendar": map[string]any{"due_day": 10}, "channels": map[string]any{"webhooks": hook}}), 200, "settings")
		if v := w.expect(w.do("viewer", "GET", settings, nil), 200, "viewer settings"); v["channels"] != nil || v["calendar"].(map[string]any)["due_day"].(float64) != 10 {
			t.Errorf("viewer sees settings %v", v)
		}

		// Extension: the lead unit asks, the office grants less.
		ext := fmt.Sprintf("/api/v1/tasks/%d/extensions", w.t2.ID)
		w.expect(w.do("reporterA", "POST", ext, map[string]any{"proposed": "2021-09-30", "reason": "选址调整"}), 403, "a cooperating unit asks")
		e := w.expect(w.do("reporterB", "POST", ext, map[string]any{"proposed": "2021-09-30", "reason": "选址调整"}), 201, "lead asks")
		w.expect(w.do("reporterB", "POST", ext, map[string]any{"proposed": "2021-10-30", "reason": "再次"}), 409, "a second pending request")
		eid := int64(e["id"].(float64))
		w.expect(w.do("headB", "POST", fmt.Sprintf("/api/v1/extensions/%d/grant", eid), map[string]any{}), 403, "a unit grants itself")
		g := w.expect(w.do("office", "POST", fmt.Sprintf("/api/v1/extensions/%d/grant", eid), map[string]any{"deadline": "2021-08-31", "note": "同意延至8月底"}), 200, "grant")
		if g["state"] != "granted" || g["granted"] != "2021-08-31" {
			t.Errorf("grant: %v", g)
		}
		w.expect(w.do("office", "POST", fmt.Sprintf("/api/v1/extensions/%d/refuse", eid), map[string]any{"note": "晚了"}), 409, "decide twice")

		// A milestone missed on 30 April: the scheduler raises a yellow
		// notice to unit B; B answers it through the API.
		sched := &schedule.Scheduler{Store: s, Clock: c.Now}
		for d := delivery.NewDate(2021, 3, 1); d <= delivery.NewDate(2021, 5, 12); d++ {
			c.Set(d.Start(nil).Add(18 * time.Hour))
			if _, err := sched.Tick(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		ns := w.expect(w.do("reporterB", "GET", "/api/v1/notices?kind=notice", nil), 200, "B's notices")
		var yellow map[string]any
		for _, x := range ns["notices"].([]any) {
			n := x.(map[string]any)
			if n["colour"] == "yellow" && n["task_id"].(float64) == float64(w.t2.ID) {
				yellow = n
			}
			if n["unit_id"].(float64) != float64(w.unitB.ID) {
				t.Errorf("B sees a notice to unit %v", n["unit_id"])
			}
		}
		if yellow == nil {
			t.Fatalf("no yellow notice on 1.2 for its missed milestone: %v", ns)
		}
		np := fmt.Sprintf("/api/v1/notices/%d", int64(yellow["id"].(float64)))
		w.expect(w.do("reporterA", "GET", np, nil), 404, "A reads B's notice")
		w.expect(w.do("leader", "GET", np, nil), 200, "a leader reads it")
		w.expect(w.do("leader", "POST", np+"/responses", map[string]any{"body": "x"}), 403, "a leader responds")
		w.expect(w.do("reporterB", "POST", np+"/responses", map[string]any{"body": "  "}), 400, "empty response")
		w.expect(w.do("reporterB", "POST", np+"/responses", map[string]any{"body": "已完成选址，5月15日前开工。"}), 201, "B responds")
		full := w.expect(w.do("office", "GET", np, nil), 200, "office reads")
		if full["notice"].(map[string]any)["responded_at"] == nil || len(full["responses"].([]any)) != 1 {
			t.Errorf("notice after response: %v", full)
		}
		// The inbox fills once the dispatcher runs (no dispatcher here: the
		// deliveries wait), so B's inbox is empty and the deliveries pending.
		deliveries, _ := s.Deliveries(context.Background(), w.plan.ID, int64(yellow["id"].(float64)))
		var routes []string
		for _, d := range deliveries {
			routes = append(routes, d.Channel+" "+d.Recipient+" "+d.Status)
		}
		want := fmt.Sprintf("inbox unit:%d pending,inbox unit:%d pending,webhook wecom+http://127.0.0.1:9/robot pending", w.unitB.ID, w.unitA.ID)
		if strings.Join(routes, ",") != want {
			t.Errorf("deliveries of the notice: %v; want %s (the lead and cooperating units' inboxes and the robot)", routes, want)
		}
		// The office issues a notice by hand; it is numbered after the
		// scheduler's.
		manual := map[string]any{"task_id": w.t2.ID, "colour": "red", "subject": "督查发现：养老服务中心未按期开工", "body": "请说明原因。", "respond_by": "2021-05-20"}
		w.expect(w.do("reporterB", "POST", "/api/v1/notices", manual), 403, "a unit issues a notice")
		w.expect(w.do("otherOffice", "POST", "/api/v1/notices", manual), 403, "another district issues one")
		w.expect(w.do("office", "POST", "/api/v1/notices", map[string]any{"task_id": w.t2.ID, "colour": "purple", "subject": "x", "respond_by": "2021-05-20"}), 400, "a purple notice")
		issued := w.expect(w.do("office", "POST", "/api/v1/notices", manual), 201, "office issues")
		if !strings.HasPrefix(fmt.Sprint(issued["number"]), "督办〔2021〕") || issued["unit_id"].(float64) != float64(w.unitB.ID) {
			t.Errorf("hand-issued notice: %v", issued)
		}
		inbox := w.expect(w.do("reporterB", "GET", "/api/v1/inbox", nil), 200, "inbox")
		if len(inbox["items"].([]any)) != 0 {
			t.Errorf("inbox filled without a dispatcher: %v", inbox)
		}
	})
}
