package delivery

import (
	"fmt"
	"strings"

	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
)

// ExtensionState is where an extension request stands.
type ExtensionState string

// Extension states: a request is decided once, granted or refused.
const (
	ExtensionRequested ExtensionState = "requested"
	ExtensionGranted   ExtensionState = "granted"
	ExtensionRefused   ExtensionState = "refused"
)

// Extension is a unit's request to move a task's deadline (延期申请) and the
// office's decision. Until it is granted the task is judged against the
// deadline it asked to move, so asking is not a way to stop the clock.
type Extension struct {
	ID          int64          `json:"id"`
	TaskID      int64          `json:"task_id"`
	UnitID      int64          `json:"unit_id"`
	Original    Date           `json:"original"` // the deadline in force when asked
	Proposed    Date           `json:"proposed"`
	Reason      string         `json:"reason"`
	RequestedOn Date           `json:"requested_on"`
	State       ExtensionState `json:"state"`
	Granted     Date           `json:"granted,omitempty"` // the new deadline; may differ from Proposed
	DecidedOn   Date           `json:"decided_on,omitempty"`
	Note        string         `json:"note,omitempty"` // the office's words on the decision
}

// RequestExtension checks and builds a request by the lead unit of t, made
// on day on, to move its deadline to proposed. existing are the task's
// earlier requests: the request moves the deadline now in force (a granted
// earlier extension counts), must be made on or before that day, and waits
// for no other undecided request.
func RequestExtension(t plan.Task, existing []Extension, unitID int64, proposed Date, reason string, on Date) (Extension, error) {
	var v fault.Validation
	if t.Deadline == nil {
		return Extension{}, fmt.Errorf("task %s has no deadline to extend: %w", t.Code, fault.ErrConflict)
	}
	if unitID != t.LeadUnitID {
		return Extension{}, fmt.Errorf("only the lead unit of task %s may ask for an extension: %w", t.Code, fault.ErrForbidden)
	}
	for _, e := range existing {
		if e.TaskID == t.ID && e.State == ExtensionRequested {
			return Extension{}, fmt.Errorf("task %s already has an extension request waiting for a decision: %w", t.Code, fault.ErrConflict)
		}
	}
	current, _ := Deadline(t, existing, on)
	e := Extension{TaskID: t.ID, UnitID: unitID, Original: current, Proposed: proposed, Reason: strings.TrimSpace(reason), RequestedOn: on, State: ExtensionRequested}
	if on > current {
		v.Add("requested_on", "extension.too_late", fmt.Sprintf("the deadline %s has passed; an extension is asked for before it", current))
	}
	if err := e.Validate(); err != nil {
		v = append(v, err.(fault.Validation)...)
	}
	if err := v.Err(); err != nil {
		return Extension{}, err
	}
	return e, nil
}

// Validate checks a request's own fields and, once decided, the decision.
func (e Extension) Validate() error {
	var v fault.Validation
	if e.TaskID == 0 {
		v.Add("task_id", "required", "an extension is for a task")
	}
	if e.Reason == "" {
		v.Add("reason", "extension.reason", "say why the deadline should move")
	}
	if e.Original == 0 || e.RequestedOn == 0 {
		v.Add("original", "required", "an extension names the deadline it moves and the day it was asked")
	}
	if e.Proposed <= e.Original {
		v.Add("proposed", "extension.not_later", fmt.Sprintf("the proposed date %s is not after the deadline %s", e.Proposed, e.Original))
	}
	switch e.State {
	case ExtensionRequested:
	case ExtensionGranted:
		if e.Granted <= e.Original {
			v.Add("granted", "extension.not_later", fmt.Sprintf("the granted date %s is not after the deadline %s", e.Granted, e.Original))
		}
		fallthrough
	case ExtensionRefused:
		if e.DecidedOn < e.RequestedOn {
			v.Add("decided_on", "extension.decided_before_asked", "a decision comes after the request")
		}
		if e.State == ExtensionRefused && strings.TrimSpace(e.Note) == "" {
			v.Add("note", "extension.refusal_reason", "a refusal says why")
		}
	default:
		v.Add("state", "extension.state", "the state is requested, granted or refused")
	}
	return v.Err()
}

// Grant moves the deadline to newDate, decided on day on. The office may
// grant less (or more) than was proposed.
func (e *Extension) Grant(newDate, on Date, note string) error {
	if e.State != ExtensionRequested {
		return fmt.Errorf("an extension that is %s cannot be granted: %w", e.State, fault.ErrConflict)
	}
	next := *e
	next.State, next.Granted, next.DecidedOn, next.Note = ExtensionGranted, newDate, on, strings.TrimSpace(note)
	if err := next.Validate(); err != nil {
		return err
	}
	*e = next
	return nil
}

// Refuse declines the request, decided on day on, with the office's reason.
func (e *Extension) Refuse(on Date, note string) error {
	if e.State != ExtensionRequested {
		return fmt.Errorf("an extension that is %s cannot be refused: %w", e.State, fault.ErrConflict)
	}
	next := *e
	next.State, next.DecidedOn, next.Note = ExtensionRefused, on, strings.TrimSpace(note)
	if err := next.Validate(); err != nil {
		return err
	}
	*e = next
	return nil
}

// Deadline returns the deadline of t in force on day asOf: the latest date
// granted by then, else the task's own. extended is true when a grant moved
// it. For a task without a deadline and no grant it returns 0, and the
// status rules use the end of the plan year.
func Deadline(t plan.Task, exts []Extension, asOf Date) (deadline Date, extended bool) {
	if t.Deadline != nil {
		deadline = DateOf(*t.Deadline)
	}
	var decided Date
	for _, e := range exts {
		if e.TaskID != t.ID || e.State != ExtensionGranted || e.DecidedOn > asOf {
			continue
		}
		// The most recent decision wins: a second extension replaces the first.
		if e.DecidedOn > decided || (e.DecidedOn == decided && e.Granted > deadline) {
			deadline, decided, extended = e.Granted, e.DecidedOn, true
		}
	}
	return deadline, extended
}
