// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
)

// homeSize is how many cases the home page lists: enough for a day's
// work, small enough for a slow connection.
const homeSize = 20

type homeData struct {
	Name   string
	Agency string
	// Scope is "none" (admins: no case at all), "agency" or "all".
	Scope string
	Page  *domain.CasePage
	// Links is false for roles that may list cases but not open one
	// (coordinators): a link would lead to a 404.
	Links bool
	// Work is the workflow sections (casework_home.go).
	Work *homeWork
	// Registration is the drafts section (registration_home.go).
	Registration *regHome
}

func (s *site) home(w http.ResponseWriter, r *http.Request) {
	v := visitorFrom(r)
	d := homeData{Name: v.user.Name, Agency: v.p.Agency, Links: v.p.Allowed(domain.ResCase, domain.ActRead) != domain.ScopeNone}
	if d.Name == "" {
		d.Name = v.user.Email
	}
	scope := v.p.Allowed(domain.ResCase, domain.ActList)
	d.Scope = scope.String()
	if scope != domain.ScopeNone {
		f := domain.CaseFilter{Sort: "-updated", Limit: homeSize}
		if scope == domain.ScopeAgency {
			f.Agency = v.p.Agency
		}
		page, err := s.Cases.FindCases(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Page = page
	}
	work, err := s.homeWork(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Work = work
	if d.Registration, err = s.regHomeSection(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", "home.title", d)
}
