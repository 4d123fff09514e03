// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "net/http"

// registrationRoutes registers the pages of the screening questionnaire and the registration wizard with drafts.
func (s *site) registrationRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+regJSPath, serveRegJS)
	reg := func(h http.HandlerFunc) http.HandlerFunc { return s.signedIn(s.regRegistrar(h)) }
	post := func(h http.HandlerFunc) http.HandlerFunc { return s.signedIn(s.csrf(s.regRegistrar(h))) }
	mux.HandleFunc("GET /registration", reg(s.regDraftsPage))
	mux.HandleFunc("GET /registration/new", reg(s.regNewScreening))
	// POST, not GET: the name typed never enters a URL (browser history,
	// proxy logs).
	mux.HandleFunc("POST /registration/duplicates", post(s.regDuplicatesJSON))
	mux.HandleFunc("GET /registration/{id}/{step}", reg(s.regStepPage))
	mux.HandleFunc("POST /registration/{id}/{step}", post(s.regSaveStep))
	mux.HandleFunc("POST /registration/{id}/register", post(s.regRegister))
	mux.HandleFunc("POST /registration/{id}/discard", post(s.regDiscard))
}
