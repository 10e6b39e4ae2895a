package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// docxNamespaces are declared on every test document, as Word does.
const docxNamespaces = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"`

// makeDOCX builds a .docx whose body is body; parts adds or replaces parts
// (word/numbering.xml, word/styles.xml).
func makeDOCX(t testing.TB, body string, parts map[string]string) []byte {
	t.Helper()
	all := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`</Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
			`</Relationships>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:document ` + docxNamespaces + `><w:body>` + body + `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`,
	}
	// Relationships and content types for the optional parts, so that
	// Word and LibreOffice open the fixture too.
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	for _, p := range []struct{ part, kind, contentType string }{
		{"word/styles.xml", "styles", "styles"},
		{"word/numbering.xml", "numbering", "numbering"},
	} {
		if _, ok := parts[p.part]; ok {
			rels += `<Relationship Id="r` + p.kind + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/` + p.kind + `" Target="` + strings.TrimPrefix(p.part, "word/") + `"/>`
			all["[Content_Types].xml"] = strings.Replace(all["[Content_Types].xml"], `</Types>`,
				`<Override PartName="/`+p.part+`" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.`+p.contentType+`+xml"/></Types>`, 1)
		}
	}
	all["word/_rels/document.xml.rels"] = rels + `</Relationships>`
	for k, v := range parts {
		all[k] = v
	}
	return makeZip(t, all)
}

// numberingXML defines two lists: numId 1 is the heading outline
// (一、 then （一）, linked to styles 1 and 2), numId 2 a decimal list, and
// numId 3 restarts the decimal list at 1.
const numberingXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
 <w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="1"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="2"/><w:lvlText w:val="（%2）"/></w:lvl>
 </w:abstractNum>
 <w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%2"/></w:lvl>
 </w:abstractNum>
 <w:abstractNum w:abstractNumId="2">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#61623;"/></w:lvl>
 </w:abstractNum>
 <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
 <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
 <w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
 <w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>`

// stylesXML: styles 1 and 2 are headings numbered by list 1; style 3 is
// based on style 1 and inherits its numbering.
const stylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
 <w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
 <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
 <w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
 <w:style w:type="paragraph" w:styleId="3"><w:name w:val="My Heading"/><w:basedOn w:val="1"/></w:style>
</w:styles>`

func para(style, text string) string {
	p := "<w:p>"
	if style != "" {
		p += `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return p + "<w:r><w:t>" + text + "</w:t></w:r></w:p>"
}

func listPara(numID, ilvl, text string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + ilvl + `"/><w:numId w:val="` + numID + `"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

func TestReadDOCX(t *testing.T) {
	numbered := map[string]string{"word/numbering.xml": numberingXML, "word/styles.xml": stylesXML}
	tests := []struct {
		name  string
		body  string
		parts map[string]string
		want  string
	}{
		{"paragraphs are lines", para("", "第一段。") + para("", "第二段。"), nil, "第一段。\n第二段。\n"},
		{"runs join", `<w:p><w:r><w:t>新增就业</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>3200</w:t></w:r><w:r><w:t xml:space="preserve">人 </w:t></w:r></w:p>`, nil, "新增就业3200人 \n"},
		{"empty paragraph is a blank line", para("", "标题") + "<w:p/>" + para("", "正文。"), nil, "标题\n\n正文。\n"},
		{"tab and breaks", `<w:p><w:r><w:t>附件</w:t><w:tab/><w:t>任务表</w:t><w:br/><w:t>第二行</w:t><w:cr/><w:t>第三行</w:t></w:r></w:p>`, nil, "附件\t任务表\n第二行\n第三行\n"},
		{"tab stops are not tabs", `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>正文</w:t></w:r></w:p>`, nil, "正文\n"},
		{"table rows", `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid>` +
			`<w:tr><w:tc><w:tcPr><w:tcW w:w="100"/></w:tcPr>` + para("", "序号") + `</w:tc><w:tc>` + para("", "任务") + `</w:tc><w:tc>` + para("", "牵头单位") + `</w:tc></w:tr>` +
			`<w:tr><w:tc>` + para("", "1") + `</w:tc><w:tc>` + para("", "新建停车位") + `</w:tc><w:tc>` + para("", "县住建局") + para("", "县交通局") + `</w:tc></w:tr>` +
			`</w:tbl>` + para("", "表后正文。"), nil, "序号\t任务\t牵头单位\n1\t新建停车位\t县住建局 县交通局\n表后正文。\n"},
		{"nested table stays in its cell", `<w:tbl><w:tr><w:tc>` + para("", "外") + `<w:tbl><w:tr><w:tc>` + para("", "内1") + `</w:tc><w:tc>` + para("", "内2") + `</w:tc></w:tr></w:tbl></w:tc><w:tc>` + para("", "右") + `</w:tc></w:tr></w:tbl>`, nil, "外 内1 内2\t右\n"},
		{"tracked changes: deletions go, insertions stay", `<w:p><w:r><w:t>覆盖率达到</w:t></w:r><w:del w:id="1"><w:r><w:delText>80</w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t>85</w:t></w:r></w:ins><w:r><w:t>%。</w:t></w:r></w:p>`, nil, "覆盖率达到85%。\n"},
		{"field codes hidden, results shown", `<w:p><w:r><w:t>见第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r></w:p>`, nil, "见第3页\n"},
		{"hyperlink text", `<w:p><w:hyperlink r:id="rId9"><w:r><w:t>青禾产业园</w:t></w:r></w:hyperlink><w:r><w:t>建设</w:t></w:r></w:p>`, nil, "青禾产业园建设\n"},
		{"text box read once", `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>` + para("", "此件公开发布") + `</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>` + para("", "此件公开发布") + `</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>正文。</w:t></w:r></w:p>`, nil, "此件公开发布\n正文。\n"},
		{"drawing text outside w:t is not read", `<w:p><w:r><w:drawing><a:t>图表标签</a:t></w:drawing><w:t>正文</w:t></w:r></w:p>`, nil, "正文\n"},
		{"strict namespace", ``, map[string]string{"word/document.xml": `<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>严格格式</w:t></w:r></w:p></w:body></w:document>`}, "严格格式\n"},
		{"numbered headings from styles", para("1", "稳住经济基本盘") + para("2", "扩大有效投资") + para("", "全年实施重点项目120个。") + para("2", "促进消费回升") + para("1", "办好民生实事") + para("2", "稳定就业") + para("3", "加强自身建设"), numbered,
			"一、稳住经济基本盘\n（一）扩大有效投资\n全年实施重点项目120个。\n（二）促进消费回升\n二、办好民生实事\n（一）稳定就业\n三、加强自身建设\n"},
		{"numbered list and restart", listPara("2", "0", "新建停车位。") + listPara("2", "1", "城区") + listPara("2", "1", "乡镇") + listPara("2", "0", "改造危房。") + listPara("3", "0", "新的一组。") + listPara("4", "0", "要点") + listPara("0", "0", "不编号"), numbered,
			"1.新建停车位。\n①城区\n②乡镇\n2.改造危房。\n1.新的一组。\n要点\n不编号\n"},
		{"number pattern too long to be real", listPara("9", "0", "正文"), map[string]string{"word/numbering.xml": `<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="` + strings.Repeat("%1", 100) + `"/></w:lvl></w:abstractNum><w:num w:numId="9"><w:abstractNumId w:val="0"/></w:num></w:numbering>`}, "正文\n"},
		{"numbering part that is broken", listPara("2", "0", "正文"), map[string]string{"word/numbering.xml": "<w:numbering><w:num"}, "正文\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read("plan.docx", makeDOCX(t, tt.body, tt.parts))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestReadDOCXZipBomb checks that a part that unpacks beyond the limit is
// refused, whether its header tells the truth or understates the size.
func TestReadDOCXZipBomb(t *testing.T) {
	// A real bomb: document.xml of more than maxDOCXPart bytes, packed
	// into well under a megabyte.
	var packed bytes.Buffer
	fw, err := flate.NewWriter(&packed, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	sum := crc32.NewIEEE()
	w := io.MultiWriter(fw, sum)
	size := 0
	write := func(s string) {
		n, _ := io.WriteString(w, s)
		size += n
	}
	write(`<w:document ` + docxNamespaces + `><w:body>`)
	chunk := strings.Repeat("<w:p><w:r><w:t>零</w:t></w:r></w:p>", 1000)
	for size <= maxDOCXPart {
		write(chunk)
	}
	write(`</w:body></w:document>`)
	fw.Close()
	if packed.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes packed; it should be small", packed.Len())
	}
	bomb := func(claimed int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: "word/document.xml", Method: zip.Deflate, CRC32: sum.Sum32(),
			CompressedSize64: uint64(packed.Len()), UncompressedSize64: uint64(claimed),
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(packed.Bytes())
		zw.Close()
		return buf.Bytes()
	}
	if _, err := Read("bomb.docx", bomb(size)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("honest header: err = %v, want ErrTooLarge", err)
	}
	// The zip reader stops at the claimed size, so a lie costs only the
	// claimed bytes, and the file is reported as damaged.
	if _, err := Read("liar.docx", bomb(1000)); !errors.Is(err, ErrDamaged) {
		t.Errorf("lying header: err = %v, want ErrDamaged", err)
	}
}

func TestChineseNumber(t *testing.T) {
	for n, want := range map[int]string{
		1: "一", 9: "九", 10: "十", 11: "十一", 20: "二十", 21: "二十一", 99: "九十九",
		100: "一百", 101: "一百零一", 110: "一百一十", 1000: "一千", 1001: "一千零一", 1010: "一千零一十", 2025: "二千零二十五",
		0: "0", 10000: "10000",
	} {
		if got := chineseNumber(n); got != want {
			t.Errorf("chineseNumber(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		n      int
		format string
		want   string
	}{
		{3, "decimal", "3"},
		{3, "decimalZero", "03"},
		{3, "ideographTraditional", "丙"},
		{12, "chineseLegalSimplified", "拾贰"},
		{2, "decimalEnclosedCircle", "②"},
		{28, "lowerLetter", "bb"},
		{4, "upperRoman", "IV"},
		{14, "lowerRoman", "xiv"},
		{5, "none", ""},
		{7, "someFutureFormat", "7"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.n, tt.format); got != tt.want {
			t.Errorf("formatNumber(%d, %s) = %q, want %q", tt.n, tt.format, got, tt.want)
		}
	}
}

// fixtureDOCX is the committed testdata/read/plan.docx: a short plan with
// numbered headings, a tracked change, a field, a text box and a task table.
func fixtureDOCX(t testing.TB) []byte {
	body := `<w:p><w:r><w:t>青禾县</w:t></w:r><w:r><w:t>２０２５</w:t></w:r><w:r><w:t>年重点工作任务分工方案</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>（此件公开发布）</w:t></w:r></w:p>` +
		para("1", "稳住经济基本盘") +
		para("2", "扩大有效投资") +
		`<w:p><w:r><w:t>全年实施重点项目</w:t></w:r><w:del w:id="1"><w:r><w:delText>100</w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t>120</w:t></w:r></w:ins><w:r><w:t>个,完成投资</w:t></w:r><w:r><w:t>８５亿元。</w:t></w:r></w:p>` +
		para("2", "促进消费回升") +
		`<w:p><w:r><w:t>社会消费品零售总额增长６％以上;新增限额以上商贸企业</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> =40 </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>40</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>家。</w:t></w:r></w:p>` +
		para("1", "办好民生实事") +
		listPara("2", "0", "新建城区公共停车位1500个。") +
		listPara("2", "0", "改造农村危房320户。") +
		`<w:tbl><w:tr><w:tc>` + para("", "序号") + `</w:tc><w:tc>` + para("", "任务") + `</w:tc><w:tc>` + para("", "牵头单位") + `</w:tc><w:tc>` + para("", "完成时限") + `</w:tc></w:tr>` +
		`<w:tr><w:tc>` + para("", "1") + `</w:tc><w:tc>` + para("", "新建停车位") + `</w:tc><w:tc>` + para("", "县住建局") + para("", "县交通局") + `</w:tc><w:tc>` + para("", "2025年12月") + `</w:tc></w:tr></w:tbl>` +
		`<w:p/>` +
		`<w:p><w:r><w:t>青禾县人民政府</w:t><w:br/><w:t>2025年2月18日</w:t></w:r></w:p>`
	return makeDOCX(t, body, map[string]string{"word/numbering.xml": numberingXML, "word/styles.xml": stylesXML})
}

// FuzzReadDOCX puts arbitrary XML in the body, numbering and styles of a
// .docx: the walker and the numbering must not panic or hang.
func FuzzReadDOCX(f *testing.F) {
	f.Add(para("1", "稳住经济基本盘")+listPara("2", "0", "新建停车位。"), numberingXML, stylesXML)
	f.Add(`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`, "", "")
	f.Add(`<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></mc:Choice></mc:AlternateContent></w:r></w:p>`, "", "")
	f.Add(`</w:tc></w:tr></w:p><w:tr>`, `<w:numbering><w:num w:numId="1"><w:abstractNumId w:val="9"/></w:num></w:numbering>`, "")
	f.Fuzz(func(t *testing.T, body, numbering, styles string) {
		data := makeDOCX(t, body, map[string]string{"word/numbering.xml": numbering, "word/styles.xml": styles})
		text, err := Read("plan.docx", data)
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
