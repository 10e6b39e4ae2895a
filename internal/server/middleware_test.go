package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestClientAddress(t *testing.T) {
	trusted, err := ParseProxies("10.0.0.0/8, 192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, peer, xff, want string
	}{
		{"direct client, no header", "198.51.100.7:5000", "", "198.51.100.7:5000"},
		{"direct client forging the header", "198.51.100.7:5000", "203.0.113.9", "198.51.100.7:5000"},
		{"through the balancer", "10.1.2.3:4000", "203.0.113.9", "203.0.113.9:0"},
		{"through two proxies", "10.1.2.3:4000", "203.0.113.9, 192.0.2.1", "203.0.113.9:0"},
		{"client forging left of the proxy's entry", "10.1.2.3:4000", "1.2.3.4, 203.0.113.9", "203.0.113.9:0"},
		{"header in two lines", "192.0.2.1:80", "203.0.113.9\n10.9.9.9", "203.0.113.9:0"},
		{"garbage stops the walk", "10.1.2.3:4000", "203.0.113.9, not-an-address", "10.1.2.3:4000"},
		{"only proxies", "10.1.2.3:4000", "10.4.4.4", "10.4.4.4:0"},
		{"IPv6 client", "10.1.2.3:4000", "2001:db8::7", "[2001:db8::7]:0"},
	} {
		var got string
		h := clientAddress(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = c.peer
		for _, v := range strings.Split(c.xff, "\n") {
			if v != "" {
				req.Header.Add("X-Forwarded-For", v)
			}
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got != c.want {
			t.Errorf("%s: client %q; want %q", c.name, got, c.want)
		}
	}
	if _, err := ParseProxies("10.0.0.0/8, balancer.local"); err == nil || !strings.Contains(err.Error(), "balancer.local") {
		t.Errorf("a host name is taken for a proxy address: %v", err)
	}
	if p, err := ParseProxies(""); err != nil || len(p) != 0 {
		t.Errorf("empty list: %v %v", p, err)
	}
}

func TestLimitBodies(t *testing.T) {
	var read int
	var readErr error
	var ran bool
	h := limitBodies(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		read, readErr, ran = len(b), err, true
	}))
	for _, c := range []struct {
		name        string
		contentType string
		size        int
		declared    bool
		status      int
		readOK      bool // the handler ran and read the whole body
	}{
		{"small JSON", "application/json", 1000, true, 200, true},
		{"JSON over 1 MiB, declared", "application/json", maxBody + 1, true, 413, false},
		{"JSON over 1 MiB, undeclared", "application/json", maxBody + 1, false, 200, false},
		{"upload of 5 MiB", "multipart/form-data; boundary=x", 5 << 20, true, 200, true},
	} {
		read, readErr, ran = 0, nil, false
		req := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("a", c.size)))
		req.Header.Set("Content-Type", c.contentType)
		if !c.declared {
			req.ContentLength = -1
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.status || (ran && readErr == nil) != c.readOK {
			t.Errorf("%s: status %d, read %d bytes, err %v", c.name, rec.Code, read, readErr)
		}
		if rec.Code == 413 {
			var body map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["code"] != "too_large" || body["error"] == "" {
				t.Errorf("%s: answer %q is not the API's error shape", c.name, rec.Body)
			}
		}
	}
}
