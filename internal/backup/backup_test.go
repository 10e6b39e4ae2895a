package backup_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/backup"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/store"
)

var ctx = context.Background()

func openDB(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func addUnit(s *store.Store, name string) error {
	return s.Write(ctx, audit.Actor{Name: "writer", Remote: "127.0.0.1"}, func(tx *store.Tx) error {
		_, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: name})
		return err
	})
}

// newDB makes a database with a jurisdiction and n units.
func newDB(t *testing.T, dir string, n int) (string, *store.Store) {
	t.Helper()
	path := filepath.Join(dir, "duban.db")
	s := openDB(t, path)
	err := s.Write(ctx, audit.System("test"), func(tx *store.Tx) error {
		return tx.EnsureJurisdiction(ctx, org.Jurisdiction{Code: "140105", Name: "小店区"})
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := addUnit(s, fmt.Sprintf("单位%03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	return path, s
}

func unitNames(t *testing.T, s *store.Store) []string {
	t.Helper()
	units, err := s.Units(ctx, "140105")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range units {
		names = append(names, fmt.Sprintf("%d:%s", u.ID, u.Name))
	}
	return names
}

func events(t *testing.T, s *store.Store) []audit.Event {
	t.Helper()
	var all []audit.Event
	for after := int64(0); ; {
		page, err := s.AuditEvents(ctx, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < 1000 {
			return all
		}
		after = page[len(page)-1].ID
	}
}

// TestBackupWhileWritingRoundTrip backs up a database while two writers add
// units, restores the copy into a new place and compares: the copy is one
// consistent moment of the original (a prefix of its audit log, with exactly
// the units that prefix records), and the chain verifies.
func TestBackupWhileWritingRoundTrip(t *testing.T) {
	dir := t.TempDir()
	_, s := newDB(t, dir, 20)
	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := addUnit(s, fmt.Sprintf("并发单位%d-%d", w, i)); err != nil {
					errs <- err
					return
				}
				written.Add(1)
			}
		}(w)
	}
	for written.Load() < 30 {
		time.Sleep(time.Millisecond)
	}
	file := filepath.Join(dir, "backup.db")
	info, err := backup.SQLite(ctx, s, file)
	atBackup := written.Load()
	for written.Load() < atBackup+30 { // keep writing after the copy too
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("writer: %v", err)
	}
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if info.Path != file || info.Events < 1+20+30 || info.Bytes == 0 {
		t.Fatalf("info = %+v", info)
	}

	restored := filepath.Join(t.TempDir(), "restored.db")
	res, err := backup.Restore(ctx, file, restored, time.Now())
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if res.Previous != "" || res.Events != info.Events {
		t.Fatalf("restore = %+v, backup said %+v", res, info)
	}
	r := openDB(t, restored)
	if n, err := r.VerifyAudit(ctx); err != nil || n != info.Events {
		t.Fatalf("restored chain: %d events, %v", n, err)
	}
	orig, copyEvents := events(t, s), events(t, r)
	if len(copyEvents) >= len(orig) {
		t.Fatalf("the copy has %d events, the original %d: writes after the backup should be missing", len(copyEvents), len(orig))
	}
	units := 0
	for i, e := range copyEvents {
		if e.Hash != orig[i].Hash {
			t.Fatalf("event %d differs between copy and original", e.ID)
		}
		if e.Action == "unit.create" {
			units++
		}
	}
	origUnits, copyUnits := unitNames(t, s), unitNames(t, r)
	if len(copyUnits) != units {
		t.Fatalf("the copy has %d units but its log records %d: not one consistent moment", len(copyUnits), units)
	}
	have := map[string]bool{}
	for _, u := range origUnits {
		have[u] = true
	}
	for _, u := range copyUnits {
		if !have[u] {
			t.Fatalf("unit %s in the copy is not in the original", u)
		}
	}
	leftovers(t, dir, "duban.db", "duban.db-wal", "duban.db-shm", "backup.db")
}

// leftovers fails if dir holds anything but the named files.
func leftovers(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ok := map[string]bool{}
	for _, w := range want {
		ok[w] = true
	}
	for _, e := range entries {
		if !ok[e.Name()] {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestBackupNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	_, s := newDB(t, dir, 1)
	file := filepath.Join(dir, "keep.db")
	os.WriteFile(file, []byte("precious"), 0o600)
	_, err := backup.SQLite(ctx, s, file)
	if !errors.Is(err, fault.ErrConflict) || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "precious" {
		t.Fatalf("the existing file was changed to %q", b)
	}
	leftovers(t, dir, "duban.db", "duban.db-wal", "duban.db-shm", "keep.db")
}

func TestRestoreKeepsThePreviousDatabase(t *testing.T) {
	dir := t.TempDir()
	_, s := newDB(t, dir, 3)
	file := filepath.Join(dir, "b.db")
	if _, err := backup.SQLite(ctx, s, file); err != nil {
		t.Fatal(err)
	}
	// The live database moves on; then it is closed (server stopped) and
	// the backup restored over it.
	target := filepath.Join(t.TempDir(), "live.db")
	if _, err := backup.Restore(ctx, file, target, time.Now()); err != nil {
		t.Fatal(err)
	}
	live := openDB(t, target)
	if err := addUnit(live, "备份之后的单位"); err != nil {
		t.Fatal(err)
	}
	live.Close()
	now := time.Date(2026, 11, 29, 8, 30, 5, 0, time.UTC)
	res, err := backup.Restore(ctx, file, target, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := target + ".bak-20261129T083005Z"; res.Previous != want {
		t.Fatalf("previous = %q, want %q", res.Previous, want)
	}
	for path, want := range map[string]int{target: 3, res.Previous: 4} {
		db := openDB(t, path)
		if got := unitNames(t, db); len(got) != want {
			t.Fatalf("%s: units %v, want %d", path, got, want)
		}
		db.Close()
	}
	// The same second again would overwrite the kept copy: refused.
	if _, err := backup.Restore(ctx, file, target, now); !errors.Is(err, fault.ErrConflict) {
		t.Fatalf("second restore in the same second: %v", err)
	}
}

func TestRestoreRefusesWhileInUse(t *testing.T) {
	dir := t.TempDir()
	path, s := newDB(t, dir, 2) // s stays open, as a running server would hold it
	file := filepath.Join(t.TempDir(), "b.db")
	if _, err := backup.SQLite(ctx, s, file); err != nil {
		t.Fatal(err)
	}
	_, err := backup.Restore(ctx, file, path, time.Now())
	if !errors.Is(err, backup.ErrInUse) {
		t.Fatalf("restore over an open database: %v", err)
	}
	if got := unitNames(t, s); len(got) != 2 {
		t.Fatalf("the open database changed: %v", got)
	}
	leftovers(t, dir, "duban.db", "duban.db-wal", "duban.db-shm")
}

func TestRestoreRefusesWhatIsNotAGoodBackup(t *testing.T) {
	good := func(t *testing.T) string {
		dir := t.TempDir()
		_, s := newDB(t, dir, 4)
		file := filepath.Join(dir, "b.db")
		if _, err := backup.SQLite(ctx, s, file); err != nil {
			t.Fatal(err)
		}
		return file
	}
	sqlOn := func(t *testing.T, path, q string) {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		make func(t *testing.T) string
		want string
	}{
		{"text file", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "notes.db")
			os.WriteFile(p, []byte("工作要点：这不是数据库。"), 0o600)
			return p
		}, "not a SQLite database"},
		{"other SQLite database", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "other.db")
			sqlOn(t, p, `CREATE TABLE recipes (name TEXT)`)
			return p
		}, "not a duban database"},
		{"audit event altered", func(t *testing.T) string {
			p := good(t)
			sqlOn(t, p, `UPDATE audit_events SET actor_name = 'nobody' WHERE id = 3`)
			return p
		}, "audit chain broken at event 3"},
		{"truncated", func(t *testing.T) string {
			p := good(t)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/2], 0o600)
			return p
		}, "not restored"},
		{"missing", func(t *testing.T) string { return filepath.Join(t.TempDir(), "gone.db") }, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.make(t)
			dir := t.TempDir()
			target := filepath.Join(dir, "live.db")
			os.WriteFile(target, []byte("the current database, untouched"), 0o600)
			_, err := backup.Restore(ctx, src, target, time.Now())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if b, _ := os.ReadFile(target); string(b) != "the current database, untouched" {
				t.Fatal("the current database was changed")
			}
			leftovers(t, dir, "live.db")
		})
	}
}
