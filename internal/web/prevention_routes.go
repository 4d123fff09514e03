// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"vigie/internal/domain"
)

// preventionRoutes registers the pages of the service directory (providers, their services and capacity) and awareness activities.
func (s *site) preventionRoutes(mux *http.ServeMux) {
	get := func(p string, h http.HandlerFunc) { mux.HandleFunc("GET "+p, s.signedIn(h)) }
	post := func(p string, h http.HandlerFunc) { mux.HandleFunc("POST "+p, s.signedIn(s.csrf(h))) }

	get("/providers", s.providersPage)
	get("/providers/new", s.newProviderPage)
	post("/providers", s.createProvider)
	get("/providers/{id}", s.providerPage)
	get("/providers/{id}/edit", s.editProviderPage)
	post("/providers/{id}/edit", s.editProvider)
	post("/providers/{id}/delete", s.deleteProvider)

	get("/awareness", s.awarenessPage)
	get("/awareness/new", s.newAwarenessPage)
	post("/awareness", s.createAwareness)
	get("/awareness/{id}/edit", s.editAwarenessPage)
	post("/awareness/{id}/edit", s.editAwareness)
	post("/awareness/{id}/delete", s.deleteAwareness)

	get("/cases/{ref}/refer/provider", s.referProviderPage)
	post("/cases/{ref}/refer/provider", s.referProvider)
}

// prevention is the store of the directory and the activities: the one
// that stores agencies implements it too (sqlstore.DB), so the area needs
// no wiring of its own; a store without it answers 500, logged.
func (s *site) prevention() (domain.PreventionService, error) {
	if p, ok := s.Agencies.(domain.PreventionService); ok {
		return p, nil
	}
	return nil, domain.Errorf(domain.KindInternal, "the store does not implement the service directory")
}

// failChange is fail for a change that may meet a newer version: a
// conflict says that someone else changed the record (409), nothing done.
func (s *site) failChange(w http.ResponseWriter, r *http.Request, err error) {
	if domain.KindOf(err) == domain.KindConflict {
		s.render(w, r, http.StatusConflict, "error", "error.title", map[string]any{"Message": "prevention.conflict", "Status": http.StatusConflict})
		return
	}
	s.fail(w, r, err)
}
