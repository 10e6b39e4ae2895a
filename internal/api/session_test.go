package api_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/server"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// errorOf decodes an error answer.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder) (msg, code string, fields []string) {
	t.Helper()
	var body struct {
		Error  string `json:"error"`
		Code   string `json:"code"`
		Fields []struct {
			Field string `json:"field"`
			Code  string `json:"code"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error answer %d is not JSON: %q", rec.Code, rec.Body)
	}
	for _, f := range body.Fields {
		fields = append(fields, f.Field+":"+f.Code)
	}
	return body.Error, body.Code, fields
}

// counts is what a refused request must leave unchanged.
type counts struct{ audit, plans, sessions int }

func (w *world) counts() counts {
	w.t.Helper()
	events, err := w.s.AuditEvents(ctx, 0, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	plans, err := w.s.Plans(ctx, store.PlanFilter{})
	if err != nil {
		w.t.Fatal(err)
	}
	n := 0
	for _, u := range w.users {
		live, err := w.s.UserSessions(ctx, u.ID, w.clock.Now())
		if err != nil {
			w.t.Fatal(err)
		}
		n += len(live)
	}
	return counts{len(events), len(plans), n}
}

func TestSignInAndOut(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		rec := w.do(request{method: "POST", path: "/api/v1/session", body: credentialsJSON("reporter", password)})
		if rec.Code != http.StatusOK {
			t.Fatalf("sign in: %d %s", rec.Code, rec.Body)
		}
		if b := rec.Body.String(); strings.Contains(b, "argon2") || strings.Contains(b, password) || strings.Contains(b, "password_hash") {
			t.Fatalf("the sign-in answer shows a password or hash: %s", rec.Body)
		}
		var cookie *http.Cookie
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == auth.CookieName {
				cookie = ck
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || cookie.Secure {
			t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", cookie)
		}
		if want := int((12 * time.Hour).Seconds()); cookie.MaxAge != want {
			t.Errorf("cookie Max-Age %d; want %d (the absolute lifetime)", cookie.MaxAge, want)
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("sign-in answer may be cached: %q", rec.Header().Get("Cache-Control"))
		}
		sess := sessionOf(t, rec)

		// The store has the token's hash, never the token.
		stored, err := s.SessionByTokenHash(ctx, auth.HashToken(sess.token))
		if err != nil || stored.UserID != w.users["reporter"].ID || stored.Remote != "192.0.2.1" || stored.Method != "password" {
			t.Fatalf("stored session %+v, %v", stored, err)
		}
		if _, err := s.SessionByTokenHash(ctx, sess.token); err == nil {
			t.Fatal("the raw token finds a session: it must be stored hashed")
		}

		rec = w.do(request{method: "GET", path: "/api/v1/session", as: sess})
		var me struct {
			User struct {
				Username string `json:"username"`
				Role     string `json:"role"`
			} `json:"user"`
			CSRF string `json:"csrf_token"`
		}
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &me) != nil || me.User.Username != "reporter" ||
			me.User.Role != "reporter" || me.CSRF != sess.csrf {
			t.Fatalf("who am I: %d %s", rec.Code, rec.Body)
		}

		rec = w.do(request{method: "DELETE", path: "/api/v1/session", as: sess})
		if rec.Code != http.StatusNoContent {
			t.Fatalf("sign out: %d %s", rec.Code, rec.Body)
		}
		if ck := rec.Result().Cookies(); len(ck) != 1 || ck[0].Name != auth.CookieName || ck[0].MaxAge >= 0 {
			t.Errorf("sign-out does not clear the cookie: %v", rec.Result().Header["Set-Cookie"])
		}
		// The old cookie is worthless now: the server ended the session.
		rec = w.do(request{method: "GET", path: "/api/v1/session", as: sess})
		msg, code, _ := errorOf(t, rec)
		if rec.Code != http.StatusUnauthorized || code != "unauthenticated" || !strings.Contains(msg, "ended") {
			t.Fatalf("after sign-out: %d %q %q; want 401 saying the session was ended", rec.Code, code, msg)
		}

		// The log has the sign-in and the sign-out, and no secret.
		events, _ := s.AuditEvents(ctx, 0, 0)
		actions := map[string]int{}
		for _, e := range events {
			actions[e.Action]++
			text := string(e.Before) + string(e.After) + e.EntityID + e.Actor.Name
			for _, secret := range []string{sess.token, sess.csrf, auth.HashToken(sess.token), "$argon2id$", password} {
				if strings.Contains(text, secret) {
					t.Errorf("audit event %d (%s) holds a secret", e.ID, e.Action)
				}
			}
		}
		if actions["session.create"] != 1 || actions["session.revoke"] != 1 {
			t.Errorf("audit actions %v; want a session.create and a session.revoke", actions)
		}
	})
}

func TestSecureCookie(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		behindProxy := server.Handler(server.Config{Log: slog.New(slog.DiscardHandler), Now: c.Now,
			Sessions: auth.SessionPolicy{SecureCookies: true}}, s)
		for _, tc := range []struct {
			name string
			h    http.Handler
			url  string
		}{
			{"TLS request", w.h, "https://duban.example/api/v1/session"},
			{"behind a TLS proxy (--secure-cookies)", behindProxy, "/api/v1/session"},
		} {
			req := httptest.NewRequest("POST", tc.url, strings.NewReader(credentialsJSON("office", password)))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			tc.h.ServeHTTP(rec, req)
			ck := rec.Result().Cookies()
			if rec.Code != http.StatusOK || len(ck) != 1 || !ck[0].Secure || !ck[0].HttpOnly {
				t.Errorf("%s: %d, cookies %v; want one Secure HttpOnly cookie", tc.name, rec.Code, rec.Result().Header["Set-Cookie"])
			}
		}
	})
}

// TestSignInRefusalsAreAlike: a wrong password, an unknown user and a
// disabled account get the same status and the same words.
func TestSignInRefusalsAreAlike(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		if _, err := w.accounts.SetDisabled(ctx, admin, "gone", true); err != nil {
			t.Fatal(err)
		}
		before := w.counts()
		var first string
		for i, body := range []string{
			credentialsJSON("office", "Wrong-password-1"),
			credentialsJSON("nobody.here", password),
			credentialsJSON("gone", password),
		} {
			rec := w.do(request{method: "POST", path: "/api/v1/session", body: body})
			if rec.Code != http.StatusUnauthorized || len(rec.Result().Cookies()) != 0 {
				t.Fatalf("case %d: %d %s, cookies %v; want 401 without a cookie", i, rec.Code, rec.Body, rec.Result().Cookies())
			}
			if i == 0 {
				first = rec.Body.String()
			} else if rec.Body.String() != first {
				t.Errorf("case %d answers %q, case 0 %q: the answer tells accounts apart", i, rec.Body, first)
			}
		}
		if !strings.Contains(first, "wrong user name or password") {
			t.Errorf("refusal %q is not clear", first)
		}
		after := w.counts()
		if after.sessions != before.sessions || after.audit != before.audit+3 {
			t.Errorf("counts %+v → %+v; want no session and three sign_in_failed events", before, after)
		}
		// A name that is no account's stays out of the audit log: it may
		// be a password typed into the wrong field.
		events, _ := s.AuditEvents(ctx, 0, 0)
		for _, e := range events {
			if strings.Contains(string(e.After)+e.EntityID+e.Actor.Name, "nobody.here") {
				t.Errorf("audit event %d (%s) keeps the unknown name typed", e.ID, e.Action)
			}
		}
	})
}

func TestSignInBadBodies(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		before := w.counts()
		for _, tc := range []struct {
			body   string
			status int
			field  string
		}{
			{"", 400, "body:json"},
			{"not json", 400, "body:json"},
			{`{"username":"office"}`, 400, "password:required"},
			{`{"password":"x"}`, 400, "username:required"},
			{`{"username":"office","password":"x","role":"office"}`, 400, "body:json"},
			{`{"username":"office","password":"x"} {}`, 400, "body:json"},
			{`{"username":"` + strings.Repeat("a", 65) + `","password":"x"}`, 400, "username:required"},
			{`{"username":"office","password":"` + strings.Repeat("a", 257) + `"}`, 400, "password:password.long"},
			{`{"username":"office","password":"` + strings.Repeat("a", 5000) + `"}`, 413, ""},
		} {
			rec := w.do(request{method: "POST", path: "/api/v1/session", body: tc.body})
			_, _, fields := errorOf(t, rec)
			if rec.Code != tc.status || (tc.field != "" && (len(fields) == 0 || fields[0] != tc.field)) {
				t.Errorf("body %.40q: %d %v; want %d %s", tc.body, rec.Code, fields, tc.status, tc.field)
			}
		}
		// A body over the server-wide limit is refused before any handler.
		rec := w.do(request{method: "POST", path: "/api/v1/session", body: strings.Repeat("x", 2<<20)})
		if _, code, _ := errorOf(t, rec); rec.Code != http.StatusRequestEntityTooLarge || code != "too_large" {
			t.Errorf("2 MiB body: %d %s", rec.Code, code)
		}
		if after := w.counts(); after != before {
			t.Errorf("bad bodies changed something: %+v → %+v", before, after)
		}
	})
}

func TestLockout(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		signIn := func(user, pw, remote string) *httptest.ResponseRecorder {
			return w.do(request{method: "POST", path: "/api/v1/session", body: credentialsJSON(user, pw), remote: remote})
		}
		// Five wrong passwords, each refused as usual …
		for i := range 5 {
			if rec := signIn("leader", "Wrong-password-"+strconv.Itoa(i), "192.0.2.10"); rec.Code != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, rec.Code)
			}
			c.Advance(time.Minute)
		}
		// … then even the right password waits, from any address.
		rec := signIn("leader", password, "198.51.100.7")
		msg, code, _ := errorOf(t, rec)
		if rec.Code != http.StatusTooManyRequests || code != "rate_limited" || !strings.Contains(msg, "for this account") {
			t.Fatalf("after 5 failures: %d %s %q; want 429 for the account", rec.Code, code, msg)
		}
		// The last failure was 1 minute ago; the lock lasts 15 minutes after it.
		if ra := rec.Header().Get("Retry-After"); ra != "840" || !strings.Contains(msg, "try again in 14 minute(s)") {
			t.Errorf("Retry-After %q, message %q; want 840 and 14 minutes", ra, msg)
		}
		// Another account from the same address is not affected.
		if rec := signIn("viewer", password, "192.0.2.10"); rec.Code != http.StatusOK {
			t.Fatalf("another account during the lock: %d", rec.Code)
		}
		// An account that does not exist locks the same way: the lock says
		// nothing about which names exist.
		for range 5 {
			signIn("no.such.user", "Wrong-password-1", "192.0.2.11")
		}
		if rec := signIn("no.such.user", "Wrong-password-1", "192.0.2.11"); rec.Code != http.StatusTooManyRequests {
			t.Errorf("unknown account after 5 failures: %d; want 429 like a real one", rec.Code)
		}
		// Knocking during the lock does not extend it.
		c.Advance(13 * time.Minute)
		if rec := signIn("leader", password, "192.0.2.10"); rec.Code != http.StatusTooManyRequests {
			t.Fatalf("13 minutes into the lock: %d", rec.Code)
		}
		c.Advance(time.Minute)
		if rec := signIn("leader", password, "192.0.2.10"); rec.Code != http.StatusOK {
			t.Fatalf("after the lock: %d %s", rec.Code, rec.Body)
		}
		// A success forgives: one more failure does not lock again.
		signIn("leader", "Wrong-password-9", "192.0.2.10")
		if rec := signIn("leader", password, "192.0.2.10"); rec.Code != http.StatusOK {
			t.Fatalf("one failure after a success: %d", rec.Code)
		}
	})
}

func TestRemoteRateLimit(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{MaxRemoteFailures: 3})
		for _, user := range []string{"a.one", "b.two", "c.three"} {
			w.do(request{method: "POST", path: "/api/v1/session", body: credentialsJSON(user, "Wrong-password-1"), remote: "203.0.113.5"})
		}
		rec := w.do(request{method: "POST", path: "/api/v1/session", body: credentialsJSON("office", password), remote: "203.0.113.5"})
		if msg, _, _ := errorOf(t, rec); rec.Code != http.StatusTooManyRequests || !strings.Contains(msg, "from this address") {
			t.Fatalf("fourth try from a guessing address: %d %q; want 429 for the address", rec.Code, msg)
		}
		if rec := w.do(request{method: "POST", path: "/api/v1/session", body: credentialsJSON("office", password), remote: "203.0.113.6"}); rec.Code != http.StatusOK {
			t.Fatalf("another address: %d", rec.Code)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		me := func(sess *session) (int, string) {
			rec := w.do(request{method: "GET", path: "/api/v1/session", as: sess})
			if rec.Code == http.StatusOK {
				return rec.Code, ""
			}
			msg, _, _ := errorOf(t, rec)
			return rec.Code, msg
		}
		// Idle: 29 minutes apart is fine, 30 is not.
		idle := w.signIn("office")
		c.Advance(29 * time.Minute)
		if code, msg := me(idle); code != http.StatusOK {
			t.Fatalf("after 29 idle minutes: %d %s", code, msg)
		}
		c.Advance(30 * time.Minute)
		if code, msg := me(idle); code != http.StatusUnauthorized || !strings.Contains(msg, "expired") {
			t.Fatalf("after 30 idle minutes: %d %q; want 401 saying it expired", code, msg)
		}
		// Absolute: used every 20 minutes, it still ends after 12 hours.
		busy := w.signIn("leader")
		start := c.Now()
		for c.Now().Sub(start) < 12*time.Hour-20*time.Minute {
			c.Advance(20 * time.Minute)
			if code, msg := me(busy); code != http.StatusOK {
				t.Fatalf("%v into a busy session: %d %s", c.Now().Sub(start), code, msg)
			}
		}
		c.Advance(20 * time.Minute)
		if code, msg := me(busy); code != http.StatusUnauthorized || !strings.Contains(msg, "expired") {
			t.Fatalf("after 12 hours: %d %q; want 401 saying it expired", code, msg)
		}
		// An expired cookie is cleared, and a change with it does nothing.
		before := w.counts()
		rec := w.do(request{method: "POST", path: "/api/v1/units", body: `{"name":"新单位"}`, as: busy})
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("change with an expired session: %d", rec.Code)
		}
		if ck := rec.Result().Cookies(); len(ck) != 1 || ck[0].MaxAge >= 0 {
			t.Errorf("expired cookie not cleared: %v", rec.Result().Header["Set-Cookie"])
		}
		if after := w.counts(); after.audit != before.audit {
			t.Errorf("an expired session changed something: %+v → %+v", before, after)
		}
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		laptop, phone := w.signIn("head"), w.signIn("head")
		const next = "Lantern-river-42"
		before := w.counts()
		for _, tc := range []struct {
			body   string
			fields string
		}{
			{`{"old_password":"Not-my-password-1","new_password":"` + next + `"}`, "old_password:password.wrong"},
			{`{"old_password":"` + password + `","new_password":"short"}`, "new_password:password.short new_password:password.classes"},
			{`{"old_password":"` + password + `","new_password":"P@ssw0rd2024"}`, "new_password:password.common"},
			{`{"old_password":"` + password + `","new_password":"` + password + `"}`, "new_password:password.same"},
			{`{"old_password":"` + password + `"}`, "new_password:required"},
		} {
			rec := w.do(request{method: "PUT", path: "/api/v1/session/password", body: tc.body, as: laptop})
			_, _, fields := errorOf(t, rec)
			if rec.Code != http.StatusBadRequest || strings.Join(fields, " ") != tc.fields {
				t.Errorf("%s: %d %v; want 400 %s", tc.body, rec.Code, fields, tc.fields)
			}
		}
		// Nothing changed but one failed attempt (the wrong current password).
		if after := w.counts(); after.sessions != before.sessions || after.audit != before.audit+1 {
			t.Errorf("refused changes: %+v → %+v", before, after)
		}
		rec := w.do(request{method: "PUT", path: "/api/v1/session/password", body: `{"old_password":"` + password + `","new_password":"` + next + `"}`, as: laptop})
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"ended_sessions":1`) {
			t.Fatalf("change: %d %s", rec.Code, rec.Body)
		}
		if rec := w.do(request{method: "GET", path: "/api/v1/session", as: laptop}); rec.Code != http.StatusOK {
			t.Errorf("the session that changed the password: %d; want it kept", rec.Code)
		}
		if rec := w.do(request{method: "GET", path: "/api/v1/session", as: phone}); rec.Code != http.StatusUnauthorized {
			t.Errorf("the other session: %d; want 401", rec.Code)
		}
		if rec := w.do(request{method: "POST", path: "/api/v1/session", body: credentialsJSON("head", password)}); rec.Code != http.StatusUnauthorized {
			t.Errorf("old password still signs in: %d", rec.Code)
		}
		if rec := w.do(request{method: "POST", path: "/api/v1/session", body: credentialsJSON("head", next)}); rec.Code != http.StatusOK {
			t.Errorf("new password: %d", rec.Code)
		}
	})
}

func TestDisablingEndsSessions(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		a, b := w.signIn("reporter"), w.signIn("reporter")
		n, err := w.accounts.SetDisabled(ctx, admin, "reporter", true)
		if err != nil || n != 2 {
			t.Fatalf("disable: %d sessions ended, %v; want 2", n, err)
		}
		for _, sess := range []*session{a, b} {
			rec := w.do(request{method: "GET", path: "/api/v1/session", as: sess})
			if msg, _, _ := errorOf(t, rec); rec.Code != http.StatusUnauthorized || !strings.Contains(msg, "ended") {
				t.Errorf("session of a disabled account: %d %q", rec.Code, msg)
			}
		}
		if rec := w.do(request{method: "POST", path: "/api/v1/session", body: credentialsJSON("reporter", password)}); rec.Code != http.StatusUnauthorized {
			t.Errorf("a disabled account signs in: %d", rec.Code)
		}
		if _, err := w.accounts.SetDisabled(ctx, admin, "reporter", false); err != nil {
			t.Fatal(err)
		}
		if rec := w.do(request{method: "GET", path: "/api/v1/session", as: a}); rec.Code != http.StatusUnauthorized {
			t.Errorf("enabling revived an ended session: %d", rec.Code)
		}
		w.signIn("reporter")
	})
}

// TestCSRF: a state-changing request made with the session cookie needs
// the session's own token and a same-origin browser context; refused, it
// changes nothing.
func TestCSRF(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		off, other := w.signIn("office"), w.signIn("leader")
		unit := `{"name":"小店区新设单位","short_name":"新单位"}`
		before := w.counts()
		for _, tc := range []struct {
			name string
			req  request
			says string
		}{
			{"no token", request{method: "POST", path: "/api/v1/units", body: unit, as: off, noCSRF: true}, "missing"},
			{"another session's token", request{method: "POST", path: "/api/v1/units", body: unit, as: off,
				header: map[string]string{auth.CSRFHeader: other.csrf}}, "does not match"},
			{"the session token itself", request{method: "POST", path: "/api/v1/units", body: unit, as: off,
				header: map[string]string{auth.CSRFHeader: off.token}}, "does not match"},
			{"sign-out without a token", request{method: "DELETE", path: "/api/v1/session", as: off, noCSRF: true}, "missing"},
			{"cross-site browser request", request{method: "POST", path: "/api/v1/units", body: unit, as: off,
				header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, "cross-origin"},
			{"foreign Origin", request{method: "POST", path: "/api/v1/units", body: unit, as: off,
				header: map[string]string{"Origin": "https://evil.example"}}, "cross-origin"},
			{"cross-site sign-in", request{method: "POST", path: "/api/v1/session", body: credentialsJSON("office", password),
				header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, "cross-origin"},
		} {
			rec := w.do(tc.req)
			msg, code, _ := errorOf(t, rec)
			if rec.Code != http.StatusForbidden || code != "forbidden" || !strings.Contains(msg, tc.says) {
				t.Errorf("%s: %d %s %q; want 403 saying %q", tc.name, rec.Code, code, msg, tc.says)
			}
		}
		if after := w.counts(); after != before {
			t.Errorf("refused requests changed something: %+v → %+v", before, after)
		}
		// Reads need no token; the right token lets the change through.
		if rec := w.do(request{method: "GET", path: "/api/v1/units", as: off, noCSRF: true}); rec.Code != http.StatusOK {
			t.Errorf("read without token: %d", rec.Code)
		}
		if rec := w.do(request{method: "POST", path: "/api/v1/units", body: unit, as: off,
			header: map[string]string{"Sec-Fetch-Site": "same-origin"}}); rec.Code != http.StatusCreated && rec.Code != http.StatusOK {
			t.Errorf("same-origin change with the token: %d %s", rec.Code, rec.Body)
		}
	})
}

// TestPasswordMustChange: a password an administrator set, or one older
// than 90 days, confines the session to changing it.
func TestPasswordMustChange(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		const first, second = "Given-by-office-7", "Chosen-by-me-42"
		u, err := w.accounts.CreateUser(ctx, admin, org.User{Jurisdiction: "140105", Username: "new.office", Role: org.RoleOffice}, first)
		if err != nil {
			t.Fatal(err)
		}
		w.users[u.Username] = u
		signIn := func(pw string) (*session, bool) {
			t.Helper()
			rec := w.do(request{method: "POST", path: "/api/v1/session", body: credentialsJSON("new.office", pw)})
			var body struct {
				Required bool `json:"password_change_required"`
			}
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
				t.Fatalf("sign in: %d %s", rec.Code, rec.Body)
			}
			return sessionOf(t, rec), body.Required
		}
		sess, required := signIn(first)
		if !required {
			t.Fatal("an administrator's password does not have to be changed")
		}
		before := w.counts()
		for _, r := range []request{
			{method: "GET", path: "/api/v1/plans", as: sess},
			{method: "POST", path: "/api/v1/units", body: `{"name":"某单位"}`, as: sess},
		} {
			rec := w.do(r)
			if msg, _, _ := errorOf(t, rec); rec.Code != http.StatusForbidden || !strings.Contains(msg, "change your password first") {
				t.Errorf("%s %s before the change: %d %q", r.method, r.path, rec.Code, msg)
			}
		}
		if after := w.counts(); after != before {
			t.Errorf("a confined session changed something: %+v → %+v", before, after)
		}
		if rec := w.do(request{method: "GET", path: "/api/v1/session", as: sess}); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"password_change_required":true`) {
			t.Errorf("who am I while confined: %d %s", rec.Code, rec.Body)
		}
		rec := w.do(request{method: "PUT", path: "/api/v1/session/password", body: `{"old_password":"` + first + `","new_password":"` + second + `"}`, as: sess})
		if rec.Code != http.StatusOK {
			t.Fatalf("change: %d %s", rec.Code, rec.Body)
		}
		if rec := w.do(request{method: "GET", path: "/api/v1/plans", as: sess}); rec.Code != http.StatusOK {
			t.Errorf("after the change, same session: %d %s", rec.Code, rec.Body)
		}
		if _, required := signIn(second); required {
			t.Error("a password the owner chose must not have to be changed")
		}
		// 90 days on, it has to be changed again.
		c.Advance(90 * 24 * time.Hour)
		if _, required := signIn(second); !required {
			t.Error("a 90-day-old password does not have to be changed")
		}
		// An administrator's reset (duban user passwd) forces a change too.
		if _, err := w.accounts.SetPassword(ctx, admin, "new.office", first); err != nil {
			t.Fatal(err)
		}
		if _, required := signIn(first); !required {
			t.Error("a reset password does not have to be changed")
		}
	})
}

// TestConcurrentSignIns: sign-ins at once all succeed (the argon2 queue
// and the store's writers take turns) and the audit chain stays whole.
func TestConcurrentSignIns(t *testing.T) {
	c := newClock()
	storetest.Each(t, c.Now, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, c, auth.SessionPolicy{})
		const n = 8
		codes := make(chan int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := httptest.NewRequest("POST", "/api/v1/session", strings.NewReader(credentialsJSON("leader", password)))
				req.RemoteAddr = "192.0.2." + strconv.Itoa(i+1) + ":5000"
				rec := httptest.NewRecorder()
				w.h.ServeHTTP(rec, req)
				codes <- rec.Code
			}()
		}
		wg.Wait()
		close(codes)
		for code := range codes {
			if code != http.StatusOK {
				t.Errorf("concurrent sign-in: %d", code)
			}
		}
		live, err := s.UserSessions(ctx, w.users["leader"].ID, c.Now())
		if err != nil || len(live) != n {
			t.Errorf("%d live sessions, %v; want %d", len(live), err, n)
		}
		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Errorf("audit chain after concurrent sign-ins: %v", err)
		}
	})
}
