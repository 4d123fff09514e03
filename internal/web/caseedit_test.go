// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"html"
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

var checkedRe = regexp.MustCompile(`<input type="checkbox" id="[^"]*" name="([^"]+)" value="([^"]*)" checked>`)

// editValues reads back what an edit page would post: formValues plus
// the ticked boxes of its checkbox groups.
func editValues(body string) url.Values {
	v := formValues(body)
	for _, m := range checkedRe.FindAllStringSubmatch(body, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	return v
}

func without(v url.Values, key string) url.Values {
	out := url.Values{}
	for k, x := range v {
		if k != key {
			out[k] = x
		}
	}
	return out
}

// TestCaseEditSectionsRefused: what must be refused comes first.
func TestCaseEditSectionsRefused(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		gom := e.newCase(t, "GOM", "Amani")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		jus := staff(t, e, "jus@kin.example", "KIN", domain.RoleJustice)
		e.user(t, "coord@kin.example", "KIN", domain.RoleCoordinator)
		coord := e.browser(t)
		want(t, coord.post(t, "/sign-in", url.Values{"email": {"coord@kin.example"}, "password": {password}}), http.StatusOK, "coordinator sign-in")
		base := "/cases/" + c.Number

		for _, tc := range []struct {
			name   string
			b      *browser
			path   string
			status int
		}{
			{"another agency's case", ana, "/cases/" + gom.Number + "/edit/identity", http.StatusNotFound},
			{"another agency's events", ana, "/cases/" + gom.Number + "/events/new", http.StatusNotFound},
			{"another agency's perpetrators", ana, "/cases/" + gom.Number + "/perpetrators/new", http.StatusNotFound},
			{"a missing case", ana, "/cases/KIN-2026-999999/edit/victim", http.StatusNotFound},
			{"an unknown section", ana, base + "/edit/health", http.StatusNotFound},
			{"an unknown event", ana, base + "/events/0190c5a4-0000-7000-8000-000000000000/edit", http.StatusNotFound},
			{"justice editing the victim context", jus, base + "/edit/victim", http.StatusForbidden},
			{"justice editing identity", jus, base + "/edit/identity", http.StatusForbidden},
			{"justice adding an event", jus, base + "/events/new", http.StatusForbidden},
			{"coordinator", coord, base + "/edit/identity", http.StatusNotFound},
			{"coordinator adding a perpetrator", coord, base + "/perpetrators/new", http.StatusNotFound},
		} {
			want(t, tc.b.get(t, tc.path), tc.status, tc.name)
		}
		// Posts: the same refusals, and a form without its CSRF token.
		form := editValues(ana.get(t, base+"/edit/identity").body)
		form.Set("prs_IdentityNumber", "P-1")
		want(t, ana.post(t, base+"/edit/identity", without(form, "csrf_token")), http.StatusForbidden, "no CSRF token")
		want(t, ana.post(t, base+"/events", url.Values{"hte_Type": {"Transit"}}), http.StatusForbidden, "event without CSRF token")
		want(t, jus.postForm(t, base+"/edit/victim", url.Values{"version": {"1"}}), http.StatusForbidden, "justice posting")
		want(t, jus.postForm(t, base+"/events", url.Values{"hte_Type": {"Transit"}}), http.StatusForbidden, "justice posting an event")
		want(t, ana.postForm(t, "/cases/"+gom.Number+"/edit/identity", url.Values{"version": {"1"}}), http.StatusNotFound, "posting to another agency's case")
		want(t, ana.postForm(t, "/cases/"+gom.Number+"/perpetrators", url.Values{"prs_FirstName": {"X"}}), http.StatusNotFound, "a perpetrator on another agency's case")
		if got := caseNow(t, db, c.Number); got.Version != 1 || got.Person.IdentityNumber != "" || len(got.Events) != 1 {
			t.Fatalf("a refused post changed the case: %+v", got)
		}
		if n := len(caseNow(t, db, gom.Number).Perpetrators); n != 0 {
			t.Fatalf("%d perpetrators on GOM's case", n)
		}

		// The case page offers what the role may do, nothing more.
		p := ana.get(t, base)
		mustContain(t, p, "caseworker's case page", base+"/edit/identity", base+"/edit/contact", base+"/edit/victim",
			base+"/events/new", base+"/perpetrators/new", "/events/"+caseNow(t, db, c.Number).Events[0].ID+"/edit")
		p = jus.get(t, base)
		mustNotContain(t, p, "justice's case page", "/edit/", "/events/new", "/events/"+caseNow(t, db, c.Number).Events[0].ID+"/edit")
		// The permission table gives justice the perpetrators.
		mustContain(t, p, "justice's case page", base+"/perpetrators/new")
	})
}

// TestCaseEditSections: each field group saves, keeps typed values on
// invalid input and shows conflicts.
func TestCaseEditSections(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		ben := staff(t, e, "ben@kin.example", "KIN", domain.RoleSupervisor)
		base := "/cases/" + c.Number
		hostile := `<script>alert("x")</script>`

		// Identity: citizenships typed as codes, a hostile identity number.
		form := ana.get(t, base+"/edit/identity")
		want(t, form, http.StatusOK, "identity form")
		mustContain(t, form, "identity form", `<label for="f-prs_Citizenship">`, `<label for="f-prs_IdentityNumber">`, `name="csrf_token"`)
		v := editValues(form.body)
		v.Set("prs_Citizenship", "cd, rw")
		v.Set("prs_IdentityNumber", hostile)
		want(t, ana.post(t, base+"/edit/identity", v), http.StatusOK, "identity saved")
		got := caseNow(t, db, c.Number)
		if !slices.Equal(got.Person.Citizenship, []string{"CD", "RW"}) || got.Person.IdentityNumber != hostile || got.Person.FirstName != "Esther" {
			t.Fatalf("after the identity save: %+v", got.Person)
		}
		p := ana.get(t, base)
		mustNotContain(t, p, "case page", hostile)
		mustContain(t, p, "case page", "&lt;script&gt;")

		// Victim context: checkbox groups, no JavaScript needed.
		form = ana.get(t, base+"/edit/victim")
		mustContain(t, form, "victim form", `<fieldset id="f-vic_MethodsOfControl">`, `<legend>Moyens de contrôle`,
			`<label class="opt" for="f-vic_TypeOfExploitation-0"><input type="checkbox" id="f-vic_TypeOfExploitation-0" name="vic_TypeOfExploitation" value="ForcedLabour" checked>`)
		v = editValues(form.body)
		v.Add("vic_TypeOfExploitation", "SexualExploitation")
		v["vic_MethodsOfControl"] = []string{"DebtBondage", "WithholdsDocuments"}
		v.Set("vic_AgeWhenTrafficked", "15")
		v.Set("vic_TraffickingStatusDecisionMakingOrg", "NGO")
		want(t, ana.post(t, base+"/edit/victim", v), http.StatusOK, "victim saved")
		got = caseNow(t, db, c.Number)
		if !slices.Equal(got.Victim.TypeOfExploitation, []string{"ForcedLabour", "SexualExploitation"}) ||
			!slices.Equal(got.Victim.MethodsOfControl, []string{"DebtBondage", "WithholdsDocuments"}) ||
			got.Victim.AgeWhenTrafficked == nil || *got.Victim.AgeWhenTrafficked != 15 || got.Victim.TraffickingStatusDecisionOrg != "NGO" {
			t.Fatalf("after the victim save: %+v", got.Victim)
		}
		// Unticking every box empties the list.
		v = editValues(ana.get(t, base+"/edit/victim").body)
		v.Del("vic_MethodsOfControl")
		want(t, ana.post(t, base+"/edit/victim", v), http.StatusOK, "boxes unticked")
		if got = caseNow(t, db, c.Number); len(got.Victim.MethodsOfControl) != 0 || len(got.Victim.TypeOfExploitation) != 2 {
			t.Fatalf("after unticking: %+v", got.Victim)
		}

		// Invalid values: 422, the message beside the field, typing kept.
		long := strings.Repeat("a", 10000)
		for _, tc := range []struct {
			name, section, field, value, msg string
			kept                             bool
		}{
			{"an invalid code in a checkbox group", "victim", "vic_MethodsOfControl", "Robot", "Choisissez une des valeurs proposées.", false},
			{"an invalid code in a select", "contact", "prs_MaritalStatus", "Robot", "Choisissez une des valeurs proposées.", false},
			{"an invalid country", "identity", "prs_Citizenship", "CD, XX", "Choisissez un pays dans la liste", true},
			{"an invalid language", "contact", "prs_PrimaryLanguage", "zz", "Choisissez une langue dans la liste", true},
			{"not a number", "victim", "vic_AgeWhenTrafficked", "quinze", "Saisissez un nombre entier positif.", true},
			{"an age out of range", "victim", "vic_AgeWhenTrafficked", "300", "en dehors des limites", true},
			{"a 10,000-character text", "contact", "prs_MailingStreet", long, "Le texte est trop long.", true},
			{"a control character", "identity", "prs_Title", "Dr\x1b[2J", "caractère de contrôle", false},
			{"a bad e-mail", "contact", "prs_Email", hostile, "Cette adresse e-mail n’est pas valide.", false},
			{"a date in the wrong form", "victim", "vig_TraffickingStatusDate", "27/11/2026", "AAAA-MM-JJ", true},
		} {
			v := editValues(ana.get(t, base+"/edit/"+tc.section).body)
			v.Set(tc.field, tc.value)
			p := ana.post(t, base+"/edit/"+tc.section, v)
			want(t, p, http.StatusUnprocessableEntity, tc.name)
			mustContain(t, p, tc.name, tc.msg, `aria-invalid="true" aria-describedby="e-`+tc.field+`"`, `<p class="error" id="e-`+tc.field+`">`)
			mustNotContain(t, p, tc.name, hostile)
			if tc.kept {
				mustContain(t, p, tc.name+" keeps the typed value", `value="`+tc.value+`"`)
			}
		}
		before := caseNow(t, db, c.Number).Version

		// Conflict: Ben saves an e-mail; Ana, on the old version, a phone.
		a := editValues(ana.get(t, base+"/edit/contact").body)
		bv := editValues(ben.get(t, base+"/edit/contact").body)
		bv.Set("prs_Email", "esther@example.cd")
		want(t, ben.post(t, base+"/edit/contact", bv), http.StatusOK, "Ben's save")
		a.Set("prs_HomePhone", "+243812345678")
		a.Set("prs_MailingStreet", hostile)
		p = ana.post(t, base+"/edit/contact", a)
		want(t, p, http.StatusConflict, "stale contact edit")
		mustContain(t, p, "conflict", "Quelqu’un d’autre a enregistré ce dossier", "<li>Adresse e-mail</li>",
			`value="&#43;243812345678"`, "<strong>esther@example.cd</strong>", "&lt;script&gt;")
		mustNotContain(t, p, "conflict", hostile, "<li>Téléphone fixe</li>")
		if got := caseNow(t, db, c.Number); got.Person.HomePhone != "" || got.Version != before+1 {
			t.Fatalf("a stale edit changed the case: %+v", got.Person)
		}
		again := editValues(p.body)
		want(t, ana.post(t, base+"/edit/contact", again), http.StatusOK, "re-applied")
		if got := caseNow(t, db, c.Number); got.Person.HomePhone != "+243812345678" || got.Person.Email != "esther@example.cd" {
			t.Fatalf("after re-applying: %+v", got.Person)
		}

		// A stale edit of a checkbox group keeps the ticks typed.
		a = editValues(ana.get(t, base+"/edit/victim").body)
		bv = editValues(ben.get(t, base+"/edit/victim").body)
		bv.Set("vic_LocationOfExploitation", "Kolwezi")
		want(t, ben.post(t, base+"/edit/victim", bv), http.StatusOK, "Ben's victim save")
		a["vic_MethodsOfControl"] = []string{"PhysicalThreats"}
		p = ana.post(t, base+"/edit/victim", a)
		want(t, p, http.StatusConflict, "stale victim edit")
		mustContain(t, p, "victim conflict", "<li>Lieu d’exploitation</li>", `value="PhysicalThreats" checked>`, "<strong>Kolwezi</strong>")
		want(t, ana.post(t, base+"/edit/victim", editValues(p.body)), http.StatusOK, "victim re-applied")
		if got := caseNow(t, db, c.Number); got.Victim.LocationOfExploitation != "Kolwezi" || !slices.Equal(got.Victim.MethodsOfControl, []string{"PhysicalThreats"}) {
			t.Fatalf("after re-applying: %+v", got.Victim)
		}

		// Identity too: a stale edit names the field saved meanwhile.
		a = editValues(ana.get(t, base+"/edit/identity").body)
		bv = editValues(ben.get(t, base+"/edit/identity").body)
		bv.Set("prs_Title", "Mme")
		want(t, ben.post(t, base+"/edit/identity", bv), http.StatusOK, "Ben's identity save")
		a.Set("prs_IdentityNumber", "CD-123")
		p = ana.post(t, base+"/edit/identity", a)
		want(t, p, http.StatusConflict, "stale identity edit")
		mustContain(t, p, "identity conflict", "<li>Titre</li>", `value="CD-123"`, "<strong>Mme</strong>")
		if got := caseNow(t, db, c.Number); got.Person.IdentityNumber != hostile {
			t.Fatalf("a stale identity edit was saved: %q", got.Person.IdentityNumber)
		}

		// A save of another page of the case: the conflict says no field
		// of this form changed; saving again applies.
		a = editValues(ana.get(t, base+"/edit/victim").body)
		bv = editValues(ben.get(t, base+"/edit/contact").body)
		bv.Set("prs_MailingState", "Haut-Katanga")
		want(t, ben.post(t, base+"/edit/contact", bv), http.StatusOK, "Ben's contact save")
		a.Set("vic_LocationOfRecruitment", "Likasi")
		p = ana.post(t, base+"/edit/victim", a)
		want(t, p, http.StatusConflict, "stale edit of another page")
		mustContain(t, p, "stale edit of another page", "une autre partie de ce dossier", `value="Likasi"`)
		mustNotContain(t, p, "stale edit of another page", "Champs modifiés par l’autre personne")
		want(t, ana.post(t, base+"/edit/victim", editValues(p.body)), http.StatusOK, "saved again")

		// Every showing of a form is an audited read.
		if reads := audited(t, db, c.Number, domain.AuditRead); len(reads) < 10 {
			t.Fatalf("%d reads audited", len(reads))
		}
		// And in English.
		ana.get(t, "/lang/en")
		mustContain(t, ana.get(t, base+"/edit/victim"), "English form", "Trafficking context", "Methods of control")
	})
}

// TestReferralsNavLink: the nav leads to the referrals inbox for the
// roles that answer referrals, and only for them.
func TestReferralsNavLink(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		link := `<a href="/referrals">`
		for _, tc := range []struct {
			role domain.Role
			show bool
		}{
			{domain.RoleJustice, false},
			{domain.RoleAdmin, false},
			{domain.RoleCaseworker, true},
			{domain.RoleSupervisor, true},
		} {
			b := staff(t, e, string(tc.role)+"@kin.example", "KIN", tc.role)
			p := b.get(t, "/account")
			if got := strings.Contains(p.body, link); got != tc.show {
				t.Fatalf("%s: nav link to the inbox shown %v, want %v:\n%s", tc.role, got, tc.show, p.body)
			}
			if tc.show {
				want(t, b.get(t, "/referrals"), http.StatusOK, string(tc.role)+" following the link")
			}
		}
		e.user(t, "coord@kin.example", "KIN", domain.RoleCoordinator)
		coord := e.browser(t)
		p := coord.post(t, "/sign-in", url.Values{"email": {"coord@kin.example"}, "password": {password}})
		mustNotContain(t, p, "coordinator's nav", link)
	})
}

// TestCaseEditReadBack: what the edit pages saved is shown on the case
// page, to the roles that may read it only.
func TestCaseEditReadBack(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		jus := staff(t, e, "jus@kin.example", "KIN", domain.RoleJustice)
		base := "/cases/" + c.Number
		v := editValues(ana.get(t, base+"/edit/contact").body)
		v.Set("prs_HomePhone", "+243999000111")
		v.Set("prs_MailingStreet", "12 avenue du Marché")
		v.Set("prs_MaritalStatus", "Married")
		want(t, ana.post(t, base+"/edit/contact", v), http.StatusOK, "contact saved")
		v = editValues(ana.get(t, base+"/edit/victim").body)
		v["vic_TypeOfSexExploitation"] = []string{"Pornography"}
		v.Set("vic_RelationshipToTrafficker", "Familial")
		want(t, ana.post(t, base+"/edit/victim", v), http.StatusOK, "victim saved")

		mustContain(t, ana.get(t, base), "caseworker's case page", "&#43;243999000111", "12 avenue du Marché", "Marié(e)", "Pornographie")
		p := jus.get(t, base)
		mustContain(t, p, "justice's case page", "Pornographie")
		mustNotContain(t, p, "justice's case page", "243999000111", "12 avenue du Marché", "Marié(e)")
	})
}
