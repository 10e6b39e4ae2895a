package delivery

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/duban-org/duban/internal/plan"
)

func plausibilityTask() plan.Task {
	return plan.Task{ID: 1, Code: "4.2", Indicators: []plan.Indicator{
		{ID: 1, Name: "新增就业", Unit: "人", Target: 1600, Comparator: plan.GE, Kind: plan.Cumulative},
		{ID: 2, Name: "城镇调查失业率", Unit: "%", Target: 5.5, Comparator: plan.LE, Kind: plan.Level},
	}}
}

// series builds accepted reports for consecutive months of 2021 from
// January, with one value of indicator id each.
func series(id int64, increment bool, values ...float64) []Report {
	var out []Report
	for i, v := range values {
		out = append(out, Report{ID: int64(i + 1), TaskID: 1, UnitID: 10, Period: fmt.Sprintf("2021-%02d", i+1), State: StateAccepted,
			Actuals: []Actual{{IndicatorID: id, Value: v, Increment: increment}}})
	}
	return out
}

func TestCheckFigures(t *testing.T) {
	task := plausibilityTask()
	dec := Report{ID: 50, TaskID: 1, Period: "2020-12", State: StateAccepted, Actuals: []Actual{{IndicatorID: 1, Value: 1500}}}
	returned := series(1, false, 100, 210, 5000)
	returned[2].State = StateReturned
	tests := []struct {
		name    string
		history []Report
		next    Actual
		rules   []string
	}{
		{"steady total", series(1, false, 100, 210, 300), Actual{IndicatorID: 1, Value: 420}, nil},
		{"total fell", series(1, false, 100, 250), Actual{IndicatorID: 1, Value: 240}, []string{"cumulative.fell"}},
		{"negative increment", series(1, true, 100, 120), Actual{IndicatorID: 1, Value: -10, Increment: true}, []string{"cumulative.fell"}},
		{"a new year restarts the total", []Report{dec}, Actual{IndicatorID: 1, Value: 100}, nil},
		{"a month adding six times the usual", series(1, false, 100, 210, 300), Actual{IndicatorID: 1, Value: 900}, []string{"value.jump"}},
		{"three times the usual is plausible", series(1, false, 100, 210, 300), Actual{IndicatorID: 1, Value: 600}, nil},
		{"increments judged the same way", series(1, true, 100, 110, 90), Actual{IndicatorID: 1, Value: 700, Increment: true}, []string{"value.jump"}},
		{"too little history", series(1, false, 100), Actual{IndicatorID: 1, Value: 900}, nil},
		{"returned reports are no yardstick", returned, Actual{IndicatorID: 1, Value: 420}, nil},
		{"a level wobbling", series(2, false, 5.0, 5.1, 5.0, 5.1), Actual{IndicatorID: 2, Value: 5.2}, nil},
		{"a level leaping", series(2, false, 5.0, 5.1, 5.0, 5.1), Actual{IndicatorID: 2, Value: 7.0}, []string{"value.jump"}},
		{"a flat level moving a little", series(2, false, 5.0, 5.0, 5.0), Actual{IndicatorID: 2, Value: 5.1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(tt.history) + 1
			r := Report{ID: 99, TaskID: 1, UnitID: 10, Period: fmt.Sprintf("2021-%02d", n), State: StateSubmitted, Actuals: []Actual{tt.next}}
			if tt.name == "a new year restarts the total" {
				r.Period = "2021-01"
			}
			flags := CheckReport(task, r, tt.history, Calendar{}, DefaultPlausibilityRules())
			if len(flags) != len(tt.rules) {
				t.Fatalf("flags %+v, want %v", flags, tt.rules)
			}
			for i, f := range flags {
				if f.Rule != tt.rules[i] || f.Reason.Zh == "" || f.Reason.En == "" || f.Period != r.Period {
					t.Errorf("flag %+v, want rule %s with reasons", f, tt.rules[i])
				}
			}
		})
	}
	flags := CheckReport(task, Report{ID: 9, TaskID: 1, Period: "2021-03", Actuals: []Actual{{IndicatorID: 1, Value: 240}}}, series(1, false, 100, 250), Calendar{}, DefaultPlausibilityRules())
	if len(flags) != 1 || flags[0].Reason.Zh != "新增就业：累计值由250人降至240人，累计数不应减少" {
		t.Errorf("reason: %+v", flags)
	}
}

func TestCopiedNarrative(t *testing.T) {
	task := plausibilityTask()
	prev := "本月新增就业320人，组织招聘会3场，开展技能培训2期，参训人员共计180人，重点帮扶高校毕业生就业。"
	tests := []struct {
		name string
		now  string
		flag bool
	}{
		{"word for word", prev, true},
		{"only the figures changed", "本月新增就业350人，组织招聘会4场，开展技能培训2期，参训人员共计210人，重点帮扶高校毕业生就业。", true},
		{"new text", "完成一季度零就业家庭动态清零，新开发公益性岗位60个，发放稳岗返还资金1200万元，惠及企业400余家。", false},
		{"short and repeated", "按计划推进。", false},
	}
	for _, tt := range tests {
		history := []Report{{ID: 1, TaskID: 1, Period: "2021-03", State: StateAccepted, Narrative: prev}}
		if tt.name == "short and repeated" {
			history[0].Narrative = tt.now
		}
		r := Report{ID: 2, TaskID: 1, Period: "2021-04", State: StateSubmitted, Narrative: tt.now}
		flags := CheckReport(task, r, history, Calendar{}, DefaultPlausibilityRules())
		got := len(flags) == 1 && flags[0].Rule == "narrative.copied"
		if got != tt.flag || (!tt.flag && len(flags) != 0) {
			t.Errorf("%s: flags %+v, want copied=%v (similarity %.3f)", tt.name, flags, tt.flag, Similarity(tt.now, prev))
		}
	}
	// Only the previous cycle counts, not an older one.
	history := []Report{
		{ID: 1, TaskID: 1, Period: "2021-02", State: StateAccepted, Narrative: prev},
		{ID: 2, TaskID: 1, Period: "2021-03", State: StateAccepted, Narrative: "完成一季度零就业家庭动态清零，新开发公益性岗位60个，发放稳岗返还资金。"},
	}
	if flags := CheckReport(task, Report{ID: 3, TaskID: 1, Period: "2021-04", Narrative: prev}, history, Calendar{}, DefaultPlausibilityRules()); len(flags) != 0 {
		t.Errorf("compared with an older cycle: %+v", flags)
	}
}

func TestSimilarityProperties(t *testing.T) {
	texts := []string{"", "a", "推进", "推进项目建设", "推进 项目，建设！", strings.Repeat("加快", 50), "abc abd"}
	for _, a := range texts {
		for _, b := range texts {
			s := Similarity(a, b)
			if s < 0 || s > 1 || math.IsNaN(s) || s != Similarity(b, a) {
				t.Errorf("Similarity(%q, %q) = %v, or not symmetric", a, b, s)
			}
		}
	}
	if Similarity("推进项目建设", "推进 项目，建设！") != 1 {
		t.Error("spaces and punctuation should not count")
	}
}

// FuzzSimilarity: narratives are typed by units; any text must give a
// similarity in [0, 1], 1 with itself when it has two or more letters.
func FuzzSimilarity(f *testing.F) {
	f.Add("本月新增就业320人", "本月新增就业350人")
	f.Add("", "x")
	f.Add("\xff\xfe", "ab")
	f.Fuzz(func(t *testing.T, a, b string) {
		s := Similarity(a, b)
		if !(s >= 0 && s <= 1) || s != Similarity(b, a) {
			t.Fatalf("Similarity(%q, %q) = %v", a, b, s)
		}
		if len(pairs(a)) > 0 && Similarity(a, a) != 1 {
			t.Fatalf("Similarity(%q, itself) = %v", a, Similarity(a, a))
		}
	})
}
