package cli

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

// makeDB writes a real SQLite database with units audit events.
func makeDB(t *testing.T, units int) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "duban.db")
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	err = s.Write(ctx, audit.System("test"), func(tx *store.Tx) error {
		return tx.EnsureJurisdiction(ctx, org.Jurisdiction{Code: "140105", Name: "小店区"})
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < units; i++ {
		err := s.Write(ctx, audit.Actor{UserID: 7, Name: "=HYPERLINK(\"x\")", Remote: "127.0.0.1"}, func(tx *store.Tx) error {
			_, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: fmt.Sprintf("测试单位%d, \"甲\"\n第二行", i)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// copyFile copies a closed database so the original stays untouched.
func copyFile(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy.db")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = mainEnv(env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}, args)
	return code, out.String(), errb.String()
}

func alter(t *testing.T, path, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s changed %d rows, want 1", query, n)
	}
}

func TestAuditVerify(t *testing.T) {
	orig := makeDB(t, 12) // 1 jurisdiction + 12 units = 13 events
	tests := []struct {
		name     string
		query    string
		args     []any
		wantCode int
		want     string
	}{
		{"intact", "", nil, exitOK, "OK: 13 events verified"},
		{"content altered", `UPDATE audit_events SET after_json = replace(after_json, '测试单位5', '别的单位') WHERE id = 7`, nil, exitFailure, "BROKEN at event 7: its content does not match its hash"},
		{"actor altered", `UPDATE audit_events SET actor_name = 'someone' WHERE id = 3`, nil, exitFailure, "BROKEN at event 3"},
		{"time altered", `UPDATE audit_events SET at = '2020-01-01 00:00:00' WHERE id = 1`, nil, exitFailure, "BROKEN at event 1"},
		{"event removed", `DELETE FROM audit_events WHERE id = 9`, nil, exitFailure, "BROKEN at event 10: event 9 is missing"},
		{"tail removed", `DELETE FROM audit_events WHERE id = 13`, nil, exitFailure, "BROKEN at event 13: the log ends at event 12"},
		{"rehashed but unlinked", `UPDATE audit_events SET hash = ? WHERE id = 4`, []any{strings.Repeat("ab", 32)}, exitFailure, "BROKEN at event 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := copyFile(t, orig)
			if tt.query != "" {
				alter(t, db, tt.query, tt.args...)
			}
			code, out, errs := run(t, "audit", "verify", "--db", db)
			if code != tt.wantCode || !strings.Contains(out, tt.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errs, tt.wantCode, tt.want)
			}
		})
	}
}

func TestAuditVerifyMissingOrForeignDatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.db")
	code, _, errs := run(t, "audit", "verify", "--db", missing)
	if code != exitFailure || !strings.Contains(errs, "does not exist") {
		t.Fatalf("missing: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("verify created the database it was asked to check")
	}
	text := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(text, []byte("these are not the rows you are looking for"), 0o600)
	if code, _, errs := run(t, "audit", "verify", "--db", text); code != exitFailure || !strings.Contains(errs, "not a duban database") {
		t.Fatalf("text file: exit %d, %q", code, errs)
	}
	for _, args := range [][]string{{"audit"}, {"audit", "frobnicate"}, {"audit", "verify", "extra"}, {"audit", "export", "--format", "xml", "--db", missing}} {
		if code, _, _ := run(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestAuditExportJSONLinesVerifiesAgain(t *testing.T) {
	db := makeDB(t, 5)
	code, out, errs := run(t, "audit", "export", "--db", db)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	v := audit.NewVerifier()
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var e audit.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if err := v.Next(e); err != nil {
			t.Fatalf("exported chain: %v", err)
		}
	}
	if v.Count() != 6 {
		t.Fatalf("exported %d events, want 6", v.Count())
	}

	code, out, _ = run(t, "audit", "export", "--db", db, "--after", "4")
	if n := strings.Count(out, "\n"); code != exitOK || n != 2 {
		t.Fatalf("--after 4: exit %d, %d lines, want 2:\n%s", code, n, out)
	}
}

func TestAuditExportCSV(t *testing.T) {
	db := makeDB(t, 3)
	code, out, errs := run(t, "audit", "export", "--db", db, "--format", "csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Fatalf("CSV without a byte order mark: %q", out[:20])
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 5 || strings.Join(records[0], ",") != strings.Join(audit.CSVHeader, ",") {
		t.Fatalf("records = %q", records)
	}
	unit := records[2]
	if unit[5] != "unit.create" || unit[3] != `'=HYPERLINK("x")` {
		t.Fatalf("row %q: want the action and a formula-looking actor defused", unit)
	}
	if !strings.Contains(unit[9], "测试单位0, \\\"甲\\\"\\n第二行") {
		t.Fatalf("after column %q lost the unit's name", unit[9])
	}
	// An empty range still has its header.
	_, out, _ = run(t, "audit", "export", "--db", db, "--format", "csv", "--after", "100")
	if strings.TrimSpace(out) != "\uFEFF"+strings.Join(audit.CSVHeader, ",") {
		t.Fatalf("empty export %q", out)
	}
}

// TestAuditVerifyEachEngine runs the command against every engine the test
// run has (PostgreSQL when DUBAN_TEST_POSTGRES is set), altering a row with
// the engine's own SQL.
func TestAuditVerifyEachEngine(t *testing.T) {
	ctx := context.Background()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.DSN(t)
			s, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			for _, code := range []string{"140000", "140100", "140105"} {
				err := s.Write(ctx, audit.System("test"), func(tx *store.Tx) error {
					return tx.EnsureJurisdiction(ctx, org.Jurisdiction{Code: code, Name: "地区" + code})
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if code, out, errs := run(t, "audit", "verify", "--db", dsn); code != exitOK || !strings.Contains(out, "OK: 3 events") {
				t.Fatalf("intact: exit %d, %q %q", code, out, errs)
			}
			if _, err := s.DB().Exec(`UPDATE audit_events SET entity_id = '140106' WHERE id = 2`); err != nil {
				t.Fatal(err)
			}
			if code, out, errs := run(t, "audit", "verify", "--db", dsn); code != exitFailure || !strings.Contains(out, "BROKEN at event 2") {
				t.Fatalf("altered: exit %d, %q %q", code, out, errs)
			}
		})
	}
}
