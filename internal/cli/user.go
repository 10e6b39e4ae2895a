package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/seed"
	"github.com/duban-org/duban/internal/store"
)

// userCommands are the subcommands of duban user. Passwords never come from
// the command line, where ps and the shell history would keep them: they
// are read from standard input, or prompted for without echo on a terminal.
var userCommands = map[string]struct {
	summary string
	run     func(e env, args []string) int
}{
	"add":     {"create an account (password from standard input or a prompt)", runUserAdd},
	"passwd":  {"set an account's password and end its sessions", runUserPasswd},
	"disable": {"disable an account and end its sessions", func(e env, a []string) int { return runUserDisable(e, a, true) }},
	"enable":  {"enable a disabled account", func(e env, a []string) int { return runUserDisable(e, a, false) }},
	"list":    {"list a jurisdiction's accounts", runUserList},
}

func runUser(e env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		userUsage(e)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := userCommands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "duban user: unknown subcommand %q\n\n", args[0])
		userUsage(e)
		return exitUsage
	}
	return c.run(e, args[1:])
}

func userUsage(e env) {
	fmt.Fprintln(e.stderr, "Usage: duban user SUBCOMMAND [flags] [USERNAME]\n\nSubcommands:")
	for _, name := range []string{"add", "passwd", "disable", "enable", "list"} {
		fmt.Fprintf(e.stderr, "  %-8s %s\n", name, userCommands[name].summary)
	}
	fmt.Fprintln(e.stderr, "\nPasswords are read from standard input (one line), or asked for on a terminal;\nthey are never taken from the command line.")
}

// cliActor names the person at the command line in the audit log.
func cliActor(e env) audit.Actor {
	who := e.getenv("USER")
	if who == "" {
		who = "unknown"
	}
	return audit.System("duban user (os user " + who + ")")
}

// dbFlag adds the usual --db flag.
func dbFlag(e env, fs *flag.FlagSet) *string {
	return fs.String("db", envOr(e, "DUBAN_DB", defaultDB), "SQLite file or PostgreSQL DSN (env DUBAN_DB)")
}

// oneUsername parses the flags and requires exactly one user name.
func oneUsername(e env, name, summary string, args []string, setup func(fs *flag.FlagSet)) (string, int, bool) {
	fs := newFlags(e, "user "+name, "USERNAME", summary)
	setup(fs)
	if code, ok := parse(fs, args); !ok {
		return "", code, false
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return "", exitUsage, false
	}
	return fs.Arg(0), 0, true
}

func runUserAdd(e env, args []string) int {
	var db, jur, role, unit, display *string
	username, code, ok := oneUsername(e, "add", "Create an account. The password is read from standard input (first line) or asked for\ntwice on a terminal; it must have 10+ characters of 3 kinds and not be a common one.", args,
		func(fs *flag.FlagSet) {
			db = dbFlag(e, fs)
			jur = fs.String("jurisdiction", seed.JurisdictionCode, "GB/T 2260 code of the account's jurisdiction")
			role = fs.String("role", string(org.RoleViewer), "office, reporter, unit_head, leader or viewer (the default is the least)")
			unit = fs.String("unit", "", "the unit a reporter or unit head acts for: its id, name or short name")
			display = fs.String("name", "", "the person's name as shown (e.g. 王芳)")
		})
	if !ok {
		return code
	}
	ctx := context.Background()
	s, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, err)
	}
	defer s.Close()
	if _, err := s.Jurisdiction(ctx, *jur); err != nil {
		return fail(e, fmt.Errorf("jurisdiction %s is not in this database (run serve once, or name an existing one)", *jur))
	}
	u := org.User{Jurisdiction: *jur, Username: username, DisplayName: *display, Role: org.Role(*role)}
	if *unit != "" {
		if u.UnitID, err = findUnit(ctx, s, *jur, *unit); err != nil {
			return fail(e, err)
		}
	}
	// Check the account before asking for a password that would be wasted.
	if err := u.Validate(); err != nil {
		return fail(e, err)
	}
	pw, err := readNewPassword(e, username)
	if err != nil {
		return fail(e, err)
	}
	u, err = auth.NewAccounts(s, auth.SessionPolicy{}).CreateUser(ctx, cliActor(e), u, pw)
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "created account %s (id %d, %s, %s)\n", u.Username, u.ID, u.Role, u.Jurisdiction)
	return exitOK
}

// findUnit resolves --unit: an id, or a unit's full or short name.
func findUnit(ctx context.Context, s *store.Store, jurisdiction, ref string) (int64, error) {
	units, err := s.Units(ctx, jurisdiction)
	if err != nil {
		return 0, err
	}
	id, _ := strconv.ParseInt(ref, 10, 64)
	var found []org.Unit
	for _, u := range units {
		if u.ID == id || u.Name == ref || u.ShortName == ref {
			found = append(found, u)
		}
	}
	switch len(found) {
	case 1:
		return found[0].ID, nil
	case 0:
		return 0, fmt.Errorf("no unit %q in jurisdiction %s", ref, jurisdiction)
	}
	return 0, fmt.Errorf("%d units match %q in jurisdiction %s: give the id", len(found), ref, jurisdiction)
}

func runUserPasswd(e env, args []string) int {
	var db *string
	username, code, ok := oneUsername(e, "passwd", "Set an account's password (read from standard input or asked for on a terminal)\nand end all its sessions.", args,
		func(fs *flag.FlagSet) {
			db = dbFlag(e, fs)
		})
	if !ok {
		return code
	}
	ctx := context.Background()
	s, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, err)
	}
	defer s.Close()
	if _, err := s.UserByName(ctx, username); err != nil {
		return fail(e, err)
	}
	pw, err := readNewPassword(e, username)
	if err != nil {
		return fail(e, err)
	}
	n, err := auth.NewAccounts(s, auth.SessionPolicy{}).SetPassword(ctx, cliActor(e), username, pw)
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "password of %s changed; %d session(s) ended\n", username, n)
	return exitOK
}

func runUserDisable(e env, args []string, disable bool) int {
	name, summary := "disable", "Disable an account: it can no longer sign in, and its sessions end now."
	if !disable {
		name, summary = "enable", "Enable a disabled account."
	}
	var db *string
	username, code, ok := oneUsername(e, name, summary, args, func(fs *flag.FlagSet) {
		db = dbFlag(e, fs)
	})
	if !ok {
		return code
	}
	ctx := context.Background()
	s, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, err)
	}
	defer s.Close()
	n, err := auth.NewAccounts(s, auth.SessionPolicy{}).SetDisabled(ctx, cliActor(e), username, disable)
	if err != nil {
		return fail(e, err)
	}
	if disable {
		fmt.Fprintf(e.stdout, "disabled %s; %d session(s) ended\n", username, n)
	} else {
		fmt.Fprintf(e.stdout, "enabled %s\n", username)
	}
	return exitOK
}

func runUserList(e env, args []string) int {
	fs := newFlags(e, "user list", "", "List the accounts of a jurisdiction.")
	db := dbFlag(e, fs)
	jur := fs.String("jurisdiction", seed.JurisdictionCode, "GB/T 2260 code of the jurisdiction")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	ctx := context.Background()
	s, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, err)
	}
	defer s.Close()
	users, err := s.Users(ctx, *jur)
	if err != nil {
		return fail(e, err)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tROLE\tUNIT\tSTATE\tNAME")
	for _, u := range users {
		state, unit := "active", "-"
		if u.Disabled {
			state = "disabled"
		}
		if u.UnitID != 0 {
			unit = strconv.FormatInt(u.UnitID, 10)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.Role, unit, state, u.DisplayName)
	}
	if err := tw.Flush(); err != nil {
		return fail(e, err)
	}
	return exitOK
}

// readNewPassword reads a new password: on a terminal, asked for twice
// without echo; otherwise the first line of standard input. It checks the
// policy at once, so a weak password is refused with every reason.
func readNewPassword(e env, username string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok {
		if restore, tty := echoOff(f); tty {
			defer restore()
			r := bufio.NewReader(f)
			fmt.Fprintf(e.stderr, "New password for %s: ", username)
			first, err := readLine(r)
			fmt.Fprintln(e.stderr)
			if err != nil {
				return "", err
			}
			if err := auth.CheckPasswordPolicy(username, first); err != nil {
				return "", err
			}
			fmt.Fprint(e.stderr, "Again: ")
			second, err := readLine(r)
			fmt.Fprintln(e.stderr)
			if err != nil {
				return "", err
			}
			if first != second {
				return "", errors.New("the two passwords differ; nothing changed")
			}
			return first, nil
		}
	}
	pw, err := readLine(bufio.NewReader(e.stdin))
	if err != nil {
		return "", err
	}
	return pw, auth.CheckPasswordPolicy(username, pw)
}

// readLine reads one line without its line ending; an empty line or no
// input at all is an error.
func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", errors.New("no password on standard input: type it at the prompt or pipe it in (one line)")
		}
		return "", fmt.Errorf("read the password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("the password is empty; nothing changed")
	}
	return line, nil
}
