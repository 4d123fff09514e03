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
		{"supervisor", map[string]string{"/audit": "audit-fr", "/cases/" + mas + "/audit": "", "/cases?status=Active": ""}},
		{"justice", map[string]string{"/": "home-justice-fr", "/cases": ""}},
		{"coordinator", map[string]string{"/": "home-coordinator-fr"}},
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
