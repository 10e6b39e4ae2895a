package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-org/duban/internal/seed"
)

// run runs the command line with in-memory streams and the given
// environment (nothing from the real one leaks in).
func runCLI(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = mainEnv(env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}, args)
	return code, out.String(), errb.String()
}

func TestUsageAndHelp(t *testing.T) {
	if code, _, stderr := runCLI(t, nil); code != exitUsage || !strings.Contains(stderr, "Commands:") {
		t.Fatalf("no args: %d %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, nil, "frobnicate"); code != exitUsage || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Fatalf("unknown: %d %q", code, stderr)
	}
	for name := range commands() {
		code, _, stderr := runCLI(t, nil, name, "--help")
		if code != exitOK || !strings.Contains(stderr, "Usage: duban "+name) {
			t.Errorf("%s --help: %d %q", name, code, stderr)
		}
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExtract(t *testing.T) {
	plan := writeFile(t, seed.PlanName, seed.PlanText)
	code, stdout, stderr := runCLI(t, nil, "extract", "--json", plan)
	if code != exitOK {
		t.Fatalf("extract --json: %d %s", code, stderr)
	}
	var doc struct {
		Title   string `json:"title"`
		Targets []struct {
			Text  string  `json:"text"`
			Value float64 `json:"value"`
			Unit  string  `json:"unit"`
		} `json:"targets"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.Title == "" || len(doc.Targets) != 6 {
		t.Fatalf("title %q, %d targets", doc.Title, len(doc.Targets))
	}
	if code, stdout, _ := runCLI(t, nil, "extract", plan); code != exitOK || !strings.Contains(stdout, "新增就业") {
		t.Fatalf("extract as text: %d %.200s", code, stdout)
	}

	cases := []struct {
		name string
		file string
		want string
	}{
		{"missing", filepath.Join(t.TempDir(), "nope.txt"), "no such file"},
		{"empty", writeFile(t, "empty.txt", nil), "empty"},
		{"binary", writeFile(t, "x.txt", []byte{0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0}), ""},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, nil, "extract", c.file)
		if code != exitFailure || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q: want exit 1 and one line containing %q", c.name, code, stderr, c.want)
		}
	}
	if code, _, _ := runCLI(t, nil, "extract"); code != exitUsage {
		t.Errorf("extract without a file: exit %d", code)
	}
}

func TestDatabaseErrorsAreOneLine(t *testing.T) {
	notDB := writeFile(t, "notes.db", []byte(strings.Repeat("plain text, not a database. ", 4)))
	for _, c := range []struct {
		name, db, want string
	}{
		{"not a duban database", notDB, "not a duban database"},
		{"unreachable PostgreSQL", "postgres://duban:pw@127.0.0.1:1/duban?sslmode=disable&connect_timeout=2", "cannot reach PostgreSQL"},
	} {
		for _, cmd := range [][]string{{"migrate", "--db", c.db}, {"serve", "--addr", "127.0.0.1:0", "--db", c.db}} {
			code, _, stderr := runCLI(t, nil, cmd...)
			if code != exitFailure || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, c.want) {
				t.Errorf("%s %s: exit %d, stderr %q", cmd[0], c.name, code, stderr)
			}
		}
	}
}

func TestImportTwiceGivesOnePlan(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	plan := writeFile(t, seed.PlanName, seed.PlanText)
	code, stdout, stderr := runCLI(t, nil, "import", "--db", db, plan)
	if code != exitOK || !strings.HasPrefix(stdout, "imported: plan 1 ") || !strings.Contains(stdout, "(2021, draft)") {
		t.Fatalf("first import: %d %q %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, nil, "import", "--db", db, plan)
	if code != exitOK || !strings.HasPrefix(stdout, "already imported: plan 1 ") {
		t.Fatalf("second import: %d %q", code, stdout)
	}
	if code, _, stderr := runCLI(t, nil, "import", "--db", db, "--jurisdiction", "999999", plan); code != exitFailure || !strings.Contains(stderr, "999999") {
		t.Fatalf("unknown jurisdiction: %d %q", code, stderr)
	}
	if code, stdout, _ := runCLI(t, nil, "migrate", "--db", db); code != exitOK || !strings.HasPrefix(stdout, "schema at version") {
		t.Fatalf("migrate: %d %q", code, stdout)
	}
}

func TestServeFlagsFromEnvironment(t *testing.T) {
	// A bad address from the environment is used and reported.
	db := filepath.Join(t.TempDir(), "d.db")
	code, _, stderr := runCLI(t, map[string]string{"DUBAN_ADDR": "256.0.0.1:99999", "DUBAN_DB": db, "DUBAN_ADMIN_PASSWORD": "Ex4mple-Passw0rd"}, "serve")
	if code != exitFailure || !strings.Contains(stderr, "256.0.0.1:99999") {
		t.Fatalf("serve with a bad DUBAN_ADDR: %d %q", code, stderr)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("DUBAN_DB was not used: %v", err)
	}
}
