package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// The structure pass reads the layout conventions of Chinese official writing
// (GB/T 9704 and common practice):
//
//   - A document opens with a title block: title, subtitle, date or byline,
//     sometimes "key: value" metadata. It ends at the first body paragraph.
//   - Headings are either numbered, in the fixed hierarchy 一、 > (一) > 1. >
//     (1) > ①, optionally under 第X部分/第X章/第X节, or unnumbered short
//     lines, which in press versions come in pairs ("服务保障转型综改" /
//     "汇聚融合发展动能") and head the top level.
//   - A section opens with an intro paragraph; its tasks are paragraphs that
//     open with a short lead sentence ("织密社会保障网络。") and go on.
//   - A numbered paragraph that carries its own body ("1.城市改造工程。开工…")
//     is a task, unless task paragraphs follow it: then it heads a section.
//   - A work report reviews the past year before it plans the coming one; the
//     review's numbers are results, not commitments.
//   - A report ends with a rallying call ("…谱写新篇章"), which is no task.

// structure is what the structure pass finds.
type structure struct {
	title      string
	sections   []Section
	tasks      []Task
	paragraphs []Paragraph
	flags      []Flag
}

type blockKind uint8

const (
	blockBody         blockKind = iota // a body paragraph
	blockHeading                       // an unnumbered heading line; consecutive ones pair up
	blockNumbered                      // a numbered heading on a line of its own
	blockNumberedBody                  // a numbered paragraph: number, lead sentence, body
	blockMeta                          // title block, byline, date, metadata, credit line
)

// block is one non-blank line of the (rejoined) text.
type block struct {
	start, end int // rune offsets, trimmed of white space
	kind       blockKind
	rank       int  // heading style rank, see the rank* constants
	marker     int  // runes of the number marker (numbered kinds)
	lead       int  // runes of the opening lead sentence with its 。 (after the marker), 0 if none
	complete   bool // ends with a finished sentence
	task       bool // a task candidate: opens with a lead sentence, or a numbered item
	head       bool // the heading of an event (a section)
	dup        bool // a repeated copy of a passage found elsewhere
	closing    bool // part of the closing call of the document
}

func (b block) body() bool { return b.kind == blockBody || b.kind == blockNumberedBody }

// Heading style ranks: a smaller rank encloses a larger one.
const (
	rankClosing    = -1 // the closing call: closes every section
	rankReportPart = 0  // a single unnumbered line naming a part: 今年工作安排
	rankUnnumbered = 1  // other unnumbered heading lines, paired or single
	rankPart       = 2  // 第一部分, 第一篇
	rankChapter    = 3  // 第一章
	rankSection    = 4  // 第一节
	rankCNComma    = 5  // 一、
	rankCNParen    = 6  // (一)
	rankDigitDot   = 7  // 1. 1、
	rankDigitParen = 8  // (1)
	rankCircled    = 9  // ①
)

// event opens a section at a block (or, for rankClosing, closes them all).
// Normally the section starts at its heading. When the heading was displaced
// (findLostHeadings), at is the intro that lost it and heads stand later,
// inside the section's extent: Section.Text is then found within
// [Start, End), not at Start.
type event struct {
	at     int   // first block of the section: its heading, or the intro that lost it
	heads  []int // heading blocks
	rank   int
	title  string
	inline bool // the heading is a numbered paragraph that opens the body too
}

// parseStructure finds title, sections, tasks, paragraphs and structural
// flags in rejoined, normalised text.
func parseStructure(text string) structure {
	runes := []rune(text)
	p := &parser{runes: runes}
	p.split()
	p.titleBlock()
	p.trailer()
	p.findEvents()
	p.findClosing()
	p.findDuplicates()
	p.findLostHeadings()
	return p.build()
}

// parser holds the state of one structure pass.
type parser struct {
	runes  []rune
	blocks []block
	events []event
	title  string
	flags  []Flag
}

func (p *parser) text(s, e int) string { return string(p.runes[s:e]) }

func (p *parser) r(i int) []rune { return p.runes[p.blocks[i].start:p.blocks[i].end] }

// split cuts the text into blocks and classifies each by its shape alone.
func (p *parser) split() {
	for _, sp := range nonBlankLines(p.runes) {
		r := p.runes[sp.start:sp.end]
		b := block{start: sp.start, end: sp.end, complete: endsSentence(r)}
		if rank, n, ok := numberMarker(r); ok {
			b.rank, b.marker = rank, n
			rest := r[n:]
			if !hasSentenceMark(rest) && len(rest) <= 50 {
				b.kind = blockNumbered
			} else {
				b.kind = blockNumberedBody
				b.lead = leadLen(rest, maxNumberedLeadRunes)
			}
		} else if headingShape(r, maxHeadingRunes) {
			b.kind = blockHeading
		} else {
			b.lead = leadLen(r, maxLeadRunes)
			b.task = b.lead > 0
		}
		p.blocks = append(p.blocks, b)
	}
}

// titleBlock finds the lines before the first body paragraph (title,
// subtitle, date, byline, metadata), takes the title from them, and marks
// them as metadata unless they head a section that starts the text at once.
func (p *parser) titleBlock() {
	n := 0
	var metaTitle string
	for n < len(p.blocks) {
		b := p.blocks[n]
		r := p.r(n)
		if b.kind == blockNumbered || b.kind == blockNumberedBody {
			break
		}
		if k, v, ok := metadataLine(r); ok {
			if (k == "标题" || k == "题目" || k == "标 题") && metaTitle == "" {
				metaTitle = v
			}
		} else if !(headingShape(r, 60) || labelLine(r) || isByline(r)) {
			break
		}
		n++
	}
	if n == 0 {
		return
	}
	// The last lines of the block may head the first section rather than
	// the document: a line naming a part of a report ("过去一年工作回顾"),
	// or heading lines that tasks follow (an excerpt, or a title followed at
	// once by a paired section heading).
	k := 0
	isHead := func(i int) bool { return p.blocks[i].kind == blockHeading && !isByline(p.r(i)) }
	if t := p.headingTitle(n-1, n); isHead(n-1) && (isReviewTitle(t) || isPlanTitle(t)) {
		k = 1
	} else if p.regionHasTask(n) {
		for k < 2 && k < n && isHead(n-1-k) {
			k++
		}
	}
	if k == n {
		if t := p.headingTitle(0, n); !isReviewTitle(t) { // the review is no name for the whole document
			p.title = t
		}
		return
	}
	n -= k
	for i := 0; i < n; i++ {
		p.blocks[i].kind = blockMeta
	}
	if metaTitle != "" {
		p.title = metaTitle
		return
	}
	for i := 0; i < n; i++ {
		r := p.r(i)
		if !headingShape(r, 60) || isByline(r) {
			continue
		}
		p.title = strings.TrimSpace(string(r))
		if i+1 < n {
			sub := p.r(i + 1)
			if headingShape(sub, 60) && !isDateLine(sub) && !isURL(sub) {
				s := strings.TrimSpace(string(sub))
				if !strings.HasPrefix(s, "—") {
					s = "——" + s
				}
				p.title += s
			}
		}
		return
	}
}

// regionHasTask reports whether a task paragraph follows block i before the
// next heading.
func (p *parser) regionHasTask(i int) bool {
	for ; i < len(p.blocks); i++ {
		b := p.blocks[i]
		switch {
		case b.kind == blockBody && b.task:
			return true
		case b.kind != blockBody:
			return false
		}
	}
	return false
}

// deeperItemFollows reports whether the first numbered block after block i
// (past body paragraphs that are no tasks) is numbered in a deeper style:
// "一、扩大需求。…" followed by "(一)稳投资。…".
func (p *parser) deeperItemFollows(i int) bool {
	for j := i + 1; j < len(p.blocks); j++ {
		b := p.blocks[j]
		switch b.kind {
		case blockNumbered, blockNumberedBody:
			return b.rank > p.blocks[i].rank
		case blockBody:
			if b.task {
				return false
			}
		default:
			return false
		}
	}
	return false
}

// trailer marks heading-like lines after the last body paragraph (a credit
// line, a signature) as metadata: a heading heads something.
func (p *parser) trailer() {
	for i := len(p.blocks) - 1; i >= 0; i-- {
		b := &p.blocks[i]
		if b.body() {
			return
		}
		if b.kind == blockHeading || b.kind == blockNumbered {
			b.kind = blockMeta
		}
	}
}

// findEvents turns heading lines into section openings.
func (p *parser) findEvents() {
	for i := 0; i < len(p.blocks); i++ {
		b := p.blocks[i]
		switch b.kind {
		case blockHeading:
			// Unnumbered heading lines pair up; an odd one out stands alone
			// first ("今年工作安排" over a paired heading).
			j := i
			for j < len(p.blocks) && p.blocks[j].kind == blockHeading {
				j++
			}
			k := i
			if (j-i)%2 == 1 {
				t := p.headingTitle(k, k+1)
				rank := rankUnnumbered
				if isReviewTitle(t) || isPlanTitle(t) {
					rank = rankReportPart // encloses the pillars that follow
				}
				p.addEvent(event{at: k, heads: []int{k}, rank: rank, title: t})
				k++
			}
			for ; k+1 < j; k += 2 {
				p.addEvent(event{at: k, heads: []int{k, k + 1}, rank: rankUnnumbered, title: p.headingTitle(k, k+2)})
			}
			i = j - 1
		case blockNumbered:
			p.addEvent(event{at: i, heads: []int{i}, rank: b.rank, title: p.headingTitle(i, i+1)})
		case blockNumberedBody:
			// A numbered paragraph heads a section when task paragraphs or
			// deeper numbered items follow it; otherwise it is an item (a
			// task) itself.
			if b.lead > 0 && (p.regionHasTask(i+1) || p.deeperItemFollows(i)) {
				p.addEvent(event{at: i, heads: []int{i}, rank: b.rank, inline: true, title: p.headingTitle(i, i+1)})
			} else {
				p.blocks[i].task = true
			}
		}
	}
}

func (p *parser) addEvent(e event) {
	for _, h := range e.heads {
		p.blocks[h].head = true
	}
	p.events = append(p.events, e)
}

// headingTitle is the title of the heading on blocks [from, to): the lines
// joined with a space, the number marker and a final 。 dropped.
func (p *parser) headingTitle(from, to int) string {
	parts := make([]string, 0, to-from)
	for i := from; i < to; i++ {
		b := p.blocks[i]
		r := p.r(i)[b.marker:]
		if b.kind == blockNumberedBody && b.lead > 0 {
			r = r[:b.lead]
		}
		parts = append(parts, strings.TrimRight(strings.TrimSpace(string(r)), "。.:："))
	}
	return strings.Join(parts, " ")
}

// closingWords mark the rallying call that ends a report or plan.
var closingWords = []string{"谱写", "新篇章", "新辉煌", "而努力奋斗", "而不懈奋斗", "让我们", "以优异的成绩", "以优异成绩"}

// findClosing marks the closing call: the last body paragraphs, when they
// hold its words, belong to no section and are no tasks.
func (p *parser) findClosing() {
	if len(p.events) == 0 {
		return
	}
	first := -1
	seen := 0
	for i := len(p.blocks) - 1; i > p.events[len(p.events)-1].at && seen < 2; i-- {
		b := p.blocks[i]
		if !b.body() {
			if b.kind == blockMeta {
				continue
			}
			break
		}
		seen++
		s := string(p.r(i))
		n := 0
		for _, w := range closingWords {
			if strings.Contains(s, w) {
				n++
			}
		}
		// A task may end on "以优异成绩…" too; a closing call that looks
		// like a task ("蓝图激荡人心,使命催人奋进。") says more of it.
		if n >= 2 || n == 1 && !b.task {
			first = i
		}
	}
	if first < 0 {
		return
	}
	for i := first; i < len(p.blocks); i++ {
		p.blocks[i].closing = true
		p.blocks[i].task = false
	}
	p.events = append(p.events, event{at: first, rank: rankClosing})
}

// build nests the sections, assigns paragraphs and tasks, and decides which
// parts review the past.
func (p *parser) build() structure {
	s := structure{title: p.title, paragraphs: make([]Paragraph, 0, len(p.blocks))}
	type open struct {
		idx  int // index into s.sections
		rank int
		kids int
	}
	var stack []open
	var parentOf []int // index of each section's parent, -1 at the top
	topCount := 0
	ev := 0
	cur := -1 // index of the current section, -1 for none
	taskN := 0
	sectionOf := make([]int, len(p.blocks))
	for i := range p.blocks {
		for ev < len(p.events) && p.events[ev].at == i {
			e := p.events[ev]
			ev++
			if e.rank == rankClosing {
				stack, cur = stack[:0], -1
				continue
			}
			for len(stack) > 0 && stack[len(stack)-1].rank >= e.rank {
				stack = stack[:len(stack)-1]
			}
			sec := Section{Level: len(stack) + 1, Title: e.title, Part: PartPlan, Start: p.blocks[e.at].start}
			if len(e.heads) > 0 {
				hs, he := p.blocks[e.heads[0]].start, p.blocks[e.heads[len(e.heads)-1]].end
				sec.Text = p.text(hs, he)
				if e.inline {
					sec.Text = p.text(hs, hs+p.blocks[e.heads[0]].marker+p.blocks[e.heads[0]].lead)
				}
			}
			if len(stack) == 0 {
				topCount++
				sec.ID = "s" + strconv.Itoa(topCount)
				parentOf = append(parentOf, -1)
			} else {
				parentOf = append(parentOf, stack[len(stack)-1].idx)
				parent := &stack[len(stack)-1]
				parent.kids++
				ps := s.sections[parent.idx]
				sec.Parent = ps.ID
				sec.ID = ps.ID + "." + strconv.Itoa(parent.kids)
				sec.Part = ps.Part
			}
			// "2021年工作回顾和2022年工作安排" heads both: its parts decide.
			switch review, plan := isReviewTitle(e.title), isPlanTitle(e.title); {
			case review && !plan:
				sec.Part = PartReview
			case plan && !review:
				sec.Part = PartPlan
			}
			s.sections = append(s.sections, sec)
			cur = len(s.sections) - 1
			stack = append(stack, open{idx: cur, rank: e.rank})
		}
		sectionOf[i] = cur
	}

	// The preamble of a report whose first part is a review (greeting,
	// "现在，我代表…") belongs to the review.
	preambleReview := len(s.sections) > 0 && s.sections[0].Part == PartReview

	for i, b := range p.blocks {
		para := Paragraph{Start: b.start, End: b.end, Duplicate: b.dup}
		para.Heading = !b.body()
		review := preambleReview && (len(s.sections) == 0 || b.start < s.sections[0].Start)
		if c := sectionOf[i]; c >= 0 {
			sec := &s.sections[c]
			para.Section = sec.ID
			review = sec.Part == PartReview
			// Extend this section and its parents to cover the block.
			for c >= 0 {
				if s.sections[c].End < b.end {
					s.sections[c].End = b.end
				}
				c = parentOf[c]
			}
		}
		para.Review = review
		if b.task && !b.head && !b.dup && !b.closing && !review && b.body() {
			taskN++
			t := Task{ID: "t" + strconv.Itoa(taskN), Section: para.Section, Text: p.text(b.start, b.end), Start: b.start, End: b.end}
			t.Title = p.taskTitle(i)
			para.Task = t.ID
			s.tasks = append(s.tasks, t)
		}
		s.paragraphs = append(s.paragraphs, para)
	}
	s.flags = p.flags
	p.truncationFlags(&s)
	return s
}

// taskTitle is the lead sentence of a task paragraph without its 。; for a
// numbered item without a short lead, its first clause.
func (p *parser) taskTitle(i int) string {
	b := p.blocks[i]
	r := p.r(i)[b.marker:]
	if b.lead > 0 {
		return strings.TrimSpace(string(r[:b.lead-1]))
	}
	n, _ := firstSegment(r)
	if n == 0 {
		n = len(r) // opens with punctuation: take what there is
	}
	if n > maxNumberedLeadRunes {
		return strings.TrimSpace(string(r[:maxNumberedLeadRunes])) + "…"
	}
	return strings.TrimSpace(string(r[:n]))
}

// reviewWords mark a heading over a review of past work.
var reviewWords = []string{"回顾", "过去一年", "过去五年", "过去的一年", "过去的五年", "工作总结", "主要成绩", "取得的成绩"}

// planWords mark a heading over the plan for the coming period.
var planWords = []string{"工作安排", "总体要求", "工作任务", "主要任务", "目标任务", "重点工作", "工作计划", "工作部署"}

func isReviewTitle(t string) bool { return containsAny(t, reviewWords) }

func isPlanTitle(t string) bool { return containsAny(t, planWords) }

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// numberMarker recognises the number that opens a numbered heading and
// returns its style rank and its length in runes (with the space after it).
func numberMarker(r []rune) (rank, n int, ok bool) {
	if len(r) < 2 {
		return 0, 0, false
	}
	i := 0
	switch {
	case r[0] == '第':
		i = 1
		for i < len(r) && (isCNDigit(r[i]) || isASCIIDigit(r[i])) && i < 5 {
			i++
		}
		if i == 1 || i >= len(r) {
			return 0, 0, false
		}
		switch {
		case r[i] == '部' && i+1 < len(r) && r[i+1] == '分':
			rank, i = rankPart, i+2
		case r[i] == '篇':
			rank, i = rankPart, i+1
		case r[i] == '章':
			rank, i = rankChapter, i+1
		case r[i] == '节':
			rank, i = rankSection, i+1
		default:
			return 0, 0, false
		}
		if i < len(r) && (r[i] == '、' || r[i] == ':' || r[i] == '：') {
			i++
		} else if i < len(r) && !isSpace(r[i]) {
			return 0, 0, false // "第一章程" is a word, not a number
		}
	case isCNDigit(r[0]):
		for i < len(r) && isCNDigit(r[i]) && i < 4 {
			i++
		}
		if i >= len(r) || r[i] != '、' {
			return 0, 0, false
		}
		rank, i = rankCNComma, i+1
	case r[0] == '(' || r[0] == '（':
		i = 1
		cn := i < len(r) && isCNDigit(r[i])
		for i < len(r) && i < 5 && (cn && isCNDigit(r[i]) || !cn && isASCIIDigit(r[i])) {
			i++
		}
		if i == 1 || i >= len(r) || r[i] != ')' && r[i] != '）' {
			return 0, 0, false
		}
		rank, i = rankDigitParen, i+1
		if cn {
			rank = rankCNParen
		}
	case isASCIIDigit(r[0]):
		for i < len(r) && isASCIIDigit(r[i]) && i < 3 {
			i++
		}
		if i+1 >= len(r) || (r[i] != '.' && r[i] != '、' && r[i] != '．') || isASCIIDigit(r[i+1]) {
			return 0, 0, false
		}
		rank, i = rankDigitDot, i+1
	case r[0] >= '①' && r[0] <= '⑳':
		rank, i = rankCircled, 1
	default:
		return 0, 0, false
	}
	for i < len(r) && isSpace(r[i]) {
		i++
	}
	if i >= len(r) {
		return 0, 0, false // a bare number is no heading
	}
	return rank, i, true
}

func isCNDigit(r rune) bool {
	return strings.ContainsRune("一二三四五六七八九十百零〇○两", r)
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func hasSentenceMark(r []rune) bool {
	for _, c := range r {
		if isSentenceEnd(c) && c != '.' {
			return true
		}
	}
	return false
}

// metadataLine recognises "key: value" lines of a title block (发文单位:…).
// A value with a comma or 。 is a sentence ("主要目标:生产总值增长8%,…").
func metadataLine(r []rune) (key, value string, ok bool) {
	for i, c := range r {
		if c == ':' || c == '：' {
			if i == 0 || i > 8 || i+1 >= len(r) {
				return "", "", false
			}
			for _, v := range r[i+1:] {
				if v == '。' || v == '，' || v == ',' && !isURL(r) {
					return "", "", false
				}
			}
			return strings.TrimSpace(string(r[:i])), strings.TrimSpace(string(r[i+1:])), true
		}
		if !(unicode.Is(unicode.Han, c) || unicode.IsLetter(c) || c == ' ') {
			return "", "", false
		}
	}
	return "", "", false
}

// labelLine is a short line ending in a colon: "正文:", "各位代表:".
func labelLine(r []rune) bool {
	last := r[len(r)-1]
	return len(r) <= 10 && (last == ':' || last == '：') && !containsRune(r, '。')
}

// isByline recognises title-block lines that are not the title: a date, a
// URL, a "——" occasion line.
func isByline(r []rune) bool {
	return isDateLine(r) || isURL(r) || r[0] == '—' || r[0] == '-'
}

var dateLine = regexp.MustCompile(`^[0-9〇○零一二三四五六七八九十]{2,4}\s*年\s*([0-9一二三四五六七八九十]{1,2}\s*月\s*([0-9一二三四五六七八九十]{1,3}\s*日)?)?$`)

func isDateLine(r []rune) bool { return len(r) <= 16 && dateLine.MatchString(string(r)) }

func isURL(r []rune) bool {
	s := string(r)
	return strings.Contains(s, "://") || strings.HasPrefix(s, "www.") || strings.HasPrefix(s, "github.com")
}
