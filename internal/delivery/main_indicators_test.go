package delivery

import (
	"testing"

	"github.com/duban-org/duban/internal/plan"
)

// mainPlan is a plan whose main indicators (no task) are in the charge of
// units 20 (revenue, cumulative) and 21 (GDP growth, annual only), beside
// one task led by unit 10.
func mainPlan() *plan.Plan {
	return &plan.Plan{ID: 1, Year: 2021, Jurisdiction: "140105",
		Indicators: []plan.Indicator{
			{ID: 1, Name: "一般公共预算收入", Unit: "亿元", Target: 40, Comparator: plan.GE, Kind: plan.Cumulative, ResponsibleUnitID: 20},
			{ID: 2, Name: "地区生产总值增长", Unit: "%", Target: 8.5, Comparator: plan.GE, Kind: plan.Growth, AnnualOnly: true, ResponsibleUnitID: 21}},
		Tasks: []plan.Task{employment(1, "2021-12-31")}}
}

// mainReport is unit's report on the plan's main indicators, accepted on
// the given day.
func mainReport(id, unit int64, period, reviewed string, actuals ...Actual) Report {
	r := acceptedReport(id, 0, period, reviewed, actuals...)
	r.PlanID, r.UnitID = 1, unit
	return r
}

func TestMainIndicatorStatus(t *testing.T) {
	revenue := func(v float64) Actual { return Actual{IndicatorID: 1, Value: v} }
	tests := []struct {
		name    string
		reports []Report
		asOf    string
		rule    [2]string // revenue, GDP growth
		reason  string    // revenue's, in Chinese
	}{
		{"nothing reported", nil, "2021-07-10",
			[2]string{"indicator.no_figure", "indicator.annual_only"}, "一般公共预算收入，尚无审核通过的数据：暂不评价"},
		{"behind 序时进度", []Report{mainReport(1, 20, "2021-06", "2021-07-04", revenue(16))}, "2021-07-10",
			[2]string{"indicator.behind", "indicator.annual_only"}, "一般公共预算收入，已完成40%，序时进度50%：滞后"},
		{"on 序时进度", []Report{mainReport(1, 20, "2021-06", "2021-07-04", revenue(20))}, "2021-07-10",
			[2]string{"indicator.on_track", "indicator.annual_only"}, "一般公共预算收入，已完成50%，序时进度50%：序时推进"},
		{"not yet accepted on the day", []Report{mainReport(1, 20, "2021-06", "2021-07-12", revenue(20))}, "2021-07-10",
			[2]string{"indicator.no_figure", "indicator.annual_only"}, "一般公共预算收入，尚无审核通过的数据：暂不评价"},
		// A figure from a unit not responsible for the indicator does not
		// count, nor does a task's report on an indicator of the same id.
		{"another unit's figure", []Report{mainReport(1, 21, "2021-06", "2021-07-04", revenue(20)), acceptedReport(2, 1, "2021-06", "2021-07-04", revenue(20))}, "2021-07-10",
			[2]string{"indicator.no_figure", "indicator.annual_only"}, "一般公共预算收入，尚无审核通过的数据：暂不评价"},
		{"year end", []Report{mainReport(1, 20, "2021-12", "2022-01-04", revenue(41)), mainReport(2, 21, "2021-12", "2022-01-04", Actual{IndicatorID: 2, Value: 8.1})}, "2022-01-10",
			[2]string{"indicator.completed", "indicator.missed"}, "一般公共预算收入，已完成102.5%，序时进度100%：已完成"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := EvaluatePlan(Inputs{Plan: mainPlan(), Reports: tt.reports}, DefaultRules(), d(tt.asOf))
			if len(ps.Indicators) != 2 {
				t.Fatalf("main indicators: %+v", ps.Indicators)
			}
			for i, is := range ps.Indicators {
				if is.Rule != tt.rule[i] || is.Light != is.Class.Light() || is.IndicatorID != int64(i+1) || is.UnitID != int64(20+i) {
					t.Errorf("indicator %d: %+v; want rule %s", i+1, is, tt.rule[i])
				}
			}
			if got := ps.Indicators[0].Reason.Zh; got != tt.reason {
				t.Errorf("reason %q; want %q", got, tt.reason)
			}
			// The plan counts its task and both main indicators; each
			// responsible unit counts its own.
			if ps.Plan.Total != 3 || ps.Units[20].Total != 1 || ps.Units[21].Total != 1 || ps.Units[10].Total != 1 ||
				ps.Units[20].Counts[ps.Indicators[0].Class] != 1 {
				t.Errorf("roll-ups: plan %+v, units %+v", ps.Plan, ps.Units)
			}
		})
	}
}
