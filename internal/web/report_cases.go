// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strings"
	"time"

	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/report"
)

type reportCasesData struct {
	Table, Row, Col string
	Back, Next      string
	Page            *domain.StatsCasePage
	// OpenCases: the reader may open a case (the case page then applies
	// the case's own access rules); coordinators list numbers only.
	OpenCases bool
}

// reportCasesPage is GET /report/cases: the de-identified cases behind one
// figure (case number, agency, sex, age group, forms, citizenship,
// province, year), for readers who may list them.
func (s *site) reportCasesPage(w http.ResponseWriter, r *http.Request) {
	vis := visitorFrom(r).p
	if !s.allowed(w, r, domain.ResReport, domain.ActRead) {
		return
	}
	q := r.URL.Query()
	p, err := reportPeriod(q, time.Now())
	agency := ""
	if err == nil {
		agency, err = report.Scope(vis, domain.ActRead, strings.TrimSpace(q.Get("agency")))
	}
	if domain.KindOf(err) == domain.KindForbidden || err == nil && !report.CanDrill(vis, agency) {
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	row, col := q.Get("row"), q.Get("col")
	if !q.Has("row") {
		row = report.All
	}
	if !q.Has("col") {
		col = report.All
	}
	var f domain.StatsFilter
	if err == nil {
		f, err = report.CellFilter(p, agency, q.Get("table"), row, col)
	}
	if err != nil {
		s.errorPage(w, r, http.StatusUnprocessableEntity)
		return
	}
	st, ok := s.Agencies.(domain.StatsService)
	if !ok {
		s.fail(w, r, domain.Errorf(domain.KindInternal, "no store for the statistics"))
		return
	}
	page, err := st.StatsCases(r.Context(), f, q.Get("cursor"), domain.DefaultPageSize)
	if domain.KindOf(err) == domain.KindInvalid {
		s.errorPage(w, r, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := i18n.For(langOf(r))
	d := reportCasesData{Page: page, OpenCases: vis.Allowed(domain.ResCase, domain.ActRead) != domain.ScopeNone}
	back := reportQuery(p, agency)
	d.Back = "/report?" + back.Encode() + "#t-" + q.Get("table")
	// Name the figure from the live report's labels.
	if svc, err := s.reports(); err == nil {
		if rep, err := report.Build(r.Context(), report.Sources{Cube: svc.Src.Cube}, p, agency); err == nil {
			if t := rep.Table(q.Get("table")); t != nil {
				d.Table, d.Row, d.Col = t.Title(l), keyLabel(l, t.RowKeys, t.Rows, row), keyLabel(l, t.ColKeys, t.Cols, col)
			}
		}
	}
	if page.NextCursor != "" {
		next := r.URL.Query()
		next.Set("cursor", page.NextCursor)
		d.Next = "/report/cases?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "report_cases", "report.cases.title", d)
}
