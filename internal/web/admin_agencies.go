// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strings"

	"vigie/internal/domain"
)

type agenciesData struct {
	Agencies []*domain.Agency
	Types    []string
	// Form is what was typed, given back when it is refused.
	Form    domain.Agency
	Errors  map[string]string // field → message ID
	Created string            // the code of the agency just created
}

// allowed answers 403 and returns false when the visitor may not do act
// on res anywhere: the administration pages follow the permission table
// (agencies and users are the admins'), like the case list does.
func (s *site) allowed(w http.ResponseWriter, r *http.Request, res domain.Resource, act domain.Action) bool {
	if visitorFrom(r).p.Allowed(res, act) == domain.ScopeNone {
		s.errorPage(w, r, http.StatusForbidden)
		return false
	}
	return true
}

// agenciesPage is GET /admin/agencies: the list and the form to add one.
// Every role may list agencies through the API; the page, which is where
// agencies are managed, is for those who may create them.
func (s *site) agenciesPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResAgency, domain.ActCreate) {
		return
	}
	s.renderAgencies(w, r, http.StatusOK, agenciesData{Created: r.URL.Query().Get("created")})
}

func (s *site) renderAgencies(w http.ResponseWriter, r *http.Request, status int, d agenciesData) {
	list, err := s.Agencies.Agencies(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Agencies, d.Types = list, domain.OrgType.Values
	// The flash names an agency only if it exists: a link cannot make
	// the page say that something was created.
	created := d.Created
	d.Created = ""
	for _, a := range list {
		if created != "" && a.Code == created {
			d.Created = created
		}
	}
	s.render(w, r, status, "admin_agencies", "agencies.title", d)
}

// createAgency is POST /admin/agencies. The store validates the agency
// and writes the audit entry in the same transaction.
func (s *site) createAgency(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResAgency, domain.ActCreate) {
		return
	}
	a := domain.Agency{Code: strings.ToUpper(strings.TrimSpace(r.PostFormValue("code"))),
		Name: strings.TrimSpace(r.PostFormValue("name")), Type: r.PostFormValue("type")}
	err := s.Agencies.CreateAgency(r.Context(), &a)
	if err == nil {
		redirect(w, "/admin/agencies?created="+a.Code)
		return
	}
	msgs := fieldMessages(err)
	if domain.KindOf(err) == domain.KindConflict {
		msgs = map[string]string{"code": "admin.agency.code_used"}
	}
	if msgs == nil {
		s.fail(w, r, err)
		return
	}
	s.renderAgencies(w, r, http.StatusBadRequest, agenciesData{Form: a, Errors: msgs})
}

// fieldMessages maps a validation error's fields to their message IDs
// (the first problem of each field); nil when err is not a validation
// error.
func fieldMessages(err error) map[string]string {
	fe := domain.FieldErrors(err)
	if fe == nil {
		return nil
	}
	out := map[string]string{}
	for _, f := range fe {
		if _, seen := out[f.Field]; !seen {
			out[f.Field] = f.Code
		}
	}
	return out
}
