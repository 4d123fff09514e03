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

var suspectNumberRe = regexp.MustCompile(`[A-Z]{3}-S-\d{4}-\d{6}`)

func suspectForm(first, last string) url.Values {
	return url.Values{"first_name": {first}, "last_name": {last}, "aliases": {"Le Colonel\nPapa J"}, "birthdate": {"1979-04-12"},
		"gender": {"Masculine"}, "citizenship": {"cd"}, "doc_type_0": {"NationalID"}, "doc_number_0": {"CD-77-123"}, "doc_country_0": {"CD"},
		"phones": {"+243990001122"}, "description": {"Grand, cicatrice à la joue gauche"}}
}

func linkForm(caseNumber string) url.Values {
	return url.Values{"case_number": {caseNumber}, "roles": {"RecruiterOrIntermediary", "Transporter"}, "relation": {"FriendAcquaintance"}, "organisation": {"Réseau du fleuve"}}
}

// TestSuspectPages: a caseworker registers a suspect from a victim's
// case, links him to a second victim's case found by a spelling variant
// of his name; duplicates, hostile input, stale versions and every role
// and agency that must not see him.
func TestSuspectPages(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c1, c2 := e.newCase(t, "KIN", "Esther"), e.newCase(t, "KIN", "Grace")
		cw := staff(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		gom := staff(t, e, "cw@gom.example", "GOM", domain.RoleCaseworker, domain.RoleSupervisor, domain.RoleJustice)
		coord, _ := e.signedIn(t, "coord@kin.example", "KIN", domain.RoleCoordinator)
		admin := staff(t, e, "admin@kin.example", "KIN", domain.RoleAdmin)

		// Refusals first.
		want(t, admin.get(t, "/suspects"), http.StatusForbidden, "admin's registry")
		mustNotContain(t, admin.get(t, "/"), "admin's menu", `href="/suspects"`)
		mustContain(t, cw.get(t, "/"), "caseworker's menu", `href="/suspects"`)
		mustContain(t, coord.get(t, "/"), "coordinator's menu", `href="/suspects"`)
		want(t, coord.get(t, "/suspects/new"), http.StatusForbidden, "coordinator's form")
		want(t, cw.post(t, "/suspects", suspectForm("Joseph", "Tshibanda")), http.StatusForbidden, "no CSRF token")
		for what, mut := range map[string]func(url.Values){
			"control char":    func(v url.Values) { v.Set("last_name", "Tshi\x1b[31mbanda") },
			"10,000 chars":    func(v url.Values) { v.Set("first_name", strings.Repeat("a", 10000)) },
			"nothing to know": func(v url.Values) { unnamed(v) },
			"bad date":        func(v url.Values) { v.Set("birthdate", "hier") },
			"bad document":    func(v url.Values) { v.Set("doc_type_0", "Badge") },
			"bad country":     func(v url.Values) { v.Set("citizenship", "ZZZ") },
			"bad phone":       func(v url.Values) { v.Set("phones", "appelez-moi") },
		} {
			v := suspectForm("Joseph", "Tshibanda")
			mut(v)
			p := cw.postForm(t, "/suspects", v)
			want(t, p, http.StatusUnprocessableEntity, what)
			mustContain(t, p, what, "Certaines informations sont incorrectes", `<p class="error" id="e-`)
		}
		if list, _, _ := db.FindSuspects(context.Background(), domain.SuspectFilter{}); len(list) != 0 {
			t.Fatalf("refused forms stored %d suspects", len(list))
		}

		// From the first victim's case: register, then link with roles.
		p := cw.get(t, "/cases/"+c1.Number)
		mustContain(t, p, "case page", `id="suspects"`, "Aucun suspect n’est lié à ce dossier.", "/suspects/new?case="+c1.Number)
		p = cw.get(t, "/suspects/new?case="+c1.Number)
		mustContain(t, p, "form from the case", `name="case" value="`+c1.Number+`"`)
		v := suspectForm("Joseph", "Tshibanda")
		v.Set("case", c1.Number)
		p = cw.postForm(t, "/suspects", v)
		want(t, p, http.StatusOK, "registered")
		number := suspectNumberRe.FindString(p.url)
		if number == "" || !strings.HasSuffix(p.url, "/link") {
			t.Fatalf("after registering: %s", p.url)
		}
		mustContain(t, p, "link form", `name="case_number" maxlength="40" value="`+c1.Number+`"`, "Joseph Tshibanda")
		p = cw.postForm(t, "/suspects/"+number+"/links", linkForm(c1.Number))
		want(t, p, http.StatusOK, "linked")
		mustContain(t, p, "first case page", number, "Joseph Tshibanda", "Recruteur ou intermédiaire", "Réseau du fleuve")
		want(t, cw.postForm(t, "/suspects/"+number+"/links", linkForm(c1.Number)), http.StatusConflict, "linked twice")

		// From the second case: found by a spelling variant, linked.
		p = cw.postForm(t, "/cases/"+c2.Number+"/suspects/find", url.Values{"name": {"Josef Tchibanda"}})
		want(t, p, http.StatusOK, "find")
		mustContain(t, p, "find", number, "/suspects/"+number+"/link?case="+c2.Number)
		want(t, cw.postForm(t, "/cases/"+c2.Number+"/suspects/find", url.Values{"name": {"J"}}), http.StatusUnprocessableEntity, "one letter")
		l := linkForm(c2.Number)
		l.Set("roles", "Exploiter")
		mustContain(t, cw.postForm(t, "/suspects/"+number+"/links", l), "second case page", number, "Exploiteur")

		// Registering him again is stopped by the duplicate check; the
		// visitor may still say it is someone else.
		v = suspectForm("Josef", "Tshibanda")
		v.Set("case", c2.Number)
		p = cw.postForm(t, "/suspects", v)
		want(t, p, http.StatusOK, "duplicate")
		mustContain(t, p, "duplicate", "peut-être déjà enregistré", number, "/suspects/"+number+"/link?case="+c2.Number, `name="confirm"`)
		if list, _, _ := db.FindSuspects(context.Background(), domain.SuspectFilter{}); len(list) != 1 {
			t.Fatalf("the duplicate was stored (%d suspects)", len(list))
		}
		v = suspectForm("Josef", "Tshibanda")
		v.Set("confirm", "1")
		p = cw.postForm(t, "/suspects", v)
		other := suspectNumberRe.FindString(p.url)
		if other == "" || other == number {
			t.Fatalf("confirmed registration: %s", p.url)
		}

		// His page: identity, both cases; the registry lists both men.
		p = cw.get(t, "/suspects/"+number)
		want(t, p, http.StatusOK, "suspect page")
		mustContain(t, p, "suspect page", "Joseph Tshibanda", "Le Colonel, Papa J", "CD-77-123", c1.Number, c2.Number, "Transporteur")
		mustNotContain(t, p, "suspect page", "/delete\"><input type=\"hidden\" name=\"csrf_token\" value=\"\"><input type=\"hidden\" name=\"version\" value=\"1\"><button class=\"secondary\">Supprimer")
		p = cw.get(t, "/suspects")
		mustContain(t, p, "registry", "2 suspects", number, other)
		mustNotContain(t, p, "registry", "CD-77-123")
		mustContain(t, cw.get(t, "/suspects?lang=en"), "English registry", "Suspect registry", "2 suspects")
		cw.get(t, "/suspects?lang=fr")
		want(t, cw.get(t, "/suspects?gender=Robot"), http.StatusUnprocessableEntity, "unknown filter")

		// Hostile names are escaped.
		v = suspectForm(`<script>alert(1)</script>`, "Mbala")
		v.Del("aliases")
		p = cw.postForm(t, "/suspects", v)
		mustContain(t, p, "escaped", "&lt;script&gt;alert(1)&lt;/script&gt; Mbala")
		mustNotContain(t, p, "escaped", "<script>alert(1)</script>")

		// Another agency, a coordinator, an admin: not found, counts, nothing.
		for who, b := range map[string]*browser{"GOM": gom, "coordinator": coord, "admin": admin} {
			p := b.get(t, "/suspects/"+number)
			want(t, p, http.StatusNotFound, who+" reading him")
			mustNotContain(t, p, who, "Tshibanda")
		}
		p = coord.get(t, "/suspects")
		want(t, p, http.StatusOK, "coordinator's counts")
		mustContain(t, p, "coordinator's counts", "3 suspects", "Masculin")
		mustNotContain(t, p, "coordinator's counts", "Tshibanda", number)
		p = gom.get(t, "/suspects")
		mustContain(t, p, "GOM registry", "0 suspect")
		// GOM's own suspect cannot be linked to a KIN case it does not reach:
		// answered as a case that does not exist.
		gp := gom.postForm(t, "/suspects", suspectForm("Pierre", "Ilunga"))
		gnum := suspectNumberRe.FindString(gp.url)
		p = gom.postForm(t, "/suspects/"+gnum+"/links", linkForm(c1.Number))
		want(t, p, http.StatusNotFound, "GOM linking to a KIN case")
		mustContain(t, p, "GOM linking", "Aucun dossier de ce numéro n’est à votre portée.")
		missing := gom.postForm(t, "/suspects/"+gnum+"/links", linkForm("KIN-2026-999999"))
		if strings.ReplaceAll(missing.body, "KIN-2026-999999", "X") != strings.ReplaceAll(p.body, c1.Number, "X") {
			t.Fatal("a case out of reach answers otherwise than a missing one")
		}
		want(t, gom.postForm(t, "/cases/"+c1.Number+"/suspects/find", url.Values{"name": {"Tshibanda"}}), http.StatusNotFound, "GOM searching from a KIN case")
		mustNotContain(t, gom.get(t, "/cases/"+c1.Number), "GOM on the KIN case", "Tshibanda")

		// Edit at the version shown; a stale edit saves nothing.
		form := cw.get(t, "/suspects/"+number+"/edit")
		mustContain(t, form, "edit form", `name="version" value="1"`, "Le Colonel\nPapa J")
		v = suspectForm("Joseph", "Tshibanda")
		v.Set("version", "1")
		v.Set("notes", "Vu au port de Matadi")
		mustContain(t, cw.postForm(t, "/suspects/"+number+"/edit", v), "edited", "Vu au port de Matadi", "Enregistré.")
		v.Set("notes", "Version périmée")
		p = cw.postForm(t, "/suspects/"+number+"/edit", v)
		want(t, p, http.StatusConflict, "stale edit")
		mustContain(t, p, "stale edit", "Quelqu’un d’autre a modifié ce suspect", "Version périmée")

		// A caseworker does not delete; a supervisor deletes an unlinked
		// suspect, not a linked one.
		want(t, cw.postForm(t, "/suspects/"+other+"/delete", url.Values{"version": {"1"}}), http.StatusForbidden, "caseworker deleting")
		sup := staff(t, e, "sup@kin.example", "KIN", domain.RoleSupervisor)
		want(t, sup.postForm(t, "/suspects/"+number+"/delete", url.Values{"version": {"2"}}), http.StatusConflict, "deleting a linked suspect")
		mustContain(t, sup.get(t, "/suspects/"+other), "unlinked suspect's page", `action="/suspects/`+other+`/delete"`)
		want(t, sup.postForm(t, "/suspects/"+other+"/delete", url.Values{"version": {"1"}}), http.StatusOK, "delete")
		want(t, sup.get(t, "/suspects/"+other), http.StatusNotFound, "deleted")

		// Unlink at the version shown.
		s, err := db.Suspect(context.Background(), number)
		if err != nil || len(s.Links) != 2 {
			t.Fatalf("%v %v", s, err)
		}

		// A link's roles change at the version shown.
		edit := "/suspects/" + number + "/links/" + s.Links[0].ID + "/edit"
		p = cw.get(t, edit)
		mustContain(t, p, "link edit form", `name="version" value="1"`, `value="Transporter" checked`, c1.Number)
		want(t, gom.get(t, edit), http.StatusNotFound, "GOM editing a KIN link")
		lv := url.Values{"version": {"1"}, "roles": {"Exploiter"}, "relation": {"FamilyIntimatePartner"}, "organisation": {"Réseau du lac"}}
		mustContain(t, cw.postForm(t, edit, lv), "edited link", "Exploiteur", "Réseau du lac", "Enregistré.")
		p = cw.postForm(t, edit, lv)
		want(t, p, http.StatusConflict, "stale link edit")
		mustContain(t, p, "stale link edit", "Quelqu’un d’autre a modifié ce suspect", "Réseau du lac")
		lv.Set("version", "2")
		lv.Set("relation", "Boss")
		want(t, cw.postForm(t, edit, lv), http.StatusUnprocessableEntity, "unknown relation")
		want(t, cw.postForm(t, "/suspects/"+number+"/links/"+s.Links[1].ID+"/delete", url.Values{"version": {"1"}}), http.StatusOK, "unlink")
		mustContain(t, cw.get(t, "/cases/"+c2.Number), "second case after unlinking", "Aucun suspect n’est lié à ce dossier.")

		// Every page that named him was audited, and the log never names him.
		es, err := db.AuditEntries(context.Background(), domain.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		reads := 0
		for _, x := range es {
			if x.Resource == string(domain.ResSuspect) && x.Action == domain.AuditRead {
				reads++
			}
			if strings.Contains(x.CaseNumber+x.RecordID+x.Actor, "Tshibanda") {
				t.Fatalf("a name in the log: %+v", x)
			}
		}
		if reads < 6 {
			t.Fatalf("only %d audited reads of suspects", reads)
		}
	})
}

func unnamed(v url.Values) {
	for _, k := range []string{"first_name", "last_name", "aliases", "description"} {
		v.Del(k)
	}
}
