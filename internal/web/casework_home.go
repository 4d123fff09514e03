// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
)

// homeListSize bounds each of the home page's workflow lists.
const homeListSize = 20

// followUpDays is how far ahead the home page looks for follow-ups.
const followUpDays = 7

// homeWork is the home page's workflow sections; a nil list is a section
// the visitor's roles do not have (not shown), an empty one says so.
type homeWork struct {
	Referrals []domain.InboxReferral
	FollowUps []domain.FollowUp
	Closures  []*domain.ClosureRequest
	// ShowReferrals, ShowFollowUps and ShowClosures say which sections
	// the roles have.
	ShowReferrals, ShowFollowUps, ShowClosures bool
}

// homeWork reads the sections: referrals waiting for the visitor's
// agency, follow-ups due within a week (or overdue) in the cases it
// reaches, and, for supervisors, the closure requests to decide. None
// holds personal data: case numbers, agencies, dates.
func (s *site) homeWork(r *http.Request) (*homeWork, error) {
	p := visitorFrom(r).p
	h := &homeWork{
		ShowReferrals: p.Allowed(domain.PartResource(domain.PartReferrals), domain.ActUpdate) != domain.ScopeNone,
		ShowFollowUps: p.Allowed(domain.PartResource(domain.PartSupportPlans), domain.ActRead) != domain.ScopeNone,
		ShowClosures:  p.Allowed(domain.ResCase, domain.ActClose) != domain.ScopeNone,
	}
	if !h.ShowReferrals && !h.ShowFollowUps && !h.ShowClosures {
		return h, nil
	}
	st, err := s.work()
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	if h.ShowReferrals {
		all, err := st.ReferralInbox(ctx, p.AgencyID, homeListSize)
		if err != nil {
			return nil, err
		}
		for _, x := range all {
			if x.Answer == "" {
				h.Referrals = append(h.Referrals, x)
			}
		}
	}
	if h.ShowFollowUps {
		until := domain.DateOf(s.Now().UTC().AddDate(0, 0, followUpDays))
		if h.FollowUps, err = st.FollowUpsDue(ctx, p.AgencyID, until, homeListSize); err != nil {
			return nil, err
		}
	}
	if h.ShowClosures {
		if h.Closures, err = st.PendingClosures(ctx, p.AgencyID, homeListSize); err != nil {
			return nil, err
		}
	}
	return h, nil
}
