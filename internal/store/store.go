// Package store keeps duban's data in SQLite (embedded, the default) or
// PostgreSQL (for a city or province), behind one Store. The two engines
// differ only in a small dialect value (placeholders, DDL in the migration
// folders); every query is hand-written portable SQL, and one test suite runs
// against both.
//
// Reads are methods on Store. Writes happen inside Store.Write, which runs a
// function in one transaction and appends an audit event for every change in
// that same transaction, so a change and its record stand or fall together.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/pressly/goose/v3"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite", pure Go
)

//go:embed migrations
var migrations embed.FS

// Store is duban's database.
type Store struct {
	reader
	db  *sql.DB
	now func() time.Time
	dsn string
	// inputs caches plans' delivery inputs by revision (delivery_cache.go).
	inputs *inputsCache
}

// Options configure Open.
type Options struct {
	// Now is the clock for timestamps; nil means time.Now. Tests set it.
	Now func() time.Time
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") ||
		strings.Contains(dsn, "host=") || strings.Contains(dsn, "dbname=")
}

// Open connects to the database named by dsn: a PostgreSQL URL or key=value
// string, or else a SQLite file path. It checks the database can be reached
// but does not migrate it; call Migrate.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	if dsn == "" {
		return nil, errors.New("store: no database given")
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	var (
		db  *sql.DB
		d   dialect
		err error
	)
	if IsPostgres(dsn) {
		d = postgres
		db, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: PostgreSQL DSN: %w", err)
		}
		db.SetMaxOpenConns(20)
	} else {
		d = sqlite
		if err := checkSQLiteFile(dsn); err != nil {
			return nil, err
		}
		db, err = sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("store: SQLite %s: %w", dsn, err)
		}
		// One writer at a time is SQLite's model; a few readers can share
		// WAL snapshots. _txlock=immediate makes writers queue on busy_timeout
		// instead of failing on lock upgrade.
		db.SetMaxOpenConns(8)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		if d == postgres {
			return nil, fmt.Errorf("store: cannot reach PostgreSQL (%s): %w", redact(dsn), err)
		}
		return nil, fmt.Errorf("store: cannot open SQLite database %s: %w", dsn, err)
	}
	return &Store{reader: reader{q: db, d: d}, db: db, now: now, dsn: dsn, inputs: newInputsCache()}, nil
}

// sqliteDSN adds the pragmas duban relies on to a file path.
func sqliteDSN(path string) string {
	p := strings.TrimPrefix(path, "file:")
	base, query, _ := strings.Cut(p, "?")
	v, _ := url.ParseQuery(query)
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "foreign_keys(1)")
	v.Add("_pragma", "synchronous(NORMAL)")
	v.Set("_txlock", "immediate")
	v.Set("_time_format", "sqlite")
	return "file:" + base + "?" + v.Encode()
}

// checkSQLiteFile gives a clear error for a path that exists but is not a
// SQLite database at all (SQLite itself only says so at the first query).
func checkSQLiteFile(dsn string) error {
	path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == ":memory:" || path == "" {
		return nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // SQLite creates it
	}
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if st.IsDir() {
		return fmt.Errorf("store: %s is a directory, not a database file", path)
	}
	if st.Size() == 0 {
		return nil
	}
	head := make([]byte, 16)
	n, _ := f.Read(head)
	if n < 16 || string(head) != "SQLite format 3\x00" {
		return fmt.Errorf("store: %s is not a duban database (not a SQLite file)", path)
	}
	return nil
}

// redact hides a password in a DSN for error messages and logs.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		return u.String()
	}
	if i := strings.Index(dsn, "password="); i >= 0 {
		j := strings.IndexByte(dsn[i:], ' ')
		if j < 0 {
			return dsn[:i] + "password=xxxxx"
		}
		return dsn[:i] + "password=xxxxx" + dsn[i+j:]
	}
	return dsn
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the connection pool for the few callers that need the engine
// itself (backup); domain code never does.
func (s *Store) DB() *sql.DB { return s.db }

// Postgres reports whether the store is on PostgreSQL.
func (s *Store) Postgres() bool { return s.d == postgres }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.d.name)
	if err != nil {
		return nil, err
	}
	gd := goose.DialectSQLite3
	if s.d == postgres {
		gd = goose.DialectPostgres
	}
	return goose.NewProvider(gd, s.db, sub)
}

// Migrate brings the schema up to date. It refuses a database that has tables
// but was never a duban database, rather than writing into someone else's.
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.checkForeign(ctx); err != nil {
		return err
	}
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// SchemaVersion returns the current and the latest migration version.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	srcs := p.ListSources()
	if n := len(srcs); n > 0 {
		latest = srcs[n-1].Version
	}
	return current, latest, nil
}

func (s *Store) checkForeign(ctx context.Context) error {
	var q string
	if s.d == postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	} else {
		q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("store: %s is not a duban database: %w", s.describe(), err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("store: listing tables: %w", err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: %s is not a duban database: %w", s.describe(), err)
	}
	if len(tables) == 0 {
		return nil
	}
	for _, t := range tables {
		if t == "goose_db_version" {
			return nil
		}
	}
	return fmt.Errorf("store: %s is not a duban database (it has %d other tables, e.g. %q)", s.describe(), len(tables), tables[0])
}

func (s *Store) describe() string {
	if s.d == postgres {
		return redact(s.dsn)
	}
	return s.dsn
}
