// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestEventsEdit: trafficking events are added, changed with their
// version (a stale change shows the conflict) and deleted with it.
func TestEventsEdit(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		ben := staff(t, e, "ben@kin.example", "KIN", domain.RoleSupervisor)
		base := "/cases/" + c.Number
		hostile := `<script>alert("x")</script>`

		// Add: invalid first (a code that is no event type, a missing type,
		// a 10,000-character description), then valid.
		form := ana.get(t, base+"/events/new")
		want(t, form, http.StatusOK, "new event form")
		mustContain(t, form, "new event form", `<label for="f-hte_Type">`, `<label for="f-hte_Description">`, `name="csrf_token"`)
		mustNotContain(t, form, "new event form", `name="version"`, "/delete")
		for _, tc := range []struct{ name, field, value, msg string }{
			{"an unknown type", "hte_Type", "Robot", "Choisissez une des valeurs proposées."},
			{"no type", "hte_Type", "", "Ce champ est obligatoire."},
			{"a long description", "hte_Description", strings.Repeat("a", 20001), "Le texte est trop long."},
			{"an unknown country", "hte_Country", "XX", "Choisissez un pays dans la liste"},
			{"a control character", "hte_City", "Goma\x00", "caractère de contrôle"},
		} {
			v := formValues(form.body)
			v.Set("hte_Type", "Transit")
			v.Set("hte_City", hostile)
			v.Set(tc.field, tc.value)
			p := ana.postForm(t, base+"/events", v)
			want(t, p, http.StatusUnprocessableEntity, tc.name)
			mustContain(t, p, tc.name, tc.msg, `<p class="error" id="e-`+tc.field+`">`)
			mustNotContain(t, p, tc.name, hostile)
		}
		v := formValues(form.body)
		v.Set("hte_Type", "Recruitment")
		v.Set("hte_Country", "rw")
		v.Set("hte_City", hostile)
		v.Set("hte_Date", "2026-03-01")
		want(t, ana.postForm(t, base+"/events", v), http.StatusOK, "event added")
		got := caseNow(t, db, c.Number)
		if len(got.Events) != 2 {
			t.Fatalf("%d events", len(got.Events))
		}
		var ev *domain.Event
		for _, x := range got.Events {
			if x.Type == "Recruitment" {
				ev = x
			}
		}
		if ev == nil || ev.Country != "RW" || ev.City != hostile || ev.Date.String() != "2026-03-01" {
			t.Fatalf("stored event %+v", ev)
		}
		p := ana.get(t, base)
		mustContain(t, p, "case page", "/events/"+ev.ID+"/edit", "Recrutement")
		mustNotContain(t, p, "case page", hostile)

		// Edit: Ben changes the city; Ana, stale, the description.
		edit := base + "/events/" + ev.ID + "/edit"
		a := formValues(ana.get(t, edit).body)
		bv := formValues(ben.get(t, edit).body)
		bv.Set("hte_City", "Gisenyi")
		want(t, ben.post(t, edit, bv), http.StatusOK, "Ben's event save")
		a.Set("hte_Description", "Recruté au marché")
		p = ana.post(t, edit, a)
		want(t, p, http.StatusConflict, "stale event edit")
		mustContain(t, p, "event conflict", "Quelqu’un d’autre a enregistré cet élément", "<li>Ville</li>",
			"Recruté au marché", "<strong>Gisenyi</strong>")
		mustNotContain(t, p, "event conflict", "<li>Description</li>")
		want(t, ana.post(t, edit, formValues(p.body)), http.StatusOK, "event re-applied")
		ev = findEvent(t, db, c.Number, ev.ID)
		if ev.City != "Gisenyi" || ev.Description != "Recruté au marché" || ev.Version != 3 {
			t.Fatalf("after re-applying: %+v", ev)
		}

		// Delete: a stale version is refused, the current one removes it.
		del := base + "/events/" + ev.ID + "/delete"
		p = ana.postForm(t, del, url.Values{"version": {"2"}})
		want(t, p, http.StatusConflict, "stale delete")
		mustContain(t, p, "stale delete", "Supprimer l’événement de traite", "Quelqu’un d’autre a modifié ce dossier entre-temps")
		want(t, ana.post(t, del, url.Values{"version": {"3"}}), http.StatusForbidden, "delete without CSRF token")
		if len(caseNow(t, db, c.Number).Events) != 2 {
			t.Fatal("a refused delete removed the event")
		}
		jus := staff(t, e, "jus@kin.example", "KIN", domain.RoleJustice)
		want(t, jus.postForm(t, del, url.Values{"version": {"3"}}), http.StatusForbidden, "justice deleting an event")
		want(t, jus.get(t, edit), http.StatusForbidden, "justice editing an event")
		want(t, ana.postForm(t, del, url.Values{"version": {"3"}}), http.StatusOK, "delete")
		if len(caseNow(t, db, c.Number).Events) != 1 {
			t.Fatal("the event is still there")
		}
		want(t, ana.get(t, edit), http.StatusNotFound, "a deleted event")
		if n := len(audited(t, db, c.Number, domain.AuditDelete)); n != 1 {
			t.Fatalf("%d delete entries", n)
		}
	})
}

func findEvent(t *testing.T, db *sqlstore.DB, number, id string) *domain.Event {
	t.Helper()
	for _, x := range caseNow(t, db, number).Events {
		if x.ID == id {
			return x
		}
	}
	t.Fatalf("no event %s", id)
	return nil
}

// TestPerpetratorsEdit: perpetrators linked to the case, with their roles
// as a checkbox group; justice may work them (the permission table says
// so), another agency may not reach them.
func TestPerpetratorsEdit(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		jus := staff(t, e, "jus@kin.example", "KIN", domain.RoleJustice)
		gom := staff(t, e, "cw@gom.example", "GOM", domain.RoleCaseworker)
		base := "/cases/" + c.Number
		hostile := `<script>alert("x")</script>`

		want(t, gom.get(t, base+"/perpetrators/new"), http.StatusNotFound, "another agency")
		form := ana.get(t, base+"/perpetrators/new")
		want(t, form, http.StatusOK, "new perpetrator form")
		mustContain(t, form, "form", `<fieldset id="f-per_RoleInProcess">`, `<label for="f-prs_FirstName">`)
		v := editValues(form.body)
		v.Set("prs_FirstName", hostile)
		v["per_RoleInProcess"] = []string{"Exploiter", "Robot"}
		p := ana.postForm(t, base+"/perpetrators", v)
		want(t, p, http.StatusUnprocessableEntity, "an unknown role")
		mustContain(t, p, "an unknown role", `<p class="error" id="e-per_RoleInProcess">Choisissez une des valeurs proposées.`,
			`value="Exploiter" checked>`, "&lt;script&gt;")
		mustNotContain(t, p, "an unknown role", hostile)
		v["per_RoleInProcess"] = []string{"RecruiterOrIntermediary", "Exploiter"}
		v.Set("prs_Gender", "Masculine")
		want(t, ana.postForm(t, base+"/perpetrators", v), http.StatusOK, "perpetrator added")
		got := caseNow(t, db, c.Number)
		if len(got.Perpetrators) != 1 || got.Perpetrators[0].Person.FirstName != hostile ||
			!slices.Equal(got.Perpetrators[0].RoleInProcess, []string{"RecruiterOrIntermediary", "Exploiter"}) {
			t.Fatalf("stored perpetrators %+v", got.Perpetrators)
		}
		per := got.Perpetrators[0]
		edit := base + "/perpetrators/" + per.ID + "/edit"
		mustNotContain(t, ana.get(t, base), "case page", hostile)

		// Justice edits it; the caseworker, stale, sees the conflict.
		a := editValues(ana.get(t, edit).body)
		jv := editValues(jus.get(t, edit).body)
		jv.Set("per_Organisation", "Réseau de Kolwezi")
		want(t, jus.post(t, edit, jv), http.StatusOK, "justice's save")
		a["per_RoleInProcess"] = []string{"Transporter"}
		p = ana.post(t, edit, a)
		want(t, p, http.StatusConflict, "stale perpetrator edit")
		mustContain(t, p, "perpetrator conflict", "<li>Organisation</li>", `value="Transporter" checked>`, "<strong>Réseau de Kolwezi</strong>")
		mustNotContain(t, p, "perpetrator conflict", `value="Exploiter" checked>`)
		want(t, ana.post(t, edit, editValues(p.body)), http.StatusOK, "re-applied")
		got = caseNow(t, db, c.Number)
		if x := got.Perpetrators[0]; x.Organisation != "Réseau de Kolwezi" || !slices.Equal(x.RoleInProcess, []string{"Transporter"}) {
			t.Fatalf("after re-applying: %+v", x)
		}
		want(t, gom.postForm(t, base+"/perpetrators/"+per.ID+"/delete", url.Values{"version": {"3"}}), http.StatusNotFound, "GOM deleting")
		want(t, ana.postForm(t, base+"/perpetrators/"+per.ID+"/delete", url.Values{"version": {"3"}}), http.StatusOK, "delete")
		if n := len(caseNow(t, db, c.Number).Perpetrators); n != 0 {
			t.Fatalf("%d perpetrators after the delete", n)
		}
	})
}
