// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// mustNotHold fails when the page holds any of the fragments.
func mustNotHold(t *testing.T, p page, what string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(p.body, f) {
			t.Fatalf("%s: the page holds %q:\n%s", what, f, p.body)
		}
	}
}

// TestOptionsCatchAllLast: "Other" comes last in the lists of choices
// (vic_MethodsOfControl lists it before RestrictsMovement), in French and
// in English, on the registration and the case edit pages; the value
// stored is the code, unchanged.
func TestOptionsCatchAllLast(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		valRe := regexp.MustCompile(`name="vic_MethodsOfControl" value="([^"]+)"`)
		labelRe := regexp.MustCompile(`(?s)name="vic_MethodsOfControl" value="Other"[^>]*> ([^<]+)</label>`)
		for _, lang := range []struct{ code, other string }{{"fr", "Autre"}, {"en", "Other"}} {
			ana.get(t, "/?lang="+lang.code)
			for _, path := range []string{"/registration/new", "/cases/" + c.Number + "/edit/victim"} {
				p := ana.get(t, path)
				want(t, p, http.StatusOK, path)
				var got []string
				for _, m := range valRe.FindAllStringSubmatch(p.body, -1) {
					got = append(got, m[1])
				}
				if len(got) != len(domain.MethodsOfControl.Values) || got[len(got)-1] != "Other" {
					t.Fatalf("%s (%s): means of control in the order %v, want every value with Other last", path, lang.code, got)
				}
				if i := slices.Index(got, "RestrictsMovement"); i < 0 || i > len(got)-2 {
					t.Fatalf("%s: RestrictsMovement at %d in %v", path, i, got)
				}
				if l := strings.TrimSpace(find(t, labelRe, p.body)); l != lang.other {
					t.Fatalf("%s (%s): Other labelled %q", path, lang.code, l)
				}
			}
		}
		v := formValues(ana.get(t, "/cases/"+c.Number+"/edit/victim").body)
		v["vic_MethodsOfControl"] = []string{"Other", "RestrictsMovement"}
		want(t, ana.postForm(t, "/cases/"+c.Number+"/edit/victim", v), http.StatusOK, "victim section saved")
		if got := caseNow(t, db, c.Number).Victim.MethodsOfControl; !slices.Equal(got, []string{"Other", "RestrictsMovement"}) {
			t.Fatalf("stored %v", got)
		}
	})
}

// TestFormInvalidUTF8Message: text that is not UTF-8 in a page's form
// is refused with the pages' own message, not the CSV import's advice
// about Excel (nor, for a search, "type 2 to 200 characters"), in both
// languages.
func TestFormInvalidUTF8Message(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		base := "/cases/" + c.Number
		bad := "Vue au foyer \xff\xfe<script>"
		for _, lang := range []struct{ code, msg string }{
			{"fr", "Ce texte contient des caractères illisibles"},
			{"en", "This text holds unreadable characters"},
		} {
			ana.get(t, "/?lang="+lang.code)
			before := caseNow(t, db, c.Number)
			p := ana.postForm(t, base+"/comments", url.Values{"cco_CaseComment": {bad}})
			want(t, p, http.StatusUnprocessableEntity, "a comment not in UTF-8")
			mustContain(t, p, "a comment not in UTF-8", lang.msg)
			mustNotHold(t, p, "a comment not in UTF-8", "CSV", "Excel", "<script>")
			v := formValues(ana.get(t, base+"/perpetrators/new").body)
			v.Set("prs_FirstName", bad)
			p = ana.postForm(t, base+"/perpetrators", v)
			want(t, p, http.StatusUnprocessableEntity, "a perpetrator's name not in UTF-8")
			mustContain(t, p, "a perpetrator's name not in UTF-8", lang.msg, `id="e-prs_FirstName"`)
			mustNotHold(t, p, "a perpetrator's name not in UTF-8", "CSV", "Excel", "<script>")
			// The search page said "type 2 to 200 characters".
			p = ana.postForm(t, "/search", url.Values{"q": {"Es\xffther"}, "mode": {"fuzzy"}})
			want(t, p, http.StatusBadRequest, "a search not in UTF-8")
			mustContain(t, p, "a search not in UTF-8", lang.msg)
			mustNotHold(t, p, "a search not in UTF-8", "de 2 à 200", "2 to 200")
			after := caseNow(t, db, c.Number)
			if len(after.Comments) != len(before.Comments) || len(after.Perpetrators) != len(before.Perpetrators) {
				t.Fatal("text not in UTF-8 was stored")
			}
		}
	})
}

// TestAuditDetailsLabelled: an audit entry's details read in the page's
// language: keys and known values labelled, no raw English key, the
// placeholder of a reference that was not a case number translated.
func TestAuditDetailsLabelled(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		admin := staff(t, e, "root@kin.example", "KIN", domain.RoleAdmin)
		// Refused: a name typed where a case number belongs.
		want(t, ana.get(t, "/cases/Esther%20Mukendi"), http.StatusNotFound, "a name as a case reference")
		// A change: the fields changed named by their labels.
		v := formValues(ana.get(t, "/cases/"+c.Number+"/edit/victim").body)
		v["vic_MethodsOfControl"] = []string{"DebtBondage"}
		want(t, ana.postForm(t, "/cases/"+c.Number+"/edit/victim", v), http.StatusOK, "victim section saved")
		// A token created from the CLI: its resource had no label.
		en := domain.NewAuditEntry(context.Background(), domain.AuditTokenCreate)
		en.Resource, en.RecordID, en.Detail = "token", "t1", map[string]any{"read_only": true, "days": 30, "user": "<b>x</b>"}
		if err := db.Audit(context.Background(), en); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			lang         string
			want, forbid []string
		}{
			{"fr", []string{"Référence demandée\u00a0: (pas une référence de dossier)", "Motif\u00a0: dossier introuvable",
				"Action tentée\u00a0: consulter", "Rôles\u00a0: Travailleur social", "Organisme\u00a0: KIN", "Compte créé\u00a0: ana@kin.example",
				"Champs modifiés\u00a0: Moyens de contrôle", "Jeton d’API", "Lecture seule\u00a0: Oui", "Durée (jours)\u00a0: 30",
				"Utilisateur\u00a0: &lt;b&gt;x&lt;/b&gt;"},
				[]string{"(not a case reference)", "ref = ", "roles = ", "agency = ", "reason = ", "victim.vic_", "Esther", "<td>token</td>", "<b>x</b>"}},
			{"en", []string{"Reference asked for: (not a case reference)", "Reason: case not found", "Action attempted: read",
				"Roles: Caseworker", "Agency: KIN", "Account created: ana@kin.example", "Fields changed: Methods of control",
				"API token", "Read only: Yes", "Duration (days): 30"},
				[]string{"(pas une référence", "ref = ", "roles = ", "Esther"}},
		} {
			admin.get(t, "/?lang="+tt.lang)
			p := admin.get(t, "/audit")
			want(t, p, http.StatusOK, "the audit trail")
			mustContain(t, p, "the audit trail ("+tt.lang+")", tt.want...)
			mustNotHold(t, p, "the audit trail ("+tt.lang+")", tt.forbid...)
		}
	})
}

// TestCaseFilterErrorsNamed: an error of the case list's filter names
// the filter it is about and links to its input, in both languages;
// hostile values are not echoed as markup.
func TestCaseFilterErrorsNamed(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		long := strings.Repeat("A", 10000)
		tests := []struct {
			name, query, fr, en string
		}{
			{"a year that is no number", "year_from=abc", `<a href="#year_from">De l’année~: Saisissez un nombre entier positif.`, `<a href="#year_from">From year: `},
			{"years the wrong way round", "year_from=2026&year_to=2020", `<a href="#year_from">De l’année~: Cette valeur`, `<a href="#year_from">From year: `},
			{"an unknown gender", "gender=%3Cscript%3Ealert(1)%3C/script%3E", `<a href="#gender">Genre~: Choisissez`, `<a href="#gender">Gender: `},
			{"an unknown status", "status=Robot", `<a href="#status">Statut~: `, `<a href="#status">Status: `},
			{"a long citizenship", "citizenship=" + long, `<a href="#citizenship">Nationalité~: `, `<a href="#citizenship">Citizenship: `},
			{"an unknown sort", "sort=name", `<a href="#sort">Trier par~: `, `<a href="#sort">Sort by: `},
			{"a forged cursor", "cursor=zzz", `<li>Lien de page~: `, `<li>Page link: `},
		}
		for _, lang := range []string{"fr", "en"} {
			ana.get(t, "/?lang="+lang)
			for _, tt := range tests {
				p := ana.get(t, "/cases?"+tt.query)
				want(t, p, http.StatusBadRequest, tt.name)
				w := tt.fr
				if lang == "en" {
					w = tt.en
				}
				// The table's raw strings write the no-break space as ~.
				mustContain(t, p, tt.name+" ("+lang+")", strings.ReplaceAll(w, "~", "\u00a0"))
				mustNotHold(t, p, tt.name, "<script>alert")
			}
		}
	})
}

// TestAuditFilterErrorsNamed: the audit trail's filter errors name their
// filter and link to its input, in both languages.
func TestAuditFilterErrorsNamed(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		ben := staff(t, e, "ben@kin.example", "KIN", domain.RoleSupervisor)
		tests := []struct{ name, query, fr, en string }{
			{"a bad start date", "from=2026-13-01", `<a href="#from">Du~: `, `<a href="#from">From: `},
			{"a bad end date", "from=2026-01-01&to=demain", `<a href="#to">Au (inclus)~: `, `<a href="#to">To (included): `},
			{"dates the wrong way round", "from=2026-05-02&to=2026-05-01", `<a href="#from">Du~: `, `<a href="#from">From: `},
			{"an unknown action", "action=%3Cscript%3Ealert(1)%3C/script%3E", `<a href="#action">Action~: Choisissez`, `<a href="#action">Action: `},
			{"a forged page link", "before=abc", `role="alert">Ce lien de page`, `role="alert">This page link`},
		}
		for _, lang := range []string{"fr", "en"} {
			ben.get(t, "/?lang="+lang)
			for _, tt := range tests {
				p := ben.get(t, "/audit?"+tt.query)
				want(t, p, http.StatusBadRequest, tt.name)
				w := tt.fr
				if lang == "en" {
					w = tt.en
				}
				// The table's raw strings write the no-break space as ~.
				mustContain(t, p, tt.name+" ("+lang+")", strings.ReplaceAll(w, "~", "\u00a0"))
				mustNotHold(t, p, tt.name, "<script>alert")
			}
		}
	})
}
