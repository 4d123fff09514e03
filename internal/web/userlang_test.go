// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestLanguageFollowsTheUser: the language is chosen per user, not per
// device: switched on one browser, it is the language of the next browser
// the user signs in on, and an admin's later edit of the account keeps it.
func TestLanguageFollowsTheUser(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		u := e.user(t, "coord@kin.example", "KIN", domain.RoleCoordinator)
		signIn := func() *browser {
			b := e.browser(t)
			want(t, b.post(t, "/sign-in", url.Values{"email": {u.Email}, "password": {password}}), http.StatusOK, "sign-in")
			return b
		}
		first := signIn()
		mustContain(t, first.get(t, "/"), "French by default", `<html lang="fr">`)
		want(t, first.get(t, "/lang/en?next=/"), http.StatusOK, "switch to English")

		second := signIn() // another device: no language cookie
		mustContain(t, second.get(t, "/"), "the second device", `<html lang="en">`)

		// An admin's edit that does not name a language keeps the user's.
		got, err := db.User(ctx, u.ID)
		if err != nil || got.Lang != "en" {
			t.Fatalf("stored language %q, %v", got.Lang, err)
		}
		got.Lang, got.Name = "", "Coordination nationale"
		if err := db.UpdateUser(ctx, got); err != nil {
			t.Fatal(err)
		}
		if again, _ := db.User(ctx, u.ID); again.Lang != "en" {
			t.Fatalf("an admin edit reset the language to %q", again.Lang)
		}
		for _, bad := range []string{"", "de", "<script>", "fr\x00"} {
			if err := db.SetUserLang(ctx, u.ID, bad); domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("SetUserLang(%q) = %v, want invalid", bad, err)
			}
		}
	})
}
