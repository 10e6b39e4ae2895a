package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/schedule"
	"github.com/duban-org/duban/internal/store"
)

// noticeRoutes are reminders (催办), supervision notices (督办单) and the
// in-app inbox they arrive in.
func (a *API) noticeRoutes() []Route {
	return []Route{
		{"GET /api/v1/notices", auth.ActionNoticeRead, a.noticeList},
		{"POST /api/v1/notices", auth.ActionNoticeIssue, a.noticeIssue},
		{"GET /api/v1/notices/{id}", auth.ActionNoticeRead, a.noticeGet},
		{"POST /api/v1/notices/{id}/acknowledge", auth.ActionNoticeRespond, a.noticeAcknowledge},
		{"POST /api/v1/notices/{id}/responses", auth.ActionNoticeRespond, a.noticeRespond},
		{"GET /api/v1/inbox", auth.ActionNoticeRead, a.inboxList},
		{"POST /api/v1/inbox/{id}/read", auth.ActionNoticeRead, a.inboxRead},
	}
}

// noticeList lists the notices of the caller's jurisdiction it may read:
// all of them for the office and leaders, a unit's own for a unit.
func (a *API) noticeList(w http.ResponseWriter, r *http.Request) {
	p := auth.PrincipalFrom(r.Context())
	q := r.URL.Query()
	f := store.NoticeFilter{Jurisdiction: p.User.Jurisdiction, Kind: q.Get("kind"), Open: q.Get("open") == "true"}
	switch f.Kind {
	case "", store.KindReminder, store.KindNotice, store.KindEscalation:
	default:
		writeError(w, r, fault.Validation{{Field: "kind", Code: "notice.kind", Message: "kind is reminder, notice or escalation"}})
		return
	}
	for name, dst := range map[string]*int64{"plan": &f.PlanID, "task": &f.TaskID, "unit": &f.UnitID} {
		if s := q.Get(name); s != "" {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v <= 0 {
				writeError(w, r, fault.Validation{{Field: name, Code: "id", Message: name + " must be a positive whole number"}})
				return
			}
			*dst = v
		}
	}
	if p.User.Role.NeedsUnit() {
		f.UnitID = p.User.UnitID
	}
	all, err := a.cfg.Store.Notices(r.Context(), f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := []store.Notice{}
	for _, n := range all {
		if auth.CanReadNotice(p, n.Jurisdiction, n.UnitID) {
			out = append(out, n)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"notices": out})
}

func (a *API) loadNotice(r *http.Request) (store.Notice, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Notice{}, err
	}
	n, err := a.cfg.Store.Notice(r.Context(), id)
	if err != nil {
		return n, err
	}
	if n.Kind == store.KindSuperseded || !auth.CanReadNotice(auth.PrincipalFrom(r.Context()), n.Jurisdiction, n.UnitID) {
		return n, fmt.Errorf("notice %d: %w", id, fault.ErrNotFound)
	}
	return n, nil
}

func (a *API) noticeGet(w http.ResponseWriter, r *http.Request) {
	n, err := a.loadNotice(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	resp, err := a.cfg.Store.NoticeResponses(r.Context(), n.ID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notice": n, "responses": resp})
}

func (a *API) respondable(r *http.Request) (store.Notice, error) {
	n, err := a.loadNotice(r)
	if err != nil {
		return n, err
	}
	if !auth.CanRespondNotice(auth.PrincipalFrom(r.Context()), n.Jurisdiction, n.UnitID) {
		return n, fmt.Errorf("notice %d is addressed to another unit: %w", n.ID, fault.ErrForbidden)
	}
	if n.Kind != store.KindNotice {
		return n, fmt.Errorf("only supervision notices take an acknowledgement or a response: %w", fault.ErrConflict)
	}
	return n, nil
}

func (a *API) noticeAcknowledge(w http.ResponseWriter, r *http.Request) {
	n, err := a.respondable(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		n, err = tx.AcknowledgeNotice(r.Context(), n.ID)
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, n)
}

func (a *API) noticeRespond(w http.ResponseWriter, r *http.Request) {
	n, err := a.respondable(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b struct {
		Body string `json:"body"`
	}
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	var resp store.NoticeResponse
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		resp, err = tx.RespondNotice(r.Context(), n.ID, b.Body)
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, resp)
}

// inboxOf names the caller's inbox: its unit's for a unit role, its role's
// otherwise (leaders receive escalations).
func inboxOf(p auth.Principal) (string, int64, string) {
	if p.User.Role.NeedsUnit() {
		return p.User.Jurisdiction, p.User.UnitID, ""
	}
	return p.User.Jurisdiction, 0, string(p.User.Role)
}

func (a *API) inboxList(w http.ResponseWriter, r *http.Request) {
	jur, unit, role := inboxOf(auth.PrincipalFrom(r.Context()))
	items, err := a.cfg.Store.Inbox(r.Context(), jur, unit, role)
	if err != nil {
		writeError(w, r, err)
		return
	}
	unread := 0
	for _, it := range items {
		if it.ReadAt == nil {
			unread++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "unread": unread})
}

func (a *API) inboxRead(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	jur, unit, role := inboxOf(auth.PrincipalFrom(r.Context()))
	if err := a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error { return tx.MarkInboxRead(r.Context(), id, jur, unit, role) }); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "read": true})
}

// noticeIssue lets the office issue a supervision notice by hand (after an
// inspection, say). It is numbered like the scheduler's and goes to the
// task's lead and cooperating units' inboxes and the plan's webhooks;
// e-mail is sent only for the scheduler's notices, where the server knows
// whether an SMTP server is configured.
func (a *API) noticeIssue(w http.ResponseWriter, r *http.Request) {
	var b struct {
		TaskID    int64         `json:"task_id"`
		Colour    string        `json:"colour"`
		Subject   string        `json:"subject"`
		Body      string        `json:"body"`
		RespondBy delivery.Date `json:"respond_by"`
	}
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if b.TaskID <= 0 {
		writeError(w, r, fault.Validation{{Field: "task_id", Code: "required", Message: "a notice is about a task"}})
		return
	}
	scope, planID, err := a.taskScope(r, b.TaskID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !auth.CanManage(auth.PrincipalFrom(r.Context()), scope.Jurisdiction) {
		writeError(w, r, fmt.Errorf("task %d belongs to another jurisdiction: %w", b.TaskID, fault.ErrForbidden))
		return
	}
	settings, err := a.cfg.Store.PlanSettings(r.Context(), planID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	today := delivery.DayIn(a.cfg.Now(), settings.Status.Location)
	if b.RespondBy != 0 && b.RespondBy <= today {
		writeError(w, r, fault.Validation{{Field: "respond_by", Code: "notice.respond_by", Message: "the response date is after today"}})
		return
	}
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	d, _ := a.cfg.Store.TaskDivision(r.Context(), b.TaskID)
	n := store.Notice{PlanID: planID, Jurisdiction: scope.Jurisdiction, Kind: store.KindNotice, Colour: b.Colour, TaskID: b.TaskID,
		UnitID: scope.LeadUnitID, Leader: d.Leader, Subject: strings.TrimSpace(b.Subject), Body: strings.TrimSpace(b.Body),
		Reason: "notice.manual", DedupeKey: fmt.Sprintf("notice/manual/%d/%s", b.TaskID, hex.EncodeToString(nonce[:])),
		IssuedOn: today, RespondBy: b.RespondBy}
	routes := schedule.Routes(settings.Channels, append([]int64{scope.LeadUnitID}, scope.CoUnitIDs...), false, false)
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		n, _, err = tx.IssueNotice(r.Context(), n, routes)
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, n)
}
