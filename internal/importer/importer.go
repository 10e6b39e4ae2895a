// Package importer turns a plan document into a stored draft plan: it runs
// the extractor, maps its draft structure onto the plan model, and stores it
// once per document (by SHA-256), keeping the original file. The CLI's
// `duban import`, the API's upload and the seed import on first start all go
// through Import.
package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/duban-org/duban/internal/extract"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
)

// Request is one document to import.
type Request struct {
	Jurisdiction string
	Name         string // file name, used for the format and shown to people
	Data         []byte
	Year         int // 0: taken from the document, else the current year
	Options      extract.Options
}

// Result says what Import did.
type Result struct {
	Plan    *plan.Plan
	Created bool // false: this document was imported before; Plan is that one
}

// Import extracts and stores req as a draft plan inside tx. The same
// document (same SHA-256 in the same jurisdiction) returns the existing plan
// instead of creating a second one.
func Import(ctx context.Context, tx *store.Tx, req Request, thisYear int) (Result, error) {
	sum := sha256.Sum256(req.Data)
	hash := hex.EncodeToString(sum[:])
	if found, err := tx.PlanBySource(ctx, req.Jurisdiction, hash); err == nil {
		p, err := tx.Plan(ctx, found.ID)
		return Result{Plan: p}, err
	} else if !errors.Is(err, fault.ErrNotFound) {
		return Result{}, err
	}
	doc, err := extract.File(req.Name, req.Data, req.Options)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %v", fault.ErrInvalid, err)
	}
	p := FromDocument(doc)
	p.Jurisdiction = req.Jurisdiction
	p.SourceName = req.Name
	p.SourceSHA256 = hash
	p.Year = req.Year
	if p.Year == 0 {
		p.Year = guessYear(doc, thisYear)
	}
	stored, err := tx.CreatePlan(ctx, p, req.Data)
	if err != nil {
		return Result{}, err
	}
	return Result{Plan: stored, Created: true}, nil
}

// FromDocument maps an extracted document onto a draft plan. Sections and
// tasks refer to each other by 1-based position, as store.CreatePlan expects.
// Review and outlook sections are kept (a reviewer may want them) with their
// part, and their numbers never become indicators because the extractor gives
// none there.
func FromDocument(doc extract.Document) *plan.Plan {
	p := &plan.Plan{Title: doc.Title, Status: plan.StatusDraft, SourceText: doc.Text}
	if p.Title == "" {
		p.Title = "未命名计划"
	}
	sectionPos := map[string]int64{}
	for i, s := range doc.Sections {
		sectionPos[s.ID] = int64(i + 1)
		p.Sections = append(p.Sections, plan.Section{
			Title:    s.Title,
			ParentID: sectionPos[s.Parent],
			Part:     plan.Part(s.Part),
		})
	}
	taskPos := map[string]int{}
	perSection := map[int64]int{}
	for _, t := range doc.Tasks {
		sec := sectionPos[t.Section]
		perSection[sec]++
		code := strconv.Itoa(perSection[sec])
		if sec > 0 {
			code = strconv.FormatInt(sec, 10) + "." + code
		}
		task := plan.Task{
			SectionID: sec, Code: code, Title: t.Title, Text: t.Text,
			SourceStart: t.Start, SourceEnd: t.End,
		}
		for _, u := range t.Units {
			task.Suggested = append(task.Suggested, plan.Suggested{Unit: u.Unit, Role: u.Role, Because: u.Because})
		}
		taskPos[t.ID] = len(p.Tasks)
		p.Tasks = append(p.Tasks, task)
	}
	for _, tg := range doc.Targets {
		in := plan.Indicator{
			Name: tg.Indicator, Unit: tg.Unit, Target: tg.Value,
			Comparator: plan.Comparator(tg.Comparator), Kind: plan.Kind(tg.Kind),
			SourceText: tg.Text, SourceStart: tg.Start, SourceEnd: tg.End,
		}
		if in.Name == "" {
			in.Name = tg.Text
		}
		if i, ok := taskPos[tg.Task]; ok && tg.Task != "" {
			p.Tasks[i].Indicators = append(p.Tasks[i].Indicators, in)
		} else {
			p.Indicators = append(p.Indicators, in)
		}
	}
	for _, f := range doc.Flags {
		p.Flags = append(p.Flags, plan.Flag{Kind: f.Kind, Message: f.Message, Text: f.Text, Start: f.Start, End: f.End})
	}
	return p
}

var yearPattern = regexp.MustCompile(`(20[0-9]{2})年`)

// guessYear takes the plan's year from the document: the most frequent
// "20XX年" near the start of its forward-looking part (a report's review of
// the past year names that year most), the latest on a tie. It falls back to
// thisYear.
func guessYear(doc extract.Document, thisYear int) int {
	runes := []rune(doc.Text)
	from := 0
	for _, s := range doc.Sections {
		switch {
		case s.Part == extract.PartReview:
			from = -1 // a review exists: start at the first plan section
		case from == -1 && s.Parent == "" && s.Part == extract.PartPlan:
			from = s.Start
		}
		if from > 0 {
			break
		}
	}
	if from < 0 || from > len(runes) {
		from = 0
	}
	head := string(runes[from:min(len(runes), from+3000)])
	counts := map[int]int{}
	best, bestN := thisYear, 0
	for _, m := range yearPattern.FindAllStringSubmatch(head, -1) {
		y, _ := strconv.Atoi(m[1])
		counts[y]++
		if counts[y] > bestN || (counts[y] == bestN && y > best) {
			best, bestN = y, counts[y]
		}
	}
	return best
}
