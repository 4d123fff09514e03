// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"

	"vigie/internal/domain"
	"vigie/internal/publish"
)

// publishRoutes registers the pages of public releases: the list, a new
// draft, a release with its manifest and review steps, its file.
func (s *site) publishRoutes(mux *http.ServeMux) {
	get := func(p string, h http.HandlerFunc) { mux.HandleFunc("GET "+p, s.signedIn(h)) }
	post := func(p string, h http.HandlerFunc) { mux.HandleFunc("POST "+p, s.signedIn(s.csrf(h))) }

	get("/publish", s.releasesPage)
	get("/publish/new", s.newReleasePage)
	post("/publish", s.createRelease)
	get("/publish/{id}", s.releasePage)
	post("/publish/{id}/step", s.stepRelease)
	get("/publish/{id}/file", s.releaseFile)
}

// releaseStore is what the pages need of the store (sqlstore.DB).
type releaseStore interface {
	domain.ReleaseService
	publish.Rows
	ReleaseBudgets(ctx context.Context, from, to int) ([]domain.ReleaseBudget, error)
}

func (s *site) releases() (releaseStore, error) {
	if st, ok := s.Agencies.(releaseStore); ok {
		return st, nil
	}
	return nil, domain.Errorf(domain.KindInternal, "the store does not implement releases")
}

// worksOnReleases: coordinators see and act on releases before they are
// published; the other case roles see published ones only.
func worksOnReleases(r *http.Request) bool {
	return visitorFrom(r).p.Allowed(domain.ResRelease, domain.ActRead) != domain.ScopeNone
}

// readableRelease loads the release of the path if the visitor may see
// it; one not yet published is "not found" to the other roles.
func (s *site) readableRelease(r *http.Request) (releaseStore, *domain.Release, error) {
	if visitorFrom(r).p.Allowed(domain.ResReleasePublished, domain.ActRead) == domain.ScopeNone {
		return nil, nil, domain.Errorf(domain.KindForbidden, "your role may not read releases")
	}
	st, err := s.releases()
	if err != nil {
		return nil, nil, err
	}
	rel, err := st.Release(r.Context(), r.PathValue("id"))
	if err == nil && rel.State != domain.ReleasePublished && !worksOnReleases(r) {
		err = domain.Errorf(domain.KindNotFound, "release does not exist")
	}
	return st, rel, err
}
