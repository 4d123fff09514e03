// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
)

// regHome is the home page's registration section: the way into a new
// screening and the visitor's open drafts. Nil for roles that may not
// register a case (the section is not shown).
type regHome struct {
	Drafts []*domain.Draft
}

// regHomeSection reads the visitor's drafts for the home page. A draft
// list holds no personal data: dates and steps only.
func (s *site) regHomeSection(r *http.Request) (*regHome, error) {
	p := visitorFrom(r).p
	if p.Allowed(domain.ResCase, domain.ActCreate) == domain.ScopeNone || p.Allowed(domain.ResIdentity, domain.ActCreate) == domain.ScopeNone {
		return nil, nil
	}
	list, err := s.Drafts.Drafts(r.Context(), p.UserID)
	if err != nil {
		return nil, err
	}
	return &regHome{Drafts: list}, nil
}
