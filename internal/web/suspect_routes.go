// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
	"vigie/internal/reach"
)

// suspectRoutes registers the perpetrator registry's pages: the list,
// a suspect's page, the registration and edit form (with possible
// duplicates), links to victims' cases and situations, and the search
// for a registered suspect from a case page.
func (w *site) suspectRoutes(mux *http.ServeMux) {
	get := func(p string, h http.HandlerFunc) { mux.HandleFunc("GET "+p, w.signedIn(h)) }
	post := func(p string, h http.HandlerFunc) { mux.HandleFunc("POST "+p, w.signedIn(w.csrf(h))) }

	get("/suspects", w.suspectsPage)
	get("/suspects/new", w.newSuspectPage)
	post("/suspects", w.createSuspect)
	get("/suspects/{ref}", w.suspectPage)
	get("/suspects/{ref}/edit", w.editSuspectPage)
	post("/suspects/{ref}/edit", w.editSuspect)
	post("/suspects/{ref}/delete", w.deleteSuspect)
	get("/suspects/{ref}/link", w.linkSuspectPage)
	post("/suspects/{ref}/links", w.linkSuspect)
	get("/suspects/{ref}/links/{id}/edit", w.editLinkPage)
	post("/suspects/{ref}/links/{id}/edit", w.editLink)
	post("/suspects/{ref}/links/{id}/delete", w.unlinkSuspect)
	post("/cases/{ref}/suspects/find", w.findSuspectForCase)
}

// suspects is the registry's store: the one that stores agencies
// implements it too (sqlstore.DB).
func (s *site) suspects() (domain.SuspectService, error) {
	if st, ok := s.Agencies.(domain.SuspectService); ok {
		return st, nil
	}
	return nil, domain.Errorf(domain.KindInternal, "the store does not implement the perpetrator registry")
}

// suspectCheck checks that the visitor may do act on the suspect of the
// path, with the API's rules and audit (package reach): a suspect out of
// reach is "not found", like one that does not exist.
func (s *site) suspectCheck(r *http.Request, act domain.Action) (domain.SuspectAccess, domain.SuspectService, *reach.Suspects, error) {
	st, err := s.suspects()
	if err != nil {
		return domain.SuspectAccess{}, nil, nil, err
	}
	check := &reach.Suspects{Access: st, Audit: s.Audit}
	acc, err := check.Check(r.Context(), visitorFrom(r).p, r.PathValue("ref"), act)
	return acc, st, check, err
}
