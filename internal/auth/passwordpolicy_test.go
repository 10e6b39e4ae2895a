package auth

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/duban-org/duban/internal/fault"
)

// codes returns the field-error codes of a policy answer.
func codes(err error) []string {
	var v fault.Validation
	if !errors.As(err, &v) {
		return nil
	}
	var out []string
	for _, f := range v {
		out = append(out, f.Code)
	}
	return out
}

func TestCheckPasswordPolicy(t *testing.T) {
	for _, c := range []struct {
		user, password string
		want           []string // codes, in order; nil: accepted
	}{
		{"wang.fang", "Tr7-harbour-lamp", nil},
		{"wang.fang", "小店区督办计划Ab12", nil},                    // Chinese characters count as "other"
		{"wang.fang", "correct horse battery 9", nil},        // lower, space, digit
		{"wang.fang", "Short1!", []string{"password.short"}}, // 7 characters
		{"wang.fang", "短密码Ab1", []string{"password.short"}},  // 6 characters, counted as characters not bytes
		{"wang.fang", "alllowercaseletters", []string{"password.classes"}},
		{"wang.fang", "lowercase and spaces", []string{"password.classes"}},
		{"wang.fang", "Only Letters Here", nil}, // lower, upper, space
		{"wang.fang", "x9Wang.Fang!", []string{"password.username"}},
		{"wang.fang", "!gnaf.gnaw9X", []string{"password.username"}}, // backwards
		{"li", "Li-is-short-9", nil},                                 // two-letter names are not searched for
		{"wang.fang", "Password2024!", []string{"password.common"}},
		{"wang.fang", "P@ssw0rd2024", []string{"password.common"}},
		{"wang.fang", "@dmin1234567", []string{"password.common"}},
		{"wang.fang", "Qwertyuiop1!", []string{"password.common"}},
		{"wang.fang", "1qaz2wsx3edc", []string{"password.classes", "password.common"}},
		{"wang.fang", "Woaini1314!!", []string{"password.common"}},
		{"wang.fang", "abc", []string{"password.short", "password.classes", "password.common"}},
		{"wang.fang", strings.Repeat("Ab1-", 65), []string{"password.long"}},
		{"wang.fang", "Abcdefgh1\xff", []string{"password.encoding"}},
	} {
		got := codes(CheckPasswordPolicy(c.user, c.password))
		if !slices.Equal(got, c.want) {
			t.Errorf("%q for %q: codes %v, want %v", c.password, c.user, got, c.want)
		}
	}
}

// TestPolicyMessagesAreClear checks every refusal says what to do in words,
// on the field the caller names.
func TestPolicyMessagesAreClear(t *testing.T) {
	err := checkPasswordPolicy("new_password", "wang.fang", "abc")
	var v fault.Validation
	if !errors.As(err, &v) || len(v) != 3 {
		t.Fatalf("got %v", err)
	}
	for _, f := range v {
		if f.Field != "new_password" || len(f.Message) < 20 {
			t.Errorf("unclear field error %+v", f)
		}
	}
}

func TestCommonPasswordList(t *testing.T) {
	if len(commonPasswords) < 150 {
		t.Fatalf("the embedded list has %d entries", len(commonPasswords))
	}
	for w := range commonPasswords {
		if w != strings.ToLower(w) || strings.TrimSpace(w) != w {
			t.Errorf("list entry %q is not lower case and trimmed", w)
		}
	}
	for _, strong := range []string{"Tr7-harbour-lamp", "xiaodian-Plan-2021!", "Mx9!kq2#Lp"} {
		if IsCommonPassword(strong) {
			t.Errorf("%q taken for a common password", strong)
		}
	}
}

// FuzzCheckPasswordPolicy: any input (a password is outside input) gets an
// answer without panicking, and an accepted password meets every rule.
func FuzzCheckPasswordPolicy(f *testing.F) {
	for _, s := range []string{"", "Tr7-harbour-lamp", "P@ssw0rd2024", "小店区督办Ab12", "\xff\xfe", strings.Repeat("a", 300)} {
		f.Add("wang.fang", s)
	}
	f.Fuzz(func(t *testing.T, user, password string) {
		err := CheckPasswordPolicy(user, password)
		if err == nil {
			if utf8.RuneCountInString(password) < MinPasswordLength || passwordClasses(password) < MinPasswordClasses ||
				len(password) > MaxPasswordBytes || IsCommonPassword(password) || containsUsername(user, password) {
				t.Fatalf("accepted %q for %q", password, user)
			}
			return
		}
		if !errors.Is(err, fault.ErrInvalid) {
			t.Fatalf("refusal %v is not a validation error", err)
		}
	})
}
