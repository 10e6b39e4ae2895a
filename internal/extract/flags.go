package extract

import (
	"slices"
	"strings"
)

// Structural flags: what went wrong when the document was laid out or copied.
// Press versions of plans are cut into columns and pasted back together, and
// three faults recur: a passage pasted twice, a heading left behind over the
// wrong passage, and a sentence cut off where a column ended. The extractor
// cannot repair them with certainty, so it marks them for a person, and it
// makes sure that a repeated passage's targets and tasks count once.

// dupKeyRunes is how many opening runes two paragraphs must share before they
// are compared, and the shortest paragraph that can count as a repeat.
const dupKeyRunes = 16

// findDuplicates finds runs of consecutive body paragraphs that repeat another
// run, and marks one copy of each as duplicate. The copy kept is the complete
// one: when one copy ends in a cut-off sentence that the other completes, the
// cut-off copy is the stray; otherwise the later copy repeats the earlier.
func (p *parser) findDuplicates() {
	var body []int // indices of body blocks
	for i, b := range p.blocks {
		if b.body() && !b.closing {
			body = append(body, i)
		}
	}
	if len(body) < 2 {
		return
	}
	byKey := make(map[uint64][]int) // hash of the opening runes → positions in body
	match := make([]int, len(body)) // position of an earlier copy, or -1
	for k, i := range body {
		match[k] = -1
		r := p.r(i)
		if len(r) < dupKeyRunes {
			continue
		}
		key := hashRunes(r[:dupKeyRunes])
		// A handful of earlier candidates is enough: a real repeat matches the
		// first copy, and capping keeps adversarial input linear.
		cands := byKey[key]
		if len(cands) > 8 {
			cands = cands[:8]
		}
		for _, j := range cands {
			if p.sameParagraph(body[j], i) {
				match[k] = j
				break
			}
		}
		byKey[key] = append(byKey[key], k)
	}
	for k := 0; k < len(body); k++ {
		j := match[k]
		if j < 0 || p.blocks[body[k]].dup || p.blocks[body[j]].dup {
			continue
		}
		// Extend the run while the following paragraphs repeat too.
		n := 1
		for k+n < len(body) && j+n < k && match[k+n] == j+n {
			n++
		}
		early, late := body[j:j+n], body[k:k+n]
		stray, kept := late, early
		for m := 0; m < n; m++ {
			a, b := p.blocks[early[m]], p.blocks[late[m]]
			if !a.complete && b.complete && len(p.r(early[m])) < len(p.r(late[m])) {
				stray, kept = early, late
				break
			}
		}
		for _, i := range stray {
			p.blocks[i].dup = true
			p.blocks[i].task = false
		}
		s, e := p.blocks[stray[0]].start, p.blocks[stray[len(stray)-1]].end
		where := "后文"
		if p.blocks[kept[0]].start < s {
			where = "前文"
		}
		p.flags = append(p.flags, Flag{
			Kind:    FlagDuplicate,
			Message: "这" + countWord(n) + "段与" + where + "「" + p.excerpt(kept[0], 12) + "」起的内容重复，其中的任务和指标只计一次，请核对原文。",
			Text:    p.text(s, e),
			Start:   s,
			End:     e,
		})
		k += n - 1
	}
}

// sameParagraph reports whether blocks i and j hold the same paragraph: equal
// text, or one is cut off and the other continues it.
func (p *parser) sameParagraph(i, j int) bool {
	a, b := p.r(i), p.r(j)
	if len(a) > len(b) {
		a, b = b, a
		i, j = j, i
	}
	if slices.Equal(a, b) {
		return true
	}
	return !p.blocks[i].complete && len(a) >= dupKeyRunes && slices.Equal(b[:len(a)], a)
}

// hashRunes is FNV-1a over runes, a map key that needs no string.
func hashRunes(r []rune) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range r {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// findLostHeadings finds section intros that lost their heading. Within a
// section the intro comes first and the tasks follow; a paragraph that is no
// task, stands between tasks, and either follows a cut-off sentence or sits
// just before a heading whose whole body is a repeated passage, is the intro
// of a section whose heading went missing. When that next heading has nothing
// of its own, it is the displaced heading: the section takes its title.
func (p *parser) findLostHeadings() {
	for r := 0; r < len(p.events); r++ {
		e := p.events[r]
		if e.rank == rankClosing {
			continue
		}
		end := len(p.blocks)
		if r+1 < len(p.events) {
			end = p.events[r+1].at
		}
		var body []int
		for i := e.at; i < end; i++ {
			if b := p.blocks[i]; b.body() && !b.head {
				body = append(body, i)
			}
		}
		nextEmpty := r+1 < len(p.events) && p.hasOnlyRepeats(r+1)
		for k := 1; k+1 < len(body); k++ {
			b := p.blocks[body[k]]
			if b.task || b.dup || b.closing || !p.blocks[body[k+1]].task || !p.anyTask(body[:k]) {
				continue
			}
			cut := !p.blocks[body[k-1]].complete
			if !cut && !nextEmpty {
				continue
			}
			lost := event{at: body[k], rank: e.rank}
			msg := "这段像是一个板块的导语，却没有标题（上一段在句中断开），请补上标题。"
			if nextEmpty {
				next := p.events[r+1]
				lost = event{at: body[k], heads: next.heads, rank: next.rank, title: next.title}
				msg = "这段像是一个板块的导语，却没有标题；后文的标题「" + next.title + "」下只有重复的内容，疑为错位，已把该标题归到这里，请核对原文。"
				p.events = append(p.events[:r+1], p.events[r+2:]...)
			}
			p.events = append(p.events[:r+1], append([]event{lost}, p.events[r+1:]...)...)
			p.flags = append(p.flags, Flag{Kind: FlagMissingHeading, Message: msg, Text: p.text(b.start, b.end), Start: b.start, End: b.end})
			break
		}
	}
}

// hasOnlyRepeats reports whether the section opened by event r holds body
// paragraphs and all of them are repeats.
func (p *parser) hasOnlyRepeats(r int) bool {
	e := p.events[r]
	if e.rank == rankClosing || e.inline || len(e.heads) == 0 {
		return false
	}
	end := len(p.blocks)
	if r+1 < len(p.events) {
		end = p.events[r+1].at
	}
	n := 0
	for i := e.at; i < end; i++ {
		if b := p.blocks[i]; b.body() && !b.head {
			if !b.dup {
				return false
			}
			n++
		}
	}
	return n > 0
}

func (p *parser) anyTask(idx []int) bool {
	for _, i := range idx {
		if p.blocks[i].task {
			return true
		}
	}
	return false
}

// truncationFlags flags body paragraphs that end in the middle of a sentence.
// Rejoining has already mended the breaks it could; what is left lost text.
func (p *parser) truncationFlags(s *structure) {
	for i, b := range p.blocks {
		if !b.body() || b.complete {
			continue
		}
		r := p.r(i)
		ts := b.start + tailStart(r)
		if ts >= b.end {
			continue
		}
		frag := p.text(ts, b.end)
		var msg string
		switch next := p.nextNonMeta(i); {
		case next < 0:
			msg = "文本在句子中间结束（「" + frag + "」），后文可能缺失。"
		case !p.blocks[next].body() || p.blocks[next].head:
			msg = "句子「" + frag + "」没有写完就接上了标题「" + p.excerpt(next, 16) + "」，中间可能缺了文字。"
		default:
			msg = "句子「" + frag + "」没有写完，下一段另起新的内容，中间可能缺了文字。"
		}
		s.flags = append(s.flags, Flag{Kind: FlagTruncated, Message: msg, Text: frag, Start: ts, End: b.end})
	}
}

// nextNonMeta is the next block after i that is not metadata, or -1.
func (p *parser) nextNonMeta(i int) int {
	for j := i + 1; j < len(p.blocks); j++ {
		if p.blocks[j].kind != blockMeta {
			return j
		}
	}
	return -1
}

// excerpt returns the first n runes of block i, with "…" when cut.
func (p *parser) excerpt(i, n int) string {
	r := p.r(i)
	if len(r) <= n {
		return string(r)
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}

func countWord(n int) string {
	words := []string{"", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十"}
	if n < len(words) {
		return words[n]
	}
	return "几"
}
