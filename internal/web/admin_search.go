// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"vigie/internal/domain"
)

// searchLimit is how many cases a name search shows, as the API's default.
const searchLimit = 20

type searchData struct {
	Query    string
	Mode     string // "fuzzy" or "exact"
	Searched bool
	Hits     []searchHit
	Error    string // a message ID
}

// searchHit is a case a search found. It names the case, never the
// person: the case page shows the name, and audits that it did.
type searchHit struct {
	Number, Agency string
	Percent        int
}

// searchPage is GET /search: by case number (straight to the case when
// it is within reach) or by name through the blind index, with the API's
// rules (domain.NameSearchAgency, domain.NameScore…) and its audit entry,
// which counts results and never holds what was typed. A case out of
// reach is never named nor counted: its name or number gives exactly
// what a name or number that does not exist gives.
func (s *site) searchPage(w http.ResponseWriter, r *http.Request) {
	p := visitorFrom(r).p
	agency, ok := p.NameSearchAgency()
	if !ok || p.Allowed(domain.ResCase, domain.ActRead) == domain.ScopeNone {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	// The page's form posts (r.Form holds the body then); a GET with q
	// still works for links and bookmarks made by hand.
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	d := searchData{Query: r.Form.Get("q"), Mode: r.Form.Get("mode")}
	if d.Mode == "" {
		d.Mode = "fuzzy"
	}
	text := strings.TrimSpace(d.Query)
	if text == "" {
		s.render(w, r, http.StatusOK, "admin_search", "search.title", d)
		return
	}
	min := domain.NameScoreFuzzy
	switch d.Mode {
	case "fuzzy":
	case "exact":
		min = domain.NameScoreExact
	default:
		d.Mode, d.Error = "fuzzy", "validation.enum"
	}
	if n := utf8.RuneCountInString(text); d.Error == "" && (n < 2 || n > 200) {
		d.Error = "admin.search.length"
	}
	if d.Error == "" && !utf8.ValidString(text) {
		d.Error = "validation.text_encoding" // not "type 2 to 200 characters"
	}
	if d.Error != "" {
		s.render(w, r, http.StatusBadRequest, "admin_search", "search.title", d)
		return
	}
	d.Searched = true
	if number := strings.ToUpper(text); isCaseNumber(number) {
		// The checker audits a refusal in the owning agency's trail; the
		// visitor sees the same empty result as for a number never issued.
		if _, _, err := s.reachCase(r, number); err == nil {
			if err := s.auditSearch(r, "number", 1); err != nil {
				s.fail(w, r, err)
				return
			}
			redirect(w, "/cases/"+number)
			return
		} else if k := domain.KindOf(err); k != domain.KindNotFound && k != domain.KindForbidden {
			s.fail(w, r, err)
			return
		}
		if err := s.auditSearch(r, "number", 0); err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "admin_search", "search.title", d)
		return
	}
	hits, err := s.searchNames(r, p, text, agency, min)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.auditSearch(r, d.Mode, len(hits)); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Hits = hits
	s.render(w, r, http.StatusOK, "admin_search", "search.title", d)
}

func isCaseNumber(s string) bool {
	_, _, _, ok := domain.ParseCaseNumber(s)
	return ok
}

// searchNames runs the store's search within the agency's reach, then
// keeps only the cases whose identity the visitor may read now: the same
// rule as the case page, so a result never leads to a 404.
func (s *site) searchNames(r *http.Request, p *domain.Principal, name, agency string, min float64) ([]searchHit, error) {
	list, err := s.Search.SearchNames(r.Context(), name, agency, min, searchLimit)
	if err != nil {
		return nil, err
	}
	var hits []searchHit
	for _, m := range list {
		acc, _, err := s.Access.CaseAccess(r.Context(), m.CaseID, p.UserID)
		if domain.KindOf(err) == domain.KindNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if p.Can(domain.ResIdentity, domain.ActRead, acc) {
			hits = append(hits, searchHit{Number: m.CaseNumber, Agency: m.Agency, Percent: int(m.Score*100 + 0.5)})
		}
	}
	return hits, nil
}

// auditSearch writes the API's search entry: that a search ran, its mode
// and how many cases it showed, never what was searched.
func (s *site) auditSearch(r *http.Request, mode string, results int) error {
	e := domain.NewAuditEntry(r.Context(), domain.AuditSearch)
	e.Resource, e.Detail = string(domain.ResIdentity), map[string]any{"results": results, "mode": mode}
	return s.Audit.Audit(r.Context(), e)
}
