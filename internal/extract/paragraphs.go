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

// joinBrokenParagraphs returns text with the line breaks removed that split a
// paragraph in the middle of a sentence. Everything else is kept as it is.
func joinBrokenParagraphs(text string) string {
	runes := []rune(text)
	lines := nonBlankLines(runes)
	if len(lines) < 2 {
		return text
	}
	var cuts []span  // stretches of line break to delete
	last := lines[0] // the last line of the paragraph being built
	accBody := isBodyLine(runes[last.start:last.end])
	for _, cur := range lines[1:] {
		a, b := runes[last.start:last.end], runes[cur.start:cur.end]
		if shouldJoin(a, accBody, b) {
			cuts = append(cuts, span{last.end, cur.start})
			accBody = true
		} else {
			accBody = isBodyLine(b)
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

// shouldJoin reports whether line b continues the paragraph whose last line
// is a. aBody tells whether that paragraph is body text (not a heading).
func shouldJoin(a []rune, aBody bool, b []rune) bool {
	if endsSentence(a) || len(b) == 0 || isMetaLine(a) {
		return false
	}
	// The second half opens with punctuation: it cannot start a paragraph.
	if isClausePunct(b[0]) || isSentenceEnd(b[0]) && b[0] != '.' || isCloser(b[0]) {
		return true
	}
	if !aBody {
		return false
	}
	if _, n, _ := numberMarker(a); n > 0 && !isBodyLine(a[n:]) {
		return false // a numbered heading line
	}
	if _, n, _ := numberMarker(b); n > 0 {
		return false
	}
	if !isBodyLine(b) || isMetaLine(b) {
		return false // a heading, or a title block's metadata
	}
	// The first half stops on a word that needs what follows ("以", "的", "、").
	if danglingEnd(a) {
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
	return han >= 2 && commas <= 1 && last != '、' && last != ',' && last != '，'
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
