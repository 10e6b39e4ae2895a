package delivery

import (
	"fmt"
	"math"
	"time"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
)

// Elapsed returns 序时进度: the share of the period start..end (both days
// included) that has passed by the end of day at, between 0 and 1.
//
// Offices count it in months, not days: after March it is 3/12 = 25 %,
// after June 50 %, after November 11/12 ≈ 91.7 %, whatever the months'
// lengths, and their bulletins must agree with ours to the decimal. Within a
// month the share grows day by day.
func Elapsed(start, end, at Date) float64 {
	if end < start {
		if at >= end {
			return 1
		}
		return 0
	}
	from, to := monthPos(start-1), monthPos(end)
	return clamp01((monthPos(at) - from) / (to - from))
}

// monthPos places the end of day d on a month axis: the end of March of year
// y is y*12+3 exactly.
func monthPos(d Date) float64 {
	y, m, dd := d.Civil()
	return float64(y*12+int(m)-1) + float64(dd)/float64(daysIn(y, m))
}

func clamp01(x float64) float64 {
	switch {
	case x < 0 || math.IsNaN(x):
		return 0
	case x > 1:
		return 1
	}
	return x
}

// CurveKind names the shape of expected progress over a period.
type CurveKind string

// Curve kinds.
const (
	// CurveLinear expects progress in step with 序时进度; the default.
	CurveLinear CurveKind = "linear"
	// CurveStep expects progress in quarterly steps: what 序时进度 was at the
	// last quarter end. It suits work that is booked per quarter (fixed-asset
	// investment), where a linear curve would call every unit behind in the
	// first weeks of a quarter.
	CurveStep CurveKind = "step"
	// CurveCustom follows points the office sets for one indicator (a
	// construction project: 10 % by March, 40 % by June …).
	CurveCustom CurveKind = "custom"
)

// CurvePoint says which share of the target is expected by the end of a day
// of the plan year.
type CurvePoint struct {
	Month time.Month `json:"month"`
	Day   int        `json:"day"`
	Share float64    `json:"share"` // 0..1
}

// Curve is the expected-progress curve of an indicator. The zero Curve is
// linear.
type Curve struct {
	Kind   CurveKind    `json:"kind,omitempty"`
	Points []CurvePoint `json:"points,omitempty"` // for CurveCustom, in date order
}

// Validate checks the kind and, for a custom curve, that its points are real
// days in date order with shares that never fall.
func (c Curve) Validate() error {
	var v fault.Validation
	switch c.Kind {
	case "", CurveLinear, CurveStep:
		if len(c.Points) > 0 {
			v.Add("points", "curve.points", "only a custom curve has points")
		}
	case CurveCustom:
		if len(c.Points) == 0 {
			v.Add("points", "curve.points", "a custom curve needs at least one point")
		}
		prevDay, prevShare := 0, 0.0
		for i, p := range c.Points {
			f := fmt.Sprintf("points[%d]", i)
			// 2024 is a leap year, so 29 February is accepted; in other
			// years the point falls on 1 March, which is what an office
			// writing "end of February" means.
			if p.Month < time.January || p.Month > time.December || p.Day < 1 || p.Day > daysIn(2024, p.Month) {
				v.Add(f, "curve.point_day", fmt.Sprintf("%d-%d is not a day of the year", int(p.Month), p.Day))
				continue
			}
			if !(p.Share >= 0 && p.Share <= 1) {
				v.Add(f, "curve.point_share", fmt.Sprintf("the share %v is not between 0 and 1", p.Share))
			}
			day := int(p.Month)*100 + p.Day
			if day <= prevDay {
				v.Add(f, "curve.point_order", "points must be in date order, one per day")
			}
			if p.Share < prevShare {
				v.Add(f, "curve.point_falls", "expected progress cannot fall")
			}
			prevDay, prevShare = day, p.Share
		}
	default:
		v.Add("kind", "curve.kind", "the curve is linear, step or custom")
	}
	return v.Err()
}

// Expected returns the share of the target expected by the end of day at, for
// work that runs from start to end (both included).
func (c Curve) Expected(start, end, at Date) float64 {
	if at >= end {
		return 1
	}
	switch c.Kind {
	case CurveStep:
		y, m, _ := at.Civil()
		q := (int(m) - 1) / 3 // quarters of at's year already over when at is a quarter end
		last := monthEnd(y, time.Month(3*q+3))
		if at != last {
			last = NewDate(y, time.Month(3*q+1), 0) // end of the previous quarter
		}
		if last < start {
			return 0
		}
		return Elapsed(start, end, last)
	case CurveCustom:
		return c.custom(start, end, at)
	default:
		return Elapsed(start, end, at)
	}
}

// custom interpolates between the curve's points on the same month axis as
// Elapsed, from nothing the day before start to everything at end.
func (c Curve) custom(start, end, at Date) float64 {
	x := monthPos(at)
	px, py := monthPos(start-1), 0.0
	year := start.Year()
	for _, p := range c.Points {
		day := NewDate(year, p.Month, p.Day)
		if day < start || day >= end {
			continue
		}
		qx := monthPos(day)
		if x <= qx {
			return lerp(px, py, qx, p.Share, x)
		}
		px, py = qx, p.Share
	}
	return lerp(px, py, monthPos(end), 1, x)
}

func lerp(x0, y0, x1, y1, x float64) float64 {
	if x1 <= x0 {
		return y1
	}
	return clamp01(y0 + (y1-y0)*(x-x0)/(x1-x0))
}

// Observation is one accepted figure of an indicator: the value a report
// gave for the cycle ending On.
type Observation struct {
	Period    string  `json:"period"`
	On        Date    `json:"on"` // the end of the cycle the figure describes
	Value     float64 `json:"value"`
	Increment bool    `json:"increment,omitempty"` // see Actual
}

// Progress is where one indicator stands toward its target at a date.
type Progress struct {
	IndicatorID int64 `json:"indicator_id"`
	// Has says a figure was reported; without one nothing else is known.
	Has bool `json:"has"`
	// Value is the latest figure: the year-to-date total for a cumulative
	// indicator, the current level, or the growth rate in %.
	Value float64 `json:"value"`
	On    Date    `json:"on"` // the end of the cycle Value describes
	// Done is the share of the target achieved (1 = met). A ceiling (<=)
	// is fully done while the value stays under it.
	Done float64 `json:"done"`
	// Expected is the share the curve expects at the reference date; 1 for
	// rates, ceilings and levels without a baseline, which must hold at
	// any time rather than build up.
	Expected float64 `json:"expected"`
	// Prorated says Expected follows the curve (cumulative indicators and
	// levels moving from a baseline); when false the figure is compared
	// with the target itself.
	Prorated bool `json:"prorated"`
	Met      bool `json:"met"`   // the value satisfies the comparator now
	Final    bool `json:"final"` // the period is over: Value is the result
	// Assessable is false for an annual-only indicator before its period
	// ends, and when no figure has been accepted.
	Assessable bool `json:"assessable"`
	// MetOn is the end of the cycle from which the target has held, for
	// targets that can be reached early (totals and levels, not ceilings or
	// rates); 0 when not met.
	MetOn Date `json:"met_on,omitempty"`
}

// IndicatorProgress works out an indicator's progress from its figures, for
// work running start..end, judged at the reference day at (normally the end
// of the last cycle whose reports are in). obs must be in cycle order; later
// figures for the same cycle replace earlier ones.
//
// The comparator decides the direction: >= and = targets are reached by
// going up to them (plan texts write "完成3所" and mean at least three, so =
// is not penalised for overshooting), ~ (约, 左右) allows the tolerance
// below, and <= is a ceiling met by staying under it. The kind decides the
// time shape: a cumulative total adds up and is expected to grow with the
// curve; a level with a baseline is expected to move from the baseline to
// the target along the curve; a level without one and a growth rate are
// compared with the target as they stand.
func IndicatorProgress(in plan.Indicator, obs []Observation, start, end, at Date, curve Curve, approxTolerance float64) Progress {
	p := Progress{IndicatorID: in.ID, Final: at >= end}
	ytd := 0.0
	var metSince Date
	for i, o := range obs {
		if o.On > at {
			break
		}
		if i+1 < len(obs) && obs[i+1].On == o.On && obs[i+1].On <= at {
			continue // a later figure for the same cycle replaces this one
		}
		v := o.Value
		if in.Kind == plan.Cumulative {
			if o.Increment {
				ytd += o.Value
			} else {
				ytd = o.Value
			}
			v = ytd
		}
		p.Has, p.Value, p.On = true, v, o.On
		if meets(in, v, approxTolerance) {
			if metSince == 0 {
				metSince = o.On
			}
		} else {
			metSince = 0
		}
	}
	if !p.Has {
		return p
	}
	p.Met = meets(in, p.Value, approxTolerance)
	p.Done = done(in, p.Value, p.Met)
	p.Prorated = in.Comparator != plan.LE && (in.Kind == plan.Cumulative || (in.Kind == plan.Level && in.Baseline != nil && *in.Baseline != in.Target))
	p.Expected = 1
	if p.Prorated {
		p.Expected = curve.Expected(start, end, at)
	}
	p.Assessable = !in.AnnualOnly || p.Final
	early := in.Comparator != plan.LE && in.Kind != plan.Growth
	switch {
	case p.Met && early:
		p.MetOn = metSince
	case p.Met && p.Final:
		p.MetOn = end
	}
	return p
}

// meets applies the comparator to a value.
func meets(in plan.Indicator, v, approxTolerance float64) bool {
	const eps = 1e-9
	switch in.Comparator {
	case plan.LE:
		return v <= in.Target+eps*math.Max(1, math.Abs(in.Target))
	case plan.Approx:
		return v >= in.Target-approxTolerance*math.Abs(in.Target)-eps
	default: // >=, =
		return v >= in.Target-eps*math.Max(1, math.Abs(in.Target))
	}
}

// done is the share of the target achieved, capped at 2 so that one runaway
// figure cannot dominate a roll-up.
func done(in plan.Indicator, v float64, met bool) float64 {
	t := in.Target
	var share float64
	switch {
	case in.Comparator == plan.LE && met:
		share = 1
	case in.Comparator == plan.LE && in.Baseline != nil && *in.Baseline > t:
		share = (*in.Baseline - v) / (*in.Baseline - t) // how far down from the baseline
	case in.Comparator == plan.LE && t < 0 && v < 0:
		share = v / t // a fall of 2 % toward a target of "down 3 %"
	case in.Comparator == plan.LE && v > 0 && t > 0:
		share = t / v
	case in.Comparator == plan.LE:
		share = 0
	case in.Kind == plan.Level && in.Baseline != nil && *in.Baseline < t:
		share = (v - *in.Baseline) / (t - *in.Baseline)
	case t > 0:
		share = v / t
	case met:
		share = 1
	default:
		share = 0
	}
	if math.IsNaN(share) || share < 0 {
		return 0
	}
	return math.Min(share, 2)
}
