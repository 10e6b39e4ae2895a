package delivery

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
)

func TestSettingsSurviveJSON(t *testing.T) {
	// The store keeps a plan's calendar and rules as JSON: they must come
	// back equal, days written as days.
	cal := Calendar{Frequency: Quarterly, DueDay: 10, AdHoc: []Cycle{{Key: "年中督查", Frequency: AdHoc, Start: d("2021-01-01"), End: d("2021-06-15"), Due: d("2021-06-20")}}}
	rules := DefaultRules()
	rules.IndicatorCurves = map[int64]Curve{7: {Kind: CurveCustom, Points: []CurvePoint{{Month: time.June, Day: 30, Share: 0.4}}}}
	rules.Labels = map[Class]Text{ClassBehind: {"进度偏慢", "lagging"}}
	for _, v := range []any{cal, rules, DefaultReminderRules(), DefaultScoreRules(), DefaultPlausibilityRules()} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		back := reflect.New(reflect.TypeOf(v))
		if err := json.Unmarshal(b, back.Interface()); err != nil {
			t.Fatalf("%T: %v in %s", v, err, b)
		}
		if !reflect.DeepEqual(back.Elem().Interface(), v) {
			t.Errorf("%T: %s came back as %+v", v, b, back.Elem().Interface())
		}
	}
	b, _ := json.Marshal(cal)
	if want := `{"frequency":"quarterly","due_day":10,"ad_hoc":[{"key":"年中督查","frequency":"ad_hoc","start":"2021-01-01","end":"2021-06-15","due":"2021-06-20"}]}`; string(b) != want {
		t.Errorf("calendar JSON %s, want %s", b, want)
	}
	var bad Calendar
	if err := json.Unmarshal([]byte(`{"ad_hoc":[{"key":"x","start":"2021-13-01"}]}`), &bad); err == nil {
		t.Error("a month 13 was accepted")
	}
}

func TestQuarterlyPlanStatus(t *testing.T) {
	// On a quarterly plan progress is measured at quarter ends: in May the
	// yardstick is still 25 %, and Q1's report is due on 5 April.
	p := &plan.Plan{ID: 1, Year: 2024, Tasks: []plan.Task{employment(1, "2024-12-31")}}
	cal := Calendar{Frequency: Quarterly}
	q1 := acceptedReport(1, 1, "2024-Q1", "2024-04-03", jobs(1, 220))
	for _, tt := range []struct {
		asOf   string
		class  Class
		reason string
	}{
		{"2024-04-02", ClassNotAssessable, "尚无审核通过的数据"},
		{"2024-04-03", ClassOnTrack, "已完成22%，序时进度25%"},
		{"2024-05-20", ClassOnTrack, "已完成22%，序时进度25%"},
		{"2024-07-06", ClassBehind, "已完成22%，序时进度50%"}, // Q2 due 5 July, nothing new
	} {
		ts, err := EvaluateTask(Inputs{Plan: p, Reports: []Report{q1}, Calendar: cal}, 1, DefaultRules(), d(tt.asOf))
		if err != nil {
			t.Fatal(err)
		}
		if ts.Class != tt.class || !strings.Contains(ts.Reason.Zh, tt.reason) {
			t.Errorf("%s: %s %q, want %s %q", tt.asOf, ts.Class, ts.Reason.Zh, tt.class, tt.reason)
		}
	}
	obs := Obligations(p, cal, nil, nil, d("2024-01-01"), d("2025-12-31"))
	if len(obs) != 4 || obs[3].Cycle.Due != d("2025-01-05") {
		t.Errorf("quarterly obligations %+v", obs)
	}
}

// FuzzParseDate: days come from forms and imports; a parse either fails
// as invalid or gives a day that prints back the same.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2021-02-28", "2024-02-29", "2021-02-29", "2021-1-5", "", "9999-12-31", "0000-01-01", "2021-06-30T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, fault.ErrInvalid) {
				t.Fatalf("ParseDate(%q): %v is not ErrInvalid", s, err)
			}
			return
		}
		if v.String() != s {
			t.Fatalf("ParseDate(%q) prints as %s", s, v)
		}
	})
}

func TestReportRejectsNonFiniteValues(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		r := Report{TaskID: 1, UnitID: 1, Period: "2021-03", Actuals: []Actual{{IndicatorID: 1, Value: v}}}
		if err := r.Validate(); !errors.Is(err, fault.ErrInvalid) {
			t.Errorf("value %v: err %v", v, err)
		}
	}
	ok := Report{TaskID: 1, UnitID: 1, Period: "2021-03", Actuals: []Actual{{IndicatorID: 1, Value: -3.5, Increment: true}}}
	if err := ok.Validate(); err != nil {
		t.Error(err)
	}
}
