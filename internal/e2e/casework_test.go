// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"vigie/internal/domain"
)

// newCase stores a plain open case of agency: no consent, no referral.
func (e *env) newCase(t *testing.T, agency, first, last string) string {
	t.Helper()
	ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@e2e", Agency: agency, Via: "cli"})
	c := &domain.Case{Agency: agency,
		Person: domain.Person{FirstName: first, SecondName: last, Gender: "Feminine", MailingCity: "Kinshasa"},
		Victim: domain.Victim{TraffickingStatus: "PossibleVictimOfTrafficking", TypeOfExploitation: []string{"ForcedLabour"}}}
	if err := e.db.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	return c.Number
}

// TestStaleEditShowsConflict: a supervisor and a caseworker edit the same
// case at once; the one who saves second sees the conflict, nothing
// merged, their typing kept and the other's value shown; saving again
// applies it on top.
func TestStaleEditShowsConflict(t *testing.T) {
	e := newEnv(t, envOptions{})
	number := e.newCase(t, "DEMOMAS", "Esther", "Mbuyi")
	edit := "/cases/" + number + "/edit"
	ana, ben := newTab(t, e), newTab(t, e)
	ana.signInAs(e.accounts["caseworker"])
	ben.signInAs(e.accounts["supervisor"])
	ana.open(edit)
	ana.axe("edit form")
	ben.open(edit)

	ben.fill("f-prs_MailingCity", "Lubumbashi")
	ben.submit(`main form[action$="/edit"] button`)
	ben.wantPath("the supervisor's save", "/cases/"+number)

	ana.fill("f-prs_FirstName", "Estelle")
	ana.submit(`main form[action$="/edit"] button`)
	ana.wantText("the stale edit", "Quelqu’un d’autre a enregistré ce dossier", "Lubumbashi")
	if v := ana.value("f-prs_FirstName"); v != "Estelle" {
		t.Fatalf("the conflict form lost the typing: first name %q", v)
	}
	ana.axe("edit conflict")
	ana.shoot("conflict-fr")
	c, err := e.db.Case(context.Background(), number)
	if err != nil || c.Person.FirstName != "Esther" || c.Person.MailingCity != "Lubumbashi" {
		t.Fatalf("the stale edit changed the case: %v %+v", err, c.Person)
	}

	ana.submit(`main form[action$="/edit"] button`)
	ana.wantPath("saving again", "/cases/"+number)
	ana.wantText("the case after both edits", "Estelle", "Lubumbashi")
}

// TestReferAndAccept: the caseworker records the victim's consent, refers
// the case to the shelter, whose caseworker finds it in the inbox and
// accepts it; the sender sees the answer.
func TestReferAndAccept(t *testing.T) {
	e := newEnv(t, envOptions{})
	number := e.newCase(t, "DEMOMAS", "Ruth", "Kabongo")
	base := "/cases/" + number
	cw := newTab(t, e)
	cw.signInAs(e.accounts["caseworker"])

	cw.open(base + "/refer")
	cw.axe("referral form without consent")
	cw.shoot("refer-no-consent-fr")
	cw.open(base + "/consent")
	cw.axe("consent form")
	cw.pick("con_Consent", "yes")
	cw.submit(`main form button`)
	cw.wantPath("the consent", base)

	cw.open(base + "/refer")
	cw.axe("referral form")
	cw.pick("vig_ReferredAgency", "DEMONGO")
	cw.pick("cas_ReasonForOutgoingReferral", "AdditionalServicesRequired")
	cw.fill("f-cas_OutgoingReferralDetails", hostile)
	cw.submit(`main form button`)
	cw.wantPath("the referral", base)

	sh := newTab(t, e)
	sh.signInAs(e.accounts["shelter"])
	sh.wantText("the shelter's home", number)
	sh.open("/referrals")
	sh.axe("referrals inbox")
	sh.shoot("referrals-fr")
	sh.submit(fmt.Sprintf(`main form[action^="%s/referrals/"][action$="/accept"] button`, base))
	sh.open("/referrals")
	sh.wantText("the inbox after accepting", number, "Accepté")
	sh.open(base)
	sh.wantText("the referred case, at the shelter", number, "Ruth")
	sh.axe("referred case page")

	cw.open(base)
	cw.wantText("the sender's feedback", "Référencement accepté", "shelter@demo.vigie.example")
	if strings.Contains(cw.html(), "<b>gras</b>") {
		t.Error("the referral details were rendered as markup")
	}
}

// TestCloseWithSupervisorApproval: the caseworker asks to close, the
// supervisor finds the request on the home page and approves it; the
// case is then closed.
func TestCloseWithSupervisorApproval(t *testing.T) {
	e := newEnv(t, envOptions{})
	number := e.newCase(t, "DEMOMAS", "Neema", "Ilunga")
	base := "/cases/" + number
	cw := newTab(t, e)
	cw.signInAs(e.accounts["caseworker"])
	cw.open(base + "/closure")
	cw.axe("closure request")
	// An empty reason is stopped by the browser (required); the server's
	// refusal is tested in internal/web.
	cw.fill("f-reason", "Réintégration familiale réussie")
	cw.submit(`main form button`)
	cw.wantPath("the closure request", base)
	cw.wantText("the pending request", "Clôture demandée")

	sv := newTab(t, e)
	sv.signInAs(e.accounts["supervisor"])
	sv.wantText("the supervisor's home", number)
	sv.submit(fmt.Sprintf(`main a[href^="%s/closure/"]`, base))
	sv.axe("closure decision")
	sv.shoot("closure-decision-fr")
	sv.pick("decision", domain.ClosureApproved)
	sv.fill("f-note", "Vu, d’accord.")
	sv.submit(`main form button`)
	sv.wantPath("the decision", base)
	sv.wantText("the closed case", "Clôturé")
	c, err := e.db.Case(context.Background(), number)
	if err != nil || c.Status != "Closed" {
		t.Fatalf("after approval: %v, status %q", err, c.Status)
	}
}
