package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/store"
)

func (a *API) auditRoutes() []Route {
	return []Route{
		{"GET /api/v1/audit", auth.ActionAuditRead, a.auditList},
		{"GET /api/v1/audit/export", auth.ActionAuditRead, a.auditExport},
		{"GET /api/v1/audit/verify", auth.ActionAuditRead, a.auditVerify},
	}
}

// defaultAuditPage is the page size when the client names none.
const defaultAuditPage = 100

var (
	entityPattern   = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	actionPattern   = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+){0,3}$`)
	entityIDPattern = regexp.MustCompile(`^[0-9A-Za-z._:-]{1,64}$`)
)

// auditQuery is what a browse or export request asks for.
type auditQuery struct {
	filter store.AuditFilter
	format string
}

// parseAuditQuery reads the query of GET /api/v1/audit (export: true for
// /export, which takes a format and no limit). Unknown parameters are
// refused, so a misspelt filter does not silently list everything.
func parseAuditQuery(q url.Values, export bool) (auditQuery, error) {
	out := auditQuery{filter: store.AuditFilter{Limit: defaultAuditPage}}
	var v fault.Validation
	allowed := map[string]bool{"entity": true, "entity_id": true, "action": true, "actor": true, "after": true}
	if export {
		allowed["format"] = true
	} else {
		allowed["limit"] = true
	}
	for name, vals := range q {
		switch {
		case !allowed[name]:
			v.Add(name, "query.unknown", fmt.Sprintf("unknown parameter %.40q", name))
		case len(vals) > 1:
			v.Add(name, "query.repeated", name+" may be given once")
		}
	}
	match := func(name string, re *regexp.Regexp, msg string) string {
		s := q.Get(name)
		if s != "" && !re.MatchString(s) {
			v.Add(name, "audit."+name, msg)
		}
		return s
	}
	out.filter.Entity = match("entity", entityPattern, "entity is a lower-case name such as plan or report")
	out.filter.Action = match("action", actionPattern, "action is a lower-case verb.noun such as plan.create")
	out.filter.EntityID = match("entity_id", entityIDPattern, "entity_id is an id or code of at most 64 letters and digits")
	if s := q.Get("actor"); s != "" {
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 64 || hasControl(s) {
			v.Add("actor", "audit.actor", "actor is a user name of at most 64 characters")
		}
		out.filter.Actor = s
	}
	if s := q.Get("after"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			v.Add("after", "audit.after", "after is an event id: a whole number, 0 or more")
		}
		out.filter.After = n
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > store.MaxAuditPage {
			v.Add("limit", "audit.limit", fmt.Sprintf("limit is a whole number from 1 to %d", store.MaxAuditPage))
		}
		out.filter.Limit = n
	}
	if export {
		f, err := audit.ParseFormat(q.Get("format"))
		if err != nil {
			v.Add("format", "audit.format", "format is jsonl or csv")
		}
		out.format = f
		out.filter.Limit = store.MaxAuditPage
	}
	if err := v.Err(); err != nil {
		return auditQuery{}, err
	}
	return out, nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// auditPage is one page of the log.
type auditPage struct {
	Events []audit.Event `json:"events"`
	// NextAfter is the after= of the next page; absent on the last page.
	NextAfter *int64 `json:"next_after,omitempty"`
}

// auditList browses the log, oldest first, a page at a time.
func (a *API) auditList(w http.ResponseWriter, r *http.Request) {
	q, err := parseAuditQuery(r.URL.Query(), false)
	if err != nil {
		writeError(w, r, err)
		return
	}
	events, err := a.cfg.Store.AuditSearch(r.Context(), q.filter)
	if err != nil {
		writeError(w, r, err)
		return
	}
	page := auditPage{Events: events}
	if len(events) == q.filter.Limit {
		last := events[len(events)-1].ID
		page.NextAfter = &last
	}
	writeJSON(w, http.StatusOK, page)
}

// auditExport streams the selected events as a download, a page of the
// store at a time, so an export of any size neither waits for the whole log
// nor holds it in memory. Each page extends the write deadline, so a long
// export is not cut by the server's WriteTimeout while it makes progress.
func (a *API) auditExport(w http.ResponseWriter, r *http.Request) {
	q, err := parseAuditQuery(r.URL.Query(), true)
	if err != nil {
		writeError(w, r, err)
		return
	}
	ctx := r.Context()
	first, err := a.cfg.Store.AuditSearch(ctx, q.filter)
	if err != nil {
		writeError(w, r, err)
		return
	}
	name := "duban-audit-" + a.cfg.Now().UTC().Format("20060102T150405Z")
	h := w.Header()
	if q.format == audit.FormatCSV {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		name += ".csv"
	} else {
		h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
		name += ".jsonl"
	}
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	enc, _ := audit.NewEncoder(w, q.format) // the format was checked above
	page := first
	for {
		_ = rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		for _, e := range page {
			if err := enc.Encode(e); err != nil {
				a.cfg.Log.WarnContext(ctx, "audit export cut short", "err", err)
				return
			}
		}
		if err := enc.Flush(); err != nil {
			a.cfg.Log.WarnContext(ctx, "audit export cut short", "err", err)
			return
		}
		if err := rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return
		}
		if len(page) < q.filter.Limit {
			return
		}
		q.filter.After = page[len(page)-1].ID
		if page, err = a.cfg.Store.AuditSearch(ctx, q.filter); err != nil {
			// The status is sent; the log says why the file is short.
			a.cfg.Log.ErrorContext(ctx, "audit export failed midway", "after", q.filter.After, "err", err)
			return
		}
	}
}

// auditVerification is the answer of GET /api/v1/audit/verify.
type auditVerification struct {
	OK       bool   `json:"ok"`
	Events   int64  `json:"events"`              // events verified (before the break, if any)
	BrokenAt int64  `json:"broken_at,omitempty"` // the first event whose link fails
	Reason   string `json:"reason,omitempty"`
}

// auditVerify walks the whole chain. A broken chain is a finding, not a
// failed request: it answers 200 with ok false and the first broken event.
func (a *API) auditVerify(w http.ResponseWriter, r *http.Request) {
	n, err := a.cfg.Store.VerifyAudit(r.Context())
	var br *audit.Break
	switch {
	case errors.As(err, &br):
		a.cfg.Log.ErrorContext(r.Context(), "audit chain broken", "event", br.EventID, "reason", br.Reason)
		writeJSON(w, http.StatusOK, auditVerification{Events: n, BrokenAt: br.EventID, Reason: br.Reason})
	case err != nil:
		writeError(w, r, err)
	default:
		writeJSON(w, http.StatusOK, auditVerification{OK: true, Events: n})
	}
}
