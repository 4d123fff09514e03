// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

func complaintForm() url.Values {
	return url.Values{"complaint.date": {"2026-03-01"}, "complaint.source": {"NGO"}, "complaint.received_by": {"Police des mines"},
		"investigation.unit": {"Police des mines"}, "investigation.opened": {"2026-03-02"}}
}

// TestJusticePages: a justice user takes a proceeding from the complaint
// to the sentence through the pages; the victim's caseworker sees the
// summary only; every other role is refused; hostile input is escaped or
// refused.
func TestJusticePages(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@test", Agency: "KIN", Via: "cli"})
		if _, err := db.EnsureAgency(ctx, "GOM", "Parquet de Goma"); err != nil {
			t.Fatal(err)
		}
		jus := staff(t, e, "parquet@kin.example", "KIN", domain.RoleJustice)
		cw := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		other := staff(t, e, "parquet@gom.example", "GOM", domain.RoleJustice)
		coord, _ := e.signedIn(t, "coord@kin.example", "KIN", domain.RoleCoordinator)
		admin, _ := e.signedIn(t, "admin@kin.example", "KIN", domain.RoleAdmin)
		c := e.newCase(t, "KIN", "Zawadi")
		s := &domain.Suspect{Agency: "KIN", Gender: "Masculine", AgeGroup: "Adult", Citizenship: "CD",
			Identity: &domain.SuspectIdentity{FirstName: "Kabongo", LastName: "Secret"}}
		if err := db.CreateSuspect(ctx, s); err != nil {
			t.Fatal(err)
		}
		gomSuspect := &domain.Suspect{Agency: "GOM", Gender: "Masculine", AgeGroup: "Adult", Citizenship: "RW",
			Identity: &domain.SuspectIdentity{FirstName: "Autre", LastName: "Agence"}}
		if err := db.CreateSuspect(ctx, gomSuspect); err != nil {
			t.Fatal(err)
		}

		// The list of offences: coordinators add, justice reads, others not.
		want(t, jus.postForm(t, "/law", url.Values{"code": {"T-1"}, "law": {"Loi"}, "article": {"1"}, "title_fr": {"Traite"}}), http.StatusForbidden, "justice adding an article")
		want(t, admin.get(t, "/law"), http.StatusForbidden, "admin reading the offences")
		want(t, coord.postForm(t, "/law", url.Values{"code": {"a b"}, "law": {"Loi"}, "article": {"1"}, "title_fr": {"Traite"}}), http.StatusUnprocessableEntity, "bad code")
		p := coord.postForm(t, "/law", url.Values{"code": {"T-1"}, "law": {"Loi de <b>test</b>"}, "article": {"1"}, "title_fr": {"Traite des personnes"}})
		want(t, p, http.StatusOK, "article added")
		mustContain(t, p, "offences", "T-1", "Loi de &lt;b&gt;test&lt;/b&gt;", "Enregistré.")
		want(t, coord.postForm(t, "/law", url.Values{"code": {"t-1"}, "law": {"Loi"}, "article": {"1"}, "title_fr": {"T"}}), http.StatusUnprocessableEntity, "duplicate code")
		mustNotContain(t, jus.get(t, "/law"), "justice's offences", `action="/law"`)

		// The nav leads justice to its proceedings and the offences, the
		// coordinator to the offences, nobody else.
		mustContain(t, jus.get(t, "/"), "justice's nav", `href="/justice"`, `href="/law"`)
		mustContain(t, coord.get(t, "/"), "coordinator's nav", `href="/law"`)
		mustNotContain(t, coord.get(t, "/"), "coordinator's nav", `href="/justice"`)
		mustNotContain(t, cw.get(t, "/"), "caseworker's nav", `href="/justice"`, `href="/law"`)
		mustNotContain(t, admin.get(t, "/"), "admin's nav", `href="/justice"`, `href="/law"`)

		// Refusals: roles without the chain, no CSRF token.
		for who, b := range map[string]*browser{"caseworker": cw, "coordinator": coord, "admin": admin} {
			want(t, b.get(t, "/justice"), http.StatusForbidden, who+" list")
			want(t, b.get(t, "/justice/new"), http.StatusForbidden, who+" new")
			want(t, b.postForm(t, "/justice", complaintForm()), http.StatusForbidden, who+" create")
		}
		want(t, jus.post(t, "/justice", complaintForm()), http.StatusForbidden, "no CSRF token")
		gomSit := &domain.Situation{Agency: "GOM", Title: "Réseau de Goma"}
		if err := db.CreateSituation(ctx, gomSit); err != nil {
			t.Fatal(err)
		}
		for what, mut := range map[string]func(url.Values){
			"foreign situation": func(v url.Values) { v.Set("situation_id", gomSit.ID) },
			"future":            func(v url.Values) { v.Set("complaint.date", "2099-01-01") },
			"bad date":          func(v url.Values) { v.Set("complaint.date", "hier") },
			"source":            func(v url.Values) { v.Set("complaint.source", "<script>") },
			"control char":      func(v url.Values) { v.Set("investigation.unit", "Police\x1b[2J") },
			"10,000 chars":      func(v url.Values) { v.Set("notes", strings.Repeat("n", 10000)) },
			"order":             func(v url.Values) { v.Set("investigation.closed", "2026-03-01") },
			"situation":         func(v url.Values) { v.Set("situation_id", "' OR 1=1 --") },
		} {
			v := complaintForm()
			mut(v)
			p := jus.postForm(t, "/justice", v)
			want(t, p, http.StatusUnprocessableEntity, what)
			mustContain(t, p, what, `<p class="error" id="e-h-`)
		}
		if list, _, _ := db.Proceedings(ctx, domain.ProceedingFilter{}); len(list) != 0 {
			t.Fatalf("refused forms stored %d proceedings", len(list))
		}

		// The chain, step by step.
		v := complaintForm()
		v.Set("notes", `<img src=x onerror=alert(1)>`)
		p = jus.postForm(t, "/justice", v)
		want(t, p, http.StatusOK, "proceeding opened")
		mustContain(t, p, "proceeding", "Enquête", "&lt;img src=x onerror=alert(1)&gt;", "Plainte reçue", "Une ONG")
		base := strings.Split(p.url, "?")[0]
		number := strings.TrimPrefix(base, "/justice/")
		step := func(kind string, v url.Values, status int) page {
			t.Helper()
			p := jus.postForm(t, base+"/steps/"+kind, v)
			want(t, p, status, kind)
			return p
		}
		mustContain(t, step("defendants", url.Values{"defendants-suspect_id": {gomSuspect.Number}}, 422), "suspect out of reach", `id="e-defendants-suspect_id"`)
		step("defendants", url.Values{"defendants-suspect_id": {s.Number}, "defendants-arrested_on": {"2026-03-03"}, "defendants-arrest_place": {"Kolwezi"}}, 200)
		mustContain(t, step("victims", url.Values{"victims-case_number": {"KIN-2026-999999"}}, 422), "missing case", `id="e-victims-case_number"`)
		step("victims", url.Values{"victims-case_number": {c.Number}, "victims-witness": {"1"}, "victims-protection": {"ClosedHearing", "IdentityConcealment"}}, 200)
		step("teleport", url.Values{}, 404)
		pr, err := db.Proceeding(ctx, number)
		if err != nil || len(pr.Defendants) != 1 {
			t.Fatalf("%v %+v", err, pr)
		}
		def := pr.Defendants[0].ID
		mustContain(t, step("charges", url.Values{"charges-defendant_id": {def}, "charges-article_id": {"T-1"}, "charges-charged_on": {"2026-04-01"}, "charges-acts": {"Teleport"}}, 422),
			"bad act", `id="e-charges-acts"`)
		step("charges", url.Values{"charges-defendant_id": {def}, "charges-article_id": {"T-1"}, "charges-charged_on": {"2026-04-01"},
			"charges-acts": {"AtWork"}, "charges-means": {"DebtBondage"}, "charges-purposes": {"ForcedLabour"}}, 200)
		pr, _ = db.Proceeding(ctx, number)
		charge := pr.Charges[0]
		p = jus.postForm(t, base+"/steps/hearings", url.Values{"prosecution": {"x"}, "hearings-date": {"2026-06-10"}, "hearings-court": {"TGI Kolwezi"}, "hearings-outcome": {"Renvoi"}})
		want(t, p, http.StatusOK, "hearing")
		p = jus.postForm(t, base+"/charges/"+charge.ID+"/verdict", url.Values{"verdict": {"Convicted"}, "verdict_on": {"2026-09-01"}, "version": {"1"}})
		want(t, p, http.StatusOK, "verdict")
		want(t, jus.postForm(t, base+"/charges/"+charge.ID+"/verdict", url.Values{"verdict": {"Acquitted"}, "verdict_on": {"2026-09-01"}, "version": {"1"}}), http.StatusConflict, "stale verdict")
		mustContain(t, step("hearings", url.Values{"hearings-date": {"2099-01-01"}, "hearings-court": {"TGI"}}, 422), "hearing too far", `id="e-hearings-date"`)
		mustContain(t, step("hearings", url.Values{"hearings-date": {"2026-06-11"}, "hearings-court": {"TGI\x00"}}, 422), "hearing court", `id="e-hearings-court"`)
		mustContain(t, step("appeals", url.Values{"appeals-lodged_on": {"2026-09-10"}, "appeals-court": {"CA"}, "appeals-by": {"Judge"}}, 422), "appeal party", `id="e-appeals-by"`)
		mustContain(t, step("appeals", url.Values{"appeals-defendant_id": {"00000000-0000-4000-8000-000000000000"}, "appeals-lodged_on": {"2026-09-10"}, "appeals-court": {"CA"}, "appeals-by": {"Defence"}}, 422),
			"appeal of a stranger", `id="e-appeals-defendant_id"`)
		mustContain(t, step("sentences", url.Values{"sentences-defendant_id": {def}, "sentences-sentenced_on": {"2026-09-01"}, "sentences-prison_months": {"douze"}}, 422), "months", `id="e-sentences-prison_months"`)
		p = step("sentences", url.Values{"sentences-defendant_id": {def}, "sentences-sentenced_on": {"2026-09-01"}, "sentences-prison_months": {"60"},
			"sentences-compensation-amount": {"2500"}, "sentences-compensation-currency": {"USD"}}, 200)
		mustContain(t, p, "after the sentence", "Jugement", "Condamné", "Peine prononcée", "Arrestation", s.Number, "Huis clos")
		mustNotContain(t, p, "proceeding page", "Kabongo", "Secret", "Zawadi")

		// The header: prosecution, at the version shown; a stale one is 409.
		h := complaintForm()
		h.Set("prosecution.court", "TGI Kolwezi")
		h.Set("prosecution.docket", "RP 77")
		h.Set("prosecution.filed", "2026-05-02")
		h.Set("version", "1")
		want(t, jus.postForm(t, base+"/edit", h), http.StatusOK, "header")
		want(t, jus.postForm(t, base+"/edit", h), http.StatusConflict, "stale header")

		// Another agency's justice: not found, like a missing proceeding.
		want(t, other.get(t, base), http.StatusNotFound, "another agency's proceeding")
		want(t, other.postForm(t, base+"/steps/hearings", url.Values{"hearings-date": {"2026-06-10"}, "hearings-court": {"X"}}), http.StatusNotFound, "another agency adding a step")
		mustNotContain(t, other.get(t, "/justice"), "another agency's list", number)

		// The caseworker: the summary of the case, no defendant.
		want(t, cw.get(t, base), http.StatusForbidden, "caseworker reading the proceeding")
		mustContain(t, cw.get(t, "/cases/"+c.Number), "case page", `href="/cases/`+c.Number+`/justice"`)
		p = cw.get(t, "/cases/"+c.Number+"/justice")
		want(t, p, http.StatusOK, "summary")
		mustContain(t, p, "summary", number, "Jugement", "Condamné", "Huis clos", "Identité masquée")
		mustNotContain(t, p, "summary", s.Number, "T-1", "RP 77", "Kabongo")
		want(t, other.get(t, "/cases/"+c.Number+"/justice"), http.StatusNotFound, "summary of another agency's case")
		want(t, admin.get(t, "/cases/"+c.Number+"/justice"), http.StatusNotFound, "admin summary")
		en := cw.get(t, "/cases/"+c.Number+"/justice?lang=en")
		mustContain(t, en, "English summary", "Convicted", "Closed hearing")

		// Steps and the proceeding removed at the version shown.
		pr, _ = db.Proceeding(ctx, number)
		want(t, jus.postForm(t, base+"/steps/defendants/"+def+"/delete", url.Values{"version": {"1"}}), http.StatusConflict, "defendant with charges")
		hearing := pr.Hearings[0]
		want(t, jus.postForm(t, base+"/steps/hearings/"+hearing.ID+"/delete", url.Values{"version": {"1"}}), http.StatusOK, "hearing deleted")
		list := jus.get(t, "/justice?stage=verdict")
		mustContain(t, list, "list", number)
		want(t, jus.get(t, "/justice?stage=nowhere"), http.StatusUnprocessableEntity, "unknown stage")
		if !regexp.MustCompile(`^KIN-J-\d{4}-\d{6}$`).MatchString(number) {
			t.Fatalf("number %q", number)
		}
	})
}

// TestJusticeWarningPages: what looks out of order is listed under « À
// vérifier » in the visitor's language, naming the step by its registry
// number — the API's English message never reaches a French page — a
// proceeding in order lists nothing, and a sentence before its conviction
// is refused under its date.
func TestJusticeWarningPages(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@test", Agency: "KIN", Via: "cli"})
		jus := staff(t, e, "parquet@kin.example", "KIN", domain.RoleJustice)
		coord, _ := e.signedIn(t, "coord@kin.example", "KIN", domain.RoleCoordinator)
		s := &domain.Suspect{Agency: "KIN", Gender: "Masculine", AgeGroup: "Adult", Citizenship: "CD",
			Identity: &domain.SuspectIdentity{FirstName: "Kabongo", LastName: "Secret"}}
		if err := db.CreateSuspect(ctx, s); err != nil {
			t.Fatal(err)
		}
		want(t, coord.postForm(t, "/law", url.Values{"code": {"T-1"}, "law": {"Loi"}, "article": {"1"}, "title_fr": {"Traite"}}), http.StatusOK, "article")
		p := jus.postForm(t, "/justice", complaintForm())
		want(t, p, http.StatusOK, "proceeding opened")
		base := strings.Split(p.url, "?")[0]
		number := strings.TrimPrefix(base, "/justice/")
		step := func(path string, v url.Values) page {
			t.Helper()
			p := jus.postForm(t, base+path, v)
			want(t, p, http.StatusOK, path)
			return p
		}
		step("/steps/defendants", url.Values{"defendants-suspect_id": {s.Number}, "defendants-arrested_on": {"2026-03-05"}})
		pr, err := db.Proceeding(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		def := pr.Defendants[0].ID
		step("/steps/charges", url.Values{"charges-defendant_id": {def}, "charges-article_id": {"T-1"}, "charges-charged_on": {"2026-04-01"}})
		pr, _ = db.Proceeding(ctx, number)
		step("/charges/"+pr.Charges[0].ID+"/verdict", url.Values{"verdict": {"Convicted"}, "verdict_on": {"2026-09-01"}, "version": {"1"}})
		p = step("/steps/sentences", url.Values{"sentences-defendant_id": {def}, "sentences-sentenced_on": {"2026-09-01"}, "sentences-prison_months": {"60"}})
		mustNotContain(t, p, "in order", "À vérifier")

		// A sentence before the conviction is impossible: refused under
		// its date. An appeal before the conviction and the court seized
		// before the complaint may be mistyped or lawful: warned.
		p = jus.postForm(t, base+"/steps/sentences", url.Values{"sentences-defendant_id": {def}, "sentences-sentenced_on": {"2026-08-01"}, "sentences-prison_months": {"12"}})
		want(t, p, http.StatusUnprocessableEntity, "a sentence before the conviction")
		mustContain(t, p, "a sentence before the conviction", `id="e-sentences-sentenced_on"`)
		step("/steps/appeals", url.Values{"appeals-defendant_id": {def}, "appeals-lodged_on": {"2026-08-15"}, "appeals-court": {"CA"}, "appeals-by": {"Defence"}})
		h := complaintForm()
		h.Set("prosecution.court", "TGI")
		h.Set("prosecution.filed", "2026-02-01")
		h.Set("version", "1")
		step("/edit", h)
		p = jus.get(t, base)
		mustContain(t, p, "French warnings", "À vérifier", "Le tribunal a été saisi avant la plainte.",
			"Un appel est interjeté avant tout verdict qu’il pourrait contester. ("+s.Number+" · CA)")
		mustNotContain(t, p, "French warnings", "the court was seized", "an appeal lodged before", "Kabongo")
		en := jus.get(t, base+"?lang=en")
		mustContain(t, en, "English warnings", "To check", "The court was seized before the complaint.",
			"An appeal was lodged before any verdict it could challenge. ("+s.Number+" · CA)")
	})
}
