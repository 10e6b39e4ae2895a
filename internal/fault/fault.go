// Package fault holds the error kinds shared by every layer, so that the
// HTTP layer can map them to a status in one place and the CLI to an exit
// code, without either knowing where an error came from.
package fault

import (
	"errors"
	"strings"
)

// Sentinel kinds. Wrap them (fmt.Errorf("…: %w", fault.ErrNotFound)) and test
// with errors.Is.
var (
	ErrNotFound  = errors.New("not found")
	ErrInvalid   = errors.New("invalid")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
)

// FieldError is one validation failure: which field, a stable code that a
// user interface translates, and an English message for logs and the API.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Validation is a list of field errors. It satisfies errors.Is(err, ErrInvalid).
type Validation []FieldError

// Add appends one field error.
func (v *Validation) Add(field, code, message string) {
	*v = append(*v, FieldError{Field: field, Code: code, Message: message})
}

// Err returns v as an error, or nil when it is empty, so that callers can
// write `return v.Err()` after collecting.
func (v Validation) Err() error {
	if len(v) == 0 {
		return nil
	}
	return v
}

func (v Validation) Error() string {
	parts := make([]string, len(v))
	for i, f := range v {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// Is makes a Validation match ErrInvalid.
func (v Validation) Is(target error) bool { return target == ErrInvalid }
