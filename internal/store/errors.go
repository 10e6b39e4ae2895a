package store

import (
	"fmt"
	"strings"

	"github.com/duban-org/duban/internal/fault"
)

// conflict marks unique-constraint violations as fault.ErrConflict so the API
// answers 409 instead of 500. Both engines say "unique" in their message
// (SQLite: "UNIQUE constraint failed", PostgreSQL: SQLSTATE 23505 "duplicate
// key value violates unique constraint").
func conflict(err error) error {
	if err == nil {
		return nil
	}
	msg := strings.ToLower(err.Error())
	if strings.Contains(msg, "unique constraint") || strings.Contains(msg, "23505") {
		return fmt.Errorf("%w: %v", fault.ErrConflict, err)
	}
	return err
}
