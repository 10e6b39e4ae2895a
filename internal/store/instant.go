package store

import (
	"fmt"
	"strings"
	"time"
)

// instant is a nullable moment read from either engine: pgx hands over a
// time.Time, while SQLite keeps TIMESTAMP columns as text, which a query
// can CAST to TEXT and have parsed here. modernc's driver parses such a
// column itself by trying time.Parse with up to eight layouts in turn —
// two attempts per value for the layout duban writes — which was a third
// of reading a plan's 30 000 reports; parseSQLiteTime reads duban's layout
// at fixed offsets and falls back to the driver's layouts for anything else.
type instant struct {
	t     time.Time
	valid bool
}

// Scan implements sql.Scanner.
func (i *instant) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*i = instant{}
		return nil
	case time.Time:
		*i = instant{t: v, valid: true}
		return nil
	case string:
		t, err := parseSQLiteTime(v)
		*i = instant{t: t, valid: err == nil}
		return err
	case []byte:
		t, err := parseSQLiteTime(string(v))
		*i = instant{t: t, valid: err == nil}
		return err
	}
	return fmt.Errorf("store: a moment cannot be read from %T", src)
}

// ptr returns the moment in UTC, or nil for NULL.
func (i instant) ptr() *time.Time {
	if !i.valid {
		return nil
	}
	t := i.t.UTC()
	return &t
}

// sqliteTimeLayouts are the layouts modernc.org/sqlite reads TIMESTAMP
// text in, in its order; the first is the one duban writes (_time_format=sqlite).
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseSQLiteTime reads a moment as SQLite keeps it. A moment without an
// offset, or ending in Z, is UTC, as modernc reads it.
func parseSQLiteTime(s string) (time.Time, error) {
	if t, ok := parseSQLiteTimeFast(s); ok {
		return t, nil
	}
	ts, _ := strings.CutSuffix(s, "Z")
	var first error
	for _, l := range sqliteTimeLayouts {
		t, err := time.Parse(l, ts)
		if err == nil {
			return t, nil
		}
		if first == nil {
			first = err
		}
	}
	return time.Time{}, fmt.Errorf("store: %q is not a moment: %w", s, first)
}

// parseSQLiteTimeFast reads YYYY-MM-DD[ T]HH:MM:SS[.fraction][Z|±HH:MM],
// and reports false for anything else, out-of-range fields included, which
// time.Parse then judges (and names in its error).
func parseSQLiteTimeFast(s string) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(from, to int) int {
		n := 0
		for _, c := range []byte(s[from:to]) {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, sec := num(11, 13), num(14, 16), num(17, 19)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	if day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, false
	}
	rest, nsec := s[19:], 0
	if len(rest) > 0 && rest[0] == '.' {
		digits := 0
		for digits+1 < len(rest) && rest[digits+1] >= '0' && rest[digits+1] <= '9' {
			digits++
		}
		if digits == 0 || digits > 9 {
			return time.Time{}, false
		}
		nsec = num(20, 20+digits)
		for range 9 - digits {
			nsec *= 10
		}
		rest = rest[1+digits:]
	}
	offset := 0
	switch {
	case rest == "" || rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, om := num(len(s)-5, len(s)-3), num(len(s)-2, len(s))
		if oh < 0 || oh > 23 || om < 0 || om > 59 {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}
