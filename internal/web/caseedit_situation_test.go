// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestSituationLink: a case is linked to a new trafficking situation, to
// an existing one of its agency, never to another agency's; a stale
// change shows the conflict.
func TestSituationLink(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		c := e.newCase(t, "KIN", "Esther")
		c2 := e.newCase(t, "KIN", "Ruth")
		gomCase := e.newCase(t, "GOM", "Amani")
		foreign := &domain.Situation{Agency: "GOM", Title: "Réseau de Goma"}
		if err := db.CreateSituation(context.Background(), foreign); err != nil {
			t.Fatal(err)
		}
		ana := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		ben := staff(t, e, "ben@kin.example", "KIN", domain.RoleSupervisor)
		jus := staff(t, e, "jus@kin.example", "KIN", domain.RoleJustice)
		path := "/cases/" + c.Number + "/situation"
		hostile := `<script>alert("x")</script>`

		want(t, ana.get(t, "/cases/"+gomCase.Number+"/situation"), http.StatusNotFound, "another agency's case")
		want(t, jus.get(t, path), http.StatusForbidden, "justice")
		mustNotContain(t, jus.get(t, "/cases/"+c.Number), "justice's case page", path)
		form := ana.get(t, path)
		want(t, form, http.StatusOK, "situation form")
		mustContain(t, form, "situation form", `<label for="f-situation_id">`, `<label for="f-new_situation">`)
		mustNotContain(t, form, "situation form", "Réseau de Goma")
		v := formValues(form.body)
		v.Set("new_situation", "Mine de Kolwezi "+hostile)
		want(t, ana.post(t, path, without(v, "csrf_token")), http.StatusForbidden, "no CSRF token")
		for _, tc := range []struct{ name, field, value, msg string }{
			{"another agency's situation", "situation_id", foreign.ID, "Cette situation de traite n’existe pas dans votre organisme."},
			{"a made-up situation", "situation_id", "not-a-situation", "Cette situation de traite n’existe pas dans votre organisme."},
			{"a 10,000-character title", "new_situation", strings.Repeat("a", 10000), "Le texte est trop long."},
			{"a control character", "new_situation", "Mine\x1b", "caractère de contrôle"},
		} {
			v := formValues(form.body)
			v.Set(tc.field, tc.value)
			p := ana.post(t, path, v)
			want(t, p, http.StatusUnprocessableEntity, tc.name)
			mustContain(t, p, tc.name, tc.msg, `<p class="error" id="e-`+tc.field+`">`)
		}
		if got := caseNow(t, db, c.Number); got.SituationID != "" {
			t.Fatalf("a refused link was saved: %s", got.SituationID)
		}

		want(t, ana.post(t, path, v), http.StatusOK, "new situation")
		sid := caseNow(t, db, c.Number).SituationID
		if sid == "" {
			t.Fatal("no situation linked")
		}
		p := ana.get(t, "/cases/"+c.Number)
		mustContain(t, p, "case page", "Mine de Kolwezi &lt;script&gt;")
		mustNotContain(t, p, "case page", hostile)

		// The second case joins the same situation.
		v2 := formValues(ana.get(t, "/cases/"+c2.Number+"/situation").body)
		v2.Set("situation_id", sid)
		want(t, ana.post(t, "/cases/"+c2.Number+"/situation", v2), http.StatusOK, "existing situation")
		if got := caseNow(t, db, c2.Number).SituationID; got != sid {
			t.Fatalf("second case's situation %q, want %q", got, sid)
		}

		// Stale: Ben unlinks the case; Ana, on the old version, links it
		// to a new situation: refused, her title kept, Ben's change shown.
		a := formValues(ana.get(t, "/cases/"+c2.Number+"/situation").body)
		bv := formValues(ben.get(t, "/cases/"+c2.Number+"/situation").body)
		bv.Set("situation_id", "")
		want(t, ben.post(t, "/cases/"+c2.Number+"/situation", bv), http.StatusOK, "Ben unlinks")
		a.Set("new_situation", "Autre réseau")
		p = ana.post(t, "/cases/"+c2.Number+"/situation", a)
		want(t, p, http.StatusConflict, "stale link")
		mustContain(t, p, "stale link", "<li>Situation de traite</li>", `value="Autre réseau"`, "<strong>Non renseigné</strong>")
		if got := caseNow(t, db, c2.Number).SituationID; got != "" {
			t.Fatalf("a stale link was saved: %q", got)
		}
	})
}
