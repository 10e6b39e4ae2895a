package extract

import "strings"

// structure is what the structure pass finds.
type structure struct {
	title      string
	sections   []Section
	tasks      []Task
	paragraphs []Paragraph
	flags      []Flag
}

// parseStructure splits text into paragraphs. (Placeholder: every line is a
// plan paragraph; headings, tasks, review parts and flags come next.)
func parseStructure(text string) structure {
	var s structure
	off := 0
	for _, line := range strings.Split(text, "\n") {
		n := len([]rune(line))
		if strings.TrimSpace(line) != "" {
			s.paragraphs = append(s.paragraphs, Paragraph{Start: off, End: off + n})
		}
		off += n + 1
	}
	return s
}
