// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestCaseEditAddSentTwiceAddsOnce: an event or perpetrator form sent
// twice (double click, retry on a slow connection) adds one part; a new
// form adds another; a form refused as invalid keeps its ID; an ID taken
// from another case's part adds nothing (409); an ID that is no UUID is
// replaced by a fresh one.
func TestCaseEditAddSentTwiceAddsOnce(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		other := e.newCase(t, "KIN", "Grâce")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		base := "/cases/" + c.Number
		tests := []struct {
			name, kind string
			set        url.Values
			invalid    url.Values
			count      func(*domain.Case) int
		}{
			{"event", "events", url.Values{"hte_Type": {"Recruitment"}, "hte_City": {"Goma"}},
				url.Values{"hte_Type": {"Robot"}}, func(c *domain.Case) int { return len(c.Events) }},
			{"perpetrator", "perpetrators", url.Values{"prs_FirstName": {"Jean"}, "per_RoleInProcess": {"Transporter"}},
				url.Values{"prs_Birthdate": {"2020-13-45"}}, func(c *domain.Case) int { return len(c.Perpetrators) }},
		}
		for _, tt := range tests {
			before := tt.count(caseNow(t, db, c.Number))
			form := ana.get(t, base+"/"+tt.kind+"/new")
			want(t, form, http.StatusOK, tt.name+" form")
			id := find(t, formIDRe, form.body)
			v := formValues(form.body)
			if v.Get("form_id") != id {
				t.Fatalf("%s form: form_id %q, want %q", tt.name, v.Get("form_id"), id)
			}
			for k, x := range tt.set {
				v[k] = x
			}
			// Refused first: the form comes back with the same ID.
			bad := url.Values{}
			for k, x := range v {
				bad[k] = x
			}
			for k, x := range tt.invalid {
				bad[k] = x
			}
			p := ana.postForm(t, base+"/"+tt.kind, bad)
			want(t, p, http.StatusUnprocessableEntity, tt.name+" invalid")
			if got := find(t, formIDRe, p.body); got != id {
				t.Fatalf("%s refused: form_id %s, want %s", tt.name, got, id)
			}
			for i := range 3 {
				p := ana.postForm(t, base+"/"+tt.kind, v)
				want(t, p, http.StatusOK, tt.name+" sent")
				if p.url != base {
					t.Fatalf("%s sent %d times leads to %s", tt.name, i+1, p.url)
				}
			}
			if n := tt.count(caseNow(t, db, c.Number)) - before; n != 1 {
				t.Fatalf("%s sent three times: %d added, want 1", tt.name, n)
			}
			// A new form is a new part.
			v.Set("form_id", find(t, formIDRe, ana.get(t, base+"/"+tt.kind+"/new").body))
			want(t, ana.postForm(t, base+"/"+tt.kind, v), http.StatusOK, tt.name+" again")
			if n := tt.count(caseNow(t, db, c.Number)) - before; n != 2 {
				t.Fatalf("%s from a second form: %d added, want 2", tt.name, n)
			}
			// Not a UUID as the form writes one: a fresh ID, one part each
			// time (the store refuses the other spellings of a UUID: such a
			// form could never be saved).
			for i, bad := range badFormIDs() {
				v.Set("form_id", bad)
				want(t, ana.postForm(t, base+"/"+tt.kind, v), http.StatusOK, tt.name+" with form_id "+bad)
				if n := tt.count(caseNow(t, db, c.Number)) - before; n != 3+i {
					t.Fatalf("%s with form_id %q: %d added, want %d", tt.name, bad, n, 3+i)
				}
			}
		}
		// Another case's event ID: refused as a conflict, nothing added
		// there, the form shown again with a new ID.
		evs := caseNow(t, db, c.Number).Events
		stolen := evs[len(evs)-1].ID
		before := len(caseNow(t, db, other.Number).Events)
		v := formValues(ana.get(t, "/cases/"+other.Number+"/events/new").body)
		v.Set("hte_Type", "Transit")
		v.Set("form_id", stolen)
		p := ana.postForm(t, "/cases/"+other.Number+"/events", v)
		want(t, p, http.StatusConflict, "an ID of another case's event")
		if got := find(t, formIDRe, p.body); got == stolen {
			t.Fatal("the refused form kept the other case's ID")
		}
		if n := len(caseNow(t, db, other.Number).Events) - before; n != 0 {
			t.Fatalf("%d events added to the other case", n)
		}
		if got := caseNow(t, db, c.Number).Events[len(evs)-1]; got.ID != stolen || got.Type != "Recruitment" {
			t.Fatalf("the first case's event changed: %+v", got)
		}
	})
}

// badFormIDs are form_id values that are not a UUID as the pages write
// one: hostile text, and the spellings uuid.Validate accepts besides.
func badFormIDs() []string {
	u := uuid.New().String()
	return []string{"<script>1</script>", "urn:uuid:" + u, "{" + u + "}", strings.ReplaceAll(u, "-", ""),
		strings.ToUpper(u), strings.Repeat("a", 10000)}
}

// TestCommentFormIDSpellings: the casework add forms (a comment here)
// take only a form_id the pages wrote; any other spelling of a UUID adds
// the comment under a fresh ID instead of failing for ever.
func TestCommentFormIDSpellings(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		before := len(caseNow(t, db, c.Number).Comments)
		for i, bad := range badFormIDs() {
			p := ana.postForm(t, "/cases/"+c.Number+"/comments", url.Values{"cco_CaseComment": {"Vue au foyer"}, "form_id": {bad}})
			want(t, p, http.StatusOK, "a comment with form_id "+bad)
			if n := len(caseNow(t, db, c.Number).Comments) - before; n != i+1 {
				t.Fatalf("form_id %q: %d comments added, want %d", bad, n, i+1)
			}
		}
	})
}
