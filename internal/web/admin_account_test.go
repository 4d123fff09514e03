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

// TestAccount: the page shows the user's own roles and agency; a wrong
// current password is refused, then throttled (429, Retry-After); the
// forms need the CSRF token; a good change keeps this browser signed in
// and ends the other sessions; "sign out everywhere" ends them all.
func TestAccount(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		b, _ := e.signedIn(t, "sup@kin.example", "KIN", domain.RoleSupervisor, domain.RoleJustice)
		p := b.get(t, "/account")
		want(t, p, http.StatusOK, "the account page")
		for _, s := range []string{"sup@kin.example", "KIN", "Superviseur", "Justice (police, parquet)", `href="/account"`} {
			if !strings.Contains(p.body, s) {
				t.Errorf("the account page lacks %q", s)
			}
		}
		newPw := "une toute nouvelle phrase de passe"
		change := func(current, next, confirm string) url.Values {
			return url.Values{"current_password": {current}, "new_password": {next}, "confirm_password": {confirm}}
		}
		want(t, b.post(t, "/account/password", change(password, newPw, newPw)), http.StatusForbidden, "no CSRF token")
		want(t, b.post(t, "/account/sign-out-everywhere", nil), http.StatusForbidden, "sign out everywhere without CSRF token")

		p = b.form(t, "/account/password", change(password, newPw, newPw+"x"))
		want(t, p, http.StatusUnprocessableEntity, "two different new passwords")
		if !strings.Contains(p.body, "ne sont pas identiques") || strings.Contains(p.body, newPw) {
			t.Errorf("mismatch answer:\n%s", p.body)
		}
		p = b.form(t, "/account/password", change(password, "motdepasse", "motdepasse"))
		want(t, p, http.StatusUnprocessableEntity, "a weak new password")
		if !strings.Contains(p.body, "au moins 12 caractères") {
			t.Errorf("weak password answer:\n%s", p.body)
		}

		// A second browser of the same user, to see the sessions end.
		other := e.browser(t)
		secretless := other.post(t, "/sign-in", url.Values{"email": {"sup@kin.example"}, "password": {password}})
		want(t, secretless, http.StatusOK, "a second sign-in")

		wrong := "pas le bon mot de passe du tout"
		p = b.form(t, "/account/password", change(wrong, newPw, newPw))
		want(t, p, http.StatusUnprocessableEntity, "a wrong current password")
		if !strings.Contains(p.body, "Le mot de passe actuel est incorrect.") || strings.Contains(p.body, wrong) {
			t.Errorf("wrong current password answer:\n%s", p.body)
		}
		for range 6 {
			p = b.form(t, "/account/password", change(wrong, newPw, newPw))
		}
		want(t, p, http.StatusTooManyRequests, "wrong current passwords, again and again")
		if p.header.Get("Retry-After") == "" || !strings.Contains(p.body, "Trop de tentatives") {
			t.Errorf("throttled answer: %v\n%s", p.header, p.body)
		}
		// Throttled, even the right password waits.
		want(t, b.form(t, "/account/password", change(password, newPw, newPw)), http.StatusTooManyRequests, "the right password while throttled")
		e.clock.Advance(20 * 60e9)

		p = b.form(t, "/account/password", change(password, newPw, newPw))
		want(t, p, http.StatusOK, "changing the password")
		if p.url != "/account" || !strings.Contains(p.body, "Votre mot de passe a été changé.") {
			t.Fatalf("after the change (at %s):\n%s", p.url, p.body)
		}
		if n := e.countEntries(t, domain.AuditPermission, func(en *domain.AuditEntry) bool { return detail(en, "changed") == "password" }); n != 1 {
			t.Errorf("%d audit entries for the change, want 1", n)
		}
		if p := other.get(t, "/sign-in/code"); p.url != "/sign-in" {
			t.Errorf("the other session survived the change (at %s)", p.url)
		}
		if p := e.browser(t).post(t, "/sign-in", url.Values{"email": {"sup@kin.example"}, "password": {password}}); p.status != http.StatusUnprocessableEntity {
			t.Errorf("the old password still signs in: %d", p.status)
		}

		// Sign out everywhere, this browser included.
		p = b.form(t, "/account/sign-out-everywhere", nil)
		want(t, p, http.StatusOK, "signing out everywhere")
		if p.url != "/sign-in" || b.get(t, "/account").url != "/sign-in" {
			t.Errorf("still signed in after signing out everywhere (at %s)", p.url)
		}
		if n := e.countEntries(t, domain.AuditSignOut, func(en *domain.AuditEntry) bool { return detail(en, "everywhere") == "true" }); n != 1 {
			t.Errorf("%d audit entries for signing out everywhere, want 1", n)
		}
	})
}
