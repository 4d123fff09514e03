// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

var formIDRe = regexp.MustCompile(`name="form_id" value="([0-9a-f-]{36})"`)

// TestAddFormsSentTwiceAddOnce: a comment, support plan or consent form
// sent twice (double click, retry on a slow connection, back button) adds
// one part; a form ID taken from another case's part adds nothing there.
func TestAddFormsSentTwiceAddOnce(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		other := e.newCase(t, "KIN", "Grâce")
		kin := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		base := "/cases/" + c.Number
		tests := []struct {
			name, form, post string
			values           url.Values
			count            func(*domain.Case) int
		}{
			{"comment", base + "/comments/new", base + "/comments", url.Values{"cco_CaseComment": {"Vue au foyer"}},
				func(c *domain.Case) int { return len(c.Comments) }},
			{"support plan", base + "/support-plans/new", base + "/support-plans", url.Values{"spl_Type": {"Health"}},
				func(c *domain.Case) int { return len(c.SupportPlans) }},
			{"consent", base + "/consent", base + "/consent", url.Values{"con_Consent": {"yes"}},
				func(c *domain.Case) int { return len(c.Consents) }},
		}
		for _, tt := range tests {
			before := tt.count(caseNow(t, db, c.Number))
			form := kin.get(t, tt.form)
			want(t, form, http.StatusOK, tt.name+" form")
			id := find(t, formIDRe, form.body)
			tt.values.Set("form_id", id)
			for i := range 3 {
				p := kin.postForm(t, tt.post, tt.values)
				want(t, p, http.StatusOK, tt.name+" sent")
				if p.url != base {
					t.Fatalf("%s sent %d times leads to %s", tt.name, i+1, p.url)
				}
			}
			if n := tt.count(caseNow(t, db, c.Number)) - before; n != 1 {
				t.Fatalf("%s sent three times: %d parts added, want 1", tt.name, n)
			}
			// A new form is a new part.
			tt.values.Set("form_id", find(t, formIDRe, kin.get(t, tt.form).body))
			want(t, kin.postForm(t, tt.post, tt.values), http.StatusOK, tt.name+" again")
			if n := tt.count(caseNow(t, db, c.Number)) - before; n != 2 {
				t.Fatalf("%s from a second form: %d parts added, want 2", tt.name, n)
			}
		}
		// Another case's comment ID: refused as a conflict, nothing added.
		cs := caseNow(t, db, c.Number).Comments
		stolen := cs[len(cs)-1].ID
		before := len(caseNow(t, db, other.Number).Comments)
		p := kin.postForm(t, "/cases/"+other.Number+"/comments", url.Values{"cco_CaseComment": {"x"}, "form_id": {stolen}})
		want(t, p, http.StatusConflict, "a form ID of another case's comment")
		if n := len(caseNow(t, db, other.Number).Comments) - before; n != 0 {
			t.Fatalf("%d comments added to the other case", n)
		}
	})
}
