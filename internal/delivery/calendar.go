package delivery

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duban-org/duban/internal/fault"
)

// Frequency is how often units report on a plan.
type Frequency string

// Frequencies. Monthly is the default because most offices publish a monthly
// 通报; quarterly suits plans tracked by a people's congress.
const (
	Monthly   Frequency = "monthly"
	Quarterly Frequency = "quarterly"
	AdHoc     Frequency = "ad_hoc" // a named cycle the office sets up (a mid-year inspection)
)

// DefaultDueDay is the day of the following month on which a cycle's reports
// are due: the 5th gives units time to collect the month's figures.
const DefaultDueDay = 5

// Cycle is one reporting period: reports describe Start..End (both days
// included) and are due by the end of Due.
type Cycle struct {
	Key       string    `json:"key"` // "2021-03", "2021-Q1", or an ad hoc name
	Frequency Frequency `json:"frequency"`
	Start     Date      `json:"start"`
	End       Date      `json:"end"`
	Due       Date      `json:"due"`
}

// Contains reports whether d lies in the cycle's period.
func (c Cycle) Contains(d Date) bool { return c.Start <= d && d <= c.End }

// Calendar is a plan's reporting calendar. The zero Calendar is monthly with
// reports due on the 5th of the following month.
type Calendar struct {
	Frequency Frequency `json:"frequency,omitempty"` // Monthly when empty
	// DueDay is the day of the month after a cycle ends on which its reports
	// are due. A day the month lacks (31 in February) means the month's last
	// day: "by the 31st" still means "before March".
	DueDay int     `json:"due_day,omitempty"`
	AdHoc  []Cycle `json:"ad_hoc,omitempty"` // named cycles with their own dates
}

func (c Calendar) frequency() Frequency {
	if c.Frequency == "" {
		return Monthly
	}
	return c.Frequency
}

func (c Calendar) dueDay() int {
	if c.DueDay == 0 {
		return DefaultDueDay
	}
	return c.DueDay
}

// Validate checks the frequency, the due day and every ad hoc cycle.
func (c Calendar) Validate() error {
	var v fault.Validation
	switch c.Frequency {
	case "", Monthly, Quarterly:
	default:
		v.Add("frequency", "calendar.frequency", "the regular reporting frequency is monthly or quarterly")
	}
	if c.DueDay < 0 || c.DueDay > 31 {
		v.Add("due_day", "calendar.due_day", "the due day is a day of the month, 1–31")
	}
	seen := map[string]bool{}
	for i, a := range c.AdHoc {
		f := fmt.Sprintf("ad_hoc[%d].", i)
		key := strings.TrimSpace(a.Key)
		switch {
		case key == "":
			v.Add(f+"key", "required", "an ad hoc cycle needs a name")
		case key != a.Key || strings.ContainsAny(key, "/\n\t"): // reminder keys are slash-separated
			v.Add(f+"key", "calendar.key", fmt.Sprintf("the cycle name %q has surrounding spaces, a slash or a control character", a.Key))
		case isRegularKey(key):
			v.Add(f+"key", "calendar.key", fmt.Sprintf("the cycle name %q is the name of a regular cycle", key))
		case seen[key]:
			v.Add(f+"key", "calendar.key_twice", fmt.Sprintf("two ad hoc cycles are named %q", key))
		}
		seen[key] = true
		if a.Start == 0 || a.End == 0 || a.Due == 0 {
			v.Add(f+"dates", "required", "an ad hoc cycle needs a start, an end and a due date")
			continue
		}
		if a.End < a.Start {
			v.Add(f+"end", "calendar.end_before_start", fmt.Sprintf("cycle %q ends (%s) before it starts (%s)", key, a.End, a.Start))
		}
		if a.Due < a.End {
			v.Add(f+"due", "calendar.due_before_end", fmt.Sprintf("cycle %q is due (%s) before its period ends (%s)", key, a.Due, a.End))
		}
	}
	return v.Err()
}

// Cycles lists the reporting cycles whose period ends in year: the regular
// ones and the ad hoc ones, ordered by end day then key, which is the order
// reports are read in.
func (c Calendar) Cycles(year int) []Cycle {
	var out []Cycle
	switch c.frequency() {
	case Quarterly:
		for q := 1; q <= 4; q++ {
			out = append(out, c.quarter(year, q))
		}
	default:
		for m := time.January; m <= time.December; m++ {
			out = append(out, c.month(year, m))
		}
	}
	for _, a := range c.AdHoc {
		if a.End.Year() == year {
			a.Frequency = AdHoc
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b Cycle) int {
		if a.End != b.End {
			return int(a.End - b.End)
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// CycleOf returns the regular cycle whose period contains d.
func (c Calendar) CycleOf(d Date) Cycle {
	y, m, _ := d.Civil()
	if c.frequency() == Quarterly {
		return c.quarter(y, (int(m)-1)/3+1)
	}
	return c.month(y, m)
}

// LastDue returns the latest regular cycle whose due day is before asOf,
// that is the last cycle whose reports must already be in. ok is false when
// no cycle of asOf's year or the year before qualifies.
func (c Calendar) LastDue(asOf Date) (Cycle, bool) {
	cy := c.CycleOf(asOf)
	for range 16 { // at most a quarter back, plus a due day in the next month
		if cy.Due < asOf {
			return cy, true
		}
		cy = c.CycleOf(cy.Start - 1)
	}
	return Cycle{}, false
}

// Cycle returns the cycle a report's Period names. Monthly and quarterly
// keys are both understood whatever the plan's frequency, so a plan that
// changes frequency keeps its history readable.
func (c Calendar) Cycle(key string) (Cycle, error) {
	for _, a := range c.AdHoc {
		if a.Key == key {
			a.Frequency = AdHoc
			return a, nil
		}
	}
	y, m, q, ok := parseRegularKey(key)
	switch {
	case !ok:
		return Cycle{}, fmt.Errorf("cycle %q: not YYYY-MM, YYYY-Qn or an ad hoc cycle of this plan: %w", key, fault.ErrNotFound)
	case q > 0:
		return c.quarter(y, q), nil
	default:
		return c.month(y, time.Month(m)), nil
	}
}

func (c Calendar) month(y int, m time.Month) Cycle {
	return Cycle{
		Key:       fmt.Sprintf("%04d-%02d", y, int(m)),
		Frequency: Monthly,
		Start:     NewDate(y, m, 1),
		End:       monthEnd(y, m),
		Due:       c.dueAfter(y, m),
	}
}

func (c Calendar) quarter(y, q int) Cycle {
	first := time.Month(3*(q-1) + 1)
	return Cycle{
		Key:       fmt.Sprintf("%04d-Q%d", y, q),
		Frequency: Quarterly,
		Start:     NewDate(y, first, 1),
		End:       monthEnd(y, first+2),
		Due:       c.dueAfter(y, first+2),
	}
}

// dueAfter is the due day in the month after month m of year y, clamped to
// that month's last day.
func (c Calendar) dueAfter(y int, m time.Month) Date {
	next := NewDate(y, m+1, 1)
	ny, nm, _ := next.Civil()
	return NewDate(ny, nm, min(c.dueDay(), daysIn(ny, nm)))
}

func isRegularKey(key string) bool {
	_, _, _, ok := parseRegularKey(key)
	return ok
}

// parseRegularKey reads "2021-03" (month 3) or "2021-Q1" (quarter 1).
func parseRegularKey(key string) (year, month, quarter int, ok bool) {
	ys, rest, found := strings.Cut(key, "-")
	if !found || len(ys) != 4 {
		return 0, 0, 0, false
	}
	y, err := strconv.Atoi(ys)
	if err != nil || y < 1000 {
		return 0, 0, 0, false
	}
	// Only the canonical spelling: a report filed under "2021-q1" would
	// not match the obligation keyed "2021-Q1".
	if len(rest) == 2 && rest[0] == 'Q' {
		q := int(rest[1] - '0')
		if q < 1 || q > 4 {
			return 0, 0, 0, false
		}
		return y, 0, q, true
	}
	if len(rest) != 2 || rest[0] < '0' || rest[0] > '9' || rest[1] < '0' || rest[1] > '9' {
		return 0, 0, 0, false
	}
	m := int(rest[0]-'0')*10 + int(rest[1]-'0')
	if m < 1 || m > 12 {
		return 0, 0, 0, false
	}
	return y, m, 0, true
}
