package main

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCheckRefusesAnythingButLoopback(t *testing.T) {
	ok := config{duration: time.Minute, clients: 200, units: 10}
	for _, addr := range []string{"127.0.0.1:0", "127.0.0.2:8080", "[::1]:0", "localhost:8080"} {
		c := ok
		c.addr = addr
		if err := c.check(); err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
	for _, addr := range []string{"0.0.0.0:0", ":8080", "[::]:0", "10.1.2.3:8080", "192.168.0.10:80", "example.gov.cn:80", "127.0.0.1"} {
		c := ok
		c.addr = addr
		if err := c.check(); err == nil {
			t.Errorf("%s: accepted", addr)
		}
	}
	for _, c := range []config{
		{addr: "127.0.0.1:0", duration: 0, clients: 1, units: 1},
		{addr: "127.0.0.1:0", duration: time.Hour, clients: 1, units: 1},
		{addr: "127.0.0.1:0", duration: time.Second, clients: 0, units: 1},
		{addr: "127.0.0.1:0", duration: time.Second, clients: 1, units: 0},
	} {
		if err := c.check(); err == nil {
			t.Errorf("%+v: accepted", c)
		}
	}
}

func TestSummarize(t *testing.T) {
	var all []sample
	for i := 1; i <= 100; i++ {
		all = append(all, sample{op: opPlanList, dur: time.Duration(i) * time.Millisecond})
	}
	all = append(all, sample{op: opSubmit, dur: 500 * time.Millisecond},
		sample{op: opSubmit, dur: time.Second, err: errors.New("POST /api/v1/reports/9/submit: 409 conflict")})
	r := summarize(all, 2*time.Second, 4, 2)
	if r.Requests != 102 || r.Errors != 1 || r.Submissions != 1 || r.PerSecond != 51 {
		t.Fatalf("%+v", r)
	}
	if r.P50ms != 51 || r.P99ms != 500 {
		t.Fatalf("p50 %v p99 %v", r.P50ms, r.P99ms)
	}
	if len(r.Ops) != 2 || r.Ops[0].Op != opPlanList || r.Ops[0].P50ms != 50 || r.Ops[0].P99ms != 99 || r.Ops[0].Maxms != 100 {
		t.Fatalf("ops %+v", r.Ops)
	}
	if len(r.ErrorSample) != 1 || !strings.Contains(r.ErrorSample[0], "409") {
		t.Fatalf("sample %v", r.ErrorSample)
	}
}
