package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestHashAndCheckPassword(t *testing.T) {
	h, err := HashPassword("Tr7-harbour-lamp")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string with duban's parameters", h)
	}
	if err := CheckPassword(h, "Tr7-harbour-lamp"); err != nil {
		t.Fatalf("right password: %v", err)
	}
	if err := CheckPassword(h, "Tr7-harbour-lamP"); !errors.Is(err, ErrMismatch) {
		t.Fatalf("wrong password: %v, want ErrMismatch", err)
	}
	h2, _ := HashPassword("Tr7-harbour-lamp")
	if h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=65536,t=3,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=0,t=3,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=65536,t=3,p=1$!!$a2V5", "$argon2id$v=16$m=65536,t=3,p=1$c2FsdA$a2V5"} {
		if err := CheckPassword(bad, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("malformed hash %q: %v, want a format error", bad, err)
		}
	}
}

func TestTokensAndCSRF(t *testing.T) {
	a, err := newToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newToken()
	if a == b || !wellFormedToken(a) || len(HashToken(a)) != 64 {
		t.Fatalf("tokens %q %q", a, b)
	}
	for _, bad := range []string{"", "short", strings.Repeat("!", 43), a + "x"} {
		if wellFormedToken(bad) {
			t.Errorf("%q taken for a token", bad)
		}
	}
	if CSRFToken(a) == CSRFToken(b) || CSRFToken(a) == a || strings.Contains(CSRFToken(a), a) {
		t.Fatal("CSRF tokens must differ per session and from the session token")
	}
	if !CheckCSRF(a, CSRFToken(a)) || CheckCSRF(a, CSRFToken(b)) || CheckCSRF(a, "") || CheckCSRF(a, a) {
		t.Fatal("CheckCSRF accepts the wrong token or refuses the right one")
	}
}

func TestTruncateKeepsCharacters(t *testing.T) {
	if got := truncate("督办督办", 7); got != "督办" {
		t.Fatalf("truncate = %q", got)
	}
	if got := truncate("abc", 10); got != "abc" {
		t.Fatalf("truncate = %q", got)
	}
}

// BenchmarkHashPassword is the cost of one argon2id hash with duban's
// parameters: what every sign-in pays, and every guess costs an attacker.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("Tr7-harbour-lamp"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckPassword is the cost of checking a password against a hash.
func BenchmarkCheckPassword(b *testing.B) {
	h, _ := HashPassword("Tr7-harbour-lamp")
	for b.Loop() {
		_ = CheckPassword(h, "Tr7-harbour-lamp")
	}
}

func TestLockedUntil(t *testing.T) {
	t0 := time.Date(2021, 4, 12, 9, 0, 0, 0, time.UTC)
	at := func(minutes ...int) []time.Time {
		var out []time.Time
		for _, m := range minutes {
			out = append(out, t0.Add(time.Duration(m)*time.Minute))
		}
		return out
	}
	for _, c := range []struct {
		name     string
		failures []time.Time
		want     time.Time // zero: no lock
	}{
		{"none", nil, time.Time{}},
		{"four", at(0, 1, 2, 3), time.Time{}},
		{"five in five minutes", at(0, 1, 2, 3, 4), t0.Add(19 * time.Minute)},
		{"five in exactly fifteen", at(0, 5, 10, 12, 15), t0.Add(30 * time.Minute)},
		{"five spread over sixteen", at(0, 5, 10, 12, 16), time.Time{}},
		{"the latest run counts", at(0, 1, 2, 3, 4, 30, 31, 32, 33, 34), t0.Add(49 * time.Minute)},
	} {
		if got := lockedUntil(c.failures, 5, 15*time.Minute, 15*time.Minute); !got.Equal(c.want) {
			t.Errorf("%s: locked until %v; want %v", c.name, got, c.want)
		}
	}
}

func TestRandomPasswordMeetsThePolicy(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		p, err := RandomPassword()
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPasswordPolicy("admin", p); err != nil || len(p) != 16 || seen[p] {
			t.Fatalf("random password %q: %v", p, err)
		}
		seen[p] = true
	}
}
