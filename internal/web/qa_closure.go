// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
)

// decidedBefore answers the decision page, or a decision posted, for a
// closure request that was decided already (the button clicked twice,
// the back button, another supervisor quicker): it says so, where the
// page answered "not found". It reports whether it answered.
func (s *site) decidedBefore(w http.ResponseWriter, r *http.Request, caseID, number string) bool {
	st, err := s.work()
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	list, err := st.ClosureRequests(r.Context(), caseID)
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	for _, c := range list {
		if c.ID == r.PathValue("id") && c.Status != domain.ClosurePending {
			s.showForm(w, r, http.StatusConflict, &actionForm{Number: number, Title: "casework.decision.title",
				Problem: "qa.closure.decided", Blocked: true})
			return true
		}
	}
	return false
}
