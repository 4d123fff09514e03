// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
	"vigie/internal/report"
)

// reportRoutes registers the annual report's pages: the report, its
// files, locking, and the cases behind a figure.
func (s *site) reportRoutes(mux *http.ServeMux) {
	get := func(p string, h http.HandlerFunc) { mux.HandleFunc("GET "+p, s.signedIn(h)) }
	post := func(p string, h http.HandlerFunc) { mux.HandleFunc("POST "+p, s.signedIn(s.csrf(h))) }
	get("/report", s.reportPage)
	get("/report/file", s.reportFile)
	get("/report/cases", s.reportCasesPage)
	post("/report/lock", s.lockReport)
}

// reports is the report service over the store that keeps agencies (the
// one sqlstore.DB implements everything the report reads).
func (s *site) reports() (*report.Service, error) {
	if st, ok := s.Agencies.(report.Store); ok {
		return report.NewService(st), nil
	}
	return nil, domain.Errorf(domain.KindInternal, "no store for the report")
}
