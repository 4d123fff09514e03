// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// The province of identification is chosen on the registration's
// screening step (refused when not one of the 26) and on the case edit
// form; the case page shows it by name.
func TestProvinceOnPages(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		b := regSignIn(t, e, "cw@kin.example", "KIN", domain.RoleCaseworker)
		id := b.newDraft(t)
		base := "/registration/" + id + "/"
		f := regScreeningForm("PossibleVictimOfTrafficking")
		f.Set("vig_Province", "CD-XX")
		p := b.submit(t, base+"screening", f)
		want(t, p, http.StatusUnprocessableEntity, "an unknown province")
		regLabelled(t, p, "screening with a province")
		regMustContain(t, p, "an unknown province", `aria-describedby="f-vig_Province-help f-vig_Province-err"`, "Province d’identification")
		f.Set("vig_Province", "CD-NK")
		if p = b.submit(t, base+"screening", f); p.url != base+"victim" {
			t.Fatalf("the screening with CD-NK led to %s", p.url)
		}
		regMustContain(t, b.get(t, base+"review"), "review", "Nord-Kivu")

		c := e.newCase(t, "KIN", "Esther")
		cw := staff(t, e, "ana@kin.example", "KIN", domain.RoleCaseworker)
		edit := "/cases/" + c.Number + "/edit"
		v := formValues(cw.get(t, edit).body)
		if _, ok := v["vig_Province"]; !ok {
			t.Fatal("the edit form has no province")
		}
		v.Set("vig_Province", "CD-SK")
		want(t, cw.post(t, edit, v), http.StatusOK, "saving the province")
		got, err := db.Case(t.Context(), c.Number)
		if err != nil || got.Province != "CD-SK" {
			t.Fatalf("province after the edit: %q (%v)", got.Province, err)
		}
		regMustContain(t, cw.get(t, "/cases/"+c.Number), "case page", "Province d’identification", "Sud-Kivu")

		// The case list filters by province; a code that is not one is
		// named next to its filter.
		e.newCase(t, "KIN", "Nadine")
		list := cw.get(t, "/cases?province=CD-SK")
		want(t, list, http.StatusOK, "the list of Sud-Kivu")
		regMustContain(t, list, "the list of Sud-Kivu", c.Number, `<option value="CD-SK" selected>`)
		if strings.Contains(list.body, "Nadine") {
			t.Fatal("a case without a province in the Sud-Kivu list")
		}
		bad := cw.get(t, "/cases?province=Atlantide")
		want(t, bad, http.StatusBadRequest, "an unknown province")
		regMustContain(t, bad, "an unknown province", `href="#province"`)
	})
}
