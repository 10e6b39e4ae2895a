package extract

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteText prints a document for a person: the title, the outline of
// sections with their tasks, each task's targets and suggested units, then
// targets outside any task, the named entities, and the flags to check.
// Offsets are shown as 第N字 (rune offsets into Document.Text) so a reader
// can find the place.
func WriteText(w io.Writer, d Document) error {
	ew := &errWriter{w: w}
	title := d.Title
	if title == "" {
		title = "（未识别出标题）"
	}
	ew.printf("标题：%s\n", title)

	// A document may come from JSON a person edited: a task or target that
	// names no known section or task is still printed, under its own list.
	sectionIDs := make(map[string]bool, len(d.Sections))
	for _, s := range d.Sections {
		sectionIDs[s.ID] = true
	}
	taskIDs := make(map[string]bool, len(d.Tasks))
	for _, t := range d.Tasks {
		taskIDs[t.ID] = true
	}
	byTask := make(map[string][]Target)
	var loose []Target
	for _, t := range d.Targets {
		if taskIDs[t.Task] {
			byTask[t.Task] = append(byTask[t.Task], t)
		} else {
			loose = append(loose, t)
		}
	}
	bySection := make(map[string][]Task)
	var unplaced []Task
	for _, t := range d.Tasks {
		if sectionIDs[t.Section] {
			bySection[t.Section] = append(bySection[t.Section], t)
		} else {
			unplaced = append(unplaced, t)
		}
	}

	ew.printf("\n板块 %d 个，任务 %d 项，指标 %d 个，待核对 %d 处\n", len(d.Sections), len(d.Tasks), len(d.Targets), len(d.Flags))
	for _, s := range d.Sections {
		indent := strings.Repeat("  ", s.Level-1)
		title := s.Title
		if title == "" {
			title = "（标题缺失）"
		}
		note := ""
		switch s.Part {
		case PartReview:
			note = "（回顾部分：其中数字是已有成绩，不作指标）"
		case PartOutlook:
			note = "（多年展望：其中数字是多年目标，不作本年度指标）"
		}
		ew.printf("\n%s%s %s%s\n", indent, s.ID, title, note)
		for _, t := range bySection[s.ID] {
			writeTask(ew, indent+"  ", t, byTask[t.ID])
		}
	}
	if len(unplaced) > 0 {
		if len(d.Sections) == 0 {
			ew.printf("\n任务\n") // a plan without headings: a plain list
		} else {
			ew.printf("\n未归入板块的任务\n")
		}
		for _, t := range unplaced {
			writeTask(ew, "  ", t, byTask[t.ID])
		}
	}
	if len(loose) > 0 {
		ew.printf("\n不属于任务的指标\n")
		for _, t := range loose {
			writeTarget(ew, "  ", t)
		}
	}
	if len(d.Entities) > 0 {
		ew.printf("\n项目、地点和单位\n")
		for _, kind := range []string{EntityProject, EntityPlace, EntityOrganisation} {
			seen := make(map[string]bool)
			var names []string
			for _, e := range d.Entities {
				if e.Kind == kind && !seen[e.Text] {
					seen[e.Text] = true
					names = append(names, e.Text)
				}
			}
			if len(names) > 0 {
				ew.printf("  %s：%s\n", entityKindName(kind), strings.Join(names, "、"))
			}
		}
	}
	if len(d.Flags) > 0 {
		ew.printf("\n待核对\n")
		for _, f := range d.Flags {
			ew.printf("  [%s] 第%d字「%s」：%s\n", flagKindName(f.Kind), f.Start, shorten(f.Text, 24), f.Message)
		}
	}
	return ew.err
}

func writeTask(ew *errWriter, indent string, t Task, targets []Target) {
	ew.printf("%s%s %s\n", indent, t.ID, t.Title)
	for _, g := range targets {
		writeTarget(ew, indent+"  ", g)
	}
	var lead, coop []string
	for _, u := range t.Units {
		s := u.Unit
		if len(u.Because) > 0 {
			s += "（" + strings.Join(u.Because, "、") + "）"
		}
		if u.Role == RoleLead {
			lead = append(lead, s)
		} else {
			coop = append(coop, s)
		}
	}
	if len(lead) > 0 {
		ew.printf("%s  牵头单位建议：%s\n", indent, strings.Join(lead, "；"))
	}
	if len(coop) > 0 {
		ew.printf("%s  配合单位建议：%s\n", indent, strings.Join(coop, "；"))
	}
}

func writeTarget(ew *errWriter, indent string, t Target) {
	mark := ""
	if t.Uncertain {
		mark = "（存疑）"
	}
	ew.printf("%s指标：%s → %s %s %s%s，%s%s\n", indent, t.Text, t.Indicator, comparatorSign(t.Comparator),
		strconv.FormatFloat(t.Value, 'f', -1, 64), t.Unit, kindName(t.Kind), mark)
}

func comparatorSign(c string) string {
	switch c {
	case CmpGE:
		return "≥"
	case CmpLE:
		return "≤"
	case CmpApprox:
		return "约"
	}
	return "="
}

func kindName(k string) string {
	switch k {
	case KindGrowth:
		return "增速"
	case KindCumulative:
		return "累计"
	}
	return "水平"
}

func entityKindName(k string) string {
	switch k {
	case EntityProject:
		return "项目"
	case EntityPlace:
		return "地点"
	}
	return "单位"
}

func flagKindName(k string) string {
	switch k {
	case FlagDuplicate:
		return "重复"
	case FlagMissingHeading:
		return "缺标题"
	case FlagTruncated:
		return "句子中断"
	case FlagUncertainNumber:
		return "数值存疑"
	}
	return k
}

// shorten cuts s to n runes, with "…" when cut, and shows line breaks as ⏎.
func shorten(s string, n int) string {
	s = strings.ReplaceAll(s, "\n\n", "⏎")
	s = strings.ReplaceAll(s, "\n", "⏎")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// errWriter keeps the first write error so the printing code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}
