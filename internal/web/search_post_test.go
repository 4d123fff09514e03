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

// TestSearchFormPosts: the pages never put a victim's name in a URL
// (browser history on a shared phone, proxy logs): the search form
// posts, with its CSRF token, and the wizard's live duplicate check does
// too (see registration_test.go).
func TestSearchFormPosts(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		kin := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		form := kin.get(t, "/search")
		want(t, form, http.StatusOK, "search form")
		mustContain(t, form, "search form", `<form method="post" action="/search">`, `name="csrf_token"`)
		mustNotContain(t, form, "search form", `method="get" action="/search"`)

		want(t, kin.post(t, "/search", url.Values{"q": {"Esther"}}), http.StatusForbidden, "search without the CSRF token")
		p := kin.postForm(t, "/search", url.Values{"q": {"Esther"}, "mode": {"fuzzy"}})
		want(t, p, http.StatusOK, "search")
		mustContain(t, p, "search results", `href="/cases/`+c.Number+`"`)
		if strings.Contains(p.url, "Esther") {
			t.Fatalf("the name is in the URL: %s", p.url)
		}
		// A case number found by a posted search leads to the case.
		p = kin.postForm(t, "/search", url.Values{"q": {c.Number}})
		want(t, p, http.StatusOK, "search by number")
		if p.url != "/cases/"+c.Number {
			t.Fatalf("a number search leads to %s", p.url)
		}
	})
}
