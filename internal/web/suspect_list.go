// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"sort"
	"strconv"

	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/reach"
)

type suspectsData struct {
	// Names is false for roles that count suspects without reading
	// them (coordinators): the page shows counts only.
	Names     bool
	Items     []*domain.Suspect
	Total     int
	Counts    []countRow
	Gender    string
	AgeGroup  string
	Genders   []option
	AgeGroups []option
	CanCreate bool
	Invalid   bool
	Offset    int
	Next      string
}

// countRow is one line of a table of counts: a dimension (gender…),
// one of its values and how many suspects have it.
type countRow struct {
	Dim, Label string
	N          int
}

// suspectsPage is GET /suspects: the registry the visitor reaches,
// newest first, filtered by gender and age group. Roles that may count
// suspects but not read them get counts by gender, age group and
// citizenship, never a name.
func (s *site) suspectsPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResSuspect, domain.ActList) {
		return
	}
	st, err := s.suspects()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := visitorFrom(r).p
	q := r.URL.Query()
	d := suspectsData{Gender: q.Get("gender"), AgeGroup: q.Get("age_group"), Genders: enumOptions(r, domain.Gender), AgeGroups: enumOptions(r, domain.AgeGroup),
		Names: p.Allowed(domain.ResSuspect, domain.ActRead) != domain.ScopeNone, CanCreate: p.Allowed(domain.ResSuspect, domain.ActCreate) != domain.ScopeNone}
	d.Offset, _ = strconv.Atoi(q.Get("offset"))
	f := domain.SuspectFilter{Gender: d.Gender, AgeGroup: d.AgeGroup, Offset: d.Offset, Limit: domain.DefaultPageSize}
	if p.Allowed(domain.ResSuspect, domain.ActList) == domain.ScopeAgency {
		f.Reach = p.AgencyID
	}
	status := http.StatusOK
	if f.Validate() != nil {
		// An edited URL: say so and show the first page unfiltered.
		d.Invalid, status, d.Gender, d.AgeGroup, d.Offset = true, http.StatusUnprocessableEntity, "", "", 0
		f = domain.SuspectFilter{Reach: f.Reach, Limit: domain.DefaultPageSize}
	}
	if !d.Names {
		c, err := st.CountSuspects(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Total, d.Counts = c.Total, suspectCountRows(i18n.For(langOf(r)), c)
		s.render(w, r, status, "suspect_list", "suspect.list.title", d)
		return
	}
	d.Items, d.Total, err = st.FindSuspects(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := (&reach.Suspects{Audit: s.Audit}).ReadList(r.Context(), p, "", "", d.Items); err != nil {
		s.fail(w, r, err)
		return
	}
	if next := f.Offset + len(d.Items); next < d.Total {
		v := q
		v.Set("offset", strconv.Itoa(next))
		d.Next = "/suspects?" + v.Encode()
	}
	s.render(w, r, status, "suspect_list", "suspect.list.title", d)
}

// suspectCountRows lays the counts out as one table: by gender, by age
// group, by citizenship, each most frequent first.
func suspectCountRows(l *i18n.Localizer, c *domain.SuspectCounts) []countRow {
	var out []countRow
	add := func(dim string, m map[string]int, label func(string) string) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if m[keys[i]] != m[keys[j]] {
				return m[keys[i]] > m[keys[j]]
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			out = append(out, countRow{dim, label(k), m[k]})
		}
	}
	add(l.T("suspect.gender"), c.ByGender, func(k string) string { return l.Enum(domain.Gender.Field, k) })
	add(l.T("suspect.age_group"), c.ByAgeGroup, func(k string) string { return l.Enum(domain.AgeGroup.Field, k) })
	add(l.T("suspect.citizenship"), c.ByCitizenship, func(k string) string {
		if _, ok := domain.CountryName(k); !ok {
			return l.T("suspect.unknown")
		}
		return k
	})
	return out
}
