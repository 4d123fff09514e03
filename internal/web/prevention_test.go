// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

func providerForm(name string) url.Values {
	return url.Values{"name": {name}, "type": {"NGO"}, "services": {"Shelter", "Medical"}, "provinces": {"CD-KN", "CD-NK"},
		"beds_total": {"20"}, "beds_free": {"4"}, "capacity_date": {"2026-01-10"}, "phone": {"+243812345678"}, "notes": {"Accueil 24 h/24"}}
}

func TestProviderPages(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		sup := staff(t, e, "sup@kin.example", "KIN", domain.RoleSupervisor)
		cw := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		coord, _ := e.signedIn(t, "coord@kin.example", "KIN", domain.RoleCoordinator)

		// Refusals first: caseworkers read the directory, do not keep it;
		// a post without the CSRF token changes nothing.
		want(t, cw.get(t, "/providers/new"), http.StatusForbidden, "caseworker's new provider form")
		want(t, cw.postForm(t, "/providers", providerForm("Refusé")), http.StatusForbidden, "caseworker creating a provider")
		want(t, sup.post(t, "/providers", providerForm("Sans jeton")), http.StatusForbidden, "no CSRF token")
		for what, mut := range map[string]func(url.Values){
			"free over total": func(v url.Values) { v.Set("beds_free", "40") },
			"not a number":    func(v url.Values) { v.Set("beds_total", "vingt") },
			"10,000 chars":    func(v url.Values) { v.Set("name", strings.Repeat("a", 10000)) },
			"control char":    func(v url.Values) { v.Set("name", "Maison\x1b[31m") },
			"no service":      func(v url.Values) { v.Del("services") },
			"bad province":    func(v url.Values) { v["provinces"] = []string{"CD-XX"} },
			"unknown agency":  func(v url.Values) { v.Set("agency_code", "NOPE") },
			"linking agency":  func(v url.Values) { v.Set("agency_code", "KIN") },
		} {
			v := providerForm("Maison Refusée")
			mut(v)
			p := sup.postForm(t, "/providers", v)
			want(t, p, http.StatusUnprocessableEntity, what)
			mustContain(t, p, what, "Certaines informations sont incorrectes", `<p class="error" id="e-`)
		}
		if list, _, _ := db.Providers(context.Background(), domain.ProviderFilter{}); len(list) != 0 {
			t.Fatalf("refused forms stored %d providers", len(list))
		}

		// A supervisor adds a shelter whose name is hostile: escaped.
		p := sup.postForm(t, "/providers", providerForm(`<script>alert(1)</script> Maison`))
		want(t, p, http.StatusOK, "provider created")
		mustContain(t, p, "provider page", "&lt;script&gt;alert(1)&lt;/script&gt; Maison", "4 lits libres sur 20", "Hébergement", "Nord-Kivu", "Enregistré.")
		mustNotContain(t, p, "provider page", "<script>alert(1)</script>")
		id := strings.TrimPrefix(p.url, "/providers/")
		v := providerForm("Hôpital du Nord")
		v["services"], v["provinces"] = []string{"Medical"}, []string{"CD-NK"}
		v.Del("beds_total")
		v.Del("beds_free")
		want(t, sup.postForm(t, "/providers", v), http.StatusOK, "second provider")

		// Everyone who works with cases reads and filters the directory.
		for who, b := range map[string]*browser{"caseworker": cw, "coordinator": coord} {
			p := b.get(t, "/providers?service=Shelter&province=CD-KN")
			want(t, p, http.StatusOK, who+" list")
			mustContain(t, p, who+" list", "1 prestataire", "4 lits libres sur 20", `<label for="p-service">`)
			mustNotContain(t, p, who+" list", "Hôpital du Nord", "Ajouter un prestataire")
		}
		mustContain(t, cw.get(t, "/"), "caseworker menu", `href="/providers"`, `href="/awareness"`)
		want(t, cw.get(t, "/providers?service=Spa"), http.StatusUnprocessableEntity, "unknown service filter")
		want(t, cw.get(t, "/providers/"+id), http.StatusOK, "caseworker reads a provider")
		want(t, cw.get(t, "/providers/not-an-id"), http.StatusNotFound, "missing provider")
		en := cw.get(t, "/providers?lang=en")
		mustContain(t, en, "English list", "free beds of 20")

		// Edit, then a stale edit: 409, nothing saved, typed values kept.
		form := sup.get(t, "/providers/"+id+"/edit")
		want(t, form, http.StatusOK, "edit form")
		mustContain(t, form, "edit form", `name="version" value="1"`, `value="CD-NK" checked`)
		v = providerForm("Maison Espoir")
		v.Set("version", "1")
		v.Set("beds_free", "0")
		p = sup.postForm(t, "/providers/"+id+"/edit", v)
		want(t, p, http.StatusOK, "edit")
		mustContain(t, p, "edited provider", "0 lit libre sur 20")
		v.Set("beds_free", "3")
		p = sup.postForm(t, "/providers/"+id+"/edit", v)
		want(t, p, http.StatusConflict, "stale edit")
		mustContain(t, p, "stale edit", "Quelqu’un d’autre a modifié cette fiche", `value="3"`)
		got, err := db.Provider(context.Background(), id)
		if err != nil || *got.BedsFree != 0 || got.Version != 2 {
			t.Fatalf("after the stale edit: %+v, %v", got, err)
		}
		want(t, cw.postForm(t, "/providers/"+id+"/edit", v), http.StatusForbidden, "caseworker editing")

		// Only admins remove a provider, at the version they saw.
		mustNotContain(t, sup.get(t, "/providers/"+id), "supervisor's provider page", "/delete")
		want(t, sup.postForm(t, "/providers/"+id+"/delete", url.Values{"version": {"2"}}), http.StatusForbidden, "supervisor deleting")
		admin := staff(t, e, "admin@kin.example", "KIN", domain.RoleAdmin)
		mustContain(t, admin.get(t, "/providers/"+id), "admin's provider page", `action="/providers/`+id+`/delete"`, `name="version" value="2"`)
		want(t, admin.postForm(t, "/providers/"+id+"/delete", url.Values{"version": {"1"}}), http.StatusConflict, "stale delete")
		want(t, admin.post(t, "/providers/"+id+"/delete", url.Values{"version": {"2"}}), http.StatusForbidden, "delete without CSRF")
		want(t, admin.postForm(t, "/providers/"+id+"/delete", url.Values{"version": {"2"}}), http.StatusOK, "delete")
		want(t, cw.get(t, "/providers/"+id), http.StatusNotFound, "deleted provider")
	})
}

func TestAwarenessPages(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		kin := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		gom := staff(t, e, "cw@gom.example", "GOM", domain.RoleCaseworker)
		coord, _ := e.signedIn(t, "coord@kin.example", "KIN", domain.RoleCoordinator)
		jus := staff(t, e, "jus@kin.example", "KIN", domain.RoleJustice)
		day := e.clock.Now().AddDate(0, 0, -3).Format("2006-01-02")
		form := url.Values{"type": {"School"}, "date": {day}, "province": {"CD-KN"}, "locality": {"<b>Lemba</b>"},
			"audience": {"Élèves"}, "female_children": {"40"}, "female_adults": {"2"}, "male_children": {"35"}, "male_adults": {"3"}}

		want(t, jus.get(t, "/awareness"), http.StatusForbidden, "justice")
		want(t, coord.get(t, "/awareness/new"), http.StatusForbidden, "coordinator records nothing")
		want(t, kin.post(t, "/awareness", form), http.StatusForbidden, "no CSRF token")
		for what, mut := range map[string]func(url.Values){
			"future":   func(v url.Values) { v.Set("date", "2999-01-01") },
			"negative": func(v url.Values) { v.Set("male_adults", "-1") },
			"letters":  func(v url.Values) { v.Set("male_adults", "trois") },
			"province": func(v url.Values) { v.Set("province", "Kinshasa") },
			"notes":    func(v url.Values) { v.Set("notes", strings.Repeat("n", 10000)) },
		} {
			v := url.Values{}
			for k, x := range form {
				v[k] = append([]string(nil), x...)
			}
			mut(v)
			p := kin.postForm(t, "/awareness", v)
			want(t, p, http.StatusUnprocessableEntity, what)
			mustContain(t, p, what, `aria-invalid="true"`, `<p class="error"`)
		}

		p := kin.postForm(t, "/awareness", form)
		want(t, p, http.StatusOK, "activity recorded")
		mustContain(t, p, "list", "Enregistré.", "&lt;b&gt;Lemba&lt;/b&gt;", "80 personnes touchées", "École")
		mustNotContain(t, p, "list", "<b>Lemba</b>")
		list, _, err := db.Awarenesses(context.Background(), domain.AwarenessFilter{})
		if err != nil || len(list) != 1 || list[0].Agency != "KIN" {
			t.Fatalf("stored %v, %v", list, err)
		}
		id := list[0].ID

		// Another agency neither sees nor edits it; coordinators see it.
		mustNotContain(t, gom.get(t, "/awareness"), "GOM's list", "Lemba")
		want(t, gom.get(t, "/awareness/"+id+"/edit"), http.StatusNotFound, "GOM editing KIN's activity")
		edit := kin.get(t, "/awareness/"+id+"/edit")
		mustContain(t, edit, "edit form", `name="version" value="1"`, `value="`+day+`"`, `name="female_children" inputmode="numeric" maxlength="9" value="40"`)
		v := url.Values{"version": {"1"}}
		for k, x := range form {
			v[k] = x
		}
		want(t, gom.postForm(t, "/awareness/"+id+"/edit", v), http.StatusNotFound, "GOM posting an edit")
		c := coord.get(t, "/awareness?from=2026-01-01&province=CD-KN&type=School")
		want(t, c, http.StatusOK, "coordinator")
		mustContain(t, c, "coordinator", "1 activité", "80 personnes touchées")
		mustNotContain(t, c, "coordinator", "/edit")
		want(t, coord.get(t, "/awareness?from=hier"), http.StatusUnprocessableEntity, "bad date filter")

		// Edit and stale edit.
		v.Set("male_adults", "13")
		want(t, kin.postForm(t, "/awareness/"+id+"/edit", v), http.StatusOK, "edit")
		p = kin.postForm(t, "/awareness/"+id+"/edit", v)
		want(t, p, http.StatusConflict, "stale edit")
		mustContain(t, p, "stale edit", "rien n’a été enregistré")

		// Deleting: a supervisor of the organiser agency only.
		mustNotContain(t, kin.get(t, "/awareness/"+id+"/edit"), "caseworker's edit page", "/delete")
		want(t, kin.postForm(t, "/awareness/"+id+"/delete", url.Values{"version": {"2"}}), http.StatusForbidden, "caseworker deleting")
		gomSup := staff(t, e, "sup@gom.example", "GOM", domain.RoleSupervisor)
		want(t, gomSup.postForm(t, "/awareness/"+id+"/delete", url.Values{"version": {"2"}}), http.StatusNotFound, "another agency's supervisor deleting")
		kinSup := staff(t, e, "sup@kin.example", "KIN", domain.RoleSupervisor)
		mustContain(t, kinSup.get(t, "/awareness/"+id+"/edit"), "supervisor's edit page", `action="/awareness/`+id+`/delete"`)
		want(t, kinSup.postForm(t, "/awareness/"+id+"/delete", url.Values{"version": {"1"}}), http.StatusConflict, "stale delete")
		want(t, kinSup.postForm(t, "/awareness/"+id+"/delete", url.Values{"version": {"2"}}), http.StatusOK, "delete")
		if list, _, _ := db.Awarenesses(context.Background(), domain.AwarenessFilter{}); len(list) != 0 {
			t.Fatalf("%d activities after the delete", len(list))
		}
	})
}

func TestReferralToProvider(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		c := e.newCase(t, "KIN", "Esther")
		kin := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		gom := staff(t, e, "cw@gom.example", "GOM", domain.RoleCaseworker)
		base := "/cases/" + c.Number
		total, free := 12, 3
		shelter := &domain.Provider{Name: "Centre de transit de Goma", AgencyCode: "GOM", Type: "NGO", Provinces: []string{"CD-NK"},
			Services: []string{"Shelter"}, BedsTotal: &total, BedsFree: &free}
		clinic := &domain.Provider{Name: "Clinique <i>Bonne Santé</i>", Type: "Private", Provinces: []string{"CD-KN"}, Services: []string{"Medical"}}
		for _, p := range []*domain.Provider{shelter, clinic} {
			if err := db.CreateProvider(ctx, p); err != nil {
				t.Fatal(err)
			}
		}

		// Without consent: no form.
		p := kin.get(t, base+"/refer/provider")
		want(t, p, http.StatusConflict, "no consent")
		mustNotContain(t, p, "no consent", `name="provider"`)
		want(t, kin.postForm(t, base+"/refer/provider", url.Values{"provider": {shelter.ID}}), http.StatusConflict, "forged referral")
		want(t, kin.postForm(t, base+"/consent", url.Values{"con_Consent": {"yes"}}), http.StatusOK, "consent")

		// The case page links the page; the shelter shows its free beds.
		mustContain(t, kin.get(t, base), "case page", `href="`+base+`/refer/provider"`)
		p = kin.get(t, base+"/refer/provider?service=Shelter")
		want(t, p, http.StatusOK, "providers offering shelter")
		mustContain(t, p, "shelter list", "Centre de transit de Goma", "3 lits libres sur 12", `<label for="r-service">`)
		mustNotContain(t, p, "shelter list", "Bonne Santé")
		want(t, kin.get(t, base+"/refer/provider?service=<script>"), http.StatusOK, "hostile filter ignored")
		want(t, gom.get(t, base+"/refer/provider"), http.StatusNotFound, "another agency's case")

		// Refusals: no provider, an unknown one, no CSRF token.
		want(t, kin.postForm(t, base+"/refer/provider", url.Values{}), http.StatusUnprocessableEntity, "no provider chosen")
		want(t, kin.postForm(t, base+"/refer/provider", url.Values{"provider": {"00000000-0000-4000-8000-000000000000"}}), http.StatusUnprocessableEntity, "unknown provider")
		want(t, kin.post(t, base+"/refer/provider", url.Values{"provider": {shelter.ID}}), http.StatusForbidden, "no CSRF token")
		if n := len(caseNow(t, db, c.Number).Referrals); n != 0 {
			t.Fatalf("%d referrals after refusals", n)
		}

		// A referral to the shelter, a Vigie agency: GOM reaches the case.
		form := formValues(p.body)
		form.Set("provider", shelter.ID)
		form.Set("cas_ReasonForOutgoingReferral", "AdditionalServicesRequired")
		p = kin.postForm(t, base+"/refer/provider", form)
		want(t, p, http.StatusOK, "referral")
		if p.url != base {
			t.Fatalf("the referral leads to %s", p.url)
		}
		want(t, kin.postForm(t, base+"/refer/provider", form), http.StatusOK, "sent twice")
		refs := caseNow(t, db, c.Number).Referrals
		if len(refs) != 1 || refs[0].ReferredProvider != shelter.ID || refs[0].ReferredOrganisation != shelter.Name || refs[0].ReferredAgency != "GOM" {
			t.Fatalf("referrals %+v", refs)
		}
		mustContain(t, gom.get(t, "/referrals"), "GOM inbox", c.Number)

		// To the clinic, not in Vigie: named, no access for anyone new.
		p = kin.postForm(t, base+"/refer/provider", url.Values{"provider": {clinic.ID}})
		want(t, p, http.StatusOK, "referral to the clinic")
		refs = caseNow(t, db, c.Number).Referrals
		if len(refs) != 2 {
			t.Fatalf("%d referrals", len(refs))
		}
		for _, r := range refs {
			if r.ReferredProvider == clinic.ID && (r.ReferredAgency != "" || r.ReferredOrganisation != clinic.Name) {
				t.Fatalf("clinic referral %+v", r)
			}
		}

		// The case page says the referred shelter's places as they stand
		// today; the clinic, with no beds on record, says nothing.
		mustContain(t, kin.get(t, base), "case page", "Places du prestataire aujourd’hui", "3 lits libres sur 12")
		free = 0
		shelter.BedsFree = &free
		if err := db.UpdateProvider(ctx, shelter); err != nil {
			t.Fatal(err)
		}
		mustContain(t, kin.get(t, base), "case page, shelter now full", "0 lit libre sur 12")

		// A full shelter: the form comes back asking to confirm, nothing
		// sent, in French and in English; confirmed, it is sent.
		full := &domain.Provider{Name: "Foyer Plein", Type: "NGO", Provinces: []string{"CD-KN"}, Services: []string{"Shelter"}, BedsTotal: &total, BedsFree: &free}
		if err := db.CreateProvider(ctx, full); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ lang, text string }{{"fr", "Foyer Plein n’a plus de place libre (0 lit libre sur 12)"}, {"en", "Foyer Plein has no free place left (0 free beds of 12)"}} {
			kin.get(t, "/lang/"+c.lang+"?next=/")
			p = kin.postForm(t, base+"/refer/provider", url.Values{"provider": {full.ID}})
			want(t, p, http.StatusConflict, "full shelter, "+c.lang)
			mustContain(t, p, "full shelter, "+c.lang, c.text, `name="full_ok"`, `value="`+full.ID+`" required checked`)
		}
		kin.get(t, "/lang/fr?next=/")
		if n := len(caseNow(t, db, c.Number).Referrals); n != 2 {
			t.Fatalf("%d referrals after the unconfirmed referral to a full shelter, want 2", n)
		}
		p = kin.postForm(t, base+"/refer/provider", url.Values{"provider": {full.ID}, "full_ok": {"1"}})
		want(t, p, http.StatusOK, "full shelter, confirmed")
		if p.url != base {
			t.Fatalf("the confirmed referral leads to %s", p.url)
		}
		if n := len(caseNow(t, db, c.Number).Referrals); n != 3 {
			t.Fatalf("%d referrals after the confirmed referral to a full shelter, want 3", n)
		}
	})
}
