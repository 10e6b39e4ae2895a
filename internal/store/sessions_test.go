package store_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// movableClock is a clock a test can move forward.
type movableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *movableClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClock() *movableClock {
	return &movableClock{t: time.Date(2021, 4, 12, 9, 30, 0, 0, time.UTC)}
}

func hashOf(c byte) string { return strings.Repeat(string(c), 64) }

func TestSessionsLifecycle(t *testing.T) {
	clock := newClock()
	storetest.Each(t, clock.Now, func(t *testing.T, s *store.Store) {
		seedOrg(t, s)
		var u org.User
		if err := s.Write(ctx, admin, func(tx *store.Tx) error {
			var err error
			u, err = tx.CreateUser(ctx, org.User{Jurisdiction: "140105", Username: "zhao", Role: org.RoleOffice, PasswordHash: "$argon2id$secret-hash"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		create := func(hash string) store.Session {
			t.Helper()
			var out store.Session
			err := s.Write(ctx, admin, func(tx *store.Tx) error {
				var err error
				out, err = tx.CreateSession(ctx, store.Session{TokenHash: hash, UserID: u.ID, ExpiresAt: clock.Now().Add(12 * time.Hour), Remote: "192.0.2.7", UserAgent: "test"})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		a, b, c := create(hashOf('a')), create(hashOf('b')), create(hashOf('c'))

		got, err := s.SessionByTokenHash(ctx, hashOf('a'))
		if err != nil || got.ID != a.ID || got.UserID != u.ID || got.Revoked() || !got.ExpiresAt.Equal(clock.Now().Add(12*time.Hour)) {
			t.Fatalf("by hash: %+v, %v", got, err)
		}
		if _, err := s.SessionByTokenHash(ctx, hashOf('z')); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("unknown hash: %v, want not found", err)
		}
		// The same hash twice is a conflict, not a second session.
		err = s.Write(ctx, admin, func(tx *store.Tx) error {
			_, err := tx.CreateSession(ctx, store.Session{TokenHash: hashOf('a'), UserID: u.ID, ExpiresAt: clock.Now().Add(time.Hour)})
			return err
		})
		if !errors.Is(err, fault.ErrConflict) {
			t.Fatalf("duplicate hash: %v, want conflict", err)
		}
		// A short hash is refused before the database.
		err = s.Write(ctx, admin, func(tx *store.Tx) error {
			_, err := tx.CreateSession(ctx, store.Session{TokenHash: "raw-token", UserID: u.ID, ExpiresAt: clock.Now().Add(time.Hour)})
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "64 hex digits") {
			t.Fatalf("raw token accepted: %v", err)
		}

		clock.Advance(5 * time.Minute)
		if err := s.Write(ctx, admin, func(tx *store.Tx) error { return tx.TouchSession(ctx, a.ID) }); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Session(ctx, a.ID)
		if !got.LastSeenAt.Equal(clock.Now()) {
			t.Fatalf("last seen %v, want %v", got.LastSeenAt, clock.Now())
		}

		// Revoke one; revoking it again records nothing more.
		for range 2 {
			if err := s.Write(ctx, admin, func(tx *store.Tx) error { return tx.RevokeSession(ctx, b.ID, "signed out") }); err != nil {
				t.Fatal(err)
			}
		}
		got, _ = s.Session(ctx, b.ID)
		if !got.Revoked() || got.RevokeReason != "signed out" || !got.RevokedAt.Equal(clock.Now()) {
			t.Fatalf("revoked session: %+v", got)
		}
		live, err := s.UserSessions(ctx, u.ID, clock.Now())
		if err != nil || len(live) != 2 || live[0].ID != c.ID || live[1].ID != a.ID {
			t.Fatalf("live sessions %+v, %v; want c, a", live, err)
		}
		// All but a: only c is still live among the others.
		var n int
		if err := s.Write(ctx, admin, func(tx *store.Tx) error {
			var err error
			n, err = tx.RevokeUserSessions(ctx, u.ID, a.ID, "password changed")
			return err
		}); err != nil || n != 1 {
			t.Fatalf("revoke others: %d, %v; want 1", n, err)
		}
		live, _ = s.UserSessions(ctx, u.ID, clock.Now())
		if len(live) != 1 || live[0].ID != a.ID {
			t.Fatalf("after revoking the others: %+v", live)
		}

		// The audit log has the story and no secret: neither the token
		// hashes nor the password hash.
		events, err := s.AuditEvents(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range events {
			count[e.Action]++
			for _, secret := range []string{hashOf('a'), hashOf('b'), hashOf('c'), "secret-hash"} {
				if strings.Contains(string(e.Before)+string(e.After)+e.EntityID, secret) {
					t.Errorf("audit event %d (%s) holds a secret %q", e.ID, e.Action, secret[:10])
				}
			}
		}
		if count["session.create"] != 3 || count["session.revoke"] != 1 || count["session.revoke_all"] != 1 {
			t.Errorf("audit actions %v; want 3 session.create, 1 session.revoke, 1 session.revoke_all", count)
		}
		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSignInFailures(t *testing.T) {
	clock := newClock()
	storetest.Each(t, clock.Now, func(t *testing.T, s *store.Store) {
		record := func(a store.SignInAttempt) {
			t.Helper()
			if err := s.Write(ctx, admin, func(tx *store.Tx) error { return tx.RecordSignInAttempt(ctx, a) }); err != nil {
				t.Fatal(err)
			}
		}
		start := clock.Now()
		record(store.SignInAttempt{Username: "qian", Remote: "192.0.2.1", Reason: "password"})
		clock.Advance(time.Minute)
		record(store.SignInAttempt{Username: "qian", Remote: "192.0.2.1", Reason: "password"})
		record(store.SignInAttempt{Username: "qian", Remote: "192.0.2.2", Reason: "locked"}) // refused unheard: not counted
		record(store.SignInAttempt{Username: "sun", Remote: "192.0.2.1", Reason: "unknown"})
		second := clock.Now()

		for _, c := range []struct {
			name  string
			times func() ([]time.Time, error)
			want  []time.Time
		}{
			{"account since start", func() ([]time.Time, error) { return s.SignInFailures(ctx, "qian", start) }, []time.Time{start, second}},
			{"account, window after the first", func() ([]time.Time, error) { return s.SignInFailures(ctx, "qian", start.Add(time.Second)) }, []time.Time{second}},
			{"other account", func() ([]time.Time, error) { return s.SignInFailures(ctx, "sun", start) }, []time.Time{second}},
			{"nobody", func() ([]time.Time, error) { return s.SignInFailures(ctx, "li", start) }, nil},
			{"address", func() ([]time.Time, error) { return s.RemoteSignInFailures(ctx, "192.0.2.1", start) }, []time.Time{start, second, second}},
			{"address with only a locked attempt", func() ([]time.Time, error) { return s.RemoteSignInFailures(ctx, "192.0.2.2", start) }, nil},
		} {
			got, err := c.times()
			if err != nil || !slices.EqualFunc(got, c.want, time.Time.Equal) {
				t.Errorf("%s: failures at %v, err %v; want %v", c.name, got, err, c.want)
			}
		}

		// A success forgives the account's earlier failures, in the same
		// second too, but not the address's.
		record(store.SignInAttempt{Username: "qian", Remote: "192.0.2.1", OK: true})
		if f, _ := s.SignInFailures(ctx, "qian", start); len(f) != 0 {
			t.Errorf("after a success the account has %d failures; want 0", len(f))
		}
		if f, _ := s.RemoteSignInFailures(ctx, "192.0.2.1", start); len(f) != 3 {
			t.Errorf("after a success the address has %d failures; want 3", len(f))
		}
		record(store.SignInAttempt{Username: "qian", Remote: "192.0.2.1", Reason: "password"})
		if f, _ := s.SignInFailures(ctx, "qian", start); len(f) != 1 {
			t.Errorf("a failure after the success: %d; want 1", len(f))
		}

		// Failures are audited (with the name typed), successes are not
		// (their session is).
		events, _ := s.AuditEvents(ctx, 0, 0)
		failed := 0
		for _, e := range events {
			if e.Action == "session.sign_in_failed" {
				failed++
			}
		}
		if failed != 5 {
			t.Errorf("%d session.sign_in_failed events; want 5", failed)
		}

		// Pruning a day later removes the attempts.
		clock.Advance(48 * time.Hour)
		if err := s.Write(ctx, admin, func(tx *store.Tx) error { return tx.PruneSignIns(ctx, clock.Now().Add(-24*time.Hour)) }); err != nil {
			t.Fatal(err)
		}
		if f, _ := s.RemoteSignInFailures(ctx, "192.0.2.1", start); len(f) != 0 {
			t.Errorf("after pruning: %d failures; want 0", len(f))
		}
	})
}

func TestPasswordState(t *testing.T) {
	clock := newClock()
	storetest.Each(t, clock.Now, func(t *testing.T, s *store.Store) {
		seedOrg(t, s)
		var u org.User
		var sess store.Session
		err := s.Write(ctx, admin, func(tx *store.Tx) error {
			var err error
			if u, err = tx.CreateUser(ctx, org.User{Jurisdiction: "140105", Username: "zhou", Role: org.RoleLeader, PasswordHash: "h"}); err != nil {
				return err
			}
			sess, err = tx.CreateSession(ctx, store.Session{TokenHash: hashOf('d'), UserID: u.ID, ExpiresAt: clock.Now().Add(time.Hour), PasswordChangeRequired: true})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := s.PasswordState(ctx, u.ID); err != nil || st.Known {
			t.Fatalf("no record yet: %+v, %v", st, err)
		}
		for _, must := range []bool{true, false} {
			clock.Advance(time.Hour)
			if err := s.Write(ctx, admin, func(tx *store.Tx) error { return tx.SetPasswordChanged(ctx, u.ID, must) }); err != nil {
				t.Fatal(err)
			}
			st, err := s.PasswordState(ctx, u.ID)
			if err != nil || !st.Known || st.MustChange != must || !st.ChangedAt.Equal(clock.Now()) {
				t.Fatalf("after setting must=%v: %+v, %v", must, st, err)
			}
		}
		got, _ := s.Session(ctx, sess.ID)
		if !got.PasswordChangeRequired || got.Method != "password" {
			t.Fatalf("session %+v", got)
		}
		if err := s.Write(ctx, admin, func(tx *store.Tx) error { return tx.ClearPasswordChangeRequired(ctx, sess.ID) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Session(ctx, sess.ID); got.PasswordChangeRequired {
			t.Fatal("the flag stays after clearing")
		}
	})
}
