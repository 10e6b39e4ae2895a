package extract

// Document is the draft structure of one plan document. Its JSON form is a
// stable interface read by other tools (see the README, "extract --json").
type Document struct {
	Title    string    `json:"title"`
	Sections []Section `json:"sections"`
	Tasks    []Task    `json:"tasks"`
	Targets  []Target  `json:"targets"`
	Entities []Entity  `json:"entities"`
	Flags    []Flag    `json:"flags"`
	// Text is the normalised text every offset points into. It is not part
	// of the JSON interface (the caller has the document).
	Text string `json:"-"`
}

// Section is a pillar of the plan (板块/篇章); sections may nest.
type Section struct {
	ID     string `json:"id"`               // "s1", "s1.2", stable within one document
	Parent string `json:"parent,omitempty"` // ID of the enclosing section
	Level  int    `json:"level"`            // 1 for top level
	Title  string `json:"title"`            // heading text, paired lines joined with a space
	Part   string `json:"part"`             // PartPlan, PartReview or PartOutlook
	Text   string `json:"text"`             // the heading as it stands in the text; a heading moved back to its section (see FlagMissingHeading) lies inside the section's span, not at its start
	Start  int    `json:"start"`
	End    int    `json:"end"` // end of the section's last paragraph
}

// Parts of a report: a work report reviews the past year before it plans the
// coming one, and numbers in the review are results, not targets. A report
// at the start of a five-year period also sets out that period's goals
// between the two ("“十四五”时期发展的总体思路和重点任务"): the outlook,
// whose numbers are goals for several years, not this year's targets.
const (
	PartPlan    = "plan"
	PartReview  = "review"
	PartOutlook = "outlook"
)

// Task is a commitment inside a section (重点任务): the lead sentence that
// opens a paragraph, with the paragraph as its text.
type Task struct {
	ID      string           `json:"id"` // "t1", "t2" … in document order
	Section string           `json:"section,omitempty"`
	Title   string           `json:"title"` // the lead sentence without its final 。
	Text    string           `json:"text"`  // the whole paragraph
	Start   int              `json:"start"`
	End     int              `json:"end"`
	Units   []UnitSuggestion `json:"units"`
}

// UnitSuggestion proposes a responsible unit for a task and shows why.
type UnitSuggestion struct {
	Unit    string   `json:"unit"`    // short name as in the unit table, e.g. 人社局
	Role    string   `json:"role"`    // RoleLead or RoleCooperate
	Because []string `json:"because"` // the words in the task text that caused it
}

// Roles a suggested unit can take on a task.
const (
	RoleLead      = "lead"
	RoleCooperate = "cooperate"
)

// Target is one quantified commitment (目标/指标).
type Target struct {
	Task       string  `json:"task,omitempty"` // ID of the enclosing task, if any
	Text       string  `json:"text"`           // shortest span holding indicator and number
	Indicator  string  `json:"indicator"`
	Value      float64 `json:"value"`
	Unit       string  `json:"unit"`
	Comparator string  `json:"comparator"` // "=", ">=", "<=", "~"
	Kind       string  `json:"kind"`       // "level", "growth", "cumulative"
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Uncertain  bool    `json:"uncertain,omitempty"` // also raised as a flag
}

// Comparators and kinds of a target, as in the labelling rules.
const (
	CmpEq     = "="
	CmpGE     = ">="
	CmpLE     = "<="
	CmpApprox = "~"

	KindLevel      = "level"
	KindGrowth     = "growth"
	KindCumulative = "cumulative"
)

// Entity is a named project, place or partner organisation.
type Entity struct {
	Text  string `json:"text"`
	Kind  string `json:"kind"` // EntityProject, EntityPlace, EntityOrganisation
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Kinds of entity.
const (
	EntityProject      = "project"
	EntityPlace        = "place"
	EntityOrganisation = "organisation"
)

// Flag asks a person to check something.
type Flag struct {
	Kind    string `json:"kind"`    // one of the Flag* constants
	Message string `json:"message"` // zh-CN sentence for the reviewer
	Text    string `json:"text"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// Kinds of flag.
const (
	FlagDuplicate       = "duplicate"        // a passage that repeats another; the complete copy is kept
	FlagMissingHeading  = "missing_heading"  // a section whose heading is missing or displaced
	FlagTruncated       = "truncated"        // a sentence cut off mid-way
	FlagUncertainNumber = "uncertain_number" // a number the extractor is unsure of
)

// Paragraph is the unit of text the structure pass hands to the target and
// entity passes.
type Paragraph struct {
	Start, End int    // rune offsets into Document.Text
	Section    string // enclosing section ID
	Task       string // task ID when this paragraph is a task
	Review     bool   // part of a review of past work: its numbers are results
	Duplicate  bool   // a copy of a passage found elsewhere (the complete copy is kept): its targets count once
	MultiYear  bool   // part of a multi-year outlook (PartOutlook): its numbers are goals for several years, not this year's targets
	Heading    bool   // a heading line, not body text
}
