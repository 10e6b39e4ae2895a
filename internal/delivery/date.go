package delivery

import (
	"fmt"
	"time"

	"github.com/duban-org/duban/internal/fault"
)

// Date is a calendar day in the jurisdiction's time zone. Delivery rules are
// about days (a report is due on the 5th, a task is overdue from the day
// after its deadline), and mixing instants with days is how a report filed at
// 07:30 Beijing time on the 5th ends up counted on the 4th (UTC). So the
// rules take Dates only, and the two ways into a Date are explicit:
// DayIn for an instant (now, a submission time), DateOf for a stored
// calendar day (a deadline, a milestone's due date).
//
// A Date counts days since 1970-01-01, so comparing and subtracting Dates is
// integer arithmetic; the zero Date is 1970-01-01 and is never a plausible
// plan date, so code treats it as "unset" where a field is optional.
type Date int32

// Shanghai is China Standard Time, the default zone of a jurisdiction.
// China has kept UTC+8 without daylight saving since 1991, so when the host
// lacks tzdata the fixed zone gives the same days.
var Shanghai = loadShanghai()

func loadShanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}

const secondsPerDay = 24 * 60 * 60

// NewDate returns the day y-m-d, normalising out-of-range values the way
// time.Date does (month 13 is January of the next year, day 0 the last day
// of the previous month).
func NewDate(y int, m time.Month, d int) Date {
	if m < time.January || m > time.December {
		// Carry whole years so daysFromCivil sees a real month.
		y += int(m-1) / 12
		m = (m-1)%12 + 1
		if m < time.January {
			y--
			m += 12
		}
	}
	return Date(daysFromCivil(y, int(m), 1) + int64(d) - 1)
}

// daysFromCivil and civilFromDays convert between days since 1970-01-01 and
// the proleptic Gregorian calendar with integer arithmetic only (H. Hinnant,
// "chrono-compatible low-level date algorithms"); status over thousands of
// reports spends its time here, and time.Date is several times slower.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

func civilFromDays(z int64) (int, time.Month, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), time.Month(m), int(d)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// DateOf returns the calendar day t was written as, in t's own location.
// Use it for values that are days already: the store keeps DATE columns as
// midnight UTC, and converting those to Shanghai would still give the same
// day, but a deadline built as midnight in Shanghai would move to the day
// before in UTC. Reading the day in t's own location is right for both.
func DateOf(t time.Time) Date {
	_, off := t.Zone()
	return Date(floorDiv64(t.Unix()+int64(off), secondsPerDay))
}

func floorDiv64(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// DayIn returns the day on which the instant t falls in loc (Shanghai when
// loc is nil). Use it for "now" and for submission and review times.
func DayIn(t time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = Shanghai
	}
	return DateOf(t.In(loc))
}

// ParseDate reads a day written as 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("date %q: want YYYY-MM-DD: %w", s, fault.ErrInvalid)
	}
	return DateOf(t), nil
}

// Time returns the day as midnight UTC, the form the store keeps DATE
// columns in.
func (d Date) Time() time.Time { return time.Unix(int64(d)*secondsPerDay, 0).UTC() }

// Start returns the first instant of the day in loc (Shanghai when nil).
func (d Date) Start(loc *time.Location) time.Time {
	if loc == nil {
		loc = Shanghai
	}
	y, m, dd := d.Civil()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Civil returns the year, month and day.
func (d Date) Civil() (int, time.Month, int) { return civilFromDays(int64(d)) }

// Year returns the day's year.
func (d Date) Year() int { y, _, _ := d.Civil(); return y }

// Month returns the day's month.
func (d Date) Month() time.Month { _, m, _ := d.Civil(); return m }

// Day returns the day of the month.
func (d Date) Day() int { _, _, dd := d.Civil(); return dd }

// AddDays returns the day n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// String writes the day as 2006-01-02.
func (d Date) String() string {
	y, m, dd := d.Civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// MarshalText writes the day as 2006-01-02, so JSON carries readable days.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a day written as 2006-01-02.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// monthEnd returns the last day of month m of year y.
func monthEnd(y int, m time.Month) Date { return NewDate(y, m+1, 0) }

// yearStart and yearEnd bound a plan year.
func yearStart(y int) Date { return NewDate(y, time.January, 1) }
func yearEnd(y int) Date   { return NewDate(y, time.December, 31) }
