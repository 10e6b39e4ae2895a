package store

import (
	"testing"
	"time"
)

func TestParseSQLiteTime(t *testing.T) {
	utc := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, tc := range []struct {
		in   string
		want time.Time // zero: an error
	}{
		{"2025-11-20 00:00:00+00:00", utc("2025-11-20T00:00:00Z")},
		{"2021-04-12 09:30:00.123456+00:00", utc("2021-04-12T09:30:00.123456Z")},
		{"2021-04-12 17:30:00.5+08:00", utc("2021-04-12T09:30:00.5Z")},
		{"2021-04-12 01:30:00-08:00", utc("2021-04-12T09:30:00Z")},
		{"2021-04-12T09:30:00.123456789Z", utc("2021-04-12T09:30:00.123456789Z")},
		{"2021-04-12 09:30:00", utc("2021-04-12T09:30:00Z")},
		{"2024-02-29 09:30:00", utc("2024-02-29T09:30:00Z")},
		{"2021-04-12 09:30", utc("2021-04-12T09:30:00Z")}, // only the slow layouts read these
		{"2021-04-12", utc("2021-04-12T00:00:00Z")},
		{"2023-02-29 09:30:00", time.Time{}},
		{"2021-13-12 09:30:00", time.Time{}},
		{"2021-04-12 24:00:00", time.Time{}},
		{"2021-04-12 09:30:00.", time.Time{}},
		{"2021-04-12 09:30:00+0800", time.Time{}},
		{"yesterday", time.Time{}},
		{"", time.Time{}},
	} {
		got, err := parseSQLiteTime(tc.in)
		if tc.want.IsZero() {
			if err == nil {
				t.Errorf("%q: %v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%q: %v %v, want %v", tc.in, got, err, tc.want)
		}
	}
}

// FuzzParseSQLiteTime checks the fixed-offset reader against time.Parse
// with the driver's layouts: whatever the fast path accepts, the layouts
// accept as the same moment.
func FuzzParseSQLiteTime(f *testing.F) {
	for _, s := range []string{"2025-11-20 00:00:00+00:00", "2021-04-12 09:30:00.123456+08:00", "2021-04-12T09:30:00Z",
		"2021-04-12 09:30:00", "2023-02-29 09:30:00", "2021-04-12 09:30:00.1234567891-01:30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, ok := parseSQLiteTimeFast(s)
		if !ok {
			return
		}
		var slow time.Time
		var err error
		ts := s
		if len(ts) > 0 && ts[len(ts)-1] == 'Z' {
			ts = ts[:len(ts)-1]
		}
		for _, l := range sqliteTimeLayouts {
			if slow, err = time.Parse(l, ts); err == nil {
				break
			}
		}
		if err != nil || !slow.Equal(fast) {
			t.Fatalf("%q: fast %v, time.Parse %v %v", s, fast, slow, err)
		}
	})
}
