package extract

import "io"

// UnitTable maps keywords to responsible units. (Placeholder.)
type UnitTable struct{}

// DefaultUnitTable is the table for a Chinese district. (Placeholder.)
func DefaultUnitTable() *UnitTable { return &UnitTable{} }

// Suggest proposes units for a task text. (Placeholder.)
func (t *UnitTable) Suggest(text string) []UnitSuggestion { return nil }

// LoadUnitTable reads a unit table. (Placeholder.)
func LoadUnitTable(r io.Reader) (*UnitTable, error) { return &UnitTable{}, nil }
