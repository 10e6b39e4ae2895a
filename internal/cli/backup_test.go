package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	db := makeDB(t, 4)
	file := filepath.Join(t.TempDir(), "b.db")
	code, out, errs := run(t, "backup", "--db", db, file)
	if code != exitOK || !strings.Contains(out, "audit chain (5 events) verified") {
		t.Fatalf("backup: exit %d, %q, %q", code, out, errs)
	}
	if code, _, errs := run(t, "backup", "--db", db, file); code != exitFailure || !strings.Contains(errs, "already exists") {
		t.Fatalf("backup over a file: exit %d, %q", code, errs)
	}
	target := filepath.Join(t.TempDir(), "live.db")
	code, out, errs = run(t, "restore", "--db", target, file)
	if code != exitOK || !strings.Contains(out, "audit chain of 5 events verified") || strings.Contains(out, "kept as") {
		t.Fatalf("restore: exit %d, %q, %q", code, out, errs)
	}
	code, out, _ = run(t, "restore", "--db", target, file)
	if code != exitOK || !strings.Contains(out, "kept as "+target+".bak-") {
		t.Fatalf("restore over a database: exit %d, %q", code, out)
	}
	if code, out, _ := run(t, "audit", "verify", "--db", target); code != exitOK || !strings.Contains(out, "OK: 5 events") {
		t.Fatalf("verify restored: exit %d, %q", code, out)
	}
}

func TestBackupPostgresPrintsPgDump(t *testing.T) {
	for _, cmd := range []string{"backup", "restore"} {
		code, _, errs := run(t, cmd, "--db", "postgres://duban@127.0.0.1/duban", "x.dump")
		if code != exitUsage || !strings.Contains(errs, "pg_restore") {
			t.Fatalf("%s: exit %d, %q", cmd, code, errs)
		}
		if cmd == "backup" && !strings.Contains(errs, "pg_dump --format=custom") {
			t.Fatalf("backup: %q", errs)
		}
	}
	if code, _, _ := run(t, "backup"); code != exitUsage {
		t.Fatalf("no file: exit %d", code)
	}
}
