package extract

import (
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Line endings and blank lines.
		{"CR LF", "第一段。\r\n第二段。\r\n", "第一段。\n第二段。"},
		{"lone CR", "第一段。\r第二段。", "第一段。\n第二段。"},
		{"unicode line separators", "甲\u2028乙\u2029丙\u0085丁", "甲\n乙\n丙\n丁"},
		{"form feed and vertical tab", "甲\f乙\v丙", "甲\n乙\n丙"},
		{"blank lines kept", "标题\n\n正文。", "标题\n\n正文。"},
		{"two blank lines kept", "标题\n\n\n正文。", "标题\n\n\n正文。"},
		{"many blank lines become two", "标题\n\n\n\n\n\n正文。", "标题\n\n\n正文。"},
		{"blank lines of spaces are blank", "标题\n \u3000\t\n正文。", "标题\n\n正文。"},
		{"no leading or trailing blank lines", "\n\n \n标题\n\n\n", "标题"},
		{"lines are never joined", "加快构建以战略性新兴产业为\n引领的现代产业体系", "加快构建以战略性新兴产业为\n引领的现代产业体系"},

		// White space.
		{"indent of ideographic spaces", "\u3000\u3000一、稳住经济基本盘", "一、稳住经济基本盘"},
		{"nbsp indent", "\u00A0\u00A0\u00A0\u00A0为持续增进民生福祉", "为持续增进民生福祉"},
		{"trailing spaces", "正文。  \t", "正文。"},
		{"space between paired heading halves", "实施产业强区战略\u3000\u3000构建现代产业格局", "实施产业强区战略 构建现代产业格局"},
		{"spaces collapse", "PM2.5   浓度", "PM2.5 浓度"},
		{"table row keeps every tab", "序号\t\t任务 \t 牵头单位", "序号\t\t任务\t牵头单位"},
		{"table row keeps empty edge cells", "\t新建停车位 \t县住建局\t\t", "\t新建停车位\t县住建局\t\t"},
		{"tab indent trimmed", "\t\t一、总体要求\t", "一、总体要求"},
		{"tabs in a line of one cell", "  \t \t", ""},
		{"space beside Chinese punctuation dropped", "增长8% ， 服务业 。推进 “三化工程” ", "增长8%，服务业。推进“三化工程”"},
		{"zero-width characters dropped", "新\u200B增\u200C就\u200D业\u2060\uFEFF3200人", "新增就业3200人"},
		{"soft hyphen and direction marks dropped", "新\u00ADterm\u200E增\u202A", "新term增"},
		{"control characters dropped", "新增\x00\x01\x1B就业\x7F\u0090", "新增就业"},

		// Full-width forms that carry numbers.
		{"full-width digits", "新增就业３２００人", "新增就业3200人"},
		{"full-width percent and decimal point", "增长６．５％左右", "增长6.5%左右"},
		{"full-width Latin", "ＰＭ２．５浓度下降ａ", "PM2.5浓度下降a"},
		{"full-width number symbols", "３０～５０个，＋５，－３．６％，元／平方米，＝", "30~50个，+5，-3.6%，元/平方米，="},
		{"minus sign", "下降\u22123.6%", "下降-3.6%"},
		{"full-width full stop after a list number", "１．城市改造工程", "1.城市改造工程"},
		{"full-width full stop ending a sentence stays", "完成任务．下一句", "完成任务．下一句"},
		{"full-width full stop after a number mid-line stays", "共3项．下一句", "共3项．下一句"},
		{"full-width colon between digits", "时间８：３０，比例１：２", "时间8:30，比例1:2"},
		{"full-width colon elsewhere stays", "会议提出：２０２１年", "会议提出：2021年"},
		{"circled and Chinese numerals untouched", "①二〇二一年○", "①二〇二一年○"},

		// ASCII clause punctuation in Chinese text.
		{"ASCII comma after Chinese", "定位,深化改革", "定位，深化改革"},
		{"ASCII comma after a percent", "增长8.5%,服务业增长6%", "增长8.5%，服务业增长6%"},
		{"ASCII semicolon and colon", "主要预期指标是:地区生产总值增长8.5%;服务业增长6%", "主要预期指标是：地区生产总值增长8.5%；服务业增长6%"},
		{"ASCII exclamation and question", "奋进!何时完成?", "奋进！何时完成？"},
		{"ASCII comma with a space", "增长8%, 服务业", "增长8%，服务业"},
		{"thousands separator kept", "投资1,664万元,新建12,000平方米", "投资1,664万元，新建12,000平方米"},
		{"digits that are not a thousands group", "第1,2季度", "第1，2季度"},
		{"comma in Latin text kept", "Hello, world; see: it", "Hello, world; see: it"},
		{"comma between Latin and Chinese", "Hello,世界", "Hello，世界"},
		{"URL untouched", "http://www.example.gov.cn/a?id=1&b=2", "http://www.example.gov.cn/a?id=1&b=2"},
		{"URL after a Chinese label", "来源:http://example.cn", "来源：http://example.cn"},
		{"time kept", "8:30召开", "8:30召开"},
		{"full-width punctuation kept", "扎实推进，全面完成；确保：“六稳”。", "扎实推进，全面完成；确保：“六稳”。"},
		{"parentheses and quotes as written", "工作报告(摘要)与（PM2.5）\"公交都市\"", "工作报告(摘要)与（PM2.5）\"公交都市\""},
		{"run of mixed punctuation", "完成,,;任务", "完成，，；任务"},

		// Damage.
		{"invalid UTF-8 becomes U+FFFD", "新增\xff就业", "新增\uFFFD就业"},
		{"empty", "", ""},
		{"only white space", " \u3000\n\t\r\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q)\n got  %q\n want %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("not idempotent: %q → %q", got, again)
			}
		})
	}
}

// TestNormalizeSeed checks the seed plan keeps its layout: the same lines
// in the same order, blank lines between them as before, and only the
// punctuation and white space that Normalize documents changed.
func TestNormalizeSeed(t *testing.T) {
	data, err := os.ReadFile("../seed/xiaodian-2021-plan.txt")
	if err != nil {
		t.Fatal(err)
	}
	in := string(data)
	out := Normalize(in)
	var want []string
	for _, l := range strings.Split(in, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			want = append(want, l)
		}
	}
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if l != "" {
			got = append(got, l)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d non-blank lines, want %d", len(got), len(want))
	}
	fold := strings.NewReplacer(",", "，", ":", "：", ";", "；")
	for i := range got {
		if got[i] != fold.Replace(want[i]) {
			t.Errorf("line %d:\n got  %q\n want %q", i+1, got[i], fold.Replace(want[i]))
		}
	}
	if strings.Contains(out, "\n\n\n\n") {
		t.Error("more than two blank lines in a row")
	}
}

// FuzzNormalize checks the promises of Normalize on any input: valid UTF-8,
// idempotence, no control characters but newline and tab, trimmed lines, at
// most two blank lines in a row.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"\u3000\u3000一、稳住经济基本盘\r\n全县地区生产总值增长６．５％左右,一般公共预算收入增长5%。",
		"实施产业强区战略\n\n构建现代产业格局\n\n\n\n\n",
		"投资1,664万元;Hello, world: 8:30 http://a.cn/?x=1",
		"a,:中 8 ：30 1 ．5 ,,中 １．",
		"\xff\xfe\x00\u200b\t \t\u2028",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Normalize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 %q", out)
		}
		if again := Normalize(out); again != out {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
		if strings.Contains(out, "\n\n\n\n") || strings.HasPrefix(out, "\n") || strings.HasSuffix(out, "\n") {
			t.Fatalf("blank lines not collapsed: %q", out)
		}
		for _, l := range strings.Split(out, "\n") {
			if strings.Trim(l, " ") != l {
				t.Fatalf("line with edge spaces %q", l)
			}
			if inner := strings.Trim(l, "\t"); inner != l && !strings.Contains(inner, "\t") {
				t.Fatalf("edge tabs on a line that is not a table row: %q", l)
			}
		}
		for _, r := range out {
			if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
				t.Fatalf("control or format character %U in %q", r, out)
			}
		}
	})
}

// BenchmarkNormalize measures Normalize on ~60,000 characters of plan text
// with CR LF line ends and ideographic indents, as a GB18030 file has.
func BenchmarkNormalize(b *testing.B) {
	text := strings.ReplaceAll(readBenchText(b), "\n", "\r\n\u3000\u3000")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Normalize(text)
	}
}
