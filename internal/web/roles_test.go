// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestRoleHomes: a coordinator's home lists every agency's cases without
// links (they may not open one); an admin's lists none.
func TestRoleHomes(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		kin := e.newCase(t, "KIN", "Esther")
		gom := e.newCase(t, "GOM", "Amani")

		e.user(t, "coord@kin.example", "KIN", domain.RoleCoordinator)
		b := e.browser(t)
		p := b.post(t, "/sign-in", url.Values{"email": {"coord@kin.example"}, "password": {password}})
		want(t, p, http.StatusOK, "coordinator sign-in")
		if p.url != "/" || !strings.Contains(p.body, kin.Number) || !strings.Contains(p.body, gom.Number) || strings.Contains(p.body, `href="/cases/`) {
			t.Fatalf("coordinator's home (at %s):\n%s", p.url, p.body)
		}
		want(t, b.get(t, "/cases/"+kin.Number), http.StatusNotFound, "a coordinator opening a case")

		e.user(t, "admin@kin.example", "KIN", domain.RoleAdmin)
		a := e.browser(t)
		a.enrol(t, "admin@kin.example")
		p = a.get(t, "/")
		if !strings.Contains(p.body, "aucun dossier") || strings.Contains(p.body, kin.Number) {
			t.Fatalf("admin's home:\n%s", p.body)
		}
		want(t, a.get(t, "/cases"), http.StatusForbidden, "an admin listing cases")
	})
}

// TestThrottled: past the free attempts, the form says how long to wait,
// with status 429 and Retry-After.
func TestThrottled(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		e.user(t, "cw@kin.example", "KIN", domain.RoleCaseworker)
		b := e.browser(t)
		form := url.Values{"email": {"cw@kin.example"}, "password": {"pas le bon mot de passe"}}
		var p page
		for range 6 {
			p = b.post(t, "/sign-in", form)
		}
		want(t, p, http.StatusTooManyRequests, "the sixth wrong password")
		if p.header.Get("Retry-After") == "" || !strings.Contains(p.body, "Trop de tentatives. Réessayez dans") {
			t.Fatalf("throttled answer: %v\n%s", p.header, p.body)
		}
	})
}
