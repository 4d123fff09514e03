// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/url"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

func TestParseDashFilter(t *testing.T) {
	coord := &domain.Principal{Agency: "KIN", Roles: []domain.Role{domain.RoleCoordinator}}
	for _, c := range []struct {
		query   string
		invalid string
		from    domain.StatsFilter
	}{
		{"", "", domain.StatsFilter{Victims: true}},
		{"from=2025&to=2026", "", domain.StatsFilter{Victims: true, YearFrom: 2025, YearTo: 2026}},
		{"from=2025-01&to=2025-12&province=CD-NK&agency=GOM", "", domain.StatsFilter{Victims: true, YearFrom: 2025, YearTo: 2025, Province: "CD-NK", Agency: "GOM"}},
		{"from=2025-11&to=2026-02", "", domain.StatsFilter{Victims: true, YearFrom: 2025, YearTo: 2026,
			In: map[domain.StatsDim][]string{domain.StatsMonth: {"2025-11", "2025-12", "2026-01", "2026-02"}}}},
		{"from=2025-03", "to", domain.StatsFilter{Victims: true}}, // a month needs both ends
		{"to=2025-03", "from", domain.StatsFilter{Victims: true}},
		{"from=1990-01&to=2030-12", "", domain.StatsFilter{Victims: true, YearFrom: 1990, YearTo: 2030}},
		{"from=1990-02&to=2030-12", "from", domain.StatsFilter{Victims: true}}, // over 300 months
		{"from=1989", "from", domain.StatsFilter{Victims: true}},
		{"from=2025-00", "from", domain.StatsFilter{Victims: true}},
		{"from=25", "from", domain.StatsFilter{Victims: true}},
		{"from=2026&to=2025", "to", domain.StatsFilter{Victims: true}},
		{"province=Nord-Kivu", "province", domain.StatsFilter{Victims: true}},
		{"agency=k%20n", "agency", domain.StatsFilter{Victims: true}},
	} {
		q, _ := url.ParseQuery(c.query)
		f := parseDashFilter(q, coord, domain.ScopeAll)
		if f.Invalid != c.invalid {
			t.Errorf("%q: invalid %q, want %q", c.query, f.Invalid, c.invalid)
		}
		got := f.stats()
		if got.YearFrom != c.from.YearFrom || got.YearTo != c.from.YearTo || got.Province != c.from.Province || got.Agency != c.from.Agency ||
			len(got.In[domain.StatsMonth]) != len(c.from.In[domain.StatsMonth]) || !got.Victims {
			t.Errorf("%q: stats filter %+v, want %+v", c.query, got, c.from)
		}
		for i, m := range c.from.In[domain.StatsMonth] {
			if got.In[domain.StatsMonth][i] != m {
				t.Errorf("%q: months %v", c.query, got.In[domain.StatsMonth])
			}
		}
	}
	// A supervisor is held to their agency, whatever the query says.
	sup := &domain.Principal{Agency: "GOM", Roles: []domain.Role{domain.RoleSupervisor}}
	for _, q := range []string{"agency=KIN", "agency=KIN&from=abc", ""} {
		v, _ := url.ParseQuery(q)
		if f := parseDashFilter(v, sup, domain.ScopeAgency); f.stats().Agency != "GOM" {
			t.Errorf("%q: a supervisor's filter is on agency %q", q, f.stats().Agency)
		}
	}
}

// FuzzDashFilter: whatever the query, the filter the store gets is valid,
// lists at most MaxStatsValues months, and an agency-scoped reader's is
// on their agency.
func FuzzDashFilter(f *testing.F) {
	for _, s := range []string{"from=2025&to=2026", "from=2025-03&to=2026-09&province=CD-NK", "from=-1&to=99999", "agency=%00", "from=2025-1"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, query string, agencyScope bool) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		p := &domain.Principal{Agency: "GOM"}
		scope := domain.ScopeAll
		if agencyScope {
			scope = domain.ScopeAgency
		}
		df := parseDashFilter(q, p, scope)
		sf := df.stats()
		if err := sf.Validate(); err != nil {
			t.Fatalf("%q: the store would refuse the filter: %v", query, err)
		}
		if len(sf.In[domain.StatsMonth]) > domain.MaxStatsValues {
			t.Fatalf("%q: %d months", query, len(sf.In[domain.StatsMonth]))
		}
		if agencyScope && sf.Agency != "GOM" {
			t.Fatalf("%q: agency %q", query, sf.Agency)
		}
		if from, to := df.dates(); !from.IsZero() && !to.IsZero() && to.Time().Before(from.Time()) {
			t.Fatalf("%q: period %v–%v", query, from, to)
		}
	})
}

// TestOtherFigures draws the justice, training and awareness figures from
// their summaries: every stage, ministry and province with its counts.
func TestOtherFigures(t *testing.T) {
	b := &dashBuilder{l: i18n.For(i18n.FR)}
	j := &domain.JusticeFigures{Investigated: domain.NewPersonCounts(), Prosecuted: domain.NewPersonCounts(), Convicted: domain.NewPersonCounts()}
	j.Investigated.Add("Masculine", "Adult", "CD")
	j.Investigated.Add("Masculine", "Adult", "RW")
	j.Investigated.Add("Feminine", "Adult", "CD")
	j.Prosecuted.Add("Masculine", "Adult", "CD")
	j.Convicted.Add("Feminine", "Adult", "CD")
	tr := &domain.TrainingSummary{Groups: []domain.ReachCount{{Ministry: "Justice", Province: "CD-KN", Sex: "Female", Count: 4},
		{Ministry: "Justice", Province: "CD-NK", Sex: "Male", Count: 2}, {Ministry: "Intérieur", Sex: "Male", Count: 9}}}
	aw := &domain.AwarenessSummary{Rows: []domain.AwarenessTotal{{Province: "CD-NK", Reached: domain.Reached{FemaleChildren: 10, MaleAdults: 5}},
		{Province: "CD-KN", Reached: domain.Reached{FemaleAdults: 1}}}}
	for _, c := range []struct {
		html string
		want []string
	}{
		{string(b.justice(j)), []string{"Enquête, Masculin\u00a0: 2", "Enquête, Féminin\u00a0: 1", "Poursuites, Masculin\u00a0: 1", "Condamnation, Féminin\u00a0: 1"}},
		{string(b.training(tr)), []string{"Justice, Femme\u00a0: 4", "Justice, Homme\u00a0: 2", "Intérieur, Homme\u00a0: 9"}},
		{string(b.awareness(aw)), []string{"Nord-Kivu, Filles\u00a0: 10", "Nord-Kivu, Hommes\u00a0: 5", "Kinshasa, Femmes\u00a0: 1"}},
		{string(b.justice(&domain.JusticeFigures{})), []string{"Aucune donnée pour ces filtres."}},
	} {
		for _, s := range c.want {
			if !strings.Contains(c.html, s) {
				t.Errorf("lacks %q:\n%s", s, c.html)
			}
		}
	}
}
