package extract

import (
	"strings"
	"unicode"
)

// Normalize cleans decoded text so that the structure, target and entity
// passes see one spelling of each thing, while keeping the lines as the
// document has them: one paragraph per line, and the blank lines between
// them, since a heading printed on two lines ("实施产业强区战略" / "构建现代
// 产业格局") shows itself by its layout. It never joins lines.
//
// What it does:
//
//   - Line endings become "\n" (also CR, NEL, U+2028/2029, form feed and
//     vertical tab, which Word uses for a manual break).
//   - Control and invisible format characters (zero-width space, BOM, soft
//     hyphen, direction marks) are dropped.
//   - Full-width digits and Latin letters become ASCII (１２３ → 123), and so
//     do the full-width symbols that go with numbers and units (％ ＋ － ／
//     ～ ＝ ＜ ＞ …): a target's value is then one ASCII number. A full-width
//     full stop between digits, or after a list number at the start of a
//     line, is a decimal point (１．５ → 1.5, １．城市 → 1.城市), and a
//     full-width colon between digits is a time or a ratio (８：３０ → 8:30).
//   - Chinese punctuation stays as it is (，。；、：“”（）《》), and ASCII
//     clause punctuation used in Chinese text (, ; : ! ?) becomes its full-
//     width form. The documents mix both (the seed plan writes "提出:2021年",
//     "定位,"), and a clause break must look the same everywhere: the
//     target pass must not cut a span at "，" yet run through ",". Folding
//     toward the full-width form also frees the ASCII comma for the one job
//     it does in Chinese text, the normThousands separator (1,664), which is
//     kept, as is ASCII punctuation inside Latin text ("Hello, world") and
//     times and ratios (8:30). Parentheses and quotation marks are left as
//     written: they do not end a clause, and pairing them by guess could
//     produce a mismatched pair.
//   - White space: ideographic spaces, no-break and other wide spaces count
//     as spaces; a run of spaces becomes one space; spaces next to Chinese
//     punctuation are dropped; lines are trimmed. A single space between
//     two Chinese words is kept, because paired headings are sometimes
//     printed on one line with a space between their halves. Tabs are cell
//     boundaries (the readers write a table row as cells split by tabs): in
//     a line with a tab between two characters every tab stays, leading,
//     trailing and doubled ones included, since each stands for a cell that
//     may be empty; elsewhere a tab is an indent (trimmed) or one gap.
//   - Blank lines: none at the start or end; three or more in a row become
//     two, so one and two blank lines remain distinguishable.
//
// Normalize is idempotent and always returns valid UTF-8 (invalid bytes
// become U+FFFD). The result has no trailing newline.
func Normalize(s string) string {
	var out strings.Builder
	out.Grow(len(s))
	blank := 0 // blank lines waiting to be written
	begun := false
	line := make([]rune, 0, 256)
	flush := func() {
		l := normLine(line)
		line = line[:0]
		if len(l) == 0 {
			blank++
			return
		}
		if begun {
			out.WriteByte('\n')
			for range min(blank, 2) {
				out.WriteByte('\n')
			}
		}
		begun = true
		blank = 0
		for _, r := range l {
			out.WriteRune(r)
		}
	}
	cr := false
	for _, r := range s {
		if cr && r == '\n' {
			cr = false
			continue // the second half of CR LF
		}
		cr = r == '\r'
		switch r {
		case '\r', '\n', '\u0085', '\u2028', '\u2029', '\f', '\v':
			flush()
			continue
		}
		if m, ok := normMapRune(r); ok {
			line = append(line, m)
		}
	}
	flush()
	return out.String()
}

// normMapRune is the context-free part of Normalize: it drops what is never
// text, turns every kind of space into ' ' and full-width forms of digits,
// Latin letters and number symbols into ASCII.
func normMapRune(r rune) (rune, bool) {
	switch {
	case r >= 0x20 && r < 0x7F, r >= 0x4E00 && r <= 0x9FFF, r > 0x3000 && r <= 0x303F:
		return r, true // ASCII, common Han and CJK punctuation: most of any plan
	case r == '\t':
		return r, true
	case r < 0x20 || r >= 0x7F && r <= 0x9F:
		return 0, false // control characters
	case r == ' ' || unicode.IsSpace(r):
		return ' ', true // U+3000, NBSP, en/em spaces, …
	case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
		return r - '０' + '0', true
	case r == '\u2212':
		return '-', true // the minus sign of typeset numbers
	case unicode.Is(unicode.Cf, r):
		return 0, false // zero-width and direction marks, soft hyphen, BOM
	}
	switch r {
	case '％', '＋', '－', '＝', '＜', '＞', '／', '～', '＃', '＆', '＊', '＠', '＄', '＿', '＾', '｜':
		return r - '０' + '0', true
	}
	return r, true
}

// normClauseForms maps the ASCII clause punctuation that Chinese text sometimes
// uses to its full-width form.
var normClauseForms = map[rune]rune{',': '，', ';': '；', ':': '：', '!': '！', '?': '？'}

// normClausePunct reports the characters whose form Normalize may change; the
// context rules look past them so that a second pass decides the same.
func normClausePunct(r rune) bool {
	switch r {
	case ',', ';', ':', '!', '?', '，', '；', '：', '！', '？':
		return true
	}
	return false
}

// normLine collapses white space, trims, and applies the context rules
// for punctuation. It reuses the backing array of line.
func normLine(line []rune) []rune {
	// Collapse runs of white space and trim. A line with a tab between
	// two characters is a table row: its tabs are cell boundaries, so a
	// run of them (an empty cell) and tabs at its ends (empty first or
	// last cells) stay, or the columns would shift.
	row := false
	for i, seen := 0, false; i < len(line); i++ {
		switch r := line[i]; {
		case r == '\t' && seen:
			for j := i + 1; j < len(line) && !row; j++ {
				row = line[j] != ' ' && line[j] != '\t'
			}
		case r != ' ' && r != '\t':
			seen = true
		}
		if row {
			break
		}
	}
	w := 0
	for i := 0; i < len(line); {
		r := line[i]
		if r != ' ' && r != '\t' {
			line[w] = r
			w++
			i++
			continue
		}
		tabs := 0
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			if line[i] == '\t' {
				tabs++
			}
			i++
		}
		edge := w == 0 || i == len(line)
		switch {
		case tabs > 0 && row:
			for range tabs {
				line[w] = '\t'
				w++
			}
		case edge:
		case tabs > 0:
			line[w] = '\t'
			w++
		default:
			line[w] = ' '
			w++
		}
	}
	line = line[:w]

	// Punctuation by context; neighbours are looked for past spaces and
	// clause punctuation.
	for i, r := range line {
		switch r {
		case '．':
			if i > 0 && normDigit(line[i-1]) && (i+1 < len(line) && normDigit(line[i+1]) || normAllDigits(line[:i])) {
				line[i] = '.'
			}
		case '：':
			if normDigit(normNeighbour(line, i, -1, false)) && normDigit(normNeighbour(line, i, 1, false)) {
				line[i] = ':'
			}
		case ',', ';', ':', '!', '?':
			if r == ',' && normThousands(line, i) {
				continue
			}
			if r == ':' && (normDigit(normNeighbour(line, i, -1, false)) && normDigit(normNeighbour(line, i, 1, false)) || i+1 < len(line) && line[i+1] == '/') {
				continue // 8:30, 1:2, http://
			}
			p, n := normNeighbour(line, i, -1, true), normNeighbour(line, i, 1, true)
			if !isEastAsianWide(p) && !isEastAsianWide(n) && (normLatinLetter(p) || normLatinLetter(n)) {
				continue // Latin text
			}
			line[i] = normClauseForms[r]
		}
	}

	// Drop spaces that touch Chinese punctuation.
	w = 0
	for i, r := range line {
		if r == ' ' && (i > 0 && normChinesePunct(line[i-1]) || i+1 < len(line) && normChinesePunct(line[i+1])) {
			continue
		}
		line[w] = r
		w++
	}
	return line[:w]
}

// normNeighbour returns the nearest rune before (dir -1) or after (dir 1) i that
// is not a space, and with skipPunct not clause punctuation either; 0 at the
// end of the line.
func normNeighbour(line []rune, i, dir int, skipPunct bool) rune {
	for j := i + dir; j >= 0 && j < len(line); j += dir {
		r := line[j]
		if r == ' ' || r == '\t' || skipPunct && normClausePunct(r) {
			continue
		}
		return r
	}
	return 0
}

// normThousands reports a comma that groups digits: a digit before, exactly
// three digits after.
func normThousands(line []rune, i int) bool {
	if i == 0 || i+3 >= len(line) || !normDigit(line[i-1]) {
		return false
	}
	for j := i + 1; j <= i+3; j++ {
		if !normDigit(line[j]) {
			return false
		}
	}
	return i+4 >= len(line) || !normDigit(line[i+4])
}

func normDigit(r rune) bool { return r >= '0' && r <= '9' }

func normAllDigits(rs []rune) bool {
	for _, r := range rs {
		if !normDigit(r) {
			return false
		}
	}
	return len(rs) > 0
}

func normLatinLetter(r rune) bool { return unicode.IsLetter(r) && !isEastAsianWide(r) }

// isEastAsianWide reports characters of Chinese (and other East Asian) text: Han,
// kana, Hangul, CJK symbols and punctuation, full-width forms, and the curly
// quotation marks Chinese uses.
func isEastAsianWide(r rune) bool {
	switch {
	case r < 0x2018:
		return false
	case r == '“' || r == '”' || r == '‘' || r == '’':
		return true
	case r >= 0x2E80 && r <= 0x33FF, // radicals, CJK punctuation, kana, enclosed CJK
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFFEF: // full-width and half-width forms
		return true
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r)
}

// normChinesePunct reports Chinese punctuation, next to which a space is stray.
// The full-width full stop is not here: between digits it is a decimal
// point, and a space beside it must stay to keep Normalize idempotent.
func normChinesePunct(r rune) bool {
	switch r {
	case '，', '；', '：', '！', '？', '（', '）', '“', '”', '‘', '’':
		return true
	}
	return r >= 0x3001 && r <= 0x303F
}
