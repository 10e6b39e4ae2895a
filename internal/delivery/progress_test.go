package delivery

import (
	"errors"
	"math"
	"testing"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestElapsed(t *testing.T) {
	tests := []struct {
		start, end, at string
		want           float64
	}{
		{"2021-01-01", "2021-12-31", "2020-12-31", 0},
		{"2021-01-01", "2021-12-31", "2021-01-31", 1.0 / 12},
		{"2021-01-01", "2021-12-31", "2021-03-31", 0.25},      // after Q1
		{"2021-01-01", "2021-12-31", "2021-06-30", 0.5},       // after H1
		{"2021-01-01", "2021-12-31", "2021-11-30", 11.0 / 12}, // 91.7 %
		{"2021-01-01", "2021-12-31", "2021-12-31", 1},         // year end
		{"2021-01-01", "2021-12-31", "2022-03-01", 1},         // capped
		{"2021-01-01", "2021-12-31", "2021-02-14", (1 + 14.0/28) / 12},
		{"2024-01-01", "2024-12-31", "2024-02-29", 2.0 / 12}, // leap day ends February
		{"2024-01-01", "2024-12-31", "2024-02-28", (1 + 28.0/29) / 12},
		{"2021-01-01", "2021-06-30", "2021-03-31", 0.5},       // a half-year task
		{"2021-01-01", "2022-06-30", "2021-12-31", 12.0 / 18}, // a task running into next year
		{"2021-04-01", "2021-04-30", "2021-04-15", 0.5},
	}
	for _, tt := range tests {
		if got := Elapsed(d(tt.start), d(tt.end), d(tt.at)); !near(got, tt.want) {
			t.Errorf("Elapsed(%s..%s at %s) = %v, want %v", tt.start, tt.end, tt.at, got, tt.want)
		}
	}
	if got := pct(Elapsed(d("2021-01-01"), d("2021-12-31"), d("2021-11-30"))); got != "91.7" {
		t.Errorf("November shows %s %%, want 91.7", got)
	}
}

func TestCurvesAreMonotone(t *testing.T) {
	// Property: every curve starts at 0 before the period, never falls, and
	// reaches 1 on the last day.
	curves := []Curve{{}, {Kind: CurveStep}, {Kind: CurveCustom, Points: []CurvePoint{{3, 31, 0.1}, {6, 30, 0.4}, {9, 30, 0.9}}}}
	for _, c := range curves {
		for _, period := range [][2]string{{"2021-01-01", "2021-12-31"}, {"2024-01-01", "2024-08-31"}, {"2021-01-01", "2022-06-30"}} {
			start, end := d(period[0]), d(period[1])
			prev := c.Expected(start, end, start-1)
			if prev != 0 {
				t.Errorf("%v %v: %v before the start", c.Kind, period, prev)
			}
			for day := start; day <= end; day++ {
				x := c.Expected(start, end, day)
				if x < prev-1e-12 || x > 1 {
					t.Fatalf("%v %v: %v on %s after %v", c.Kind, period, x, day, prev)
				}
				prev = x
			}
			if prev != 1 {
				t.Errorf("%v %v: %v on the last day", c.Kind, period, prev)
			}
		}
	}
}

func TestCurveExpected(t *testing.T) {
	year := [2]Date{d("2021-01-01"), d("2021-12-31")}
	custom := Curve{Kind: CurveCustom, Points: []CurvePoint{{6, 30, 0.4}}}
	tests := []struct {
		c    Curve
		at   string
		want float64
	}{
		{Curve{Kind: CurveStep}, "2021-03-30", 0},
		{Curve{Kind: CurveStep}, "2021-03-31", 0.25},
		{Curve{Kind: CurveStep}, "2021-05-20", 0.25},
		{Curve{Kind: CurveStep}, "2021-06-30", 0.5},
		{Curve{Kind: CurveStep}, "2021-12-30", 0.75},
		{Curve{Kind: CurveStep}, "2021-12-31", 1},
		{custom, "2021-03-31", 0.2},
		{custom, "2021-06-30", 0.4},
		{custom, "2021-09-30", 0.7},
		{Curve{}, "2021-09-30", 0.75},
	}
	for _, tt := range tests {
		if got := tt.c.Expected(year[0], year[1], d(tt.at)); !near(got, tt.want) {
			t.Errorf("%s curve at %s = %v, want %v", tt.c.Kind, tt.at, got, tt.want)
		}
	}
}

func TestCurveValidate(t *testing.T) {
	bad := []Curve{
		{Kind: "s-shaped"},
		{Kind: CurveStep, Points: []CurvePoint{{3, 31, 0.2}}},
		{Kind: CurveCustom},
		{Kind: CurveCustom, Points: []CurvePoint{{2, 30, 0.2}}},
		{Kind: CurveCustom, Points: []CurvePoint{{6, 30, 0.5}, {3, 31, 0.6}}},
		{Kind: CurveCustom, Points: []CurvePoint{{3, 31, 0.5}, {6, 30, 0.4}}},
		{Kind: CurveCustom, Points: []CurvePoint{{3, 31, 1.5}}},
		{Kind: CurveCustom, Points: []CurvePoint{{3, 31, math.NaN()}}},
	}
	for _, c := range bad {
		if err := c.Validate(); !errors.Is(err, fault.ErrInvalid) {
			t.Errorf("%+v: err %v, want invalid", c, err)
		}
	}
	good := Curve{Kind: CurveCustom, Points: []CurvePoint{{2, 29, 0.1}, {6, 30, 0.4}, {12, 31, 1}}}
	if err := good.Validate(); err != nil {
		t.Error(err)
	}
}

func f64(x float64) *float64 { return &x }

func TestIndicatorProgress(t *testing.T) {
	start, end := d("2021-01-01"), d("2021-12-31")
	cum := plan.Indicator{ID: 1, Name: "新增就业", Unit: "人", Target: 16000, Comparator: plan.GE, Kind: plan.Cumulative}
	ceiling := plan.Indicator{ID: 2, Name: "城镇调查失业率", Unit: "%", Target: 5.5, Comparator: plan.LE, Kind: plan.Level}
	reduce := plan.Indicator{ID: 3, Name: "单位GDP能耗", Unit: "吨标煤/万元", Target: 5, Baseline: f64(6), Comparator: plan.LE, Kind: plan.Level}
	growth := plan.Indicator{ID: 4, Name: "规上工业增加值", Unit: "%", Target: 8, Comparator: plan.GE, Kind: plan.Growth}
	level := plan.Indicator{ID: 5, Name: "绿化覆盖率", Unit: "%", Target: 42, Baseline: f64(40), Comparator: plan.GE, Kind: plan.Level}
	flat := plan.Indicator{ID: 6, Name: "森林覆盖率", Unit: "%", Target: 25, Comparator: plan.GE, Kind: plan.Level}
	approx := plan.Indicator{ID: 7, Name: "地区生产总值增长", Unit: "%", Target: 6, Comparator: plan.Approx, Kind: plan.Growth}
	fall := plan.Indicator{ID: 8, Name: "单位GDP能耗下降", Unit: "%", Target: -3, Comparator: plan.LE, Kind: plan.Growth}
	annual := cum
	annual.AnnualOnly = true
	o := func(on string, v float64) Observation { return Observation{On: d(on), Value: v} }
	inc := func(on string, v float64) Observation { return Observation{On: d(on), Value: v, Increment: true} }

	tests := []struct {
		name       string
		in         plan.Indicator
		obs        []Observation
		at         string
		done, exp  float64
		met, final bool
		assessable bool
		metOn      string
	}{
		{"no figure", cum, nil, "2021-03-31", 0, 0, false, false, false, ""},
		{"cumulative year to date", cum, []Observation{o("2021-01-31", 1000), o("2021-03-31", 4000)}, "2021-03-31", 0.25, 0.25, false, false, true, ""},
		{"increments add up", cum, []Observation{inc("2021-01-31", 1000), inc("2021-02-28", 1500), inc("2021-03-31", 1500)}, "2021-03-31", 0.25, 0.25, false, false, true, ""},
		{"a total resets the running sum", cum, []Observation{inc("2021-01-31", 1000), o("2021-02-28", 3000), inc("2021-03-31", 1000)}, "2021-03-31", 0.25, 0.25, false, false, true, ""},
		{"later figure for the same cycle wins", cum, []Observation{o("2021-03-31", 9000), o("2021-03-31", 4000)}, "2021-03-31", 0.25, 0.25, false, false, true, ""},
		{"figures after the reference day are ignored", cum, []Observation{o("2021-03-31", 4000), o("2021-04-30", 6000)}, "2021-03-31", 0.25, 0.25, false, false, true, ""},
		{"cumulative met early", cum, []Observation{o("2021-08-31", 15000), o("2021-09-30", 16100), o("2021-10-31", 17000)}, "2021-10-31", 17000.0 / 16000, 10.0 / 12, true, false, true, "2021-09-30"},
		{"ceiling held", ceiling, []Observation{o("2021-03-31", 5.2)}, "2021-03-31", 1, 1, true, false, true, ""},
		{"ceiling broken", ceiling, []Observation{o("2021-03-31", 6.0)}, "2021-03-31", 5.5 / 6, 1, false, false, true, ""},
		{"ceiling held at year end", ceiling, []Observation{o("2021-12-31", 5.0)}, "2021-12-31", 1, 1, true, true, true, "2021-12-31"},
		{"reduction from a baseline", reduce, []Observation{o("2021-06-30", 5.5)}, "2021-06-30", 0.5, 1, false, false, true, ""},
		{"growth compares rates", growth, []Observation{o("2021-06-30", 7)}, "2021-06-30", 7.0 / 8, 1, false, false, true, ""},
		{"growth met mid-year is not done", growth, []Observation{o("2021-06-30", 9)}, "2021-06-30", 9.0 / 8, 1, true, false, true, ""},
		{"level from a baseline is prorated", level, []Observation{o("2021-06-30", 41)}, "2021-06-30", 0.5, 0.5, false, false, true, ""},
		{"level without a baseline is point-in-time", flat, []Observation{o("2021-06-30", 24)}, "2021-06-30", 0.96, 1, false, false, true, ""},
		{"level met, dipped, met again", flat, []Observation{o("2021-03-31", 25), o("2021-04-30", 24.5), o("2021-05-31", 25.1)}, "2021-06-30", 25.1 / 25, 1, true, false, true, "2021-05-31"},
		{"a fall toward a target fall", fall, []Observation{o("2021-06-30", -2)}, "2021-06-30", 2.0 / 3, 1, false, false, true, ""},
		{"a rise against a target fall", fall, []Observation{o("2021-06-30", 1)}, "2021-06-30", 0, 1, false, false, true, ""},
		{"a target fall reached", fall, []Observation{o("2021-06-30", -3.2)}, "2021-06-30", 1, 1, true, false, true, ""},
		{"approximate within tolerance", approx, []Observation{o("2021-06-30", 5.8)}, "2021-06-30", 5.8 / 6, 1, true, false, true, ""},
		{"approximate below tolerance", approx, []Observation{o("2021-06-30", 5.6)}, "2021-06-30", 5.6 / 6, 1, false, false, true, ""},
		{"annual only before the end", annual, []Observation{o("2021-06-30", 9000)}, "2021-11-30", 9000.0 / 16000, 11.0 / 12, false, false, false, ""},
		{"annual only at the end", annual, []Observation{o("2021-12-31", 16500)}, "2021-12-31", 16500.0 / 16000, 1, true, true, true, "2021-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := IndicatorProgress(tt.in, tt.obs, start, end, d(tt.at), Curve{}, 0.05)
			if !near(p.Done, tt.done) || (p.Has && !near(p.Expected, tt.exp)) || p.Met != tt.met || p.Final != tt.final || p.Assessable != tt.assessable {
				t.Errorf("got done %v expected %v met %v final %v assessable %v; want %v %v %v %v %v",
					p.Done, p.Expected, p.Met, p.Final, p.Assessable, tt.done, tt.exp, tt.met, tt.final, tt.assessable)
			}
			want := Date(0)
			if tt.metOn != "" {
				want = d(tt.metOn)
			}
			if p.MetOn != want {
				t.Errorf("MetOn %s, want %s", p.MetOn, want)
			}
		})
	}
}

func TestProgressDoneBounded(t *testing.T) {
	// Property: Done is never negative, NaN or above 2, whatever the figure.
	ins := []plan.Indicator{
		{Target: 100, Comparator: plan.GE, Kind: plan.Cumulative},
		{Target: 0, Comparator: plan.GE, Kind: plan.Growth},
		{Target: -3, Comparator: plan.LE, Kind: plan.Growth},
		{Target: 5, Comparator: plan.LE, Kind: plan.Level, Baseline: f64(5)},
		{Target: 40, Comparator: plan.GE, Kind: plan.Level, Baseline: f64(42)},
	}
	for _, in := range ins {
		for _, v := range []float64{-1e9, -5, -0.0, 0, 0.1, 5, 40, 1e12, math.Inf(1), math.Inf(-1), math.NaN()} {
			p := IndicatorProgress(in, []Observation{{On: d("2021-06-30"), Value: v}}, d("2021-01-01"), d("2021-12-31"), d("2021-06-30"), Curve{}, 0.05)
			if !(p.Done >= 0 && p.Done <= 2) {
				t.Errorf("%+v value %v: done %v", in, v, p.Done)
			}
		}
	}
}
