// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"time"

	"vigie/internal/domain"
)

// GrantLister lists the break-the-glass grants on an agency's cases (the
// store's BreakGlassGrants), so that the owning agency reads who opened
// its cases and why.
type GrantLister interface {
	BreakGlassGrants(ctx context.Context, agencyID string, since time.Time) ([]*domain.BreakGlass, error)
}

// adminRoutes registers the pages of the search, administration of
// agencies and users, audit trails and the user's own account. Every
// POST carries the CSRF token and answers with a redirect (or, for a
// password shown once, with the page itself).
func (s *site) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /search", s.signedIn(s.searchPage))
	// The form posts: a victim's name typed in the search never enters a
	// URL (browser history on a shared phone, proxy logs).
	mux.HandleFunc("POST /search", s.signedIn(s.csrf(s.searchPage)))

	mux.HandleFunc("GET /admin/agencies", s.signedIn(s.agenciesPage))
	mux.HandleFunc("POST /admin/agencies", s.signedIn(s.csrf(s.createAgency)))
	mux.HandleFunc("GET /admin/users", s.signedIn(s.usersPage))
	mux.HandleFunc("GET /admin/users/new", s.signedIn(s.newUserPage))
	mux.HandleFunc("POST /admin/users", s.signedIn(s.csrf(s.createUser)))
	mux.HandleFunc("GET /admin/users/{id}", s.signedIn(s.userPage))
	mux.HandleFunc("POST /admin/users/{id}", s.signedIn(s.csrf(s.updateUser)))
	mux.HandleFunc("POST /admin/users/{id}/state", s.signedIn(s.csrf(s.setUserState)))
	mux.HandleFunc("POST /admin/users/{id}/second-factor", s.signedIn(s.csrf(s.resetSecondFactor)))

	mux.HandleFunc("GET /audit", s.signedIn(s.agencyAuditPage))
	mux.HandleFunc("GET /cases/{ref}/audit", s.signedIn(s.caseAuditPage))

	mux.HandleFunc("GET /account", s.signedIn(s.accountPage))
	mux.HandleFunc("POST /account/password", s.signedIn(s.csrf(s.changePassword)))
	mux.HandleFunc("POST /account/sign-out-everywhere", s.signedIn(s.csrf(s.signOutEverywhere)))
}
