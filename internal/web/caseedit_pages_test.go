// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// anyFieldIDRe finds every form control with an id, checkboxes included.
var anyFieldIDRe = regexp.MustCompile(`<(?:input|select|textarea)(?: type="checkbox")? id="([^"]+)"`)

// TestCaseEditPagesInBothLanguages: every edit page in French and in
// English has its fields labelled, a CSRF field per POST form, no
// missing message (checked by newEnv) and stays within the budget.
func TestCaseEditPagesInBothLanguages(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		base := "/cases/" + c.Number
		want(t, ana.postForm(t, base+"/perpetrators", url.Values{"prs_FirstName": {"Jean"}}), http.StatusOK, "a perpetrator")
		got := caseNow(t, db, c.Number)
		paths := []string{base, base + "/edit/identity", base + "/edit/contact", base + "/edit/victim", base + "/situation",
			base + "/events/new", base + "/events/" + got.Events[0].ID + "/edit",
			base + "/perpetrators/new", base + "/perpetrators/" + got.Perpetrators[0].ID + "/edit"}
		for _, lang := range []string{"fr", "en"} {
			ana.get(t, "/lang/"+lang)
			for _, path := range paths {
				p := ana.get(t, path)
				want(t, p, http.StatusOK, lang+" "+path)
				mustContain(t, p, lang+" "+path, `<html lang="`+lang+`">`)
				ids := anyFieldIDRe.FindAllStringSubmatch(p.body, -1)
				if path != base && len(ids) == 0 {
					t.Fatalf("%s: no field", path)
				}
				for _, m := range ids {
					if !regexp.MustCompile(`<label (?:class="[^"]*" )?for="` + regexp.QuoteMeta(m[1]) + `"`).MatchString(p.body) {
						t.Fatalf("%s: no label for %s", path, m[1])
					}
				}
				if forms, tokens := strings.Count(p.body, `method="post"`), strings.Count(p.body, `name="csrf_token"`); tokens < forms {
					t.Fatalf("%s: %d POST forms, %d CSRF fields", path, forms, tokens)
				}
				var z bytes.Buffer
				w := gzip.NewWriter(&z)
				_, _ = w.Write([]byte(p.body))
				_ = w.Close()
				if z.Len() > 60<<10 {
					t.Fatalf("%s weighs %d bytes compressed", path, z.Len())
				}
				t.Logf("%s %s: %d bytes, %d compressed", lang, path, len(p.body), z.Len())
				if os.Getenv("CASEEDIT_DUMP") != "" && lang == "fr" {
					t.Log(p.body)
				}
			}
		}
	})
}
