// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"context"
	"net/http"

	"vigie/internal/domain"
	"vigie/internal/reach"
)

// CaseAccessor tells who reaches a case, and records break-the-glass
// grants.
type CaseAccessor interface {
	CaseAccess(ctx context.Context, ref, userID string) (domain.CaseAccess, string, error)
	BreakGlass(ctx context.Context, g *domain.BreakGlass, e *domain.AuditEntry) error
}

// missingCase: a missing case and one out of reach answer alike.
func missingCase(ref string) error { return reach.MissingCase(ref) }

// reachCase checks that the caller may do act on res of the case ref
// (reach.Checker: the same rules and audit as the web pages).
func (a *api) reachCase(r *http.Request, ref string, res domain.Resource, act domain.Action) (domain.CaseAccess, string, error) {
	return a.reach.Case(r.Context(), principal(r), ref, res, act)
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

// auditCaseRead records that personal data of a case was shown.
func (a *api) auditCaseRead(r *http.Request, acc domain.CaseAccess, number string, res domain.Resource, kept []domain.Resource) error {
	return a.reach.Read(r.Context(), principal(r), acc, number, res, kept)
}
