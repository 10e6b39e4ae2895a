package extract

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed units_default.json
var defaultUnitsJSON []byte

// maxUnitTableBytes bounds a unit table file; a real one is a few kilobytes.
const maxUnitTableBytes = 4 << 20

// maxKeywordRunes bounds one keyword or alias: longer ones are sentences.
const maxKeywordRunes = 32

// Unit is one responsible unit (部门) in a unit table.
type Unit struct {
	Short    string   `json:"short"`
	Name     string   `json:"name"`
	Aliases  []string `json:"aliases,omitempty"`
	Keywords []string `json:"keywords"`
}

// UnitTable says which unit (部门) answers for which matters, so that the
// draft of a task division can propose a lead unit and cooperating units for
// every task. Each jurisdiction has its own departments and names for them;
// the default table is that of a typical Chinese district, and a supervision
// office replaces it with its own file.
//
// The file is JSON in UTF-8:
//
//	{
//	  "jurisdiction": "小店区",            // optional: whose table this is
//	  "units": [
//	    {
//	      "short":    "人社局",            // required, unique: shown in the task table
//	      "name":     "人力资源和社会保障局", // required: the full name
//	      "aliases":  ["区人社局"],         // optional: other names; a task naming a
//	                                      // unit outright is given to it
//	      "keywords": ["就业", "社会保障"]   // required: words of the matters it answers for
//	    }
//	  ]
//	}
//
// (The comments above are for the reader; JSON has none.) Unknown fields are
// errors, so that a misspelt field is not silently ignored. A unit's short
// name, full name and aliases all name it and must name no other unit; a
// word is at most 32 characters and a file at most 4 MiB. Words are matched
// as written, longest first: with 养老保险 for 人社局 and 养老 for 民政局,
// "养老保险" in a task counts for 人社局 only. A word listed under several
// units counts for each, with its weight shared among them.
// testdata/units/example.json is a complete small example.
//
// A UnitTable is read-only once built, so one table may serve many
// extractions at once.
type UnitTable struct {
	jurisdiction string
	units        []Unit
	// words maps every keyword and alias to the units it points at.
	words   map[string][]unitWord
	longest int // runes in the longest word
}

// unitWord is one unit a word points at.
type unitWord struct {
	unit  int     // index into units
	alias bool    // the word names the unit itself
	share float64 // 1 / number of units listing the word
}

// UnitTableError reports a malformed unit table: where (line, and the field
// path such as units[3].keywords[2]) and what is wrong.
type UnitTableError struct {
	Line  int    // 1-based line in the file; 0 when not known
	Field string // JSON path of the field, empty for the file as a whole
	Err   error
}

func (e *UnitTableError) Error() string {
	var b strings.Builder
	b.WriteString("unit table")
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ", %s", e.Field)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *UnitTableError) Unwrap() error { return e.Err }

// defaultUnitTable parses the embedded table once.
var defaultUnitTable = sync.OnceValue(func() *UnitTable {
	t, err := LoadUnitTable(bytes.NewReader(defaultUnitsJSON))
	if err != nil {
		// The embedded file is checked by TestDefaultUnitTable.
		panic("extract: embedded units_default.json: " + err.Error())
	}
	return t
})

// DefaultUnitTable is the unit table of a typical Chinese district: the
// government departments (人社局, 民政局, 教育局 …) with the matters each
// answers for. It is shared and must not be modified.
func DefaultUnitTable() *UnitTable { return defaultUnitTable() }

// LoadUnitTable reads a unit table in the JSON format described above. Errors
// are *UnitTableError values naming the line and field at fault.
func LoadUnitTable(r io.Reader) (*UnitTable, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxUnitTableBytes+1))
	if err != nil {
		return nil, &UnitTableError{Err: err}
	}
	if len(data) > maxUnitTableBytes {
		return nil, &UnitTableError{Err: fmt.Errorf("file larger than %d bytes", maxUnitTableBytes)}
	}
	if !utf8.Valid(data) {
		return nil, &UnitTableError{Line: lineAt(data, invalidUTF8At(data)), Err: errors.New("not UTF-8 text")}
	}
	p := tableParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	return p.parse()
}

// tableParser walks the JSON tokens, so that every error knows its line.
type tableParser struct {
	data []byte
	dec  *json.Decoder
}

func (p *tableParser) errAt(off int64, field string, err error) error {
	return &UnitTableError{Line: lineAt(p.data, int(off)), Field: field, Err: err}
}

// jsonErr turns an encoding/json error into a UnitTableError at the place the
// decoder reports. Type errors count from base, where the value began.
func (p *tableParser) jsonErr(base int64, field string, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// The Decoder's syntax offsets count from the start of the file.
		return p.errAt(syn.Offset, field, fmt.Errorf("JSON syntax: %v", syn))
	case errors.As(err, &typ):
		f := field
		if typ.Field != "" {
			f = field + "." + typ.Field
		}
		return p.errAt(base+typ.Offset, f, fmt.Errorf("expected %v, found JSON %s", typ.Type, typ.Value))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return p.errAt(int64(len(p.data)), field, errors.New("file ends too early"))
	}
	return p.errAt(p.dec.InputOffset(), field, err)
}

func (p *tableParser) parse() (*UnitTable, error) {
	start := p.skipSpace(0)
	tok, err := p.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &UnitTableError{Err: errors.New("empty file")}
		}
		return nil, p.jsonErr(0, "", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, p.errAt(start, "", errors.New("expected a JSON object {\"units\": [...]}"))
	}
	var t UnitTable
	var unitsOff int64 = -1
	for p.dec.More() {
		keyOff := p.skipSpace(p.dec.InputOffset())
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.jsonErr(0, "", err)
		}
		key, _ := tok.(string)
		switch key {
		case "jurisdiction":
			// The value's offsets count from just after the colon.
			off := p.dec.InputOffset()
			if i := bytes.IndexByte(p.data[off:], ':'); i >= 0 {
				off += int64(i) + 1
			}
			if err := p.dec.Decode(&t.jurisdiction); err != nil {
				return nil, p.jsonErr(off, "jurisdiction", err)
			}
		case "units":
			if unitsOff >= 0 {
				return nil, p.errAt(keyOff, "units", errors.New("given twice"))
			}
			unitsOff = keyOff
			if err := p.parseUnits(&t); err != nil {
				return nil, err
			}
		default:
			return nil, p.errAt(keyOff, key, errors.New(`unknown field (expected "jurisdiction" or "units")`))
		}
	}
	if _, err := p.dec.Token(); err != nil { // the closing }
		return nil, p.jsonErr(0, "", err)
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, p.errAt(p.skipSpace(p.dec.InputOffset()), "", errors.New("data after the table"))
	}
	if unitsOff < 0 {
		return nil, &UnitTableError{Field: "units", Err: errors.New("missing")}
	}
	if len(t.units) == 0 {
		return nil, p.errAt(unitsOff, "units", errors.New("no units"))
	}
	t.index()
	return &t, nil
}

// parseUnits reads the units array one element at a time, checking each.
func (p *tableParser) parseUnits(t *UnitTable) error {
	off := p.skipSpace(p.dec.InputOffset())
	tok, err := p.dec.Token()
	if err != nil {
		return p.jsonErr(0, "units", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return p.errAt(off, "units", errors.New("expected a list [...]"))
	}
	// names maps every short name, full name and alias to its unit, since
	// a name that points at two units could not be told apart in a task.
	names := map[string]int{}
	for i := 0; p.dec.More(); i++ {
		field := fmt.Sprintf("units[%d]", i)
		off := p.skipSpace(p.dec.InputOffset())
		var raw json.RawMessage
		if err := p.dec.Decode(&raw); err != nil {
			return p.jsonErr(0, field, err)
		}
		var u Unit
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&u); err != nil {
			var typ *json.UnmarshalTypeError
			if errors.As(err, &typ) || strings.HasPrefix(err.Error(), "json: unknown field") {
				return p.unitDecodeErr(off, raw, field, err)
			}
			return p.jsonErr(off, field, err)
		}
		if err := checkUnit(&u); err != nil {
			var fe fieldError
			if errors.As(err, &fe) {
				return p.errAt(p.fieldOffset(off, raw, fe.field), field+"."+fe.path, fe.err)
			}
			return p.errAt(off, field, err)
		}
		if err := claimNames(names, &u, i); err != nil {
			return p.errAt(p.fieldOffset(off, raw, err.field), field+"."+err.path, err.err)
		}
		t.units = append(t.units, u)
	}
	if _, err := p.dec.Token(); err != nil { // the closing ]
		return p.jsonErr(0, "units", err)
	}
	return nil
}

// unitDecodeErr reports a wrong type or an unknown field inside one unit.
func (p *tableParser) unitDecodeErr(off int64, raw []byte, field string, err error) error {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		f := field
		if typ.Field != "" {
			f += "." + typ.Field
		}
		return p.errAt(off+typ.Offset, f, fmt.Errorf("expected %v, found JSON %s", typ.Type, typ.Value))
	}
	// json: unknown field "xyz"
	name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
	return p.errAt(p.fieldOffset(off, raw, name), field+"."+name,
		errors.New(`unknown field (expected "short", "name", "aliases" or "keywords")`))
}

// fieldOffset finds where the key name appears in one unit's raw JSON, for
// the line of an error; it falls back to the unit's start.
func (p *tableParser) fieldOffset(off int64, raw []byte, name string) int64 {
	if i := bytes.Index(raw, []byte(`"`+name+`"`)); i >= 0 {
		return off + int64(i)
	}
	return off
}

// skipSpace returns the offset of the first byte at or after off that is
// not white space or a comma, where the next token starts.
func (p *tableParser) skipSpace(off int64) int64 {
	for off < int64(len(p.data)) && strings.IndexByte(" \t\r\n,:", p.data[off]) >= 0 {
		off++
	}
	return off
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// invalidUTF8At returns the offset of the first invalid UTF-8 byte.
func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// fieldError is a problem with one field of a unit.
type fieldError struct {
	field string // the JSON key, to find its line
	path  string // the path below the unit, e.g. keywords[2]
	err   error
}

func (e fieldError) Error() string { return e.path + ": " + e.err.Error() }

// checkUnit validates one unit and trims the white space around its words.
func checkUnit(u *Unit) error {
	u.Short = strings.TrimSpace(u.Short)
	u.Name = strings.TrimSpace(u.Name)
	if u.Short == "" {
		return fieldError{"short", "short", errors.New("missing or empty")}
	}
	if u.Name == "" {
		return fieldError{"name", "name", errors.New("missing or empty")}
	}
	if len(u.Keywords) == 0 {
		return fieldError{"keywords", "keywords", errors.New("missing or empty: a unit needs at least one keyword")}
	}
	for _, list := range []struct {
		key   string
		words []string
	}{{"aliases", u.Aliases}, {"keywords", u.Keywords}} {
		seen := map[string]bool{}
		for i, w := range list.words {
			w = strings.TrimSpace(w)
			list.words[i] = w
			path := fmt.Sprintf("%s[%d]", list.key, i)
			switch {
			case w == "":
				return fieldError{list.key, path, errors.New("empty word")}
			case utf8.RuneCountInString(w) > maxKeywordRunes:
				return fieldError{list.key, path, fmt.Errorf("%q is longer than %d characters", w, maxKeywordRunes)}
			case seen[w]:
				return fieldError{list.key, path, fmt.Errorf("%q is listed twice", w)}
			}
			seen[w] = true
		}
	}
	return nil
}

// claimNames records the names of unit i, failing on a name that another
// unit already has.
func claimNames(names map[string]int, u *Unit, i int) *fieldError {
	check := func(key, path, w string) *fieldError {
		if j, ok := names[w]; ok && j != i {
			return &fieldError{key, path, fmt.Errorf("%q already names units[%d]", w, j)}
		}
		names[w] = i
		return nil
	}
	if err := check("short", "short", u.Short); err != nil {
		return err
	}
	if err := check("name", "name", u.Name); err != nil {
		return err
	}
	for k, a := range u.Aliases {
		if err := check("aliases", fmt.Sprintf("aliases[%d]", k), a); err != nil {
			return err
		}
	}
	return nil
}

// index builds the word lookup. A word listed by several units shares its
// weight among them; an alias always points at its own unit alone.
func (t *UnitTable) index() {
	t.words = map[string][]unitWord{}
	for i, u := range t.units {
		for _, w := range append([]string{u.Short, u.Name}, u.Aliases...) {
			if !hasUnit(t.words[w], i) {
				t.words[w] = append(t.words[w], unitWord{unit: i, alias: true})
			}
		}
	}
	for i, u := range t.units {
		for _, w := range u.Keywords {
			if ws := t.words[w]; len(ws) > 0 && ws[0].alias {
				continue // a unit's own name outranks a keyword
			}
			if !hasUnit(t.words[w], i) {
				t.words[w] = append(t.words[w], unitWord{unit: i})
			}
		}
	}
	for w, ws := range t.words {
		for j := range ws {
			ws[j].share = 1 / float64(len(ws))
		}
		t.longest = max(t.longest, utf8.RuneCountInString(w))
	}
}

func hasUnit(ws []unitWord, i int) bool {
	for _, w := range ws {
		if w.unit == i {
			return true
		}
	}
	return false
}

// Jurisdiction is the name the table gives for whose units these are.
func (t *UnitTable) Jurisdiction() string { return t.jurisdiction }

// Units returns a copy of the units in table order.
func (t *UnitTable) Units() []Unit {
	out := make([]Unit, len(t.units))
	for i, u := range t.units {
		u.Aliases = append([]string(nil), u.Aliases...)
		u.Keywords = append([]string(nil), u.Keywords...)
		out[i] = u
	}
	return out
}

// Weights of the evidence for a unit. A long keyword is specific (高标准农田
// against 农业); the lead sentence says what the task is about, the rest of
// the paragraph how; a unit named outright is meant.
const (
	weightWord     = 1.0
	weightLongWord = 2.0 // four runes or more
	weightAlias    = 6.0
	titleFactor    = 2.0
	repeatBonus    = 0.5 // each further mention of a word
	maxCooperating = 3
	cooperateShare = 0.15 // of the lead's score, at least
	minLeadScore   = 1.0
	// A cooperating unit needs more than one passing short word (社区 in
	// 公共社区): two words, a long one, or one in the lead sentence.
	minCooperateScore = 1.5
)

// unitScore gathers the evidence for one unit.
type unitScore struct {
	unit    int
	score   float64
	first   int      // rune offset of the first word found
	because []string // words in order of first mention
}

// Suggest proposes responsible units for a task, given the task's whole
// paragraph; its lead sentence (up to the first 。) is the task's title and
// weighs double. Units are scored by the table's words found in the text,
// longest words first; the best is the lead and up to three more, each with
// at least 15% of the lead's score and more than one passing word, cooperate. Each suggestion lists the
// words that caused it. A text with no known word gets no suggestion.
func (t *UnitTable) Suggest(text string) []UnitSuggestion {
	if t == nil || len(t.words) == 0 {
		return nil
	}
	// starts holds the byte offset of every rune and then the end, so that
	// candidate words are substrings of text and looking them up allocates
	// nothing.
	starts := make([]int, 0, len(text)+1)
	titleEnd := -1
	for i, r := range text {
		if r == '。' && titleEnd < 0 {
			titleEnd = len(starts)
		}
		starts = append(starts, i)
	}
	n := len(starts)
	starts = append(starts, len(text))
	if titleEnd < 0 {
		titleEnd = n
	}
	scores := map[int]*unitScore{}
	mentions := map[string]int{}
	for i := 0; i < n; {
		l, ws := t.longestWordAt(text, starts, i)
		if l == 0 {
			i++
			continue
		}
		word := text[starts[i]:starts[i+l]]
		mentions[word]++
		for _, uw := range ws {
			s := scores[uw.unit]
			if s == nil {
				s = &unitScore{unit: uw.unit, first: i}
				scores[uw.unit] = s
			}
			w := weightWord
			switch {
			case uw.alias:
				w = weightAlias
			case l >= 4:
				w = weightLongWord
			}
			w *= uw.share
			if mentions[word] > 1 {
				w *= repeatBonus
			} else {
				s.because = append(s.because, word)
			}
			if i < titleEnd {
				w *= titleFactor
			}
			s.score += w
		}
		i += l
	}
	ranked := make([]*unitScore, 0, len(scores))
	for _, s := range scores {
		if s.score >= minLeadScore {
			ranked = append(ranked, s)
		}
	}
	sort.Slice(ranked, func(i, j int) bool {
		a, b := ranked[i], ranked[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.first != b.first {
			return a.first < b.first
		}
		return a.unit < b.unit
	})
	var out []UnitSuggestion
	for i, s := range ranked {
		if i > maxCooperating || i > 0 && (s.score < cooperateShare*ranked[0].score || s.score < minCooperateScore) {
			break
		}
		role := RoleCooperate
		if i == 0 {
			role = RoleLead
		}
		out = append(out, UnitSuggestion{Unit: t.units[s.unit].Short, Role: role, Because: s.because})
	}
	return out
}

// longestWordAt returns the length in runes of the longest table word at
// rune i of text (whose rune offsets are starts) and the units it points
// at, or 0.
func (t *UnitTable) longestWordAt(text string, starts []int, i int) (int, []unitWord) {
	for l := min(t.longest, len(starts)-1-i); l >= 1; l-- {
		if ws, ok := t.words[text[starts[i]:starts[i+l]]]; ok {
			return l, ws
		}
	}
	return 0, nil
}
