package extract

import (
	"strings"
	"unicode"
)

// Paragraph rejoining.
//
// Text copied out of newspaper pages and PDF files often breaks a paragraph in
// the middle of a sentence ("以\n\n王吴村为代表"), because a column or a page
// ended there. Reading the two halves as two paragraphs would make the second
// half look like a section intro and cut the task it belongs to in two. But a
// break after an unfinished sentence is not always a break to mend: when text
// was lost in between, the next paragraph really is a new one ("…坚持信" then
// a section intro). joinBrokenParagraphs therefore joins only when the second
// half shows that it continues the first.
//
// Text scraped from web pages breaks differently: the page set a word in its
// own element (a link, a bold name, a quoted slogan), and the scraper put
// that element on a line of its own ("审时度势，\n亲自\n指挥、\n亲自\n部署",
// "全面落实李\n克强总理\n批示"). Such a fragment is short and has no sentence
// mark, so by its shape alone it would pass for an unnumbered heading. What
// tells them apart is where they stand. A heading stands between paragraphs:
// the line before it has finished its sentence, or a blank line separates
// them, and it is followed by a paragraph or by its paired second line. A
// fragment stands inside a sentence: the line before it stops on a comma, an
// opening quote or in the middle of a word with no blank line between, or the
// line after it goes on with punctuation that cannot open a line ("，",
// "”") or with the particle 的. Across blank lines only a very short piece
// between a word cut in two and a sentence that runs on joins on that
// evidence alone. Once a fragment is joined, the sentence is still open, so
// the line after it is joined too. Two heading-shaped lines in a row stay a
// paired heading, and a line naming a part of a report stays a heading.

// joinBrokenParagraphs returns text with the line breaks removed that split a
// paragraph in the middle of a sentence. Everything else is kept as it is.
func joinBrokenParagraphs(text string) string {
	runes := []rune(text)
	lines := nonBlankLines(runes)
	if len(lines) < 2 {
		return text
	}
	var cuts []span // stretches of line break to delete
	// acc is the paragraph built so far, without the breaks cut from it.
	acc := append([]rune(nil), runes[lines[0].start:lines[0].end]...)
	last := lines[0] // the last line of the paragraph being built
	fragment := false
	body := paragraphIsBody(acc) // once running text, a paragraph stays body text
	quotes := quoteParity(acc)
	for k, cur := range lines[1:] {
		j := joint{
			acc:      acc,
			a:        runes[last.start:last.end],
			b:        runes[cur.start:cur.end],
			tight:    !blankBetween(runes[last.end:cur.start]),
			fragment: fragment,
			body:     body,
			quotes:   quotes,
		}
		if k+2 < len(lines) {
			j.next = runes[lines[k+2].start:lines[k+2].end]
		}
		if j.join() {
			cuts = append(cuts, span{last.end, cur.start})
			acc = append(acc, j.b...)
			body = body || paragraphIsBody(acc)
			quotes ^= quoteParity(j.b)
			// A short piece without a sentence mark leaves the sentence
			// open: what follows it belongs to it.
			fragment = !endsSentence(acc) && len(j.b) <= maxHeadingRunes && !hasSentenceMark(j.b)
		} else {
			acc = append(acc[:0], j.b...)
			body = paragraphIsBody(acc)
			quotes = quoteParity(j.b)
			fragment = false
		}
		last = cur
	}
	if len(cuts) == 0 {
		return text
	}
	var sb strings.Builder
	sb.Grow(len(text))
	prev := 0
	for _, c := range cuts {
		sb.WriteString(string(runes[prev:c.start]))
		prev = c.end
	}
	sb.WriteString(string(runes[prev:]))
	return sb.String()
}

// blankBetween reports whether the white space between two lines holds a
// blank line (two line breaks).
func blankBetween(gap []rune) bool {
	n := 0
	for _, c := range gap {
		if c == '\n' {
			n++
		}
	}
	return n >= 2
}

// span is a stretch of runes [start, end).
type span struct{ start, end int }

// nonBlankLines returns the lines of runes that hold more than white space,
// each trimmed of its leading and trailing white space.
func nonBlankLines(runes []rune) []span {
	var out []span
	ls := 0
	for i := 0; i <= len(runes); i++ {
		if i < len(runes) && runes[i] != '\n' {
			continue
		}
		s, e := ls, i
		for s < e && isSpace(runes[s]) {
			s++
		}
		for e > s && isSpace(runes[e-1]) {
			e--
		}
		if e > s {
			out = append(out, span{s, e})
		}
		ls = i + 1
	}
	return out
}

// joint is one line break between two non-blank lines, with what the
// decision to mend it looks at.
type joint struct {
	acc      []rune // the paragraph so far (its last line is a)
	a, b     []rune // the line before the break and the line after it
	next     []rune // the line after b, nil at the end of the text
	tight    bool   // no blank line between a and b
	fragment bool   // a is a fragment joined into a sentence that is still open
	body     bool   // the paragraph so far is body text, not a heading
	quotes   uint8  // straight quotes left open in acc, see quoteParity
}

// join reports whether line b continues the paragraph whose last line is a.
func (j joint) join() bool {
	a, b := j.a, j.b
	if endsSentence(a) || len(b) == 0 || isMetaLine(a) {
		return false
	}
	// The second half opens with punctuation: it cannot start a paragraph.
	if continues(j.quotes, b) {
		return true
	}
	// Nothing ends on an opening quote or bracket ("二、“" / "十四五").
	if endsOnOpener(j.acc, j.quotes) {
		return true
	}
	if _, n, _ := numberMarker(b); n > 0 || isMetaLine(b) {
		return false // a numbered heading, or a title block's metadata
	}
	if !j.body {
		// A heading wrapped on a conjunction ("一、2020年工作回顾和" /
		// "“十三五”时期发展成就"), in text without blank lines.
		return j.tight && wrappedHeadingEnd(a) && !isBodyLine(b) && !j.pairsWithNext()
	}
	if !isBodyLine(b) {
		return j.fragmentLine()
	}
	// A fragment cannot end a paragraph: its sentence goes on here.
	if j.fragment {
		return true
	}
	// The first half stops on a word that needs what follows ("以", "的", "、").
	if danglingEnd(a) {
		return true
	}
	// Without a blank line, a long body line that stops in the middle of a
	// word was wrapped (a converted PDF, a scraped page), unless the next
	// line opens a paragraph of its own: a task's lead or a sentence opener.
	// (A short one may be a credit or a label line.)
	if j.tight && len(a) > maxHeadingRunes && midWord(a) && !startsWithOpener(b) && leadLen(b, maxLeadRunes) == 0 {
		return true
	}
	// The second half's first stretch is too short to open a paragraph:
	// "快速化、龙盛街…" goes on with a list begun above ("滨河东路南延、
	// 坞城南路"); "诊疗制度,推进…" ends a clause begun above.
	seg, stop := firstSegment(b)
	if seg == 0 || seg > 6 || startsWithOpener(b) {
		return false
	}
	switch stop {
	case '、':
		return containsRune(tailFragment(a), '、')
	case ',', '，', '。', ';', '；':
		// A short sentence ending in 。 followed by more is a task's lead,
		// which opens a paragraph.
		return leadLen(b, maxLeadRunes) == 0
	}
	return false
}

// fragmentLine decides for a line b shaped like a heading that follows an
// unfinished body line a: it is a piece of a's sentence when a stops on a
// comma or 、, when the line after b goes on with punctuation, or when no
// blank line stands around it and it is neither paired with the next line
// nor a part heading. A heading after a sentence cut off where a column
// ended, with blank lines around it ("推进分级" / "全力做好农业工作" /
// "打造乡村样板"), stays a heading.
func (j joint) fragmentLine() bool {
	if len(j.next) > 0 && continues(j.quotes^quoteParity(j.b), j.next) {
		return true
	}
	if j.pairsWithNext() || partOf(string(j.b)) != partNone {
		return false
	}
	if isClausePunct(j.a[len(j.a)-1]) {
		return true
	}
	if j.tight {
		return !j.nextIsHeading()
	}
	// Blank lines around it: a very short piece between a line cut in the
	// middle of a word and one that goes on in the middle of a sentence
	// (neither a task's lead nor a sentence opener) is a name or a word set
	// apart by the page ("全面落实李" / "克强总理" / "批示和…"); headings
	// that short name a part and were kept above.
	return len(j.b) <= maxFragmentRunes && midWord(j.a) && len(j.next) > 0 && isBodyLine(j.next) &&
		!j.nextIsHeading() && !startsWithOpener(j.next) && leadLen(j.next, maxLeadRunes) == 0
}

// maxFragmentRunes is the longest piece that joins across blank lines on
// the evidence of its neighbours alone.
const maxFragmentRunes = 6

// pairsWithNext reports whether b and the line after it could be the two
// lines of a paired heading: both shaped like headings, the second not
// continuing with punctuation.
func (j joint) pairsWithNext() bool {
	return len(j.next) > 0 && !isBodyLine(j.next) && !continues(j.quotes^quoteParity(j.b), j.next) && !isBodyLine(j.b)
}

// nextIsHeading reports whether the line after b is a numbered heading: b
// then stands just before a heading, where a section's last line stands.
func (j joint) nextIsHeading() bool {
	if len(j.next) == 0 {
		return false
	}
	_, n, _ := numberMarker(j.next)
	return n > 0
}

// opensWithContinuation reports whether r opens with punctuation that
// cannot open a line: a clause mark, a sentence end or a closing quote.
func opensWithContinuation(r []rune) bool {
	return len(r) > 0 && (isClausePunct(r[0]) || isSentenceEnd(r[0]) && r[0] != '.' || isCloser(r[0]))
}

// continues reports whether line b goes on with the paragraph before it
// because it opens with punctuation that cannot open a line, or with 的. The straight
// quotes " and ' open as well as close, so they continue the paragraph only
// when it left one open (quotes, see quoteParity).
func continues(quotes uint8, b []rune) bool {
	// The particle 的 ties what precedes it to what follows; no sentence
	// opens with it (的确 aside).
	if b[0] == '的' && (len(b) == 1 || b[1] != '确') {
		return true
	}
	if !opensWithContinuation(b) {
		return false
	}
	switch b[0] {
	case '"':
		return quotes&openDouble != 0
	case '\'':
		return quotes&openSingle != 0
	}
	return true
}

// endsOnOpener reports whether the paragraph acc ends on an opening quote or
// bracket, which nothing can end on. quotes is acc's quoteParity.
func endsOnOpener(acc []rune, quotes uint8) bool {
	if len(acc) == 0 {
		return false
	}
	switch acc[len(acc)-1] {
	case '“', '‘', '(', '（', '《', '「', '『', '【', '[', '〔':
		return true
	case '"':
		return quotes&openDouble != 0
	case '\'':
		return quotes&openSingle != 0
	}
	return false
}

// Bits of quoteParity.
const (
	openDouble uint8 = 1 << iota // an odd number of "
	openSingle                   // an odd number of '
)

// quoteParity tells which straight quotes r holds an odd number of: kept
// per paragraph and updated line by line, so that the cost stays linear.
func quoteParity(r []rune) uint8 {
	var q uint8
	for _, c := range r {
		switch c {
		case '"':
			q ^= openDouble
		case '\'':
			q ^= openSingle
		}
	}
	return q
}

// paragraphIsBody reports whether a (possibly joined) paragraph is body text
// rather than an unnumbered or numbered heading.
func paragraphIsBody(r []rune) bool {
	if _, n, _ := numberMarker(r); n > 0 {
		return !numberedHeadingRest(r[n:])
	}
	return isBodyLine(r)
}

// wrappedHeadingEnd reports whether a heading line stops on a conjunction
// that joins it to its next line ("…工作回顾和").
func wrappedHeadingEnd(a []rune) bool {
	switch a[len(a)-1] {
	case '和', '与', '及', '暨', '、':
		return true
	}
	return false
}

// isMetaLine reports whether r is a line of a title block that no sentence
// runs through: "key: value" metadata, a date, a URL, an occasion line.
func isMetaLine(r []rune) bool {
	if _, _, ok := metadataLine(r); ok {
		return true
	}
	return isByline(r)
}

// maxLeadRunes is the longest lead sentence (without its 。) that opens a
// task paragraph; task leads are short imperative phrases ("做强做优基础产业").
const maxLeadRunes = 24

// maxNumberedLeadRunes is the longest lead sentence after a number: the
// number already marks it as a heading, so it may be longer.
const maxNumberedLeadRunes = 40

// leadLen returns the length in runes of the lead sentence (with its 。) that
// opens r, or 0 when r does not open with one. A lead sentence is short, ends
// with 。, holds at most one comma and no colon, and more text follows it.
func leadLen(r []rune, max int) int {
	commas := 0
	for i, c := range r {
		switch {
		case c == '。':
			if i < 2 || i > max || commas > 1 {
				return 0
			}
			for _, rest := range r[i+1:] {
				if !isSpace(rest) {
					return i + 1
				}
			}
			return 0
		case c == ',' || c == '，':
			commas++
		case isSentenceEnd(c) && c != '.':
			return 0 // ":", ";", "!" or "?" first: a list intro or an exclamation
		case c == '\n':
			return 0
		}
		if i > max {
			return 0
		}
	}
	return 0
}

// firstSegment returns the number of runes before the first punctuation mark
// of r and that mark (0 if none).
func firstSegment(r []rune) (int, rune) {
	for i, c := range r {
		if isClausePunct(c) || isSentenceEnd(c) && c != '.' {
			return i, c
		}
	}
	return len(r), 0
}

// sentenceOpeners are words that begin a sentence, so a paragraph that starts with one
// of them followed by a comma is a new paragraph, not a continued one.
var sentenceOpeners = []string{
	"同时", "此外", "另外", "总之", "为此", "因此", "对此", "其中", "首先", "其次", "再次", "最后",
	"今年", "明年", "去年", "全年", "当前", "目前", "近年来", "特别是", "尤其是", "总的来看",
	"第一", "第二", "第三", "第四", "第五", "一是", "二是", "三是", "四是", "五是", "各位代表",
}

func startsWithOpener(b []rune) bool {
	s := string(b[:min(len(b), 8)])
	for _, o := range sentenceOpeners {
		if strings.HasPrefix(s, o) {
			return true
		}
	}
	seg, _ := firstSegment(b)
	// A time phrase ("2022年,", "上半年,") opens a sentence too.
	return seg > 0 && seg <= 6 && (b[seg-1] == '年' || b[seg-1] == '月' || b[seg-1] == '后' || b[seg-1] == '上')
}

// midWord reports whether a stops on a character that ends no sentence: a
// Chinese character, a letter or a digit (not punctuation).
func midWord(a []rune) bool {
	c := a[len(a)-1]
	return unicode.Is(unicode.Han, c) || unicode.IsLetter(c) || unicode.IsDigit(c)
}

// danglingEnd reports whether a stops on a word that cannot end a sentence:
// a preposition, conjunction or structural particle waiting for its object.
func danglingEnd(a []rune) bool {
	i := len(a) - 1
	for i >= 0 && isSpace(a[i]) {
		i--
	}
	if i < 0 {
		return false
	}
	switch a[i] {
	case '、', ',', '，', '以', '的', '和', '与', '及', '或', '在', '对', '把', '将', '向', '从', '由', '等', '并', '为', '于', '“', '(', '（', '《':
		return true
	}
	return false
}

// isBodyLine reports whether a line is body text rather than a heading: it
// holds a sentence mark, more than one comma, or is too long for a heading.
func isBodyLine(r []rune) bool {
	return !headingShape(r, maxHeadingRunes)
}

// maxHeadingRunes is the longest unnumbered heading line; official headings
// are short (the seed's longest pillar line has 10 characters).
const maxHeadingRunes = 30

// headingShape reports whether r looks like a heading line: short, at least
// two Han characters, no sentence mark, at most one comma, and not ending on
// a comma or 、.
func headingShape(r []rune, max int) bool {
	if len(r) < 2 || len(r) > max || isClausePunct(r[0]) || isSentenceEnd(r[0]) {
		return false
	}
	han, commas := 0, 0
	for _, c := range r {
		switch {
		case isSentenceEnd(c) && c != '.':
			return false
		case c == ',' || c == '，':
			commas++
		case unicode.Is(unicode.Han, c):
			han++
		}
	}
	last := r[len(r)-1]
	if han < 2 || commas > 1 || last == '、' || last == ',' || last == '，' {
		return false
	}
	// "这五年，我们坚定不移践行" is the start of a sentence cut off by a
	// line break: a heading does not open with a time phrase or a
	// connective and a comma.
	return commas == 0 || !startsWithOpener(r)
}

// endsSentence reports whether r ends with a finished sentence, looking past
// closing quotes and brackets.
func endsSentence(r []rune) bool {
	i := len(r) - 1
	for i >= 0 && (isSpace(r[i]) || isCloser(r[i])) {
		i--
	}
	return i < 0 || isSentenceEnd(r[i])
}

// tailFragment returns what follows the last finished sentence of r: the
// unfinished sentence at its end ("坚持信"), or nil when r ends a sentence.
func tailFragment(r []rune) []rune {
	if endsSentence(r) {
		return nil
	}
	return r[tailStart(r):]
}

// tailStart is the index where the last unfinished sentence of r begins.
func tailStart(r []rune) int {
	i := len(r)
	for i > 0 {
		c := r[i-1]
		if isSentenceEnd(c) && c != '.' {
			break
		}
		i--
	}
	for i < len(r) && (isSpace(r[i]) || isCloser(r[i])) {
		i++
	}
	return i
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '!', '?', ';', ':', '！', '？', '；', '：', '…', '.':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '”', '’', '"', '\'', ')', '）', '」', '』', '》', '】', ']', '〕':
		return true
	}
	return false
}

func isClausePunct(r rune) bool { return r == ',' || r == '，' || r == '、' }

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' || r == '\ufeff' }

func containsRune(r []rune, c rune) bool {
	for _, x := range r {
		if x == c {
			return true
		}
	}
	return false
}
