package delivery

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/duban-org/duban/internal/fault"
)

// ReportState is where a report stands in review.
type ReportState string

// Report states. A report goes draft → submitted → (signed_off) → accepted,
// or → returned → submitted again.
const (
	StateDraft     ReportState = "draft"
	StateSubmitted ReportState = "submitted"
	StateSignedOff ReportState = "signed_off" // the unit head vouched for it
	StateAccepted  ReportState = "accepted"
	StateReturned  ReportState = "returned"
)

// Assessment is the unit's own view of its progress.
type Assessment string

// Self-assessments.
const (
	AssessOnTrack   Assessment = "on_track"
	AssessAhead     Assessment = "ahead"
	AssessBehind    Assessment = "behind"
	AssessCompleted Assessment = "completed"
)

// Actual is the value of one indicator reported for a period. For a
// cumulative indicator units usually report the year-to-date total (1-3月累计),
// which is what Value means by default; a unit that reports only the cycle's
// own amount sets Increment, and the rules add it to the running total.
type Actual struct {
	IndicatorID int64   `json:"indicator_id"`
	Value       float64 `json:"value"`
	Increment   bool    `json:"increment,omitempty"`
}

// Attachment is a file attached to a report, stored by content hash.
type Attachment struct {
	SHA256      string `json:"sha256"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// Report is a unit's progress report on one task for one cycle (进展填报),
// or, with no task, on the plan's main indicators (主要预期指标) the unit is
// responsible for: the same review flow carries both, so an office reviews
// 地区生产总值增长 the way it reviews a task's figures.
type Report struct {
	ID     int64 `json:"id"`
	PlanID int64 `json:"plan_id"`
	// TaskID is 0 for a report on the plan's main indicators.
	TaskID      int64        `json:"task_id"`
	UnitID      int64        `json:"unit_id"`
	Period      string       `json:"period"` // cycle key: "2021-03", "2021-Q1", or an ad hoc name
	Narrative   string       `json:"narrative"`
	Actuals     []Actual     `json:"actuals"`
	Attachments []Attachment `json:"attachments"`
	Assessment  Assessment   `json:"assessment"`
	State       ReportState  `json:"state"`
	Comment     string       `json:"comment,omitempty"`      // the reviewer's, when returned
	ReturnCause string       `json:"return_cause,omitempty"` // "quality" or "false" when returned for content
	Late        bool         `json:"late"`
	SubmittedAt *time.Time   `json:"submitted_at,omitempty"`
	ReviewedAt  *time.Time   `json:"reviewed_at,omitempty"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// OnMainIndicators reports whether the report is on its plan's main
// indicators rather than on a task.
func (r Report) OnMainIndicators() bool { return r.TaskID == 0 }

// MaxNarrative bounds a narrative's length in runes.
const MaxNarrative = 20000

// Validate checks a report's fields before it is saved.
func (r Report) Validate() error {
	var v fault.Validation
	if r.TaskID == 0 && r.PlanID == 0 {
		v.Add("task_id", "required", "a report is on a task or on a plan's main indicators")
	}
	if r.UnitID == 0 {
		v.Add("unit_id", "required", "a report is by a unit")
	}
	if strings.TrimSpace(r.Period) == "" {
		v.Add("period", "required", "a report is for a period")
	}
	if n := len([]rune(r.Narrative)); n > MaxNarrative {
		v.Add("narrative", "report.narrative_long", fmt.Sprintf("the narrative has %d characters; at most %d", n, MaxNarrative))
	}
	switch r.Assessment {
	case "", AssessOnTrack, AssessAhead, AssessBehind, AssessCompleted:
	default:
		v.Add("assessment", "report.assessment", "the assessment must be on_track, ahead, behind or completed")
	}
	seen := map[int64]bool{}
	for i, a := range r.Actuals {
		if seen[a.IndicatorID] {
			v.Add(fmt.Sprintf("actuals[%d]", i), "report.actual_twice", "an indicator is reported once per report")
		}
		seen[a.IndicatorID] = true
		if math.IsNaN(a.Value) || math.IsInf(a.Value, 0) {
			v.Add(fmt.Sprintf("actuals[%d].value", i), "report.actual_number", "a reported value is a finite number")
		}
	}
	return v.Err()
}

// transitions lists which state may follow which.
var transitions = map[ReportState][]ReportState{
	StateDraft:     {StateSubmitted},
	StateSubmitted: {StateSignedOff, StateAccepted, StateReturned},
	StateSignedOff: {StateAccepted, StateReturned},
	StateReturned:  {StateSubmitted},
	StateAccepted:  {},
}

// CanMove reports whether a report may go from one state to another.
func CanMove(from, to ReportState) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Move checks a transition and returns a clear error when it is not allowed.
func Move(from, to ReportState) error {
	if CanMove(from, to) {
		return nil
	}
	return fmt.Errorf("a %s report cannot become %s: %w", from, to, fault.ErrConflict)
}
