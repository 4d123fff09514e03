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
