package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/store"
)

// SessionPolicy holds the numbers of sign-in and sessions. The defaults
// follow the usual reading of 等保 2.0 level 3: sessions end after 30 idle
// minutes and after 12 hours in any case; five failed sign-ins within 15
// minutes lock the account for 15 minutes.
type SessionPolicy struct {
	Idle     time.Duration // a session unused this long has ended
	Absolute time.Duration // a session this old has ended, used or not

	MaxFailures   int           // failed sign-ins of one account that lock it …
	FailureWindow time.Duration // … when they fall within this window …
	Lockout       time.Duration // … for this long after the last of them

	// MaxRemoteFailures failed sign-ins from one client address within
	// FailureWindow (for any accounts) make it wait Lockout. Set it well above
	// MaxFailures: an office behind one NAT address shares it.
	MaxRemoteFailures int

	// PasswordMaxAge is how long a password may be used before its owner
	// must change it at the next sign-in (等保 asks for periodic change);
	// negative: never.
	PasswordMaxAge time.Duration

	// SecureCookies marks the session cookie Secure even on plain HTTP
	// requests, for servers behind a proxy that ends TLS. Requests that
	// arrive over TLS always get Secure.
	SecureCookies bool
}

// DefaultSessionPolicy returns the defaults described at SessionPolicy;
// passwords last 90 days.
func DefaultSessionPolicy() SessionPolicy {
	return SessionPolicy{
		Idle: 30 * time.Minute, Absolute: 12 * time.Hour,
		MaxFailures: 5, FailureWindow: 15 * time.Minute, Lockout: 15 * time.Minute,
		MaxRemoteFailures: 50, PasswordMaxAge: 90 * 24 * time.Hour,
	}
}

// withDefaults fills zero fields from DefaultSessionPolicy.
func (p SessionPolicy) withDefaults() SessionPolicy {
	d := DefaultSessionPolicy()
	if p.Idle <= 0 {
		p.Idle = d.Idle
	}
	if p.Absolute <= 0 {
		p.Absolute = d.Absolute
	}
	if p.MaxFailures <= 0 {
		p.MaxFailures = d.MaxFailures
	}
	if p.FailureWindow <= 0 {
		p.FailureWindow = d.FailureWindow
	}
	if p.Lockout <= 0 {
		p.Lockout = d.Lockout
	}
	if p.MaxRemoteFailures <= 0 {
		p.MaxRemoteFailures = d.MaxRemoteFailures
	}
	if p.PasswordMaxAge == 0 {
		p.PasswordMaxAge = d.PasswordMaxAge
	}
	return p
}

// CookieName is the session cookie's name.
const CookieName = "duban_session"

// CSRFHeader is the header that carries the session's CSRF token on every
// state-changing request made with the session cookie.
const CSRFHeader = "X-CSRF-Token"

// Errors of sign-in and session lookup. The API answers all of
// ErrBadCredentials' causes alike (unknown user, wrong password, disabled
// account) so an answer never tells whether an account exists.
var (
	ErrBadCredentials = errors.New("wrong user name or password")
	ErrNoSession      = errors.New("not signed in")
	ErrSessionExpired = errors.New("the session has expired: sign in again")
	ErrSessionEnded   = errors.New("the session was ended (signed out, password changed or account disabled): sign in again")
)

// LockedError says sign-in is refused for a while: too many failures for
// the account (Account true) or from the client address.
type LockedError struct {
	Until   time.Time
	Wait    time.Duration // from the refusal to Until
	Account bool
}

// Error says why and for how long sign-in is refused.
func (e *LockedError) Error() string {
	who := "from this address"
	if e.Account {
		who = "for this account"
	}
	minutes := int((e.Wait + time.Minute - 1) / time.Minute)
	return fmt.Sprintf("too many failed sign-ins %s: try again in %d minute(s), after %s UTC", who, max(minutes, 1), e.Until.UTC().Format("15:04"))
}

// Accounts signs people in and out, finds the session of a request, and
// changes passwords and accounts: the account rules in one place, over the
// store. Every change goes through store.Write, so it is audited.
type Accounts struct {
	store  *store.Store
	policy SessionPolicy

	hashing chan struct{} // one token per argon2 computation under way

	dummyOnce sync.Once
	dummy     string
}

// NewAccounts makes the account service over s with policy p (zero fields
// take the defaults).
func NewAccounts(s *store.Store, p SessionPolicy) *Accounts {
	return &Accounts{store: s, policy: p.withDefaults(), hashing: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

// checkPassword is CheckPassword with at most cap(a.hashing) hashes at a
// time: each takes 64 MiB, and a flood of sign-ins must queue rather than
// run the server out of memory.
func (a *Accounts) checkPassword(ctx context.Context, hash, password string) error {
	select {
	case a.hashing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-a.hashing }()
	return CheckPassword(hash, password)
}

// Policy returns the policy in force.
func (a *Accounts) Policy() SessionPolicy { return a.policy }

// Client is where a request comes from, for the attempt log and sessions.
type Client struct {
	Remote    string // address without port
	UserAgent string
}

// SignedIn is a new session: the token goes into the cookie and is never
// stored; CSRF goes to the client for its X-CSRF-Token header.
type SignedIn struct {
	User    org.User
	Session store.Session
	Token   string
	CSRF    string
}

// newToken makes a session token: 32 random bytes, base64url without padding
// (43 characters).
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: session token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// wellFormedToken rejects a cookie that could not be a token before any
// database work.
func wellFormedToken(t string) bool {
	if len(t) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil
}

// HashToken is the store's key for a session token: hex SHA-256. A token has
// 256 random bits, so a fast hash is enough; what matters is that the
// database never holds the token itself.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CSRFToken derives a session's CSRF token from its session token. Deriving
// it (rather than storing a second secret) means every server behind a load
// balancer can check it; a page script sees the CSRF token but never the
// HttpOnly session token, and cannot go back from one to the other.
func CSRFToken(sessionToken string) string {
	sum := sha256.Sum256([]byte("duban csrf v1\x00" + sessionToken))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// CheckCSRF compares a request's header value with the session's CSRF token
// in constant time.
func CheckCSRF(sessionToken, header string) bool {
	want := CSRFToken(sessionToken)
	return len(header) == len(want) && subtle.ConstantTimeCompare([]byte(header), []byte(want)) == 1
}

// dummyHash is a hash of nothing in particular, checked against when the
// user name is unknown so that the answer takes as long as for a wrong
// password. Made on first use: hashing costs ~100 ms.
func (a *Accounts) dummyHash() string {
	a.dummyOnce.Do(func() {
		h, err := HashPassword("duban: no such account")
		if err != nil {
			// Without randomness nothing else works either; a fixed valid
			// hash keeps the timing right.
			h = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$QmVsb25nc05vd2hlcmVCZWxvbmdzTm93aGVyZTAx"
		}
		a.dummy = h
	})
	return a.dummy
}

// checkLock returns a *LockedError when the account or the address has
// failed too often lately.
func (a *Accounts) checkLock(ctx context.Context, username, remote string, now time.Time) error {
	// Failures older than window+lockout can no longer lock anything.
	since := now.Add(-a.policy.FailureWindow - a.policy.Lockout)
	times, err := a.store.SignInFailures(ctx, username, since)
	if err != nil {
		return err
	}
	if until := lockedUntil(times, a.policy.MaxFailures, a.policy.FailureWindow, a.policy.Lockout); now.Before(until) {
		return &LockedError{Until: until, Wait: until.Sub(now), Account: true}
	}
	if remote == "" {
		return nil
	}
	times, err = a.store.RemoteSignInFailures(ctx, remote, since)
	if err != nil {
		return err
	}
	if until := lockedUntil(times, a.policy.MaxRemoteFailures, a.policy.FailureWindow, a.policy.Lockout); now.Before(until) {
		return &LockedError{Until: until, Wait: until.Sub(now)}
	}
	return nil
}

// lockedUntil is when the lock set off by failures (oldest first) ends: n
// failures within window lock for lockout after the last of them. The zero
// time means no lock.
func lockedUntil(failures []time.Time, n int, window, lockout time.Duration) time.Time {
	var until time.Time
	for i := n - 1; i < len(failures); i++ {
		if failures[i].Sub(failures[i-n+1]) <= window {
			if end := failures[i].Add(lockout); end.After(until) {
				until = end
			}
		}
	}
	return until
}

// recordFailure records a refused attempt. A name that is no account's
// stays out of the audit log (see store.SignInAttempt.UnknownAccount).
func (a *Accounts) recordFailure(ctx context.Context, actor audit.Actor, username string, c Client, reason string) error {
	_, err := a.store.UserByName(ctx, username)
	unknown := errors.Is(err, fault.ErrNotFound)
	if err != nil && !unknown {
		return err
	}
	if unknown {
		actor.Name, actor.UserID = "(unknown account)", 0
	}
	return a.store.Write(ctx, actor, func(tx *store.Tx) error {
		return tx.RecordSignInAttempt(ctx, store.SignInAttempt{Username: username, Remote: c.Remote, Reason: reason, UnknownAccount: unknown})
	})
}

// SignIn checks a user name and password and opens a session. Whatever the
// cause of a refusal — unknown user, wrong password, disabled account — it
// returns ErrBadCredentials after the same argon2 work; a *LockedError when
// the account or address must wait. Every attempt is recorded.
func (a *Accounts) SignIn(ctx context.Context, username, password string, c Client) (SignedIn, error) {
	now := a.store.Now()
	actor := audit.Actor{Name: username, Remote: c.Remote}
	if err := a.checkLock(ctx, username, c.Remote, now); err != nil {
		var le *LockedError
		if errors.As(err, &le) {
			reason := "limited"
			if le.Account {
				reason = "locked"
			}
			if rerr := a.recordFailure(ctx, actor, username, c, reason); rerr != nil {
				return SignedIn{}, rerr
			}
		}
		return SignedIn{}, err
	}
	u, err := a.store.UserByName(ctx, username)
	reason := ""
	switch {
	case errors.Is(err, fault.ErrNotFound):
		_ = a.checkPassword(ctx, a.dummyHash(), password)
		reason = "unknown"
	case err != nil:
		return SignedIn{}, err
	case u.PasswordHash == "":
		_ = a.checkPassword(ctx, a.dummyHash(), password)
		reason = "no_password"
	default:
		if err := a.checkPassword(ctx, u.PasswordHash, password); err != nil {
			if !errors.Is(err, ErrMismatch) {
				return SignedIn{}, fmt.Errorf("auth: account %q: %w", username, err)
			}
			reason = "password"
		} else if u.Disabled {
			reason = "disabled"
		}
	}
	if reason != "" {
		if err := a.recordFailure(ctx, actor, username, c, reason); err != nil {
			return SignedIn{}, err
		}
		return SignedIn{}, ErrBadCredentials
	}
	return a.open(ctx, u, c, "password")
}

// open records the successful attempt and creates the session; method is
// how the user proved who they are (password, oidc). Only a password
// sign-in can be confined to changing the password (its age, or an
// administrator's reset).
func (a *Accounts) open(ctx context.Context, u org.User, c Client, method string) (SignedIn, error) {
	token, err := newToken()
	if err != nil {
		return SignedIn{}, err
	}
	required := false
	if method == "password" {
		st, err := a.store.PasswordState(ctx, u.ID)
		if err != nil {
			return SignedIn{}, err
		}
		required = st.MustChange ||
			(st.Known && a.policy.PasswordMaxAge > 0 && !a.store.Now().Before(st.ChangedAt.Add(a.policy.PasswordMaxAge)))
	}
	out := SignedIn{User: u, Token: token, CSRF: CSRFToken(token)}
	actor := audit.Actor{UserID: u.ID, Name: u.Username, Remote: c.Remote}
	err = a.store.Write(ctx, actor, func(tx *store.Tx) error {
		if err := tx.RecordSignInAttempt(ctx, store.SignInAttempt{Username: u.Username, Remote: c.Remote, OK: true}); err != nil {
			return err
		}
		// Old attempts and long-dead sessions go at each sign-in: no
		// scheduler needed, and the tables stay small.
		if err := tx.PruneSignIns(ctx, tx.Now().Add(-24*time.Hour-a.policy.Absolute)); err != nil {
			return err
		}
		out.Session, err = tx.CreateSession(ctx, store.Session{
			TokenHash: HashToken(token), UserID: u.ID, ExpiresAt: tx.Now().Add(a.policy.Absolute),
			Remote: c.Remote, UserAgent: truncate(c.UserAgent, 256), Method: method, PasswordChangeRequired: required,
		})
		return err
	})
	if err != nil {
		return SignedIn{}, err
	}
	return out, nil
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// Current is the session a request came with, as the session middleware
// found it.
type Current struct {
	Session store.Session
	Token   string // the cookie's token: the CSRF check and sign-out need it
}

type currentKey struct{}

// WithCurrent stores the request's session in ctx.
func WithCurrent(ctx context.Context, c Current) context.Context {
	return context.WithValue(ctx, currentKey{}, c)
}

// CurrentFrom returns the request's session, if it came with a live one.
func CurrentFrom(ctx context.Context) (Current, bool) {
	c, ok := ctx.Value(currentKey{}).(Current)
	return c, ok
}

// touchEvery is how stale last_seen_at may get before a request refreshes
// it: a write per minute per session instead of per request.
const touchEvery = time.Minute

// Resolve finds the principal of a session token: ErrNoSession for a token
// the store does not know, ErrSessionExpired past the idle or absolute
// limit, ErrSessionEnded when revoked or the account is disabled.
func (a *Accounts) Resolve(ctx context.Context, token string) (Principal, store.Session, error) {
	if !wellFormedToken(token) {
		return Public, store.Session{}, ErrNoSession
	}
	s, err := a.store.SessionByTokenHash(ctx, HashToken(token))
	if errors.Is(err, fault.ErrNotFound) {
		return Public, s, ErrNoSession
	}
	if err != nil {
		return Public, s, err
	}
	now := a.store.Now()
	switch {
	case s.Revoked():
		return Public, s, ErrSessionEnded
	case !now.Before(s.ExpiresAt), !now.Before(s.LastSeenAt.Add(a.policy.Idle)):
		return Public, s, ErrSessionExpired
	}
	u, err := a.store.User(ctx, s.UserID)
	if err != nil {
		return Public, s, err
	}
	if u.Disabled {
		return Public, s, ErrSessionEnded
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		if err := a.store.Write(ctx, audit.Actor{UserID: u.ID, Name: u.Username}, func(tx *store.Tx) error {
			return tx.TouchSession(ctx, s.ID)
		}); err != nil {
			return Public, s, err
		}
		s.LastSeenAt = audit.Normalize(now)
	}
	return Principal{User: u}, s, nil
}

// SignOut ends a session on the server: its cookie is worthless from now on.
func (a *Accounts) SignOut(ctx context.Context, actor audit.Actor, sessionID int64) error {
	return a.store.Write(ctx, actor, func(tx *store.Tx) error {
		return tx.RevokeSession(ctx, sessionID, "signed out")
	})
}

// ChangePassword changes a signed-in user's own password: the current one
// must be given (and wrong ones count towards the lockout like failed
// sign-ins), the new one must pass the policy, and every other session of
// the user ends. It returns how many sessions it ended.
func (a *Accounts) ChangePassword(ctx context.Context, actor audit.Actor, userID, keepSession int64, current, next string, c Client) (int, error) {
	u, err := a.store.User(ctx, userID)
	if err != nil {
		return 0, err
	}
	if err := a.checkLock(ctx, u.Username, c.Remote, a.store.Now()); err != nil {
		return 0, err
	}
	if len(current) > MaxPasswordBytes || a.checkPassword(ctx, u.PasswordHash, current) != nil {
		if err := a.recordFailure(ctx, actor, u.Username, c, "password_change"); err != nil {
			return 0, err
		}
		return 0, fault.Validation{{Field: "old_password", Code: "password.wrong", Message: "the current password is not right"}}
	}
	if err := checkPasswordPolicy("new_password", u.Username, next); err != nil {
		return 0, err
	}
	if current == next {
		return 0, fault.Validation{{Field: "new_password", Code: "password.same", Message: "the new password must differ from the current one"}}
	}
	return a.setPassword(ctx, actor, u, next, keepSession, false, "password changed")
}

// SetPassword gives an account a new password (an administrator's reset
// from the command line) and ends all its sessions. Its owner must change
// it at the next sign-in: the administrator knows it.
func (a *Accounts) SetPassword(ctx context.Context, actor audit.Actor, username, password string) (int, error) {
	u, err := a.store.UserByName(ctx, username)
	if err != nil {
		return 0, err
	}
	if err := CheckPasswordPolicy(u.Username, password); err != nil {
		return 0, err
	}
	return a.setPassword(ctx, actor, u, password, 0, true, "password reset")
}

func (a *Accounts) setPassword(ctx context.Context, actor audit.Actor, u org.User, password string, keep int64, mustChange bool, reason string) (int, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return 0, err
	}
	var n int
	err = a.store.Write(ctx, actor, func(tx *store.Tx) error {
		cur, err := tx.User(ctx, u.ID)
		if err != nil {
			return err
		}
		cur.PasswordHash = hash
		if err := tx.UpdateUser(ctx, cur); err != nil {
			return err
		}
		if err := tx.SetPasswordChanged(ctx, u.ID, mustChange); err != nil {
			return err
		}
		if keep != 0 {
			if err := tx.ClearPasswordChangeRequired(ctx, keep); err != nil {
				return err
			}
		}
		n, err = tx.RevokeUserSessions(ctx, u.ID, keep, reason)
		return err
	})
	return n, err
}

// CreateUser adds an account with a password that passes the policy. Its
// owner must change the password at the first sign-in.
func (a *Accounts) CreateUser(ctx context.Context, actor audit.Actor, u org.User, password string) (org.User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	if err := CheckPasswordPolicy(u.Username, password); err != nil {
		return u, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return u, err
	}
	u.PasswordHash = hash
	err = a.store.Write(ctx, actor, func(tx *store.Tx) error {
		if u.UnitID != 0 {
			unit, err := tx.Unit(ctx, u.UnitID)
			if err != nil {
				return err
			}
			if unit.Jurisdiction != u.Jurisdiction {
				return fault.Validation{{Field: "unit_id", Code: "user.unit", Message: "the unit belongs to another jurisdiction"}}
			}
		}
		var err error
		if u, err = tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.SetPasswordChanged(ctx, u.ID, true)
	})
	return u, err
}

// SetDisabled disables or enables an account. Disabling ends all its
// sessions at once; enabling opens none.
func (a *Accounts) SetDisabled(ctx context.Context, actor audit.Actor, username string, disabled bool) (revoked int, err error) {
	err = a.store.Write(ctx, actor, func(tx *store.Tx) error {
		u, err := tx.UserByName(ctx, username)
		if err != nil {
			return err
		}
		if u.Disabled != disabled {
			u.Disabled = disabled
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
		if disabled {
			revoked, err = tx.RevokeUserSessions(ctx, u.ID, 0, "account disabled")
		}
		return err
	})
	return revoked, err
}

// ValidUsernameInput reports whether s could be a user name at all, so a
// sign-in with a megabyte of "user name" stops before the database.
func ValidUsernameInput(s string) bool {
	return s != "" && len(s) <= 64 && !strings.ContainsAny(s, "\x00\r\n")
}

type problemKey struct{}

// WithSessionProblem records in ctx why a request's session cookie did not
// sign it in (ErrNoSession, ErrSessionExpired, ErrSessionEnded), so a 401
// can tell the user what happened.
func WithSessionProblem(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, problemKey{}, err)
}

// SessionProblemFrom returns what WithSessionProblem stored, or nil.
func SessionProblemFrom(ctx context.Context) error {
	err, _ := ctx.Value(problemKey{}).(error)
	return err
}
