package extract

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The target pass reads each plan paragraph clause by clause. A clause is the
// stretch between two clause marks (，；。：! ? tab and their ASCII forms);
// the list mark 、 and the conjunctions 和/及/与 join the parts of one
// clause. In a clause every number with a unit is a candidate; rules of the
// language of official plans then drop the ones that are names, dates,
// grades, rankings, ranges, attributes, multi-year frames or past results,
// and read comparator, kind and indicator from the words around the number:
//
//	[light words][name list 等][indicator][comparator/verb] NUMBER [unit][以上|左右|以内][noun or predicate]
//
// The indicator is what precedes the number (新增城镇就业1.02万人) plus what
// follows a measure word (新建4个社区食堂 → 新建社区食堂). A verb before a
// list distributes over it, a 分别 subject splits over its numbers, and a
// clause that drops its subject takes it from the sentence.
//
// Tense is read at three levels: a sentence marked as past (了, 去年, 比上年
// in a sentence that plans nothing), a clause after 截至 or with 已 before a
// verb, and a paragraph most of whose sentences are past. The structure pass
// marks whole review parts; these rules catch what it cannot.
//
// Time frames: a paragraph of a multi-year outlook (Paragraph.MultiYear), a
// frame of later years that opens a sentence (到2025年，A，B，C。), a span of
// years (三年内, 连续五年) or a mean yearly rate (年均) sets numbers apart as
// goals for several years, unless the document itself is a plan for several
// years (its title names the period), whose goals are its targets.
//
// Indicator tables (主要指标表, cells separated by tabs) are read by their
// columns instead; see indicatorTableRows.

// findTargets finds the quantified targets in the paragraphs. It skips
// review paragraphs (their numbers are results), paragraphs of a multi-year
// outlook (their numbers are goals for several years) and duplicates. Headings are
// read too: in a list of 民生实事 an item printed without a full stop
// ("5.改造老旧小区30个") is laid out as a heading yet is a commitment, and
// the rules below already drop the numbers a real heading carries (years,
// 十大工程, 十件民生实事, slogans in quotes).
func findTargets(text string, paras []Paragraph) []Target {
	orig := []rune(text)
	// The rules are written in simplified characters; a page in traditional
	// characters is read through a rune-for-rune fold, so every offset still
	// points into the text as written, and what is quoted from it (span,
	// unit, indicator) is given back in its own script.
	rs, traditional := foldScript(orig)
	facts := &docFacts{year: planYear(rs), listSizes: ownListSizes(rs), multiYearPlan: multiYearPlan(rs)}
	if facts.year != 0 {
		facts.yearWord = []rune(strconv.Itoa(facts.year) + "年")
	}
	rows := indicatorTableRows(rs)
	var out []Target
	seen := map[string]bool{}
	for _, p := range paras {
		if p.Review || p.Duplicate || p.MultiYear {
			continue
		}
		start, end := clampSpan(p.Start, p.End, len(rs))
		if start >= end {
			continue
		}
		var ts []Target
		inTable := false
		for _, r := range rows {
			if r.start < end && r.end > start {
				inTable = true
				ts = append(ts, r.targets...)
			}
		}
		if !inTable {
			ts = paragraphTargets(rs, start, end, facts)
		}
		for _, t := range ts {
			// A target stated twice (a lead that repeats the body) counts once.
			key := t.Indicator + "\x00" + t.Unit + "\x00" + t.Comparator + "\x00" + t.Kind + "\x00" + formatKey(t.Value)
			if seen[key] {
				continue
			}
			seen[key] = true
			t.Task = p.Task
			t.Text = string(orig[t.Start:t.End]) // as written, even in a simplified text with a stray 萬
			if traditional {
				t.Unit = unfoldScript(t.Unit)
				t.Indicator = unfoldScript(t.Indicator)
			}
			out = append(out, t)
		}
	}
	return out
}

// docFacts are what the target rules read from the whole document: the year
// the plan is for (0 when it names none) and the sizes of its own lists
// (项目清单共38件), which are no targets where they recur.
//
// A plan for several years (“十四五”规划, 2024—2026年行动计划) states its
// goals for the end of its period: there the rules that set multi-year
// goals apart from this year's are off.
type docFacts struct {
	year          int
	yearWord      []rune // 2024年, nil when year is 0
	listSizes     map[float64]bool
	multiYearPlan bool
}

// multiYearPlan reports whether the document's title, its first line,
// names a period of several years.
func multiYearPlan(rs []rune) bool {
	i := 0
	for i < len(rs) && unicode.IsSpace(rs[i]) {
		i++
	}
	e := i
	for e < len(rs) && rs[e] != '\n' && e-i < 80 {
		e++
	}
	t := rs[i:e]
	if k := strings.IndexRune(string(t), '：'); k >= 0 && strings.HasPrefix(string(t), "标题") {
		t = []rune(string(t)[k+len("："):])
	}
	title := string(t)
	// A title is one short line without sentence punctuation; a first
	// line that runs on is the text itself.
	if len(t) < 6 || e < len(rs) && rs[e] != '\n' || strings.ContainsAny(title, "。，,；;：:") {
		return false
	}
	for _, w := range []string{"五年规划", "个五年", "三年行动", "五年行动", "两年行动", "三年计划", "远景目标"} {
		if strings.Contains(title, w) {
			return true
		}
	}
	for k := 0; k+2 < len(t); k++ {
		// 十四五规划, “十五五”时期
		if t[k] == '十' && isChineseNumeral(t[k+1]) && t[k+2] == '五' {
			return true
		}
		// 2024—2026年
		if k+9 < len(t) && isDigit(t[k]) && isDigit(t[k+3]) && isRangeMark(t[k+4]) && isDigit(t[k+5]) && isDigit(t[k+8]) && t[k+9] == '年' {
			return true
		}
	}
	return false
}

// ownListSizes finds the sizes the document gives its own lists: 共N件/项/个
// next to 清单, 实事, 项目 or 事项 ("项目清单共38件", "共安排民生实事12项").
func ownListSizes(rs []rune) map[float64]bool {
	var out map[float64]bool
	for i := 0; i+2 < len(rs); i++ {
		if rs[i] != '共' || !startsNumber(rs, i+1) {
			continue
		}
		n, ok := readNumeral(rs, i+1)
		if !ok || n.end <= i+1 {
			continue
		}
		u := measureAt(rs, n.end, min(len(rs), n.end+2))
		if u != "件" && u != "项" && u != "个" {
			continue
		}
		around := string(rs[max(0, i-12):min(len(rs), n.end+8)])
		for _, w := range []string{"清单", "实事", "项目", "事项"} {
			if strings.Contains(around, w) {
				if out == nil {
					out = map[float64]bool{}
				}
				out[n.value] = true
				break
			}
		}
	}
	return out
}

// tableRow is a line of an indicator table (主要指标表) and its targets.
type tableRow struct {
	start, end int
	targets    []Target
}

// indicatorTableRows reads the indicator tables of a plan: lines whose cells
// are separated by tabs, under a header with a unit column (单位) and a
// column of this year's values (目标, 计划, 预期值, or the latest year). The
// header and every row of such a table are returned, so that the clause pass
// leaves them alone; each data row gives one target: the indicator cell, the
// unit cell and the value cell.
func indicatorTableRows(rs []rune) []tableRow {
	var rows []tableRow
	type line struct {
		start, end int
		cells      []string
		offs       []int
	}
	var lines []line
	off := 0
	for off <= len(rs) {
		e := off
		tabs := false
		for e < len(rs) && rs[e] != '\n' {
			tabs = tabs || rs[e] == '\t'
			e++
		}
		l := line{start: off, end: e}
		c := off
		// A line without tabs is no row of a table: its cells are not read
		// (two are needed before a unit or value column can be reached).
		for k := off; tabs && k <= e; k++ {
			if k == e || rs[k] == '\t' {
				l.cells = append(l.cells, strings.TrimSpace(string(rs[c:k])))
				l.offs = append(l.offs, c)
				c = k + 1
			}
		}
		lines = append(lines, l)
		off = e + 1
	}
	for i := 0; i < len(lines); i++ {
		h := lines[i]
		if len(h.cells) < 3 {
			continue
		}
		unitCol, valueCol, nameCol := tableColumns(h.cells)
		if unitCol < 0 || valueCol < 0 {
			continue
		}
		rows = append(rows, tableRow{start: h.start, end: h.end})
		for i+1 < len(lines) && len(lines[i+1].cells) > valueCol && len(lines[i+1].cells) > unitCol {
			i++
			l := lines[i]
			row := tableRow{start: l.start, end: l.end}
			name := nameCol
			if name < 0 {
				name = firstTextCell(l.cells, unitCol, valueCol)
			}
			if name >= 0 {
				if t, ok := tableTarget(rs, l.cells[name], l.cells[unitCol], l.cells[valueCol], l.offs[name], l.offs[valueCol]); ok {
					row.targets = append(row.targets, t)
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// tableColumns finds the unit, value and indicator columns of a header row,
// or -1 for the ones it lacks.
func tableColumns(cells []string) (unit, value, name int) {
	unit, value, name = -1, -1, -1
	best := 0
	for k, c := range cells {
		switch {
		case c == "单位" || strings.HasPrefix(c, "单位") && len([]rune(c)) <= 4 || c == "计量单位":
			unit = k
		case strings.Contains(c, "指标") || strings.Contains(c, "名称") || c == "项目":
			if name < 0 {
				name = k
			}
		}
		if strings.ContainsAny(c, "完成实际基数属性备注序号") || strings.Contains(c, "预计") || strings.Contains(c, "上年") {
			continue
		}
		score := 0
		switch {
		case strings.Contains(c, "目标"):
			score = 3
		case strings.Contains(c, "计划"):
			score = 2
		case strings.Contains(c, "预期值") || c == "预期":
			score = 2
		case len([]rune(c)) >= 4 && isDigit([]rune(c)[0]) && strings.Contains(c, "年"):
			score = 1
		}
		if score > best || score == best && score == 1 {
			best, value = score, k
		}
	}
	if best == 0 {
		value = -1
	}
	return unit, value, name
}

// firstTextCell returns the first cell that is not a row number, the unit
// or the value: the indicator when the header does not name it.
func firstTextCell(cells []string, unit, value int) int {
	for k, c := range cells {
		if k == unit || k == value || c == "" {
			continue
		}
		if _, ok := readNumeral([]rune(c), 0); ok && len([]rune(c)) <= 3 {
			continue
		}
		return k
	}
	return -1
}

// tableTarget reads one row of an indicator table.
func tableTarget(rs []rune, name, unit, value string, nameOff, valueOff int) (Target, bool) {
	v := []rune(strings.TrimSpace(value))
	cmp := CmpEq
	for _, c := range []struct{ w, c string }{
		{"≥", CmpGE}, {">=", CmpGE}, {"＞", CmpGE}, {">", CmpGE}, {"≧", CmpGE}, {"不低于", CmpGE}, {"不少于", CmpGE}, {"超过", CmpGE},
		{"≤", CmpLE}, {"<=", CmpLE}, {"＜", CmpLE}, {"<", CmpLE}, {"≦", CmpLE}, {"不超过", CmpLE}, {"不高于", CmpLE},
		{"约", CmpApprox}, {"左右", CmpApprox},
	} {
		if strings.HasPrefix(string(v), c.w) {
			cmp = c.c
			v = []rune(strings.TrimSpace(strings.TrimPrefix(string(v), c.w)))
			break
		}
	}
	n, ok := parseArabic(v, 0)
	if !ok {
		return Target{}, false
	}
	rest := string(v[n.end:])
	u := strings.TrimSpace(unit)
	if mu := measureAt(v, n.end, len(v)); mu != "" {
		rest = string(v[n.end+len([]rune(mu)):])
		if u == "" {
			u = mu
		}
	}
	for _, c := range []struct{ w, c string }{{"以上", CmpGE}, {"左右", CmpApprox}, {"以内", CmpLE}, {"以下", CmpLE}} {
		if strings.HasPrefix(rest, c.w) {
			cmp = c.c
			rest = strings.TrimPrefix(rest, c.w)
		}
	}
	if strings.TrimSpace(rest) != "" {
		return Target{}, false // a range, a note or a code: not one value
	}
	u = canonicalMeasure(strings.Trim(u, "（）()"))
	val := n.value
	if mag := magnitudeWord(v, n); mag != "" {
		u = mag + u
		val = unscale(n.value, mag)
	}
	ind := strings.TrimSpace(name)
	for _, w := range []string{"（%）", "(%)", "（％）", "(％)"} {
		ind = strings.TrimSuffix(ind, w)
	}
	kind := KindLevel
	if u == "%" && !strings.Contains(ind, "自然增长率") {
		for _, w := range []string{"增长", "增速", "增幅", "涨幅"} {
			if strings.Contains(ind, w) {
				kind = KindGrowth
			}
		}
		for _, w := range []string{"下降", "降低", "降幅"} {
			if strings.Contains(ind, w) {
				kind = KindGrowth
				val = -val
			}
		}
	}
	ind = trimIndicator(ind, kind == KindGrowth)
	end := valueOff + len([]rune(strings.TrimRight(value, " ")))
	if end > len(rs) || nameOff >= end {
		return Target{}, false
	}
	return Target{
		Text:       string(rs[nameOff:end]),
		Indicator:  ind,
		Value:      val,
		Unit:       u,
		Comparator: cmp,
		Kind:       kind,
		Start:      nameOff,
		End:        end,
	}, true
}

func clampSpan(a, b, n int) (int, int) {
	if a < 0 {
		a = 0
	}
	if b > n {
		b = n
	}
	return a, b
}

func formatKey(v float64) string {
	return strings.TrimRight(strings.TrimRight(strconv.FormatFloat(v, 'f', -1, 64), "0"), ".")
}

// mention is one number with its unit inside a clause, before the rules
// that turn it into a target.
type mention struct {
	num       numeral
	value     float64
	unit      string
	count     bool   // unit is a measure word for things counted
	percent   bool   // %, ‰ or 百分点
	unitEnd   int    // after the unit
	end       int    // after the unit and a trailing comparator (以上, 左右 …)
	suffixCmp string // comparator read after the number
	prefixCmp string // comparator read before the number
	uncertain bool
	days      bool // the unit is 天, a count only for an indicator of days

	preStart  int // where the words before the number begin in the clause
	postStart int // start of the noun or predicate after the unit: end, or after a note in brackets
	postEnd   int // end of the noun or predicate after the unit (== end if none)
}

// clauseMarks end a clause; the span of a target never crosses them.
func isClauseMark(r rune) bool {
	switch r {
	case '，', ',', '；', ';', '。', '：', ':', '！', '!', '？', '?', '…', '\n', '\r', '\t', ' ', '　', '|', '｜':
		return true
	}
	return false
}

// isSentenceMark ends a sentence, the unit of context for past-tense cues
// and for restoring a dropped subject.
func isSentenceMark(r rune) bool {
	switch r {
	case '。', '；', ';', '！', '!', '？', '?', '\n':
		return true
	}
	return false
}

// isFullStop ends a full sentence.
func isFullStop(r rune) bool {
	switch r {
	case '。', '！', '!', '？', '?', '\n':
		return true
	}
	return false
}

// paragraphTargets reads the targets of one paragraph rs[start:end].
func paragraphTargets(rs []rune, start, end int, facts *docFacts) []Target {
	year := facts.year
	if opensReview(rs[start:end]) {
		return nil
	}
	quoted := quoteMask(rs, start, end)
	var out []Target
	// Tense is read over a full sentence (to 。), so that a year or 了 in
	// its first half covers the half after a semicolon; a dropped subject
	// is restored within the part between semicolons.
	fulls := splitSpans(rs, start, end, isFullStop)
	past := make([]bool, len(fulls))
	numbered, nPast := 0, 0
	for k, full := range fulls {
		s := rs[full[0]:full[1]]
		past[k] = pastSentence(s) || opensWithPastYear(s, year)
		if slices.ContainsFunc(s, isDigit) {
			numbered++
			if past[k] {
				nPast++
			}
		}
	}
	// A paragraph that reports results in most of its sentences is a review
	// paragraph, even where a sentence carries no mark of the past itself.
	if nPast >= 2 && 2*nPast >= numbered {
		return nil
	}
	for k, full := range fulls {
		if past[k] || !facts.multiYearPlan && opensWithMultiYear(rs[full[0]:full[1]]) {
			continue
		}
		asOf := false     // after 截至目前: a state reached, until the plan resumes
		framed := false   // after 力争通过3年努力: a multi-year aim, until 今年
		thisYear := false // the sentence has spoken of this year so far
		for _, sen := range splitSpans(rs, full[0], full[1], isSentenceMark) {
			var prev []Target // targets found earlier in this sentence
			var prevClause [2]int
			for _, cl := range splitClauses(rs, sen[0], sen[1]) {
				cr := rs[cl[0]:cl[1]]
				if asOfMarks.in(cr) {
					asOf = true
				} else if resumesPlan(cr) {
					asOf = false
				}
				// A frame of years (力争通过3年努力, 到2025年) covers the
				// clauses after it up to the full stop: "到2025年，A，B，C。".
				if facts.multiYearPlan {
					// The plan's own period: its goals are the targets.
				} else if framesYears(cr) || beyondPlanYear(cr, year) {
					framed = true
				} else if thisYearMarks.in(cr) || namesYear(cr, facts.yearWord) {
					framed = false
				}
				// 年均增长6%: a mean over several years, unless the
				// sentence has spoken of this year by then (年均增长6.5%，
				// 今年增长6%: only the second is this year's).
				thisYear = thisYear || speaksOfYear(cr, facts.yearWord)
				averaged := !facts.multiYearPlan && !thisYear && meanMark.in(cr)
				if asOf || framed || averaged || donePerfect(cr) || pastHorizon(cr, year) {
					// Not this year's, but a clause after it may leave out
					// the subject it names (年均增长6.5%，今年增长6%).
					prev = append(prev, clauseTargets(rs, cl[0], cl[1], quoted, start, prev, rs[prevClause[0]:prevClause[1]], facts)...)
					prevClause = cl
					continue
				}
				ts := clauseTargets(rs, cl[0], cl[1], quoted, start, prev, rs[prevClause[0]:prevClause[1]], facts)
				prev = append(prev, ts...)
				prevClause = cl
				out = append(out, ts...)
			}
		}
	}
	return out
}

// splitSpans cuts rs[start:end] at runes for which mark is true.
func splitSpans(rs []rune, start, end int, mark func(rune) bool) [][2]int {
	var out [][2]int
	a := start
	for i := start; i <= end; i++ {
		if i == end || mark(rs[i]) {
			if i > a {
				out = append(out, [2]int{a, i})
			}
			a = i + 1
		}
	}
	return out
}

// splitClauses cuts a sentence at clause marks that stand outside brackets,
// so that "（不含开发区，下同）" stays inside its clause. A stretch longer
// than maxClause runes (an unclosed bracket, a page without punctuation) is
// cut at that length: the clause rules look back over their clause, and no
// real clause is that long.
func splitClauses(rs []rune, start, end int) [][2]int {
	var out [][2]int
	depth := 0
	a := start
	for i := start; i <= end; i++ {
		if i-a >= maxClause && i < end {
			out = append(out, [2]int{a, i})
			a, depth = i, 0
		}
		if i < end {
			switch rs[i] {
			case '（', '(', '【', '[', '〔':
				depth++
				continue
			case '）', ')', '】', ']', '〕':
				if depth > 0 {
					depth--
				}
				continue
			}
		}
		if i == end || (depth == 0 && isClauseMark(rs[i]) && !spaceInQuantity(rs, i, start, end)) {
			if i > a {
				out = append(out, [2]int{a, i})
			}
			a = i + 1
		}
	}
	return out
}

// maxClause is the longest stretch read as one clause.
const maxClause = 240

// spaceInQuantity reports whether the space at rs[i] stands next to a
// number ("增长 6.5%"), where it spaces a phrase rather than ending a clause.
func spaceInQuantity(rs []rune, i, start, end int) bool {
	if rs[i] != ' ' && rs[i] != '　' {
		return false
	}
	near := func(r rune) bool { return isDigit(r) || r == '%' || r == '％' }
	return i > start && near(rs[i-1]) || i+1 < end && near(rs[i+1])
}

// quoteMask marks the runes inside quotation marks and book-title marks. A
// number there is part of a name or slogan (“秋收100”, 《2021年规划》). An
// unclosed or very long quotation is not trusted as a name.
func quoteMask(rs []rune, start, end int) []bool {
	mask := make([]bool, end-start)
	for i := start; i < end; i++ {
		closer := quoteCloser(rs[i])
		if closer == 0 {
			continue
		}
		for j := i + 1; j < end && j-i <= 24; j++ {
			if rs[j] == closer {
				for k := i + 1; k < j; k++ {
					mask[k-start] = true
				}
				i = j
				break
			}
			if rs[j] == '\n' || rs[j] == '。' {
				break
			}
		}
	}
	return mask
}

// quoteCloser returns the mark that closes a quotation or title opened by r,
// or 0 when r opens none.
func quoteCloser(r rune) rune {
	switch r {
	case '“':
		return '”'
	case '‘':
		return '’'
	case '《':
		return '》'
	case '「':
		return '」'
	case '『':
		return '』'
	case '〈':
		return '〉'
	case '"':
		return '"'
	}
	return 0
}

// clauseTargets reads the targets of the clause rs[a:b].
//
// prevClause is the clause before it in the same sentence (empty for the
// first), where a bare measure (主营业务收入增长10%) finds its owner.
func clauseTargets(rs []rune, a, b int, quoted []bool, pstart int, prevInSentence []Target, prevClause []rune, facts *docFacts) []Target {
	year := facts.year
	ms := findMentions(rs, a, b, quoted, pstart)
	if len(ms) == 0 {
		return nil
	}
	clause := rs[a:b]
	if endsWithColon(rs, b) {
		// "着力推进三项重点改革：" counts the plan's own items.
		return nil
	}
	if !facts.multiYearPlan && (multiYear(clause) || beyondPlanYear(clause, year)) {
		// A target for three or five years is not this year's.
		return nil
	}
	// The words of a mention begin where the last accepted one ended.
	lastEnd := a

	var out []Target
	var prevVerb string // the verb of the previous mention, for 、/和 lists
	groupStart := -1    // span start of a 分别 group
	for i := range ms {
		m := &ms[i]
		// A shared predicate or nested size may have read past this number.
		m.preStart = min(lastEnd, m.num.start)
		rawPre := string(rs[m.preStart:m.num.start])
		if m.prefixCmp == "" {
			m.prefixCmp = prefixComparator(rawPre)
		}
		pre, preOff := cleanPre(rawPre)
		if l, ok := strings.CutSuffix(strings.TrimRight(rawPre, " \t　"), "等"); ok && l != "" && m.end == m.postEnd {
			// 新增技术中心、重点实验室等250家: with no noun after the
			// count, the list before 等 is what is counted.
			pre, preOff = cleanPre(l)
		}
		// 产能恢复到正常水平、存栏达到1950万头: a 、 between two stretches
		// with their own predicates joins clauses; the indicator starts
		// after it, and the first stretch may own a bare measure.
		var ownerFrom []rune
		if k := clauseJoint(pre); k >= 0 {
			ownerFrom = []rune(pre[:k])
			preOff += len(ownerFrom) + 1
			pre = pre[k+len("、"):]
		}
		// 建成通车A至B、C至D、E二期3个项目: the names say which, not what;
		// the indicator keeps the verb and the span starts at the count.
		if m.count && !strings.ContainsRune(pre, 0) {
			if v, ok := dropNameList(pre); ok {
				preOff += len([]rune(pre))
				pre = v
			}
		}
		post := strings.TrimSpace(string(rs[m.postStart:m.postEnd]))
		post = strings.TrimRight(post, "等）)】]")
		post = strings.TrimPrefix(post, "的") // 90%以上的行政村通5G: the share's noun
		joined := i > 0 && len(out) > 0 && startsWithJoiner(rawPre)
		nested := "" // 一个5000亩以上园区: the count's noun comes after a size
		nestedEnd := 0
		if post == "" && i+1 < len(ms) && ms[i+1].num.start == m.end {
			n := ms[i+1]
			nested = strings.TrimSpace(string(rs[n.postStart:n.postEnd]))
			nestedEnd = n.postEnd
		}
		sizeOf := "" // 5000亩 in 一个5000亩以上园区 sizes the counted thing
		if rawPre == "" && len(out) > 0 && out[len(out)-1].End >= m.num.start && i > 0 && ms[i-1].end == m.num.start {
			sizeOf = out[len(out)-1].Indicator
		}

		if inPastNote(rs, a, m.num.start) {
			continue
		}
		// Sizes of a batch, frames, descriptions and the plan's own items.
		if rejectByContext(rs, a, b, m, facts) {
			continue
		}
		// 10亿元以上项目5个: the amount names a class of the things the
		// following count counts.
		if classOfCount(rs, ms, i) {
			continue
		}
		// 年收入10万元以上村达60%: an amount with 以上 before a noun, and a
		// number after it, names a class of things the later number measures.
		if !m.count && !m.percent && m.suffixCmp != "" && m.suffixCmp != CmpApprox && post != "" && leadingVerb(post) == "" && i+1 < len(ms) {
			continue
		}
		// A count in words needs a verb just before it (创建两个示范片,
		// 至少新增一家: elsewhere 一 is an article or part of a word),
		// a list closed by 等 (白石山等五处景区), or a verb opening a clause
		// that it ends (培育龙头企业五家); otherwise it is part of a name.
		if m.num.chinese && !endsWithVerbOrCmp(rawPre) && !strings.HasSuffix(strings.TrimSpace(rawPre), "等") &&
			!(post == "" && m.num.value > 1 && leadingVerb(stripLight(pre)) != "") {
			continue
		}
		if m.num.chinese {
			m.uncertain = true // a count in words may still be part of a name
		}
		if reportsEvent(rawPre) {
			continue // 会议应出席代表181名: a news report of the meeting itself
		}
		if describesExisting(rawPre) && m.prefixCmp == "" && m.suffixCmp == "" {
			continue // 全市现有市场主体12万户: the state of things, not a commitment
		}
		if m.days && !strings.Contains(pre, "天数") {
			continue // 3天内办结: a time limit; 优良天数300天 is a count of days
		}
		if m.unit == "" {
			if u := unitInIndicator(rawPre, pre); u != "" {
				// 服务人次达200万以上: the count noun ends the indicator.
				m.unit, m.count = u, true
			} else if !isRatioIndicator(pre) {
				continue
			} else {
				m.uncertain = true // a ratio without a unit: check how it reads
			}
		}

		kind := KindLevel
		value := m.value
		change := changeVerb(rawPre)
		if strings.Contains(string(rs[a:m.num.start]), "累计") {
			kind = KindCumulative
		} else if m.percent && m.unit == "%" && change != 0 {
			kind = KindGrowth
		} else if m.percent && m.unit == "%" && isChangeIndicator(pre) {
			kind = KindGrowth
		}
		if change < 0 && m.percent {
			value = -value // 下降3.6% → -3.6; 下降2%以上 → -2 with >=
		}
		cmp := comparatorOf(m.prefixCmp, m.suffixCmp, rawPre)

		indicator := trimIndicator(pre, kind == KindGrowth)
		spanStart := m.num.start
		if indicator != "" || pre != "" {
			spanStart = m.preStart + preOff
		}

		// Continuation of a list: "分别增长8%和8.5%": the number stands
		// alone after 和/、.
		continuation := pre == "" && post == "" && i > 0 && joined && len(out) > 0
		if continuation {
			last := out[len(out)-1]
			indicator = last.Indicator
			kind = last.Kind
			if last.Kind == KindGrowth && change == 0 && m.unit == "%" {
				if last.Value < 0 {
					value = -value
				}
			}
			if cmp == CmpEq {
				cmp = last.Comparator // 分别控制在3%和4%: the wording covers both
			}
			if groupStart < 0 {
				groupStart = last.Start
			}
			spanStart = groupStart
		} else {
			groupStart = -1
		}

		// A breakdown after 其中 takes the verb of the total: 新建学校15所，
		// 其中城区5所 → 新建城区.
		if !continuation && !m.percent && leadingVerb(indicator) == "" && !hasOwnPredicate(rawPre) && sinceBreakdown(rs, a, m.num.start, prevInSentence) {
			if v := leadingVerb(stripLight(firstIndicator(prevInSentence, out))); v != "" && !isLightVerb(v) {
				indicator = v + indicator
			}
		} else if !continuation && !m.percent && leadingVerb(indicator) == indicator && indicator != "" && sinceBreakdown(rs, a, m.num.start, prevInSentence) {
			// 企业达到85家，其中新增12家 → 新增企业: a bare verb in a
			// breakdown acts on what the total counts.
			if subj := sentenceSubject(nil, []Target{{Indicator: firstIndicator(prevInSentence, out)}}); subj != "" && leadingVerb(subj) == "" {
				indicator += subj
			}
		}
		// The verb distributes over a list: 新建1个A和27个B → 新建B;
		// 改造棚户区4490户、背街小巷22条 → 改造背街小巷.
		if !continuation && prevVerb != "" && joined && !m.percent && leadingVerb(pre) == "" && !hasOwnPredicate(rawPre) && !endsWithAction(pre) && !verbNearStart(pre) {
			indicator = prevVerb + indicator
		}
		full := indicator + post
		if nested != "" {
			full = indicator + nested
		}
		if sizeOf != "" {
			full = sizeOf
		}
		headEnd := 0 // 4个国家级和10个省级试点: the noun after the last count
		if head := sharedCountHead(rs, ms, i, post); head != "" {
			full += head
			headEnd = ms[i+1].postEnd
		}
		if post != "" && indicator == "" && i+1 < len(ms) {
			// 300个村、20万人实现脱贫: a shared predicate after the list.
			n := ms[i+1]
			npost := strings.TrimSpace(string(rs[n.postStart:n.postEnd]))
			if leadingVerb(post) == "" && leadingVerb(npost) != "" && isJoiner(strings.TrimSpace(string(rs[m.postEnd:n.num.start]))) {
				full = post + npost
				m.postEnd = n.postEnd
			}
		}
		endPos := m.postEnd
		if post == "" {
			endPos = m.end
		}
		if nested != "" {
			endPos = nestedEnd
		}
		if headEnd > 0 {
			endPos = headEnd
		}

		// Restore a dropped subject from the sentence: "安排重点项目200项，
		// 总投资3000亿元" → 重点项目总投资.
		if !continuation {
			if full == "" || isInvestmentAttribute(full) {
				if subj := sentenceSubject(prevInSentence, out); subj != "" {
					full = subj + full
				}
			} else if isGenericMeasure(full) {
				// 实施道路提升工程3条，总里程51.4公里 → 道路提升工程总里程;
				// 实施金钟路改造工程，总里程6.7公里: the object of the clause
				// before, when it counted nothing.
				subj := sentenceSubject(prevInSentence, out)
				if subj == "" && len(out) == 0 {
					subj = objectOf(prevClause)
				}
				if subj != "" && !strings.HasSuffix(subj, full) {
					full = subj + full
				}
			} else if v, noun := verbOnGenericNoun(full); v != "" {
				// 建设干线公路510公里，建成6个项目 → 建成干线公路项目: the
				// projects are of the thing the sentence is about.
				if subj := sentenceSubject(prevInSentence, out); subj != "" && leadingVerb(subj) == "" && !strings.Contains(subj, noun) {
					full = v + subj + noun
				}
			} else if v := leadingVerb(full); v == full && !isLightVerb(v) {
				// 新建农田5万亩、改造提升2万亩: a verb alone acts on the
				// thing named before it in the same list.
				if subj := sentenceSubject(nil, out); joined && subj != "" && leadingVerb(subj) == "" {
					full += subj
				}
			} else if isBareMeasure(full) {
				// 加快…产业园建设，主营业务收入增长10%: the measure
				// belongs to the thing the clause before names.
				from := ownerFrom
				if from == nil && len(out) == 0 {
					from = prevClause
				}
				if owner := ownerOf(from); owner != "" {
					full = owner + full
				} else if len(out) > 0 && from == nil {
					// 生猪出栏达到45万头、存栏稳定在20万头: the owner of the
					// measure before.
					if owner := ownerOfMeasure(out[len(out)-1].Indicator); owner != "" {
						full = owner + full
					}
				}
			}
		}
		full = withoutAges(full)
		if len([]rune(full)) < 2 {
			m.uncertain = true // no indicator to speak of: a person must name it
		}
		if v := leadingVerb(stripLight(pre)); v != "" {
			prevVerb = v
		} else if !continuation && !joined {
			prevVerb = ""
		}

		if spanStart < a {
			spanStart = a
		}
		if endPos > b {
			endPos = b
		}
		if spanStart >= endPos {
			spanStart = m.num.start
		}
		lastEnd = m.postEnd
		out = append(out, Target{
			Text:       string(rs[spanStart:endPos]),
			Indicator:  full,
			Value:      value,
			Unit:       m.unit,
			Comparator: cmp,
			Kind:       kind,
			Start:      spanStart,
			End:        endPos,
			Uncertain:  m.uncertain,
		})
	}
	distributeRespectively(out, prevInSentence, prevClause)
	return out
}

// unitInIndicator returns the unit of a number written without one when the
// indicator before it ends in a count noun and a verb of reaching joins
// them (服务人次达200万, 参保人数突破5万): 人次 or 人 is then what the number
// counts. Without such a verb (人次200) the number may be a code.
func unitInIndicator(rawPre, pre string) string {
	raw := strings.TrimSpace(rawPre)
	reach := false
	for _, w := range []string{"达到", "达", "突破", "超过", "超", "提高到", "提高至", "增加到", "增加至", "增至", "不少于", "不低于", "至少", "保持在", "稳定在"} {
		if strings.HasSuffix(raw, w) {
			reach = true
			break
		}
	}
	if !reach {
		return ""
	}
	ind := trimIndicator(pre, false)
	for _, c := range countNouns {
		if strings.HasSuffix(ind, c[0]) && len(ind) > len(c[0]) {
			return c[1]
		}
	}
	return ""
}

// countNouns pair a noun that names a count with the unit the count is in.
var countNouns = [][2]string{
	{"人次", "人次"}, {"户次", "户次"}, {"件次", "件次"}, {"人数", "人"}, {"户数", "户"}, {"次数", "次"},
	{"件数", "件"}, {"个数", "个"}, {"家数", "家"}, {"床位数", "张"}, {"辆数", "辆"},
}

// classOfCount reports whether the amount ms[i] names a class of the things
// a later count counts: 10亿元以上项目5个, and every member of a list of such
// classes (营业收入超50亿元、超100亿元集群6个和4个).
func classOfCount(rs []rune, ms []mention, i int) bool {
	k := i
	for k+1 < len(ms) && !ms[k].count && ms[k].postEnd == ms[k].end && !ms[k+1].count && ms[k+1].unit == ms[k].unit {
		between := strings.TrimSpace(string(rs[ms[k].end:ms[k+1].num.start]))
		for _, w := range []string{"超过", "超", "突破", "不低于", "不少于"} {
			between = strings.TrimSuffix(between, w)
		}
		if !isJoiner(between) {
			break
		}
		k++
	}
	m := ms[k]
	return !m.count && m.postEnd > m.end && k+1 < len(ms) && ms[k+1].count && ms[k+1].num.start == m.postEnd
}

// sharedCountHead returns the noun that the count ms[i] shares with the next
// count of the same measure when its own words are only a grade: in
// 4个国家级和10个省级试点 the head 试点 comes after the last item and
// belongs to every item.
func sharedCountHead(rs []rune, ms []mention, i int, post string) string {
	if i+1 >= len(ms) || post == "" || !ms[i].count || ms[i+1].unit != ms[i].unit {
		return ""
	}
	p := []rune(post)
	if len(p) < 2 || len(p) > 4 || !strings.ContainsRune("级型类", p[len(p)-1]) {
		return ""
	}
	n := ms[i+1]
	if !isJoiner(strings.TrimSpace(string(rs[ms[i].postEnd:n.num.start]))) {
		return ""
	}
	next := []rune(strings.TrimSpace(string(rs[n.postStart:n.postEnd])))
	for k := 1; k+1 < len(next) && k <= 4; k++ {
		if next[k] == p[len(p)-1] {
			return string(next[k+1:])
		}
	}
	return ""
}

// clauseJoint returns the byte index of a 、 in the words before a number
// that joins two clauses rather than two nouns: the stretch before it has a
// subject, then a verb followed by its object (产能恢复到正常年份水平), and
// the stretch after it
// ends on a predicate of its own (存栏达到). It returns -1 otherwise.
func clauseJoint(pre string) int {
	if strings.IndexByte(pre, 0) >= 0 {
		return -1
	}
	k := strings.LastIndex(pre, "、")
	if k <= 0 {
		return -1
	}
	left, right := pre[:k], pre[k+len("、"):]
	if right == "" || trimIndicator(right, true) == right || strings.ContainsAny(left, "（(") {
		return -1
	}
	l := []rune(stripLight(left))
	if leadingVerbRunes(l) != "" {
		return -1 // 新认定A、B达到: the opening verb governs the whole list
	}
	for i := 1; i+2 < len(l); i++ {
		if v := leadingVerbRunes(l[i:]); v != "" && !isLightVerb(v) && i+len([]rune(v)) < len(l) {
			return k
		}
	}
	return -1
}

// bareMeasures are measures that name no owner of their own: a clause
// that states one alone has dropped its subject.
// Longest first, so that a suffix is cut whole (总产量 before 产量).
var bareMeasures = []string{"主营业务收入", "营业收入", "销售收入", "总产值", "总产量", "增加值", "交易额", "销售额", "产销量",
	"收入", "产值", "产量", "存栏", "出栏", "利润", "税收", "产能", "规模", "营收"}

func isBareMeasure(s string) bool { return slices.Contains(bareMeasures, s) }

// ownerOf names the thing a clause is about, to own a measure the next
// clause states alone: the noun after a list closed by 等
// (加快A、B等产业园建设 → 产业园), else the subject before the verb
// (生猪产能恢复到… → 生猪) or the object after it (建设产业园 → 产业园),
// without an action noun or a measure of its own at the end. It returns ""
// when no such noun can be told.
func ownerOf(c []rune) string {
	for i, r := range c {
		if isDigit(r) {
			c = c[:i] // 新建产业园3个: the owner is named before the number
			break
		}
	}
	if len(c) == 0 {
		return ""
	}
	s := string(c)
	if k := lastListEnd(c); k >= 0 {
		s = string(c[k+1:])
	} else {
		s = stripAdverbial(stripLight(stripEnumerator(s)))
		r := []rune(s)
		if v := leadingVerbRunes(r); v != "" {
			s = string(r[len([]rune(v)):])
		} else {
			for i := 1; i < len(r); i++ {
				if v := leadingVerbRunes(r[i:]); v != "" && !isLightVerb(v) {
					s = string(r[:i])
					break
				}
			}
		}
	}
	for _, w := range []string{"建设", "发展", "改造", "提升", "培育", "工作"} {
		s = strings.TrimSuffix(s, w)
	}
	for _, w := range bareMeasures {
		if t, ok := strings.CutSuffix(s, w); ok && t != "" {
			s = t
			break
		}
	}
	if n := len([]rune(s)); n < 2 || n > 16 || strings.ContainsFunc(s, isDigit) || strings.ContainsAny(s, "、，（）()“”") {
		return ""
	}
	return s
}

// ownerOfMeasure returns the owner of an indicator that ends on a bare
// measure (生猪出栏 → 生猪), or "".
func ownerOfMeasure(ind string) string {
	for _, w := range bareMeasures {
		if o, ok := strings.CutSuffix(ind, w); ok {
			// Longest first: 营业收入 is one measure, not 营业 + 收入.
			if len([]rune(o)) >= 2 && leadingVerb(o) == "" {
				return o
			}
			return ""
		}
	}
	return ""
}

// endsWithColon reports whether the clause ending at b is closed by a colon.
func endsWithColon(rs []rune, b int) bool {
	return b < len(rs) && (rs[b] == '：' || rs[b] == ':')
}

// sinceBreakdown reports whether a number follows 其中 in its sentence, with
// a total before it.
func sinceBreakdown(rs []rune, a, at int, prev []Target) bool {
	lo := a
	if len(prev) > 0 {
		lo = prev[0].End
	}
	if lo > at || lo < 0 {
		return false
	}
	// A breakdown follows its total closely; looking back a clause's
	// length keeps a long sentence from being read again for each number.
	for k := at - 2; k >= lo && k >= at-maxClause; k-- {
		if rs[k] == '其' && rs[k+1] == '中' {
			return true
		}
	}
	return false
}

// firstIndicator returns the indicator of the first target of a sentence.
func firstIndicator(prev, cur []Target) string {
	if len(prev) > 0 {
		return prev[0].Indicator
	}
	if len(cur) > 0 {
		return cur[0].Indicator
	}
	return ""
}

// reportsEvent reports whether the words before a number count the people
// at a meeting (出席, 列席, 到会), as news of a plan's adoption does.
func reportsEvent(pre string) bool {
	for _, w := range []string{"出席", "列席", "到会", "参会", "与会", "缺席", "赞成", "反对", "弃权"} {
		if strings.Contains(pre, w) {
			return true
		}
	}
	return false
}

// describesExisting reports whether the words before a number describe
// what exists (现有, 共有, 占地) rather than commit to a quantity.
func describesExisting(pre string) bool {
	p := strings.TrimSpace(pre)
	for _, w := range []string{"全市", "全区", "全县", "全省", "目前", "当前", "现在"} {
		p = strings.TrimPrefix(p, w)
	}
	if strings.Contains(p, "达") {
		return false
	}
	for _, w := range []string{"现有", "共有", "已有", "拥有", "辖"} {
		if strings.HasPrefix(p, w) {
			return true
		}
	}
	return strings.Contains(p, "占地")
}

// startsWithJoiner reports whether the words before a number open with a
// list mark or conjunction, so that the number is the next item of a list.
func startsWithJoiner(pre string) bool {
	p := strings.TrimSpace(pre)
	if p == "" {
		return true
	}
	for _, w := range []string{"、", "和", "及", "与", "以及", "或"} {
		if strings.HasPrefix(p, w) {
			return true
		}
	}
	return false
}

// isJoiner reports whether the words between two numbers only join them.
func isJoiner(s string) bool {
	switch s {
	case "、", "和", "及", "与", "以及", "、和", "或", "至", "":
		return true
	}
	return false
}

// sentenceSubject returns the noun of the latest target in the sentence,
// without its verb: the subject a following clause leaves out.
func sentenceSubject(prev, cur []Target) string {
	var last *Target
	if len(cur) > 0 {
		last = &cur[len(cur)-1]
	} else if len(prev) > 0 {
		last = &prev[len(prev)-1]
	}
	if last == nil {
		return ""
	}
	s := last.Indicator
	if v := leadingVerb(s); v != "" && len([]rune(s)) > len([]rune(v))+1 {
		s = string([]rune(s)[len([]rune(v)):])
	}
	// Only its own subject, not a restored one: cut an attribute it carries.
	for _, suf := range []string{"总投资", "年投资"} {
		s = strings.TrimSuffix(s, suf)
	}
	return s
}

// isGenericMeasure reports whether an indicator names only an attribute
// that any project or facility has (总里程, 配置率, 覆盖率): alone it says
// nothing, so the subject is restored from the clause before.
func isGenericMeasure(s string) bool {
	switch s {
	case "总里程", "里程", "总长", "总长度", "长度", "全长", "总面积", "面积", "总规模", "规模", "总容量", "容量",
		"配置率", "覆盖率", "完成率", "达标率", "普及率", "使用率", "安装率", "建成率", "投用率", "开通率", "到位率", "合格率", "参与率":
		return true
	}
	return false
}

// objectOf returns the object of a clause that counts nothing: what follows
// its opening verb (实施金钟路改造提升工程 → 金钟路改造提升工程), whole, since
// an attribute such as 总里程 belongs to the whole project. "" when the
// clause has no opening verb, holds a number, or is too long to be a name.
func objectOf(c []rune) string {
	raw := strings.TrimSpace(string(c))
	s := stripAdverbial(stripLight(stripEnumerator(raw)))
	r := []rune(s)
	v := leadingVerbRunes(r)
	if v == "" && s == raw {
		return "" // no verb opens it (实施 and 完成 are cut as light words)
	}
	o := string(r[len([]rune(v)):])
	if n := len([]rune(o)); n < 2 || n > 16 || strings.ContainsFunc(o, isDigit) || strings.ContainsAny(o, "、，,（）()“”：:") || leadingVerb(o) != "" {
		return ""
	}
	return o
}

// withoutAges removes a band of ages that says who is eligible (40-74周岁,
// 35至64岁) from an indicator: it qualifies the people of a campaign, it is
// not what is measured. An open age (65岁以上老年人, 3岁以下婴幼儿) stays:
// it is part of the official name of a measure (健康管理率, 托位数). An
// indicator that is nothing but the band is kept.
func withoutAges(s string) string {
	if !strings.Contains(s, "岁") {
		return s
	}
	r := []rune(s)
	for k := 0; k < len(r); k++ {
		if !isDigit(r[k]) || k > 0 && isDigit(r[k-1]) {
			continue
		}
		j := k
		for j < len(r) && isDigit(r[j]) {
			j++
		}
		if j >= len(r) || !isRangeMark(r[j]) || j+1 >= len(r) || !isDigit(r[j+1]) {
			continue
		}
		j++
		for j < len(r) && isDigit(r[j]) {
			j++
		}
		if j < len(r) && r[j] == '周' {
			j++
		}
		if j >= len(r) || r[j] != '岁' {
			continue
		}
		if t := string(r[:k]) + string(r[j+1:]); len([]rune(t)) >= 2 {
			return withoutAges(t)
		}
		return s
	}
	return s
}

// dropNameList reads pre as a verb phrase and a 、-list of two or more
// proper names (甲地至乙地, 某某路, 某某二期) and returns the verb phrase.
func dropNameList(pre string) (string, bool) {
	if !strings.Contains(pre, "、") {
		return "", false
	}
	p := stripLight(pre)
	v := verbPhrase(p)
	if v == "" {
		return "", false
	}
	items := strings.Split(strings.TrimPrefix(p, v), "、")
	if len(items) < 2 {
		return "", false
	}
	for _, it := range items {
		if !isProperName(it) {
			return "", false
		}
	}
	return v, true
}

// isProperName reports whether a list item reads as the name of one road,
// line or project phase: two places joined by 至 (甲地至乙地), or a word
// ending in a suffix of names (路, 大街, 大桥, 二期, 线, 隧道).
func isProperName(s string) bool {
	r := []rune(s)
	if len(r) < 3 || len(r) > 16 || strings.ContainsAny(s, "，,（）()：:") || leadingVerb(s) != "" {
		return false
	}
	if strings.ContainsFunc(s, isDigit) {
		return false // 2025年至2027年, S316: no place names
	}
	// 高速公路、国省干线: kinds of road, not names of one.
	for _, suf := range []string{"公路", "道路", "铁路", "马路", "线路", "干线", "支线", "管线", "航线", "专线", "生产线", "路线", "路段", "周期", "时期", "学期", "假期", "工期", "分期"} {
		if strings.HasSuffix(s, suf) {
			return false
		}
	}
	if k := strings.Index(s, "至"); k > 0 && len([]rune(s[:k])) >= 2 && len([]rune(s[k+len("至"):])) >= 2 {
		return true
	}
	for _, suf := range []string{"路", "大街", "街", "大道", "大桥", "桥", "隧道", "期", "线", "段"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// verbPhrase returns the plan verb that opens s together with a word of
// state after it (建成通车, 建成投用, 建成投产), or just the verb.
func verbPhrase(s string) string {
	v := leadingVerb(s)
	if v == "" {
		return ""
	}
	rest := strings.TrimPrefix(s, v)
	for _, w := range []string{"通车", "投用", "投运", "投产", "运营", "开放", "使用"} {
		if strings.HasPrefix(rest, w) {
			return v + w
		}
	}
	return v
}

// verbOnGenericNoun splits an indicator made of a plan verb and a generic
// count noun (建成项目, 实施工程) into the two; "" when it is not one.
func verbOnGenericNoun(s string) (verb, noun string) {
	if !strings.HasSuffix(s, "项目") && !strings.HasSuffix(s, "工程") {
		return "", "" // the common case, decided before reading any verb
	}
	v := verbPhrase(s)
	if v == "" || isLightVerb(v) && v != "完成" && v != "实施" {
		return "", ""
	}
	rest := strings.TrimPrefix(s, v)
	switch rest {
	case "项目", "工程", "个项目":
		return v, strings.TrimPrefix(rest, "个")
	}
	return "", ""
}

// isInvestmentAttribute reports whether an indicator names only the money
// of an unnamed set of projects (总投资, 年投资), which needs its subject.
func isInvestmentAttribute(s string) bool {
	switch s {
	case "总投资", "年投资", "年度投资", "投资", "计划投资", "累计投资", "总投入", "年度计划投资":
		return true
	}
	return false
}

// distributeRespectively splits a 分别 subject over its numbers:
// "城镇、农村居民收入分别增长6%和7%" → 城镇居民收入, 农村居民收入. A
// following clause that drops the subject ("分别增长6%、7%") takes the
// names of the earlier group of the same size. Official writing often
// leaves 分别 out: N nouns joined by 、 before N numbers joined by 、 or 和
// ("新培育农场、合作社300家、200家") pair up in order all the same.
//
// A bare measure (产值分别达到…) takes the items the clause before lists:
// "推进A、B、C三大产业集群发展，产值分别达到…" → A产业集群产值, ….
func distributeRespectively(ts, prev []Target, prevClause []rune) {
	for i := 0; i < len(ts); {
		j := i + 1
		for j < len(ts) && ts[j].Start == ts[i].Start && ts[j].Indicator == ts[i].Indicator {
			j++
		}
		if j-i >= 2 && strings.Contains(ts[i].Text, "分别") {
			// 市场主体、规上企业分别新增: the predicate after 分别 goes
			// with every part.
			subj, pred, _ := strings.Cut(ts[i].Indicator, "分别")
			parts := splitSubject(subj, true)
			for k := range parts {
				parts[k] += pred
			}
			if len(parts) != j-i {
				parts = previousGroup(prev, j-i)
			}
			if len(parts) != j-i && isBareMeasure(subj) {
				parts = listedOwners(prevClause, j-i)
				for k := range parts {
					parts[k] += subj + pred
				}
			}
			if len(parts) == j-i {
				for k := i; k < j; k++ {
					ts[k].Indicator = parts[k-i]
				}
			}
		} else if j-i >= 2 {
			if parts := splitSubject(ts[i].Indicator, false); len(parts) == j-i {
				for k := i; k < j; k++ {
					ts[k].Indicator = parts[k-i]
				}
			}
		}
		i = j
	}
}

// listedOwners returns the n items a clause lists as the things it acts on
// (推进A、B、C三大产业集群发展 → A产业集群, B产业集群, C产业集群), or nil.
func listedOwners(c []rune, n int) []string {
	s := stripAdverbial(stripLight(stripEnumerator(string(c))))
	if v := leadingVerb(s); v != "" {
		s = s[len(v):]
	}
	for _, w := range []string{"建设", "发展", "改造", "提升", "培育", "工作"} {
		s = strings.TrimSuffix(s, w)
	}
	if strings.ContainsFunc(s, isDigit) || strings.ContainsAny(s, "，,（）()") {
		return nil
	}
	parts := splitSubject(s, false)
	if len(parts) != n {
		return nil
	}
	return parts
}

// previousGroup returns the indicators of the last n targets of a sentence
// when they are one 分别 group, or nil.
func previousGroup(prev []Target, n int) []string {
	if len(prev) < n {
		return nil
	}
	g := prev[len(prev)-n:]
	var out []string
	for _, t := range g {
		if t.Start != g[0].Start || !strings.Contains(t.Text, "分别") {
			return nil
		}
		out = append(out, t.Indicator)
	}
	return out
}

// splitSubject splits "城镇、农村常住居民人均可支配收入" into the full names
// of its parts: a verb that opens the first part (新建) goes to every part,
// and a part that is only a modifier (城镇, 省级, 粮食) takes the head of the
// last part. With conj, 和/与/及 join parts as 、 does (a 分别 subject);
// without it only 、 does, and a part of one rune is no noun.
func splitSubject(s string, conj bool) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '、' || conj && (r == '和' || r == '与' || r == '及') })
	if conj && len(f) == 1 && strings.HasPrefix(s, "城乡") && len([]rune(s)) > 2 {
		// 城乡 is 城镇 and 农村: 城乡居民收入分别增长7%和8%.
		rest := strings.TrimPrefix(s, "城乡")
		return []string{"城镇" + rest, "农村" + rest}
	}
	if len(f) < 2 {
		return nil
	}
	if pc := parallelClasses(f); pc != nil {
		return pc
	}
	if item, head := countedHead([]rune(f[len(f)-1]), len(f)); head != "" {
		// 新能源、新材料、食品加工三大产业集群 → 新能源产业集群, …: the
		// head after the count of the items belongs to every item.
		out := make([]string, len(f))
		for k, p := range f[:len(f)-1] {
			out[k] = p + head
		}
		out[len(f)-1] = item + head
		return out
	}
	verb := leadingVerb(f[0])
	if verb == f[0] || isLightVerb(verb) {
		verb = "" // 新建、改扩建学校: the first part is itself the verb
	}
	last := []rune(f[len(f)-1])
	out := make([]string, len(f))
	for k, p := range f {
		pr := []rune(p)
		if !conj && len(pr) < 2 {
			return nil
		}
		if k > 0 && verb != "" && leadingVerb(p) == "" {
			p = verb + p
		}
		if k < len(f)-1 {
			p += sharedHead(pr, last, verb)
		}
		out[k] = p
	}
	return out
}

// countedHead splits the last part of a list of n items that closes with a
// count of them and their head (食品加工三大产业集群, 装备制造两个产业) into
// the item and the head; head is "" when the part has no such count.
func countedHead(last []rune, n int) (item, head string) {
	for k := 1; k+2 < len(last); k++ {
		if !isChineseNumeral(last[k]) || isChineseNumeral(last[k-1]) {
			continue
		}
		e := k
		for e < len(last) && isChineseNumeral(last[e]) {
			e++
		}
		v, ok := chineseValue(last[k:e])
		if !ok || int(v) != n || e+1 >= len(last) || !strings.ContainsRune("大个类项", last[e]) {
			continue
		}
		return string(last[:k]), string(last[e+1:])
	}
	return "", ""
}

// parallelClasses completes a list of size classes that share their noun:
// "年产值超20亿元、超50亿元产业集群" → 年产值超20亿元产业集群,
// 年产值超50亿元产业集群. The first part holds the measure before its
// amount, the last the noun after it; the others hold only an amount. It
// returns nil for any other list.
func parallelClasses(f []string) []string {
	type class struct{ stem, amount, tail string }
	cs := make([]class, len(f))
	for k, p := range f {
		r := []rune(p)
		d := 0
		for d < len(r) && !isDigit(r[d]) {
			d++
		}
		if d == len(r) {
			return nil
		}
		stem := string(r[:d])
		for _, w := range []string{"超过", "超", "突破", "不低于", "不少于", "达到", "达"} {
			if t, ok := strings.CutSuffix(stem, w); ok {
				stem = t
				break
			}
		}
		e := d
		for e < len(r) && (isDigit(r[e]) || r[e] == '.' || chineseMagnitude[r[e]] > 0) {
			e++
		}
		u := measureAt(r, e, len(r))
		if u == "" {
			return nil
		}
		e += len([]rune(u))
		for _, w := range []string{"以上", "及以上"} {
			if hasPrefixAt(r, e, w) {
				e += len([]rune(w))
			}
		}
		cs[k] = class{stem, string(r[len([]rune(stem)):e]), string(r[e:])}
	}
	first, last := cs[0], cs[len(cs)-1]
	if first.stem == "" || first.tail != "" || last.stem != "" || last.tail == "" {
		return nil
	}
	out := make([]string, len(cs))
	for k, c := range cs {
		if k > 0 && k < len(cs)-1 && (c.stem != "" || c.tail != "") {
			return nil
		}
		out[k] = first.stem + c.amount + last.tail
	}
	return out
}

// sharedHead returns the head of the last part of a list that an earlier
// part, a bare modifier, shares: 城镇 in 城镇、农村居民收入 takes 居民收入;
// 国家级 in 国家级、省级示范区 takes 示范区. A part that ends on a head of
// its own (能耗, 家庭农场) takes nothing.
func sharedHead(part, last []rune, verb string) string {
	vr := len([]rune(verb))
	if vr > 0 && len(last) > vr && leadingVerbRunes(last) == verb {
		last = last[vr:]
	}
	if v := leadingVerbRunes(part); v != "" && len([]rune(v)) == len(part) {
		// 新建、改扩建学校: a bare verb takes the noun after the last verb.
		if lv := leadingVerbRunes(last); lv != "" && len([]rune(lv)) < len(last) {
			return string(last[len([]rune(lv)):])
		}
		return ""
	}
	if len(part) >= 2 && part[len(part)-1] == '级' {
		for i := 1; i+1 < len(last); i++ {
			if last[i] == '级' {
				return string(last[i+1:])
			}
		}
		return ""
	}
	n := len(part)
	if strings.ContainsRune("量耗率额值数入出放积度比重价费速幅", part[n-1]) {
		return ""
	}
	if n > 3 {
		// 电子信息、装备制造产业营业收入: a longer part, an industry,
		// takes the industry's measure that ends the list.
		l := string(last)
		for _, w := range bareMeasures {
			for _, c := range []string{"产业", "行业"} {
				if strings.HasSuffix(l, c+w) && !strings.HasSuffix(string(part), c) {
					return c + w
				}
			}
		}
		return ""
	}
	if len(last) < n+2 {
		return ""
	}
	return string(last[n:])
}

// findMentions finds the numbers with units in the clause rs[a:b].
func findMentions(rs []rune, a, b int, quoted []bool, pstart int) []mention {
	var ms []mention
	for i := a; i < b; i++ {
		r := rs[i]
		if !isDigit(r) && !isChineseNumeral(r) {
			continue
		}
		if i > a && (isDigit(rs[i-1]) || isChineseNumeral(rs[i-1]) || rs[i-1] == '.' || rs[i-1] == '．') {
			continue
		}
		n, ok := readNumeral(rs[:b], i)
		if !ok {
			continue
		}
		if n.end <= i {
			continue
		}
		i = n.end - 1
		if quoted[n.start-pstart] {
			continue
		}
		m, ok := readMention(rs, a, b, n)
		if !ok {
			// A range (30-50个) hides its second number too.
			if k := rangeEnd(rs, b, n); k > 0 {
				i = k - 1
			}
			continue
		}
		m.postEnd = m.end
		ms = append(ms, m)
	}
	// The noun or predicate after a measure word runs to the next list mark
	// or number. A note in brackets right after the quantity (10个（含快充）
	// 充电站) is stepped over: the noun follows it.
	for k := range ms {
		m := &ms[k]
		m.postStart = m.end
		if c := noteEnd(rs, m.end, b); c > 0 && c+1 < b && !isClauseMark(rs[c+1]) && (k+1 == len(ms) || ms[k+1].num.start > c) {
			m.postStart = c + 1 // a note with a breakdown (（其中乡镇40个）) is read on its own
		}
		limit := b
		for n := k + 1; n < len(ms); n++ {
			if ms[n].num.start >= m.postStart {
				limit = ms[n].num.start
				break
			}
		}
		m.postEnd = postExtent(rs, m.postStart, limit)
	}
	return ms
}

// noteEnd returns the index of the bracket that closes a note opening at
// rs[j] within the clause (up to 24 runes), or -1.
func noteEnd(rs []rune, j, b int) int {
	if j >= b || rs[j] != '（' && rs[j] != '(' {
		return -1
	}
	for k := j + 1; k < b && k <= j+24; k++ {
		switch rs[k] {
		case '）', ')':
			return k
		case '（', '(', '\n':
			return -1
		}
	}
	return -1
}

// rangeEnd returns where the second number of a range starting with n ends,
// or 0 when n does not open a range.
func rangeEnd(rs []rune, b int, n numeral) int {
	j := n.end
	if j < b && (rs[j] == '%' || rs[j] == '％') {
		j++
	}
	if j+1 < b && isRangeMark(rs[j]) {
		if m, ok := readNumeral(rs[:b], j+1); ok {
			return m.end
		}
	}
	return 0
}

func isRangeMark(r rune) bool {
	switch r {
	case '-', '—', '–', '~', '～', '至', '到', '－':
		return true
	}
	return false
}

// postExtent returns the end of the words after a number's unit that still
// belong to it: up to the clause end, a list mark, or a conjunction before
// the next number.
func postExtent(rs []rune, from, limit int) int {
	j := from
	depth := 0
	for j < limit {
		r := rs[j]
		switch r {
		case '（', '(':
			depth++
		case '）', ')':
			if depth == 0 {
				return j // 乡镇400个）: the close of a note the number stands in
			}
			depth--
		}
		if j == from && (r == '（' || r == '(') {
			break // 新建学校3所（其中小学2所）: a note, not the noun
		}
		if depth == 0 {
			if r == '、' && limit < len(rs) && startsNumber(rs, limit) {
				break // the next item of a list of numbers
			}
			if r == '、' && opensPredicate(rs, j+1, limit) {
				break // 建设20个食堂、因地制宜解决…: the next item has its own verb
			}
			if (r == '和' || r == '及' || r == '与') && j+1 < limit+1 && j+1 <= len(rs) && (j+1 == limit || startsNumber(rs, j+1)) {
				break
			}
			if r == '以' && hasPrefixAt(rs, j, "以及") && (j+2 == limit || startsNumber(rs, j+2)) {
				break
			}
			if r == '每' && j > from && isCountMeasure(measureAt(rs, j+1, limit)) {
				return j // 739艘渔船每艘增配…: what each gets is another quantity
			}
		}
		j++
	}
	return j
}

// opensPredicate reports whether the words at rs[j:limit] open with a plan
// verb, possibly after a short adverbial (因地制宜解决…): a 、 before them
// joins two clauses, not two nouns.
func opensPredicate(rs []rune, j, limit int) bool {
	for k := j; k < limit && k <= j+4; k++ {
		if isClauseMark(rs[k]) || rs[k] == '、' {
			return false
		}
		if v := leadingVerbRunes(rs[k:limit]); v != "" && !isLightVerb(v) {
			return true
		}
	}
	return false
}

func startsNumber(rs []rune, j int) bool {
	return j < len(rs) && (isDigit(rs[j]) || isChineseNumeral(rs[j]))
}

// readMention reads the unit and comparator after numeral n and applies
// the rules that tell a quantity from a name, date, grade or range.
func readMention(rs []rune, a, b int, n numeral) (mention, bool) {
	m := mention{num: n, value: n.value}
	if n.bare {
		return m, false // 百亿元, 千项: a class, not an amount
	}
	prev := rune(0)
	if n.start > a {
		prev = rs[n.start-1]
	}
	if isASCIILetter(prev) || strings.ContainsRune("第每数几×*+/#№-－~～.·", prev) && prev != 0 {
		return m, false // S316, 第三, 每个, 7×24, 3+2+1
	}
	if prev == '共' {
		return m, false // 共11项: counts the plan's own items
	}
	if prev == '前' || prev == '后' {
		return m, false // 全省前10位: a ranking, not a quantity
	}
	if prev == '由' || prev == '从' {
		return m, false // 由30%提高到35%: the baseline, not the target
	}
	j := n.end
	if j < b && (isASCIILetter(rs[j]) || strings.ContainsRune("×*+/#.号", rs[j])) {
		return m, false // 5A, 6S, 5G, 1号线
	}
	if k := rangeEnd(rs, b, n); k > 0 {
		return m, false
	}
	if j < b && rs[j] == '大' && !(j+1 < b && measureAt(rs, j+1, b) != "") {
		return m, false // 五大中心, 10大技改项目
	}
	if n.chinese && n.value == 0 {
		return m, false // 零部件, 零容忍
	}
	if n.chinese && n.end-n.start == 1 && rs[n.start] == '二' {
		return m, false // 二次创业, 二期: 二 before a measure word is an ordinal
	}
	more := false
	if j < b && (rs[j] == '余' || rs[j] == '多') {
		more = true
		j++
		// 6800多万人: the magnitude follows the approximation.
		for j < b && chineseMagnitude[rs[j]] >= 1e4 && !n.chinese {
			m.value *= chineseMagnitude[rs[j]]
			n.value *= chineseMagnitude[rs[j]]
			n.end = j + 1
			j++
		}
	}
	// A Chinese number may read on into a magnitude: 1.6万 was folded by
	// the numeral reader; 3千 too.
	u := measureAt(rs, j, b)
	mag := ""
	if u == "" {
		// A magnitude between number and unit that the reader kept apart
		// (一万 is folded; 2千万元 is folded): nothing to do here.
		if n.chinese {
			return m, false
		}
	}
	if u == "" && j < b && rs[j] == '天' && !n.chinese {
		u = "天"
		m.days = true
	}
	j += len([]rune(u))
	m.unit = canonicalMeasure(u)
	if u != "" {
		// A non-count unit keeps its magnitude word in the unit
		// (1.3万平方米 → 1.3 万平方米); counts multiply out (1.6万人 → 16000 人).
		if !isCountMeasure(m.unit) && !isPercentMeasure(m.unit) {
			mag = magnitudeWord(rs, n)
			if mag != "" {
				m.value = unscale(n.value, mag)
				m.unit = mag + m.unit
			}
		}
	}
	if u != "" && j < b && measureWords[u+string(rs[j])] {
		return m, false // 80万人民: 人 begins a word, it is no unit
	}
	m.count = isCountMeasure(canonicalMeasure(u))
	m.percent = isPercentMeasure(canonicalMeasure(u))
	if m.unit == "个" && j < b {
		for _, t := range []string{"月", "工作日", "小时", "季度", "星期", "年头"} {
			if hasPrefixAt(rs, j, t) {
				return m, false // 3个月, 5个工作日: a time, not a quantity
			}
		}
	}
	if m.unit == "" && n.chinese {
		return m, false
	}
	if (m.unit == "" || m.percent) && j < b && isChineseNumeral(rs[j]) {
		return m, false
	}
	m.unitEnd = j
	// Comparators after the number.
	if more {
		m.suffixCmp = CmpGE
		m.uncertain = true
	}
	// A note in brackets may stand between the quantity and its comparator
	// (200个（标准桩）以上): the comparator still belongs to the number.
	cmpAt := j
	if k := closingBracket(rs, j, b); k > 0 {
		cmpAt = k + 1
	}
	for _, s := range suffixComparators {
		if hasRunesAt(rs[:b], cmpAt, s.w) {
			m.suffixCmp = s.c
			j = cmpAt + len(s.w)
			break
		}
	}
	m.end = j
	if j < b && rs[j] == '的' && !m.percent {
		return m, false // 总投资127亿元的项目: an attribute of a noun
	}
	if m.unit == "" && j < b && !isClauseMark(rs[j]) {
		return m, false // a bare number inside words: a code or a name
	}
	return m, true
}

// suffixComparator is a comparator written after a quantity; w is in runes
// so that the reader can step over it without converting.
type suffixComparator struct {
	w []rune
	c string
}

// hasRunesAt reports whether rs[j:] opens with w.
func hasRunesAt(rs []rune, j int, w []rune) bool {
	if j < 0 || j+len(w) > len(rs) {
		return false
	}
	for k, r := range w {
		if rs[j+k] != r {
			return false
		}
	}
	return true
}

var suffixComparators = func() []suffixComparator {
	var out []suffixComparator
	for _, s := range []struct{ w, c string }{
		{"及以上", CmpGE}, {"以上", CmpGE}, {"以下", CmpLE}, {"以内", CmpLE}, {"之内", CmpLE}, {"左右", CmpApprox}, {"上下", CmpApprox},
	} {
		out = append(out, suffixComparator{[]rune(s.w), s.c})
	}
	return out
}()

// closingBracket returns the index of the bracket that closes a short note
// without numbers opening at rs[j] (（标准桩）), or -1 when none opens there
// or it does not close within the clause.
func closingBracket(rs []rune, j, b int) int {
	if j >= b || rs[j] != '（' && rs[j] != '(' {
		return -1
	}
	for k := j + 1; k < b && k <= j+12; k++ {
		switch rs[k] {
		case '）', ')':
			return k
		case '（', '(':
			return -1
		}
		if isClauseMark(rs[k]) || isDigit(rs[k]) {
			return -1 // a breakdown in the note (（其中乡镇400个）) is read on its own
		}
	}
	return -1
}

// measureWords are words that begin with a measure character; after a number
// they show that the character is no unit (80万人民, 6处理站).
var measureWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`人民 人口 人员 人才 人群 人们 人士 人大 人工 人均 人社 个体 个性 个别
		家园 家长 家属 家族 家电 所有 所属 所在 所得 所谓 座谈 处理 处置 处于 处罚 项目 条件 条例
		条款 台账 台阶 场所 场景 场地 场馆 次数 次序 件数 部门 部署 部分 类型 类别 种类 位置 位于
		门户 门诊 门槛 份额 口径 口岸 道路 道德 头部 本地 本级 本土 只有 支持 支撑 支付 支出 对象
		对接 对口 对标 对外 套餐 间隔 组织 组团 队伍 班子 例如 笔记 款项 根据 根本 块状 宗教 轮流
		轮换 张贴 台风 户籍 户外 户口 名单 名称 名额 米粮 元素 元旦 吨位 亩产`) {
		m[w] = true
	}
	return m
}()

// magnitudeWord returns the magnitude characters written after the digits of
// an Arabic number (万, 亿, 千万 …), or "" for none.
func magnitudeWord(rs []rune, n numeral) string {
	if n.chinese {
		return ""
	}
	k := n.end
	for k > n.start {
		if _, ok := chineseMagnitude[rs[k-1]]; !ok {
			break
		}
		k--
	}
	return string(rs[k:n.end])
}

// unscale divides a value by the magnitude kept in its unit (1.7e8, 亿 →
// 1.7), rounding away the binary remainder of the division.
func unscale(v float64, mag string) float64 {
	return shortestDecimal(v / magnitudeFactor(mag))
}

func magnitudeFactor(mag string) float64 {
	f := 1.0
	for _, r := range mag {
		f *= chineseMagnitude[r]
	}
	return f
}

func isASCIILetter(r rune) bool {
	return r < 128 && unicode.IsLetter(r) || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ'
}

// rejectByContext drops numbers whose clause shows they are not a quantity
// of this year's work.
func rejectByContext(rs []rune, a, b int, m *mention, facts *docFacts) bool {
	before := string(rs[a:m.num.start])
	after := string(rs[m.end:b])
	// 一批超50亿元、百亿元大项目: sizes of a batch, no count committed.
	if strings.Contains(before, "一批") {
		return true
	}
	// 以东城、西城、南城三个新区为重点: a frame, not a target.
	if k := strings.LastIndex(before, "以"); k >= 0 {
		tail := before[k:]
		if !strings.HasPrefix(tail, "以上") && !strings.HasPrefix(tail, "以内") && !strings.HasPrefix(tail, "以下") && !strings.HasPrefix(tail, "以及") {
			for _, w := range []string{"为重点", "为核心", "为主体", "为主", "为引领", "为龙头", "为依托", "为载体", "为支撑", "为抓手", "为中心", "为基础", "为代表", "为支点", "为单位"} {
				if strings.Contains(after, w) {
					return true
				}
			}
		}
	}
	// 围绕大数据、生物医药等10个重点领域: the scope of the work that
	// follows, not work to be done.
	if m.count && scopeOnly(stripLight(before)) {
		return true
	}
	// 17个有河道的县城: describes existing things.
	post := string(rs[m.postStart:m.postEnd])
	// 察看38个项目的内容, after 项目清单共38件: the list's own size again.
	if m.count && facts.listSizes[m.value] {
		for _, w := range []string{"项目", "实事", "事项", "件"} {
			if strings.HasPrefix(post, w) {
				return true
			}
		}
	}
	if m.count && strings.HasPrefix(post, "有") && strings.Contains(post, "的") {
		return true
	}
	// 每艘增配1只, 每个村配备2名: a standard per unit, not a count of work.
	if m.count && perUnitAllotment(before) {
		return true
	}
	// 共安排十方面、34项; 项目总数增加2项: the size of the plan's own list.
	if countsOwnItems(rs, a, b, m, before, post) {
		return true
	}
	// 十个方面, 15件实事, 民生实事12项: counts of the plan's own items.
	if m.count {
		for _, w := range []string{"实事", "方面", "举措", "措施", "民生工程"} {
			if strings.HasSuffix(strings.TrimSpace(before), w) {
				return true
			}
		}
		for _, w := range []string{"方面", "举措", "措施", "大任务"} {
			if strings.HasPrefix(post, w) {
				return true
			}
		}
		if strings.Contains(post, "实事") || strings.Contains(post, "民生工程") {
			return true // 15件民生实事, 20项民生工程: the plan's own package
		}
		switch strings.TrimRight(post, "：:") {
		case "工作", "重点工作", "大事", "件事", "事", "任务", "重点任务", "项目标", "目标":
			return true // 做好5项工作, 办好10件事: the plan counting itself
		}
		// 两个维护, 四个意识: counts inside political formulas.
		if m.num.chinese {
			for _, w := range []string{"意识", "自信", "维护", "确立", "全面", "代表", "务必", "毫不动摇", "一百年", "翻番", "走在前列", "责任", "规定", "禁令"} {
				if strings.HasPrefix(post, w) {
					return true
				}
			}
		}
		// 三条控制线, 四个项目清单: a count in words before an abstract
		// noun of policy is a name.
		if m.num.chinese {
			for _, w := range []string{"控制线", "红线", "底线", "防线", "清单", "机制", "体系", "原则", "理念", "思路", "定位"} {
				if strings.HasSuffix(post, w) {
					return true
				}
			}
		}
		// 一件事一次办, 一城一策: a slogan of parallel numerals.
		if m.num.chinese {
			pr := []rune(post)
			for k := 0; k < len(pr) && k < 3; k++ {
				if isChineseNumeral(pr[k]) && pr[k] != '万' && pr[k] != '千' && pr[k] != '百' {
					return true
				}
			}
		}
	}
	return false
}

// perUnitAllotment reports whether the words before a count end in 每, a
// measure word and a short phrase with a verb of giving out (每艘增配, 每个村
// 配备, 每户发放): the count is what each unit gets, and the target is the
// number of units, counted elsewhere. 每万人, 每千人口 (a density) and
// 每年, 每月 (a rate in time) have no measure word after 每 and stay.
func perUnitAllotment(before string) bool {
	r := []rune(strings.TrimSpace(before))
	k := len(r) - 1
	for k >= 0 && r[k] != '每' {
		if isClauseMark(r[k]) || len(r)-k > 8 {
			return false
		}
		k--
	}
	if k < 0 || k+1 >= len(r) {
		return false
	}
	rest := r[k+1:]
	u := measureAt(rest, 0, len(rest))
	if u == "个" && len(rest) > 1 && strings.ContainsRune("月年季周", rest[1]) {
		return false // 每个月: a time
	}
	if u == "" || !isCountMeasure(u) || u == "次" {
		return false
	}
	// Only a verb of giving out makes it an allotment: 每个设区市至少建成2所
	// sets work to do in each place, and each is counted as a target.
	verbs := string(rest[len([]rune(u)):])
	for _, v := range []string{"增配", "配备", "配置", "配发", "配", "发放", "补助", "补贴", "奖励", "安装", "分配", "赠送", "发"} {
		if strings.Contains(verbs, v) {
			return true
		}
	}
	return false
}

// countsOwnItems reports whether a bare count of items (N项, N件, nothing
// counted after it) sizes the plan's own list: the words before it name no
// thing of the world, only the list's bookkeeping (安排, 新增, 项目总数增加,
// 其中, 与上年相比, 十方面、), and the sentence speaks of the list itself
// (实事, 清单, 方面, 项目总数, 本方案) or compares it with a past year's.
// 新增发明专利17项 names what is counted and stays a target.
func countsOwnItems(rs []rune, a, b int, m *mention, before, post string) bool {
	if !m.count || m.unit != "项" && m.unit != "件" || m.postEnd != m.end {
		return false
	}
	if strings.TrimSpace(post) != "" {
		return false
	}
	core := strings.TrimSpace(before)
	if k := strings.LastIndex(core, "相比"); k >= 0 {
		core = core[k+len("相比"):] // 与2023年相比，…: the comparison frame
	}
	core = strings.Trim(core, "，,、 ")
	core = stripLight(core)
	for changed := true; changed; {
		changed = false
		for _, w := range []string{"其中", "共计", "总计", "合计", "共", "今年", "全年", "年内", "再"} {
			if r, ok := strings.CutPrefix(core, w); ok {
				core, changed = r, true
			}
		}
	}
	// A run of 十方面、 (or 十个方面，) names the list's parts, not a thing.
	cr := []rune(core)
	for k := len(cr) - 1; k >= 0; k-- {
		if cr[k] == '面' && k >= 1 && cr[k-1] == '方' {
			j := k - 2
			if j >= 0 && cr[j] == '个' {
				j--
			}
			e := j
			for j >= 0 && isChineseNumeral(cr[j]) {
				j--
			}
			if j < e {
				cr = append(cr[:j+1:j+1], cr[k+1:]...)
			}
			break
		}
	}
	core = strings.Trim(string(cr), "，,、 ")
	for _, w := range []string{"项目总数", "项目数量", "项目数", "事项总数", "总数", "数量"} {
		if r, ok := strings.CutPrefix(core, w); ok {
			core = r
			break
		}
	}
	switch core {
	case "", "安排", "新增", "增加", "减少", "确定", "共有", "包括", "涉及", "有":
	default:
		return false
	}
	// The sentence around the clause must speak of the list.
	s, e := a, b
	for s > 0 && !isFullStop(rs[s-1]) {
		s--
	}
	for e < len(rs) && !isFullStop(rs[e]) {
		e++
	}
	sentence := rs[s:e]
	if ownListWords.in(sentence) {
		return true
	}
	// 与2023年相比: the list against last year's list.
	txt := string(sentence)
	if k := strings.Index(txt, "相比"); k >= 0 && strings.Contains(txt[:k], "年") && strings.Contains(txt[:k], "与") {
		return true
	}
	return false
}

// ownListWords name a plan's own list of items.
var ownListWords = newPhraseSet("实事", "清单", "方面", "项目总数", "项目数量", "本方案", "本计划", "本清单", "民生工程")

// scopeOnly reports whether the words before a count only name a scope
// (围绕…等, 聚焦…): a preposition of focus with no verb of work after it.
func scopeOnly(before string) bool {
	var rest string
	found := false
	// (面向200家企业开展培训 counts who is served: 面向 is no scope here.)
	for _, w := range []string{"围绕", "聚焦", "立足", "着眼"} {
		if r, ok := strings.CutPrefix(before, w); ok {
			rest, found = r, true
			break
		}
	}
	if !found {
		return false
	}
	r := []rune(rest)
	for k := range r {
		if v := leadingVerbRunes(r[k:]); v != "" && !isLightVerb(v) {
			return false
		}
	}
	return true
}

// multiYear reports whether a clause sets a multi-year time frame before its
// numbers (三年内达到26.5%, 三年建成70所, 未来五年).
func multiYear(clause []rune) bool {
	for i := 0; i < len(clause); i++ {
		if clause[i] != '年' || i == 0 {
			continue
		}
		k := i
		for k > 0 && (isChineseNumeral(clause[k-1]) || isDigit(clause[k-1])) {
			k--
		}
		if k == i {
			continue
		}
		word := clause[k:i]
		var v float64
		if isDigit(word[0]) {
			if len(word) > 2 {
				continue // 2014年: a date
			}
			for _, r := range word {
				d, _ := digitValue(r)
				v = v*10 + float64(d)
			}
		} else {
			var ok bool
			v, ok = chineseValue(word)
			if !ok {
				continue
			}
		}
		if v < 2 || v > 10 {
			continue
		}
		if k > 0 && strings.ContainsRune("每第近这头", clause[k-1]) {
			continue
		}
		rest := string(clause[i+1:])
		framed := false
		for _, w := range []string{"内", "间", "后", "来", "时间", "累计", "达到", "达", "实现", "完成", "下降", "降低", "增长", "提高", "减少", "增加"} {
			if strings.HasPrefix(rest, w) {
				framed = true
			}
		}
		if k >= 2 && clause[k-2] == '连' && clause[k-1] == '续' {
			framed = true // 连续五年稳定在80%以上: a streak of years
		}
		if !framed && leadingVerb(rest) == "" {
			continue // 学前三年毛入园率, 三年行动: a name, not a time frame
		}
		for _, w := range []string{"行动", "计划", "规划", "攻坚", "专项", "方案"} {
			if strings.HasPrefix(strings.TrimPrefix(rest, "内"), w) {
				framed = false
			}
		}
		if !framed && leadingVerb(rest) == "" {
			continue
		}
		// The frame must come before a number of the clause.
		for _, r := range clause[i+1:] {
			if isDigit(r) || isChineseNumeral(r) && r != '万' && r != '千' && r != '百' {
				return true
			}
		}
	}
	return false
}

// planYear guesses the year a plan is for: the latest year that the text
// names at least as often as any other ("2024年工作总体要求", "今年" aside).
// It returns 0 when the text names no year.
func planYear(rs []rune) int {
	counts := map[int]int{}
	for i := 0; i+4 < len(rs); i++ {
		if rs[i+4] != '年' || (i > 0 && isDigit(rs[i-1])) {
			continue
		}
		// 到2025年, 2035年远景目标: horizons, not the year of the plan.
		if i > 0 && strings.ContainsRune("到至于前", rs[i-1]) || i+6 < len(rs) && (rs[i+5] == '远' || rs[i+5] == '前') {
			continue
		}
		y := 0
		ok := true
		for _, r := range rs[i : i+4] {
			d, isD := digitValue(r)
			if !isD {
				ok = false
				break
			}
			y = y*10 + d
		}
		if ok && y >= 1949 && y <= 2100 {
			counts[y]++
		}
	}
	best, bestN := 0, 0
	for y, n := range counts {
		if n > bestN || n == bestN && y > best {
			best, bestN = y, n
		}
	}
	return best
}

// beyondPlanYear reports whether a clause sets its numbers for a later year
// than the plan's (到2025年, 至2025年底): a multi-year target.
func beyondPlanYear(clause []rune, year int) bool {
	if namesPlanPeriod(clause) {
		return true
	}
	if year == 0 {
		return false
	}
	for i := 0; i+5 < len(clause); i++ {
		if clause[i] != '到' && clause[i] != '至' {
			continue
		}
		y := 0
		ok := true
		for _, r := range clause[i+1 : i+5] {
			d, isD := digitValue(r)
			if !isD {
				ok = false
				break
			}
			y = y*10 + d
		}
		if ok && clause[i+5] == '年' && y > year {
			return true
		}
	}
	return false
}

// namesYear reports whether a clause names the plan's year y (2021年),
// which ends a frame of later years.
func namesYear(c []rune, y []rune) bool {
	if len(y) == 0 {
		return false
	}
	for i := 0; i+len(y) <= len(c); i++ {
		if hasRunesAt(c, i, y) && (i == 0 || !isDigit(c[i-1])) {
			return true
		}
	}
	return false
}

// speaksOfYear reports whether a sentence names the plan's year or this
// year (今年, 全年, 年内, 2024年).
func speaksOfYear(s []rune, year []rune) bool {
	return thisYearMarks.in(s) || namesYear(s, year)
}

// namesPlanPeriod reports whether a clause sets its numbers in a five-year
// plan period (“十四五”时期, 十五五期间, “十四五”末).
func namesPlanPeriod(c []rune) bool {
	for i := 0; i+3 < len(c); i++ {
		if c[i] != '十' || c[i+2] != '五' || !isChineseNumeral(c[i+1]) {
			continue
		}
		j := i + 3
		if j < len(c) && (c[j] == '”' || c[j] == '"') {
			j++
		}
		if hasPrefixAt(c, j, "时期") || hasPrefixAt(c, j, "期间") || hasPrefixAt(c, j, "末") {
			return true
		}
	}
	return false
}

// opensWithPastYear reports whether a sentence opens with a year before the
// plan's ("2023年，全区生产总值完成…"): it reports results.
func opensWithPastYear(s []rune, year int) bool {
	k := 0
	for k < len(s) && (s[k] == ' ' || s[k] == '　') {
		k++
	}
	s = s[k:]
	if year == 0 || len(s) < 5 || s[4] != '年' {
		return false
	}
	y := 0
	for _, r := range s[:4] {
		d, ok := digitValue(r)
		if !ok {
			return false
		}
		y = y*10 + d
	}
	return y < year
}

// pastSentence reports whether the language marks a sentence as a past
// result: an aspect 了, a comparison with last year, an estimate for the year
// ending, or a ranking of what was achieved.
func pastSentence(s []rune) bool {
	if pastMarks.in(s) {
		return true
	}
	for i, r := range s {
		if r != '了' {
			continue
		}
		p, n := rune(0), rune(0)
		if i > 0 {
			p = s[i-1]
		}
		if i+1 < len(s) {
			n = s[i+1]
		}
		if strings.ContainsRune("为除受罢不得免", p) || strings.ContainsRune("解结却如", n) {
			continue
		}
		return true
	}
	// An estimate (预计全省生产总值增长6.6%左右) is the year that ends,
	// unless the sentence speaks of what is to be done.
	if estimateMark.in(s) && !estimatePlanMarks.in(s) {
		return true
	}
	// Comparisons with last year and rankings report results, unless the
	// sentence also plans (比上年增长7%左右, 增速高于全省平均水平).
	// So does an amount with its growth in apposition (实现工业增加值1004.7
	// 亿元、增长11.4%): the way a review reports what was reached. A
	// comparison in brackets (新增就业1.2万人（上年1.1万人）) is a note on
	// the target, not a mark of the whole sentence.
	return weakPastMarks.inOutsideBrackets(s) && !planMarks.in(s)
}

// The words pastSentence looks for, indexed by their first rune so that a
// sentence is scanned once for each list.
var (
	pastMarks = newPhraseSet("去年", "过去", "历年", "预计完成", "预计全年", "预计实现", "预计达到", "预计可达", "刚刚", "较好地完成",
		"回顾", "近年来", "以来")
	estimateMark      = newPhraseSet("预计")
	estimatePlanMarks = newPhraseSet("将", "要", "力争", "确保", "计划", "争取", "今年", "明年")
	weakPastMarks     = func() *phraseSet {
		ws := []string{"上年", "同比", "已经", "全省第一", "全国第一", "全市第一", "居全省", "居全国", "位次", "高于全省", "高于全国", "高于全市",
			"圆满完成", "创历史新高", "历史最好", "全部摘帽", "全部出列", "全部销号"}
		for _, u := range []string{"元", "吨", "人", "户", "辆", "家", "个", "亩", "次"} {
			ws = append(ws, u+"、增长", u+"，增长")
		}
		return newPhraseSet(ws...)
	}()
	// 以上 after 规模 names a class of firms (规模以上工业), no comparator
	// of a plan; planMarks.in skips it there.
	planMarks = newPhraseSet("力争", "确保", "预期", "目标", "左右", "以上", "计划", "今年", "将", "要", "争取", "控制在", "年内", "努力")
)

// phraseSet finds any of a set of words in a text of runes in one pass.
type phraseSet struct {
	first   runeBits // first runes of the words, tested before the map
	byFirst map[rune][][]rune
}

func newPhraseSet(words ...string) *phraseSet {
	ws := &phraseSet{byFirst: map[rune][][]rune{}}
	for _, w := range words {
		r := []rune(w)
		ws.first.add(r[0])
		ws.byFirst[r[0]] = append(ws.byFirst[r[0]], r)
	}
	return ws
}

// at reports whether a word of the set starts at s[i].
func (ws *phraseSet) at(s []rune, i int) bool {
	if !ws.first.has(s[i]) {
		return false
	}
	for _, w := range ws.byFirst[s[i]] {
		if hasRunesAt(s, i, w) {
			if w[0] == '以' && len(w) == 2 && w[1] == '上' && i >= 2 && s[i-2] == '规' && s[i-1] == '模' {
				continue // 规模以上
			}
			return true
		}
	}
	return false
}

// in reports whether s contains a word of the set.
func (ws *phraseSet) in(s []rune) bool {
	for i := range s {
		if ws.at(s, i) {
			return true
		}
	}
	return false
}

// inOutsideBrackets is in for the part of s outside brackets.
func (ws *phraseSet) inOutsideBrackets(s []rune) bool {
	depth := 0
	for i, r := range s {
		switch r {
		case '（', '(':
			depth++
			continue
		case '）', ')':
			if depth > 0 {
				depth--
				continue
			}
		}
		if depth == 0 && ws.at(s, i) {
			return true
		}
	}
	return false
}

// opensReview reports whether a paragraph opens as a review of the past
// (这一年，我们…; 五年来; 过去一年): all its numbers are results. It is a
// backstop for reports whose review part the structure pass cannot find.
func opensReview(p []rune) bool {
	head := p[:min(len(p), 14)]
	if !slices.Contains(head, '年') && !slices.Contains(head, '过') && !slices.Contains(head, '回') {
		return false // every opener below holds one of these
	}
	s := strings.TrimSpace(stripEnumerator(string(head)))
	for _, w := range []string{"这一年", "这五年", "这三年", "一年来", "五年来", "三年来", "过去一年", "过去五年", "过去的一年", "过去的五年", "回顾过去"} {
		if strings.HasPrefix(s, w) {
			// 这一年，我们将…: the year ahead, spoken of as a plan.
			return !resumeMarks.in(p[:min(len(p), 16)])
		}
	}
	return false
}

// pastHorizon reports whether a clause sets its numbers at a year before
// the plan's (增长到2020年的3.6万亿元): results reached. 截至2022年底 is
// left to the as-of rule, which ends where the plan resumes.
func pastHorizon(s []rune, year int) bool {
	if year == 0 {
		return false
	}
	for i := 0; i+5 < len(s); i++ {
		if s[i] != '到' && s[i] != '至' || i > 0 && (s[i-1] == '截' || s[i-1] == '止') {
			continue
		}
		y := 0
		for _, r := range s[i+1 : i+5] {
			d, ok := digitValue(r)
			if !ok {
				y = -1
				break
			}
			y = y*10 + d
		}
		if y > 0 && s[i+5] == '年' && y < year && y > year-30 {
			return true
		}
	}
	return false
}

// framesYears reports whether a clause opens a frame of several years that
// covers the clauses after it: 力争通过3年努力, 用两年时间, 今后五年.
func framesYears(c []rune) bool {
	for i := 1; i < len(c); i++ {
		if c[i] != '年' {
			continue
		}
		k := i
		for k > 0 && (isDigit(c[k-1]) || isChineseNumeral(c[k-1])) {
			k--
		}
		if k == i || i-k > 2 {
			continue
		}
		v, ok := chineseValue(c[k:i])
		if isDigit(c[k]) {
			n, okA := parseArabic(c, k)
			v, ok = n.value, okA
		}
		if !ok || v < 2 || v > 10 {
			continue
		}
		before := string(c[max(0, k-2):k])
		after := string(c[i+1:])
		for _, w := range []string{"通过", "用", "经过", "花", "再用", "未来", "今后"} {
			if strings.HasSuffix(before, w) {
				return true
			}
		}
		for _, w := range []string{"努力", "时间", "左右时间"} {
			if strings.HasPrefix(after, w) {
				return true
			}
		}
	}
	return false
}

// resumesPlan reports whether a clause speaks of what is to be done again
// (今年将再建1万个), ending a stretch of 截至… facts.
func resumesPlan(c []rune) bool { return resumeMarks.in(c) }

// The marks the clause loop of paragraphTargets reads.
var (
	asOfMarks     = newPhraseSet("截至", "截止")
	resumeMarks   = newPhraseSet("将", "要", "力争", "确保", "明年", "年内", "今年", "争取")
	thisYearMarks = newPhraseSet("今年", "年内", "全年", "当年", "本年度")
	meanMark      = newPhraseSet("年均")
	doneAfterMark = newPhraseSet("累计", "达", "有", "超")
)

// donePerfect reports whether a clause states what has already been done
// (已完成投资12亿元, 已建成): 已 before a verb of plan work.
func donePerfect(r []rune) bool {
	for k := 0; k+1 < len(r); k++ {
		if r[k] != '已' {
			continue
		}
		if k > 0 && strings.ContainsRune("而早业", r[k-1]) {
			continue // 而已, 早已 is past too, but 业已 …: keep to the plain 已
		}
		rest := r[k+1:]
		if len(rest) > 0 && rest[0] == '经' {
			return true
		}
		if v := leadingVerbRunes(rest); v != "" {
			return true
		}
		if doneAfterMark.at(rest, 0) {
			return true
		}
	}
	return false
}

// withoutBrackets removes bracketed notes from s.
func withoutBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '（', '(':
			depth++
			continue
		case '）', ')':
			if depth > 0 {
				depth--
				continue
			}
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// inPastNote reports whether the number at rs[at] stands in a bracketed note
// about an earlier year (（上年实际增长5.5%）, （同比增加1000人）).
func inPastNote(rs []rune, a, at int) bool {
	open := -1
	for k := at - 1; k >= a; k-- {
		if rs[k] == '）' || rs[k] == ')' {
			return false
		}
		if rs[k] == '（' || rs[k] == '(' {
			open = k
			break
		}
	}
	if open < 0 {
		return false
	}
	end := at
	for end < len(rs) && end < at+maxClause && rs[end] != '）' && rs[end] != ')' && rs[end] != '\n' {
		end++
	}
	note := string(rs[open:end])
	for _, w := range []string{"上年", "去年", "同比", "同期", "实际"} {
		if strings.Contains(note, w) {
			return true
		}
	}
	return false
}

// opensWithMultiYear reports whether a sentence opens with a frame of
// several years (今后五年, 未来三年, “十四五”时期): its numbers are not
// this year's.
func opensWithMultiYear(s []rune) bool {
	str := strings.TrimLeft(string(s[:min(len(s), 12)]), " 　“\"")
	for _, w := range []string{"今后五年", "今后三年", "未来五年", "未来三年", "今后几年", "未来几年", "十四五”时期", "十四五”期间", "十五五”时期", "十五五”期间", "十四五时期", "十四五期间", "十五五时期", "十五五期间"} {
		if strings.HasPrefix(str, w) {
			return true
		}
	}
	return false
}

// prefixComparator reads a comparator from the words just before a number.
func prefixComparator(pre string) string {
	pre = strings.TrimSpace(pre)
	tail := lastRunes(pre, 8)
	for _, c := range []struct{ w, c string }{
		{"不超过", CmpLE}, {"不高于", CmpLE}, {"不大于", CmpLE}, {"不多于", CmpLE},
		{"不少于", CmpGE}, {"不低于", CmpGE}, {"不小于", CmpGE}, {"至少", CmpGE}, {"超过", CmpGE}, {"突破", CmpGE}, {"多于", CmpGE}, {"大于", CmpGE},
		{"低于", CmpLE}, {"少于", CmpLE}, {"小于", CmpLE},
	} {
		if strings.Contains(tail, c.w) {
			return c.c
		}
	}
	for _, c := range []struct{ w, c string }{{"超", CmpGE}, {"约", CmpApprox}, {"近", CmpApprox}, {"大约", CmpApprox}, {"接近", CmpApprox}, {"将近", CmpApprox}} {
		if strings.HasSuffix(pre, c.w) {
			return c.c
		}
	}
	return ""
}

// comparatorOf combines the comparators before and after a number.
func comparatorOf(prefix, suffix, pre string) string {
	switch {
	case suffix == CmpApprox:
		return CmpApprox // 控制在1.8左右
	case suffix != "":
		return suffix
	case prefix != "":
		return prefix
	case strings.Contains(pre, "控制在") || strings.Contains(pre, "控制到"):
		return CmpLE
	}
	return CmpEq
}

func lastRunes(s string, n int) string {
	k := len(s)
	for ; n > 0 && k > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:k])
		k -= size
	}
	return s[k:]
}

// changeVerb reports the direction of the change verb that ends the words
// before a number: +1 for 增长/提高, -1 for 下降/降低, 0 for none or for a
// change to a level (提高到).
func changeVerb(pre string) int {
	p := strings.TrimSpace(pre)
	for _, c := range []string{"左右", "以上"} {
		p = strings.TrimSuffix(p, c)
	}
	for _, w := range []string{"不少于", "不低于", "不超过", "至少", "超过", "约", "近", "超", "达", "分别", "均", "各", "都", "年均", "平均"} {
		p = strings.TrimSuffix(p, w)
	}
	for _, w := range []string{"到", "至", "为", "在"} {
		if strings.HasSuffix(p, w) {
			return 0
		}
	}
	for _, w := range []string{"年均增长", "增长", "增加", "提高", "提升", "上升", "上涨", "增速", "涨幅", "增幅", "扩大", "递增"} {
		if strings.HasSuffix(p, w) {
			return 1
		}
	}
	for _, w := range []string{"下降", "降低", "减少", "回落", "压减", "削减", "递减", "缩减", "降幅"} {
		if strings.HasSuffix(p, w) {
			return -1
		}
	}
	return 0
}

// isChangeIndicator reports whether an indicator names a rate of change
// (居民消费价格涨幅): its percentages are growth even after 控制在.
func isChangeIndicator(pre string) bool {
	p := trimIndicator(pre, false)
	for _, w := range []string{"增速", "涨幅", "增幅", "增长速度"} {
		if strings.HasSuffix(p, w) {
			return true
		}
	}
	return false
}

// isRatioIndicator reports whether a unitless number is a ratio (城乡收入比1.8).
func isRatioIndicator(pre string) bool {
	p := trimIndicator(pre, false)
	for _, w := range []string{"比", "系数", "指数", "比值", "比例", "倍数"} {
		if strings.HasSuffix(p, w) && len([]rune(p)) > len([]rune(w)) {
			return true
		}
	}
	return false
}

// endsWithVerbOrCmp reports whether the words before a number end with a
// verb or a comparator, as a count must (至少新增一家, 打造一个).
func endsWithVerbOrCmp(pre string) bool {
	p := strings.TrimSpace(pre)
	for _, w := range []string{"至少", "不少于", "不低于", "超过", "新增", "达到", "达"} {
		if strings.HasSuffix(p, w) {
			return true
		}
	}
	r := []rune(p)
	for k := len(r) - 1; k >= 0 && k >= len(r)-4; k-- {
		if _, ok := verbSet[string(r[k:])]; ok {
			return true
		}
	}
	return false
}

// endsWithAction reports whether a phrase names its own action after the
// thing (危桥改造, 道路硬化), so a list verb does not distribute onto it.
func endsWithAction(p string) bool {
	r := []rune(p)
	for k := len(r) - 2; k >= 1 && k >= len(r)-4; k-- {
		if v := leadingVerbRunes(r[k:]); v != "" && len([]rune(v)) == len(r)-k {
			return true
		}
	}
	return false
}

// verbNearStart reports whether a phrase has a verb of its own after a short
// modifier (配套建设污水管网), so that a list verb does not go onto it.
func verbNearStart(p string) bool {
	r := []rune(p)
	for k := 1; k < len(r)-1 && k <= 2; k++ {
		if v := leadingVerbRunes(r[k:]); v != "" && !isLightVerb(v) && k+len([]rune(v)) < len(r) {
			return true
		}
	}
	return false
}

// hasOwnPredicate reports whether the words before a number carry their own
// verb or comparator, so a list verb does not distribute onto them.
func hasOwnPredicate(pre string) bool {
	p := stripLight(pre)
	return trimIndicator(p, true) != p || prefixComparator(p) != ""
}

// cleanPre removes what does not name the indicator from the words before a
// number: list joiners, light words (确保, 全年), and a list of proper names
// closed by 等. It returns the rest and its rune offset in pre.
func cleanPre(pre string) (string, int) {
	// Only what is cut from the front moves the span's start.
	r := []rune(strings.TrimRight(pre, " \t　"))
	off := 0
	// A list of names closed by 等: keep a verb that opens the clause.
	verb := ""
	if k := lastListEnd(r); k >= 0 {
		head := stripLight(string(r[:k]))
		verb = leadingVerb(head)
		if isLightVerb(verb) {
			verb = ""
		}
		off = k + 1
		r = r[k+1:]
	}
	s := string(r)
	before := len([]rune(s))
	s = stripEnumerator(s)
	s = stripLight(s)
	s = stripAdverbial(s)
	off += before - len([]rune(s))
	if verb != "" {
		// The span keeps to the words after the list; the indicator keeps
		// the verb (建成…等停车场 → 建成停车场).
		return verb + "\x00" + s, off
	}
	return s, off
}

// stripAdverbial removes an adverbial that opens a clause before its main
// verb: a prepositional phrase (按照“四个一”标准新建… → 新建…) or a place
// or scope (全市范围内新建… → 新建…).
func stripAdverbial(s string) string {
	r := []rune(s)
	prep := false
	for _, w := range []string{"按照", "依托", "围绕", "通过", "结合", "聚焦", "针对", "对照", "借助", "利用", "依据", "根据", "采取", "坚持"} {
		if strings.HasPrefix(s, w) {
			prep = true
			break
		}
	}
	for k := 1; k < len(r)-1; k++ {
		v := leadingVerbRunes(r[k:])
		if v == "" || isLightVerb(v) {
			continue
		}
		head := string(r[:k])
		if prep || strings.HasSuffix(head, "内") || strings.HasSuffix(head, "中") || strings.HasSuffix(head, "范围") {
			if len([]rune(v)) <= len(r)-k {
				return string(r[k:])
			}
		}
		break
	}
	// A frame named before the main verb without a comma: 实施农村人居环境
	// 整治行动新建公厕100座 → 新建公厕.
	for k := 2; k < len(r)-2; k++ {
		v := leadingVerbRunes(r[k:])
		if v == "" || isLightVerb(v) || len([]rune(v)) < 2 {
			continue
		}
		head := string(r[:k])
		for _, w := range []string{"行动", "工程", "战略", "计划", "活动", "攻坚战", "契机", "抓手", "要求", "标准", "目标", "机制", "模式", "政策", "为重点", "为主线", "为引领"} {
			if strings.HasSuffix(head, w) {
				return string(r[k:])
			}
		}
	}
	return s
}

// stripEnumerator removes an item number that opens a paragraph or list
// item: 1. 2． (3) （三） 一、 一是 其次.
func stripEnumerator(s string) string {
	s = strings.TrimSpace(s)
	if c, _ := utf8.DecodeRuneInString(s); !isDigit(c) && !isChineseNumeral(c) && !strings.ContainsRune("(（首其再最第", c) && !(c >= '①' && c <= '⑳' || c >= '⑴' && c <= '⒇') {
		return s // no item number can open s
	}
	r := []rune(s)
	if len(r) > 1 && (r[0] >= '①' && r[0] <= '⑳' || r[0] >= '⑴' && r[0] <= '⒇') {
		return strings.TrimSpace(string(r[1:])) // ① ⑴: circled and bracketed item numbers
	}
	k := 0
	for k < len(r) && (isDigit(r[k]) || isChineseNumeral(r[k])) {
		k++
	}
	switch {
	case k > 0 && k < len(r) && strings.ContainsRune(".．、)）", r[k]):
		return strings.TrimSpace(string(r[k+1:]))
	case k > 0 && k < len(r) && r[k] == '是':
		return strings.TrimSpace(string(r[k+1:]))
	case len(r) > 2 && strings.ContainsRune("(（", r[0]):
		j := 1
		for j < len(r) && (isDigit(r[j]) || isChineseNumeral(r[j])) {
			j++
		}
		if j > 1 && j < len(r) && strings.ContainsRune(")）", r[j]) {
			return strings.TrimSpace(string(r[j+1:]))
		}
	}
	str := string(r)
	for _, w := range []string{"首先", "其次", "再次", "最后", "第一", "第二", "第三", "第四", "第五"} {
		if rest, ok := strings.CutPrefix(str, w); ok {
			return strings.TrimLeft(rest, "，, ")
		}
	}
	return str
}

// lastListEnd returns the index of the 等 that closes a list of names, or -1.
func lastListEnd(r []rune) int {
	for k := len(r) - 1; k > 0; k-- {
		if r[k] != '等' {
			continue
		}
		if strings.ContainsRune("平同对相均次", r[k-1]) || k+1 < len(r) && strings.ContainsRune("级同", r[k+1]) {
			continue
		}
		return k
	}
	return -1
}

// lightWords open a clause without naming anything.
var lightWords = []string{
	"其中", "并且", "并", "同时", "还将", "还要", "将", "要", "拟", "确保", "力争", "争取", "努力", "全力", "计划",
	"全年", "年内", "今年底", "今年", "本年度", "当年", "年度", "到年底", "年底", "年末", "全市", "全区", "全县", "全省", "全镇", "全州", "全旗",
	"完成", "实现", "实施", "开展", "推进", "加快", "突出", "重点", "进一步", "持续", "积极", "大力", "着力",
	"深入", "不断", "继续", "稳步", "扎实", "切实", "共", "累计", "再", "为", "对", "向", "使", "让", "把", "在",
	"和", "及", "与", "以及", "、", "（", "(", "在市区", "抓好", "做好", "新一轮", "我们", "我市", "我区", "我县",
}

// stripLight removes light words and joiners from the start of s, and the
// subject or year that opens a news sentence (该县, 2023年).
func stripLight(s string) string {
	s = strings.TrimSpace(s)
	for {
		var r [5]rune // the first runes of s, enough for the tests below
		n := 0
		for _, c := range s {
			if n == len(r) {
				break
			}
			r[n] = c
			n++
		}
		if n >= 2 && (r[0] == '该' || r[0] == '我') && strings.ContainsRune("省市县区镇乡州旗", r[1]) {
			s = s[utf8.RuneLen(r[0])+utf8.RuneLen(r[1]):]
			continue
		}
		if rest, ok := cutPlaceSubject(s); ok {
			s = rest
			continue
		}
		if n == 5 && isDigit(r[0]) && isDigit(r[3]) && r[4] == '年' && len(s) > yearPrefixLen(r) {
			s = strings.TrimPrefix(s[yearPrefixLen(r):], "度")
			continue
		}
		changed := false
		for _, w := range lightByFirst[r[0]] {
			rest, ok := strings.CutPrefix(s, w)
			if !ok {
				continue
			}
			// Keep a content verb that starts with a light character
			// (实现脱贫 is a predicate only when nothing follows it).
			if w == "抓好" || w == "做好" || w == "重点" || w == "突出" || w == "计划" {
				if leadingVerb(rest) == "" && rest != "" {
					continue
				}
			}
			s = rest
			changed = true
			break
		}
		if !changed {
			return strings.TrimSpace(s)
		}
	}
}

// cutPlaceSubject removes a place named as the subject of a sentence when a
// word of time or intent follows it (吉林省今年将新建, 某某市将改造, 某某区
// 今年新增): the place is who commits, not what is counted. A 区, 镇 or 乡
// must be followed by a word of time, since 老旧小区将改造 names the thing
// itself; a name holding a verb (新建园区) is no place.
func cutPlaceSubject(s string) (string, bool) {
	// Read by byte offsets without a rune slice: stripLight calls this for
	// every stretch before a number.
	k := 0
	for i, c := range s {
		if k > 8 {
			break
		}
		if k == 0 || !isPlaceSuffix(c) {
			if c < 0x4E00 || c > 0x9FFF || isChineseNumeral(c) && c != '一' {
				return s, false
			}
			k++
			continue
		}
		head, rest := s[:i+utf8.RuneLen(c)], s[i+utf8.RuneLen(c):]
		k++
		if rest == "" {
			return s, false
		}
		timeWord := false
		for _, w := range []string{"今年", "年内", "全年", "明年", "本年度"} {
			if strings.HasPrefix(rest, w) {
				timeWord = true
			}
		}
		modal := false
		for _, w := range []string{"将", "要", "计划", "力争", "确保", "拟"} {
			if strings.HasPrefix(rest, w) {
				modal = true
			}
		}
		if !timeWord && !(modal && strings.ContainsRune("省市县州旗盟", c)) {
			continue
		}
		for _, w := range placeLikeNouns {
			if strings.HasSuffix(head, w) {
				return s, false // 社区今年新增, 城市将建成: a common noun, the thing itself
			}
		}
		hr := []rune(head)
		for j := range hr {
			if leadingVerbRunes(hr[j:]) != "" {
				return s, false
			}
		}
		return rest, true
	}
	return s, false
}

// isPlaceSuffix reports whether c ends the name of an administrative place.
func isPlaceSuffix(c rune) bool {
	switch c {
	case '省', '市', '县', '州', '旗', '盟', '区', '镇', '乡':
		return true
	}
	return false
}

// placeLikeNouns end in a character of places but are common nouns.
var placeLikeNouns = []string{"社区", "小区", "园区", "景区", "城区", "市区", "街区", "片区", "新区", "开发区", "示范区", "试验区",
	"保护区", "功能区", "校区", "库区", "山区", "灾区", "牧区", "矿区", "城市", "超市", "都市", "集市", "城乡", "城镇", "乡镇",
	"集镇", "村镇", "小镇", "重镇"}

// yearPrefixLen is the length in bytes of the year r[:5] (2023年).
func yearPrefixLen(r [5]rune) int {
	n := 0
	for _, c := range r {
		n += utf8.RuneLen(c)
	}
	return n
}

func isLightVerb(v string) bool { return lightSet[v] }

// lightByFirst indexes lightWords by their first rune, in their order;
// lightSet holds them for a membership test.
var lightByFirst, lightSet = func() (map[rune][]string, map[string]bool) {
	by, set := map[rune][]string{}, map[string]bool{}
	for _, w := range lightWords {
		r, _ := utf8.DecodeRuneInString(w)
		by[r] = append(by[r], w)
		set[w] = true
	}
	return by, set
}()

// byLastRune indexes words by their last rune, in their order, so that a
// suffix test looks at a handful of them.
func byLastRune(words []string) map[rune][]string {
	by := map[rune][]string{}
	for _, w := range words {
		r, _ := utf8.DecodeLastRuneInString(w)
		by[r] = append(by[r], w)
	}
	return by
}

var trailingByLast, changeByLast = byLastRune(trailingWords), byLastRune(changeWords)

// trimSuffixFrom cuts the first word of by[last rune of s] that ends s.
func trimSuffixFrom(s string, by map[rune][]string) (string, bool) {
	r, _ := utf8.DecodeLastRuneInString(s)
	for _, w := range by[r] {
		if t, ok := strings.CutSuffix(s, w); ok {
			return t, true
		}
	}
	return s, false
}

// trailingWords close the words before a number without naming anything:
// comparators, linking verbs and adverbs.
var trailingWords = []string{
	"不少于", "不低于", "不小于", "不超过", "不高于", "不大于", "至少", "超过", "突破", "多于", "大于", "少于", "低于", "小于",
	"控制在", "控制到", "保持在", "稳定在", "维持在", "达到", "达", "提高到", "提高至", "提升到", "提升至", "增加到", "增加至",
	"增长到", "增长至", "降低到", "降低至", "下降到", "下降至", "降至", "降到", "减少到", "减少至", "缩短至", "缩短到",
	"压缩至", "压缩到", "扩大到", "扩大至", "上升到", "上升至", "缩小到", "缩小至", "缩小为", "到", "至", "为", "约", "近", "超", "大约", "接近", "将近",
	"分别", "均", "各", "都", "共", "累计", "总计", "合计", "年均", "平均", "力争", "确保", "以上", "左右",
	"保持", "稳定", "维持", "控制", "年产", "全部", "每人每年", "每人每月", "每人", "每月",
}

// changeWords close the words before a growth rate.
var changeWords = []string{"年均增长", "增长", "增加", "提高", "提升", "上升", "上涨", "下降", "降低", "减少", "回落", "递增", "递减",
	"压减", "削减", "缩减", "比上年", "较上年", "比去年", "同比"}

// trimIndicator removes comparators and, for growth, the change verb from the
// end of the words before a number.
func trimIndicator(pre string, growth bool) string {
	verb := ""
	if k := strings.IndexByte(pre, 0); k >= 0 {
		verb, pre = pre[:k], pre[k+1:]
	}
	s := strings.TrimSpace(pre)
	for {
		t, changed := trimSuffixFrom(s, trailingByLast)
		if !changed && growth {
			t, changed = trimSuffixFrom(s, changeByLast)
		}
		if !changed {
			t, changed = trimModal(s)
		}
		s = strings.TrimRight(t, "、，, ")
		if !changed {
			break
		}
	}
	s = cutComparisonBase(s)
	// Adverbs of time and effort inside the phrase name nothing either:
	// 每个县年内至少打造 → 每个县打造.
	for _, w := range []string{"年内", "今年", "至少", "力争", "确保"} {
		if k := strings.Index(s, w); k > 0 && k+len(w) < len(s) {
			s = s[:k] + s[k+len(w):]
		}
	}
	return verb + s
}

// trimModal cuts a modal or time word that closes an indicator (总里程将,
// 覆盖率要, 产量今年): it says when or how surely, not what. 要 ends
// nouns too (主要, 重要, 需要), which keep it.
func trimModal(s string) (string, bool) {
	for _, w := range []string{"还将", "将要", "也将", "预计将", "将", "今年", "年内", "全年"} {
		if t, ok := strings.CutSuffix(s, w); ok && t != "" {
			return t, true
		}
	}
	if t, ok := strings.CutSuffix(s, "要"); ok && t != "" {
		if r, _ := utf8.DecodeLastRuneInString(t); !strings.ContainsRune("主重需必纲概首摘只", r) {
			return t, true
		}
	}
	return s, false
}

// cutComparisonBase removes a baseline that closes an indicator: 由30%
// (由30%提高到35%) or 比2020年, 较上年 (比2020年下降13.5%).
func cutComparisonBase(s string) string {
	r := []rune(s)
	for k := len(r) - 2; k >= 0; k-- {
		switch r[k] {
		case '由', '从':
			if isDigit(r[k+1]) {
				return strings.TrimSpace(string(r[:k]))
			}
		case '比', '较':
			rest := string(r[k+1:])
			for _, w := range []string{"上年", "去年", "上年同期", "同期"} {
				if rest == w {
					return strings.TrimSpace(string(r[:k]))
				}
			}
			rest = strings.TrimSuffix(strings.TrimSuffix(rest, "底"), "末")
			if rr := []rune(rest); len(rr) == 5 && rr[4] == '年' && isDigit(rr[0]) && isDigit(rr[3]) {
				return strings.TrimSpace(string(r[:k]))
			}
		}
	}
	return s
}

// verbs of plan work, longest first when matched at the start of a phrase.
var planVerbs = []string{
	"新改扩建", "新改迁建", "新发展", "改扩建", "新建改建", "新建", "新增", "新开工", "新培育", "新认定", "新招引", "启动建设", "开工建设", "巩固提升", "改造提升", "提升改造",
	"建设", "建成", "改造", "改建", "扩建", "打造", "培育", "壮大", "创建", "创成", "完成", "实施", "开展", "推进", "治理", "盘活", "启动",
	"巩固", "提升", "硬化", "整治", "整合", "选择", "资助", "安排", "引进", "招引", "培训", "发放", "提供", "举办", "组织",
	"开工", "竣工", "投入", "实现", "修缮", "修复", "铺设", "敷设", "安装", "配备", "设立", "设置", "开通", "建立", "创办",
	"增加", "减少", "淘汰", "关停", "取缔", "搬迁", "扶持", "救助", "慰问", "种植", "植树", "造林", "绿化", "亮化", "美化",
	"抓好", "发展", "增设", "开设", "认定", "评选", "推广", "覆盖", "接入", "落实", "转移", "吸纳", "带动", "解决", "消除",
	"清理", "拆除", "筹集", "争创", "储备", "签约", "落地", "惠及", "救治", "筛查", "培养", "招聘", "补贴", "补助", "认证",
	"升级", "扩容", "挂牌", "修建", "维修", "翻新", "疏浚", "清淤", "制定", "出台", "建好", "办好", "服务", "保障", "帮助",
	"吸引", "引导", "支持", "奖励", "指导", "帮扶", "扶贫", "脱贫", "安置", "收储", "供应", "出让", "征收", "整理", "复垦",
	"新植", "补植", "栽植", "营造", "播种", "建档立卡", "接种", "开发", "帮办", "办理", "受理", "办结", "审批", "培植", "引育",
	"招募", "录用", "招收", "招生", "新开", "开辟", "优化", "调整", "恢复", "保护", "监测", "检测", "抽检", "排查", "整改",
	"查处", "创作", "演出", "放映", "续建", "打通", "贯通", "完善", "提档", "升级改造", "新改建", "维修改造", "整治提升",
	"建设改造", "新建改造", "改造建设", "提质改造", "配置", "招商", "引入", "孵化", "选派", "派驻", "聘请", "发放",
	"送", "建", "改", "修", "种", "办",
}

var verbSet = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, v := range planVerbs {
		m[v] = struct{}{}
	}
	return m
}()

// verbsByFirst indexes the plan verbs by their first character, longest
// first, so that a prefix test looks at a handful of words.
var verbsByFirst = func() map[rune][][]rune {
	m := map[rune][][]rune{}
	for _, v := range planVerbs {
		r := []rune(v)
		m[r[0]] = append(m[r[0]], r)
	}
	for _, vs := range m {
		sort.Slice(vs, func(i, j int) bool { return len(vs[i]) > len(vs[j]) })
	}
	return m
}()

// leadingVerb returns the plan verb that opens s, or "".
func leadingVerb(s string) string {
	if k := strings.IndexByte(s, 0); k >= 0 {
		return s[:k]
	}
	return leadingVerbRunes([]rune(s))
}

// leadingVerbRunes is leadingVerb on runes. A one-character verb is not
// reported: it may be the first character of a noun.
func leadingVerbRunes(r []rune) string {
	if len(r) == 0 {
		return ""
	}
	for _, v := range verbsByFirst[r[0]] {
		if len(v) < 2 {
			return ""
		}
		if len(v) <= len(r) && string(r[:len(v)]) == string(v) {
			return string(v)
		}
	}
	return ""
}
