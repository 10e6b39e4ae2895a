package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/duban-org/duban/internal/audit"
)

// Session is one signed-in browser or client. The store knows it by the
// SHA-256 of its token only (TokenHash, hex); the token itself lives in the
// client's cookie and nowhere else.
type Session struct {
	ID           int64      `json:"id"`
	TokenHash    string     `json:"-"`
	UserID       int64      `json:"user_id"`
	CreatedAt    time.Time  `json:"created_at"`
	LastSeenAt   time.Time  `json:"last_seen_at"`
	ExpiresAt    time.Time  `json:"expires_at"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
	Remote       string     `json:"remote,omitempty"`
	UserAgent    string     `json:"user_agent,omitempty"`
	Method       string     `json:"method"` // how the user signed in: password, oidc
	// PasswordChangeRequired confines the session to changing the
	// password (and signing out) until that is done.
	PasswordChangeRequired bool `json:"password_change_required,omitempty"`
}

// Revoked reports whether the session was ended on the server.
func (s Session) Revoked() bool { return s.RevokedAt != nil }

// auditView is what the audit log keeps of a session: never the token hash,
// which together with a leaked log would narrow a search for the token.
func (s Session) auditView() map[string]any {
	m := map[string]any{"user_id": s.UserID, "expires_at": s.ExpiresAt, "remote": s.Remote, "method": s.Method}
	if s.PasswordChangeRequired {
		m["password_change_required"] = true
	}
	if s.RevokedAt != nil {
		m["revoked_at"] = *s.RevokedAt
		m["revoke_reason"] = s.RevokeReason
	}
	return m
}

const sessionColumns = `id, token_hash, user_id, created_at, last_seen_at, expires_at, revoked_at, revoke_reason, remote, user_agent, method, password_change_required`

func scanSession(sc interface{ Scan(...any) error }) (Session, error) {
	var s Session
	var revoked sql.NullTime
	err := sc.Scan(&s.ID, &s.TokenHash, &s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &revoked,
		&s.RevokeReason, &s.Remote, &s.UserAgent, &s.Method, &s.PasswordChangeRequired)
	if revoked.Valid {
		t := revoked.Time.UTC()
		s.RevokedAt = &t
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	return s, err
}

// CreateSession stores a new session for s.UserID, created and last seen
// now, and returns it with its id. The caller (package auth) makes the token
// and passes only its hash.
func (tx *Tx) CreateSession(ctx context.Context, s Session) (Session, error) {
	if len(s.TokenHash) != 64 {
		return s, fmt.Errorf("store: create session: the token hash must be 64 hex digits, got %d characters", len(s.TokenHash))
	}
	if s.UserID == 0 {
		return s, fmt.Errorf("store: create session: no user")
	}
	s.CreatedAt, s.LastSeenAt = tx.now, tx.now
	s.ExpiresAt = audit.Normalize(s.ExpiresAt)
	s.RevokedAt, s.RevokeReason = nil, ""
	if s.Method == "" {
		s.Method = "password"
	}
	id, err := tx.insert(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, remote, user_agent, method, password_change_required)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.TokenHash, s.UserID, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.Remote, s.UserAgent, s.Method, s.PasswordChangeRequired)
	if err != nil {
		return s, fmt.Errorf("store: create session for user %d: %w", s.UserID, conflict(err))
	}
	s.ID = id
	return s, tx.Record(ctx, "session.create", "session", id, nil, s.auditView())
}

// SessionByTokenHash returns the session whose token hashes to hash,
// revoked or not; the caller judges expiry.
func (r reader) SessionByTokenHash(ctx context.Context, hash string) (Session, error) {
	s, err := scanSession(r.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ?`, hash))
	if err != nil {
		return s, notFound(err, "session", "(by token)")
	}
	return s, nil
}

// Session returns one session by id.
func (r reader) Session(ctx context.Context, id int64) (Session, error) {
	s, err := scanSession(r.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id))
	if err != nil {
		return s, notFound(err, "session", id)
	}
	return s, nil
}

// UserSessions lists a user's sessions that are not revoked and not past
// their absolute expiry at now, newest first.
func (r reader) UserSessions(ctx context.Context, userID int64, now time.Time) ([]Session, error) {
	rows, err := r.query(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY id DESC`, userID, audit.Normalize(now))
	if err != nil {
		return nil, fmt.Errorf("store: sessions of user %d: %w", userID, err)
	}
	defer rows.Close()
	out := []Session{}
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("store: sessions of user %d: %w", userID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// TouchSession moves a session's last-seen time to now, which keeps it from
// idling out. It is the one session write that records no audit event: it
// changes no one's rights, and an event per request would bury the log.
// Package auth calls it at most once a minute per session.
func (tx *Tx) TouchSession(ctx context.Context, id int64) error {
	if _, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ? AND revoked_at IS NULL`, tx.now, id); err != nil {
		return fmt.Errorf("store: touch session %d: %w", id, err)
	}
	return nil
}

// RevokeSession ends one session now, with the reason (sign-out, expired …).
// Revoking a revoked session changes nothing and records nothing.
func (tx *Tx) RevokeSession(ctx context.Context, id int64, reason string) error {
	before, err := tx.Session(ctx, id)
	if err != nil {
		return err
	}
	if before.Revoked() {
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL`,
		tx.now, reason, id); err != nil {
		return fmt.Errorf("store: revoke session %d: %w", id, err)
	}
	after := before
	now := tx.now
	after.RevokedAt, after.RevokeReason = &now, reason
	return tx.Record(ctx, "session.revoke", "session", id, before.auditView(), after.auditView())
}

// RevokeUserSessions ends every live session of a user except keep (0:
// none), and returns how many it ended. It records one event for them all.
func (tx *Tx) RevokeUserSessions(ctx context.Context, userID, keep int64, reason string) (int, error) {
	res, err := tx.exec(ctx, `UPDATE sessions SET revoked_at = ?, revoke_reason = ?
		WHERE user_id = ? AND id <> ? AND revoked_at IS NULL AND expires_at > ?`, tx.now, reason, userID, keep, tx.now)
	if err != nil {
		return 0, fmt.Errorf("store: revoke sessions of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: revoke sessions of user %d: %w", userID, err)
	}
	if n == 0 {
		return 0, nil
	}
	return int(n), tx.Record(ctx, "session.revoke_all", "user", userID, nil,
		map[string]any{"revoked": n, "kept": keep, "reason": reason})
}

// SignInAttempt is one try at signing in, successful or not.
type SignInAttempt struct {
	At       time.Time `json:"at"`
	Username string    `json:"username"`
	Remote   string    `json:"remote"`
	OK       bool      `json:"ok"`
	Reason   string    `json:"reason,omitempty"` // why it failed: password, unknown, disabled, locked, limited
	// UnknownAccount keeps the typed name out of the audit log when no
	// such account exists: people type passwords into the name field, and
	// the audit log is kept for ever (the attempts table only a day).
	UnknownAccount bool `json:"-"`
}

// RecordSignInAttempt stores an attempt made now. A failure is also an
// audit event (等保 asks for failed sign-ins in the security log); a success
// is recorded by the session it creates.
func (tx *Tx) RecordSignInAttempt(ctx context.Context, a SignInAttempt) error {
	a.At = tx.now
	if _, err := tx.exec(ctx, `INSERT INTO sign_in_attempts (at, username, remote, ok, reason) VALUES (?, ?, ?, ?, ?)`,
		a.At, a.Username, a.Remote, a.OK, a.Reason); err != nil {
		return fmt.Errorf("store: record sign-in attempt: %w", err)
	}
	if a.OK {
		return nil
	}
	entityID, view := a.Username, a
	if a.UnknownAccount {
		entityID, view.Username = "", "(unknown account)"
	}
	return tx.Record(ctx, "session.sign_in_failed", "user", entityID, nil, view)
}

// SignInFailures returns the times of the failed attempts for username
// since since that came after its last successful one, oldest first.
// Attempts refused unheard (reason locked or limited) are left out, so a
// lockout ends on time however often someone knocks.
func (r reader) SignInFailures(ctx context.Context, username string, since time.Time) ([]time.Time, error) {
	return r.failures(ctx, `username = ?`, username, since, true)
}

// RemoteSignInFailures returns the times of the failed attempts from one
// client address since since (for any account), oldest first. A success
// does not forgive them here: one valid account must not buy an address
// unlimited guesses at the others.
func (r reader) RemoteSignInFailures(ctx context.Context, remote string, since time.Time) ([]time.Time, error) {
	return r.failures(ctx, `remote = ?`, remote, since, false)
}

func (r reader) failures(ctx context.Context, where, key string, since time.Time, forgive bool) ([]time.Time, error) {
	since = audit.Normalize(since)
	// Failures before the last success are forgiven when asked. Ids, not
	// times, order the attempts: two can share a timestamp.
	var lastOK sql.NullInt64
	if forgive {
		if err := r.queryRow(ctx, `SELECT MAX(id) FROM sign_in_attempts WHERE `+where+` AND ok = ?`,
			key, true).Scan(&lastOK); err != nil {
			return nil, fmt.Errorf("store: sign-in attempts of %q: %w", key, err)
		}
	}
	rows, err := r.query(ctx, `SELECT at FROM sign_in_attempts
		WHERE `+where+` AND ok = ? AND reason NOT IN ('locked', 'limited') AND at >= ? AND id > ? ORDER BY id`,
		key, false, since, lastOK.Int64)
	if err != nil {
		return nil, fmt.Errorf("store: sign-in failures of %q: %w", key, err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			return nil, fmt.Errorf("store: sign-in failures of %q: %w", key, err)
		}
		out = append(out, at.UTC())
	}
	return out, rows.Err()
}

// PruneSignIns deletes sign-in attempts older than before and sessions that
// expired or were revoked before it; the audit log keeps their story. It
// records one event when it deleted anything.
func (tx *Tx) PruneSignIns(ctx context.Context, before time.Time) error {
	before = audit.Normalize(before)
	a, err := tx.exec(ctx, `DELETE FROM sign_in_attempts WHERE at < ?`, before)
	if err != nil {
		return fmt.Errorf("store: prune sign-in attempts: %w", err)
	}
	s, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?`, before, before)
	if err != nil {
		return fmt.Errorf("store: prune sessions: %w", err)
	}
	na, _ := a.RowsAffected()
	ns, _ := s.RowsAffected()
	if na+ns == 0 {
		return nil
	}
	return tx.Record(ctx, "session.prune", "session", "", nil,
		map[string]any{"before": before, "attempts": na, "sessions": ns})
}

// PasswordState is when an account's password was last set and whether its
// owner must set a new one. Known is false for an account without a record
// (made before the record was kept, or by the first start).
type PasswordState struct {
	ChangedAt  time.Time `json:"changed_at"`
	MustChange bool      `json:"must_change"`
	Known      bool      `json:"-"`
}

// PasswordState returns the account's password record.
func (r reader) PasswordState(ctx context.Context, userID int64) (PasswordState, error) {
	var st PasswordState
	err := r.queryRow(ctx, `SELECT changed_at, must_change FROM password_changes WHERE user_id = ?`, userID).Scan(&st.ChangedAt, &st.MustChange)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("store: password state of user %d: %w", userID, err)
	}
	st.ChangedAt, st.Known = st.ChangedAt.UTC(), true
	return st, nil
}

// SetPasswordChanged records that the account's password was set now, and
// whether its owner must replace it (an administrator set it).
func (tx *Tx) SetPasswordChanged(ctx context.Context, userID int64, mustChange bool) error {
	if _, err := tx.exec(ctx, `INSERT INTO password_changes (user_id, changed_at, must_change) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET changed_at = excluded.changed_at, must_change = excluded.must_change`,
		userID, tx.now, mustChange); err != nil {
		return fmt.Errorf("store: password state of user %d: %w", userID, err)
	}
	return tx.Record(ctx, "user.password_state", "user", userID, nil, PasswordState{ChangedAt: tx.now, MustChange: mustChange})
}

// ClearPasswordChangeRequired frees a session once its user has changed
// the password. The password change itself is the audited event.
func (tx *Tx) ClearPasswordChangeRequired(ctx context.Context, sessionID int64) error {
	if _, err := tx.exec(ctx, `UPDATE sessions SET password_change_required = ? WHERE id = ?`, false, sessionID); err != nil {
		return fmt.Errorf("store: session %d: %w", sessionID, err)
	}
	return nil
}
