package api

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/importer"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
)

func (a *API) planRoutes() []Route {
	return []Route{
		{"GET /api/v1/plans", auth.ActionPlanList, a.planList},
		{"POST /api/v1/plans", auth.ActionPlanImport, a.planImport},
		{"GET /api/v1/plans/{id}", auth.ActionPlanRead, a.planGet},
	}
}

// planList lists the plans the caller may see: published plans for everyone,
// and drafts of the caller's own jurisdiction.
func (a *API) planList(w http.ResponseWriter, r *http.Request) {
	p := auth.PrincipalFrom(r.Context())
	f := store.PlanFilter{Jurisdiction: r.URL.Query().Get("jurisdiction")}
	if s := r.URL.Query().Get("status"); s != "" {
		if s != string(plan.StatusDraft) && s != string(plan.StatusPublished) {
			writeError(w, r, fault.Validation{{Field: "status", Code: "plan.status", Message: "status is draft or published"}})
			return
		}
		f.Status = plan.Status(s)
	}
	all, err := a.cfg.Store.Plans(r.Context(), f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := make([]store.PlanSummary, 0, len(all))
	for _, s := range all {
		if s.Status == plan.StatusPublished || auth.CanSeeDrafts(p, s.Jurisdiction) {
			out = append(out, s)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"plans": out})
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fault.Validation{{Field: name, Code: "id", Message: name + " must be a positive whole number"}}
	}
	return id, nil
}

// planGet returns a plan with its sections, tasks and indicators. A draft
// the caller may not see answers 404, not 403, so its existence stays private.
func (a *API) planGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	pl, err := a.cfg.Store.Plan(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if pl.Status != plan.StatusPublished && !auth.CanSeeDrafts(auth.PrincipalFrom(r.Context()), pl.Jurisdiction) {
		writeError(w, r, fmt.Errorf("plan %d: %w", id, fault.ErrNotFound))
		return
	}
	writeJSON(w, http.StatusOK, pl)
}

// planImport takes a document as a multipart upload (field "file") and
// answers with the draft plan: 201 when created, 200 when this document was
// imported before.
func (a *API) planImport(w http.ResponseWriter, r *http.Request) {
	p := auth.PrincipalFrom(r.Context())
	r.Body = http.MaxBytesReader(w, r.Body, a.cfg.Upload+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if isTooLarge(err) {
			writeError(w, r, err)
			return
		}
		writeError(w, r, fault.Validation{{Field: "file", Code: "upload.multipart", Message: "send the document as multipart/form-data in the field \"file\""}})
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("file")
	if err != nil {
		writeError(w, r, fault.Validation{{Field: "file", Code: "required", Message: "the field \"file\" holds the plan document"}})
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, a.cfg.Upload+1))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if int64(len(data)) > a.cfg.Upload {
		writeError(w, r, &http.MaxBytesError{Limit: a.cfg.Upload})
		return
	}
	year := 0
	if y := r.FormValue("year"); y != "" {
		if year, err = strconv.Atoi(y); err != nil {
			writeError(w, r, fault.Validation{{Field: "year", Code: "plan.year", Message: "year must be a number such as 2021"}})
			return
		}
	}
	var res importer.Result
	err = a.cfg.Store.Write(r.Context(), actorOf(r), func(tx *store.Tx) error {
		var err error
		res, err = importer.Import(r.Context(), tx, importer.Request{
			Jurisdiction: p.User.Jurisdiction,
			Name:         filepath.Base(header.Filename),
			Data:         data,
			Year:         year,
			Options:      a.extractOptions(),
		}, a.cfg.Now().Year())
		return err
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	writeJSON(w, status, res.Plan)
}
