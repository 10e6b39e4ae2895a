package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A .docx is a zip of XML parts; the text is in word/document.xml. We read
// it with archive/zip and encoding/xml rather than an outside converter so
// the server needs nothing installed and a hostile file meets only Go's
// memory-safe parsers.

// maxDOCXPart bounds how much one part may unpack to. A real plan's
// document.xml is a few megabytes; a zip bomb unpacks to gigabytes from a
// few kilobytes.
const maxDOCXPart = 50 << 20

// WordprocessingML namespaces: the transitional one every editor writes and
// the strict one Word offers under "Strict Open XML".
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// readDOCX returns the text of a .docx: one paragraph (w:p) per line, runs
// joined, tabs and line breaks kept, table rows as lines with cells split by
// tabs, and list numbers that Word generates ("一、", "（二）", "1.") written
// out, since a plan's headings often carry their number only in numbering.xml.
func readDOCX(zr *zip.Reader) (string, error) {
	doc, err := readPart(zr, "word/document.xml")
	if err != nil {
		return "", err
	}
	// Numbering and styles are optional: a document without them has no
	// generated numbers, and a broken one should not cost us the text.
	var num *numbering
	if data, err := readPart(zr, "word/numbering.xml"); err == nil {
		styles, _ := readPart(zr, "word/styles.xml")
		num = parseNumbering(data, styles)
	} else if errors.Is(err, ErrTooLarge) {
		return "", err
	}
	return docxText(doc, num)
}

// readPart unpacks one part, refusing parts larger than maxDOCXPart whatever
// their header claims.
func readPart(zr *zip.Reader, name string) ([]byte, error) {
	var f *zip.File
	for _, c := range zr.File {
		if strings.EqualFold(c.Name, name) {
			f = c
			break
		}
	}
	if f == nil {
		return nil, readFail(ErrDamaged, "the .docx has no "+name)
	}
	if f.UncompressedSize64 > maxDOCXPart {
		return nil, readFail(ErrTooLarge, fmt.Sprintf("%s unpacks to %d bytes, more than the %d MB a plan can need", name, f.UncompressedSize64, maxDOCXPart>>20))
	}
	rc, err := f.Open()
	if err != nil {
		return nil, readFail(ErrDamaged, "cannot open "+name+" in the .docx: "+err.Error())
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxDOCXPart+1))
	if err != nil {
		return nil, readFail(ErrDamaged, "cannot unpack "+name+" in the .docx: "+err.Error())
	}
	if len(data) > maxDOCXPart {
		return nil, readFail(ErrTooLarge, fmt.Sprintf("%s unpacks to more than the %d MB a plan can need", name, maxDOCXPart>>20))
	}
	return data, nil
}

// isW reports an element of the WordprocessingML namespace.
func isW(n xml.Name, local string) bool {
	return n.Local == local && (n.Space == nsW || n.Space == nsWStrict)
}

// paraProps is the part of w:pPr that decides a generated number.
type paraProps struct {
	Style valAttr `xml:"pStyle"`
	NumPr *numPr  `xml:"numPr"`
}

type numPr struct {
	Ilvl  *valAttr `xml:"ilvl"`
	NumID *valAttr `xml:"numId"`
}

type valAttr struct {
	Val string `xml:"val,attr"`
}

// docxTable collects the cells of the current row of an open table.
type docxTable struct {
	row   []string // finished cells of the current row
	cell  []string // finished paragraphs of the current cell
	inRow bool
}

// docxText walks document.xml once, keeping a stack of open paragraphs (a
// text box puts paragraphs inside a paragraph) and of open tables.
func docxText(data []byte, num *numbering) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var (
		out    strings.Builder
		paras  []*strings.Builder
		tables []*docxTable
		inText int // depth inside w:t
		inRun  int // depth inside w:r
	)
	// emit hands a finished line to the innermost open container.
	emit := func(line string) {
		if len(tables) > 0 && tables[len(tables)-1].inRow {
			t := tables[len(tables)-1]
			t.cell = append(t.cell, line)
			return
		}
		// A paragraph inside a text box ends before the paragraph that
		// anchors the box, so its line comes first.
		out.WriteString(line)
		out.WriteByte('\n')
	}
	write := func(s string) {
		if len(paras) > 0 {
			paras[len(paras)-1].WriteString(s)
		}
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", readFail(ErrDamaged, "word/document.xml is not well-formed XML: "+err.Error())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Space == nsMC && t.Name.Local == "Fallback",
				// Fallback repeats the Choice for old readers: reading
				// both would print every text box twice.
				isW(t.Name, "del"), isW(t.Name, "moveFrom"), // tracked deletions
				isW(t.Name, "instrText"), isW(t.Name, "delInstrText"), // field codes, not shown text
				isW(t.Name, "rPr"), isW(t.Name, "sectPr"), isW(t.Name, "tblPr"), isW(t.Name, "trPr"), isW(t.Name, "tcPr"), isW(t.Name, "tblGrid"):
				if err := d.Skip(); err != nil {
					return "", readFail(ErrDamaged, "word/document.xml is not well-formed XML: "+err.Error())
				}
			case isW(t.Name, "p"):
				paras = append(paras, &strings.Builder{})
			case isW(t.Name, "pPr"):
				var pp paraProps
				if err := d.DecodeElement(&pp, &t); err != nil {
					return "", readFail(ErrDamaged, "word/document.xml is not well-formed XML: "+err.Error())
				}
				if label := num.label(pp); label != "" {
					write(label)
				}
			case isW(t.Name, "r"):
				inRun++
			case isW(t.Name, "t"):
				inText++
			case inRun > 0 && isW(t.Name, "tab"), isW(t.Name, "ptab"):
				write("\t")
			case inRun > 0 && (isW(t.Name, "br") || isW(t.Name, "cr")):
				write("\n")
			case inRun > 0 && isW(t.Name, "noBreakHyphen"):
				write("-")
			case isW(t.Name, "tbl"):
				tables = append(tables, &docxTable{})
			case isW(t.Name, "tr"):
				if len(tables) > 0 {
					tables[len(tables)-1].row = nil
					tables[len(tables)-1].inRow = true
				}
			case isW(t.Name, "tc"):
				if len(tables) > 0 {
					tables[len(tables)-1].cell = nil
				}
			}
		case xml.EndElement:
			switch {
			case isW(t.Name, "p"):
				if len(paras) > 0 {
					line := paras[len(paras)-1].String()
					paras = paras[:len(paras)-1]
					emit(line)
				}
			case isW(t.Name, "r"):
				inRun--
			case isW(t.Name, "t"):
				inText--
			case isW(t.Name, "tc"):
				if len(tables) > 0 {
					tb := tables[len(tables)-1]
					// A cell's paragraphs share the row's line.
					tb.row = append(tb.row, strings.Join(strings.Fields(strings.Join(tb.cell, " ")), " "))
					tb.cell = nil
				}
			case isW(t.Name, "tr"):
				if len(tables) > 0 {
					tb := tables[len(tables)-1]
					tb.inRow = false
					row := strings.Join(tb.row, "\t")
					tb.row = nil
					if strings.TrimSpace(row) != "" {
						tables = tables[:len(tables)-1]
						emit(row) // to the enclosing cell, if the table is nested
						tables = append(tables, tb)
					}
				}
			case isW(t.Name, "tbl"):
				if len(tables) > 0 {
					tables = tables[:len(tables)-1]
				}
			}
		case xml.CharData:
			if inText > 0 {
				write(string(t))
			}
		}
	}
	return out.String(), nil
}

// numbering holds what numbering.xml and styles.xml say about generated
// list numbers, and the running counters while the document is read.
type numbering struct {
	nums     map[string]numDef           // numId → definition
	abstract map[string]map[int]levelDef // abstractNumId → level → format
	styles   map[string]styleDef         // styleId → numbering and parent
	counters map[string]map[int]int      // abstractNumId → level → last number
	started  map[string]bool             // numIds whose start override was applied
}

type numDef struct {
	abstract  string
	overrides map[int]int // level → start override
}

type levelDef struct {
	start  int
	format string // numFmt: decimal, chineseCounting, …
	text   string // lvlText: "%1、", "（%1）", "%1.%2"
	style  string // pStyle that this level belongs to
}

type styleDef struct {
	basedOn string
	numPr   *numPr
}

// maxLevelText bounds a list level's number pattern ("第%1章", "（%2）").
const maxLevelText = 64

// parseNumbering reads numbering.xml and styles.xml. Damage yields what was
// read so far: numbers are a help, not the text.
func parseNumbering(numData, styleData []byte) *numbering {
	n := &numbering{
		nums:     map[string]numDef{},
		abstract: map[string]map[int]levelDef{},
		styles:   map[string]styleDef{},
		counters: map[string]map[int]int{},
		started:  map[string]bool{},
	}
	var nx struct {
		Abstract []struct {
			ID     string `xml:"abstractNumId,attr"`
			Levels []struct {
				Ilvl   string  `xml:"ilvl,attr"`
				Start  valAttr `xml:"start"`
				Format valAttr `xml:"numFmt"`
				Text   valAttr `xml:"lvlText"`
				Style  valAttr `xml:"pStyle"`
			} `xml:"lvl"`
		} `xml:"abstractNum"`
		Num []struct {
			ID       string  `xml:"numId,attr"`
			Abstract valAttr `xml:"abstractNumId"`
			Override []struct {
				Ilvl  string  `xml:"ilvl,attr"`
				Start valAttr `xml:"startOverride"`
			} `xml:"lvlOverride"`
		} `xml:"num"`
	}
	_ = xml.Unmarshal(numData, &nx)
	for _, a := range nx.Abstract {
		levels := map[int]levelDef{}
		for _, l := range a.Levels {
			i, err := strconv.Atoi(l.Ilvl)
			if err != nil || i < 0 || i > 8 {
				continue
			}
			start, err := strconv.Atoi(l.Start.Val)
			if err != nil {
				start = 1
			}
			if len(l.Text.Val) > maxLevelText {
				// Word's own limit is far below this; a longer pattern
				// is hostile, repeated on every numbered paragraph.
				l.Text.Val = ""
			}
			levels[i] = levelDef{start: start, format: l.Format.Val, text: l.Text.Val, style: l.Style.Val}
		}
		n.abstract[a.ID] = levels
	}
	for _, m := range nx.Num {
		def := numDef{abstract: m.Abstract.Val, overrides: map[int]int{}}
		for _, o := range m.Override {
			i, err1 := strconv.Atoi(o.Ilvl)
			s, err2 := strconv.Atoi(o.Start.Val)
			if err1 == nil && err2 == nil && i >= 0 && i <= 8 {
				def.overrides[i] = s
			}
		}
		n.nums[m.ID] = def
	}
	var sx struct {
		Styles []struct {
			ID      string  `xml:"styleId,attr"`
			BasedOn valAttr `xml:"basedOn"`
			PPr     struct {
				NumPr *numPr `xml:"numPr"`
			} `xml:"pPr"`
		} `xml:"style"`
	}
	_ = xml.Unmarshal(styleData, &sx)
	for _, s := range sx.Styles {
		n.styles[s.ID] = styleDef{basedOn: s.BasedOn.Val, numPr: s.PPr.NumPr}
	}
	return n
}

// label advances the counters for a paragraph and returns its generated
// number ("一、"), or "" for an unnumbered paragraph or a bullet.
func (n *numbering) label(pp paraProps) string {
	if n == nil {
		return ""
	}
	numID, ilvl, fromStyle := "", -1, false
	if pp.NumPr != nil {
		if pp.NumPr.NumID != nil {
			numID = pp.NumPr.NumID.Val
		}
		if pp.NumPr.Ilvl != nil {
			ilvl, _ = strconv.Atoi(pp.NumPr.Ilvl.Val)
		}
	}
	if numID == "" {
		// Numbering inherited from the paragraph style (Heading 1 …).
		seen := map[string]bool{}
		for id := pp.Style.Val; id != "" && !seen[id]; id = n.styles[id].basedOn {
			seen[id] = true
			if s := n.styles[id]; s.numPr != nil && s.numPr.NumID != nil {
				numID = s.numPr.NumID.Val
				if ilvl < 0 && s.numPr.Ilvl != nil {
					ilvl, _ = strconv.Atoi(s.numPr.Ilvl.Val)
				}
				fromStyle = true
				break
			}
		}
	}
	def, ok := n.nums[numID]
	if numID == "" || numID == "0" || !ok {
		return "" // numId 0 switches numbering off
	}
	levels := n.abstract[def.abstract]
	if ilvl < 0 && fromStyle {
		// A style-linked list names the level by the style it belongs to.
		for i := 0; i <= 8 && ilvl < 0; i++ {
			if l, ok := levels[i]; ok && l.style != "" && l.style == pp.Style.Val {
				ilvl = i
			}
		}
	}
	if ilvl < 0 || ilvl > 8 {
		ilvl = 0
	}
	lvl, ok := levels[ilvl]
	if !ok {
		return ""
	}
	count := n.counters[def.abstract]
	if count == nil {
		count = map[int]int{}
		n.counters[def.abstract] = count
	}
	if !n.started[numID] {
		// A new w:num with a start override restarts the shared list.
		n.started[numID] = true
		for l, s := range def.overrides {
			count[l] = s - 1
			for deeper := l + 1; deeper <= 8; deeper++ {
				delete(count, deeper)
			}
		}
	}
	if c, ok := count[ilvl]; ok {
		count[ilvl] = c + 1
	} else {
		count[ilvl] = lvl.start
	}
	for deeper := ilvl + 1; deeper <= 8; deeper++ {
		delete(count, deeper)
	}
	if lvl.format == "bullet" {
		return "" // a glyph, often in a symbol font's private area
	}
	var b strings.Builder
	text := lvl.text
	for i := 0; i < len(text); i++ {
		if text[i] == '%' && i+1 < len(text) && text[i+1] >= '1' && text[i+1] <= '9' {
			l := int(text[i+1] - '1')
			v, ok := count[l]
			if !ok {
				v = levels[l].start
			}
			b.WriteString(formatNumber(v, levels[l].format))
			i++
			continue
		}
		b.WriteByte(text[i])
	}
	return b.String()
}

// formatNumber writes n in a Word numFmt. Formats we do not know fall back to
// decimal digits, which still show the order.
func formatNumber(n int, format string) string {
	switch format {
	case "none":
		return ""
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting":
		return chineseNumber(n)
	case "ideographTraditional":
		if n >= 1 && n <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[n-1])
		}
	case "ideographZodiac":
		if n >= 1 && n <= 12 {
			return string([]rune("子丑寅卯辰巳午未申酉戌亥")[n-1])
		}
	case "chineseLegalSimplified":
		return strings.NewReplacer("一", "壹", "二", "贰", "三", "叁", "四", "肆", "五", "伍", "六", "陆", "七", "柒", "八", "捌", "九", "玖", "十", "拾", "百", "佰", "千", "仟").Replace(chineseNumber(n))
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "decimalZero":
		if n >= 0 && n < 10 {
			return "0" + strconv.Itoa(n)
		}
	case "upperLetter", "lowerLetter":
		if n >= 1 {
			s := strings.Repeat(string(rune('A'+(n-1)%26)), (n-1)/26+1)
			if format == "lowerLetter" {
				s = strings.ToLower(s)
			}
			return s
		}
	case "upperRoman", "lowerRoman":
		if n >= 1 && n < 4000 {
			s := roman(n)
			if format == "lowerRoman" {
				s = strings.ToLower(s)
			}
			return s
		}
	}
	return strconv.Itoa(n)
}

// chineseNumber writes 1…9999 as a count in Chinese (十一, 二十, 一百零五).
func chineseNumber(n int) string {
	if n <= 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	units := []string{"千", "百", "十", ""}
	var b strings.Builder
	zero := false
	for i, div := range []int{1000, 100, 10, 1} {
		d := n / div % 10
		if d == 0 {
			zero = b.Len() > 0
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		if !(div == 10 && d == 1 && b.Len() == 0) { // 十一, not 一十一
			b.WriteString(digits[d])
		}
		b.WriteString(units[i])
	}
	return b.String()
}

// roman writes n in upper-case Roman numerals.
func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
