-- +goose Up
-- Sign-in sessions and sign-in attempts.
--
-- A session is found by the SHA-256 (hex) of its cookie token: the token
-- itself is never stored, so a copy of the database does not let anyone sign
-- in. Expiry is both absolute (expires_at) and idle (last_seen_at plus the
-- idle timeout, checked by package auth). Revoked sessions stay, with when
-- and why, until they are pruned.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP,
    revoke_reason TEXT NOT NULL DEFAULT '',
    remote        TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT '',
    method        TEXT NOT NULL DEFAULT 'password', -- how the user signed in: password, oidc
    -- the password must be changed before this session may do anything else
    password_change_required BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Every sign-in attempt, kept for a day: the lockout counts an account's
-- recent failures, the rate limit a client address's. Usernames are kept as
-- typed, whether or not such an account exists, so a lockout says nothing
-- about which accounts exist.
CREATE TABLE sign_in_attempts (
    id       INTEGER PRIMARY KEY,
    at       TIMESTAMP NOT NULL,
    username TEXT NOT NULL,
    remote   TEXT NOT NULL DEFAULT '',
    ok       BOOLEAN NOT NULL,
    reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sign_in_attempts_username ON sign_in_attempts (username, at);
CREATE INDEX sign_in_attempts_remote ON sign_in_attempts (remote, at);

-- When each account's password was last set, and whether its owner must
-- set a new one before doing anything else: 等保 asks for passwords to be
-- changed periodically, and a password an administrator set is for its
-- owner to replace. An account without a row (made before this table, or
-- by the first start) has no known age and is not forced.
CREATE TABLE password_changes (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    changed_at  TIMESTAMP NOT NULL,
    must_change BOOLEAN NOT NULL DEFAULT FALSE
);

-- +goose Down
DROP TABLE password_changes;
DROP TABLE sign_in_attempts;
DROP TABLE sessions;
