// Package cli is the duban command line: one function per subcommand, each
// parsing its own flags and calling the domain packages. It holds no logic of
// its own beyond wiring, so that everything it does can be tested directly.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the work failed: bad input, unreachable database …
	exitUsage   = 2 // the command line was wrong, or the command is not available
)

// env carries the standard streams and environment a command runs with.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	summary string
	run     func(e env, args []string) int
}

func commands() map[string]command {
	return map[string]command{
		"serve":   {"run the web server (migrates the database first)", runServe},
		"extract": {"print the structure of a plan document", runExtract},
		"import":  {"store a plan document as a draft plan", runImport},
		"migrate": {"bring the database schema up to date", runMigrate},
		"user":    {"manage accounts: add, passwd, disable", runUser},
		"backup":  {"write a consistent copy of the database to a file", runBackup},
		"restore": {"replace the database with a backup", runRestore},
		"audit":   {"verify or export the audit log", runAudit},
		"version": {"print the version", runVersion},
	}
}

// Main runs the command line and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return mainEnv(env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: osGetenv}, args)
}

func mainEnv(e env, args []string) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr, cmds)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "duban: unknown command %q\n\n", args[0])
		usage(e.stderr, cmds)
		return exitUsage
	}
	return c.run(e, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "duban (督办): a work plan from the document to delivery.")
	fmt.Fprintln(w, "\nUsage: duban COMMAND [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'duban COMMAND --help' for a command's flags.")
}

// newFlags makes a flag set that prints its usage to stderr and returns
// errors instead of exiting.
func newFlags(e env, name, argsUsage, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: duban %s [flags] %s\n\n%s\n", name, argsUsage, summary)
		var b strings.Builder
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
		if b.Len() > 0 {
			fmt.Fprintf(e.stderr, "\nFlags:\n%s", b.String())
		}
	}
	return fs
}

// parse parses flags; it returns false and the exit code when the command
// should stop (help asked for, or bad flags).
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return 0, true
}

// fail prints one clear error line and returns exitFailure.
func fail(e env, err error) int {
	fmt.Fprintf(e.stderr, "duban: %v\n", err)
	return exitFailure
}
