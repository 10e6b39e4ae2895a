package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/importer"
	"github.com/duban-org/duban/internal/seed"
	"github.com/duban-org/duban/internal/server"
	"github.com/duban-org/duban/internal/store"
)

// openStore opens and migrates the database a command names.
func openStore(ctx context.Context, dsn string) (*store.Store, error) {
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func runMigrate(e env, args []string) int {
	fs := newFlags(e, "migrate", "", "Bring the database schema up to date (serve does this on start too).")
	db := fs.String("db", envOr(e, "DUBAN_DB", defaultDB), "SQLite file or PostgreSQL DSN (env DUBAN_DB)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	ctx := context.Background()
	s, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, err)
	}
	defer s.Close()
	cur, _, err := s.SchemaVersion(ctx)
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "schema at version %d\n", cur)
	return exitOK
}

func runImport(e env, args []string) int {
	fs := newFlags(e, "import", "FILE", "Extract a plan document and store it as a draft plan for review.\nThe same document twice does not create two plans.")
	db := fs.String("db", envOr(e, "DUBAN_DB", defaultDB), "SQLite file or PostgreSQL DSN (env DUBAN_DB)")
	jur := fs.String("jurisdiction", seed.JurisdictionCode, "GB/T 2260 code of the plan's jurisdiction (must exist)")
	year := fs.Int("year", 0, "the plan's year (default: read from the document)")
	unitsFile := fs.String("units", envOr(e, "DUBAN_UNITS", ""), "keyword → unit table (JSON)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	opt, err := extractOptions(*unitsFile)
	if err != nil {
		return fail(e, err)
	}
	data, err := readInput(fs.Arg(0))
	if err != nil {
		return fail(e, err)
	}
	ctx := context.Background()
	s, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, err)
	}
	defer s.Close()
	if err := server.EnsureSeedJurisdictions(ctx, s); err != nil {
		return fail(e, err)
	}
	if _, err := s.Jurisdiction(ctx, *jur); err != nil {
		return fail(e, fmt.Errorf("jurisdiction %s is not in this database", *jur))
	}
	var res importer.Result
	err = s.Write(ctx, audit.System("duban import"), func(tx *store.Tx) error {
		res, err = importer.Import(ctx, tx, importer.Request{
			Jurisdiction: *jur, Name: filepath.Base(fs.Arg(0)), Data: data, Year: *year, Options: opt,
		}, time.Now().Year())
		return err
	})
	if err != nil {
		return fail(e, err)
	}
	verb := "imported"
	if !res.Created {
		verb = "already imported"
	}
	p := res.Plan
	fmt.Fprintf(e.stdout, "%s: plan %d %q (%d, %s): %d sections, %d tasks, %d flags for review\n",
		verb, p.ID, p.Title, p.Year, p.Status, len(p.Sections), len(p.Tasks), len(p.Flags))
	return exitOK
}
