package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/duban-org/duban/internal/backup"
	"github.com/duban-org/duban/internal/store"
)

func runBackup(e env, args []string) int {
	fs := newFlags(e, "backup", "FILE", "Write a consistent copy of the SQLite database to FILE while the server runs, and check it\n(integrity, schema, audit chain). FILE must not exist. For PostgreSQL it prints the pg_dump command.")
	db := fs.String("db", envOr(e, "DUBAN_DB", defaultDB), "SQLite file or PostgreSQL DSN (env DUBAN_DB)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	if store.IsPostgres(*db) {
		fmt.Fprintf(e.stderr, "duban backup: %v.\nWhile duban runs, take a consistent dump with:\n\n  %s\n\nand restore it (servers stopped) with:\n\n  %s\n",
			backup.ErrPostgres, backup.PostgresBackup, backup.PostgresRestore)
		return exitUsage
	}
	ctx := context.Background()
	s, err := openExisting(ctx, *db)
	if err != nil {
		return fail(e, err)
	}
	defer s.Close()
	start := time.Now()
	info, err := backup.SQLite(ctx, s, fs.Arg(0))
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s (%d bytes, schema %d) in %s; integrity and audit chain (%d events) verified\n",
		*db, info.Path, info.Bytes, info.Schema, time.Since(start).Round(time.Millisecond), info.Events)
	return exitOK
}

func runRestore(e env, args []string) int {
	fs := newFlags(e, "restore", "FILE", "Replace the SQLite database with the backup FILE, after checking FILE (integrity, schema,\naudit chain). STOP THE SERVER FIRST. The current database is kept as DB.bak-TIMESTAMP.")
	db := fs.String("db", envOr(e, "DUBAN_DB", defaultDB), "SQLite file to replace (env DUBAN_DB)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	if store.IsPostgres(*db) {
		fmt.Fprintf(e.stderr, "duban restore: %v.\nWith the duban servers stopped, restore a pg_dump file with:\n\n  %s\n",
			backup.ErrPostgres, backup.PostgresRestore)
		return exitUsage
	}
	res, err := backup.Restore(context.Background(), fs.Arg(0), *db, time.Now())
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "restored %s to %s (schema %d; audit chain of %d events verified)\n", fs.Arg(0), res.Path, res.Schema, res.Events)
	if res.Previous != "" {
		fmt.Fprintf(e.stdout, "the previous database is kept as %s\n", res.Previous)
	}
	return exitOK
}
