// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
)

// justiceRoutes registers the pages of the criminal-justice chain: the
// proceedings of the visitor's agency (justice roles), a case's justice
// summary (whoever reads the case) and the list of offences.
func (s *site) justiceRoutes(mux *http.ServeMux) {
	get := func(p string, h http.HandlerFunc) { mux.HandleFunc("GET "+p, s.signedIn(h)) }
	post := func(p string, h http.HandlerFunc) { mux.HandleFunc("POST "+p, s.signedIn(s.csrf(h))) }

	get("/justice", s.proceedingsPage)
	get("/justice/new", s.newProceedingPage)
	post("/justice", s.createProceeding)
	get("/justice/{ref}", s.proceedingPage)
	post("/justice/{ref}/edit", s.editProceeding)
	post("/justice/{ref}/delete", s.deleteProceeding)
	post("/justice/{ref}/steps/{kind}", s.addJusticeStep)
	post("/justice/{ref}/steps/{kind}/{id}/delete", s.deleteJusticeStep)
	post("/justice/{ref}/charges/{id}/verdict", s.chargeVerdict)

	get("/cases/{ref}/justice", s.caseJusticePage)

	get("/law", s.lawPage)
	post("/law", s.addLawArticle)
	post("/law/{id}/active", s.toggleLawArticle)
}

// justice is the store of the chain: the one that stores agencies
// implements it too (sqlstore.DB).
func (s *site) justice() (domain.JusticeService, error) {
	if j, ok := s.Agencies.(domain.JusticeService); ok {
		return j, nil
	}
	return nil, domain.Errorf(domain.KindInternal, "the store does not implement the justice chain")
}
