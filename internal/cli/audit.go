package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/store"
)

func runAudit(e env, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		auditUsage(e)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	switch args[0] {
	case "verify":
		return runAuditVerify(e, args[1:])
	case "export":
		return runAuditExport(e, args[1:])
	}
	fmt.Fprintf(e.stderr, "duban audit: unknown subcommand %q\n\n", args[0])
	auditUsage(e)
	return exitUsage
}

func auditUsage(e env) {
	fmt.Fprint(e.stderr, `Usage: duban audit verify [--db DB]
       duban audit export [--db DB] [--after N] [--format jsonl|csv]

verify walks the audit log's hash chain and reports the first broken link.
export writes the log to standard output.
`)
}

// openExisting opens a database for reading without creating or migrating
// it: checking a log must never change the database it checks, and a
// mistyped SQLite path must not silently become a new empty database.
func openExisting(ctx context.Context, dsn string) (*store.Store, error) {
	if !store.IsPostgres(dsn) {
		path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("database %s does not exist", path)
		} else if err != nil {
			return nil, err
		}
	}
	return store.Open(ctx, dsn, store.Options{})
}

func runAuditVerify(e env, args []string) int {
	fs := newFlags(e, "audit verify", "", "Check every link of the audit log's hash chain, oldest first.\nExit 0 when intact; exit 1 naming the first broken event.")
	db := fs.String("db", envOr(e, "DUBAN_DB", defaultDB), "SQLite file or PostgreSQL DSN (env DUBAN_DB)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	ctx := context.Background()
	s, err := openExisting(ctx, *db)
	if err != nil {
		return fail(e, err)
	}
	defer s.Close()
	n, err := s.VerifyAudit(ctx)
	var br *audit.Break
	switch {
	case errors.As(err, &br):
		fmt.Fprintf(e.stdout, "BROKEN at event %d: %s\n%d events before it verified.\n", br.EventID, br.Reason, n)
		return exitFailure
	case err != nil:
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "OK: %d events verified, the audit chain is intact.\n", n)
	return exitOK
}

func runAuditExport(e env, args []string) int {
	fs := newFlags(e, "audit export", "", "Write the audit log to standard output, oldest first. JSON lines keeps every field exactly\n(an export can be verified again); CSV is for spreadsheets.")
	db := fs.String("db", envOr(e, "DUBAN_DB", defaultDB), "SQLite file or PostgreSQL DSN (env DUBAN_DB)")
	after := fs.Int64("after", 0, "only events with an id above this")
	format := fs.String("format", audit.FormatJSONL, "jsonl or csv")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 || *after < 0 {
		fs.Usage()
		return exitUsage
	}
	w := bufio.NewWriter(e.stdout)
	enc, err := audit.NewEncoder(w, *format)
	if err != nil {
		fmt.Fprintf(e.stderr, "duban audit export: %v\n", err)
		return exitUsage
	}
	ctx := context.Background()
	s, err := openExisting(ctx, *db)
	if err != nil {
		return fail(e, err)
	}
	defer s.Close()
	const page = 2000
	for cursor := *after; ; {
		events, err := s.AuditEvents(ctx, cursor, page)
		if err != nil {
			return fail(e, err)
		}
		for _, ev := range events {
			if err := enc.Encode(ev); err != nil {
				return fail(e, err)
			}
			cursor = ev.ID
		}
		if len(events) < page {
			break
		}
	}
	if err := enc.Flush(); err != nil {
		return fail(e, err)
	}
	if err := w.Flush(); err != nil {
		return fail(e, err)
	}
	return exitOK
}
