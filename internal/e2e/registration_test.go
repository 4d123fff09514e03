// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vigie/internal/domain"
)

var caseURL = regexp.MustCompile(`^/cases/(DEMO[A-Z]+-\d{4}-\d{6})$`)

// hostile is typed into a free-text field: it must come back as text.
const hostile = `<script>document.title="pwned"</script><b>gras</b>`

// registration is what a caseworker types into the wizard.
type registration struct {
	first, last string
	// dupe is a case the name should be warned about ("" for none).
	dupe string
	// shots names the screenshots ("" for none).
	shots string
}

// register screens and registers a victim through the wizard, checking
// every step with axe, and returns the new case's number.
func (b *tab) register(r registration) string {
	b.t.Helper()
	b.open("/registration")
	b.axe("registration drafts")
	b.submit(`main a.button[href="/registration/new"]`)
	b.axe("screening")
	if r.shots != "" {
		b.shoot("screening-" + r.shots)
	}

	// Nothing ticked: refused, each problem named.
	b.next()
	b.wantText("a screening without a decision", "obligatoire")
	b.axe("screening with errors")

	// Act, means, purpose, then the decision and who took it.
	b.pick("vig_MajorityStatus", "Adult")
	b.pick("vic_MethodOfRecruitment", "AtWork")
	b.pick("vic_MethodsOfControl", "DebtBondage")
	b.pick("vic_MethodsOfControl", "WithholdsDocuments")
	b.pick("vic_TypeOfExploitation", "ForcedLabour")
	b.pick("vic_TraffickingStatus", "PossibleVictimOfTrafficking")
	b.pick("vic_TraffickingStatusDecisionMakingOrg", "NGO")
	b.setField("f-vig_TraffickingStatusDate", b.e.clock.Now().Format("2006-01-02"))
	b.next()
	b.wantPath("the screening", "/victim")
	b.axe("victim step")

	b.fill("f-prs_FirstName", r.first, "f-prs_SecondName", r.last)
	if r.dupe != "" && !b.scriptOff {
		// As typed, the small script asks the server and names the case.
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#dupes-live a"), chromedp.NodeVisible))
		cancel()
		if err != nil {
			b.t.Fatalf("no live duplicate warning for %s %s: %v", r.first, r.last, err)
		}
		b.wantText("the live duplicate warning", r.dupe)
	}
	if r.dupe != "" && b.scriptOff {
		// Proof that JavaScript is really off: the script, which would
		// answer within a second, leaves the live box empty.
		time.Sleep(1500 * time.Millisecond)
		links, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSSAll("#dupes-live a"), chromedp.AtLeast(0)))
		if err != nil || len(links) != 0 {
			b.t.Fatalf("with JavaScript off the live warning filled (%d links, %v)", len(links), err)
		}
	}
	b.pick("prs_Gender", "Feminine")
	if r.shots != "" {
		b.shoot("victim-" + r.shots)
	}
	b.next()
	b.wantPath("the victim step", "/situation")
	if r.dupe != "" {
		b.wantText("the duplicate warning", "Correspondance possible", r.dupe)
	}
	b.axe("situation step")

	b.fill("f-vic_AgeWhenTrafficked", "17", "f-hte_Country", "CD", "f-hte_City", "Kolwezi", "f-hte_Description", hostile)
	b.next()
	b.wantPath("the situation step", "/perpetrators")
	b.axe("perpetrators step")
	b.fill("f-per1-prs_FirstName", "Kabeya")
	b.pick("per1.per_RoleInProcess", "RecruiterOrIntermediary")
	b.next()
	b.wantPath("the perpetrators step", "/consent")
	b.axe("consent step")
	b.pick("con_Consent", "yes")
	b.setField("f-vig_ConsentDate", b.e.clock.Now().Format("2006-01-02"))
	b.next()
	b.wantPath("the consent step", "/review")
	b.wantText("the review", r.first, "Kabeya", "Kolwezi", "Servitude pour dettes")
	b.axe("review step")
	if r.shots != "" {
		b.shoot("review-" + r.shots)
	}
	b.submit(`main form[action$="/register"] button`)
	m := caseURL.FindStringSubmatch(b.path())
	if m == nil {
		b.t.Fatalf("registering led to %s:\n%s", b.path(), b.text("main"))
	}
	b.wantText("the new case", r.first, "Kabeya", hostile)
	if title, _ := chromedp.Run(b.ctx, chromedp.Title()); strings.Contains(title, "pwned") {
		b.t.Fatal("the hostile description ran as a script")
	}
	return m[1]
}

// wantPath fails unless the current path ends with suffix.
func (b *tab) wantPath(what, suffix string) {
	b.t.Helper()
	if p := b.path(); !strings.HasSuffix(p, suffix) {
		b.t.Fatalf("%s led to %s, want …%s:\n%s", what, p, suffix, b.text("main"))
	}
}

// TestRegisterVictim: screen and register a victim whose name matches a
// case of the agency; the warning shows as the name is typed (with the
// small script) and on the next step (from the server).
func TestRegisterVictim(t *testing.T) {
	e := newEnv(t, envOptions{})
	known, err := e.db.Case(context.Background(), e.firstCase(t, "DEMOMAS"))
	if err != nil {
		t.Fatal(err)
	}
	b := newTab(t, e)
	b.signInAs(e.accounts["caseworker"])

	number := b.register(registration{first: known.Person.FirstName, last: known.Person.SecondName, dupe: known.Number, shots: "fr"})
	c, err := e.db.Case(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	if c.Victim.TraffickingStatus != "PossibleVictimOfTrafficking" || len(c.Perpetrators) != 1 || len(c.Consents) != 1 || c.Agency != "DEMOMAS" {
		t.Fatalf("registered case: %+v", c)
	}
	b.axe("the registered case")
	b.shoot("registered-fr")
}

// TestRegisterWithoutJavaScript: the same wizard with JavaScript off; the
// duplicate warning comes from the server on the next step.
func TestRegisterWithoutJavaScript(t *testing.T) {
	e := newEnv(t, envOptions{})
	known, err := e.db.Case(context.Background(), e.firstCase(t, "DEMONGO"))
	if err != nil {
		t.Fatal(err)
	}
	b := newTab(t, e)
	b.noScript()
	b.signInAs(e.accounts["shelter"])
	number := b.register(registration{first: known.Person.FirstName, last: known.Person.SecondName, dupe: known.Number})
	page, err := e.db.FindCases(context.Background(), domain.CaseFilter{Agency: "DEMONGO", Limit: domain.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range page.Items {
		found = found || s.Number == number
	}
	if !found {
		t.Fatalf("%s is not among DEMONGO's cases", number)
	}
}
