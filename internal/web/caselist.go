// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

// listPage is the size of a page of /cases.
const listPage = 50

type listData struct {
	Q       url.Values // the filter as given, to fill the form back
	Page    *domain.CasePage
	Next    string // the next page's URL, if any
	Links   bool
	Errors  []domain.FieldError
	Options map[string][]string
}

// filterOptions are the choices of the filter form's lists, from the
// domain's code lists so that the form offers only valid values.
var filterOptions = map[string][]string{
	"status":       optionOrder(domain.CaseStatus.Values),
	"gender":       optionOrder(domain.Gender.Values),
	"age_group":    optionOrder(domain.AgeGroup.Values),
	"exploitation": optionOrder(domain.TypeOfExploitation.Values),
	"province":     domain.Province.Values,
	"sort":         domain.CaseSorts,
}

// caseList is GET /cases: the list with its filter form. The scope rule
// is the API's listCases: a role that lists its agency's cases gets only
// those; a coordinator lists every agency's (lists hold no personal data).
func (s *site) caseList(w http.ResponseWriter, r *http.Request) {
	v := visitorFrom(r)
	scope := v.p.Allowed(domain.ResCase, domain.ActList)
	if scope == domain.ScopeNone {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	q := r.URL.Query()
	d := listData{Q: q, Links: v.p.Allowed(domain.ResCase, domain.ActRead) != domain.ScopeNone, Options: filterOptions}
	f, problems := parseFilter(q)
	if scope == domain.ScopeAgency {
		f.Agency = v.p.Agency
	}
	if len(problems) == 0 {
		if err := f.Validate(); err != nil {
			problems = domain.FieldErrors(err)
			if problems == nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	if len(problems) > 0 {
		d.Errors = problems
		s.render(w, r, http.StatusBadRequest, "cases", "case.list.title", d)
		return
	}
	page, err := s.Cases.FindCases(r.Context(), f)
	if err != nil {
		if fe := domain.FieldErrors(err); fe != nil {
			d.Errors = fe
			s.render(w, r, http.StatusBadRequest, "cases", "case.list.title", d)
			return
		}
		s.fail(w, r, err)
		return
	}
	d.Page = page
	if page.NextCursor != "" {
		next := url.Values{}
		for k, vs := range q {
			if k != "cursor" && len(vs) > 0 && vs[0] != "" {
				next.Set(k, vs[0])
			}
		}
		next.Set("cursor", page.NextCursor)
		d.Next = "/cases?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "cases", "case.list.title", d)
}

// parseFilter reads the form. Empty fields do not filter (a form sends
// every field, filled or not); the agency is never taken from the form.
func parseFilter(q url.Values) (domain.CaseFilter, []domain.FieldError) {
	var p domain.Problems
	str := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	year := func(k string) int {
		s := str(k)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			p.Add(k, "validation.integer", "%q is not a positive whole number", s)
		}
		return n
	}
	f := domain.CaseFilter{
		Status: str("status"), Gender: str("gender"), AgeGroup: str("age_group"), Exploitation: str("exploitation"),
		Citizenship: strings.ToUpper(str("citizenship")), Province: str("province"), YearFrom: year("year_from"), YearTo: year("year_to"),
		Sort: str("sort"), Cursor: str("cursor"), Limit: listPage,
	}
	return f, p
}
