// SPDX-License-Identifier: AGPL-3.0-or-later

// Package reach decides whether a principal reaches a case and records
// the decision in the audit log, the same way for every surface (the JSON
// API and the web pages): a rule changed here changes for both.
package reach

import (
	"context"
	"strings"

	"vigie/internal/domain"
)

// Accessor tells who reaches a case (the store).
type Accessor interface {
	CaseAccess(ctx context.Context, ref, userID string) (domain.CaseAccess, string, error)
}

// Checker checks access to cases and audits it.
type Checker struct {
	Access Accessor
	Audit  domain.AuditLog
}

// MissingCase is the answer for a case that does not exist and for one
// outside the caller's reach: the two must be indistinguishable, or case
// numbers could be probed.
func MissingCase(ref string) error {
	return domain.Errorf(domain.KindNotFound, "le dossier %[1]s n'existe pas / case %[1]s does not exist", ref)
}

// Case checks that p may do act on res of the case ref. A case p cannot
// read at all is "not found"; a case p can read but not act on that way
// is forbidden. Every refusal is audited, in the owning agency's trail
// when the case exists.
func (c *Checker) Case(ctx context.Context, p *domain.Principal, ref string, res domain.Resource, act domain.Action) (domain.CaseAccess, string, error) {
	acc, number, err := c.Access.CaseAccess(ctx, ref, p.UserID)
	if domain.KindOf(err) == domain.KindNotFound {
		c.Denied(ctx, ref, res, act, "not_found", "")
		return acc, "", MissingCase(ref)
	}
	if err != nil {
		return acc, "", err
	}
	if !p.Can(domain.ResCase, domain.ActRead, acc) {
		c.Denied(ctx, ref, res, act, "out_of_scope", acc.AgencyID)
		return acc, "", MissingCase(ref)
	}
	if !p.Can(res, act, acc) {
		c.Denied(ctx, ref, res, act, "forbidden", acc.AgencyID)
		return acc, "", domain.Errorf(domain.KindForbidden, "votre rôle ne permet pas cette action / your role may not %s %s", act, res)
	}
	return acc, number, nil
}

// Denied records a refused access; the ref is recorded only if it is a
// case number or a record ID, never personal data.
func (c *Checker) Denied(ctx context.Context, ref string, res domain.Resource, act domain.Action, reason, agencyID string) {
	e := domain.NewAuditEntry(ctx, domain.AuditDenied)
	e.Resource, e.Outcome, e.AgencyID = string(res), "denied", agencyID
	e.Detail = map[string]any{"ref": Ref(ref), "action": string(act), "reason": reason}
	_ = c.Audit.Audit(ctx, e)
}

// Ref is what the log keeps of a reference a user typed: a case number or
// a record ID as is, anything else not at all (people type a victim's
// name where a case number belongs).
func Ref(ref string) string {
	if _, _, _, ok := domain.ParseCaseNumber(ref); ok {
		return ref
	}
	if len(ref) == 36 && strings.Count(ref, "-") == 4 && strings.Trim(ref, "0123456789abcdefABCDEF-") == "" {
		return ref
	}
	return "(not a case reference)"
}

// Read records that personal data of a case was shown, and which field
// groups and parts were. Showing data whose access cannot be recorded is
// refused: callers return the error instead of the data.
func (c *Checker) Read(ctx context.Context, p *domain.Principal, acc domain.CaseAccess, number string, res domain.Resource, kept []domain.Resource) error {
	e := domain.NewAuditEntry(ctx, domain.AuditRead)
	e.Resource, e.RecordID, e.CaseID, e.CaseNumber, e.AgencyID = string(res), acc.CaseID, acc.CaseID, number, acc.AgencyID
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
	return c.Audit.Audit(ctx, e)
}
