package api

import (
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/store"
)

// FuzzAuditQuery throws raw query strings at the audit filters: the parser
// must never panic, and whatever it accepts must be within its documented
// bounds, since it reaches the database (as bound parameters).
func FuzzAuditQuery(f *testing.F) {
	for _, s := range []string{
		"", "limit=4&after=4", "entity=unit&actor=liming", "action=plan.create", "entity=plan&entity_id=140105",
		"entity=unit'%20OR%20'1'='1", "after=-1", "limit=99999999999999999999", "actor=%00", "after=1&after=2",
		"format=csv", "format=jsonl&after=10", "actor=%E6%9D%8E%E6%98%8E", "%zz", "a=1;b=2", "limit=1e3",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, export bool) {
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return // the server answers 400 for a query it cannot parse at all
		}
		q, err := parseAuditQuery(vals, export)
		if err != nil {
			return
		}
		f := q.filter
		if f.After < 0 || f.Limit < 1 || f.Limit > store.MaxAuditPage {
			t.Fatalf("%q: after %d, limit %d", raw, f.After, f.Limit)
		}
		if f.Entity != "" && !entityPattern.MatchString(f.Entity) || f.Action != "" && !actionPattern.MatchString(f.Action) ||
			f.EntityID != "" && !entityIDPattern.MatchString(f.EntityID) {
			t.Fatalf("%q: accepted %+v", raw, f)
		}
		if !utf8.ValidString(f.Actor) || utf8.RuneCountInString(f.Actor) > 64 || hasControl(f.Actor) {
			t.Fatalf("%q: actor %q", raw, f.Actor)
		}
		if export && q.format != audit.FormatJSONL && q.format != audit.FormatCSV {
			t.Fatalf("%q: format %q", raw, q.format)
		}
	})
}
