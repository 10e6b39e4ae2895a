package extract

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/duban-org/duban/internal/seed"
)

// The golden files are refreshed with `go test -update`; another test file
// of the package may define the flag too, so it is defined here only if
// nobody has (init runs after every package-level variable).
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

// unitsUpdate reports whether -update was given.
func unitsUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func TestDefaultUnitTable(t *testing.T) {
	tab := DefaultUnitTable()
	if tab != DefaultUnitTable() {
		t.Error("DefaultUnitTable should parse the embedded table once")
	}
	if tab.Jurisdiction() == "" {
		t.Error("the default table should say whose units it holds")
	}
	units := tab.Units()
	var shorts []string
	for _, u := range units {
		shorts = append(shorts, u.Short)
		if u.Name == "" || len(u.Aliases) == 0 || len(u.Keywords) < 3 {
			t.Errorf("unit %s: want a full name, aliases and several keywords, got %+v", u.Short, u)
		}
	}
	for _, want := range []string{"人社局", "民政局", "教育局", "卫健局", "农业农村局", "住建局", "生态环境局", "发改局",
		"行政审批服务管理局", "金融办", "公安分局", "工信局", "商务局", "科技局", "财政局", "自然资源局", "交通局", "城管局",
		"文旅局", "市场监管局", "应急管理局", "医保局", "退役军人事务局", "水务局", "统计局", "司法局", "信访局", "城改办"} {
		if !slices.Contains(shorts, want) {
			t.Errorf("default table lacks %s", want)
		}
	}
}

func TestLoadUnitTableExample(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "units", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := LoadUnitTable(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Jurisdiction(); got != "示例县" {
		t.Errorf("Jurisdiction() = %q", got)
	}
	units := tab.Units()
	var shorts []string
	for _, u := range units {
		shorts = append(shorts, u.Short)
	}
	if want := []string{"人社局", "民政局", "农业农村局", "县医院"}; !slices.Equal(shorts, want) {
		t.Errorf("units %q, want %q", shorts, want)
	}
	// Units returns a copy: changing it leaves the table alone.
	units[0].Keywords[0] = "改动"
	if tab.Units()[0].Keywords[0] != "就业" {
		t.Error("Units() exposes the table's own slices")
	}
	got := tab.Suggest("新建社区食堂。")
	if len(got) != 1 || got[0].Unit != "民政局" || got[0].Role != RoleLead {
		t.Errorf("Suggest with the example table: %+v", got)
	}
}

func TestLoadUnitTableErrors(t *testing.T) {
	unit := func(body string) string { return "{\n\"units\": [\n" + body + "\n]\n}" }
	tests := []struct {
		name  string
		json  string
		line  int
		field string
		msg   string
	}{
		{"empty file", "", 0, "", "empty file"},
		{"only space", " \n\t", 0, "", "empty file"},
		{"not an object", "\n[1, 2]", 2, "", "expected a JSON object"},
		{"syntax error", "{\n\"units\": [\n{\"short\": \"a\",, \"name\": \"b\"}\n]\n}", 3, "units[0]", "JSON syntax"},
		{"syntax error after much text", "{\n\"jurisdiction\": \"" + strings.Repeat("长", 3000) + "\",\n\"units\": [\n{\"short\": \"a\", \"name\": \"A\", \"keywords\": [\"k\"]}\n{\"short\": \"b\"}\n]\n}", 5, "units[1]", "JSON syntax"},
		{"jurisdiction on the next line", "{\n\"jurisdiction\":\n\n 5,\n\"units\": []}", 4, "jurisdiction", "expected string"},
		{"cut short", "{\n\"units\": [\n{\"short\": \"a\"", 3, "units[0]", "ends too early"},
		{"unknown top-level field", "{\n\"jurisdiction\": \"x\",\n\"unit\": []\n}", 3, "unit", "unknown field"},
		{"units missing", `{"jurisdiction": "x"}`, 0, "units", "missing"},
		{"units empty", "{\n\"units\": []\n}", 2, "units", "no units"},
		{"units not a list", "{\n\"units\": {}\n}", 2, "units", "expected a list"},
		{"jurisdiction not text", "{\n\"jurisdiction\": 5,\n\"units\": []}", 2, "jurisdiction", "expected string"},
		{"keywords not a list", unit(`{"short": "a", "name": "A",
 "keywords": "就业"}`), 4, "units[0].keywords", "expected []string"},
		{"unknown unit field", unit(`{"short": "a", "name": "A", "keywords": ["k"]},
{"short": "b", "name": "B",
 "keyword": ["k"]}`), 5, "units[1].keyword", "unknown field"},
		{"short missing", unit(`{"name": "A", "keywords": ["k"]}`), 3, "units[0].short", "missing or empty"},
		{"short blank", unit(`{"short": "  ", "name": "A", "keywords": ["k"]}`), 3, "units[0].short", "missing or empty"},
		{"name missing", unit(`{"short": "a", "keywords": ["k"]}`), 3, "units[0].name", "missing or empty"},
		{"no keywords", unit(`{"short": "a", "name": "A",
"keywords": []}`), 4, "units[0].keywords", "at least one keyword"},
		{"empty keyword", unit(`{"short": "a", "name": "A", "keywords": ["k", " "]}`), 3, "units[0].keywords[1]", "empty word"},
		{"keyword twice", unit(`{"short": "a", "name": "A", "keywords": ["k", "j", "k"]}`), 3, "units[0].keywords[2]", "listed twice"},
		{"keyword too long", unit(`{"short": "a", "name": "A", "keywords": ["` + strings.Repeat("字", 33) + `"]}`), 3, "units[0].keywords[0]", "longer than 32"},
		{"empty alias", unit(`{"short": "a", "name": "A", "aliases": [""], "keywords": ["k"]}`), 3, "units[0].aliases[0]", "empty word"},
		{"short twice", unit(`{"short": "a", "name": "A", "keywords": ["k"]},
{"short": "a", "name": "B", "keywords": ["k"]}`), 4, "units[1].short", `"a" already names units[0]`},
		{"alias of another unit", unit(`{"short": "a", "name": "A", "keywords": ["k"]},
{"short": "b", "name": "B",
 "aliases": ["x", "A"], "keywords": ["k"]}`), 5, "units[1].aliases[1]", `"A" already names units[0]`},
		{"data after the table", unit(`{"short": "a", "name": "A", "keywords": ["k"]}`) + "\n{}", 6, "", "data after the table"},
		{"not UTF-8", "{\n\"units\": [{\"short\": \"\xff\"}]}", 2, "", "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadUnitTable(strings.NewReader(tt.json))
			if err == nil {
				t.Fatalf("LoadUnitTable accepted %q", tt.json)
			}
			var te *UnitTableError
			if !errors.As(err, &te) {
				t.Fatalf("error %v is a %T, want *UnitTableError", err, err)
			}
			if te.Line != tt.line || te.Field != tt.field || !strings.Contains(te.Err.Error(), tt.msg) {
				t.Errorf("got line %d, field %q, %q\nwant line %d, field %q, containing %q", te.Line, te.Field, te.Err, tt.line, tt.field, tt.msg)
			}
		})
	}
}

func TestUnitTableErrorMessage(t *testing.T) {
	_, err := LoadUnitTable(strings.NewReader("{\n\"units\": [\n{\"short\": \"a\", \"name\": \"A\", \"keywords\": [\"k\", \"\"]}\n]\n}"))
	want := "unit table, line 3, units[0].keywords[1]: empty word"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestLoadUnitTableDuplicateUnitsKey(t *testing.T) {
	_, err := LoadUnitTable(strings.NewReader("{\"units\": [{\"short\": \"a\", \"name\": \"A\", \"keywords\": [\"k\"]}],\n\"units\": []}"))
	var te *UnitTableError
	if !errors.As(err, &te) || te.Field != "units" || te.Line != 2 || !strings.Contains(te.Err.Error(), "given twice") {
		t.Errorf("got %v", err)
	}
}

func TestLoadUnitTableTooLarge(t *testing.T) {
	big := bytes.Repeat([]byte(" "), maxUnitTableBytes+1)
	if _, err := LoadUnitTable(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("got %v", err)
	}
}

// suggestion renders suggestions as "unit/role[because …]" for comparison.
func suggestion(ss []UnitSuggestion) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%s/%s%v", s.Unit, s.Role, s.Because)
	}
	return out
}

func TestSuggest(t *testing.T) {
	tab := DefaultUnitTable()
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"jobs lead, canteens cooperate", "做好稳就业工作。开展职业技能培训，建设12个社区食堂。",
			[]string{"人社局/lead[稳就业 职业技能]", "民政局/cooperate[社区食堂]"}},
		{"the lead sentence weighs double", "发展养老服务。完善社会保险制度。",
			[]string{"民政局/lead[养老服务]", "人社局/cooperate[社会保险]"}},
		{"the longest word wins", "落实养老保险制度。",
			[]string{"人社局/lead[养老保险]"}},
		{"farmland", "建设高标准农田5000亩。落实耕地保护制度，遏制耕地非农化。",
			[]string{"农业农村局/lead[高标准农田 耕地 非农化]", "自然资源局/cooperate[耕地保护 耕地 非农化]"}},
		{"a shared word alone is too weak to cooperate", "建设高标准农田5000亩。遏制耕地非农化。",
			[]string{"农业农村局/lead[高标准农田 耕地 非农化]"}},
		{"a unit named outright", "由区审批局牵头，推进一件事一次办。",
			[]string{"行政审批服务管理局/lead[区审批局]"}},
		{"credit", "健全社会信用体系。完善失信联合惩戒机制。",
			[]string{"发改局/lead[社会信用体系 失信 联合惩戒]"}},
		{"one passing word does not make a cooperating unit", "推动科技成果转化。融入公共社区。",
			[]string{"科技局/lead[科技成果转化]"}},
		{"no known word", "坚持稳中求进。", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tab.Suggest(tt.text)
			checkSuggestions(t, tt.text, got)
			if g := suggestion(got); !slices.Equal(g, tt.want) {
				t.Errorf("Suggest(%q)\n got %q\nwant %q", tt.text, g, tt.want)
			}
		})
	}
}

// checkSuggestions checks what holds for any task: one lead, first; at
// most three cooperating units, each once; every reason is in the text.
func checkSuggestions(t *testing.T, text string, ss []UnitSuggestion) {
	t.Helper()
	if len(ss) > 1+maxCooperating {
		t.Errorf("%d suggestions, want at most %d", len(ss), 1+maxCooperating)
	}
	seen := map[string]bool{}
	for i, s := range ss {
		want := RoleCooperate
		if i == 0 {
			want = RoleLead
		}
		if s.Role != want {
			t.Errorf("suggestion %d (%s) has role %q, want %q", i, s.Unit, s.Role, want)
		}
		if seen[s.Unit] {
			t.Errorf("%s suggested twice", s.Unit)
		}
		seen[s.Unit] = true
		if len(s.Because) == 0 {
			t.Errorf("%s suggested without a reason", s.Unit)
		}
		for _, w := range s.Because {
			if !strings.Contains(text, w) {
				t.Errorf("%s because %q, which is not in the text", s.Unit, w)
			}
		}
	}
}

func TestSuggestZeroTable(t *testing.T) {
	var nilTable *UnitTable
	if got := nilTable.Suggest("做好稳就业工作。"); got != nil {
		t.Errorf("nil table: %v", got)
	}
	if got := (&UnitTable{}).Suggest("做好稳就业工作。"); got != nil {
		t.Errorf("empty table: %v", got)
	}
}

// seedTasks picks the task paragraphs of the seed plan by their shape, so
// that this test does not wait for the structure pass: a line whose first
// sentence is short and has no comma (the task's title, like 织密社会保障网络).
// Some seed paragraphs are cut by a stray line break; their first line is
// the task as far as this test is concerned.
func seedTasks(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		title, _, ok := strings.Cut(line, "。")
		if ok && len([]rune(title)) <= 14 && !strings.ContainsAny(title, "，,") {
			out = append(out, line)
		}
	}
	return out
}

func TestSuggestSeed(t *testing.T) {
	tab := DefaultUnitTable()
	tasks := map[string][]UnitSuggestion{}
	for _, task := range seedTasks(string(seed.PlanText)) {
		title, _, _ := strings.Cut(task, "。")
		got := tab.Suggest(task)
		checkSuggestions(t, task, got)
		tasks[title] = got
	}
	tests := []struct {
		title     string
		lead      string
		cooperate []string
	}{
		{"织密社会保障网络", "人社局", []string{"民政局"}},
		{"做优城郊现代农业", "农业农村局", []string{"自然资源局"}},
		{"打造一流营商环境", "行政审批服务管理局", nil},
		{"深化社会信用体系建设", "发改局", nil},
		{"高标准保障综改示范区项目建设", "发改局", []string{"自然资源局"}},
		{"培育壮大新兴产业", "工信局", nil},
		{"打造科技创新示范地", "科技局", nil},
		{"打造科技金融集聚地", "金融办", nil},
		{"打造高端人才新高地", "人社局", nil},
		{"办好人民满意的教育", "教育局", nil},
		{"优化公共服务供给", "卫健局", nil},
		{"建设美丽宜居乡村", "农业农村局", []string{"文旅局"}},
		{"提升乡村治理水平", "农业农村局", nil},
		{"加快城中村改造步伐", "城改办", nil},
		{"强力实施“三化工程”", "城管局", nil},
		{"推进城市生态修复", "生态环境局", nil},
		{"提升社会共治格局", "应急管理局", []string{"公安分局"}},
	}
	for _, tt := range tests {
		got, ok := tasks[tt.title]
		if !ok {
			t.Errorf("task %s not found in the seed", tt.title)
			continue
		}
		if len(got) == 0 || got[0].Unit != tt.lead {
			t.Errorf("%s: lead %v, want %s", tt.title, suggestion(got), tt.lead)
			continue
		}
		var coop []string
		for _, s := range got[1:] {
			coop = append(coop, s.Unit)
		}
		for _, c := range tt.cooperate {
			if !slices.Contains(coop, c) {
				t.Errorf("%s: cooperating %q, want %s among them", tt.title, coop, c)
			}
		}
	}
}

// TestSuggestSeedGolden keeps every seed task's suggestions, with reasons,
// in a file a reviewer can read; a change of table or scoring shows up as
// a diff (go test -update rewrites it).
func TestSuggestSeedGolden(t *testing.T) {
	var b strings.Builder
	tab := DefaultUnitTable()
	for _, task := range seedTasks(string(seed.PlanText)) {
		title, _, _ := strings.Cut(task, "。")
		fmt.Fprintf(&b, "%s\n", title)
		for _, s := range tab.Suggest(task) {
			fmt.Fprintf(&b, "\t%s\t%s\t%s\n", s.Role, s.Unit, strings.Join(s.Because, "、"))
		}
	}
	path := filepath.Join("testdata", "units", "seed-suggestions.golden")
	if unitsUpdate() {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != b.String() {
		t.Errorf("%s differs (check the change, then go test -update):\ngot:\n%s", path, b.String())
	}
}

func FuzzLoadUnitTable(f *testing.F) {
	example, err := os.ReadFile(filepath.Join("testdata", "units", "example.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add([]byte(`{"units": [{"short": "a", "name": "A", "aliases": ["甲"], "keywords": ["就业", "养老"]}]}`))
	f.Add([]byte(`{"jurisdiction": "x", "units": [{"short": "a", "name": "A", "keywords": ["k"]}, {"short": "a"}]}`))
	f.Add([]byte(`{"units": {}}`))
	f.Add([]byte("{\n\"units\": [\n{\"short\": 1}]}"))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := LoadUnitTable(bytes.NewReader(data))
		if err != nil {
			var te *UnitTableError
			if !errors.As(err, &te) {
				t.Fatalf("error %v is a %T, want *UnitTableError", err, err)
			}
			if te.Line < 0 || te.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("error line %d outside the file: %v", te.Line, err)
			}
			return
		}
		units := tab.Units()
		if len(units) == 0 {
			t.Fatal("a table without units was accepted")
		}
		// Every keyword of every unit leads to that unit, alone in a task.
		for _, u := range units {
			if u.Short == "" || u.Name == "" || len(u.Keywords) == 0 {
				t.Fatalf("accepted an incomplete unit %+v", u)
			}
			ss := tab.Suggest(u.Keywords[0] + "。")
			checkSuggestions(t, u.Keywords[0]+"。", ss)
		}
	})
}

func BenchmarkSuggest(b *testing.B) {
	tab := DefaultUnitTable()
	tasks := seedTasks(string(seed.PlanText))
	for b.Loop() {
		for _, task := range tasks {
			tab.Suggest(task)
		}
	}
}
