// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import "testing"

// TestEveryPageAccessible opens the other pages each role uses — search,
// audit trails, account, administration — checks each with axe-core and
// photographs it.
func TestEveryPageAccessible(t *testing.T) {
	e := newEnv(t, envOptions{})
	mas := e.firstCase(t, "DEMOMAS")
	for _, r := range []struct {
		role  string
		pages map[string]string // path → screenshot name ("" for none)
	}{
		{"caseworker", map[string]string{"/search": "search-fr", "/search?q=" + mas: "", "/account": "account-fr"}},
		{"supervisor", map[string]string{"/audit": "audit-fr", "/cases/" + mas + "/audit": "", "/cases?status=Active": "", "/report": ""}},
		{"justice", map[string]string{"/": "home-justice-fr", "/cases": ""}},
		{"coordinator", map[string]string{"/": "home-coordinator-fr", "/dashboard": "", "/report": ""}},
		{"admin", map[string]string{"/admin/agencies": "agencies-fr", "/admin/users": "users-fr", "/admin/users/new": ""}},
	} {
		t.Run(r.role, func(t *testing.T) {
			b := newTab(t, e)
			b.signInAs(e.accounts[r.role])
			for path, shot := range r.pages {
				b.open(path)
				b.axe(r.role + " " + path)
				if shot != "" {
					b.shoot(shot)
				}
			}
		})
	}
}

// TestPagesInEnglish: the same checks on the caseworker's pages in
// English (other words, other lengths: labels and contrast still hold).
func TestPagesInEnglish(t *testing.T) {
	e := newEnv(t, envOptions{})
	mas := e.firstCase(t, "DEMOMAS")
	b := newTab(t, e)
	b.signInAs(e.accounts["caseworker"])
	b.submit("header a.lang")
	if l := b.lang(); l != "en" {
		t.Fatalf("after the switch the page is %q", l)
	}
	for path, shot := range map[string]string{
		"/registration/new":               "screening-en",
		"/cases/" + mas + "/edit":         "edit-en",
		"/cases/" + mas + "/refer":        "refer-en",
		"/cases/" + mas + "/closure":      "",
		"/search?q=" + mas:                "",
		"/account":                        "account-en",
		"/referrals":                      "",
		"/cases/" + mas + "/comments/new": "",
	} {
		b.open(path)
		if l := b.lang(); l != "en" {
			t.Errorf("%s is in %q, want en", path, l)
		}
		b.axe(path + " (English)")
		if shot != "" {
			b.shoot(shot)
		}
	}
}
