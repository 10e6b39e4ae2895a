package audit

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// Export formats. JSON lines is the exact form: every field as stored, so an
// exported log can be checked again with a Verifier. CSV is for reading in a
// spreadsheet: it starts with a UTF-8 byte order mark and defuses cells a
// spreadsheet would run as formulas.
const (
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
)

// ParseFormat checks an export format name; "" means JSON lines.
func ParseFormat(s string) (string, error) {
	switch s {
	case "", FormatJSONL, "json":
		return FormatJSONL, nil
	case FormatCSV:
		return FormatCSV, nil
	}
	return "", fmt.Errorf("export format %q: use jsonl or csv", s)
}

// bom starts a CSV export: Excel and WPS on Windows read a CSV file without
// it in the local code page, which garbles Chinese.
const bom = "\uFEFF"

// CSVHeader names the columns of a CSV export, in order.
var CSVHeader = []string{"id", "at", "actor_id", "actor_name", "remote", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash"}

// Encoder writes events one at a time in an export format, so an export of
// any length streams without being held in memory.
type Encoder struct {
	format string
	w      io.Writer
	csv    *csv.Writer
	json   *json.Encoder
	header bool
}

// NewEncoder writes format (FormatJSONL or FormatCSV) to w.
func NewEncoder(w io.Writer, format string) (*Encoder, error) {
	f, err := ParseFormat(format)
	if err != nil {
		return nil, err
	}
	enc := &Encoder{format: f, w: w}
	if f == FormatCSV {
		enc.csv = csv.NewWriter(w)
	} else {
		enc.json = json.NewEncoder(w)
		enc.json.SetEscapeHTML(false)
	}
	return enc, nil
}

// Encode writes one event.
func (enc *Encoder) Encode(e Event) error {
	if enc.json != nil {
		return enc.json.Encode(e)
	}
	if err := enc.writeHeader(); err != nil {
		return err
	}
	return enc.csv.Write([]string{
		strconv.FormatInt(e.ID, 10),
		Normalize(e.At).Format(TimeFormat),
		strconv.FormatInt(e.Actor.UserID, 10),
		spreadsheetSafe(e.Actor.Name),
		spreadsheetSafe(e.Actor.Remote),
		spreadsheetSafe(e.Action),
		spreadsheetSafe(e.Entity),
		spreadsheetSafe(e.EntityID),
		spreadsheetSafe(string(e.Before)),
		spreadsheetSafe(string(e.After)),
		e.PrevHash,
		e.Hash,
	})
}

// Flush writes out what is buffered (CSV buffers; JSON lines does not). It
// also writes the CSV header of an empty export, so that an empty log still
// gives a readable file.
func (enc *Encoder) Flush() error {
	if enc.csv == nil {
		return nil
	}
	if err := enc.writeHeader(); err != nil {
		return err
	}
	enc.csv.Flush()
	return enc.csv.Error()
}

// writeHeader starts a CSV export, once: the byte order mark, then the
// column names.
func (enc *Encoder) writeHeader() error {
	if enc.header {
		return nil
	}
	enc.header = true
	if _, err := io.WriteString(enc.w, bom); err != nil {
		return err
	}
	return enc.csv.Write(CSVHeader)
}

// spreadsheetSafe keeps a spreadsheet from running a cell as a formula: names
// and entity ids come from users, and a cell beginning with = + - @ (or a tab
// or carriage return before one) is a formula to Excel and WPS. Such a cell
// gets a leading apostrophe, which spreadsheets show as text; the exact value
// is in the JSON lines export.
func spreadsheetSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
