package extract

import (
	"errors"
	"sort"
)

// Options tune an extraction. The zero value uses the defaults.
type Options struct {
	// Units maps keywords to responsible units; nil means DefaultUnitTable.
	Units *UnitTable
}

// ErrEmpty is returned for a document with no text in it.
var ErrEmpty = errors.New("empty document")

// File reads a plan document (txt, docx or html; UTF-8 or GB18030), normalises
// its text and extracts its structure. name is used only to tell the format.
func File(name string, data []byte, opt Options) (Document, error) {
	raw, err := Read(name, data)
	if err != nil {
		return Document{}, err
	}
	text := Normalize(raw)
	if text == "" {
		return Document{}, &readError{name: name, reason: "the document has no text", kind: ErrEmpty}
	}
	return Extract(text, opt), nil
}

// Extract drafts the structure of normalised plan text. It never fails: what
// it cannot place it flags for review.
//
// text should come from Normalize. Breaks that split a paragraph in the middle
// of a sentence are mended first, so Document.Text (which every offset points
// into) can differ from text in those line breaks.
func Extract(text string, opt Options) Document {
	units := opt.Units
	if units == nil {
		units = DefaultUnitTable()
	}
	text = joinBrokenParagraphs(text)
	s := parseStructure(text)
	doc := Document{
		Title:    s.title,
		Sections: s.sections,
		Tasks:    s.tasks,
		Flags:    s.flags,
		Text:     text,
	}
	doc.Targets = findTargets(text, s.paragraphs)
	doc.Entities = findEntities(text, s.paragraphs)
	for i := range doc.Tasks {
		doc.Tasks[i].Units = units.Suggest(doc.Tasks[i].Text)
	}
	for _, t := range doc.Targets {
		if t.Uncertain {
			doc.Flags = append(doc.Flags, Flag{Kind: FlagUncertainNumber, Message: "数值需人工核对", Text: t.Text, Start: t.Start, End: t.End})
		}
	}
	// Flags read best in document order, structural and numeric ones mixed.
	sort.SliceStable(doc.Flags, func(i, j int) bool { return doc.Flags[i].Start < doc.Flags[j].Start })
	ensureSlices(&doc)
	return doc
}

// ensureSlices makes empty lists encode as [] rather than null, so readers of
// the JSON need no special case.
func ensureSlices(d *Document) {
	if d.Sections == nil {
		d.Sections = []Section{}
	}
	if d.Tasks == nil {
		d.Tasks = []Task{}
	}
	if d.Targets == nil {
		d.Targets = []Target{}
	}
	if d.Entities == nil {
		d.Entities = []Entity{}
	}
	if d.Flags == nil {
		d.Flags = []Flag{}
	}
	for i := range d.Tasks {
		if d.Tasks[i].Units == nil {
			d.Tasks[i].Units = []UnitSuggestion{}
		}
	}
}
