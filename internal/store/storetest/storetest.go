// Package storetest opens real, empty, migrated databases for tests: a SQLite
// file in a temporary folder always, and a PostgreSQL schema of its own when
// DUBAN_TEST_POSTGRES names a server. Under CI=true the PostgreSQL half may
// not be skipped, so a green CI means both engines passed.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/store"
)

// EnvPostgres names the variable holding a PostgreSQL DSN for tests; the
// role must be allowed to create schemas.
const EnvPostgres = "DUBAN_TEST_POSTGRES"

// Backend is one engine to run a test on.
type Backend struct {
	Name string
	// DSN opens a fresh, empty database on this engine and registers its
	// removal with t.Cleanup.
	DSN func(t testing.TB) string
}

// Backends lists the engines available to this test run. Without
// DUBAN_TEST_POSTGRES it is SQLite only, unless CI=true, where the test fails.
func Backends(t testing.TB) []Backend {
	bs := []Backend{{Name: "sqlite", DSN: sqliteDSN}}
	if os.Getenv(EnvPostgres) != "" {
		bs = append(bs, Backend{Name: "postgres", DSN: postgresDSN})
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set: under CI=true the PostgreSQL half of the store tests may not be skipped", EnvPostgres)
	}
	return bs
}

// Each runs fn once per backend as a subtest, each with a fresh, migrated
// store whose clock is clock (nil: time.Now).
func Each(t *testing.T, clock func() time.Time, fn func(t *testing.T, s *store.Store)) {
	for _, b := range Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			fn(t, Open(t, b, clock))
		})
	}
}

// Open opens and migrates a fresh store on backend b.
func Open(t testing.TB, b Backend, clock func() time.Time) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, b.DSN(t), store.Options{Now: clock})
	if err != nil {
		t.Fatalf("open %s: %v", b.Name, err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", b.Name, err)
	}
	return s
}

func sqliteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "duban.db")
}

// postgresDSN creates a schema of its own for the test and points the DSN's
// search_path at it, so tests can run in parallel on one database.
func postgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("postgres: create schema (is %s reachable?): %v", EnvPostgres, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	return withSearchPath(t, base, schema)
}

func withSearchPath(t testing.TB, dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("%s: %v", EnvPostgres, err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}
