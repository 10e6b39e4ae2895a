package extract

import (
	"regexp"
	"slices"
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
	rankLone       = 10 // a lone unnumbered line inside a numbered section: any numbered heading closes it
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
		if isCredit(r) {
			// A page's credits can stand anywhere, a repeated copy of the
			// report on the same page brings its own: they head nothing
			// and are no part of a sentence.
			b.kind = blockMeta
		} else if rank, n, ok := numberMarker(r); ok {
			b.rank, b.marker = rank, n
			rest := r[n:]
			if numberedHeadingRest(rest) || isPartHeading(rest) {
				b.kind = blockNumbered
			} else {
				b.kind = blockNumberedBody
				b.lead = leadLen(rest, maxNumberedLeadRunes)
			}
		} else if headingShape(r, maxHeadingRunes) || isPartHeading(r) {
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
		} else if !(headingShape(r, 60) || b.kind == blockHeading || labelLine(r) || isByline(r)) {
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
	// (A line naming a multi-year period is more likely the title of a
	// five-year plan than the head of its outlook.)
	if t := p.headingTitle(n-1, n); isHead(n-1) && partOf(t) != partNone && partOf(t) != PartOutlook {
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
	heads := p.numberedHeads()
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
				switch {
				case partOf(t) != partNone:
					rank = rankReportPart // encloses the pillars that follow
				case j-i == 1 && p.inNumberedSection():
					// In a report numbered 一、(一), a lone unnumbered line
					// heads a stretch inside the numbered section, not the
					// numbered sections after it.
					rank = rankLone
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
			if heads[i] {
				p.addEvent(event{at: i, heads: []int{i}, rank: b.rank, inline: true, title: p.headingTitle(i, i+1)})
			} else {
				p.blocks[i].task = true
			}
		}
	}
}

// numberedHeads decides which numbered paragraphs ("（三）坚持自立自强。…")
// head a section. One heads a section when deeper numbered items follow it,
// or task paragraphs do; otherwise it is an item (a task) itself. Items of
// one list share their role, so the weaker sign, a task paragraph after it,
// is overruled when most of its siblings (same number style, no heading of a
// higher rank between them) are items: then that paragraph goes on with the
// item before it, which stays an item like its siblings.
func (p *parser) numberedHeads() []bool {
	heads := make([]bool, len(p.blocks))
	weak := make([]bool, len(p.blocks))
	for i, b := range p.blocks {
		if b.kind != blockNumberedBody || b.lead == 0 {
			continue
		}
		switch {
		case p.deeperItemFollows(i):
			heads[i] = true
		case p.regionHasTask(i + 1):
			heads[i], weak[i] = true, true
		}
	}
	// Walk the sibling groups, one open per rank: a group ends at a
	// numbered block of a higher rank (a smaller rank number), which closes
	// the lists nested under the items before it, or at an unnumbered
	// heading.
	groups := map[int][]int{}
	flush := func(deeperThan int) {
		for rank, group := range groups {
			if rank <= deeperThan {
				continue
			}
			nWeak, nItems := 0, 0
			for _, i := range group {
				switch {
				case weak[i]:
					nWeak++
				case !heads[i]:
					nItems++
				}
			}
			if nWeak > 0 && nItems > nWeak {
				for _, i := range group {
					weak[i], heads[i] = false, false
				}
			}
			delete(groups, rank)
		}
	}
	for i, b := range p.blocks {
		switch b.kind {
		case blockHeading:
			flush(-1)
		case blockNumbered, blockNumberedBody:
			flush(b.rank)
			if b.kind == blockNumberedBody {
				groups[b.rank] = append(groups[b.rank], i)
			}
		}
	}
	flush(-1)
	return heads
}

// inNumberedSection reports whether the section opened last is numbered,
// or a lone line inside a numbered one.
func (p *parser) inNumberedSection() bool {
	if len(p.events) == 0 {
		return false
	}
	r := p.events[len(p.events)-1].rank
	return r >= rankPart
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
// parts review the past or look several years ahead.
//
// A section's part comes from its heading when the heading names one
// (partOf), else from the section around it. Where no heading names a part,
// the paragraphs themselves may switch it: a report whose review is not
// numbered opens it with "过去一年，…" or "五年来，…" and opens its plan with
// "今年政府工作的总体要求是：…" (see partSwitch). A review opened that way
// runs to the plan that follows it. When no plan switch follows anywhere,
// an opener before the first heading opens a review that runs only to that
// heading, and an opener inside a section is an intro, not a review: a
// stray opener cannot swallow the rest of a plan.
func (p *parser) build() structure {
	s := structure{title: p.title, paragraphs: make([]Paragraph, 0, len(p.blocks))}
	type open struct {
		idx  int // index into s.sections
		rank int
		kids int
	}
	var stack []open
	var parentOf []int  // index of each section's parent, -1 at the top
	var explicit []bool // each section's part is named by its heading or an enclosing one
	topCount := 0
	ev := 0
	cur := -1 // index of the current section, -1 for none
	taskN := 0
	sectionOf := make([]int, len(p.blocks))
	partAt := make([]string, len(p.blocks)) // part of each block

	// Paragraphs switch the part only where no heading names it.
	eventPart := make([]string, len(p.events)) // partOf each event's title, read twice
	yearPlan := false                          // a heading over one year's plan
	for k, e := range p.events {
		part := partOf(e.title)
		eventPart[k] = part
		yearPlan = yearPlan || part == PartPlan || part == partBoth ||
			part == partNone && singleYear.MatchString(e.title) && !multiYearTitle.MatchString(e.title)
	}
	// Multi-year goals are set apart only beside a plan for the year: a
	// five-year plan's goals, or a text that has no other plan, are its
	// targets.
	outlookOK := yearPlan && !multiYearTitle.MatchString(p.title)
	switches := make([]string, len(p.blocks)) // partSwitch of each body paragraph
	for i, b := range p.blocks {
		if b.kind == blockBody && !b.dup {
			switches[i] = partSwitch(p.r(i))
		}
	}
	planLater := p.planSwitchesAfter(eventPart, switches)
	state := PartPlan
	untilHeading := false // an opened review has no plan after it: it ends at the next heading
	for i := range p.blocks {
		for ev < len(p.events) && p.events[ev].at == i {
			e, part := p.events[ev], eventPart[ev]
			ev++
			if untilHeading {
				state, untilHeading = PartPlan, false
			}
			if e.rank == rankClosing {
				stack, cur = stack[:0], -1
				continue
			}
			for len(stack) > 0 && stack[len(stack)-1].rank >= e.rank {
				stack = stack[:len(stack)-1]
			}
			sec := Section{Level: len(stack) + 1, Title: e.title, Part: state, Start: p.blocks[e.at].start}
			if len(e.heads) > 0 {
				hs, he := p.blocks[e.heads[0]].start, p.blocks[e.heads[len(e.heads)-1]].end
				sec.Text = p.text(hs, he)
				if e.inline {
					sec.Text = p.text(hs, hs+p.blocks[e.heads[0]].marker+p.blocks[e.heads[0]].lead)
				}
			}
			named := false
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
				if named = explicit[parent.idx]; named {
					sec.Part = ps.Part
				}
			}
			// "2021年工作回顾和2022年工作安排" heads both: its parts decide.
			// Inside a named review or outlook, a plan word names the
			// work reviewed or the goals set ("（二）主要工作"), not a plan
			// for the year.
			inherited := named && sec.Part != PartPlan
			switch part {
			case PartOutlook:
				if !outlookOK {
					break
				}
				fallthrough
			case PartReview, PartPlan:
				if !inherited {
					sec.Part, named = part, true
				}
			}
			if named {
				// A part named by a heading ends what paragraphs opened.
				state = PartPlan
			}
			s.sections = append(s.sections, sec)
			explicit = append(explicit, named)
			cur = len(s.sections) - 1
			stack = append(stack, open{idx: cur, rank: e.rank})
		}
		sectionOf[i] = cur
		if cur >= 0 && explicit[cur] {
			partAt[i] = s.sections[cur].Part
			continue
		}
		switch switches[i] {
		case PartReview:
			// Inside a section, "一年来，…" may just introduce the
			// section's plan; only a plan that follows shows that a
			// review begins here. Before the first heading it is the
			// report's opening review either way.
			if cur < 0 || planLater[i] {
				state, untilHeading = PartReview, !planLater[i]
			}
		case PartPlan:
			state, untilHeading = PartPlan, false
		}
		partAt[i] = state
	}

	// The preamble of a report whose first part is a review (greeting,
	// "现在，我代表…") belongs to the review.
	preambleReview := len(s.sections) > 0 && s.sections[0].Part == PartReview

	for i, b := range p.blocks {
		para := Paragraph{Start: b.start, End: b.end, Duplicate: b.dup}
		para.Heading = !b.body()
		part := partAt[i]
		if preambleReview && (len(s.sections) == 0 || b.start < s.sections[0].Start) {
			part = PartReview
		}
		if c := sectionOf[i]; c >= 0 {
			para.Section = s.sections[c].ID
			// Extend this section and its parents to cover the block.
			for c >= 0 {
				if s.sections[c].End < b.end {
					s.sections[c].End = b.end
				}
				c = parentOf[c]
			}
		}
		para.Review = part == PartReview
		para.MultiYear = part == PartOutlook
		// Tasks are this year's commitments: none in a review of the past,
		// none among the goals of a five-year period.
		if b.task && !b.head && !b.dup && !b.closing && part == PartPlan && b.body() {
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

// planSwitchesAfter tells for each block whether a plan begins somewhere
// after it (eventPart is partOf each event's title, switches partSwitch of
// each body paragraph): a heading that names the plan or a multi-year part, or a
// paragraph that opens the plan (partSwitch).
func (p *parser) planSwitchesAfter(eventPart, switches []string) []bool {
	later := make([]bool, len(p.blocks))
	heads := make([]bool, len(p.blocks))
	for k, e := range p.events {
		if part := eventPart[k]; e.rank != rankClosing && (part == PartPlan || part == PartOutlook || part == partBoth) {
			heads[e.at] = true
		}
	}
	seen := false
	for i := len(p.blocks) - 1; i >= 0; i-- {
		later[i] = seen
		if heads[i] || switches[i] == PartPlan {
			seen = true
		}
	}
	return later
}

// reviewOpener matches the first clause of a paragraph that opens a review
// of past work: 过去一年, 过去的五年, 一年来, 五年来, 这一年, 回顾过去 …
var reviewOpener = regexp.MustCompile(`^(回顾过去|回首过去|(过去的?|这|近)[一二三四五六七八九十两]年(来|里|间|中)?|[一二三四五六七八九十两]年来)(，|,|我们|全[省市县区州旗镇乡])`)

// planOpener matches, in the stretch before the first colon of a paragraph,
// the words that make it the head of a plan: the coming period and a plan
// word ("今年政府工作的总体要求是：", "2025年经济社会发展主要预期目标：").
var planOpener = regexp.MustCompile(`(今年|明年|新的一年|下一步|(19|20)[0-9]{2}年)`)

// pastWords in the stretch before a colon tell a review of a plan
// ("年初确定的主要预期目标：…全部完成") from the plan itself.
var pastWords = []string{"完成", "实现", "确定的", "去年", "过去", "回顾"}

// partSwitch tells whether a body paragraph opens a part by its first words,
// in a report whose parts are not headed: PartReview for a review opener,
// PartPlan for a heading written into the line ("今年工作的总体要求是：…"),
// partNone otherwise.
func partSwitch(r []rune) string {
	if len(r) > 64 {
		r = r[:64]
	}
	// Cheap test first: the first rune a review opener can start with.
	if len(r) > 0 && strings.ContainsRune("过近这回一二三四五六七八九十两", r[0]) && reviewOpener.MatchString(string(r)) {
		return PartReview
	}
	for i, c := range r {
		if c == '。' || c == '；' || c == ';' || i > 40 {
			break
		}
		if c == '：' || c == ':' {
			head := string(r[:i])
			if partOf(head) == PartPlan && planOpener.MatchString(head) && !containsAny(head, pastWords) {
				return PartPlan
			}
			break
		}
	}
	return partNone
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

// reviewWords mark a heading over a review of past work; so do the spans of
// past years that reviewYears matches (过去三年, 五年来).
var reviewWords = []string{
	"回顾", "工作总结", "主要成绩", "取得的成绩", "完成情况", "执行情况", "进展情况",
	"工作情况", "发展成就", "主要成就", "工作成效", "以来",
}

// reviewYears matches the past years a review covers: 过去一年, 过去的五年,
// 近三年, 一年来.
var reviewYears = regexp.MustCompile(`(过去的?|近)[一二三四五六七八九十两]年|[一二三四五六七八九十两]年来`)

// planWords mark a heading over the plan for the coming period.
var planWords = []string{
	"工作安排", "总体要求", "工作任务", "主要任务", "目标任务", "重点任务", "重点工作",
	"工作计划", "工作部署", "预期目标", "主要工作", "总体思路",
}

// multiYearTitle matches a heading that names a period of several years:
// a five-year plan's period ("“十四五”时期", "十五五期间"), the next five
// years, a span of years (2021—2025年), a long-range goal.
var multiYearTitle = regexp.MustCompile(`十[一二三四五六七八九]五["”’']?(时期|期间|规划)|今后五年|未来五年|今后一个时期|五年规划|远景目标|(19|20)[0-9]{2}\s*[—–\-－~～至到]+\s*(19|20)[0-9]{2}\s*年`)

// singleYear matches a year on its own ("2021年"), the mark of a heading
// over one year's work.
var singleYear = regexp.MustCompile(`(19|20)[0-9]{2}年`)

// Part kinds a heading can name, besides the Part* values: none, or both a
// review and a plan ("2024年工作回顾和2025年工作安排"), which leaves the part
// to the sections under it.
const (
	partNone = ""
	partBoth = "both"
)

// partOf tells which part of a report a heading names: PartReview,
// PartPlan, PartOutlook, partBoth or partNone.
//
// A review word wins over a plan word in one phrase ("主要工作回顾" reviews
// the main work); the two name two parts only when a conjunction stands
// between them. A heading that names a period of several years and no
// single year ("“十四五”时期发展的总体思路和重点任务", "今后五年的目标任务")
// heads the multi-year outlook a work report gives between its review and
// its plan for the year.
func partOf(t string) string {
	review, plan := firstWordIn(t, reviewWords), firstWordIn(t, planWords)
	if strings.Contains(t, "年") {
		if loc := reviewYears.FindStringIndex(t); loc != nil && (review < 0 || loc[0] < review) {
			review = loc[0]
		}
	}
	switch {
	case review >= 0 && plan >= 0:
		lo, hi := min(review, plan), max(review, plan)
		if strings.ContainsAny(t[lo:hi], "和与及暨、") {
			return partBoth
		}
		return PartReview
	case review >= 0:
		return PartReview
	case strings.ContainsAny(t, "五年景期") && multiYearTitle.MatchString(t) && len(singleYear.FindAllString(t, -1)) == len(yearSpan.FindAllString(t, -1)):
		return PartOutlook
	case plan >= 0:
		return PartPlan
	}
	return partNone
}

// yearSpan matches a span of years (2021—2025年); each holds one match of
// singleYear, which then names no single year.
var yearSpan = regexp.MustCompile(`(19|20)[0-9]{2}\s*[—–\-－~～至到]+\s*(19|20)[0-9]{2}\s*年`)

// firstWordIn returns the byte index of the first of words found in t, or -1.
func firstWordIn(t string, words []string) int {
	at := -1
	for _, w := range words {
		if i := strings.Index(t, w); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	return at
}

func isReviewTitle(t string) bool { return partOf(t) == PartReview }

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

// maxNumberedHeadingRunes is the longest numbered heading line after its
// number; the number marks it as a heading, so it may be longer than an
// unnumbered one.
const maxNumberedHeadingRunes = 50

// numberedHeadingRest reports whether what follows a number marker is a
// heading: no sentence mark, not too long.
func numberedHeadingRest(rest []rune) bool {
	return len(rest) <= maxNumberedHeadingRunes && !hasSentenceMark(rest)
}

// isPartHeading recognises a line that names a part of a report and ends in
// a colon or a full stop, as some reports print their part headings
// ("2021年工作回顾：", "一、过去五年工作回顾。" after its number, "重点工作："):
// without that mark it would be a heading, and its words name a part.
func isPartHeading(r []rune) bool {
	if len(r) < 3 {
		return false
	}
	switch r[len(r)-1] {
	case ':', '：', '。':
	default:
		return false
	}
	head := r[:len(r)-1]
	if !headingShape(head, maxHeadingRunes) || containsRune(head, '，') || containsRune(head, ',') {
		return false
	}
	// A sentence that opens with a review word ("一年来全区新增企业30家。")
	// carries figures; a heading names a year at most.
	t := string(head)
	if strings.ContainsFunc(singleYear.ReplaceAllString(t, ""), isASCIIDigit) {
		return false
	}
	return partOf(t) != partNone
}

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
// URL, a "——" occasion line, the speaker of a report ("某某市人民政府市长
// 张三"), a photo credit ("…记者张三摄").
func isByline(r []rune) bool {
	return isDateLine(r) || isURL(r) || r[0] == '—' || r[0] == '-' || isSpeakerLine(r) || isPhotoCredit(r) || isDatedCredit(r)
}

// datedCredit is a news page's line of date, time and source:
// "2025-12-31 16:20 来源：青山日报", "2025年12月31日 来源：…".
var datedCredit = regexp.MustCompile(`^(19|20)[0-9]{2}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?\s+([0-9]{1,2}:[0-9]{2}(:[0-9]{2})?\s*)?(来源|作者|编辑|发布|浏览)`)

func isDatedCredit(r []rune) bool {
	return len(r) <= 60 && isASCIIDigit(r[0]) && datedCredit.MatchString(string(r))
}

// creditKeys are the keys of "key：value" lines that credit a page
// (来源：某某日报) rather than say anything of the plan.
var creditKeys = []string{"来源", "稿源", "作者", "编辑", "责任编辑", "审核", "校对", "发布时间", "发布日期", "信息来源"}

// isCredit recognises a line of a page's credits, wherever it stands: the
// speaker, a photo credit, a date with its source, "来源：…".
func isCredit(r []rune) bool {
	if isSpeakerLine(r) || isPhotoCredit(r) || isDatedCredit(r) || isOccasionLine(r) {
		return true
	}
	k, _, ok := metadataLine(r)
	return ok && slices.Contains(creditKeys, k)
}

// occasionLine is the subtitle that says where a report was given:
// "——2026年1月20日在青山市第五届人民代表大会第三次会议上".
var occasionLine = regexp.MustCompile(`^[—-]+\s*((19|20)[0-9]{2}|[〇○零一二三四五六七八九]{4})年.{1,6}日在.{2,40}(会议|大会)上(的.{2,8})?$`)

func isOccasionLine(r []rune) bool {
	return len(r) <= 60 && (r[0] == '—' || r[0] == '-') && occasionLine.MatchString(string(r))
}

// speakerLine is an office ending in a title, a space, and a name of two to
// four characters: the line under a report's title that says who gave it.
var speakerLine = regexp.MustCompile(`^\p{Han}{2,24}(长|书记|主任|主席|委员)\s+\p{Han}{1,2}[·•]?\p{Han}{1,3}$`)

func isSpeakerLine(r []rune) bool {
	return len(r) <= 40 && (containsRune(r, ' ') || containsRune(r, '\t')) && speakerLine.MatchString(string(r))
}

// photoCredit is a caption that ends by naming the photographer, as scraped
// news pages keep it: "…河北日报记者张三摄", "（新华社记者 李四 摄）".
var photoCredit = regexp.MustCompile(`(记者|摄影)\s*\p{Han}{2,4}\s*摄[)）]?$`)

func isPhotoCredit(r []rune) bool {
	if len(r) > 80 {
		return false
	}
	switch r[len(r)-1] {
	case '摄', ')', '）':
		return photoCredit.MatchString(string(r))
	}
	return false
}

var dateLine = regexp.MustCompile(`^[0-9〇○零一二三四五六七八九十]{2,4}\s*年\s*([0-9一二三四五六七八九十]{1,2}\s*月\s*([0-9一二三四五六七八九十]{1,3}\s*日)?)?$`)

func isDateLine(r []rune) bool { return len(r) <= 16 && dateLine.MatchString(string(r)) }

func isURL(r []rune) bool {
	if len(r) == 0 || r[0] != 'w' && r[0] != 'g' && !containsRune(r, '/') {
		return false // no conversion to a string for the common case
	}
	s := string(r)
	return strings.Contains(s, "://") || strings.HasPrefix(s, "www.") || strings.HasPrefix(s, "github.com")
}
