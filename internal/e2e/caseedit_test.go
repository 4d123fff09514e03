// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"context"
	"slices"
	"testing"
)

// TestCaseEditPages: the caseworker completes a case from its page —
// the trafficking context by ticking boxes, a trafficking event, a
// perpetrator — each page checked with axe-core; then the same with
// JavaScript off.
func TestCaseEditPages(t *testing.T) {
	e := newEnv(t, envOptions{})
	number := e.newCase(t, "DEMOMAS", "Esther", "Mbuyi")
	base := "/cases/" + number
	b := newTab(t, e)
	b.signInAs(e.accounts["caseworker"])
	b.open(base)
	b.axe("case page with the edit block")

	b.follow(base + "/edit/victim")
	b.axe("trafficking context form")
	b.shoot("caseedit-victim-fr")
	b.pick("vic_MethodsOfControl", "DebtBondage")
	b.pick("vic_TypeOfExploitation", "SexualExploitation")
	b.submit(`main form[action$="/edit/victim"] button`)
	b.wantPath("the trafficking context saved", base)
	b.wantText("the case page", "Servitude pour dettes")

	for _, path := range []string{base + "/edit/identity", base + "/edit/contact", base + "/situation", base + "/events/new"} {
		b.open(path)
		b.axe(path)
	}
	b.fill("f-hte_City", "Kolwezi")
	b.pick("hte_Type", "Recruitment")
	b.submit(`main form[action$="/events"] button`)
	b.wantPath("the event added", base)

	b.noScript()
	b.open(base + "/perpetrators/new")
	b.fill("f-prs_FirstName", "Jean", "f-per_Organisation", "Réseau de Kolwezi")
	b.pick("per_RoleInProcess", "Exploiter")
	b.submit(`main form[action$="/perpetrators"] button`)
	b.wantPath("the perpetrator added without JavaScript", base)
	b.wantText("the case page", "Réseau de Kolwezi")

	c, err := e.db.Case(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(c.Victim.MethodsOfControl, "DebtBondage") || !slices.Contains(c.Victim.TypeOfExploitation, "SexualExploitation") ||
		len(c.Events) != 1 || c.Events[0].City != "Kolwezi" || len(c.Perpetrators) != 1 || c.Perpetrators[0].RoleInProcess[0] != "Exploiter" {
		t.Fatalf("the case after the edits: %+v %+v %+v", c.Victim, c.Events, c.Perpetrators)
	}
}
