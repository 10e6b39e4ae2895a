package delivery

import (
	"errors"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/fault"
)

// d parses a day in tests; a typo in a table is a test bug, so it panics.
func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestDayBoundaries(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		// 16:00 UTC on the 4th is midnight on the 5th in Beijing.
		{"utc evening is next day in Shanghai", time.Date(2021, 4, 4, 16, 0, 0, 0, time.UTC), "2021-04-05"},
		{"one second earlier is still the 4th", time.Date(2021, 4, 4, 15, 59, 59, 0, time.UTC), "2021-04-04"},
		{"new year's eve utc is new year in Shanghai", time.Date(2021, 12, 31, 17, 0, 0, 0, time.UTC), "2022-01-01"},
		{"leap day", time.Date(2024, 2, 28, 16, 30, 0, 0, time.UTC), "2024-02-29"},
	}
	for _, tt := range tests {
		if got := DayIn(tt.t, nil).String(); got != tt.want {
			t.Errorf("%s: DayIn(%s) = %s, want %s", tt.name, tt.t, got, tt.want)
		}
	}
	// A stored DATE (midnight UTC) and a day built in Shanghai are the same day.
	utc := time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)
	local := time.Date(2021, 6, 30, 0, 0, 0, 0, Shanghai)
	if DateOf(utc) != DateOf(local) || DateOf(utc).String() != "2021-06-30" {
		t.Errorf("DateOf: utc %s, local %s, want both 2021-06-30", DateOf(utc), DateOf(local))
	}
	if got := d("2021-06-30").Time(); !got.Equal(utc) {
		t.Errorf("Time() = %s, want %s", got, utc)
	}
	if got := d("2021-06-30").Start(nil); !got.Equal(local) {
		t.Errorf("Start(nil) = %s, want %s", got, local)
	}
}

func TestDateRoundTrip(t *testing.T) {
	// Every day of four years (one leap) survives String → ParseDate and
	// Civil → NewDate, and consecutive days differ by one.
	prev := d("2023-12-31")
	for day := d("2024-01-01"); day <= d("2027-12-31"); day++ {
		if day != prev+1 {
			t.Fatalf("%s follows %s", day, prev)
		}
		back, err := ParseDate(day.String())
		if err != nil || back != day {
			t.Fatalf("ParseDate(%s) = %s, %v", day, back, err)
		}
		y, m, dd := day.Civil()
		if NewDate(y, m, dd) != day {
			t.Fatalf("NewDate(Civil(%s)) differs", day)
		}
		prev = day
	}
	var x Date
	if err := x.UnmarshalText([]byte("2021-02-29")); !errors.Is(err, fault.ErrInvalid) {
		t.Errorf("2021-02-29 parsed as %s, err %v; want ErrInvalid", x, err)
	}
}

func TestMonthlyCycles(t *testing.T) {
	tests := []struct {
		name   string
		cal    Calendar
		year   int
		index  int
		key    string
		start  string
		end    string
		due    string
		length int
	}{
		{"default is monthly, due the 5th", Calendar{}, 2021, 2, "2021-03", "2021-03-01", "2021-03-31", "2021-04-05", 12},
		{"december is due in january", Calendar{}, 2021, 11, "2021-12", "2021-12-01", "2021-12-31", "2022-01-05", 12},
		{"february in a leap year", Calendar{}, 2024, 1, "2024-02", "2024-02-01", "2024-02-29", "2024-03-05", 12},
		{"due day 31 falls after the end of february", Calendar{DueDay: 31}, 2021, 0, "2021-01", "2021-01-01", "2021-01-31", "2021-02-28", 12},
		{"due day 31, leap february", Calendar{DueDay: 31}, 2024, 0, "2024-01", "2024-01-01", "2024-01-31", "2024-02-29", 12},
		{"due day 31 in a 30-day month", Calendar{DueDay: 31}, 2021, 2, "2021-03", "2021-03-01", "2021-03-31", "2021-04-30", 12},
		{"quarterly", Calendar{Frequency: Quarterly, DueDay: 10}, 2021, 0, "2021-Q1", "2021-01-01", "2021-03-31", "2021-04-10", 4},
		{"quarterly Q4 into the next year", Calendar{Frequency: Quarterly}, 2021, 3, "2021-Q4", "2021-10-01", "2021-12-31", "2022-01-05", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := tt.cal.Cycles(tt.year)
			if len(cs) != tt.length {
				t.Fatalf("%d cycles, want %d", len(cs), tt.length)
			}
			c := cs[tt.index]
			if c.Key != tt.key || c.Start.String() != tt.start || c.End.String() != tt.end || c.Due.String() != tt.due {
				t.Errorf("cycle = %s %s..%s due %s, want %s %s..%s due %s", c.Key, c.Start, c.End, c.Due, tt.key, tt.start, tt.end, tt.due)
			}
			back, err := tt.cal.Cycle(c.Key)
			if err != nil || back != c {
				t.Errorf("Cycle(%q) = %+v, %v; want %+v", c.Key, back, err, c)
			}
		})
	}
}

func TestCyclesCoverTheYear(t *testing.T) {
	// Property: regular cycles tile the year without gap or overlap, every
	// day's CycleOf is the cycle that contains it, and nothing is due before
	// its period ends.
	for _, cal := range []Calendar{{}, {Frequency: Quarterly}, {DueDay: 31}} {
		for _, year := range []int{2021, 2024} {
			cs := cal.Cycles(year)
			next := yearStart(year)
			for _, c := range cs {
				if c.Start != next || c.End < c.Start || c.Due <= c.End {
					t.Fatalf("%+v %d: cycle %+v does not follow %s", cal, year, c, next)
				}
				next = c.End + 1
				for day := c.Start; day <= c.End; day++ {
					if got := cal.CycleOf(day); got != c {
						t.Fatalf("CycleOf(%s) = %s, want %s", day, got.Key, c.Key)
					}
				}
			}
			if next != yearEnd(year)+1 {
				t.Fatalf("%+v %d: cycles end at %s", cal, year, next-1)
			}
		}
	}
}

func TestAdHocCycles(t *testing.T) {
	cal := Calendar{Frequency: Quarterly, AdHoc: []Cycle{
		{Key: "年中督查", Start: d("2021-01-01"), End: d("2021-06-15"), Due: d("2021-06-20")},
		{Key: "2020年终", Start: d("2020-01-01"), End: d("2020-12-31"), Due: d("2021-01-10")},
	}}
	if err := cal.Validate(); err != nil {
		t.Fatal(err)
	}
	cs := cal.Cycles(2021)
	var keys []string
	for _, c := range cs {
		keys = append(keys, c.Key)
	}
	want := []string{"2021-Q1", "年中督查", "2021-Q2", "2021-Q3", "2021-Q4"}
	if len(keys) != len(want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Fatalf("keys %v, want %v", keys, want)
		}
	}
	c, err := cal.Cycle("年中督查")
	if err != nil || c.Frequency != AdHoc || c.Due != d("2021-06-20") {
		t.Errorf("Cycle(年中督查) = %+v, %v", c, err)
	}
	if _, err := cal.Cycle("年终督查"); !errors.Is(err, fault.ErrNotFound) {
		t.Errorf("unknown cycle: err %v, want ErrNotFound", err)
	}
	// Keys have one spelling, so a report always matches its obligation.
	for _, key := range []string{"2021-q2", "2021-3", "2021-003", " 2021-03", "2021-00", "2021-Q0"} {
		if _, err := cal.Cycle(key); !errors.Is(err, fault.ErrNotFound) {
			t.Errorf("Cycle(%q): err %v, want ErrNotFound", key, err)
		}
	}
	// A monthly key is understood on a quarterly plan.
	if c, err := cal.Cycle("2021-02"); err != nil || c.Due != d("2021-03-05") {
		t.Errorf("Cycle(2021-02) = %+v, %v", c, err)
	}
}

func TestCalendarValidate(t *testing.T) {
	tests := []struct {
		name  string
		cal   Calendar
		field string
	}{
		{"weekly is not offered", Calendar{Frequency: "weekly"}, "frequency"},
		{"due day 32", Calendar{DueDay: 32}, "due_day"},
		{"unnamed", Calendar{AdHoc: []Cycle{{Start: d("2021-01-01"), End: d("2021-01-02"), Due: d("2021-01-03")}}}, "ad_hoc[0].key"},
		{"regular name", Calendar{AdHoc: []Cycle{{Key: "2021-Q2", Start: d("2021-01-01"), End: d("2021-01-02"), Due: d("2021-01-03")}}}, "ad_hoc[0].key"},
		{"ends before it starts", Calendar{AdHoc: []Cycle{{Key: "x", Start: d("2021-02-01"), End: d("2021-01-02"), Due: d("2021-03-03")}}}, "ad_hoc[0].end"},
		{"due before the end", Calendar{AdHoc: []Cycle{{Key: "x", Start: d("2021-01-01"), End: d("2021-01-31"), Due: d("2021-01-30")}}}, "ad_hoc[0].due"},
		{"no dates", Calendar{AdHoc: []Cycle{{Key: "x"}}}, "ad_hoc[0].dates"},
		{"twice", Calendar{AdHoc: []Cycle{
			{Key: "x", Start: d("2021-01-01"), End: d("2021-01-31"), Due: d("2021-02-01")},
			{Key: "x", Start: d("2021-01-01"), End: d("2021-01-31"), Due: d("2021-02-01")}}}, "ad_hoc[1].key"},
	}
	for _, tt := range tests {
		err := tt.cal.Validate()
		var v fault.Validation
		if !errors.As(err, &v) {
			t.Errorf("%s: err %v, want a validation error", tt.name, err)
			continue
		}
		found := false
		for _, f := range v {
			found = found || f.Field == tt.field
		}
		if !found {
			t.Errorf("%s: fields %v, want %s", tt.name, v, tt.field)
		}
	}
}

func TestLastDue(t *testing.T) {
	tests := []struct {
		cal  Calendar
		asOf string
		want string
	}{
		{Calendar{}, "2021-04-05", "2021-02"}, // March is due today: not yet late
		{Calendar{}, "2021-04-06", "2021-03"},
		{Calendar{}, "2021-01-06", "2020-12"},
		{Calendar{Frequency: Quarterly}, "2021-04-05", "2020-Q4"},
		{Calendar{Frequency: Quarterly}, "2021-04-06", "2021-Q1"},
		{Calendar{DueDay: 31}, "2021-03-01", "2021-01"}, // January due Feb 28
	}
	for _, tt := range tests {
		c, ok := tt.cal.LastDue(d(tt.asOf))
		if !ok || c.Key != tt.want {
			t.Errorf("LastDue(%s) = %s %v, want %s", tt.asOf, c.Key, ok, tt.want)
		}
	}
}

// FuzzCycleKey feeds report periods, which come from forms and imports, to
// Cycle: it must either fail cleanly or return the cycle keyed exactly so.
func FuzzCycleKey(f *testing.F) {
	for _, s := range []string{"2021-03", "2021-Q4", "2021-q2", "2021-13", "2021-Q5", "年中督查", "", "0999-01", "2021-3", "-2021-01"} {
		f.Add(s)
	}
	cal := Calendar{AdHoc: []Cycle{{Key: "年中督查", Start: d("2021-01-01"), End: d("2021-06-15"), Due: d("2021-06-20")}}}
	f.Fuzz(func(t *testing.T, key string) {
		c, err := cal.Cycle(key)
		if err != nil {
			if !errors.Is(err, fault.ErrNotFound) {
				t.Fatalf("Cycle(%q): %v is not ErrNotFound", key, err)
			}
			return
		}
		if c.End < c.Start || c.Due < c.End {
			t.Fatalf("Cycle(%q) = %+v: dates out of order", key, c)
		}
		if c.Key != key {
			t.Fatalf("Cycle(%q) is keyed %q: one cycle, two spellings", key, c.Key)
		}
		again, err := cal.Cycle(c.Key)
		if err != nil || again != c {
			t.Fatalf("Cycle(%q) then Cycle(%q) = %+v, %v", key, c.Key, again, err)
		}
	})
}

func TestDateAgreesWithTime(t *testing.T) {
	// Property: the integer calendar agrees with package time on every day
	// from 1900 to 2200, and on month and day overflow.
	base := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 300*366; i++ {
		tm := base.AddDate(0, 0, i)
		y, m, dd := tm.Date()
		got := NewDate(y, m, dd)
		if want := Date(tm.Unix() / secondsPerDay); got != want {
			t.Fatalf("NewDate(%d-%d-%d) = %d, want %d", y, m, dd, got, want)
		}
		if gy, gm, gd := got.Civil(); gy != y || gm != m || gd != dd {
			t.Fatalf("Civil(%d) = %d-%d-%d, want %d-%d-%d", got, gy, gm, gd, y, m, dd)
		}
		if daysIn(y, m) != time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() {
			t.Fatalf("daysIn(%d, %d) = %d", y, m, daysIn(y, m))
		}
	}
	for _, c := range [][3]int{{2021, 13, 1}, {2021, 0, 1}, {2021, -11, 5}, {2021, 3, 0}, {2021, 2, 31}, {2020, 25, 40}} {
		want := DateOf(time.Date(c[0], time.Month(c[1]), c[2], 0, 0, 0, 0, time.UTC))
		if got := NewDate(c[0], time.Month(c[1]), c[2]); got != want {
			t.Errorf("NewDate%v = %s, want %s", c, got, want)
		}
	}
	// Before 1970 DateOf still floors to the right day.
	if got := DateOf(time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)).String(); got != "1969-12-31" {
		t.Errorf("DateOf before the epoch = %s", got)
	}
}
