// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"

	"vigie/internal/domain"
)

// awaitingAnswer reports whether the case already has an outgoing
// referral to agency that the agency has not answered yet. Sending the
// form again (a double click, the back button, a replayed form) would
// otherwise stack identical pending referrals in the receiving inbox.
// An answered referral does not count: the case may be referred again
// after an acceptance or a decline.
func awaitingAnswer(ctx context.Context, st caseworkStore, c *domain.Case, agency string) (bool, error) {
	var candidates []*domain.Referral
	for _, ref := range c.Referrals {
		if ref != nil && ref.GivesAccess() && ref.ReferredAgency == agency {
			candidates = append(candidates, ref)
		}
	}
	if len(candidates) == 0 {
		return false, nil
	}
	answers, err := st.ReferralAnswers(ctx, c.ID)
	if err != nil {
		return false, err
	}
	for _, ref := range candidates {
		if answers[ref.ID] == nil {
			return true, nil
		}
	}
	return false, nil
}

// repeatReferral answers the request when the referral to agency would
// repeat one still waiting for its answer: the form again, with the
// reason, as a conflict. It reports whether it answered.
func (s *site) repeatReferral(w http.ResponseWriter, r *http.Request, c *domain.Case, f *actionForm, agency string) bool {
	st, err := s.work()
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	waiting, err := awaitingAnswer(r.Context(), st, c, agency)
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	if waiting {
		f.Problem = "qa.refer.pending"
		s.showForm(w, r, http.StatusConflict, f)
	}
	return waiting
}

// referralAnswered shows, instead of the decline form, that the referral
// has been answered already (a double click on Accept, the back button,
// a colleague quicker): "someone else changed this case, reload and try
// again" sent the user round in circles, since trying again cannot work.
func (s *site) referralAnswered(w http.ResponseWriter, r *http.Request, f *actionForm) {
	f.Problem, f.Blocked = "qa.referral.answered", true
	s.showForm(w, r, http.StatusConflict, f)
}

// answeredBefore answers the decline page of a referral already answered
// with referralAnswered, and reports whether it did.
func (s *site) answeredBefore(w http.ResponseWriter, r *http.Request, caseID string, f *actionForm) bool {
	st, err := s.work()
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	answers, err := st.ReferralAnswers(r.Context(), caseID)
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	if answers[r.PathValue("id")] == nil {
		return false
	}
	s.referralAnswered(w, r, f)
	return true
}
