// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"vigie/internal/domain"
)

// TestProblemStatuses: each kind answers its status in problem+json; a
// busy or unreachable database says when to try again (Retry-After), as
// the 503 that a write waiting on another process's SQLite lock gets.
func TestProblemStatuses(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for kind, want := range map[domain.Kind]int{domain.KindUnavailable: 503, domain.KindMethod: 405, domain.KindTooLarge: 413, domain.KindInvalid: 422} {
		w := httptest.NewRecorder()
		writeError(w, httptest.NewRequest("GET", "/api/v1/cases", nil), log, domain.Errorf(kind, "x"))
		var p Problem
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Code != want || p.Status != want || p.Title == "" ||
			w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s %v", kind, w.Code, w.Body, err)
		}
		if got := w.Header().Get("Retry-After"); (kind == domain.KindUnavailable) != (got != "") {
			t.Errorf("%s: Retry-After %q", kind, got)
		}
	}
}
