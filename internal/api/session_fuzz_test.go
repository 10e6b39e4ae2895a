package api

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/fault"
)

// FuzzSignInBody feeds arbitrary bytes to the sign-in body parser: it never
// panics, refuses with a validation error, and what it accepts is a user
// name and password within bounds that survive a round trip.
func FuzzSignInBody(f *testing.F) {
	for _, s := range []string{
		`{"username":"office","password":"Tr7-harbour-lamp"}`,
		`{"username":"王芳","password":"密码很长的一句话Ab1"}`,
		`{"username":"office"}`,
		`{"username":"office","password":"x","extra":1}`,
		`{"username":"office","password":"x"} trailing`,
		`{"username":"a\u0000b","password":"x"}`,
		`[]`, `null`, ``, `{`, `"string"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := parseCredentials(body)
		if err != nil {
			if !errors.Is(err, fault.ErrInvalid) {
				t.Fatalf("refusal %v is not a validation error", err)
			}
			return
		}
		if !auth.ValidUsernameInput(c.Username) || c.Password == "" || len(c.Password) > auth.MaxPasswordBytes {
			t.Fatalf("accepted out-of-bounds credentials %q / %d bytes", c.Username, len(c.Password))
		}
		again, _ := json.Marshal(c)
		c2, err := parseCredentials(again)
		if err != nil || c2 != c {
			t.Fatalf("round trip: %+v → %s → %+v, %v", c, again, c2, err)
		}
	})
}
