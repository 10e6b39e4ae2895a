package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/upload"
)

// reportRoutes are progress reports (进展填报) and their review: a unit
// drafts and submits, its head may sign off, the office accepts or returns.
func (a *API) reportRoutes() []Route {
	return []Route{
		{"GET /api/v1/tasks/{id}/reports", auth.ActionReportRead, a.reportList},
		{"POST /api/v1/tasks/{id}/reports", auth.ActionReportWrite, a.reportCreate},
		{"GET /api/v1/plans/{id}/indicator-reports", auth.ActionReportRead, a.mainReportList},
		{"POST /api/v1/plans/{id}/indicator-reports", auth.ActionReportWrite, a.mainReportCreate},
		{"GET /api/v1/reports/{id}", auth.ActionReportRead, a.reportGet},
		{"PUT /api/v1/reports/{id}", auth.ActionReportWrite, a.reportUpdate},
		{"POST /api/v1/reports/{id}/submit", auth.ActionReportWrite, a.reportSubmit},
		{"POST /api/v1/reports/{id}/signoff", auth.ActionReportSignOff, a.reportSignOff},
		{"POST /api/v1/reports/{id}/accept", auth.ActionReportReview, a.reportAccept},
		{"POST /api/v1/reports/{id}/return", auth.ActionReportReview, a.reportReturn},
		{"POST /api/v1/reports/{id}/attachments", auth.ActionAttachmentUpload, a.attachmentUpload},
		{"GET /api/v1/reports/{id}/attachments/{sha}", auth.ActionAttachmentRead, a.attachmentGet},
	}
}

// reportView is a report with what a reader needs beside it: its history,
// and for the office the plausibility flags (a cumulative figure that fell,
// a jump off the trajectory, a narrative copied from the last cycle).
type reportView struct {
	delivery.Report
	History []store.HistoryEntry `json:"history,omitempty"`
	Flags   []delivery.Flag      `json:"flags,omitempty"`
}

// reportBody is what a unit writes.
type reportBody struct {
	Period     string              `json:"period"`
	UnitID     int64               `json:"unit_id"` // 0: the caller's unit
	Narrative  string              `json:"narrative"`
	Actuals    []delivery.Actual   `json:"actuals"`
	Assessment delivery.Assessment `json:"assessment"`
}

// loadReport finds a report and checks p may read it; a report the caller
// may not read answers 404, so drafts of other units stay private.
func (a *API) loadReport(r *http.Request) (delivery.Report, auth.TaskScope, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return delivery.Report{}, auth.TaskScope{}, err
	}
	rep, err := a.cfg.Store.Report(r.Context(), id)
	if err != nil {
		return rep, auth.TaskScope{}, err
	}
	scope, err := a.reportScope(r, rep.TaskID, rep.PlanID)
	if err != nil {
		return rep, scope, err
	}
	if !auth.CanReadReport(auth.PrincipalFrom(r.Context()), scope, rep.UnitID, rep.State == delivery.StateDraft) {
		return rep, scope, fmt.Errorf("report %d: %w", id, fault.ErrNotFound)
	}
	return rep, scope, nil
}

// mainScope is the scope of reports on a plan's main indicators
// (主要预期指标): the plan's jurisdiction, and as the units that answer for
// them the responsible units of its main indicators, so the object rules
// for task reports apply unchanged.
func (a *API) mainScope(r *http.Request, planID int64) (auth.TaskScope, error) {
	pl, err := a.cfg.Store.Plan(r.Context(), planID)
	if err != nil {
		return auth.TaskScope{}, err
	}
	s := auth.TaskScope{Jurisdiction: pl.Jurisdiction}
	for _, in := range pl.Indicators {
		if in.ResponsibleUnitID != 0 && !slices.Contains(s.CoUnitIDs, in.ResponsibleUnitID) {
			s.CoUnitIDs = append(s.CoUnitIDs, in.ResponsibleUnitID)
		}
	}
	return s, nil
}

// reportScope is the scope of a report on a task, or with no task on the
// main indicators of plan planID.
func (a *API) reportScope(r *http.Request, taskID, planID int64) (auth.TaskScope, error) {
	if taskID == 0 {
		return a.mainScope(r, planID)
	}
	s, _, err := a.taskScope(r, taskID)
	return s, err
}

// mainReportList lists the reports on a plan's main indicators that the
// caller may read, filtered by ?period= like a task's.
func (a *API) mainReportList(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	scope, err := a.mainScope(r, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p := auth.PrincipalFrom(r.Context())
	if !auth.CanListReports(p, scope) {
		writeError(w, r, fmt.Errorf("plan %d: %w", id, fault.ErrNotFound))
		return
	}
	a.writeReports(w, r, scope, id, 0, store.ReportFilter{PlanID: id, Main: true, Period: r.URL.Query().Get("period")})
}

// mainReportCreate drafts the caller's unit's report on the plan's main
// indicators it is responsible for.
func (a *API) mainReportCreate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b reportBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	a.saveReport(w, r, 0, id, b, http.StatusCreated)
}

func (a *API) reportList(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	scope, planID, err := a.taskScope(r, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p := auth.PrincipalFrom(r.Context())
	if !auth.CanListReports(p, scope) {
		writeError(w, r, fmt.Errorf("task %d: %w", id, fault.ErrNotFound))
		return
	}
	a.writeReports(w, r, scope, planID, id, store.ReportFilter{TaskID: id, Period: r.URL.Query().Get("period")})
}

// writeReports answers with the reports f selects that the caller may read,
// each with the plausibility flags of its task (taskID 0: the plan's main
// indicators).
func (a *API) writeReports(w http.ResponseWriter, r *http.Request, scope auth.TaskScope, planID, taskID int64, f store.ReportFilter) {
	all, err := a.cfg.Store.Reports(r.Context(), f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	flags, err := a.flagsFor(r, planID, taskID, all)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p := auth.PrincipalFrom(r.Context())
	out := []reportView{}
	for _, rep := range all {
		if auth.CanReadReport(p, scope, rep.UnitID, rep.State == delivery.StateDraft) {
			out = append(out, reportView{Report: rep, Flags: flags[rep.ID]})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": out})
}

// flagsFor runs the plausibility checks on a task's reports for the office;
// taskID 0 checks reports on the plan's main indicators.
func (a *API) flagsFor(r *http.Request, planID, taskID int64, reports []delivery.Report) (map[int64][]delivery.Flag, error) {
	pl, err := a.cfg.Store.Plan(r.Context(), planID)
	if err != nil {
		return nil, err
	}
	if !auth.CanReview(auth.PrincipalFrom(r.Context()), pl.Jurisdiction) {
		return nil, nil
	}
	settings, err := a.cfg.Store.PlanSettings(r.Context(), planID)
	if err != nil {
		return nil, err
	}
	var t plan.Task
	for _, x := range pl.Tasks {
		if x.ID == taskID {
			t = x
		}
	}
	if taskID == 0 {
		// The main indicators stand in for a task's: the checks read the
		// kinds of the indicators reported on.
		t = plan.Task{Indicators: pl.Indicators}
	}
	out := map[int64][]delivery.Flag{}
	for _, rep := range reports {
		if rep.State == delivery.StateDraft {
			continue
		}
		var history []delivery.Report
		for _, h := range reports {
			if h.UnitID == rep.UnitID && h.ID != rep.ID {
				history = append(history, h)
			}
		}
		out[rep.ID] = delivery.CheckReport(t, rep, history, settings.Calendar, delivery.DefaultPlausibilityRules())
	}
	return out, nil
}

func (a *API) reportGet(w http.ResponseWriter, r *http.Request) {
	rep, _, err := a.loadReport(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	h, err := a.cfg.Store.ReportHistory(r.Context(), rep.ID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	planID, _, err := a.cfg.Store.ReportPlan(r.Context(), rep.ID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	same := store.ReportFilter{TaskID: rep.TaskID, UnitID: rep.UnitID}
	if rep.OnMainIndicators() {
		same = store.ReportFilter{PlanID: rep.PlanID, Main: true, UnitID: rep.UnitID}
	}
	siblings, err := a.cfg.Store.Reports(r.Context(), same)
	if err != nil {
		writeError(w, r, err)
		return
	}
	flags, err := a.flagsFor(r, planID, rep.TaskID, siblings)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reportView{Report: rep, History: h, Flags: flags[rep.ID]})
}

// saveReport checks the writer and saves a draft of unit's report on a
// task, or with taskID 0 on the main indicators of plan planID.
func (a *API) saveReport(w http.ResponseWriter, r *http.Request, taskID, planID int64, b reportBody, status int) {
	var scope auth.TaskScope
	var err error
	if taskID == 0 {
		scope, err = a.mainScope(r, planID)
	} else {
		scope, planID, err = a.taskScope(r, taskID)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	p := auth.PrincipalFrom(r.Context())
	if b.UnitID == 0 {
		b.UnitID = p.User.UnitID
	}
	if !auth.CanWriteReport(p, scope, b.UnitID) {
		writeError(w, r, fmt.Errorf("a unit writes reports on tasks it leads or cooperates on, or on main indicators it is responsible for, for itself only: %w", fault.ErrForbidden))
		return
	}
	pl, err := a.cfg.Store.Plans(r.Context(), store.PlanFilter{Jurisdiction: scope.Jurisdiction, Status: plan.StatusPublished})
	if err != nil {
		writeError(w, r, err)
		return
	}
	published := false
	for _, x := range pl {
		published = published || x.ID == planID
	}
	if !published {
		writeError(w, r, fmt.Errorf("reports start when the plan is published: %w", fault.ErrConflict))
		return
	}
	var saved delivery.Report
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		saved, err = tx.SaveDraft(r.Context(), delivery.Report{PlanID: planID, TaskID: taskID, UnitID: b.UnitID, Period: b.Period, Narrative: b.Narrative, Actuals: b.Actuals, Assessment: b.Assessment})
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, saved)
}

func (a *API) reportCreate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b reportBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	a.saveReport(w, r, id, 0, b, http.StatusCreated)
}

func (a *API) reportUpdate(w http.ResponseWriter, r *http.Request) {
	rep, _, err := a.loadReport(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var b reportBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	if (b.Period != "" && b.Period != rep.Period) || (b.UnitID != 0 && b.UnitID != rep.UnitID) {
		writeError(w, r, fault.Validation{{Field: "period", Code: "report.fixed", Message: "a report's period and unit do not change; write a new report"}})
		return
	}
	b.Period, b.UnitID = rep.Period, rep.UnitID
	a.saveReport(w, r, rep.TaskID, rep.PlanID, b, http.StatusOK)
}

// move applies one review step after check approved the caller.
func (a *API) move(w http.ResponseWriter, r *http.Request, step store.Transition, check func(p auth.Principal, s auth.TaskScope, rep delivery.Report) bool) {
	rep, scope, err := a.loadReport(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !check(auth.PrincipalFrom(r.Context()), scope, rep) {
		writeError(w, r, fmt.Errorf("report %d: %w", rep.ID, fault.ErrForbidden))
		return
	}
	var out delivery.Report
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		out, err = tx.MoveReport(r.Context(), rep.ID, step)
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) reportSubmit(w http.ResponseWriter, r *http.Request) {
	a.move(w, r, store.Transition{To: delivery.StateSubmitted}, func(p auth.Principal, s auth.TaskScope, rep delivery.Report) bool {
		return auth.CanWriteReport(p, s, rep.UnitID)
	})
}

func (a *API) reportSignOff(w http.ResponseWriter, r *http.Request) {
	a.move(w, r, store.Transition{To: delivery.StateSignedOff}, func(p auth.Principal, s auth.TaskScope, rep delivery.Report) bool {
		return auth.CanSignOff(p, s, rep.UnitID)
	})
}

func (a *API) reportAccept(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Comment string `json:"comment"`
	}
	if r.ContentLength != 0 {
		if err := decodeBody(w, r, &b); err != nil {
			writeError(w, r, err)
			return
		}
	}
	a.move(w, r, store.Transition{To: delivery.StateAccepted, Comment: b.Comment}, func(p auth.Principal, s auth.TaskScope, _ delivery.Report) bool {
		return auth.CanReview(p, s.Jurisdiction)
	})
}

func (a *API) reportReturn(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Comment string `json:"comment"`
		Cause   string `json:"cause"`
	}
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, err)
		return
	}
	a.move(w, r, store.Transition{To: delivery.StateReturned, Comment: b.Comment, Cause: b.Cause}, func(p auth.Principal, s auth.TaskScope, _ delivery.Report) bool {
		return auth.CanReview(p, s.Jurisdiction)
	})
}

var errNoAttachments = errors.New("this server keeps no attachments (no data folder configured)")

// attachmentUpload takes one file (multipart field "file") for a report the
// caller is writing.
func (a *API) attachmentUpload(w http.ResponseWriter, r *http.Request) {
	rep, scope, err := a.loadReport(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !auth.CanWriteReport(auth.PrincipalFrom(r.Context()), scope, rep.UnitID) {
		writeError(w, r, fmt.Errorf("report %d: %w", rep.ID, fault.ErrForbidden))
		return
	}
	if a.cfg.Attachments == nil {
		writeError(w, r, fmt.Errorf("%w: %w", errNoAttachments, fault.ErrConflict))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, a.cfg.Attachments.MaxBytes()+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, r, fault.Validation{{Field: "file", Code: "upload.multipart", Message: "send the file as multipart/form-data in the field \"file\""}})
		return
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			if isTooLarge(err) {
				writeError(w, r, err)
				return
			}
			writeError(w, r, fault.Validation{{Field: "file", Code: "required", Message: "the field \"file\" holds the attachment"}})
			return
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		att, err := a.cfg.Attachments.Put(r.Context(), part.FileName(), part)
		part.Close()
		if err != nil {
			writeError(w, r, err)
			return
		}
		err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error { return tx.AddAttachment(r.Context(), rep.ID, att) })
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, att)
		return
	}
}

func (a *API) attachmentGet(w http.ResponseWriter, r *http.Request) {
	rep, _, err := a.loadReport(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	att, err := a.cfg.Store.Attachment(r.Context(), rep.ID, r.PathValue("sha"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if a.cfg.Attachments == nil {
		writeError(w, r, fmt.Errorf("%w: %w", errNoAttachments, fault.ErrNotFound))
		return
	}
	f, err := a.cfg.Attachments.Open(att.SHA256)
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer f.Close()
	upload.ServeAttachment(w, r, att, f)
}
