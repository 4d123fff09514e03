// SPDX-License-Identifier: AGPL-3.0-or-later

package reach

import (
	"context"

	"vigie/internal/domain"
)

// SuspectAccessor tells who reaches a suspect (the store).
type SuspectAccessor interface {
	SuspectAccess(ctx context.Context, ref string) (domain.SuspectAccess, error)
}

// Suspects checks access to the perpetrator registry and audits it, the
// same way for the API and the pages.
type Suspects struct {
	Access SuspectAccessor
	Audit  domain.AuditLog
}

// MissingSuspect is the answer for a suspect that does not exist and for
// one outside the caller's reach, alike; what was typed is repeated only
// when it is a suspect number or an ID (never a name).
func MissingSuspect(ref string) error {
	return domain.Errorf(domain.KindNotFound, "suspect %s does not exist", SuspectRef(ref))
}

// SuspectRef is what the log and errors keep of a suspect reference.
func SuspectRef(ref string) string {
	if domain.ValidSuspectNumber(ref) {
		return ref
	}
	return Ref(ref)
}

// Check checks that p may do act on the suspect ref. A suspect p cannot
// read is "not found"; one p reads but may not act on that way is
// forbidden. Refusals are audited.
func (s *Suspects) Check(ctx context.Context, p *domain.Principal, ref string, act domain.Action) (domain.SuspectAccess, error) {
	acc, err := s.Access.SuspectAccess(ctx, ref)
	if domain.KindOf(err) == domain.KindNotFound {
		s.denied(ctx, ref, act, "not_found", "")
		return acc, MissingSuspect(ref)
	}
	if err != nil {
		return acc, err
	}
	if !p.CanSuspect(domain.ActRead, acc) {
		s.denied(ctx, ref, act, "out_of_scope", acc.AgencyID)
		return acc, MissingSuspect(ref)
	}
	if !p.CanSuspect(act, acc) {
		s.denied(ctx, ref, act, "forbidden", acc.AgencyID)
		return acc, domain.Errorf(domain.KindForbidden, "votre rôle ne permet pas cette action / your role may not %s this suspect", act)
	}
	return acc, nil
}

func (s *Suspects) denied(ctx context.Context, ref string, act domain.Action, reason, agencyID string) {
	e := domain.NewAuditEntry(ctx, domain.AuditDenied)
	e.Resource, e.Outcome, e.AgencyID = string(domain.ResSuspect), "denied", agencyID
	e.Detail = map[string]any{"ref": SuspectRef(ref), "action": string(act), "reason": reason}
	_ = s.Audit.Audit(ctx, e)
}

// Read records that a suspect's personal data was shown. Showing data
// whose access cannot be recorded is refused: callers return the error.
func (s *Suspects) Read(ctx context.Context, acc domain.SuspectAccess) error {
	e := domain.NewAuditEntry(ctx, domain.AuditRead)
	e.Resource, e.RecordID, e.AgencyID = string(domain.ResSuspect), acc.SuspectID, acc.AgencyID
	e.Detail = map[string]any{"number": acc.Number}
	return s.Audit.Audit(ctx, e)
}

// ReadList records that suspects' names were shown in a list or on a
// case: one entry naming their numbers (a case's when caseID is set).
func (s *Suspects) ReadList(ctx context.Context, p *domain.Principal, caseID, caseNumber string, list []*domain.Suspect) error {
	if len(list) == 0 {
		return nil
	}
	numbers := make([]string, len(list))
	for i, x := range list {
		numbers[i] = x.Number
	}
	e := domain.NewAuditEntry(ctx, domain.AuditRead)
	e.Resource, e.CaseID, e.CaseNumber, e.AgencyID = string(domain.ResSuspect), caseID, caseNumber, p.AgencyID
	e.Detail = map[string]any{"suspects": numbers}
	return s.Audit.Audit(ctx, e)
}
