package schedule_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/importer"
	"github.com/duban-org/duban/internal/notify"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/schedule"
	"github.com/duban-org/duban/internal/seed"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

var ctx = context.Background()

// testClock is the one clock of a simulated year: the store stamps
// submissions and reviews with it and the scheduler reads the day from it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// shanghai returns hour h of day d in the jurisdiction's zone.
func shanghai(d delivery.Date, h int) time.Time {
	return d.Start(delivery.Shanghai).Add(time.Duration(h) * time.Hour)
}

func day(y int, m time.Month, d int) delivery.Date { return delivery.NewDate(y, m, d) }

// webhookSink is a real HTTP server that counts posts per dedupe key.
type webhookSink struct {
	mu    sync.Mutex
	byKey map[string]int
	kinds map[string]int
}

func (w *webhookSink) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var m notify.Message
	if err := json.Unmarshal(body, &m); err != nil || m.DedupeKey == "" || r.Header.Get("Idempotency-Key") != m.DedupeKey {
		http.Error(rw, "bad payload", http.StatusBadRequest)
		return
	}
	w.mu.Lock()
	w.byKey[m.DedupeKey]++
	w.kinds[m.Kind]++
	w.mu.Unlock()
	rw.WriteHeader(http.StatusNoContent)
}

// TestYearOfDelivery runs the seed plan through 2021 on a test clock:
// twelve monthly cycles with units on time, late, returned and silent, a
// granted and a refused extension, targets met early, a missed milestone
// and a scheduler restart after a week of downtime. It checks statuses
// and their reasons at chosen days, that every reminder and notice went out
// exactly once to the inbox and the webhook, and the final scores.
func TestYearOfDelivery(t *testing.T) {
	clock := &testClock{now: shanghai(day(2020, 12, 20), 9)}
	storetest.Each(t, clock.Now, func(t *testing.T, s *store.Store) {
		clock.Set(shanghai(day(2020, 12, 20), 9))
		sink := &webhookSink{byKey: map[string]int{}, kinds: map[string]int{}}
		hook := httptest.NewServer(sink)
		defer hook.Close()
		office := audit.Actor{UserID: 1, Name: "office"}
		write := func(fn func(tx *store.Tx) error) {
			t.Helper()
			if err := s.Write(ctx, office, fn); err != nil {
				t.Fatalf("%s: %v", clock.Now().In(delivery.Shanghai).Format(time.DateTime), err)
			}
		}

		// The seed plan, imported, divided by the extractor's suggestions
		// and published, as a fresh server does.
		var p *plan.Plan
		write(func(tx *store.Tx) error {
			for _, j := range []org.Jurisdiction{{Code: seed.ProvinceCode, Name: seed.ProvinceName}, {Code: seed.CityCode, Name: seed.CityName, Parent: seed.ProvinceCode},
				{Code: seed.JurisdictionCode, Name: seed.JurisdictionName, Parent: seed.CityCode}} {
				if err := tx.EnsureJurisdiction(ctx, j); err != nil {
					return err
				}
			}
			res, err := importer.Import(ctx, tx, importer.Request{Jurisdiction: seed.JurisdictionCode, Name: seed.PlanName, Data: seed.PlanText, Year: seed.PlanYear}, 2021)
			if err != nil {
				return err
			}
			p = res.Plan
			return importer.AcceptSuggestions(ctx, tx, p.ID, nil, time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC))
		})
		p, _ = s.Plan(ctx, p.ID)
		task := map[string]plan.Task{}
		for _, tk := range p.Tasks {
			task[tk.Code] = tk
		}
		units, _ := s.Units(ctx, seed.JurisdictionCode)
		unit := map[string]int64{}
		for _, u := range units {
			unit[u.ShortName] = u.ID
		}
		indicator := func(code, name string) plan.Indicator {
			for _, in := range task[code].Indicators {
				if strings.Contains(in.Name, name) {
					return in
				}
			}
			t.Fatalf("task %s has no indicator %q", code, name)
			return plan.Indicator{}
		}
		jobs, farm, organic, park := indicator("7.1", "新增就业"), indicator("4.1", "高标准农田"), indicator("4.1", "有机旱作"), indicator("1.1", "项目按期入园")
		elderly, canteens := indicator("7.1", "养老"), indicator("7.1", "社区食堂")
		if task["7.1"].LeadUnitID != unit["人社局"] || task["4.1"].LeadUnitID != unit["农业农村局"] || task["1.1"].LeadUnitID != unit["发改局"] ||
			task["3.1"].LeadUnitID != unit["科技局"] || task["3.2"].LeadUnitID != unit["科技局"] || task["6.1"].LeadUnitID != unit["城改办"] || task["3.4"].LeadUnitID != unit["人社局"] {
			t.Fatalf("the seed's task division changed; this scenario assumes the suggested lead units")
		}

		// Task division the office makes before publishing: employment and
		// farmland add up over the year, the organic farming zones are
		// judged at year end, two science tasks get earlier deadlines, and
		// the village redevelopment a milestone at the end of June.
		write(func(tx *store.Tx) error {
			jobs.Kind, farm.Kind, canteens.Kind, elderly.Kind, organic.AnnualOnly = plan.Cumulative, plan.Cumulative, plan.Cumulative, plan.Cumulative, true
			for _, in := range []*plan.Indicator{&jobs, &farm, &organic, &canteens, &elderly} {
				in.Comparator = plan.GE
			}
			for _, in := range []plan.Indicator{jobs, farm, organic, canteens, elderly} {
				if _, err := tx.UpdateIndicator(ctx, in); err != nil {
					return err
				}
			}
			for code, dl := range map[string]time.Time{"3.1": day(2021, 9, 30).Time(), "3.2": day(2021, 10, 31).Time()} {
				d := store.Division{LeadUnitID: task[code].LeadUnitID, CoUnitIDs: task[code].CoUnitIDs, Leader: "李副区长", Deadline: &dl}
				if err := tx.SetTaskDivision(ctx, task[code].ID, d); err != nil {
					return err
				}
			}
			if err := tx.SetMilestones(ctx, task["6.1"].ID, []plan.Milestone{{Title: "完成城中村拆除", Due: day(2021, 6, 30).Time()}}); err != nil {
				return err
			}
			if _, err := tx.SetPlanSettings(ctx, store.PlanSettings{PlanID: p.ID, Status: delivery.DefaultRules(),
				Channels: store.Channels{Webhooks: []store.Webhook{{URL: hook.URL + "/hook", Format: "generic"}}}}); err != nil {
				return err
			}
			return tx.PublishPlan(ctx, p.ID)
		})
		p, _ = s.Plan(ctx, p.ID)
		for _, tk := range p.Tasks {
			task[tk.Code] = tk
		}

		// What units report: figure(month) for an indicator, nil for none.
		type script struct {
			code, unit string
			months     int // report months 1..months
			value      func(m int) []delivery.Actual
			assess     func(m int) delivery.Assessment
			submitDay  func(m int) int // day of the following month
		}
		onTrack := func(int) delivery.Assessment { return delivery.AssessOnTrack }
		third := func(int) int { return 3 }
		scripts := []script{
			// Employment, canteens and the elderly-care community all met by
			// September: completed ahead of time.
			{"7.1", "人社局", 9, func(m int) []delivery.Actual {
				return []delivery.Actual{{IndicatorID: jobs.ID, Value: float64(1800 * m)}, {IndicatorID: canteens.ID, Value: float64(3 * m)},
					{IndicatorID: elderly.ID, Value: float64(min(1, m/6))}}
			}, onTrack, third},
			{"3.4", "人社局", 12, nil, func(m int) delivery.Assessment {
				if m == 12 {
					return delivery.AssessCompleted
				}
				return delivery.AssessOnTrack
			}, third},
			{"4.1", "农业农村局", 12, func(m int) []delivery.Actual {
				a := []delivery.Actual{{IndicatorID: farm.ID, Value: float64(1100 * m)}}
				if m == 12 {
					a = append(a, delivery.Actual{IndicatorID: organic.ID, Value: 2})
				}
				return a
			}, onTrack, func(m int) int {
				if m == 3 || m == 4 {
					return 8 // late: due on the 5th
				}
				return 3
			}},
			{"1.1", "发改局", 6, func(m int) []delivery.Actual {
				return []delivery.Actual{{IndicatorID: park.ID, Value: []float64{2, 3, 4, 5, 6, 8}[m-1]}}
			}, onTrack, third},
			{"6.1", "城改办", 12, nil, onTrack, third},
			{"3.1", "科技局", 0, nil, nil, nil}, // silent until its November completion, below
		}

		pending := map[int64]bool{} // submitted reports to review tomorrow
		submit := func(code, unitName, period string, actuals []delivery.Actual, a delivery.Assessment) int64 {
			var id int64
			write(func(tx *store.Tx) error {
				r, err := tx.SaveDraft(ctx, delivery.Report{TaskID: task[code].ID, UnitID: unit[unitName], Period: period,
					Narrative: fmt.Sprintf("%s %s：按计划推进，本期完成情况见指标。", code, period), Actuals: actuals, Assessment: a})
				if err != nil {
					return err
				}
				id = r.ID
				_, err = tx.MoveReport(ctx, r.ID, store.Transition{To: delivery.StateSubmitted})
				return err
			})
			pending[id] = true
			return id
		}
		var mayReport int64

		sched := &schedule.Scheduler{Store: s, Clock: clock.Now, Dispatcher: &notify.Dispatcher{Store: s, Now: clock.Now,
			Channels: []notify.Channel{notify.Inbox{Store: s}, notify.Webhook{Client: hook.Client()}}}}
		statusAt := func(code string) delivery.TaskStatus {
			t.Helper()
			in, settings, err := s.DeliveryInputs(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			ts, err := delivery.EvaluateTask(in, task[code].ID, settings.Status, delivery.DayIn(clock.Now(), nil))
			if err != nil {
				t.Fatal(err)
			}
			return ts
		}
		type check struct {
			on     delivery.Date
			code   string
			class  delivery.Class
			rule   string
			reason string // a part of the Chinese reason
		}
		checks := []check{
			{day(2021, 5, 10), "4.1", delivery.ClassOnTrack, "indicator.on_track", "已完成33.8%，序时进度33.3%"},
			{day(2021, 5, 10), "1.1", delivery.ClassBehind, "indicator.behind", "当前5个"},
			{day(2021, 5, 10), "4.2", delivery.ClassNotAssessable, "task.no_report", "尚无审核通过的进展报告"},
			{day(2021, 7, 1), "6.1", delivery.ClassBehind, "task.milestone_missed", "节点“完成城中村拆除”应于2021-06-30完成"},
			{day(2021, 7, 10), "1.1", delivery.ClassCompletedAhead, "task.completed_ahead", "2021-06-30完成"},
			{day(2021, 10, 10), "7.1", delivery.ClassCompletedAhead, "task.completed_ahead", "2021-09-30完成"},
			{day(2021, 10, 15), "3.1", delivery.ClassNotAssessable, "task.no_report", ""},
			{day(2021, 11, 5), "3.2", delivery.ClassNotAssessable, "task.no_report", ""},
			// Overdue once the October reports, which would have said it was
			// done by 31 October, are due (5 November) and it is not.
			{day(2021, 11, 6), "3.2", delivery.ClassOverdue, "task.overdue_no_extension", "截止日期2021-10-31已过"},
			{day(2021, 12, 6), "3.1", delivery.ClassCompleted, "task.completed", "2021-11-30完成，截止日期2021-12-15"},
			{day(2022, 1, 10), "4.2", delivery.ClassOverdue, "task.overdue", "截止日期2021-12-31已过"},
			{day(2022, 1, 10), "4.1", delivery.ClassCompleted, "task.completed", "2021-12-31完成"},
		}

		downFrom, downTo := day(2021, 7, 3), day(2021, 7, 9) // across the June reports' due day, 5 July
		var issuedTotal int
		for d := day(2021, 1, 1); d <= day(2022, 1, 10); d++ {
			_, m, dd := d.Civil()
			clock.Set(shanghai(d, 9))
			// The office reviews yesterday's submissions at 09:00.
			for id := range pending {
				step := store.Transition{To: delivery.StateAccepted}
				if id == mayReport && d == day(2021, 6, 4) {
					step = store.Transition{To: delivery.StateReturned, Comment: "入园项目情况不具体，请补充项目名称和进度", Cause: store.CauseQuality}
				}
				write(func(tx *store.Tx) error { _, err := tx.MoveReport(ctx, id, step); return err })
				delete(pending, id)
			}
			// Units report at 10:00 on their day of the following month.
			clock.Set(shanghai(d, 10))
			prev := int(m) - 1
			if prev == 0 {
				prev = 12
			}
			for _, sc := range scripts {
				if sc.months == 0 || prev > sc.months || dd != sc.submitDay(prev) || (d.Year() == 2021 && m == 1) || (d.Year() == 2022 && prev != 12) {
					continue
				}
				var actuals []delivery.Actual
				if sc.value != nil {
					actuals = sc.value(prev)
				}
				id := submit(sc.code, sc.unit, fmt.Sprintf("2021-%02d", prev), actuals, sc.assess(prev))
				if sc.code == "1.1" && prev == 5 {
					mayReport = id
				}
			}
			switch d {
			case day(2021, 6, 6): // 发改局 fixes and resubmits the returned May report
				write(func(tx *store.Tx) error {
					r, _ := tx.Report(ctx, mayReport)
					r.Narrative += " 已补充：入园项目5个，名称及进度见附表。"
					if _, err := tx.SaveDraft(ctx, r); err != nil {
						return err
					}
					_, err := tx.MoveReport(ctx, mayReport, store.Transition{To: delivery.StateSubmitted})
					return err
				})
				pending[mayReport] = true
			case day(2021, 9, 10): // 科技局 asks to move 3.1 to the year end; granted to 12-15
				var ext delivery.Extension
				write(func(tx *store.Tx) error {
					var err error
					ext, err = tx.RequestExtension(ctx, task["3.1"].ID, unit["科技局"], day(2021, 12, 31), "设备到货延迟", d)
					return err
				})
				clock.Set(shanghai(d+2, 10))
				write(func(tx *store.Tx) error {
					_, err := tx.DecideExtension(ctx, ext.ID, true, day(2021, 12, 15), "同意延期至12月15日", d+2)
					return err
				})
				clock.Set(shanghai(d, 10))
			case day(2021, 10, 20): // and to move 3.2; refused two days later
				var ext delivery.Extension
				write(func(tx *store.Tx) error {
					var err error
					ext, err = tx.RequestExtension(ctx, task["3.2"].ID, unit["科技局"], day(2021, 12, 31), "合作方调整", d)
					return err
				})
				clock.Set(shanghai(d+2, 10))
				write(func(tx *store.Tx) error {
					_, err := tx.DecideExtension(ctx, ext.ID, false, 0, "理由不充分，按原定时限完成", d+2)
					return err
				})
				clock.Set(shanghai(d, 10))
			case day(2021, 12, 3): // 科技局 reports 3.1 done in November
				submit("3.1", "科技局", "2021-11", nil, delivery.AssessCompleted)
			}
			// 发改局 answers its supervision notices the day after they come.
			write(func(tx *store.Tx) error {
				open, err := tx.Notices(ctx, store.NoticeFilter{PlanID: p.ID, UnitID: unit["发改局"], Kind: store.KindNotice, Open: true})
				if err != nil {
					return err
				}
				for _, n := range open {
					if n.IssuedOn < d {
						if _, err := tx.RespondNotice(ctx, n.ID, "已召开专题会，倒排工期，加快推进。"); err != nil {
							return err
						}
					}
				}
				return nil
			})

			// The scheduler: stopped for five days in July, then a new one.
			clock.Set(shanghai(d, 18))
			if d >= downFrom && d <= downTo {
				continue
			}
			if d == downTo+1 {
				sched = &schedule.Scheduler{Store: s, Clock: clock.Now, Dispatcher: &notify.Dispatcher{Store: s, Now: clock.Now,
					Channels: []notify.Channel{notify.Inbox{Store: s}, notify.Webhook{Client: hook.Client()}}}}
			}
			res, err := sched.Tick(ctx)
			if err != nil {
				t.Fatalf("%s: tick: %v", d, err)
			}
			issuedTotal += res.Issued
			if dd == 1 { // a second tick the same day issues nothing
				again, err := sched.Tick(ctx)
				if err != nil || again.Issued != 0 || again.Sent != 0 {
					t.Fatalf("%s: second tick issued %d, sent %d (err %v); want nothing", d, again.Issued, again.Sent, err)
				}
			}
			for _, c := range checks {
				if c.on != d {
					continue
				}
				ts := statusAt(c.code)
				if ts.Class != c.class || ts.Rule != c.rule || !strings.Contains(ts.Reason.Zh, c.reason) {
					t.Errorf("%s task %s: %s (%s) %q; want %s (%s) containing %q", d, c.code, ts.Class, ts.Rule, ts.Reason.Zh, c.class, c.rule, c.reason)
				}
				if c.code == "3.1" && c.on == day(2021, 10, 15) && (!ts.Extended || ts.Deadline != day(2021, 12, 15)) {
					t.Errorf("3.1 on %s: deadline %s extended=%v; want 2021-12-15 by the granted extension", d, ts.Deadline, ts.Extended)
				}
			}
		}

		// Every notice went out exactly once to each inbox and once to the webhook.
		notices, err := s.Notices(ctx, store.NoticeFilter{PlanID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(notices) != issuedTotal || len(notices) < 100 {
			t.Fatalf("%d notices stored, %d issued by ticks; want the same, and a year's worth", len(notices), issuedTotal)
		}
		inbox, err := s.CountInbox(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		deliveries, _ := s.Deliveries(ctx, p.ID, 0)
		perNotice := map[int64]int{}
		for _, dl := range deliveries {
			if dl.Status != store.DeliverySent {
				t.Errorf("delivery %d (%s to %s) is %s: %s", dl.ID, dl.Channel, dl.Recipient, dl.Status, dl.LastError)
			}
			if dl.Channel == notify.ChannelInbox {
				perNotice[dl.NoticeID]++
			}
		}
		kinds := map[string]int{}
		for _, n := range notices {
			kinds[n.Kind+"/"+n.Colour]++
			if sink.byKey[n.DedupeKey] != 1 {
				t.Errorf("notice %s reached the webhook %d times; want 1", n.DedupeKey, sink.byKey[n.DedupeKey])
			}
			if inbox[n.DedupeKey] != perNotice[n.ID] || perNotice[n.ID] < 1 {
				t.Errorf("notice %s is in %d inboxes for %d inbox deliveries; want one each, at least one", n.DedupeKey, inbox[n.DedupeKey], perNotice[n.ID])
			}
		}
		if len(sink.byKey) != len(notices) {
			t.Errorf("the webhook saw %d keys for %d notices", len(sink.byKey), len(notices))
		}
		t.Logf("%d notices: %v; %d deliveries", len(notices), kinds, len(deliveries))

		byKey := map[string]store.Notice{}
		for _, n := range notices {
			byKey[n.DedupeKey] = n
		}
		red := byKey[fmt.Sprintf("notice/red/%d/overdue/2021-10-31", task["3.2"].ID)]
		if red.ID == 0 || red.IssuedOn != day(2021, 11, 6) || red.Colour != "red" || !strings.HasPrefix(red.Number, "督办〔2021〕") {
			t.Errorf("red notice for 3.2: %+v; want one issued 2021-11-06 with a number", red)
		}
		returned := byKey[fmt.Sprintf("notice/yellow/%d/returned/%d", task["1.1"].ID, mayReport)]
		if returned.ID == 0 || returned.IssuedOn != day(2021, 6, 4) {
			t.Errorf("yellow notice for the returned May report of 1.1: %+v; want one issued 2021-06-04", returned)
		}
		// 发改局 answered its notices in time, so none was escalated; the
		// silent 科技局's red notice was.
		for _, n := range notices {
			if n.Kind == store.KindEscalation && n.UnitID == unit["发改局"] {
				t.Errorf("escalated %s although 发改局 answered it", n.Subject)
			}
		}
		if esc := byKey["escalate/"+red.DedupeKey]; esc.ID == 0 || esc.IssuedOn != red.RespondBy+1 || esc.ParentID != red.ID {
			t.Errorf("escalation of the unanswered red notice: %+v; want one on %s", esc, red.RespondBy+1)
		}
		// Downtime: the days 07-10…07-14 were judged on 07-15, each
		// reminder once, stale ones superseded by the latest.
		caught := 0
		for _, n := range notices {
			if n.IssuedOn >= downFrom && n.IssuedOn <= downTo {
				caught++
				if got := delivery.DayIn(n.CreatedAt, nil); got != downTo+1 {
					t.Errorf("notice %s for %s was created %s; want on the restart day %s", n.DedupeKey, n.IssuedOn, got, downTo+1)
				}
			}
		}
		if caught == 0 {
			t.Errorf("no notice for the downtime days was issued on restart")
		}
		// Of the reminders about one June report that fell in the downtime
		// (due in 1 day, today, 1 day late, 3 days late) only the latest
		// went out; the others are recorded as superseded and never sent.
		superseded, _ := s.Notices(ctx, store.NoticeFilter{PlanID: p.ID, Kind: store.KindSuperseded})
		june := fmt.Sprintf("remind/report/%d/%d/2021-06/", task["4.2"].ID, unit["农业农村局"])
		var gone []string
		for _, n := range superseded {
			if sink.byKey[n.DedupeKey] != 0 {
				t.Errorf("superseded %s reached the webhook", n.DedupeKey)
			}
			if strings.HasPrefix(n.DedupeKey, june) {
				gone = append(gone, strings.TrimPrefix(n.DedupeKey, june))
			}
		}
		slices.Sort(gone)
		if strings.Join(gone, " ") != "+0 +1 -1" || byKey[june+"+3"].IssuedOn != day(2021, 7, 8) || byKey[june+"+7"].IssuedOn != day(2021, 7, 12) {
			t.Errorf("June reminders of silent 4.2: superseded %v, +3 %+v, +7 %+v; want -1 +0 +1 superseded, +3 on 07-08 and +7 on 07-12 sent", gone, byKey[june+"+3"], byKey[june+"+7"])
		}

		// Final scores on 2022-01-10, after the December reports.
		in, settings, err := s.DeliveryInputs(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		asOf := day(2022, 1, 10)
		ps := delivery.EvaluatePlan(in, settings.Status, asOf)
		scores := delivery.Assess(in, ps, delivery.DefaultScoreRules(), settings.Status, asOf)
		want := map[string]struct {
			total float64
			rules map[string]int
		}{
			// On time every month, both tasks done: nothing deducted.
			"人社局": {100, map[string]int{}},
			// 3.2 missed (−5, its extension refused); 3.1 owed Jan–Nov and
			// only November came (−10); 3.2 owed Jan–Oct, none came (−10).
			"科技局": {75, map[string]int{"task.missed_lead": 1, "report.missing": 20}},
			// 4.1 done, two late reports (−2); 4.2 and 4.3 silent all year
			// (−24) and overdue (−10).
			"农业农村局": {64, map[string]int{"report.late": 2, "report.missing": 24, "task.missed_lead": 2}},
			// 1.1 done in June with one report returned for quality (−2);
			// 2.1, 5.1, 5.3 silent (−36) and overdue (−15); cooperates on
			// the overdue 2.2 (−3).
			"发改局": {44, map[string]int{"report.returned": 1, "report.missing": 36, "task.missed_lead": 3, "task.missed_co": 1}},
		}
		for _, sc := range scores {
			var name string
			for n, id := range unit {
				if id == sc.UnitID {
					name = n
				}
			}
			w, ok := want[name]
			if !ok {
				continue
			}
			got := map[string]int{}
			for _, c := range sc.Components {
				got[c.Rule]++
			}
			if sc.Total != w.total || fmt.Sprint(got) != fmt.Sprint(w.rules) {
				t.Errorf("score of %s: %v with %v; want %v with %v", name, sc.Total, got, w.total, w.rules)
				for _, c := range sc.Components {
					if c.Rule != "report.missing" {
						t.Logf("  %s %s", c.Rule, c.Reason.Zh)
					}
				}
			}
			delete(want, name)
		}
		if len(want) > 0 {
			t.Errorf("no score for %v", want)
		}
		// The audit chain holds every change of the year and verifies.
		if n, err := s.VerifyAudit(ctx); err != nil || n < int64(len(notices)) {
			t.Errorf("audit: %d events, %v", n, err)
		}
	})
}

// TestTwoSchedulersSendOnce runs two schedulers — two servers on one
// database — side by side over two months of a small plan nobody reports
// on, and checks every notice went out once.
func TestTwoSchedulersSendOnce(t *testing.T) {
	clock := &testClock{now: shanghai(day(2021, 1, 1), 18)}
	storetest.Each(t, clock.Now, func(t *testing.T, s *store.Store) {
		clock.Set(shanghai(day(2021, 1, 1), 18))
		sink := &webhookSink{byKey: map[string]int{}, kinds: map[string]int{}}
		hook := httptest.NewServer(sink)
		defer hook.Close()
		var planID int64
		err := s.Write(ctx, audit.System("fixture"), func(tx *store.Tx) error {
			if err := tx.EnsureJurisdiction(ctx, org.Jurisdiction{Code: "140105", Name: "小店区"}); err != nil {
				return err
			}
			u, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "小店区教育局"})
			if err != nil {
				return err
			}
			dl := day(2021, 2, 28).Time()
			var tasks []plan.Task
			for i := 1; i <= 5; i++ {
				tasks = append(tasks, plan.Task{Code: fmt.Sprintf("1.%d", i), Title: fmt.Sprintf("任务%d", i), LeadUnitID: u.ID, Deadline: &dl,
					Milestones: []plan.Milestone{{Title: "开工", Due: day(2021, 1, 20).Time()}}})
			}
			p, err := tx.CreatePlan(ctx, &plan.Plan{Jurisdiction: "140105", Year: 2021, Title: "计划", Status: plan.StatusDraft, SourceSHA256: "z", Tasks: tasks}, nil)
			if err != nil {
				return err
			}
			planID = p.ID
			if _, err := tx.SetPlanSettings(ctx, store.PlanSettings{PlanID: p.ID, Status: delivery.DefaultRules(),
				Channels: store.Channels{Webhooks: []store.Webhook{{URL: hook.URL}}}}); err != nil {
				return err
			}
			return tx.PublishPlan(ctx, p.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		server := func() *schedule.Scheduler {
			return &schedule.Scheduler{Store: s, Clock: clock.Now, Dispatcher: &notify.Dispatcher{Store: s, Now: clock.Now,
				Channels: []notify.Channel{notify.Inbox{Store: s}, notify.Webhook{Client: hook.Client()}}}}
		}
		a, b := server(), server()
		for d := day(2021, 1, 1); d <= day(2021, 3, 15); d++ {
			clock.Set(shanghai(d, 18))
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, sc := range []*schedule.Scheduler{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = sc.Tick(ctx)
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("%s: %v", d, err)
				}
			}
		}
		notices, _ := s.Notices(ctx, store.NoticeFilter{PlanID: planID})
		if len(notices) < 5*4 {
			t.Fatalf("only %d notices", len(notices))
		}
		inbox, _ := s.CountInbox(ctx, planID)
		for _, n := range notices {
			if sink.byKey[n.DedupeKey] != 1 || inbox[n.DedupeKey] != 1 {
				t.Errorf("%s: webhook %d, inbox %d; want 1 and 1", n.DedupeKey, sink.byKey[n.DedupeKey], inbox[n.DedupeKey])
			}
		}
		t.Logf("%d notices, each sent once by two schedulers", len(notices))
	})
}
