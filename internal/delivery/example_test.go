package delivery_test

import (
	"fmt"
	"time"

	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/plan"
)

// A monthly calendar with reports due on the 31st of the following month:
// in February that means its last day.
func ExampleCalendar_Cycles() {
	cal := delivery.Calendar{DueDay: 31}
	for _, c := range cal.Cycles(2024)[:3] {
		fmt.Println(c.Key, c.Start, c.End, "due", c.Due)
	}
	// Output:
	// 2024-01 2024-01-01 2024-01-31 due 2024-02-29
	// 2024-02 2024-02-01 2024-02-29 due 2024-03-31
	// 2024-03 2024-03-01 2024-03-31 due 2024-04-30
}

// The status of a task at a date, with its light and its reason.
func ExampleEvaluatePlan() {
	deadline := time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)
	p := &plan.Plan{ID: 1, Year: 2021, Jurisdiction: "140105", Tasks: []plan.Task{{
		ID: 1, Code: "4.2", Title: "稳就业", LeadUnitID: 10, Deadline: &deadline,
		Indicators: []plan.Indicator{{ID: 7, Name: "新增就业", Unit: "人", Target: 16000, Comparator: plan.GE, Kind: plan.Cumulative}},
	}}}
	reviewed := time.Date(2021, 8, 4, 10, 0, 0, 0, delivery.Shanghai)
	reports := []delivery.Report{{ID: 1, TaskID: 1, UnitID: 10, Period: "2021-07", State: delivery.StateAccepted,
		Actuals: []delivery.Actual{{IndicatorID: 7, Value: 8320}}, ReviewedAt: &reviewed}}

	asOf, _ := delivery.ParseDate("2021-08-10")
	ps := delivery.EvaluatePlan(delivery.Inputs{Plan: p, Reports: reports}, delivery.DefaultRules(), asOf)
	ts := ps.Tasks[0]
	fmt.Println(ts.Class, ts.Light)
	fmt.Println(ts.Reason.Zh)
	fmt.Println(ts.Reason.En)
	// Output:
	// behind yellow
	// 新增就业，已完成52%，序时进度58.3%：滞后
	// 新增就业: 52 % done, 58.3 % of the year elapsed: behind
}

// What the scheduler sends on a day; keys make each action happen once.
func ExampleSupervision_On() {
	deadline := time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)
	p := &plan.Plan{ID: 1, Year: 2021, Tasks: []plan.Task{{ID: 1, Code: "2.1", LeadUnitID: 10, Leader: "李副区长", Deadline: &deadline}}}
	s := delivery.Supervision{
		Inputs:    delivery.Inputs{Plan: p},
		Rules:     delivery.DefaultRules(),
		Reminders: delivery.DefaultReminderRules(),
		Sent:      map[string]bool{},
	}
	day, _ := delivery.ParseDate("2021-06-15")
	a := s.On(day)
	for _, n := range a.Notices {
		fmt.Println(n.Key, n.Color, "respond by", n.RespondBy)
		fmt.Println(n.Reason.Zh)
	}
	// Output:
	// notice/blue/1/deadline/2021-06-30 blue respond by 2021-06-20
	// 任务2.1将于2021-06-30到期（还有15天），尚未完成
}
