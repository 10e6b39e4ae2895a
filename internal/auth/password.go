package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommendation (m=19 MiB, t=2, p=1) is the
// floor; duban uses 64 MiB and t=3, which takes 0.15–0.2 s on a small
// shared 2-core server (BenchmarkHashPassword) — slow for an attacker,
// bearable once per sign-in. Accounts runs a few at a time at most.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// ErrMismatch is returned when a password does not match its hash.
var ErrMismatch = errors.New("auth: password does not match")

// HashPassword returns an argon2id hash in the PHC string format,
// $argon2id$v=19$m=65536,t=3,p=1$salt$key, so parameters can be raised later
// without breaking old hashes.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword compares a password with a PHC argon2id hash in constant
// time. It returns ErrMismatch for a wrong password and another error for a
// malformed hash.
func CheckPassword(hash, password string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("auth: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return errors.New("auth: unsupported argon2 version")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 64 {
		return errors.New("auth: malformed argon2id parameters")
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return errors.New("auth: malformed salt")
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return errors.New("auth: malformed key")
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// RandomPassword makes a password for a first account: 16 characters from an
// alphabet without look-alikes (no 0/O, 1/l/I), easy to copy from a log. It
// draws again until the password meets the policy (three kinds of
// character), so the first account's password is never weaker than the
// rules ask of everyone else.
func RandomPassword() (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for {
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("auth: random password: %w", err)
		}
		for i := range b {
			// 256 % 56 != 0 leaves a slight bias towards the first 32
			// letters; at 16 characters it costs well under one bit.
			b[i] = alphabet[int(b[i])%len(alphabet)]
		}
		if CheckPasswordPolicy("", string(b)) == nil {
			return string(b), nil
		}
	}
}
