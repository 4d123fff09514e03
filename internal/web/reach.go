// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strings"

	"vigie/internal/domain"
)

// These are the API's reachCase, auditDenied, auditRef and auditCaseRead
// (httpapi/scope.go), rule for rule, so that reading a case on a page is
// checked and recorded exactly as reading it through the API is. They
// are copied, not shared, because httpapi keeps them unexported; a change
// to one must be made to the other (the tests of both packages check the
// 404-for-out-of-scope rule).

// reachCase checks that the visitor may read the case ref. A case out of
// reach is "not found", like a case that does not exist, so that case
// numbers cannot be probed.
func (s *site) reachCase(r *http.Request, ref string) (domain.CaseAccess, string, error) {
	p := visitorFrom(r).p
	acc, number, err := s.Access.CaseAccess(r.Context(), ref, p.UserID)
	if domain.KindOf(err) == domain.KindNotFound {
		s.auditDenied(r, ref, "not_found", "")
		return acc, "", domain.Errorf(domain.KindNotFound, "case %s does not exist", ref)
	}
	if err != nil {
		return acc, "", err
	}
	if !p.Can(domain.ResCase, domain.ActRead, acc) {
		// The owning agency sees who probed its cases.
		s.auditDenied(r, ref, "out_of_scope", acc.AgencyID)
		return acc, "", domain.Errorf(domain.KindNotFound, "case %s does not exist", ref)
	}
	return acc, number, nil
}

func (s *site) auditDenied(r *http.Request, ref, reason, agencyID string) {
	e := domain.NewAuditEntry(r.Context(), domain.AuditDenied)
	e.Resource, e.Outcome, e.AgencyID = string(domain.ResCase), "denied", agencyID
	e.Detail = map[string]any{"ref": auditRef(ref), "action": string(domain.ActRead), "reason": reason}
	_ = s.Audit.Audit(r.Context(), e)
}

// auditRef keeps a case number or a record ID as typed, anything else not
// at all (people type a victim's name where a case number belongs).
func auditRef(ref string) string {
	if _, _, _, ok := domain.ParseCaseNumber(ref); ok {
		return ref
	}
	if len(ref) == 36 && strings.Count(ref, "-") == 4 && strings.Trim(ref, "0123456789abcdefABCDEF-") == "" {
		return ref
	}
	return "(not a case reference)"
}

// auditCaseRead records that personal data of a case was shown, and
// which field groups and parts were. A page whose reading cannot be
// recorded is not shown.
func (s *site) auditCaseRead(r *http.Request, acc domain.CaseAccess, number string, kept []domain.Resource) error {
	p := visitorFrom(r).p
	e := domain.NewAuditEntry(r.Context(), domain.AuditRead)
	e.Resource, e.RecordID, e.CaseID, e.CaseNumber, e.AgencyID = string(domain.ResCase), acc.CaseID, acc.CaseID, number, acc.AgencyID
	if len(kept) > 0 {
		names := make([]string, len(kept))
		for i, k := range kept {
			names[i] = string(k)
		}
		e.Detail = map[string]any{"shown": names}
	}
	if acc.BreakGlass && acc.AgencyID != p.AgencyID {
		if e.Detail == nil {
			e.Detail = map[string]any{}
		}
		e.Detail["break_glass"] = true
	}
	return s.Audit.Audit(r.Context(), e)
}
