package extract

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Plans are often published as a page on the government's site, where the
// text sits among menus, breadcrumbs, "print this page" links and footers.
// The HTML reader keeps the article: it drops what is never content, then
// what looks like page furniture, then blocks made of links, and keeps the
// element that holds most of the remaining Chinese text.

// readHTML decodes a page (by its byte-order mark, as valid UTF-8, by its
// declared charset, or as GB18030) and returns its article text.
func readHTML(data []byte) (string, error) {
	s, err := decodeText(data, htmlCharset(data))
	if err != nil {
		return "", err
	}
	return readHTMLText(s)
}

var (
	xmlEncoding = regexp.MustCompile(`(?i)^\s*<\?xml[^>]*encoding\s*=\s*["']?([A-Za-z0-9._:-]+)`)
	metaCharset = regexp.MustCompile(`(?i)charset\s*=\s*["']?([A-Za-z0-9._:-]+)`)
)

// htmlCharset returns the charset a page declares in its first few
// kilobytes: an XML declaration, <meta charset> or <meta http-equiv> with a
// content type. HTML says to look in the first 1024 bytes; we look further
// because government CMS templates put long comments first.
func htmlCharset(data []byte) string {
	h := bytes.TrimPrefix(headBytes(data, 8192), bomUTF8)
	if m := xmlEncoding.FindSubmatch(h); m != nil {
		return string(m[1])
	}
	z := html.NewTokenizer(bytes.NewReader(h))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return ""
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if string(name) == "body" {
			return ""
		}
		if string(name) != "meta" || !hasAttr {
			continue
		}
		var httpEquiv bool
		var content string
		for {
			k, v, more := z.TagAttr()
			switch strings.ToLower(string(k)) {
			case "charset":
				return strings.TrimSpace(string(v))
			case "http-equiv":
				httpEquiv = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
			case "content":
				content = string(v)
			}
			if !more {
				break
			}
		}
		if httpEquiv {
			if m := metaCharset.FindStringSubmatch(content); m != nil {
				return m[1]
			}
		}
	}
}

// neverContent are elements whose text a reader never sees as the article.
var neverContent = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Math: true,
	atom.Canvas: true, atom.Select: true, atom.Button: true, atom.Input: true, atom.Textarea: true,
	atom.Head: true, atom.Audio: true, atom.Video: true, atom.Map: true,
}

// furnitureTags are the page's frame: menus, banners, footers, side bars
// and forms (search boxes, login).
var furnitureTags = map[atom.Atom]bool{
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true,
	atom.Form: true, atom.Menu: true, atom.Dialog: true,
}

// furnitureRoles are ARIA landmarks that are not the main content.
var furnitureRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "search": true,
	"menu": true, "menubar": true, "complementary": true,
}

// furnitureNames are class or id words that CMS templates, Chinese
// government ones included, give to page furniture ("dqwz" is 当前位置, the
// breadcrumb).
var furnitureNames = map[string]bool{
	"nav": true, "navbar": true, "navigation": true, "menu": true, "header": true, "footer": true,
	"foot": true, "breadcrumb": true, "breadcrumbs": true, "crumb": true, "crumbs": true,
	"sidebar": true, "share": true, "toolbar": true, "copyright": true, "position": true,
	"location": true, "dqwz": true, "print": true, "pager": true, "pagination": true,
	"related": true, "friendlink": true, "search": true, "login": true, "skip": true,
}

// htmlPage is a parsed page with the text weight of every element.
type htmlPage struct {
	stats map[*html.Node]*htmlStats
	han   bool // weigh Chinese characters only
}

// htmlStats is what an element holds.
type htmlStats struct {
	weight  int // characters of text under the element
	links   int // of which inside <a>
	anchors int // number of <a> under the element
}

func (p *htmlPage) weight(n *html.Node) int {
	if s := p.stats[n]; s != nil {
		return s.weight
	}
	return 0
}

// readHTMLText returns the article text of a decoded page.
func readHTMLText(s string) (string, error) {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		// With a string reader, the parser fails only on elements nested
		// more than 512 deep, which no page a person wrote does; its
		// tree would cost quadratic time to build.
		return "", readFail(ErrDamaged, "the page cannot be read as HTML ("+err.Error()+"); save its text as .txt")
	}
	body := htmlFind(doc, atom.Body)
	if body == nil {
		body = doc
	}
	p := &htmlPage{stats: map[*html.Node]*htmlStats{}}
	p.removeWhere(body, func(n *html.Node) bool { return neverContent[n.DataAtom] })
	p.han = htmlCountHan(body) > 0
	p.measure(body)
	total := p.weight(body)
	// Furniture goes unless it holds half the text: ASP.NET pages wrap
	// the whole page in a <form>, and some templates put the article in
	// a <div class="main-header-content">.
	guard := func(n *html.Node) bool { return p.weight(n)*2 <= total }
	p.removeWhere(body, func(n *html.Node) bool { return isFurniture(n) && guard(n) })
	p.removeWhere(body, func(n *html.Node) bool { return p.linkList(n) && guard(n) })

	root := p.article(body)
	var b htmlText
	if !htmlHas(root, atom.H1) {
		// The title often sits outside the content element.
		if h1 := htmlFind(body, atom.H1); h1 != nil && p.weight(h1) > 0 {
			b.render(h1)
			b.block()
		}
	}
	b.render(root)
	return b.String(), nil
}

// isFurniture reports an element that looks like page furniture.
func isFurniture(n *html.Node) bool {
	if furnitureTags[n.DataAtom] {
		return true
	}
	for _, a := range n.Attr {
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(a.Val, "true") {
				return true
			}
		case "role":
			if furnitureRoles[strings.ToLower(strings.TrimSpace(a.Val))] {
				return true
			}
		case "style":
			v := strings.ToLower(strings.ReplaceAll(a.Val, " ", ""))
			if strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") {
				return true
			}
		case "class", "id":
			words := strings.FieldsFunc(strings.ToLower(a.Val), func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
			})
			for _, w := range words {
				if furnitureNames[w] {
					return true
				}
			}
		}
	}
	return false
}

// linkList reports a block made mostly of links: menus without markup,
// "related articles", "previous/next" bars.
func (p *htmlPage) linkList(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Section, atom.P, atom.Td, atom.Span:
	default:
		return false
	}
	s := p.stats[n]
	return s != nil && s.anchors >= 3 && s.links*10 >= s.weight*6
}

// article picks the element that holds the page's text: the heaviest
// <article> or <main> if it holds half of it, else the deepest element
// holding 80% of it, widened to its parent while that adds at most 15% (the
// title and date beside the text), at most three times. The thresholds err
// toward keeping too much: a stray line of page furniture costs the
// reviewer a glance, a lost paragraph costs a task.
func (p *htmlPage) article(body *html.Node) *html.Node {
	total := p.weight(body)
	if total == 0 {
		return body
	}
	var best *html.Node
	htmlWalk(body, func(n *html.Node) {
		if n.DataAtom == atom.Article || n.DataAtom == atom.Main || htmlAttr(n, "role") == "main" {
			if best == nil || p.weight(n) > p.weight(best) {
				best = n
			}
		}
	})
	if best != nil && p.weight(best)*2 >= total {
		return best
	}
	n := body
	for {
		var next *html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && container(c) && p.weight(c)*5 >= p.weight(n)*4 {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	for i := 0; i < 3 && n != body && n.Parent != nil; i++ {
		if p.weight(n.Parent)*100 > p.weight(n)*115 {
			break
		}
		n = n.Parent
	}
	return n
}

// container reports an element that can hold an article. Paragraphs,
// lists and data tables are content themselves: stopping inside one would
// drop the text around it.
func container(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Ul, atom.Ol, atom.Li, atom.Dl, atom.Pre, atom.Blockquote,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return false
	case atom.Table:
		return !isDataTable(n)
	}
	return true
}

// measure computes the text weight of every element under n, once;
// removeWhere keeps the figures up to date.
func (p *htmlPage) measure(n *html.Node) {
	p.measureNode(n, false)
}

func (p *htmlPage) measureNode(n *html.Node, inLink bool) (weight, links, anchors int) {
	if n.Type == html.TextNode {
		w := p.textWeight(n.Data)
		if inLink {
			return w, w, 0
		}
		return w, 0, 0
	}
	if n.DataAtom == atom.A {
		inLink = true
		anchors++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w, l, a := p.measureNode(c, inLink)
		weight += w
		links += l
		anchors += a
	}
	if n.Type == html.ElementNode || n.Type == html.DocumentNode {
		p.stats[n] = &htmlStats{weight: weight, links: links, anchors: anchors}
	}
	return weight, links, anchors
}

// textWeight counts Chinese characters, or letters and digits on a page
// that has no Chinese.
func (p *htmlPage) textWeight(s string) int {
	w := 0
	for _, r := range s {
		if p.han && unicode.Is(unicode.Han, r) || !p.han && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			w++
		}
	}
	return w
}

func htmlCountHan(n *html.Node) int {
	c := 0
	htmlWalkText(n, func(s string) {
		for _, r := range s {
			if unicode.Is(unicode.Han, r) {
				c++
			}
		}
	})
	return c
}

// removeWhere deletes every element under n for which drop is true, without
// looking inside the ones it deletes, and takes their text off the figures
// of their ancestors.
func (p *htmlPage) removeWhere(n *html.Node, drop func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && drop(c) {
			if s := p.stats[c]; s != nil {
				for a := n; a != nil; a = a.Parent {
					if as := p.stats[a]; as != nil {
						as.weight -= s.weight
						as.links -= s.links
						as.anchors -= s.anchors
					}
				}
			}
			n.RemoveChild(c)
		} else {
			p.removeWhere(c, drop)
		}
		c = next
	}
}

func htmlWalk(n *html.Node, f func(*html.Node)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			f(c)
		}
		htmlWalk(c, f)
	}
}

func htmlWalkText(n *html.Node, f func(string)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			f(c.Data)
		}
		htmlWalkText(c, f)
	}
}

func htmlFind(n *html.Node, a atom.Atom) *html.Node {
	var found *html.Node
	htmlWalk(n, func(c *html.Node) {
		if found == nil && c.DataAtom == a {
			found = c
		}
	})
	return found
}

func htmlHas(n *html.Node, a atom.Atom) bool {
	return n.DataAtom == a || htmlFind(n, a) != nil
}

func htmlAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return strings.ToLower(strings.TrimSpace(a.Val))
		}
	}
	return ""
}

// blockElements start and end a line.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Table: true, atom.Tr: true, atom.Caption: true, atom.Blockquote: true, atom.Pre: true,
	atom.Hr: true, atom.Figure: true, atom.Figcaption: true, atom.Address: true, atom.Center: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Aside: true, atom.Form: true,
	atom.Fieldset: true, atom.Legend: true, atom.Details: true, atom.Summary: true, atom.Body: true,
}

// htmlText renders elements as lines the way a browser lays them out:
// blocks on their own lines, runs of white space as one space, a table row
// per line with its cells split by tabs.
type htmlText struct {
	b         strings.Builder
	space     bool // white space seen since the last character
	newline   bool // … and it held a line break (source formatting)
	lineStart bool
	last      rune
	cell      int // depth inside cells of data tables
	pre       int // depth inside <pre>
}

func (t *htmlText) String() string { return t.b.String() }

// block ends the current line, if any.
func (t *htmlText) block() {
	t.space, t.newline = false, false
	if t.cell > 0 {
		t.space = true // a data table's row stays one line
		return
	}
	if t.b.Len() > 0 && !t.lineStart {
		t.b.WriteByte('\n')
		t.lineStart = true
	}
}

// lineBreak writes <br>: always a new line, so <br><br> leaves the blank
// line the page shows.
func (t *htmlText) lineBreak() {
	t.space, t.newline = false, false
	if t.cell > 0 {
		t.space = true
		return
	}
	t.b.WriteByte('\n')
	t.lineStart = true
}

func (t *htmlText) text(s string) {
	if t.pre > 0 {
		t.b.WriteString(s)
		if s != "" {
			r, _ := utf8.DecodeLastRuneInString(s)
			t.last, t.lineStart = r, r == '\n'
		}
		return
	}
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			t.space = true
			t.newline = t.newline || r == '\n' || r == '\r'
			continue
		}
		// CSS Text 3: a line break in the source between two Chinese
		// characters is dropped, not turned into a space.
		if t.space && !t.lineStart && !(t.newline && isEastAsianWide(t.last) && isEastAsianWide(r)) {
			t.b.WriteByte(' ')
		}
		t.space, t.newline = false, false
		t.b.WriteRune(r)
		t.last, t.lineStart = r, false
	}
}

// render writes n and its descendants.
func (t *htmlText) render(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		t.text(n.Data)
		return
	case html.ElementNode, html.DocumentNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.Br:
		t.lineBreak()
		return
	case atom.Table:
		if t.cell == 0 && isDataTable(n) {
			t.block()
			t.renderDataTable(n)
			t.block()
			return
		}
	case atom.Pre:
		t.block()
		t.pre++
		defer func() { t.pre--; t.block() }()
	case atom.Td, atom.Th:
		if t.cell == 0 {
			// A layout table: its cells are blocks.
			t.block()
			defer t.block()
		}
	}
	isBlock := blockElements[n.DataAtom]
	if isBlock {
		t.block()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t.render(c)
	}
	if isBlock {
		t.block()
	}
}

// renderDataTable writes one line per row, cells split by tabs.
func (t *htmlText) renderDataTable(table *html.Node) {
	for _, row := range tableRows(table) {
		first := true
		for c := row.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom != atom.Td && c.DataAtom != atom.Th {
				continue
			}
			if !first {
				t.b.WriteByte('\t')
				t.lineStart = true // no space after the tab
			}
			first = false
			t.space, t.newline = false, false
			t.cell++
			for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
				t.render(cc)
			}
			t.cell--
		}
		t.space, t.newline = false, false
		t.b.WriteByte('\n')
		t.lineStart = true
	}
}

// tableRows lists the rows of a table, not of tables nested in it.
func tableRows(table *html.Node) []*html.Node {
	var rows []*html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.DataAtom {
			case atom.Tr:
				rows = append(rows, c)
			case atom.Thead, atom.Tbody, atom.Tfoot:
				visit(c)
			}
		}
	}
	visit(table)
	return rows
}

// isDataTable tells a table of data (a task table: one row per line) from a
// table used for page layout (the article sits in one big cell and must keep
// its paragraphs): layout tables nest tables, have a single column, or have
// a cell too long to be a datum.
func isDataTable(table *html.Node) bool {
	maxCols := 0
	for _, row := range tableRows(table) {
		cols := 0
		for c := row.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom != atom.Td && c.DataAtom != atom.Th {
				continue
			}
			cols++
			if htmlHas(c, atom.Table) {
				return false
			}
			n := 0
			htmlWalkText(c, func(s string) { n += utf8.RuneCountInString(s) })
			if n > 500 {
				return false
			}
		}
		maxCols = max(maxCols, cols)
	}
	return maxCols > 1
}
