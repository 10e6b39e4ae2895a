package extract

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// gbk encodes s as GB18030, as a Chinese Windows editor or a GBK web site
// would.
func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// page wraps a body in the frame of a typical government site.
func page(body string) string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>青禾县人民政府</title>` +
		`<script>var t = "脚本里的中文不是正文";</script><style>p{}</style></head><body>` +
		`<header><h1>青禾县人民政府门户网站</h1></header>` +
		`<nav><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/hd">互动交流</a></nav>` +
		body +
		`<footer>主办单位：青禾县人民政府办公室</footer></body></html>`
}

func TestReadHTML(t *testing.T) {
	const plan = "年内新建学校三所，改造道路五公里，新增城镇就业三千二百人，城镇调查失业率控制在百分之五点五以内。"
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"furniture removed", page(`<p>年内新建学校三所。</p><p>改造道路五公里。</p>`), "年内新建学校三所。\n改造道路五公里。"},
		{"article preferred", page(`<div>侧栏通知公告</div><article><h2>工作要点</h2><p>年内新建学校三所，改造道路五公里，新增就业三千人。</p></article>`),
			"工作要点\n年内新建学校三所，改造道路五公里，新增就业三千人。"},
		{"heaviest div chosen, title beside it kept", page(`<div class="main"><div class="title">青禾县工作要点</div><div class="content"><p>` + plan + `</p><p>` + plan + `</p></div></div><div class="ad">本站推荐</div><div>联系我们 电话 传真 邮箱 地址 邮编</div>`),
			"青禾县工作要点\n" + plan + "\n" + plan},
		{"h1 far outside the content kept as title", page(`<h1>关于印发工作要点的通知</h1><div class="body"><div><div><div class="text"><p>` + plan + `</p><p>` + plan + `</p></div></div></div></div>`),
			"关于印发工作要点的通知\n" + plan + "\n" + plan},
		{"breadcrumb and link lists removed", page(`<div class="crumbs">当前位置：<a>首页</a>&gt;<a>政务公开</a></div><div id="text"><p>年内新建学校三所。</p></div><ul><li><a>上一篇：青禾县召开常务会议</a></li><li><a>下一篇：青禾县开展植树活动</a></li><li><a>返回列表页面</a></li></ul>`),
			"年内新建学校三所。"},
		{"hidden elements removed", page(`<p>年内新建学校三所。</p><div style="display: none">隐藏的旧版本文字</div><span hidden>隐藏</span><div aria-hidden="true">图标说明</div>`), "年内新建学校三所。"},
		{"a form around the whole page is kept", `<html><body><form id="form1" action="./a.aspx"><div class="nav"><a>首页</a><a>政务</a><a>互动</a></div><div><p>年内新建学校三所，改造道路五公里，新增就业三千人。</p></div></form></body></html>`,
			"年内新建学校三所，改造道路五公里，新增就业三千人。"},
		{"a header around the article is kept", `<html><body><div class="page-header-wrap"><p>年内新建学校三所，改造道路五公里，新增就业三千人。</p></div><div class="footer">版权所有</div></body></html>`,
			"年内新建学校三所，改造道路五公里，新增就业三千人。"},
		{"entities decoded", `<p>确保&ldquo;件件有着落&rdquo;&mdash;&mdash;&#x5e74;&#24213;&nbsp;&lt;完成&gt;&amp;验收</p>`, "确保“件件有着落”——年底 <完成>&验收"},
		{"line breaks between Chinese characters are dropped", "<p>加快构建以战略性新兴产业为\n   引领的现代产业体系, Hello\n world</p>", "加快构建以战略性新兴产业为引领的现代产业体系，Hello world"},
		{"br and double br", `<p>青禾县人民政府<br>2025年2月18日<br/><br/>（此件公开发布）</p>`, "青禾县人民政府\n2025年2月18日\n\n（此件公开发布）"},
		{"inline elements do not break lines", `<p><span>新增</span><b>就业</b><a href="#">3200</a>人</p>`, "新增就业3200人"},
		{"data table: a row per line", `<table><thead><tr><th>序号</th><th>任务</th><th>牵头单位</th></tr></thead><tbody><tr><td>1</td><td><p>新建停车位</p></td><td>县住建局<br>县交通局</td></tr></tbody></table><p>表后正文。</p>`,
			"序号\t任务\t牵头单位\n1\t新建停车位\t县住建局 县交通局\n表后正文。"},
		{"layout table keeps its paragraphs", `<table><tr><td><p>一、稳住经济基本盘</p><p>年内新建学校三所。</p></td></tr></table>`, "一、稳住经济基本盘\n年内新建学校三所。"},
		{"layout table with a nested table", `<table><tr><td>左栏</td><td><table><tr><td>甲</td><td>乙</td></tr></table><p>正文。</p></td></tr></table>`, "左栏\n甲\t乙\n正文。"},
		{"pre keeps its lines", "<pre>第一行\n  第二行</pre>", "第一行\n第二行"},
		{"noscript and templates removed", `<p>正文。</p><noscript>请启用脚本</noscript><template><p>模板</p></template>`, "正文。"},
		{"page with no Chinese falls back to letters", `<html><body><nav><a>Home</a><a>About</a><a>News</a></nav><p>Annual plan of the county.</p></body></html>`, "Annual plan of the county."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read("page.html", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := Normalize(got); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestReadHTMLCharset checks how a page's encoding is found: valid UTF-8
// first, then the declaration, then GB18030.
func TestReadHTMLCharset(t *testing.T) {
	const body = `<p>年内新建学校三所，改造道路五公里。</p></body></html>`
	const want = "年内新建学校三所，改造道路五公里。"
	tests := []struct {
		name string
		data []byte
	}{
		{"meta charset gb2312", gbk(t, `<html><head><meta charset="gb2312"></head><body>`+body)},
		{"http-equiv gbk", gbk(t, `<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"></head><body>`+body)},
		{"xml declaration", gbk(t, `<?xml version="1.0" encoding="gb2312"?><html xmlns="http://www.w3.org/1999/xhtml"><body>`+body)},
		{"no declaration", gbk(t, `<html><body>`+body)},
		{"declared utf-8 but GBK bytes", gbk(t, `<html><head><meta charset="utf-8"></head><body>`+body)},
		{"declared windows-1252 but GBK bytes", gbk(t, `<html><head><meta charset="iso-8859-1"></head><body>`+body)},
		{"declared gb2312 but UTF-8 bytes", []byte(`<html><head><meta charset="gb2312"></head><body>` + body)},
		{"meta after a long comment", gbk(t, `<!--`+strings.Repeat("模板说明", 300)+`--><html><head><meta charset="gbk"></head><body>`+body)},
		{"utf-8 with BOM", append([]byte("\xEF\xBB\xBF"), `<html><body>`+body...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read("page.html", tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := Normalize(got); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	// A genuine Latin-1 page keeps its accents.
	latin := []byte("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\xe9 au lait, cr\xe8me.</p></body></html>")
	got, err := Read("page.html", latin)
	if err != nil {
		t.Fatal(err)
	}
	if got := Normalize(got); got != "Café au lait, crème." {
		t.Errorf("Latin-1 page: got %q", got)
	}
}

func TestHTMLCharset(t *testing.T) {
	tests := map[string]string{
		`<meta charset="gb2312">`: "gb2312",
		`<meta charset=GBK>`:      "GBK",
		`<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=gbk">`:     "gbk",
		`<meta content="text/html; charset=gb18030" http-equiv="content-type">`: "gb18030",
		`<meta name="keywords" content="charset=big5">`:                         "",
		`<?xml version="1.0" encoding='GB2312'?><html>`:                         "GB2312",
		`<html><body><meta charset="gbk">`:                                      "",
		``:                                                                      "",
	}
	for in, want := range tests {
		if got := htmlCharset([]byte(in)); got != want {
			t.Errorf("htmlCharset(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzReadHTML feeds arbitrary markup to the HTML reader under an HTML name.
func FuzzReadHTML(f *testing.F) {
	f.Add([]byte(page(`<div class="main"><p>年内新建学校三所。</p><table><tr><td>1</td><td>甲</td></tr></table></div>`)))
	f.Add([]byte(`<meta charset="gbk"><p>` + "\xc4\xea\xc4\xda" + `</p><br><br><pre>a\n b</pre>`))
	f.Add([]byte(`<table><tr><td><table><tr><td><p>嵌套</td></tr></table></td></tr></table>`))
	f.Add([]byte(`<form><article><header><h1>标题</h1></header><p>正文</p></article></form>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := Read("page.html", data)
		if err != nil {
			if !isReadError(err) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("invalid UTF-8 %q", text)
		}
	})
}
