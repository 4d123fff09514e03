// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestAdminPagesRefused: every administration page and action answers
// 403 to the roles that may not manage accounts (as /cases does for an
// admin), with a valid CSRF token, and changes nothing.
func TestAdminPagesRefused(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		target := e.user(t, "target@gom.example", "GOM", domain.RoleCaseworker)
		for _, role := range []domain.Role{domain.RoleCaseworker, domain.RoleSupervisor, domain.RoleJustice, domain.RoleCoordinator} {
			t.Run(string(role), func(t *testing.T) {
				b, _ := e.signedIn(t, string(role)+"@kin.example", "KIN", role)
				if p := b.get(t, "/"); strings.Contains(p.body, `href="/admin/`) {
					t.Errorf("the nav links %s to the administration pages", role)
				}
				for _, path := range []string{"/admin/agencies", "/admin/users", "/admin/users/new", "/admin/users/" + target.ID} {
					want(t, b.get(t, path), http.StatusForbidden, string(role)+" GET "+path)
				}
				posts := []struct {
					path string
					form url.Values
				}{
					{"/admin/agencies", url.Values{"code": {"XYZ"}, "name": {"Intrus"}}},
					{"/admin/users", url.Values{"email": {"new@kin.example"}, "agency": {"KIN"}, "roles": {"admin"}, "password_mode": {"generate"}}},
					{"/admin/users/" + target.ID, url.Values{"agency": {"KIN"}, "roles": {"admin"}, "version": {"1"}}},
					{"/admin/users/" + target.ID + "/state", url.Values{"disabled": {"1"}, "version": {"1"}}},
					{"/admin/users/" + target.ID + "/second-factor", nil},
				}
				for _, c := range posts {
					want(t, b.form(t, c.path, c.form), http.StatusForbidden, string(role)+" POST "+c.path)
				}
			})
		}
		ctx := context.Background()
		if _, err := db.Agency(ctx, "XYZ"); domain.KindOf(err) != domain.KindNotFound {
			t.Errorf("a refused agency was created (err %v)", err)
		}
		if _, err := db.User(ctx, "new@kin.example"); domain.KindOf(err) != domain.KindNotFound {
			t.Errorf("a refused user was created (err %v)", err)
		}
		if u, _ := db.User(ctx, target.ID); u.Version != 1 || u.Disabled || len(u.Roles) != 1 {
			t.Errorf("a refused change went through: %+v", u)
		}
	})
}

var userLinkRe = regexp.MustCompile(`href="/admin/users/([0-9a-f-]{36})"`)

// TestAdminManagesAgenciesAndUsers: an admin adds an agency and a user,
// changes roles, disables and enables, resets the second factor; each
// change is in the audit log; refusals (CSRF, stale version, self
// lockout, hostile or oversized text) change nothing; no victim's data
// ever shows.
func TestAdminManagesAgenciesAndUsers(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		e.newCase(t, "KIN", "Esther")
		a, admin := e.signedIn(t, "admin@kin.example", "KIN", domain.RoleAdmin)
		ctx := context.Background()

		// Agencies.
		want(t, a.post(t, "/admin/agencies", url.Values{"code": {"BUK"}, "name": {"Bukavu"}}), http.StatusForbidden, "agency without CSRF token")
		p := a.form(t, "/admin/agencies", url.Values{"code": {"buk"}, "name": {"<script>alert(1)</script> Bukavu"}, "type": {"NGO"}})
		want(t, p, http.StatusOK, "adding an agency")
		if p.url != "/admin/agencies" || !strings.Contains(p.body, "Organisme BUK créé.") || !strings.Contains(p.body, "&lt;script&gt;alert(1)&lt;/script&gt; Bukavu") || strings.Contains(p.body, "<script>") {
			t.Fatalf("agency list after adding (at %s):\n%s", p.url, p.body)
		}
		if n := e.countEntries(t, domain.AuditCreate, func(en *domain.AuditEntry) bool { return en.Resource == "agency" && detail(en, "code") == "BUK" }); n != 1 {
			t.Errorf("%d audit entries for the new agency, want 1", n)
		}
		for name, form := range map[string]url.Values{
			"a used code":        {"code": {"KIN"}, "name": {"Encore Kinshasa"}},
			"a bad code":         {"code": {"K!"}, "name": {"Mauvais code"}},
			"a 10,000-char name": {"code": {"LONG"}, "name": {strings.Repeat("n", 10000)}},
			"a bad type":         {"code": {"TYP"}, "name": {"Type"}, "type": {"Nope"}},
			"control characters": {"code": {"CTL"}, "name": {"Goma\x00\x1b[31m"}},
		} {
			p := a.form(t, "/admin/agencies", form)
			want(t, p, http.StatusBadRequest, name)
			if !strings.Contains(p.body, `class="error"`) {
				t.Errorf("%s: no error shown:\n%s", name, p.body)
			}
		}
		if p := a.get(t, "/admin/agencies?created=%3Cb%3Eforged"); strings.Contains(p.body, "créé") {
			t.Errorf("the page announces an agency that was never created:\n%s", p.body)
		}

		// A user with a typed password: the policy applies.
		weak := url.Values{"email": {"cw@buk.example"}, "name": {"Amani"}, "agency": {"BUK"}, "roles": {"caseworker"}, "password_mode": {"typed"}, "password": {"motdepasse"}}
		p = a.form(t, "/admin/users", weak)
		want(t, p, http.StatusBadRequest, "a weak typed password")
		if strings.Contains(p.body, "motdepasse") || !strings.Contains(p.body, `value="cw@buk.example"`) {
			t.Fatalf("the refused form must keep the e-mail and drop the password:\n%s", p.body)
		}
		good := url.Values{"email": {"cw@buk.example"}, "name": {"<i>Amani</i>"}, "agency": {"BUK"}, "roles": {"caseworker"}, "password_mode": {"typed"}, "password": {password}}
		p = a.form(t, "/admin/users", good)
		want(t, p, http.StatusOK, "a user with a typed password")
		if !strings.HasPrefix(p.url, "/admin/users/") || !strings.Contains(p.body, "Utilisateur créé.") || strings.Contains(p.body, "<i>") {
			t.Fatalf("after creating a user (at %s):\n%s", p.url, p.body)
		}
		want(t, a.form(t, "/admin/users", good), http.StatusBadRequest, "the same e-mail twice")
		for name, form := range map[string]url.Values{
			"no role":      {"email": {"x@buk.example"}, "agency": {"BUK"}, "password_mode": {"generate"}},
			"unknown role": {"email": {"x@buk.example"}, "agency": {"BUK"}, "roles": {"root"}, "password_mode": {"generate"}},
			"bad e-mail":   {"email": {"pas une adresse\x00"}, "agency": {"BUK"}, "roles": {"caseworker"}, "password_mode": {"generate"}},
			"long name":    {"email": {"x@buk.example"}, "name": {strings.Repeat("é", 10000)}, "agency": {"BUK"}, "roles": {"caseworker"}, "password_mode": {"generate"}},
			"no agency":    {"email": {"x@buk.example"}, "agency": {"NOPE"}, "roles": {"caseworker"}, "password_mode": {"generate"}},
		} {
			p := a.form(t, "/admin/users", form)
			if p.status != http.StatusBadRequest && p.status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 400 or 404", name, p.status)
			}
		}
		if _, err := db.User(ctx, "x@buk.example"); domain.KindOf(err) != domain.KindNotFound {
			t.Errorf("a refused user was created (err %v)", err)
		}

		// A generated password is shown once and lets the user sign in.
		p = a.form(t, "/admin/users", url.Values{"email": {"sup@buk.example"}, "agency": {"BUK"}, "roles": {"supervisor"}, "password_mode": {"generate"}})
		want(t, p, http.StatusOK, "a user with a generated password")
		pw := find(t, regexp.MustCompile(`<code id="password">([^<]+)</code>`), p.body)
		if p.header.Get("Cache-Control") != "no-store" {
			t.Error("the page with the password may be cached")
		}
		s := e.browser(t)
		if p := s.post(t, "/sign-in", url.Values{"email": {"sup@buk.example"}, "password": {pw}}); p.url != "/sign-in/enrol" {
			t.Fatalf("the generated password did not sign in (at %s)", p.url)
		}
		if n := e.countEntries(t, domain.AuditPermission, func(en *domain.AuditEntry) bool { return detail(en, "created") == "sup@buk.example" }); n != 1 {
			t.Errorf("%d audit entries for the created user, want 1", n)
		}

		// Changing roles and agency, at the version the form was made from.
		u, err := db.User(ctx, "cw@buk.example")
		if err != nil {
			t.Fatal(err)
		}
		page := a.get(t, "/admin/users/"+u.ID)
		want(t, page, http.StatusOK, "a user's page")
		if !strings.Contains(page.body, "&lt;i&gt;Amani&lt;/i&gt;") {
			t.Fatalf("the user's page:\n%s", page.body)
		}
		change := url.Values{"name": {"Amani"}, "agency": {"KIN"}, "roles": {"caseworker", "justice"}, "version": {"1"}}
		p = a.form(t, "/admin/users/"+u.ID, change)
		want(t, p, http.StatusOK, "changing roles")
		if !strings.Contains(p.body, "Modifications enregistrées.") {
			t.Fatalf("after changing roles:\n%s", p.body)
		}
		want(t, a.form(t, "/admin/users/"+u.ID, change), http.StatusConflict, "the same change from a stale form")
		if u, _ = db.User(ctx, u.ID); u.Agency != "KIN" || len(u.Roles) != 2 || u.Version != 2 {
			t.Fatalf("after the change: %+v", u)
		}
		if n := e.countEntries(t, domain.AuditPermission, func(en *domain.AuditEntry) bool {
			return en.RecordID == u.ID && strings.Contains(detail(en, "roles"), "justice")
		}); n != 1 {
			t.Errorf("%d audit entries for the role change, want 1", n)
		}

		// Disable, enable, reset the second factor.
		want(t, a.form(t, "/admin/users/"+u.ID+"/state", url.Values{"disabled": {"1"}, "version": {"2"}}), http.StatusOK, "disabling")
		if p := e.browser(t).post(t, "/sign-in", url.Values{"email": {"cw@buk.example"}, "password": {password}}); p.status != http.StatusUnprocessableEntity {
			t.Errorf("a disabled user signed in: %d at %s", p.status, p.url)
		}
		want(t, a.form(t, "/admin/users/"+u.ID+"/state", url.Values{"disabled": {"0"}, "version": {"3"}}), http.StatusOK, "enabling")
		want(t, a.form(t, "/admin/users/"+u.ID+"/second-factor", nil), http.StatusOK, "resetting the second factor")
		for what, match := range map[string]func(*domain.AuditEntry) bool{
			"disable": func(en *domain.AuditEntry) bool { return en.RecordID == u.ID && detail(en, "disabled") == "true" },
			"enable":  func(en *domain.AuditEntry) bool { return en.RecordID == u.ID && detail(en, "disabled") == "false" },
			"reset":   func(en *domain.AuditEntry) bool { return en.RecordID == u.ID && detail(en, "reset") == "second_factor" },
		} {
			if n := e.countEntries(t, domain.AuditPermission, match); n < 1 {
				t.Errorf("no audit entry for %s", what)
			}
		}

		// Resetting an enrolled user's second factor ends their session and
		// sends them back to enrolment.
		lost, lostUser := e.signedIn(t, "lost@kin.example", "KIN", domain.RoleCaseworker)
		want(t, a.form(t, "/admin/users/"+lostUser.ID+"/second-factor", nil), http.StatusOK, "resetting an enrolled user")
		if p := lost.get(t, "/"); p.url != "/sign-in" {
			t.Errorf("the reset user is still signed in (at %s)", p.url)
		}
		if p := e.browser(t).post(t, "/sign-in", url.Values{"email": {"lost@kin.example"}, "password": {password}}); p.url != "/sign-in/enrol" {
			t.Errorf("after the reset, sign-in led to %s, want the enrolment", p.url)
		}

		// An admin cannot lock themselves out.
		p = a.form(t, "/admin/users/"+admin.ID, url.Values{"agency": {"KIN"}, "roles": {"caseworker"}, "version": {"1"}})
		want(t, p, http.StatusBadRequest, "dropping one's own admin role")
		want(t, a.form(t, "/admin/users/"+admin.ID+"/state", url.Values{"disabled": {"1"}, "version": {"1"}}), http.StatusBadRequest, "disabling oneself")
		want(t, a.get(t, "/admin/users/"+strings.Repeat("0", 8)+"-0000-0000-0000-000000000000"), http.StatusNotFound, "a missing user")

		// Nothing an admin sees names a victim.
		for _, path := range []string{"/admin/users", "/admin/agencies", "/admin/users/" + u.ID, "/audit", "/account"} {
			p := a.get(t, path)
			want(t, p, http.StatusOK, path)
			if strings.Contains(p.body, "Esther") || strings.Contains(p.body, "Mukendi") {
				t.Errorf("%s shows a victim's name", path)
			}
		}
		for _, path := range []string{"/admin/users/new", "/admin/users/" + u.ID, "/admin/agencies", "/account", "/search", "/audit"} {
			p := a.get(t, path)
			if p.status == http.StatusOK {
				checkPage(t, path, p.body)
			}
		}
		// The same pages in English (a missing message fails the test at
		// the end: the env checks every page fetched).
		want(t, a.get(t, "/lang/en?next=%2Fadmin%2Fusers"), http.StatusOK, "switching to English")
		for _, path := range []string{"/admin/users", "/admin/users/new", "/admin/users/" + u.ID, "/admin/agencies", "/account", "/audit"} {
			if p := a.get(t, path); p.status != http.StatusOK || !strings.Contains(p.body, `<html lang="en">`) {
				t.Errorf("%s in English: %d", path, p.status)
			}
		}
		if links := userLinkRe.FindAllString(a.get(t, "/admin/users?agency=KIN").body, -1); len(links) != 3 {
			t.Errorf("KIN's users: %d links, want 3 (admin, Amani, lost)", len(links))
		}
	})
}
