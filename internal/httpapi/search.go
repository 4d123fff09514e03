// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"unicode/utf8"

	"vigie/internal/domain"
)

// NameSearcher finds cases by the victim's name through the blind index,
// and lists the cases referred to an agency.
type NameSearcher interface {
	SearchNames(ctx context.Context, name, agencyID string, minScore float64, limit int) ([]domain.NameMatch, error)
	IncomingReferrals(ctx context.Context, agencyID string) ([]domain.ReferredCase, error)
}

// Scores: an exact search wants every token (or its phonetic twin); a
// fuzzy one accepts a typo; a duplicate warning wants most of the name.
const (
	exactScore     = domain.NameScoreExact
	fuzzyScore     = domain.NameScoreFuzzy
	duplicateScore = 0.75
)

// searchScope is the agency whose reach a search is limited to ("" for
// every agency).
func searchScope(p *domain.Principal) (string, error) {
	if agency, ok := p.NameSearchAgency(); ok {
		return agency, nil
	}
	return "", domain.Errorf(domain.KindForbidden, "votre rôle ne permet pas de chercher des noms / your role may not search names")
}

func (a *api) searchPersons(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	agency, err := searchScope(p)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	// name=A&name=B searched A alone: refused, as an unknown parameter.
	if err := readQuery(q, []string{"name", "mode", "limit"}).p.Err(); err != nil {
		return err
	}
	name := q.Get("name")
	if n := utf8.RuneCountInString(name); n < 2 || n > 200 || !utf8.ValidString(name) {
		return fieldError("name", "validation.length", "give 2 to 200 characters of a name")
	}
	min := fuzzyScore
	switch q.Get("mode") {
	case "", "fuzzy":
	case "exact":
		min = exactScore
	default:
		return fieldError("mode", "validation.enum", `must be "exact" or "fuzzy"`)
	}
	limit := 20
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return fieldError("limit", "validation.range", "must be between 1 and 100")
		}
		limit = n
	}
	list, err := a.Search.SearchNames(r.Context(), name, agency, min, limit)
	if err != nil {
		return err
	}
	if list == nil {
		list = []domain.NameMatch{}
	}
	// The query is a name: the entry records that a search ran and how
	// many cases it showed, not what was searched.
	e := domain.NewAuditEntry(r.Context(), domain.AuditSearch)
	e.Resource, e.Detail = string(domain.ResIdentity), map[string]any{"results": len(list), "mode": q.Get("mode")}
	if err := a.Audit.Audit(r.Context(), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

// duplicateWarnings names the cases, within the caller's reach, whose
// victim may be the person just registered.
func (a *api) duplicateWarnings(r *http.Request, c *domain.Case) []domain.Warning {
	name := c.Person.FirstName + " " + c.Person.MiddleName + " " + c.Person.SecondName
	agency, err := searchScope(principal(r))
	if err != nil {
		return nil
	}
	list, err := a.Search.SearchNames(r.Context(), name, agency, duplicateScore, 5)
	if err != nil {
		a.Log.Warn("duplicate check failed", "kind", domain.KindOf(err))
		return nil
	}
	var out []domain.Warning
	for _, m := range list {
		if m.CaseID == c.ID {
			continue
		}
		out = append(out, domain.Warning{Code: "possible_duplicate", CaseNumber: m.CaseNumber, Score: m.Score,
			Message: "correspondance possible : " + m.CaseNumber + " / possible match: " + m.CaseNumber})
	}
	return out
}

func (a *api) incomingReferrals(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if p.Allowed(domain.ResCase, domain.ActRead) == domain.ScopeNone {
		return domain.Errorf(domain.KindForbidden, "your role may not read cases")
	}
	list, err := a.Search.IncomingReferrals(r.Context(), p.AgencyID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []domain.ReferredCase{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}
