// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"vigie/internal/domain"
)

// Problem is an RFC 9457 problem document, with one entry per invalid
// field in Errors.
type Problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail,omitempty"`
	Errors []domain.FieldError `json:"errors,omitempty"`
}

var titles = map[domain.Kind]string{
	domain.KindInvalid:      "Invalid data",
	domain.KindNotFound:     "Not found",
	domain.KindConflict:     "Conflict",
	domain.KindForbidden:    "Forbidden",
	domain.KindUnauthorized: "Unauthorized",
	domain.KindTooLarge:     "Request too large",
	domain.KindMediaType:    "Unsupported media type",
	domain.KindMethod:       "Method not allowed",
	domain.KindTooMany:      "Too many requests",
	domain.KindUnavailable:  "Service unavailable",
	domain.KindInternal:     "Internal error",
}

// writeError renders err as problem+json. Internal errors are logged with
// their cause and shown as a generic sentence.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	kind := domain.KindOf(err)
	status := kind.HTTPStatus()
	p := Problem{
		Type:   "https://vigie.invalid/problems/" + string(kind),
		Title:  titles[kind],
		Status: status,
		Detail: domain.SafeMessage(err),
		Errors: capErrors(domain.FieldErrors(err)),
	}
	if status >= 500 {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "kind", kind, "err", err)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	if kind == domain.KindUnavailable {
		w.Header().Set("Retry-After", "2") // a busy database is free again within seconds
	}
	if status == http.StatusUnauthorized {
		// RFC 9110 §11.6.1: a 401 names the schemes it accepts.
		w.Header().Set("WWW-Authenticate", `Bearer realm="vigie"`)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// maxFieldErrors bounds the entries of one answer: a 1 MiB body of 60,000
// bad list items was answered with 7 MB of entries. The first ones say
// what to mend; the last entry, within the bound, says how many more
// there were.
const maxFieldErrors = 100

func capErrors(fe []domain.FieldError) []domain.FieldError {
	if len(fe) <= maxFieldErrors {
		return fe
	}
	out := append([]domain.FieldError(nil), fe[:maxFieldErrors-1]...)
	return append(out, domain.FieldError{Field: "(document)", Code: "validation.too_many_errors",
		Message: fmt.Sprintf("%d more problems not listed; mend these and send again", len(fe)-(maxFieldErrors-1))})
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"title":"Internal error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
