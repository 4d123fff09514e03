// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// releaseNames are the victims' names seeded for the publish tests: no
// page and no file of the area may show any of them.
var releaseNames = []string{"Zawadi", "Kabeya", "Mutombo", "Ngalula"}

func seedReleaseCases(t *testing.T, db *sqlstore.DB, agency string, n int) {
	t.Helper()
	ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@test", Agency: agency, Via: "cli"})
	for i := range n {
		c := &domain.Case{Agency: agency, Status: "Active", RegistrationDate: domain.NewDate(2026, time.Month(1+i%10), 1+i%27),
			Person: domain.Person{FirstName: releaseNames[i%4], SecondName: releaseNames[(i+1)%4], Gender: "Feminine", Citizenship: []string{"CD"}},
			Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking", TypeOfExploitation: []string{"SexualExploitation"}, AgeBand: "18--20"}}
		if err := db.CreateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
}

func releaseForm(kind, from string) url.Values {
	return url.Values{"kind": {kind}, "title": {"Tableaux " + from}, "from": {from}, "to": {from}}
}

func TestPublishPages(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		seedReleaseCases(t, db, "KIN", 30)
		author, _ := e.signedIn(t, "auteur@kin.example", "KIN", domain.RoleCoordinator)
		second, _ := e.signedIn(t, "second@kin.example", "KIN", domain.RoleCoordinator)
		cw := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		admin, _ := e.signedIn(t, "admin@kin.example", "KIN", domain.RoleAdmin)

		// Refusals first.
		want(t, cw.get(t, "/publish/new"), http.StatusForbidden, "caseworker's draft form")
		want(t, cw.postForm(t, "/publish", releaseForm("tables", "2026")), http.StatusForbidden, "caseworker drafting")
		want(t, admin.get(t, "/publish"), http.StatusForbidden, "admin's list")
		want(t, author.post(t, "/publish", releaseForm("tables", "2026")), http.StatusForbidden, "no CSRF token")
		for what, mut := range map[string]func(url.Values){
			"year 1800":      func(v url.Values) { v.Set("from", "1800") },
			"not a year":     func(v url.Values) { v.Set("from", "deux mille") },
			"epsilon words":  func(v url.Values) { v.Set("epsilon", "un peu") },
			"epsilon 0.0001": func(v url.Values) { v.Set("epsilon", "0,0001") },
			"epsilon NaN":    func(v url.Values) { v.Set("epsilon", "NaN") },
			"epsilon -1":     func(v url.Values) { v.Set("epsilon", "-1") },
			"threshold 1":    func(v url.Values) { v.Set("threshold", "1") },
			"ε and threshold": func(v url.Values) {
				v.Set("epsilon", "1")
				v.Set("threshold", "5")
			},
			"k 1":             func(v url.Values) { v.Set("kind", "records"); v.Set("k", "1") },
			"k 1001":          func(v url.Values) { v.Set("kind", "records"); v.Set("k", "1001") },
			"k above victims": func(v url.Values) { v.Set("kind", "records"); v.Set("k", "31") },
			"no victim":       func(v url.Values) { v.Set("from", "2020"); v.Set("to", "2020") },
			"k 0":             func(v url.Values) { v.Set("kind", "records"); v.Set("k", "0") },
			"qi a name":       func(v url.Values) { v.Set("kind", "records"); v.Set("quasi_identifiers", "gender, prs_FirstName") },
			"qi twice":        func(v url.Values) { v.Set("kind", "records"); v.Set("quasi_identifiers", "gender,gender") },
			"no title":        func(v url.Values) { v.Set("title", " ") },
			"kind":            func(v url.Values) { v.Set("kind", "everything") },
		} {
			v := releaseForm("tables", "2026")
			mut(v)
			p := author.postForm(t, "/publish", v)
			want(t, p, http.StatusUnprocessableEntity, what)
			mustContain(t, p, what, "Certaines informations sont incorrectes", `class="error" id="e-`)
		}
		v := releaseForm("records", "2026")
		v.Set("quasi_identifiers", "gender, prs_FirstName")
		// The error sits under the field, and what was typed comes back.
		mustContain(t, author.postForm(t, "/publish", v), "unknown quasi-identifier", `id="e-qi"`, `value="gender, prs_FirstName"`)
		if _, n, _ := db.Releases(context.Background(), domain.ReleaseFilter{}); n != 0 {
			t.Fatalf("refused forms stored %d releases", n)
		}

		// The author drafts; the page explains the manifest, offers no
		// review to the author.
		p := author.postForm(t, "/publish", releaseForm("tables", "2026"))
		want(t, p, http.StatusOK, "draft")
		mustContain(t, p, "draft page", "Brouillon", "Enregistré.", "Vous avez préparé cette publication", "Petites cellules masquées",
			"sex_by_majority", "Rejeter")
		mustNotContain(t, p, "draft page", "Marquer comme relue")
		id := strings.TrimPrefix(p.url, "/publish/")
		version := func() string {
			r, err := db.Release(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			return string(rune('0' + r.Version))
		}
		want(t, cw.get(t, "/publish/"+id), http.StatusNotFound, "caseworker reads a draft")
		want(t, cw.get(t, "/publish/"+id+"/file"), http.StatusNotFound, "caseworker downloads a draft")
		mustNotContain(t, cw.get(t, "/publish"), "caseworker list", "Tableaux 2026")
		want(t, author.postForm(t, "/publish/"+id+"/step", url.Values{"step": {"review"}, "version": {"1"}}), http.StatusForbidden, "author reviews")

		// A second coordinator reviews; a stale step is a conflict.
		mustContain(t, second.get(t, "/publish/"+id), "second's page", "Marquer comme relue")
		want(t, second.postForm(t, "/publish/"+id+"/step", url.Values{"step": {"review"}, "version": {"1"}}), http.StatusOK, "review")
		p = second.postForm(t, "/publish/"+id+"/step", url.Values{"step": {"approve"}, "version": {"1"}})
		want(t, p, http.StatusConflict, "stale approve")
		mustContain(t, p, "stale approve", "Quelqu’un d’autre a fait une étape")
		want(t, second.postForm(t, "/publish/"+id+"/step", url.Values{"step": {"reject"}, "version": {version()}}), http.StatusUnprocessableEntity, "reject without reason")
		want(t, second.postForm(t, "/publish/"+id+"/step", url.Values{"step": {"approve"}, "version": {version()}}), http.StatusOK, "approve")
		p = author.postForm(t, "/publish/"+id+"/step", url.Values{"step": {"publish"}, "version": {version()}})
		want(t, p, http.StatusOK, "publish")
		mustContain(t, p, "published page", "Publiée", "auteur@kin.example", "second@kin.example")

		// Every case role reads it; the file is the same bytes for all.
		mustContain(t, cw.get(t, "/publish"), "caseworker list", "Tableaux 2026")
		f1, f2 := cw.get(t, "/publish/"+id+"/file"), author.get(t, "/publish/"+id+"/file")
		want(t, f1, http.StatusOK, "caseworker download")
		if f1.body != f2.body || f1.header.Get("Content-Type") != "application/zip" {
			t.Fatal("the file differs between downloads")
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(f1.body)), int64(len(f1.body)))
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, f := range zr.File {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			all.Write(b)
		}
		if !strings.Contains(all.String(), "Female,Adult,30,") {
			t.Fatalf("the tables do not count the 30 victims:\n%s", all.String())
		}
		en := cw.get(t, "/publish/"+id+"?lang=en")
		mustContain(t, en, "English page", "Published", "Risk and utility", "manifest.json")
		mustNotContain(t, en, "caseworker's view", "Small cells hidden")

		// No name anywhere: every page the area showed, and the file.
		for _, n := range releaseNames {
			if strings.Contains(all.String(), n) {
				t.Fatalf("the file holds the name %s", n)
			}
			for path, body := range e.pages {
				if strings.Contains(path, "/publish") && strings.Contains(body, n) {
					t.Fatalf("%s shows the name %s", path, n)
				}
			}
		}
	})
}

// TestPublishBudgetRefusal: a differentially private draft that would
// pass a year's budget is refused with the reason on the form.
func TestPublishBudgetRefusal(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		seedReleaseCases(t, db, "KIN", 12)
		coord, _ := e.signedIn(t, "coord@kin.example", "KIN", domain.RoleCoordinator)
		v := releaseForm("tables", "2026")
		v.Set("epsilon", "5")
		p := coord.postForm(t, "/publish", v)
		want(t, p, http.StatusOK, "first DP draft")
		mustContain(t, p, "DP draft", "Seuil de sélection", "Bruit moyen attendu")
		p = coord.postForm(t, "/publish", v)
		want(t, p, http.StatusUnprocessableEntity, "over budget")
		mustContain(t, p, "over budget", "dépasserait le budget de confidentialité")
		mustContain(t, coord.get(t, "/publish"), "budget table", "Budget de confidentialité", "épuisé")
	})
}
