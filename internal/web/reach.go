// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
	"vigie/internal/reach"
)

// reachCase checks that the visitor may read the case ref, with the same
// rules and audit entries as the API (package reach): a case out of reach
// is "not found", like a case that does not exist.
func (s *site) reachCase(r *http.Request, ref string) (domain.CaseAccess, string, error) {
	return s.checker().Case(r.Context(), visitorFrom(r).p, ref, domain.ResCase, domain.ActRead)
}

// auditCaseRead records what of a case was shown; a page whose reading
// cannot be recorded is not shown.
func (s *site) auditCaseRead(r *http.Request, acc domain.CaseAccess, number string, kept []domain.Resource) error {
	return s.checker().Read(r.Context(), visitorFrom(r).p, acc, number, domain.ResCase, kept)
}

func (s *site) checker() *reach.Checker { return &reach.Checker{Access: s.Access, Audit: s.Audit} }
