// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

type releaseRow struct {
	R       *domain.Release
	Epsilon string
}

type budgetRow struct {
	Year          int
	Spent, Budget string
	Full          bool
}

type releasesData struct {
	Items    []releaseRow
	Total    int
	CanDraft bool
	Budget   []budgetRow
}

// releasesPage is GET /publish: the releases, newest first (published
// ones only for the roles that do not prepare them), and for
// coordinators the ε budget of recent years.
func (s *site) releasesPage(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(w, r, domain.ResReleasePublished, domain.ActList) {
		return
	}
	st, err := s.releases()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := domain.ReleaseFilter{Limit: domain.MaxPageSize}
	d := releasesData{CanDraft: visitorFrom(r).p.Allowed(domain.ResRelease, domain.ActCreate) != domain.ScopeNone}
	if !worksOnReleases(r) {
		pub := domain.ReleasePublished
		f.Status = &pub
	}
	list, total, err := st.Releases(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := langOf(r)
	for _, rel := range list {
		d.Items = append(d.Items, releaseRow{R: rel, Epsilon: epsilonText(l, rel.EpsilonMilli)})
	}
	d.Total = total
	if worksOnReleases(r) {
		year := s.Now().Year()
		b, err := st.ReleaseBudgets(r.Context(), year-4, year)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, y := range b {
			d.Budget = append(d.Budget, budgetRow{Year: y.Year, Spent: epsilonText(l, y.SpentMilli), Budget: epsilonText(l, y.MaxMilli), Full: y.SpentMilli >= y.MaxMilli})
		}
	}
	s.render(w, r, http.StatusOK, "publish_list", "publish.list.title", d)
}

// epsilonText writes thousandths of ε as a decimal ("0" when none).
func epsilonText(l i18n.Lang, milli int64) string {
	return decimal(l, float64(milli)/1000, 3)
}
