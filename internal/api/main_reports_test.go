package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// TestMainIndicatorReportsAPI has the unit responsible for a plan's main
// indicator (主要预期指标) report its figure, the office review it through
// the routes of task reports, and the plan's status judge the indicator
// from it; another unit may neither write nor read that unit's draft.
func TestMainIndicatorReportsAPI(t *testing.T) {
	c := &dlClock{t: dlAt(2022, 7, 3, 10)}
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		c.Set(dlAt(2022, 7, 3, 10))
		w := dlNewWorld(t, s, c)
		// A 2022 plan whose main indicator, revenue, is in A's charge, and
		// whose one task B leads.
		var p *plan.Plan
		dl := time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)
		err := s.Write(context.Background(), audit.System("fixture"), func(tx *store.Tx) error {
			var err error
			p, err = tx.CreatePlan(context.Background(), &plan.Plan{Jurisdiction: "140105", Year: 2022, Title: "2022年重点工作", Status: plan.StatusDraft, SourceSHA256: "y",
				Indicators: []plan.Indicator{{Name: "一般公共预算收入", Unit: "亿元", Target: 40, Comparator: plan.GE, Kind: plan.Cumulative, ResponsibleUnitID: w.unitA.ID}},
				Tasks:      []plan.Task{{Code: "1.1", Title: "养老服务", LeadUnitID: w.unitB.ID, Deadline: &dl}}}, nil)
			if err != nil {
				return err
			}
			return tx.PublishPlan(context.Background(), p.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		if p, err = s.Plan(context.Background(), p.ID); err != nil {
			t.Fatal(err)
		}
		revenue := p.Indicators[0].ID
		reports := fmt.Sprintf("/api/v1/plans/%d/indicator-reports", p.ID)
		draft := map[string]any{"period": "2022-06", "narrative": "上半年一般公共预算收入16亿元。",
			"actuals": []map[string]any{{"indicator_id": revenue, "value": 16}}}

		w.expect(w.do("public", "POST", reports, draft), 401, "public writes")
		w.expect(w.do("office", "POST", reports, draft), 403, "office writes a unit's report")
		w.expect(w.do("reporterB", "POST", reports, draft), 403, "B, responsible for nothing, writes")
		w.expect(w.do("reporterB", "POST", reports, map[string]any{"period": "2022-06", "unit_id": w.unitA.ID}), 403, "B writes for A")
		bad := w.expect(w.do("reporterA", "POST", reports, map[string]any{"period": "2022-06",
			"actuals": []map[string]any{{"indicator_id": w.indID, "value": 1}}}), 400, "A reports a task's indicator here")
		if f := fieldsOf(bad); len(f) != 1 || f[0] != "actuals[0].indicator_id" {
			t.Errorf("validation fields %v; want actuals[0].indicator_id", f)
		}
		rep := w.expect(w.do("reporterA", "POST", reports, draft), 201, "A drafts")
		if rep["task_id"].(float64) != 0 || rep["plan_id"].(float64) != float64(p.ID) {
			t.Errorf("draft %v; want no task, plan %d", rep, p.ID)
		}
		path := fmt.Sprintf("/api/v1/reports/%.0f", rep["id"].(float64))

		for who, status := range map[string]int{"reporterA": 200, "office": 200, "reporterB": 404, "leader": 404, "otherOffice": 404} {
			w.expect(w.do(who, "GET", path, nil), status, who+" reads A's draft")
		}
		w.expect(w.do("reporterB", "GET", reports, nil), 404, "B lists the reports of indicators it has no part in")
		if l := w.expect(w.do("office", "GET", reports, nil), 200, "office lists"); len(l["reports"].([]any)) != 1 {
			t.Errorf("office's list: %v", l)
		}
		w.expect(w.do("reporterB", "POST", path+"/submit", nil), 404, "B submits A's draft")
		if sub := w.expect(w.do("reporterA", "POST", path+"/submit", nil), 200, "A submits"); sub["state"] != "submitted" || sub["late"] != false {
			t.Errorf("after submit: %v", sub)
		}
		w.expect(w.do("reporterA", "POST", path+"/accept", nil), 403, "a reporter accepts")
		w.expect(w.do("otherOffice", "POST", path+"/accept", nil), 404, "another district's office accepts")
		w.expect(w.do("office", "POST", path+"/return", map[string]any{"comment": "请注明数据来源"}), 200, "office returns")
		draft["narrative"] = "上半年一般公共预算收入16亿元，数据来源：财政局月报。"
		w.expect(w.do("reporterA", "PUT", path, draft), 200, "A fixes")
		w.expect(w.do("reporterA", "POST", path+"/submit", nil), 200, "A resubmits")
		if acc := w.expect(w.do("office", "POST", path+"/accept", nil), 200, "office accepts"); acc["state"] != "accepted" {
			t.Errorf("accepted: %v", acc)
		}
		got := w.expect(w.do("leader", "GET", path, nil), 200, "leader reads the accepted report")
		var states []string
		for _, h := range got["history"].([]any) {
			states = append(states, h.(map[string]any)["to"].(string))
		}
		if strings.Join(states, ",") != "draft,submitted,returned,submitted,accepted" {
			t.Errorf("history %v", states)
		}

		// 16 of 40 by the end of June is 40 % against 序时进度 50 %.
		c.Set(dlAt(2022, 7, 10, 10))
		st := w.expect(w.do("viewer", "GET", fmt.Sprintf("/api/v1/plans/%d/status?as_of=2022-07-10", p.ID), nil), 200, "status")
		inds := st["indicators"].([]any)
		first := inds[0].(map[string]any)
		if len(inds) != 1 || first["class"] != "behind" || first["responsible_unit_id"].(float64) != float64(w.unitA.ID) ||
			!strings.Contains(first["reason"].(map[string]any)["zh"].(string), "一般公共预算收入，已完成40%，序时进度50%") {
			t.Errorf("main indicators on 2022-07-10: %v", inds)
		}
		if pl := st["plan"].(map[string]any); pl["total"].(float64) != 2 {
			t.Errorf("plan roll-up %v; want the task and the main indicator", pl)
		}
	})
}
