package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-org/duban/internal/seed"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// evalDocs is the shared evaluation folder (other governments' texts, read
// in place and never copied into the repository).
const evalDocs = "../../../shared/eval/docs"

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the extraction (run go test -update after checking the change):\n%s", path, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, w, g)
		}
	}
	return "(same lines)"
}

func seedDocument(t testing.TB) Document {
	t.Helper()
	d, err := File(seed.PlanName, seed.PlanText, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSeedGolden(t *testing.T) {
	d := seedDocument(t)
	checkDocument(t, d)
	js, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "seed.json", append(js, '\n'))
	var buf bytes.Buffer
	if err := WriteText(&buf, d); err != nil {
		t.Fatal(err)
	}
	golden(t, "seed.txt", buf.Bytes())
}

// TestSeedStructure states what a reader of the seed plan sees: seven
// pillars, their tasks, and the three faults of the press version.
func TestSeedStructure(t *testing.T) {
	d := seedDocument(t)
	if want := "建设具有国际影响力的国家区域中心城市核心区——小店区奋力开启新发展征程"; d.Title != want {
		t.Errorf("title %q, want %q", d.Title, want)
	}
	wantSections := []string{
		"服务保障转型综改 汇聚融合发展动能",
		"实施产业强区战略 构建现代产业格局",
		"精心培育创新生态 打造高质量发展引擎",
		"全力做好“三农”工作 打造乡村振兴样板",
		"用足用好“关键一招” 释放区域发展活力",
		"推进城市更新行动 提升小店宜居宜业形象",
		"倾力保障改善民生 回应人民美好生活期待",
	}
	var got []string
	for _, s := range d.Sections {
		got = append(got, s.Title)
		if s.Level != 1 || s.Part != PartPlan {
			t.Errorf("section %s: level %d part %s, want 1 plan", s.ID, s.Level, s.Part)
		}
	}
	if strings.Join(got, "|") != strings.Join(wantSections, "|") {
		t.Errorf("sections:\n got %q\nwant %q", got, wantSections)
	}
	tasksIn := map[string][]string{}
	for _, tk := range d.Tasks {
		tasksIn[tk.Section] = append(tasksIn[tk.Section], tk.Title)
	}
	wantTasks := map[string][]string{
		"s1": {"高标准保障综改示范区项目建设"},
		"s2": {"做强做优基础产业", "培育壮大新兴产业"},
		"s3": {"打造科技创新示范地", "打造科技成果转化地", "打造科技金融集聚地", "打造高端人才新高地"},
		"s4": {"做优城郊现代农业", "建设美丽宜居乡村", "提升乡村治理水平"},
		"s5": {"深化重点领域改革", "打造一流营商环境", "深化社会信用体系建设"},
		"s6": {"加快城中村改造步伐", "完善城市基础设施建设", "强力实施“三化工程”", "推进城市生态修复"},
		"s7": {"织密社会保障网络", "办好人民满意的教育", "优化公共服务供给", "提升社会共治格局"},
	}
	for id, want := range wantTasks {
		if strings.Join(tasksIn[id], "|") != strings.Join(want, "|") {
			t.Errorf("tasks of %s:\n got %q\nwant %q", id, tasksIn[id], want)
		}
	}
	if len(d.Tasks) != 21 {
		t.Errorf("%d tasks, want 21", len(d.Tasks))
	}

	// The rejoined text mends the three breaks inside sentences and keeps
	// the real cut before the lost heading's intro.
	for _, s := range []string{"以王吴村为代表", "融合联动发展、", "坞城南路快速化", "推进分级诊疗制度"} {
		if !strings.Contains(d.Text, s) {
			t.Errorf("text does not hold %q", s)
		}
	}
	if !strings.Contains(d.Text, "坚持信\n\n以科技创新") {
		t.Errorf("the cut after 坚持信 was joined")
	}

	flags := map[string][]string{}
	for _, f := range d.Flags {
		flags[f.Kind] = append(flags[f.Kind], f.Text)
	}
	if got := flags[FlagTruncated]; strings.Join(got, "|") != "坚持信|推进分级" {
		t.Errorf("truncated flags %q, want 坚持信 and the first 推进分级", got)
	}
	if got := flags[FlagMissingHeading]; len(got) != 1 || !strings.HasPrefix(got[0], "以科技创新、成果转化") {
		t.Errorf("missing heading flags %q", got)
	}
	if got := flags[FlagDuplicate]; len(got) != 1 || !strings.HasPrefix(got[0], "坚持以人民为中心") || !strings.HasSuffix(got[0], "推进分级") {
		t.Errorf("duplicate flags %q", got)
	}

	// The repeated copy's numbers count once: 新增就业1.6万人 appears twice in
	// the text, once as a target.
	n := 0
	for _, g := range d.Targets {
		if strings.Contains(g.Text, "1.6万人") {
			n++
		}
	}
	if strings.Count(d.Text, "新增就业1.6万人") != 2 || n > 1 {
		t.Errorf("新增就业1.6万人: %d targets from %d copies", n, strings.Count(d.Text, "新增就业1.6万人"))
	}
}

// checkDocument checks the invariants every extraction keeps, whatever the
// input: offsets inside the text, each span's text equal to the text at its
// offsets, sections nested consistently, tasks inside their sections.
func checkDocument(t testing.TB, d Document) {
	t.Helper()
	rs := []rune(d.Text)
	span := func(what string, text string, start, end int) {
		t.Helper()
		if start < 0 || start > end || end > len(rs) {
			t.Fatalf("%s: span %d-%d outside the text (%d runes)", what, start, end, len(rs))
		}
		if got := string(rs[start:end]); got != text {
			t.Fatalf("%s: text %q, but the text at %d-%d is %q", what, text, start, end, got)
		}
	}
	secs := map[string]Section{}
	for _, s := range d.Sections {
		if s.Start < 0 || s.Start > s.End || s.End > len(rs) {
			t.Fatalf("section %s: span %d-%d outside the text", s.ID, s.Start, s.End)
		}
		if s.Text != "" && !strings.Contains(string(rs[s.Start:s.End]), s.Text) {
			t.Fatalf("section %s: heading %q not inside its span", s.ID, s.Text)
		}
		if s.Part != PartPlan && s.Part != PartReview && s.Part != PartOutlook {
			t.Fatalf("section %s: part %q", s.ID, s.Part)
		}
		if s.Parent == "" {
			if s.Level != 1 {
				t.Fatalf("section %s: top level at level %d", s.ID, s.Level)
			}
		} else {
			p, ok := secs[s.Parent]
			if !ok || p.Level+1 != s.Level || s.Start < p.Start || s.End > p.End {
				t.Fatalf("section %s: parent %q missing, at the wrong level, or not around it", s.ID, s.Parent)
			}
		}
		if _, dup := secs[s.ID]; dup {
			t.Fatalf("section id %s twice", s.ID)
		}
		secs[s.ID] = s
	}
	for i, tk := range d.Tasks {
		span("task "+tk.ID, tk.Text, tk.Start, tk.End)
		if want := fmt.Sprintf("t%d", i+1); tk.ID != want {
			t.Fatalf("task %d has id %s", i, tk.ID)
		}
		if tk.Section != "" {
			s, ok := secs[tk.Section]
			if !ok || tk.Start < s.Start || tk.End > s.End {
				t.Fatalf("task %s: section %q missing or not around it", tk.ID, tk.Section)
			}
		}
		if tk.Title == "" || tk.Units == nil {
			t.Fatalf("task %s: empty title or nil units", tk.ID)
		}
	}
	for _, g := range d.Targets {
		span("target", g.Text, g.Start, g.End)
	}
	for _, e := range d.Entities {
		span("entity", e.Text, e.Start, e.End)
	}
	for _, f := range d.Flags {
		span("flag "+f.Kind, f.Text, f.Start, f.End)
		if f.Message == "" {
			t.Fatalf("flag %s without a message", f.Kind)
		}
	}
}

func TestJoinBrokenParagraphs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"dangling preposition",
			"建设美丽乡村。打造以青石村为代表的果园、以\n\n红山村为代表的民宿村。",
			"建设美丽乡村。打造以青石村为代表的果园、以红山村为代表的民宿村。"},
		{"list goes on after 、",
			"完善路网。推动东环路北延、滨江路\n\n拓宽、南山街改造等工程。",
			"完善路网。推动东环路北延、滨江路拓宽、南山街改造等工程。"},
		{"short clause ends the sentence",
			"推进医疗改革。推进分级\n\n诊疗制度,提升基层服务能力。",
			"推进医疗改革。推进分级诊疗制度,提升基层服务能力。"},
		{"line starts with punctuation",
			"加快建设步伐,力争年内完工\n\n,确保按期投用。",
			"加快建设步伐,力争年内完工,确保按期投用。"},
		{"finished sentence stays",
			"做优现代农业。建设高标准农田。\n\n抓好乡村治理。完善村规民约。",
			"做优现代农业。建设高标准农田。\n\n抓好乡村治理。完善村规民约。"},
		{"cut before a new intro stays",
			"壮大新兴产业。加快机器人项目建设。坚持信\n\n以科技创新、成果转化为引领,推动创新生态建设。",
			"壮大新兴产业。加快机器人项目建设。坚持信\n\n以科技创新、成果转化为引领,推动创新生态建设。"},
		{"cut before a heading stays",
			"优化公共服务。推进分级\n\n全力做好农业工作\n\n打造乡村样板\n\n坚持农业优先。",
			"优化公共服务。推进分级\n\n全力做好农业工作\n\n打造乡村样板\n\n坚持农业优先。"},
		{"cut before a task stays",
			"深化改革。推进国企\n\n打造一流营商环境。开展全时办理服务。",
			"深化改革。推进国企\n\n打造一流营商环境。开展全时办理服务。"},
		{"cut before a numbered heading stays",
			"深化改革,推进国企\n\n二、2025年工作安排",
			"深化改革,推进国企\n\n二、2025年工作安排"},
		{"sentence opener after a cut stays",
			"扩大有效投资,推进重点\n\n同时,加快消费升级。",
			"扩大有效投资,推进重点\n\n同时,加快消费升级。"},
		{"heading lines are not joined",
			"服务保障转型综改\n\n汇聚融合发展动能\n\n牢牢把握定位。",
			"服务保障转型综改\n\n汇聚融合发展动能\n\n牢牢把握定位。"},
		{"metadata lines are not joined",
			"标题:某区政府工作报告\n发文单位:某区人民政府\n\n各位代表:",
			"标题:某区政府工作报告\n发文单位:某区人民政府\n\n各位代表:"},
		{"chain of breaks",
			"推进城市更新。改造北关、西坡\n\n、南苑等片区,完善\n\n配套设施。",
			"推进城市更新。改造北关、西坡、南苑等片区,完善配套设施。"},
		{"a colon in a sentence is no metadata",
			"今年主要目标:生产总值增长8%,一般公共预算收入\n\n增长6%。",
			"今年主要目标:生产总值增长8%,一般公共预算收入增长6%。"},
		{"empty", "", ""},

		// Scraped web text: a word set in its own element lands on a line
		// of its own, with no blank line around it.
		{"scraped fragments after a comma and a 、",
			"面对繁重的改革发展任务，全市各级干部闻令而动，\n主动\n担当、\n主动\n作为，确保各项任务落地。\n完成年度目标。",
			"面对繁重的改革发展任务，全市各级干部闻令而动，主动担当、主动作为，确保各项任务落地。\n完成年度目标。"},
		{"a name split in the middle of a word",
			"我们坚持问题导向，聚焦群众急难愁盼，认真落实王\n大明同志\n讲话精神，推动工作落实。",
			"我们坚持问题导向，聚焦群众急难愁盼，认真落实王大明同志讲话精神，推动工作落实。"},
		{"a fragment's continuation joins even without punctuation",
			"城市更新是今年全市的头号工程，群众关注、社会关切，这项工作由市委主要领导\n亲自\n部署推动，取得明显成效。",
			"城市更新是今年全市的头号工程，群众关注、社会关切，这项工作由市委主要领导亲自部署推动，取得明显成效。"},
		{"a fragment before a line opening with punctuation, blank lines around",
			"坚持生态优先，守住发展底线，全面践行\n\n绿色发展理念\n\n，推动生态修复。",
			"坚持生态优先，守住发展底线，全面践行绿色发展理念，推动生态修复。"},
		{"a fragment ending a sentence",
			"农业生产再获丰收，粮食播种面积稳中有增，全市粮食产量居\n全省第一\n。新建高标准农田3万亩。",
			"农业生产再获丰收，粮食播种面积稳中有增，全市粮食产量居全省第一。新建高标准农田3万亩。"},
		{"a numbered heading wrapped on its opening quote",
			"二、“\n十五五\n”时期的目标任务\n“\n十五五\n”时期，全市要建成现代化城市。",
			"二、“十五五”时期的目标任务\n“十五五”时期，全市要建成现代化城市。"},
		{"a heading wrapped on a conjunction",
			"一、2025年工作回顾和\n“十五五”时期发展成就\n过去一年，全市经济稳中向好。",
			"一、2025年工作回顾和“十五五”时期发展成就\n过去一年，全市经济稳中向好。"},
		{"a short heading-like first line followed by a pair stays: it may be a heading",
			"认真落实王\n大明同志\n讲话精神，推动工作落实。",
			"认真落实王\n大明同志\n讲话精神，推动工作落实。"},
		{"a short name set apart by blank lines",
			"我们坚持问题导向，聚焦群众急难愁盼，认真落实王\n\n大明\n\n同志讲话精神，推动工作落实。",
			"我们坚持问题导向，聚焦群众急难愁盼，认真落实王大明同志讲话精神，推动工作落实。"},
		{"a line opening with the particle 的 goes on with the sentence",
			"各位代表，我们要不断提高政府治理能力，不断提\n\n高把握新发展阶段的能力\n\n的政治能力和专业水平。",
			"各位代表，我们要不断提高政府治理能力，不断提高把握新发展阶段的能力的政治能力和专业水平。"},
		{"a short heading between blank lines before a task stays",
			"优化公共服务。推进分级\n\n城乡建设\n\n改造老旧小区。改造小区30个。",
			"优化公共服务。推进分级\n\n城乡建设\n\n改造老旧小区。改造小区30个。"},
		{"a time phrase and a comma open a sentence, not a heading",
			"这三年，我们始终坚持\n以群众需求为导向\n，办成了一批实事。",
			"这三年，我们始终坚持以群众需求为导向，办成了一批实事。"},
		{"a heading after a finished sentence stays",
			"完成全年目标任务。\n壮大实体经济\n坚持项目为王，扩大有效投资。",
			"完成全年目标任务。\n壮大实体经济\n坚持项目为王，扩大有效投资。"},
		{"a paired heading after a cut line stays, even without blank lines",
			"优化公共服务。推进分级\n全力做好农业工作\n打造乡村样板\n坚持农业优先。",
			"优化公共服务。推进分级\n全力做好农业工作\n打造乡村样板\n坚持农业优先。"},
		{"a part heading after a cut line stays",
			"优化公共服务。推进分级\n今年工作安排\n坚持稳中求进。",
			"优化公共服务。推进分级\n今年工作安排\n坚持稳中求进。"},
		{"a heading before a numbered heading is not pulled into a cut line",
			"深化改革，推进国企\n三年行动\n二、今年工作安排",
			"深化改革，推进国企\n三年行动\n二、今年工作安排"},
		{"a straight quote opening a line after a heading stays",
			"壮大实体经济\n\"链长制\"全面推行，产业链更加完整。",
			"壮大实体经济\n\"链长制\"全面推行，产业链更加完整。"},
		{"a straight quote closing an open one joins",
			"全面推行\"\n链长制\n\"，产业链更加完整。",
			"全面推行\"链长制\"，产业链更加完整。"},
		{"a long line wrapped in the middle of a word, no blank line",
			"坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高\n质量发展，奋力谱写新篇章。",
			"坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，奋力谱写新篇章。"},
		{"a wrapped line before a task's lead stays",
			"坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高\n做强先进制造业。新建标准厂房5万平方米。",
			"坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高\n做强先进制造业。新建标准厂房5万平方米。"},
		{"a news credit line does not run into the story",
			"2025-12-31 16:20:16 来源：青山日报\n为办好民生实事，市政府公开征求意见。",
			"2025-12-31 16:20:16 来源：青山日报\n为办好民生实事，市政府公开征求意见。"},
		{"a photo credit does not run into the greeting",
			"张三作政府工作报告。本报记者李四摄\n各位代表：",
			"张三作政府工作报告。本报记者李四摄\n各位代表："},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := joinBrokenParagraphs(tc.in); got != tc.want {
				t.Errorf("\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// outline renders the structure compactly for table tests: sections as
// "id level part title", tasks as "  tN title", flags as "! kind text".
func outline(d Document) string {
	var b strings.Builder
	if d.Title != "" {
		fmt.Fprintf(&b, "# %s\n", d.Title)
	}
	for _, s := range d.Sections {
		title := s.Title
		if title == "" {
			title = "?"
		}
		fmt.Fprintf(&b, "%s %d %s %s\n", s.ID, s.Level, s.Part, title)
		for _, tk := range d.Tasks {
			if tk.Section == s.ID {
				fmt.Fprintf(&b, "  %s %s\n", tk.ID, tk.Title)
			}
		}
	}
	for _, tk := range d.Tasks {
		if tk.Section == "" {
			fmt.Fprintf(&b, "  %s %s\n", tk.ID, tk.Title)
		}
	}
	for _, f := range d.Flags {
		if f.Kind != FlagUncertainNumber {
			fmt.Fprintf(&b, "! %s %s\n", f.Kind, f.Text)
		}
	}
	return b.String()
}

func TestStructure(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paired headings with intro and tasks",
			`青山区全力推进高质量发展

2025年3月1日

青山区第三届人民代表大会第五次会议闭幕,会议明确了全年工作。

壮大实体经济

筑牢发展根基

坚持把发展经济的着力点放在实体经济上,推动产业升级。

做强先进制造业。推动汽车零部件产业集群发展,新建标准厂房5万平方米。

做优现代服务业。加快物流园区建设,培育限上企业10家。

守护绿水青山

建设美丽城区

坚持生态优先,统筹山水林田湖草系统治理。

打好蓝天保卫战。实施燃煤锅炉清零,PM2.5浓度下降5%。
`,
			`# 青山区全力推进高质量发展
s1 1 plan 壮大实体经济 筑牢发展根基
  t1 做强先进制造业
  t2 做优现代服务业
s2 1 plan 守护绿水青山 建设美丽城区
  t3 打好蓝天保卫战
`},
		{"numbered report with review part",
			`各位代表:

现在,我代表区人民政府作工作报告。

一、2024年工作回顾

过去一年,全区生产总值增长6%。

(一)经济稳中向好。规上工业增加值增长8%。

(二)民生持续改善。新增就业1万人。

二、2025年工作安排

今年主要预期目标是:生产总值增长5.5%左右。

(一)扩大有效需求

稳定扩大投资。实施重点项目120个。

提振消费信心。举办促消费活动50场。

(二)深化改革开放

1.优化营商环境。推行一网通办。

2.扩大对外开放。新增外贸企业30家。
`,
			`s1 1 review 2024年工作回顾
s2 1 plan 2025年工作安排
s2.1 2 plan 扩大有效需求
  t1 稳定扩大投资
  t2 提振消费信心
s2.2 2 plan 深化改革开放
  t3 优化营商环境
  t4 扩大对外开放
`},
		{"unnumbered parts over numbered sections",
			`过去一年工作回顾

一年来,全区新增市场主体3000户。

今年工作安排

一、稳住经济大盘

扩大有效投资。完成固定资产投资50亿元。

二、办好民生实事

提高教育质量。新建幼儿园3所,以优异成绩迎接验收。
`,
			`s1 1 review 过去一年工作回顾
s2 1 plan 今年工作安排
s2.1 2 plan 稳住经济大盘
  t1 扩大有效投资
s2.2 2 plan 办好民生实事
  t2 提高教育质量
`},
		{"numbered paragraph over deeper numbered items heads a section",
			`一、扩大有效需求。坚持投资和消费两端发力。

(一)稳定投资。实施重点项目50个。

(二)促进消费。举办促消费活动30场。

二、保障改善民生。办好民生实事。

(一)稳定就业。新增就业5000人。
`,
			`s1 1 plan 扩大有效需求
  t1 稳定投资
  t2 促进消费
s2 1 plan 保障改善民生
  t3 稳定就业
`},
		{"a heading over review and plan leaves the part to its sections",
			`一、2024年工作回顾和2025年工作安排

(一)2024年工作回顾

全区生产总值增长6%。

(二)2025年工作安排

稳定就业。新增就业5000人。
`,
			`s1 1 plan 2024年工作回顾和2025年工作安排
s1.1 2 review 2024年工作回顾
s1.2 2 plan 2025年工作安排
  t1 稳定就业
`},
		{"title followed at once by a section heading",
			`青山区2025年政府工作报告

过去一年工作回顾

全区生产总值增长6%。

今年工作安排

壮大实体经济

筑牢发展根基

做强先进制造业。新建标准厂房5万平方米。
`,
			`# 青山区2025年政府工作报告
s1 1 review 过去一年工作回顾
s2 1 plan 今年工作安排
s2.1 2 plan 壮大实体经济 筑牢发展根基
  t1 做强先进制造业
`},
		{"title and a paired heading with tasks",
			`青山区2025年重点工作

壮大实体经济

筑牢发展根基

做强先进制造业。新建标准厂房5万平方米。
`,
			`# 青山区2025年重点工作
s1 1 plan 壮大实体经济 筑牢发展根基
  t1 做强先进制造业
`},
		{"no headings at all",
			`今年,全区将新建社区食堂12个,改造老旧小区30个。

确保全年城镇新增就业8000人,城镇调查失业率控制在5.5%以内。`,
			``},
		{"numbered items are tasks",
			`1.道路改造工程。完成东街等道路改造3公里。

2.停车便民工程。新增停车位800个。

3.托育服务工程。新增托位60个。`,
			`  t1 道路改造工程
  t2 停车便民工程
  t3 托育服务工程
`},
		{"numbered headings nest by style, not by order of appearance",
			`(一)总体目标

全年地区生产总值增长6%。

一、主要任务

(一)产业发展

1.制造业

做强龙头企业。培育产值超十亿元企业3家。

2.服务业

发展现代物流。建成冷链仓储中心1个。

二、保障措施

加强组织领导。建立月调度制度。
`,
			`s1 1 plan 总体目标
s2 1 plan 主要任务
s2.1 2 plan 产业发展
s2.1.1 3 plan 制造业
  t1 做强龙头企业
s2.1.2 3 plan 服务业
  t2 发展现代物流
s3 1 plan 保障措施
  t3 加强组织领导
`},
		{"closing call is no task",
			`推进城市更新

提升城市品质

坚持以人民为中心,推进城市更新。

改造老旧小区。改造老旧小区20个。

蓝图催人奋进,使命重在担当。让我们团结一心,谱写高质量发展新篇章。

本文由区融媒体中心提供
`,
			`# 推进城市更新 提升城市品质
s1 1 plan 推进城市更新 提升城市品质
  t1 改造老旧小区
`},
		{"excerpt that opens with a section heading",
			`做强实体经济

夯实发展基础

坚持项目为王,扩大有效投资。

抓好重点项目。实施市级重点项目15个。
`,
			`# 做强实体经济 夯实发展基础
s1 1 plan 做强实体经济 夯实发展基础
  t1 抓好重点项目
`},
		{"cut sentence at the end",
			`抓好重点项目。实施市级重点项目15个,力争`,
			`  t1 抓好重点项目
! truncated 实施市级重点项目15个,力争
`},
		{"section that lost its heading after a cut",
			`发展新兴产业

打造产业高地

坚持创新引领,发展新兴产业。

壮大数字经济。建设数据中心,推进算力网

坚持把人才作为第一资源,围绕产业链布局人才链,完善人才引育机制。

引进高端人才。引进博士50名。

培养技能人才。培训技能人才3000人次。
`,
			`# 发展新兴产业 打造产业高地
s1 1 plan 发展新兴产业 打造产业高地
  t1 壮大数字经济
s2 1 plan ?
  t2 引进高端人才
  t3 培养技能人才
! truncated 建设数据中心,推进算力网
! missing_heading 坚持把人才作为第一资源,围绕产业链布局人才链,完善人才引育机制。
`},
		{"repeated passage counts once and the later copy is the repeat",
			`稳定就业

兜牢民生底线

实施就业优先战略。开展职业技能培训,新增就业5000人以上。

办好惠民实事

回应群众期盼

实施就业优先战略。开展职业技能培训,新增就业5000人以上。

建设社区食堂。新建社区食堂8个。
`,
			`# 稳定就业 兜牢民生底线
s1 1 plan 稳定就业 兜牢民生底线
  t1 实施就业优先战略
s2 1 plan 办好惠民实事 回应群众期盼
  t2 建设社区食堂
! duplicate 实施就业优先战略。开展职业技能培训,新增就业5000人以上。
`},
		{"part headings printed as labels with a colon",
			`标题：青山县2026年政府工作报告
发文单位：青山县人民政府

正文：

2025年工作回顾：

这一年，我们稳住了经济大盘。全年地区生产总值完成120亿元，同比增长6%。

2026年工作安排：

2026年政府工作的总体要求是：坚持稳中求进，推动高质量发展。

重点工作：

（一）实施园区提级行动，建强发展主阵地。

（二）实施城市更新行动，提升城市品质。
`,
			`# 青山县2026年政府工作报告
s1 1 review 2025年工作回顾
s2 1 plan 2026年工作安排
s3 1 plan 重点工作
  t1 实施园区提级行动
  t2 实施城市更新行动
`},
		{"numbered part headings ending in a full stop",
			`一、过去一年工作回顾。

全区新增市场主体3000户，同比增长8%。

二、今年工作安排。

稳定扩大投资。实施重点项目120个。
`,
			`s1 1 review 过去一年工作回顾
s2 1 plan 今年工作安排
  t1 稳定扩大投资
`},
		{"an unnumbered review opened by its first words, the plan by a heading inside a line",
			`各位代表：

现在，我代表县人民政府作工作报告。

过去一年，全县生产总值增长6%，新增城镇就业3000人。

一年来，我们扎实推进项目建设。

（一）产业发展势头良好。新增规上企业20家。

（二）民生保障持续加强。新建幼儿园3所。

今年政府工作的总体要求是：坚持稳中求进，推动高质量发展。

（一）壮大实体经济。新建标准厂房5万平方米。

（二）办好民生实事。改造老旧小区30个。
`,
			`  t1 壮大实体经济
  t2 办好民生实事
`},
		{"a review opener with no plan after it ends at the next heading",
			`一年来，全区新增市场主体3000户。

壮大实体经济

筑牢发展根基

做强先进制造业。新建标准厂房5万平方米。
`,
			`s1 1 plan 壮大实体经济 筑牢发展根基
  t1 做强先进制造业
`},
		{"a review word opening a section's intro does not turn the plan into a review",
			`壮大实体经济

筑牢发展根基

一年来，全区工业稳步增长，今年要再接再厉。

做强先进制造业。新建标准厂房5万平方米。

守护绿水青山

建设美丽城区

打好蓝天保卫战。PM2.5浓度下降5%。
`,
			`# 壮大实体经济 筑牢发展根基
s1 1 plan 壮大实体经济 筑牢发展根基
  t1 做强先进制造业
s2 1 plan 守护绿水青山 建设美丽城区
  t2 打好蓝天保卫战
`},
		{"a multi-year section between the review and the year's plan",
			`一、2025年工作回顾

全市生产总值增长6%。

二、“十五五”时期的目标任务

“十五五”时期，全市生产总值年均增长6%左右。

（一）建设创新强市。研发投入强度达到3%。

（二）建设生态强市。森林覆盖率达到40%。

三、2026年工作安排

（一）扩大有效投资。实施重点项目100个。

（二）提振消费信心。举办促消费活动50场。
`,
			`s1 1 review 2025年工作回顾
s2 1 outlook “十五五”时期的目标任务
s3 1 plan 2026年工作安排
  t1 扩大有效投资
  t2 提振消费信心
`},
		{"a five-year plan keeps its own multi-year goals",
			`青山市国民经济和社会发展第十五个五年规划纲要

第一章 “十五五”时期发展目标

到2030年，全市生产总值年均增长6%左右。

第二章 建设创新强市

提升创新能力。研发投入强度达到3%。
`,
			`# 青山市国民经济和社会发展第十五个五年规划纲要
s1 1 plan “十五五”时期发展目标
s2 1 plan 建设创新强市
  t1 提升创新能力
`},
		{"multi-year goals are targets when no plan for the year stands beside them",
			`一、过去五年工作回顾

全市生产总值年均增长6%。

二、今后五年的目标任务

（一）建设创新强市。研发投入强度达到3%。

（二）建设生态强市。森林覆盖率达到40%。
`,
			`s1 1 review 过去五年工作回顾
s2 1 plan 今后五年的目标任务
  t1 建设创新强市
  t2 建设生态强市
`},
		{"a plan for the year named only by its year still sets the outlook apart",
			`一、“十五五”时期的奋斗目标

全市生产总值年均增长6%左右。

二、全力做好2026年经济社会发展工作

（一）扩大有效投资。实施重点项目100个。

（二）提振消费信心。举办促消费活动50场。
`,
			`s1 1 outlook “十五五”时期的奋斗目标
s2 1 plan 全力做好2026年经济社会发展工作
  t1 扩大有效投资
  t2 提振消费信心
`},
		{"speaker line and photo credit belong to the title block",
			`青山市政府工作报告

——2026年1月20日在青山市第五届人民代表大会第三次会议上

青山市人民政府市长 王大明

王大明作政府工作报告。本报记者李小红摄

各位代表：

现在，我代表市人民政府作工作报告。

一、2025年工作回顾

全市生产总值增长6%。

二、2026年工作安排

稳定扩大投资。实施重点项目120个。
`,
			`# 青山市政府工作报告——2026年1月20日在青山市第五届人民代表大会第三次会议上
s1 1 review 2025年工作回顾
s2 1 plan 2026年工作安排
  t1 稳定扩大投资
`},
		{"credits inside the text head nothing",
			`一、2025年工作回顾

全市生产总值增长6%。

青山市人民政府市长 王大明

王大明作报告。本报记者李小红摄

二、2026年工作安排

稳定扩大投资。实施重点项目120个。

来源：青山日报
`,
			`s1 1 review 2025年工作回顾
s2 1 plan 2026年工作安排
  t1 稳定扩大投资
`},
		{"a lone unnumbered line inside a numbered section heads a stretch of it",
			`一、2026年工作安排

扩大有效需求

稳定扩大投资。实施重点项目120个。

深化改革开放

优化营商环境。推行一网通办。

二、保障措施

加强组织领导。建立月调度制度。
`,
			`s1 1 plan 2026年工作安排
s1.1 2 plan 扩大有效需求
  t1 稳定扩大投资
s1.2 2 plan 深化改革开放
  t2 优化营商环境
s2 1 plan 保障措施
  t3 加强组织领导
`},
		{"a plan word under a named review stays in the review",
			`一、2025年工作回顾

（一）主要工作

全区生产总值增长6%。

（二）存在问题

民生短板仍然较多。

二、2026年工作安排

稳定扩大投资。实施重点项目120个。
`,
			`s1 1 review 2025年工作回顾
s1.1 2 review 主要工作
s1.2 2 review 存在问题
s2 1 plan 2026年工作安排
  t1 稳定扩大投资
`},
		{"numbered items of one list share their role",
			`一、今年工作安排

（一）扩大有效投资。实施重点项目100个。

（二）深化改革开放。推进国企改革。

加快开发区建设。新建标准厂房5万平方米。

（三）推进乡村振兴。建设高标准农田3万亩。

（四）保障改善民生。新增城镇就业5000人。
`,
			`s1 1 plan 今年工作安排
  t1 扩大有效投资
  t2 深化改革开放
  t3 加快开发区建设
  t4 推进乡村振兴
  t5 保障改善民生
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Extract(tc.in, Options{})
			checkDocument(t, d)
			if got := outline(d); got != tc.want {
				t.Errorf("\n got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestReviewParagraphs checks that a report's review of the past year is
// marked, so that its numbers are not read as targets.
func TestReviewParagraphs(t *testing.T) {
	in := "各位代表:\n\n现在,我代表区人民政府作报告。\n\n一、过去一年工作回顾\n\n全区生产总值增长6%。\n\n二、今年工作安排\n\n生产总值增长5%左右。\n"
	s := parseStructure(in)
	var got []string
	for _, p := range s.paragraphs {
		got = append(got, fmt.Sprintf("%s review=%v heading=%v", in[0:0]+string([]rune(in)[p.Start:p.End]), p.Review, p.Heading))
	}
	want := []string{
		"各位代表: review=true heading=true",
		"现在,我代表区人民政府作报告。 review=true heading=false",
		"一、过去一年工作回顾 review=true heading=true",
		"全区生产总值增长6%。 review=true heading=false",
		"二、今年工作安排 review=false heading=true",
		"生产总值增长5%左右。 review=false heading=false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMultiYearParagraphs checks that the paragraphs of a multi-year
// outlook are marked, so that its five-year goals are not read as this
// year's targets, and that the plan after it is not.
func TestMultiYearParagraphs(t *testing.T) {
	in := "一、2025年工作回顾\n\n全市生产总值增长6%。\n\n二、今后五年的目标任务\n\n全市生产总值年均增长6%左右。\n\n（一）建设创新强市。研发投入强度达到3%。\n\n三、2026年工作安排\n\n实施重点项目100个。\n"
	s := parseStructure(in)
	var got []string
	for _, p := range s.paragraphs {
		got = append(got, fmt.Sprintf("%s review=%v multiyear=%v task=%q", string([]rune(in)[p.Start:p.End]), p.Review, p.MultiYear, p.Task))
	}
	want := []string{
		"一、2025年工作回顾 review=true multiyear=false task=\"\"",
		"全市生产总值增长6%。 review=true multiyear=false task=\"\"",
		"二、今后五年的目标任务 review=false multiyear=true task=\"\"",
		"全市生产总值年均增长6%左右。 review=false multiyear=true task=\"\"",
		"（一）建设创新强市。研发投入强度达到3%。 review=false multiyear=true task=\"\"",
		"三、2026年工作安排 review=false multiyear=false task=\"\"",
		"实施重点项目100个。 review=false multiyear=false task=\"\"",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPartOf(t *testing.T) {
	tests := []struct{ title, want string }{
		{"2025年工作回顾", PartReview},
		{"过去一年主要工作回顾", PartReview}, // a review word wins inside one phrase
		{"主要工作完成情况", PartReview},
		{"过去三年工作回顾", PartReview},
		{"近五年主要成就", PartReview},
		{"五年来的主要工作", PartReview},
		{"今年以来工作情况", PartReview},
		{"2025年国民经济和社会发展计划执行情况", PartReview},
		{"2025年工作回顾和“十五五”时期发展成就", PartReview},
		{"2025年工作回顾和2026年工作安排", partBoth}, // two parts joined by 和
		{"2026年工作安排", PartPlan},
		{"2026年主要工作", PartPlan},
		{"2026年政府工作的总体思路和目标任务", PartPlan},
		{"今年经济社会发展主要预期目标", PartPlan},
		{"“十五五”时期发展的总体思路和重点任务", PartOutlook},
		{"十五五期间主要目标", PartOutlook},
		{"今后五年的目标任务", PartOutlook},
		{"今后一个时期的主要任务", PartOutlook},
		{"二〇三五年远景目标", PartOutlook},
		{"2026—2030年发展目标", PartOutlook},
		{"2026年及“十五五”时期工作安排", PartPlan}, // names this year too
		{"奋力实现“十五五”良好开局", partNone},     // this year's slogan
		{"壮大实体经济", partNone},
		{"", partNone},
	}
	for _, tc := range tests {
		if got := partOf(tc.title); got != tc.want {
			t.Errorf("partOf(%q) = %q, want %q", tc.title, got, tc.want)
		}
	}
}

func TestIsPartHeading(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"2025年工作回顾：", true},
		{"2026年工作安排:", true},
		{"重点工作：", true},
		{"过去五年工作回顾。", true},
		{"各位代表：", false},               // a greeting
		{"正文：", false},                 // a label
		{"一年来全区新增企业30家。", false},       // a sentence with figures
		{"过去一年，全区生产总值增长6%。", false},    // a sentence with a comma
		{"今年重点抓好以下工作：", false},         // no part word
		{"2025年工作回顾", false},           // no mark: an ordinary heading already
		{"今年主要预期目标是：生产总值增长5%。", false}, // the colon is inside a sentence
	}
	for _, tc := range tests {
		if got := isPartHeading([]rune(tc.line)); got != tc.want {
			t.Errorf("isPartHeading(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestPartSwitch(t *testing.T) {
	tests := []struct{ para, want string }{
		{"过去一年，全县生产总值增长6%。", PartReview},
		{"过去的五年，我们砥砺前行。", PartReview},
		{"一年来，我们扎实推进项目建设。", PartReview},
		{"五年来，全市经济总量翻了一番。", PartReview},
		{"这一年，我们稳住了经济大盘。", PartReview},
		{"回顾过去，我们倍感振奋。", PartReview},
		{"今年政府工作的总体要求是：坚持稳中求进。", PartPlan},
		{"2026年经济社会发展主要预期目标：生产总值增长5%左右。", PartPlan},
		{"综合考虑各方面因素，今年全市主要预期目标是：生产总值增长5%。", PartPlan},
		{"去年确定的主要预期目标：全部完成。", partNone}, // reviews the plan
		{"年初确定的2025年主要预期目标：全部实现。", partNone},
		{"今年是“十五五”开局之年。", partNone},
		{"一年一度的招商活动如期举办。", partNone},
		{"做强先进制造业。新建标准厂房5万平方米。", partNone},
		{"", partNone},
	}
	for _, tc := range tests {
		if got := partSwitch([]rune(tc.para)); got != tc.want {
			t.Errorf("partSwitch(%q) = %q, want %q", tc.para, got, tc.want)
		}
	}
}

func TestBylines(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"青山市人民政府市长 王大明", true},
		{"青山县人民政府代县长 欧阳小明", true},
		{"王大明作政府工作报告。本报记者李小红摄", true},
		{"（新华社记者 张三 摄）", true},
		{"2026年1月20日", true},
		{"——在青山市第五届人民代表大会第三次会议上", true},
		{"2025-12-31 16:20:16 来源：青山日报", true},
		{"2025年12月31日 来源：青山市人民政府网", true},
		{"2025年12月31日，全市召开项目建设推进会。", false},
		{"——二〇二六年一月二十日在青山市第五届人民代表大会第三次会议上", true},
		{"壮大实体经济", false},
		{"全面加强市长热线 办理", false},
		{"实施拍摄基地建设。", false},
	}
	for _, tc := range tests {
		if got := isByline([]rune(tc.line)); got != tc.want {
			t.Errorf("isByline(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestIsCredit(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"青山市人民政府市长 王大明", true},
		{"王大明作报告。本报记者李小红摄", true},
		{"2025-12-31 16:20:16 来源：青山日报", true},
		{"——2026年1月20日在青山市第五届人民代表大会第三次会议上", true},
		{"来源：青山日报", true},
		{"责任编辑：李小红", true},
		{"——坚持创新驱动，建设创新强市", false}, // a list item of the plan
		{"主要目标：生产总值增长5%", false},
		{"标题：青山市政府工作报告", false}, // title-block metadata, read for the title
	}
	for _, tc := range tests {
		if got := isCredit([]rune(tc.line)); got != tc.want {
			t.Errorf("isCredit(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

// TestEvalDocuments runs the extractor on the shared evaluation texts (read
// in place) and checks the structure a reader relies on.
func TestEvalDocuments(t *testing.T) {
	names, err := filepath.Glob(filepath.Join(evalDocs, "*.txt"))
	if err != nil || len(names) == 0 {
		t.Skip("shared evaluation documents not present")
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		d, err := File(name, data, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkDocument(t, d)
	}

	data, err := os.ReadFile(filepath.Join(evalDocs, "sample-L01.txt"))
	if err != nil {
		t.Skip("sample-L01 not present")
	}
	// The scorer drops the source line and the repository's title line.
	lines := strings.SplitN(string(data), "\n", 3)
	d, err := File("sample-L01.txt", []byte(lines[2]), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.Title, "保定市政府工作报告") {
		t.Errorf("title %q", d.Title)
	}
	if len(d.Sections) < 9 || d.Sections[0].Part != PartReview || d.Sections[1].Title != "2014年工作总体要求" {
		t.Fatalf("sections: %s", outline(d))
	}
	for _, s := range d.Sections[1:] {
		if s.Part != PartPlan {
			t.Errorf("section %s %s is %s, want plan", s.ID, s.Title, s.Part)
		}
	}
	planStart := d.Sections[1].Start
	for _, p := range parseStructure(d.Text).paragraphs {
		if p.Review != (p.Start < planStart) {
			t.Errorf("paragraph at %d: review=%v, plan starts at %d", p.Start, p.Review, planStart)
		}
	}
	if len(d.Tasks) < 20 {
		t.Errorf("%d tasks in sample-L01, want at least 20", len(d.Tasks))
	}
}

func TestWriteText(t *testing.T) {
	d := Document{
		Sections: []Section{
			{ID: "s1", Level: 1, Title: "2024年工作回顾", Part: PartReview},
			{ID: "s2", Level: 1, Title: "2025年工作安排", Part: PartPlan},
			{ID: "s2.1", Parent: "s2", Level: 2, Part: PartPlan},
		},
		Tasks: []Task{
			{ID: "t1", Section: "s2.1", Title: "稳定就业", Units: []UnitSuggestion{
				{Unit: "人社局", Role: RoleLead, Because: []string{"就业"}},
				{Unit: "财政局", Role: RoleCooperate},
			}},
			{ID: "t2", Section: "s9", Title: "建设社区食堂"},
		},
		Targets: []Target{
			{Task: "t1", Text: "新增就业5000人以上", Indicator: "新增就业", Value: 5000, Unit: "人", Comparator: CmpGE, Kind: KindLevel},
			{Text: "生产总值增长5.5%左右", Indicator: "生产总值", Value: 5.5, Unit: "%", Comparator: CmpApprox, Kind: KindGrowth, Uncertain: true},
		},
		Entities: []Entity{{Text: "青山区", Kind: EntityPlace}, {Text: "青山区", Kind: EntityPlace}, {Text: "滨江公园", Kind: EntityProject}},
		Flags:    []Flag{{Kind: FlagTruncated, Message: "句子没有写完。", Text: "推进分级\n\n诊疗", Start: 40, End: 48}},
	}
	want := `标题：（未识别出标题）

板块 3 个，任务 2 项，指标 2 个，待核对 1 处

s1 2024年工作回顾（回顾部分：其中数字是已有成绩，不作指标）

s2 2025年工作安排

  s2.1 （标题缺失）
    t1 稳定就业
      指标：新增就业5000人以上 → 新增就业 ≥ 5000人，水平
      牵头单位建议：人社局（就业）
      配合单位建议：财政局

未归入板块的任务
  t2 建设社区食堂

不属于任务的指标
  指标：生产总值增长5.5%左右 → 生产总值 约 5.5%，增速（存疑）

项目、地点和单位
  项目：滨江公园
  地点：青山区

待核对
  [句子中断] 第40字「推进分级⏎诊疗」：句子没有写完。
`
	var buf bytes.Buffer
	if err := WriteText(&buf, d); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != want {
		t.Errorf("\n got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteTextReportsWriteErrors(t *testing.T) {
	d := seedDocument(t)
	if err := WriteText(failingWriter{}, d); err == nil {
		t.Error("no error from a failing writer")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func FuzzExtract(f *testing.F) {
	f.Add(string(seed.PlanText))
	f.Add("一、2024年工作回顾\n\n增长6%。\n\n二、今年工作安排\n\n(一)扩大需求\n\n稳定投资。实施项目12个。")
	f.Add("1.道路工程。完成改造3公里。\n2.停车工程。新增车位800个,力争")
	f.Add("标题:某报告\n发文单位:某区\n\n各位代表:\n\n做强工业。新增企业10家,以\n\n红山村为代表")
	f.Add("（一）\n\n①\n\n第一章 \n\n。。。\n\n、\n\n\x00\xff")
	f.Add("二、“\n十五五\n”时期的目标任务\n面对繁重任务，全市干部闻令而动，\n主动\n担当、\n\"\n作为\n\"，完成目标。")
	f.Add("2025年工作回顾：\n\n过去一年，增长6%。\n\n2026年工作安排：\n\n今年工作的总体要求是：稳中求进。\n\n重点工作：\n\n（一）扩大投资。实施项目12个。")
	f.Fuzz(func(t *testing.T, s string) {
		d := Extract(Normalize(s), Options{})
		checkDocument(t, d)
		if d2, err := File("fuzz.txt", []byte(s), Options{}); err == nil {
			checkDocument(t, d2)
		}
	})
}

// benchText builds a plan of about 60,000 characters from the seed: copies
// with the place names and numbers varied, so that they are not repeats.
func benchText(tb testing.TB) string {
	base := string(seed.PlanText)
	places := []string{"小店", "青山", "江北", "南湖", "西城", "东坡", "北苑", "中和", "龙泉", "石桥"}
	var b strings.Builder
	for k := 0; b.Len() < 3*60000; k++ {
		v := strings.ReplaceAll(base, "小店", places[k%len(places)])
		v = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return '0' + (r-'0'+rune(k))%10
			}
			return r
		}, v)
		v = strings.ReplaceAll(v, "打造", []string{"打造", "建设", "培育", "构建"}[k%4])
		b.WriteString(v)
		b.WriteString("\n\n")
	}
	r := []rune(b.String())
	if len(r) > 60000 {
		r = r[:60000]
	}
	return string(r)
}

func BenchmarkExtract(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		d := Extract(Normalize(text), Options{})
		if len(d.Sections) == 0 {
			b.Fatal("no sections")
		}
	}
}

// BenchmarkStructure measures the structure pass alone (rejoining and
// parseStructure) on the same text, to tell its cost from the other passes'.
func BenchmarkStructure(b *testing.B) {
	text := Normalize(benchText(b))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		s := parseStructure(joinBrokenParagraphs(text))
		if len(s.sections) == 0 {
			b.Fatal("no sections")
		}
	}
}

func TestNumberMarker(t *testing.T) {
	tests := []struct {
		in   string
		rank int
		rest string // the heading text after the marker; "" when no marker
	}{
		{"一、2025年工作安排", rankCNComma, "2025年工作安排"},
		{"十二、加强自身建设", rankCNComma, "加强自身建设"},
		{"(一)扩大需求", rankCNParen, "扩大需求"},
		{"（二）促进消费", rankCNParen, "促进消费"},
		{"1.城市改造工程。", rankDigitDot, "城市改造工程。"},
		{"10、交通保畅工程", rankDigitDot, "交通保畅工程"},
		{"(3)停车设施", rankDigitParen, "停车设施"},
		{"②智慧养老", rankCircled, "智慧养老"},
		{"第一部分 总体要求", rankPart, "总体要求"},
		{"第三章 产业发展", rankChapter, "产业发展"},
		{"第二节、园区建设", rankSection, "园区建设"},
		{"1.6万人实现就业。", 0, ""}, // a decimal, not a number
		{"2025年工作安排", 0, ""},  // a year
		{"一是加快项目建设。", 0, ""},  // an inline enumeration
		{"第一章程规定", 0, ""},     // a word
		{"(一)", 0, ""},        // a bare number
		{"(十二三四五)过长", 0, ""},  // too long for a number
		{"", 0, ""},
	}
	for _, tc := range tests {
		rank, n, ok := numberMarker([]rune(tc.in))
		rest := ""
		if ok {
			rest = string([]rune(tc.in)[n:])
		}
		if ok != (tc.rest != "") || rank != tc.rank || rest != tc.rest {
			t.Errorf("numberMarker(%q) = rank %d rest %q ok %v, want rank %d rest %q", tc.in, rank, rest, ok, tc.rank, tc.rest)
		}
	}
}
