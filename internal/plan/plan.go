// Package plan models one year's work plan of a jurisdiction: its sections
// (板块), tasks (重点任务), indicators (指标) and milestones (节点), and the
// rules a plan must satisfy before it is published and delivery starts.
package plan

import (
	"fmt"
	"strings"
	"time"

	"github.com/duban-org/duban/internal/fault"
)

// Status of a plan: a draft is being reviewed; a published plan is tracked.
type Status string

// Plan statuses.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
)

// Plan is one jurisdiction's plan for one year, with the document it came
// from, so that every task can be traced to its words.
type Plan struct {
	ID           int64     `json:"id"`
	Jurisdiction string    `json:"jurisdiction"`
	Year         int       `json:"year"`
	Title        string    `json:"title"`
	Status       Status    `json:"status"`
	SourceName   string    `json:"source_name"`
	SourceSHA256 string    `json:"source_sha256"`
	SourceText   string    `json:"-"` // normalised text the offsets point into
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`

	Sections   []Section   `json:"sections"`
	Tasks      []Task      `json:"tasks"`
	Indicators []Indicator `json:"indicators"` // the plan's main indicators (no task)
	Flags      []Flag      `json:"flags"`
}

// Section is a pillar of the plan; sections may nest through ParentID.
type Section struct {
	ID       int64  `json:"id"`
	ParentID int64  `json:"parent_id,omitempty"`
	Position int    `json:"position"`
	Title    string `json:"title"`
	Part     Part   `json:"part"`
}

// Part says what a section of the source document is: commitments for the
// plan's year, a review of past work, or a multi-year outlook. Only the plan
// part holds tasks and targets.
type Part string

// Parts of a document.
const (
	PartPlan    Part = "plan"
	PartReview  Part = "review"
	PartOutlook Part = "outlook"
)

// Task is a commitment inside a section.
type Task struct {
	ID          int64       `json:"id"`
	SectionID   int64       `json:"section_id,omitempty"`
	Position    int         `json:"position"`
	Code        string      `json:"code"` // e.g. "3.2": section and task number
	Title       string      `json:"title"`
	Text        string      `json:"text"`
	SourceStart int         `json:"source_start"`
	SourceEnd   int         `json:"source_end"`
	LeadUnitID  int64       `json:"lead_unit_id,omitempty"`
	CoUnitIDs   []int64     `json:"co_unit_ids"`
	Leader      string      `json:"leader,omitempty"` // responsible leader (责任领导)
	Deadline    *time.Time  `json:"deadline,omitempty"`
	Suggested   []Suggested `json:"suggested_units"` // from extraction, for the reviewer
	Milestones  []Milestone `json:"milestones"`
	Indicators  []Indicator `json:"indicators"`
}

// Suggested is a unit the extractor proposed for a task, with its reason.
type Suggested struct {
	Unit    string   `json:"unit"`
	Role    string   `json:"role"`
	Because []string `json:"because"`
}

// Milestone is a dated step of a task (节点).
type Milestone struct {
	ID     int64      `json:"id"`
	Title  string     `json:"title"`
	Due    time.Time  `json:"due"`
	DoneAt *time.Time `json:"done_at,omitempty"`
}

// Comparator says how an actual value is judged against the target.
type Comparator string

// Comparators.
const (
	Eq     Comparator = "="
	GE     Comparator = ">="
	LE     Comparator = "<="
	Approx Comparator = "~"
)

// Kind says what an indicator's values mean over time.
type Kind string

// Indicator kinds.
const (
	Level      Kind = "level"      // a value at a point in time (a rate, a share, a count now)
	Growth     Kind = "growth"     // a rate of change over the year, in %
	Cumulative Kind = "cumulative" // adds up over the year (新增就业1.6万人)
)

// Indicator is a measurable target (指标).
type Indicator struct {
	ID                int64      `json:"id"`
	TaskID            int64      `json:"task_id,omitempty"`
	Name              string     `json:"name"`
	Unit              string     `json:"unit"`
	Target            float64    `json:"target"`
	Comparator        Comparator `json:"comparator"`
	Kind              Kind       `json:"kind"`
	Baseline          *float64   `json:"baseline,omitempty"`
	AnnualOnly        bool       `json:"annual_only,omitempty"` // judged only at year end
	ResponsibleUnitID int64      `json:"responsible_unit_id,omitempty"`
	SourceText        string     `json:"source_text,omitempty"`
	SourceStart       int        `json:"source_start"`
	SourceEnd         int        `json:"source_end"`
}

// Flag is something the extractor asks a person to check.
type Flag struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Text    string `json:"text"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// Validate checks an indicator on its own.
func (in Indicator) Validate() error {
	var v fault.Validation
	in.validateInto(&v, "")
	return v.Err()
}

func (in Indicator) validateInto(v *fault.Validation, prefix string) {
	if strings.TrimSpace(in.Name) == "" {
		v.Add(prefix+"name", "required", "an indicator needs a name")
	}
	if strings.TrimSpace(in.Unit) == "" {
		v.Add(prefix+"unit", "indicator.unit", fmt.Sprintf("indicator %q needs a unit of measure (人, 个, %%, 亿元 …)", in.Name))
	}
	switch in.Comparator {
	case Eq, GE, LE, Approx:
	default:
		v.Add(prefix+"comparator", "indicator.comparator", "the comparator must be one of =, >=, <=, ~")
	}
	switch in.Kind {
	case Level, Growth, Cumulative:
	default:
		v.Add(prefix+"kind", "indicator.kind", "the kind must be one of level, growth, cumulative")
	}
}

// Validate checks the plan's own fields; it holds for drafts too.
func (p *Plan) Validate() error {
	var v fault.Validation
	p.validateInto(&v)
	return v.Err()
}

func (p *Plan) validateInto(v *fault.Validation) {
	if p.Year < 1949 || p.Year > 2200 {
		v.Add("year", "plan.year", fmt.Sprintf("the plan's year %d is not plausible", p.Year))
	}
	if strings.TrimSpace(p.Title) == "" {
		v.Add("title", "required", "a plan needs a title")
	}
	if p.Jurisdiction == "" {
		v.Add("jurisdiction", "required", "a plan belongs to a jurisdiction")
	}
	switch p.Status {
	case StatusDraft, StatusPublished:
	default:
		v.Add("status", "plan.status", "the status must be draft or published")
	}
}

// ValidateForPublish checks everything that must hold before delivery
// starts: every task has a lead unit and a deadline, every indicator a unit,
// a comparator and a kind, and every main indicator a responsible unit.
// Messages name the task so the office can find it.
func (p *Plan) ValidateForPublish() error {
	var v fault.Validation
	p.validateInto(&v)
	if len(p.Tasks) == 0 {
		v.Add("tasks", "plan.no_tasks", "a plan with no tasks cannot be published")
	}
	for i, t := range p.Tasks {
		field := fmt.Sprintf("tasks[%d].", i)
		name := t.Code + " " + t.Title
		if t.LeadUnitID == 0 {
			v.Add(field+"lead_unit_id", "task.lead_unit", fmt.Sprintf("task %s has no lead unit", name))
		}
		for _, co := range t.CoUnitIDs {
			if co == t.LeadUnitID {
				v.Add(field+"co_unit_ids", "task.co_unit", fmt.Sprintf("task %s lists its lead unit as a cooperating unit", name))
			}
		}
		if t.Deadline == nil {
			v.Add(field+"deadline", "task.deadline", fmt.Sprintf("task %s has no deadline", name))
		}
		for j, in := range t.Indicators {
			in.validateInto(&v, fmt.Sprintf("%sindicators[%d].", field, j))
		}
		for j, m := range t.Milestones {
			if strings.TrimSpace(m.Title) == "" || m.Due.IsZero() {
				v.Add(fmt.Sprintf("%smilestones[%d]", field, j), "milestone.incomplete", fmt.Sprintf("a milestone of task %s needs a title and a due date", name))
			}
		}
	}
	for i, in := range p.Indicators {
		field := fmt.Sprintf("indicators[%d].", i)
		in.validateInto(&v, field)
		if in.ResponsibleUnitID == 0 {
			v.Add(field+"responsible_unit_id", "indicator.unit_responsible", fmt.Sprintf("main indicator %q has no responsible unit", in.Name))
		}
	}
	return v.Err()
}
