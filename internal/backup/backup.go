// Package backup copies a duban database to a file and puts such a copy
// back. It exists because a government office must be able to show that its
// records survive a lost disk, and an audit log is only worth something if
// its copies can be checked too: every backup is verified (integrity check,
// schema, audit hash chain) before it is called a backup, and every restore
// verifies the file before it replaces anything.
//
// # SQLite
//
// `duban backup FILE` works while the server runs. It uses SQLite's
// VACUUM INTO, which reads one consistent snapshot of the database (under
// WAL, writers carry on meanwhile) and writes a compact copy. The copy is
// written under a temporary name beside FILE, checked, synced and only then
// given its name; an existing FILE is never overwritten.
//
// `duban restore FILE` needs the server STOPPED. SQLite cannot tell reliably
// whether another process has a database open; restore refuses when it sees
// the signs of one (a -wal file that outlives its own connection), but
// stopping the server first is the rule, not that check. The previous
// database is kept beside the new one as DB.bak-YYYYMMDDTHHMMSSZ.
//
// # Attachments
//
// Report attachments are files in the data folder (DUBAN_DATA/attachments),
// not rows, and neither command copies them. Copy that folder with any file
// tool (cp -a, rsync) after the database backup: a stored file never changes
// and is written before the row that names it, so a folder copied after the
// database holds every attachment the backup refers to.
//
// # PostgreSQL
//
// duban does not copy a PostgreSQL database itself: pg_dump already takes a
// consistent snapshot while the server runs, and the database's own tools
// are what its administrators know. See PostgresBackup and PostgresRestore
// for the commands; run `duban audit verify --db DSN` after a restore.
package backup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/store"
)

// PostgresBackup is the documented way to back up a PostgreSQL database
// while duban runs: a custom-format dump (compressed, restorable table by
// table) taken from one consistent snapshot.
const PostgresBackup = `pg_dump --format=custom --no-owner --file=FILE "$DUBAN_DB"`

// PostgresRestore is the documented way to restore such a dump, with the
// duban servers stopped, into the database DUBAN_DB names; verify the audit
// chain afterwards.
const PostgresRestore = `pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DUBAN_DB" FILE && duban audit verify --db "$DUBAN_DB"`

// ErrPostgres is returned for a PostgreSQL database, which these functions
// do not copy (see PostgresBackup).
var ErrPostgres = errors.New("duban backs up SQLite databases itself; a PostgreSQL database is backed up with pg_dump")

// Info describes a checked database file.
type Info struct {
	Path   string
	Bytes  int64
	Schema int64 // migration version
	Events int64 // audit events verified
}

// SQLite writes a consistent copy of the open SQLite store s to dest and
// checks it. It refuses to overwrite an existing dest, and leaves nothing at
// dest when anything fails.
func SQLite(ctx context.Context, s *store.Store, dest string) (Info, error) {
	if s.Postgres() {
		return Info{}, ErrPostgres
	}
	if err := refuseExisting(dest); err != nil {
		return Info{}, err
	}
	tmp, err := tempBeside(dest, "backup")
	if err != nil {
		return Info{}, err
	}
	defer removeDB(tmp) // after a successful link, only the temporary name goes
	// VACUUM INTO runs as one read transaction: a snapshot of the database
	// as of its start, whatever writers do meanwhile.
	if _, err := s.DB().ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return Info{}, fmt.Errorf("backup: copy the database: %w", err)
	}
	info, err := Check(ctx, tmp)
	if err != nil {
		return Info{}, fmt.Errorf("backup: the copy does not check out, so it was not kept: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return Info{}, err
	}
	// A hard link gives the file its name only if the name is free, so a
	// file created at dest meanwhile is not overwritten either.
	if err := os.Link(tmp, dest); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Info{}, existsError(dest)
		}
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	if err := syncDir(filepath.Dir(dest)); err != nil {
		return Info{}, err
	}
	info.Path = dest
	return info, nil
}

// Check opens the SQLite file at path and confirms it is a duban database
// this version can use: SQLite's integrity check passes, duban's tables and
// migration record are there and no newer than this program, and the audit
// chain verifies to the last event. Opening may leave the file in WAL mode,
// so callers check copies, never a file a user handed them.
func Check(ctx context.Context, path string) (Info, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	if !st.Mode().IsRegular() {
		return Info{}, fmt.Errorf("backup: %s is not a regular file: %w", path, fault.ErrInvalid)
	}
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return Info{}, fmt.Errorf("%w: %w", err, fault.ErrInvalid)
	}
	defer s.Close()
	db := s.DB()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return Info{}, fmt.Errorf("backup: %s: integrity check: %w: %w", path, err, fault.ErrInvalid)
	}
	if result != "ok" {
		return Info{}, fmt.Errorf("backup: %s fails SQLite's integrity check: %s: %w", path, result, fault.ErrInvalid)
	}
	for _, table := range []string{"goose_db_version", "audit_head", "audit_events", "plans"} {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil {
			return Info{}, fmt.Errorf("backup: %s: %w", path, err)
		}
		if n == 0 {
			return Info{}, fmt.Errorf("backup: %s is not a duban database (no %s table): %w", path, table, fault.ErrInvalid)
		}
	}
	cur, latest, err := s.SchemaVersion(ctx)
	if err != nil {
		return Info{}, fmt.Errorf("%w: %w", err, fault.ErrInvalid)
	}
	if cur > latest {
		return Info{}, fmt.Errorf("backup: %s has schema version %d, newer than this duban knows (%d): use the duban that made it: %w", path, cur, latest, fault.ErrInvalid)
	}
	n, err := s.VerifyAudit(ctx)
	if err != nil {
		return Info{}, fmt.Errorf("backup: %s: %w: %w", path, err, fault.ErrInvalid)
	}
	if err := s.Close(); err != nil { // checkpoints the WAL back into the file
		return Info{}, fmt.Errorf("backup: close %s: %w", path, err)
	}
	st, err = os.Stat(path)
	if err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	return Info{Path: path, Bytes: st.Size(), Schema: cur, Events: n}, nil
}

// Restored says what Restore did.
type Restored struct {
	Info
	Previous string // where the replaced database now is; "" if there was none
}

// Restore checks the backup at src and puts a copy of it at dest, the
// database path the server uses, keeping any database already there as
// dest.bak-TIMESTAMP. The server must be stopped: see the package comment.
// src itself is only read.
func Restore(ctx context.Context, src, dest string, now time.Time) (Restored, error) {
	if same, err := sameFile(src, dest); err != nil {
		return Restored{}, err
	} else if same {
		return Restored{}, fmt.Errorf("restore: %s is the database itself: %w", src, fault.ErrInvalid)
	}
	tmp, err := tempBeside(dest, "restore")
	if err != nil {
		return Restored{}, err
	}
	defer removeDB(tmp) // gone after the rename; removed on any failure
	if err := copyFile(src, tmp); err != nil {
		return Restored{}, err
	}
	info, err := Check(ctx, tmp)
	if err != nil {
		return Restored{}, fmt.Errorf("restore: %s was not restored: %w", src, err)
	}
	if err := syncFile(tmp); err != nil {
		return Restored{}, err
	}
	var previous string
	if _, err := os.Lstat(dest); err == nil {
		if err := quiesce(ctx, dest); err != nil {
			return Restored{}, err
		}
		previous = dest + ".bak-" + now.UTC().Format("20060102T150405Z")
		if err := refuseExisting(previous); err != nil {
			return Restored{}, err
		}
		if err := os.Link(dest, previous); err != nil {
			return Restored{}, fmt.Errorf("restore: keep the current database as %s: %w", previous, err)
		}
		// A WAL left by a database that could not be opened (corrupt)
		// belongs to it: it goes with the old file, never onto the new one.
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Lstat(dest + suffix); err == nil {
				if err := os.Rename(dest+suffix, previous+suffix); err != nil {
					return Restored{}, fmt.Errorf("restore: move %s aside: %w", dest+suffix, err)
				}
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return Restored{}, fmt.Errorf("restore: %w", err)
	}
	// rename replaces dest in one step: a reader sees the old database or
	// the new one, never half of either.
	if err := os.Rename(tmp, dest); err != nil {
		return Restored{}, fmt.Errorf("restore: put the backup in place: %w", err)
	}
	if err := syncDir(filepath.Dir(dest)); err != nil {
		return Restored{}, err
	}
	info.Path = dest
	return Restored{Info: info, Previous: previous}, nil
}

// ErrInUse means another process seems to have the database open.
var ErrInUse = errors.New("the database is in use by another process (is duban serve running?): stop it first")

// quiesce folds the current database's WAL into it and checks that nobody
// else holds it: SQLite deletes the -wal file when the last connection
// closes, so one that survives our close belongs to another process. A
// database too damaged to open is left as it is; it is being replaced.
func quiesce(ctx context.Context, path string) error {
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return nil
	}
	// A checkpoint that fails (a damaged file) is no reason to stop: the
	// file is being replaced, and kept as .bak with its WAL.
	_, _ = s.DB().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	if err := s.Close(); err != nil {
		return fmt.Errorf("restore: close %s: %w", path, err)
	}
	if _, err := os.Lstat(path + "-wal"); err == nil {
		return fmt.Errorf("restore: %s: %w (%s-wal is still there)", path, ErrInUse, path)
	}
	return nil
}

func refuseExisting(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return existsError(path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func existsError(path string) error {
	return fmt.Errorf("%s already exists; choose another name (a backup never overwrites a file): %w", path, fault.ErrConflict)
}

// tempBeside names an empty temporary file in dest's folder, so that the
// final rename or link stays on one file system.
func tempBeside(dest, purpose string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	dir, base := filepath.Split(dest)
	if dir == "" {
		dir = "."
	}
	tmp := filepath.Join(dir, "."+base+"."+purpose+"-"+hex.EncodeToString(b[:]))
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("%s: %w", purpose, err)
	}
	return tmp, f.Close()
}

// removeDB removes a database file and the WAL files SQLite may have left
// beside it.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		_ = os.Remove(path + suffix)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("restore: %s is not a regular file: %w", src, fault.ErrInvalid)
	}
	head := make([]byte, 16)
	if _, err := io.ReadFull(in, head); err != nil || string(head) != "SQLite format 3\x00" {
		return fmt.Errorf("restore: %s is not a SQLite database, so not a duban backup: %w", src, fault.ErrInvalid)
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("restore: copy %s: %w", src, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("restore: %w", err)
	}
	return out.Close()
}

func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, fmt.Errorf("restore: %w", err)
	}
	sb, err := os.Stat(b)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("restore: %w", err)
	}
	return os.SameFile(sa, sb), nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup: sync %s: %w", path, err)
	}
	return nil
}

// syncDir makes a new name in dir durable; file systems that cannot sync a
// folder (some network mounts) are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !strings.Contains(err.Error(), "invalid argument") {
		return fmt.Errorf("backup: sync %s: %w", dir, err)
	}
	return nil
}
