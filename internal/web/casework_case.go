// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// caseWork is the case page's workflow block: the actions the visitor's
// roles allow on this case (a link shown is a link that works), the
// pending closure request, the referrals waiting for the visitor's
// agency, and the support plans still open.
type caseWork struct {
	Number string
	CSRF   string
	Closed bool

	CanEdit, CanComment, CanPlan, CanEndPlan, CanConsent, CanRefer bool
	CanRequestClosure, CanDecide, CanReopen                        bool
	HasConsent                                                     bool

	Pending *domain.ClosureRequest
	// Answerable are the active referrals of the case to the visitor's
	// agency that it has not answered yet.
	Answerable []string
	Plans      []openPlan
}

type openPlan struct {
	ID      string
	Version int64
	Type    string // label
	Due     string // formatted, "" when none
}

// caseWork builds the block for case c (already redacted for the
// visitor) and adds the workflow's records to the timeline: answers to
// referrals (the sender's feedback) and closure requests and decisions.
func (s *site) caseWork(r *http.Request, l *i18n.Localizer, c *domain.Case, acc domain.CaseAccess, tl *[]entry) (*caseWork, error) {
	st, err := s.work()
	if err != nil {
		return nil, err
	}
	v := visitorFrom(r)
	p := v.p
	owner := acc.AgencyID == p.AgencyID
	can := func(res domain.Resource, act domain.Action) bool { return p.Can(res, act, acc) }
	part := domain.PartResource
	w := &caseWork{Number: c.Number, CSRF: auth.CSRFToken(v.raw), Closed: domain.IsClosedStatus(c.Status), HasConsent: c.ConsentOnRecord()}
	w.CanEdit = can(domain.ResCase, domain.ActUpdate) && can(domain.ResIdentity, domain.ActUpdate) &&
		can(domain.ResContact, domain.ActUpdate) && can(domain.ResVictim, domain.ActUpdate)
	w.CanComment = can(part(domain.PartComments), domain.ActCreate)
	w.CanPlan = can(part(domain.PartSupportPlans), domain.ActCreate)
	w.CanEndPlan = can(part(domain.PartSupportPlans), domain.ActUpdate)
	w.CanConsent = can(part(domain.PartConsents), domain.ActCreate) && p.MayRecordConsent(acc, true)
	w.CanRefer = can(part(domain.PartReferrals), domain.ActCreate) && can(part(domain.PartConsents), domain.ActRead)
	w.CanRequestClosure = !w.Closed && owner && can(domain.ResCase, domain.ActUpdate)
	w.CanReopen = w.Closed && owner && can(domain.ResCase, domain.ActUpdate)
	decider := owner && can(domain.ResCase, domain.ActClose)

	// Free text of the workflow (reasons, notes) is for those who work
	// the case, who read its comments; others see the steps only.
	texts := can(part(domain.PartComments), domain.ActRead)
	requests, err := st.ClosureRequests(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	for _, q := range requests {
		if q.Status == domain.ClosurePending {
			w.Pending, w.CanDecide = q, decider
			w.CanRequestClosure = false
		}
		b := &lines{l: l}
		say(b, "casework.closure.requested_by", q.RequestedBy)
		if texts {
			say(b, "field.cas_ReasonForCaseClosure", q.Reason)
		}
		*tl = append(*tl, entry{Kind: "casework.timeline.closure_requested", When: q.RequestedAt, Date: l.Date(q.RequestedAt.UTC()), Lines: b.out})
		if q.Status != domain.ClosurePending {
			b := &lines{l: l}
			say(b, "casework.decision.by", q.DecidedBy)
			if texts {
				say(b, "casework.decision.note", q.Note)
			}
			*tl = append(*tl, entry{Kind: "casework.timeline.closure_" + q.Status, When: q.DecidedAt, Date: l.Date(q.DecidedAt.UTC()), Lines: b.out})
		}
	}
	if len(c.Referrals) > 0 {
		answers, err := st.ReferralAnswers(r.Context(), c.ID)
		if err != nil {
			return nil, err
		}
		for _, ref := range c.Referrals {
			a := answers[ref.ID]
			if a == nil {
				if ref.GivesAccess() && ref.ReferredAgency == p.Agency && p.MayAnswerReferrals() {
					w.Answerable = append(w.Answerable, ref.ID)
				}
				continue
			}
			b := &lines{l: l}
			say(b, "field.vig_ReferredAgency", a.Agency)
			say(b, "casework.answer.by", a.AnsweredBy)
			say(b, "casework.decline.reason", a.Reason)
			*tl = append(*tl, entry{Kind: "casework.timeline.referral_" + a.Answer, When: a.AnsweredAt, Date: l.Date(a.AnsweredAt.UTC()), Lines: b.out})
		}
	}
	for _, pl := range c.SupportPlans {
		if pl.ActualEndDate.IsZero() {
			op := openPlan{ID: pl.ID, Version: pl.Version, Type: l.Enum(domain.SupportPlanType.Field, pl.Type)}
			if !pl.PlannedEndDate.IsZero() && !pl.PlannedEndDate.Malformed() {
				op.Due = l.Date(pl.PlannedEndDate.Time())
			}
			w.Plans = append(w.Plans, op)
		}
	}
	slices.SortStableFunc(*tl, func(a, b entry) int { return a.When.Compare(b.When) })
	return w, nil
}

// say adds a labelled value when there is one; label is a message ID.
func say(b *lines, label, v string) {
	if v != "" {
		b.out = append(b.out, line{b.l.T(label), v})
	}
}
