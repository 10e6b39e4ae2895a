package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/store"
)

// runWithStdin runs the command line with stdin as standard input.
func runWithStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := mainEnv(env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string {
			if k == "USER" {
				return "operator"
			}
			return ""
		}}, args)
	return code, out.String(), errb.String()
}

// userDB makes a migrated SQLite database with the district 140105 and
// one unit in it.
func userDB(t *testing.T) (string, *store.Store) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "duban.db")
	s, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.Write(ctx, audit.System("test"), func(tx *store.Tx) error {
		for _, j := range []org.Jurisdiction{{Code: "140000", Name: "山西省"}, {Code: "140100", Name: "太原市", Parent: "140000"}, {Code: "140105", Name: "小店区", Parent: "140100"}} {
			if err := tx.EnsureJurisdiction(ctx, j); err != nil {
				return err
			}
		}
		_, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "小店区民政局", ShortName: "区民政局"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, s
}

func TestUserCommands(t *testing.T) {
	db, s := userDB(t)
	ctx := context.Background()
	const pw = "Tr7-harbour-lamp"

	// Refusals: each says why, and creates nothing.
	for _, c := range []struct {
		stdin string
		args  []string
		code  int
		says  string
	}{
		{"short\n", []string{"user", "add", "--db", db, "wang.fang"}, exitFailure, "at least 10 characters"},
		{"P@ssw0rd2024\n", []string{"user", "add", "--db", db, "wang.fang"}, exitFailure, "commonly used"},
		{"", []string{"user", "add", "--db", db, "wang.fang"}, exitFailure, "no password on standard input"},
		{"\n", []string{"user", "add", "--db", db, "wang.fang"}, exitFailure, "empty"},
		{pw + "\n", []string{"user", "add", "--db", db, "--role", "reporter", "wang.fang"}, exitFailure, "acts for a unit"},
		{pw + "\n", []string{"user", "add", "--db", db, "--role", "reporter", "--unit", "区财政局", "wang.fang"}, exitFailure, `no unit "区财政局"`},
		{pw + "\n", []string{"user", "add", "--db", db, "--jurisdiction", "140106", "wang.fang"}, exitFailure, "not in this database"},
		{pw + "\n", []string{"user", "add", "--db", db, "--password", pw, "wang.fang"}, exitUsage, "flag provided but not defined: -password"},
		{"", []string{"user", "add", "--db", db}, exitUsage, "Usage: duban user add"},
		{"", []string{"user", "frobnicate"}, exitUsage, `unknown subcommand "frobnicate"`},
	} {
		code, _, stderr := runWithStdin(t, c.stdin, c.args...)
		if code != c.code || !strings.Contains(stderr, c.says) {
			t.Errorf("%v: %d %q; want %d saying %q", c.args[1:], code, stderr, c.code, c.says)
		}
	}
	if n, _ := s.CountUsers(ctx); n != 0 {
		t.Fatalf("refused adds created %d accounts", n)
	}

	code, stdout, stderr := runWithStdin(t, pw+"\n", "user", "add", "--db", db, "--role", "reporter", "--unit", "区民政局", "--name", "王芳", "wang.fang")
	if code != exitOK || !strings.Contains(stdout, "created account wang.fang") {
		t.Fatalf("add: %d %q %q", code, stdout, stderr)
	}
	if code, _, stderr := runWithStdin(t, pw+"\n", "user", "add", "--db", db, "--role", "office", "wang.fang"); code != exitFailure || !strings.Contains(stderr, "conflict") {
		t.Errorf("second add of one name: %d %q", code, stderr)
	}
	u, err := s.UserByName(ctx, "wang.fang")
	if err != nil || u.Role != org.RoleReporter || u.UnitID == 0 || u.DisplayName != "王芳" || auth.CheckPassword(u.PasswordHash, pw) != nil {
		t.Fatalf("stored account %+v, %v", u, err)
	}

	// A signed-in session, to see passwd and disable end it.
	accounts := auth.NewAccounts(s, auth.SessionPolicy{})
	in, err := accounts.SignIn(ctx, "wang.fang", pw, auth.Client{Remote: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	if !in.Session.PasswordChangeRequired {
		t.Error("a password set at the command line does not have to be changed at the first sign-in")
	}
	const next = "Lantern-river-42"
	code, stdout, stderr = runWithStdin(t, next+"\n", "user", "passwd", "--db", db, "wang.fang")
	if code != exitOK || !strings.Contains(stdout, "1 session(s) ended") {
		t.Fatalf("passwd: %d %q %q", code, stdout, stderr)
	}
	if _, _, err := accounts.Resolve(ctx, in.Token); err != auth.ErrSessionEnded {
		t.Errorf("session after passwd: %v; want ended", err)
	}
	if _, err := accounts.SignIn(ctx, "wang.fang", pw, auth.Client{Remote: "192.0.2.1"}); err != auth.ErrBadCredentials {
		t.Errorf("old password after passwd: %v", err)
	}
	in, err = accounts.SignIn(ctx, "wang.fang", next, auth.Client{Remote: "192.0.2.1"})
	if err != nil {
		t.Fatalf("new password: %v", err)
	}
	if code, _, stderr := runWithStdin(t, next+"\n", "user", "passwd", "--db", db, "nobody"); code != exitFailure || !strings.Contains(stderr, "not found") {
		t.Errorf("passwd of an unknown account: %d %q", code, stderr)
	}

	code, stdout, _ = runWithStdin(t, "", "user", "disable", "--db", db, "wang.fang")
	if code != exitOK || !strings.Contains(stdout, "disabled wang.fang; 1 session(s) ended") {
		t.Fatalf("disable: %d %q", code, stdout)
	}
	if _, _, err := accounts.Resolve(ctx, in.Token); err != auth.ErrSessionEnded {
		t.Errorf("session after disable: %v; want ended", err)
	}
	code, stdout, _ = runWithStdin(t, "", "user", "list", "--db", db)
	if code != exitOK || !strings.Contains(stdout, "wang.fang") || !strings.Contains(stdout, "disabled") || !strings.Contains(stdout, "王芳") {
		t.Fatalf("list: %d %q", code, stdout)
	}
	if code, _, _ := runWithStdin(t, "", "user", "enable", "--db", db, "wang.fang"); code != exitOK {
		t.Fatalf("enable: %d", code)
	}
	if _, err := accounts.SignIn(ctx, "wang.fang", next, auth.Client{Remote: "192.0.2.1"}); err != nil {
		t.Errorf("sign-in after enable: %v", err)
	}

	// Every change is in the audit log under the operator's name, and no
	// password or hash is.
	events, err := s.AuditEvents(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range events {
		if strings.Contains(e.Actor.Name, "operator") {
			actions[e.Action]++
		}
		if text := string(e.Before) + string(e.After); strings.Contains(text, "argon2") || strings.Contains(text, pw) || strings.Contains(text, next) {
			t.Errorf("audit event %d (%s) holds a password or hash", e.ID, e.Action)
		}
	}
	for _, a := range []string{"user.create", "user.password", "user.update", "session.revoke_all"} {
		if actions[a] == 0 {
			t.Errorf("no %s event by the operator; have %v", a, actions)
		}
	}
}
