package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/duban-org/duban/internal/fault"
)

// apiError is the JSON body of every error answer.
type apiError struct {
	Error  string             `json:"error"`
	Code   string             `json:"code"`
	Fields []fault.FieldError `json:"fields,omitempty"`
}

var (
	errUnauthenticated = errors.New("sign in first")
	errForbidden       = errors.New("your role may not do this")
)

// statusOf maps an error to an HTTP status and a stable code — the one place
// where domain errors meet HTTP.
func statusOf(err error) (int, string) {
	switch {
	case errors.Is(err, errUnauthenticated):
		return http.StatusUnauthorized, "unauthenticated"
	case errors.Is(err, errForbidden), errors.Is(err, fault.ErrForbidden):
		return http.StatusForbidden, "forbidden"
	case errors.Is(err, fault.ErrNotFound):
		return http.StatusNotFound, "not_found"
	case errors.Is(err, fault.ErrInvalid):
		return http.StatusBadRequest, "invalid"
	case errors.Is(err, fault.ErrConflict):
		return http.StatusConflict, "conflict"
	case isTooLarge(err):
		return http.StatusRequestEntityTooLarge, "too_large"
	}
	return http.StatusInternalServerError, "internal"
}

func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// writeError answers with err's status. Server errors are logged in full and
// answered with a fixed sentence: no SQL or stack reaches a client.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, code := statusOf(err)
	body := apiError{Error: err.Error(), Code: code}
	var v fault.Validation
	if errors.As(err, &v) {
		body.Fields = v
		body.Error = "the request has invalid fields"
	}
	if status == http.StatusInternalServerError {
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error = "internal error; the server log has the details"
	}
	writeJSON(w, status, body)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
