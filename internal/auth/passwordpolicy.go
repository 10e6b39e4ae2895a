package auth

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/duban-org/duban/internal/fault"
)

// Password rules (等保 2.0 level 3 asks for "complexity" without numbers;
// these are the usual reading of it): at least ten characters from at least
// three of four classes, not the user name, not a common password. The upper
// bound keeps a hostile request from making argon2 hash a megabyte.
const (
	MinPasswordLength     = 10  // characters (runes), not bytes
	MaxPasswordBytes      = 256 // bytes
	MinPasswordClasses    = 3
	passwordUsernameMinLn = 3 // shorter user names are too common a substring to forbid
)

//go:embed common-passwords.txt
var commonPasswordsText string

// commonPasswords is the embedded list as a set, built once.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m[strings.ToLower(line)] = true
	}
	return m
}()

// CheckPasswordPolicy reports every way password breaks the rules for the
// account username, as field errors on "password" (or field when given), so
// a form can show them all at once. nil means the password may be used.
func CheckPasswordPolicy(username, password string) error {
	return checkPasswordPolicy("password", username, password)
}

func checkPasswordPolicy(field, username, password string) error {
	var v fault.Validation
	if !utf8.ValidString(password) {
		v.Add(field, "password.encoding", "the password is not valid UTF-8 text")
		return v.Err()
	}
	if len(password) > MaxPasswordBytes {
		v.Add(field, "password.long", "a password may be at most 256 bytes long")
		return v.Err()
	}
	if n := utf8.RuneCountInString(password); n < MinPasswordLength {
		v.Add(field, "password.short", "a password needs at least 10 characters")
	}
	if n := passwordClasses(password); n < MinPasswordClasses {
		v.Add(field, "password.classes", "a password needs characters of at least three kinds: lower-case letters, upper-case letters, digits, and others (punctuation, spaces, Chinese characters …)")
	}
	if containsUsername(username, password) {
		v.Add(field, "password.username", "a password may not contain the user name")
	}
	if IsCommonPassword(password) {
		v.Add(field, "password.common", "this password, or a small change of it, is among the most commonly used passwords: choose another")
	}
	return v.Err()
}

// passwordClasses counts the kinds of character in p: lower-case,
// upper-case, digits, other. Letters without case (Chinese characters)
// count as other.
func passwordClasses(p string) int {
	var lower, upper, digit, other bool
	for _, r := range p {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			n++
		}
	}
	return n
}

// containsUsername reports whether the password holds the user name,
// forwards or backwards, ignoring case.
func containsUsername(username, password string) bool {
	u := strings.ToLower(strings.TrimSpace(username))
	if utf8.RuneCountInString(u) < passwordUsernameMinLn {
		return false
	}
	p := strings.ToLower(password)
	return strings.Contains(p, u) || strings.Contains(p, reverse(u))
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// IsCommonPassword reports whether p is on the embedded list of common
// passwords, also when it only adds digits or symbols around a listed word
// (Password2024!) or spells it with the usual substitutions (P@ssw0rd).
func IsCommonPassword(p string) bool {
	lower := strings.ToLower(p)
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	// Digits and punctuation around a word, but keep '@' and '$', which
	// stand for letters at the start of a word (@dmin).
	padding := func(r rune) bool {
		return unicode.IsDigit(r) || (unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)) && r != '@' && r != '$'
	}
	stripped := strings.TrimFunc(lower, padding)
	candidates := []string{lower, strings.TrimFunc(lower, notLetter), stripped}
	for _, one := range []string{"i", "l"} {
		d := deleet(stripped, one)
		candidates = append(candidates, d, strings.TrimFunc(d, notLetter))
	}
	for _, c := range candidates {
		if c != "" && commonPasswords[c] {
			return true
		}
	}
	return false
}

// deleet undoes the usual letter-for-symbol substitutions; one is what '1'
// stands for (i or l).
func deleet(s, one string) string {
	return strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", one, "!", "i", "3", "e", "$", "s", "5", "s", "7", "t").Replace(s)
}
