// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"vigie/internal/auth"
	"vigie/internal/demo"
	"vigie/internal/domain"
)

// TestReleaseReviewedBySecondCoordinator: a coordinator drafts aggregate
// tables of the demo's cases; a second coordinator reviews and approves
// them; the first publishes; a caseworker reads the release and
// downloads its file, which holds no victim's name. Every page of the
// area passes axe.
func TestReleaseReviewedBySecondCoordinator(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	const password = "cheval batterie agrafe correct"
	hash, err := auth.HashPassword(password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	second := demo.Account{Email: "second.coordinateur@demo.example", Agency: e.accounts["coordinator"].Agency, Role: domain.RoleCoordinator, Password: password}
	if err := e.db.CreateUser(ctx, &domain.User{Email: second.Email, Agency: second.Agency, Roles: []domain.Role{domain.RoleCoordinator}}, hash); err != nil {
		t.Fatal(err)
	}
	year := e.clock.Now().Year()

	author := newTab(t, e)
	author.signInAs(e.accounts["coordinator"])
	author.open("/publish")
	author.axe("releases list")
	author.follow("/publish/new")
	author.axe("draft form")
	author.fill("f-title", "Tableaux de démonstration", "f-from", fmt.Sprint(year-6), "f-to", fmt.Sprint(year))
	author.submit(`main form[action="/publish"] button`)
	if !strings.HasPrefix(author.path(), "/publish/") {
		t.Fatalf("the draft led to %s:\n%s", author.path(), author.text("main"))
	}
	path, _, _ := strings.Cut(author.path(), "?")
	author.wantText("the draft", "Brouillon", "Vous avez préparé cette publication", "Petites cellules masquées")
	author.axe("draft page")
	author.shoot("publish-draft-fr")

	rev := newTab(t, e)
	rev.signInAs(second)
	rev.open(path)
	rev.wantText("the reviewer's page", "Marquer comme relue")
	rev.submit(`main form[action$="/step"] button`)
	rev.wantText("reviewed", "Relue")
	rev.submit(`main form[action$="/step"] button`) // approve: the first step offered
	rev.wantText("approved", "Approuvée")
	rev.axe("approved page")

	author.open(path)
	author.submit(`main form[action$="/step"] button`) // publish
	author.wantText("published", "Publiée", second.Email)

	cw := newTab(t, e)
	cw.signInAs(e.accounts["caseworker"])
	cw.open("/publish")
	cw.wantText("the caseworker's list", "Tableaux de démonstration")
	cw.open(path)
	cw.axe("published page")
	body := cw.download(path + "/file")
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the file is not a ZIP: %v", err)
	}
	var all strings.Builder
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		all.Write(b)
	}
	if !strings.Contains(all.String(), "Total") {
		t.Fatalf("no table in the file:\n%s", all.String())
	}
	cases, err := e.db.FindCases(domain.WithActor(ctx, &domain.Principal{Email: "setup@e2e", Via: "cli", Roles: []domain.Role{domain.RoleCoordinator}}), domain.CaseFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases.Items {
		full, err := e.db.Case(domain.WithActor(ctx, &domain.Principal{Email: "setup@e2e", Via: "cli"}), c.Number)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{full.Person.FirstName, full.Person.SecondName} {
			if len(n) > 3 && strings.Contains(all.String(), n) {
				t.Fatalf("the file holds the name %s", n)
			}
		}
	}
}

// download fetches path with the tab's session cookie, as the browser
// would save it.
func (b *tab) download(path string) []byte {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		b.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range res.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		b.t.Fatalf("download %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return body
}
