// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"html/template"
	"net/http"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// dashboardData is the dashboard page: the filter form and the charts,
// each already drawn (chart and geo escape every label).
type dashboardData struct {
	Filter   dashFilter
	Agencies []option // empty for an agency-scoped reader
	Provs    []option
	// Agency is set when the reader sees their agency's cases only.
	Agency    string
	Total     int64
	TotalText string // Total in the page's number format
	Victims   []template.HTML
	Maps      []template.HTML
	Other     []template.HTML
}

// justiceFigures is the justice store's figures, when the store has them.
type justiceFigures interface {
	JusticeFigures(ctx context.Context, f domain.FiguresFilter) (*domain.JusticeFigures, error)
}

// dashboardPage is GET /dashboard: counts of identified victims over time
// and by sex and age, form of exploitation, citizenship, agency and
// province, maps of provinces and countries, and the justice, training
// and awareness figures of the period. Coordinators see every agency,
// supervisors their own; no one sees a name.
func (s *site) dashboardPage(w http.ResponseWriter, r *http.Request) {
	p := visitorFrom(r).p
	scope := p.Allowed(domain.ResStatistics, domain.ActRead)
	if scope == domain.ScopeNone {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	st, ok := s.Agencies.(dashStore)
	if !ok {
		s.fail(w, r, domain.Errorf(domain.KindInternal, "the store does not count cases"))
		return
	}
	f := parseDashFilter(r.URL.Query(), p, scope)
	d := dashboardData{Filter: f, Provs: enumOptions(r, domain.Province)}
	if scope == domain.ScopeAll {
		list, err := s.Agencies.Agencies(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, a := range list {
			d.Agencies = append(d.Agencies, option{a.Code, a.Code + " – " + a.Name})
		}
	} else {
		d.Agency = p.Agency
	}
	b := &dashBuilder{ctx: r.Context(), st: st, f: f, l: i18n.For(langOf(r)), national: scope == domain.ScopeAll && f.Agency == ""}
	if err := b.load(); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := b.victims(&d); err != nil {
		s.fail(w, r, err)
		return
	}
	d.TotalText = b.l.Number(d.Total)
	if err := s.dashOther(r, b, &d, scope); err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if f.Invalid != "" {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "dashboard", "dashboard.title", d)
}

// dashOther adds the figures of the other areas, each where the reader
// may see them and the store has them: persons through the justice
// chain, officials trained, people reached by awareness work.
func (s *site) dashOther(r *http.Request, b *dashBuilder, d *dashboardData, scope domain.Scope) error {
	p := visitorFrom(r).p
	from, to := b.f.dates()
	if j, ok := s.Agencies.(justiceFigures); ok {
		jf, err := j.JusticeFigures(r.Context(), domain.FiguresFilter{From: from, To: to, Agency: b.f.Agency})
		if err != nil {
			return err
		}
		d.Other = append(d.Other, b.justice(jf))
	}
	if s.Training != nil && p.Allowed(domain.ResTraining, domain.ActList) != domain.ScopeNone {
		ts, err := s.Training.TrainingSummary(r.Context(), from, to)
		if err != nil {
			return err
		}
		d.Other = append(d.Other, b.training(ts))
	}
	if pr, ok := s.Agencies.(domain.PreventionService); ok {
		if as := p.Allowed(domain.ResAwareness, domain.ActList); as != domain.ScopeNone {
			af := domain.AwarenessFilter{From: from, To: to, Province: b.f.stats().Province, Agency: b.f.Agency}
			if as != domain.ScopeAll {
				af.Agency = p.Agency
			}
			sum, err := pr.AwarenessSummary(r.Context(), af)
			if err != nil {
				return err
			}
			d.Other = append(d.Other, b.awareness(sum))
		}
	}
	return nil
}
