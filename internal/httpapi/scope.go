// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"context"
	"net/http"
	"strings"

	"vigie/internal/domain"
)

// CaseAccessor tells who reaches a case, and records break-the-glass
// grants.
type CaseAccessor interface {
	CaseAccess(ctx context.Context, ref, userID string) (domain.CaseAccess, string, error)
	BreakGlass(ctx context.Context, g *domain.BreakGlass, e *domain.AuditEntry) error
}

// missingCase is the answer for a case that does not exist and for one
// outside the caller's reach: the two must be indistinguishable, or case
// numbers could be probed.
func missingCase(ref string) error {
	return domain.Errorf(domain.KindNotFound, "case %s does not exist", ref)
}

// reachCase checks that the caller may do act on res of the case ref.
// A case the caller cannot read at all is "not found"; a case they can
// read but not act on that way is forbidden.
func (a *api) reachCase(r *http.Request, ref string, res domain.Resource, act domain.Action) (domain.CaseAccess, string, error) {
	p := principal(r)
	acc, number, err := a.Access.CaseAccess(r.Context(), ref, p.UserID)
	if domain.KindOf(err) == domain.KindNotFound {
		a.auditDenied(r, ref, res, act, "not_found", "")
		return acc, "", missingCase(ref)
	}
	if err != nil {
		return acc, "", err
	}
	if !p.Can(domain.ResCase, domain.ActRead, acc) {
		// The owning agency sees who probed its cases.
		a.auditDenied(r, ref, res, act, "out_of_scope", acc.AgencyID)
		return acc, "", missingCase(ref)
	}
	if !p.Can(res, act, acc) {
		a.auditDenied(r, ref, res, act, "forbidden", acc.AgencyID)
		return acc, "", domain.Errorf(domain.KindForbidden, "votre rôle ne permet pas cette action / your role may not %s %s", act, res)
	}
	return acc, number, nil
}

// auditDenied records a refused access; the ref is recorded as given
// (an ID or a case number), never personal data.
func (a *api) auditDenied(r *http.Request, ref string, res domain.Resource, act domain.Action, reason, agencyID string) {
	e := domain.NewAuditEntry(r.Context(), domain.AuditDenied)
	e.Resource, e.Outcome, e.AgencyID = string(res), "denied", agencyID
	e.Detail = map[string]any{"ref": auditRef(ref), "action": string(act), "reason": reason}
	_ = a.Audit.Audit(r.Context(), e)
}

// auditRef is what the log keeps of a reference a user typed: a case
// number or a record ID as is, anything else not at all (people type a
// victim's name where a case number belongs).
func auditRef(ref string) string {
	if _, _, _, ok := domain.ParseCaseNumber(ref); ok {
		return ref
	}
	if len(ref) == 36 && strings.Count(ref, "-") == 4 && strings.Trim(ref, "0123456789abcdefABCDEF-") == "" {
		return ref
	}
	return "(not a case reference)"
}

// requireScope checks a permission that is not about one case (agencies,
// users, lists) and returns its scope.
func requireScope(r *http.Request, res domain.Resource, act domain.Action) (domain.Scope, error) {
	s := principal(r).Allowed(res, act)
	if s == domain.ScopeNone {
		return s, domain.Errorf(domain.KindForbidden, "votre rôle ne permet pas cette action / your role may not %s %s", act, res)
	}
	return s, nil
}

// auditCaseRead records that personal data of a case was shown, and which
// field groups and parts were.
// Showing data whose access cannot be recorded is refused.
func (a *api) auditCaseRead(r *http.Request, acc domain.CaseAccess, number string, res domain.Resource, kept []domain.Resource) error {
	e := domain.NewAuditEntry(r.Context(), domain.AuditRead)
	e.Resource, e.RecordID, e.CaseID, e.CaseNumber, e.AgencyID = string(res), acc.CaseID, acc.CaseID, number, acc.AgencyID
	if len(kept) > 0 {
		names := make([]string, len(kept))
		for i, k := range kept {
			names[i] = string(k)
		}
		e.Detail = map[string]any{"shown": names}
	}
	if acc.BreakGlass && acc.AgencyID != principal(r).AgencyID {
		if e.Detail == nil {
			e.Detail = map[string]any{}
		}
		e.Detail["break_glass"] = true
	}
	return a.Audit.Audit(r.Context(), e)
}
