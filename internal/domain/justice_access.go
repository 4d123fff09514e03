// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"slices"
)

// JusticeAccess is what decides whether a proceeding is within a user's
// reach: the agency that owns it (the police unit or parquet that
// investigates) and the agencies that reach a victim's case taking part
// in it.
type JusticeAccess struct {
	ProceedingID string
	Number       string
	AgencyID     string
	// CaseAgencies are the agencies reaching a participating victim's
	// case (owning agency or active referral).
	CaseAgencies []string
}

// CanProceeding reports whether the principal may do act on the
// proceeding in full. Only the owning agency's justice users do: an
// investigation is not shared with another unit through a victim's
// referral (the other unit asks for it, as between parquets).
func (p *Principal) CanProceeding(act Action, a JusticeAccess) bool {
	switch p.Allowed(ResJustice, act) {
	case ScopeAll:
		return true
	case ScopeAgency:
		return a.AgencyID == p.AgencyID
	}
	return false
}

// CanProceedingSummary reports whether the principal may read the
// proceeding's status summary: holders of the full view, and the
// workers of an agency reaching a participating victim's case.
func (p *Principal) CanProceedingSummary(a JusticeAccess) bool {
	if p.CanProceeding(ActRead, a) {
		return true
	}
	switch p.Allowed(ResJusticeSummary, ActRead) {
	case ScopeAll:
		return true
	case ScopeAgency:
		return a.AgencyID == p.AgencyID || slices.Contains(a.CaseAgencies, p.AgencyID)
	}
	return false
}

// ProceedingFilter selects proceedings. Empty fields do not filter.
type ProceedingFilter struct {
	// Agency is the owning agency's code: set by the surfaces from the
	// caller's scope for agency-scoped roles.
	Agency      string
	Status      string // one of Stages
	SituationID string
	CaseID      string // a participating victim's case
	SuspectID   string // a defendant
	Offset      int
	Limit       int
}

// Validate checks the filter's values before any query runs.
func (f *ProceedingFilter) Validate() error {
	var p Problems
	if f.Agency != "" && !ValidAgencyCode(f.Agency) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code", truncate(f.Agency, 40))
	}
	if f.Status != "" && !slices.Contains(Stages, f.Status) {
		p.Add("status", "validation.enum", "%q is not a stage", truncate(f.Status, 40))
	}
	checkText(&p, "situation_id", f.SituationID, 40)
	checkText(&p, "case_id", f.CaseID, 40)
	checkText(&p, "suspect_id", f.SuspectID, 40)
	checkPage(&p, &f.Offset, &f.Limit)
	return p.Err()
}

// JusticeService stores the criminal-justice chain. Writes carry the
// actor in the context (WithActor) and are audited; reads of a
// proceeding in full are audited by the store (Proceeding).
type JusticeService interface {
	CreateProceeding(ctx context.Context, pr *Proceeding) error
	UpdateProceeding(ctx context.Context, pr *Proceeding) error
	DeleteProceeding(ctx context.Context, id string, version int64) error
	// Proceeding reads a proceeding in full, by ID or number, and audits
	// the read.
	Proceeding(ctx context.Context, ref string) (*Proceeding, error)
	ProceedingAccess(ctx context.Context, ref string) (JusticeAccess, error)
	Proceedings(ctx context.Context, f ProceedingFilter) ([]*Proceeding, int, error)
	// CaseJustice is the summaries of the proceedings case caseID's
	// victim takes part in (no audit: no personal data).
	CaseJustice(ctx context.Context, caseID string) ([]JusticeSummary, error)
	AddStep(ctx context.Context, proceedingID string, s Step) error
	UpdateStep(ctx context.Context, proceedingID string, s Step) error
	DeleteStep(ctx context.Context, proceedingID string, kind StepKind, id string, version int64) error

	CreateLawArticle(ctx context.Context, a *LawArticle) error
	UpdateLawArticle(ctx context.Context, a *LawArticle) error
	LawArticles(ctx context.Context, activeOnly bool) ([]*LawArticle, error)

	JusticeFigures(ctx context.Context, f FiguresFilter) (*JusticeFigures, error)
}
