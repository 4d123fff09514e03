// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"vigie/internal/domain"
)

// TestProceedingFromComplaintToVerdict: the check in Chromium —
// one trafficking situation, three victims (cases of an NGO referred to
// the police), two suspects. The national committee loads the offence;
// the police's justice officer opens the proceeding from the complaint
// and records the investigation, the arrests, the victims as witnesses
// with their protection, the charges with their elements, the court
// seized, a hearing, a verdict per charge (one conviction, one
// acquittal) and the sentence, and reads the timeline; the NGO's
// caseworker sees the summary of a victim's case only. Every page
// passes axe.
func TestProceedingFromComplaintToVerdict(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@e2e", Agency: "DEMOMAS", Via: "cli"})
	day := func(back int) string { return domain.DateOf(e.clock.Now().UTC().AddDate(0, 0, -back)).String() }
	sit := &domain.Situation{Agency: "DEMOMAS", Title: "Carrière de Kolwezi"}
	if err := e.db.CreateSituation(ctx, sit); err != nil {
		t.Fatal(err)
	}
	var cases []string
	for _, name := range [][2]string{{"Grâce", "Kalonji"}, {"Espoir", "Mbuyi"}, {"Joie", "Ilunga"}} {
		number := e.newCase(t, "DEMOMAS", name[0], name[1])
		c, err := e.db.Case(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		c.SituationID = sit.ID
		if err := e.db.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct {
			kind domain.PartKind
			part domain.Part
		}{
			{domain.PartConsents, &domain.Consent{Consent: true, Date: domain.DateOf(e.clock.Now())}},
			{domain.PartReferrals, &domain.Referral{Direction: domain.ReferralOutgoing, ReferredOrganisation: "Police", ReferredAgency: "DEMOPOL", ReasonForOutgoingReferral: "Other"}},
		} {
			if err := e.db.AddPart(ctx, c.ID, p.kind, p.part); err != nil {
				t.Fatal(err)
			}
		}
		cases = append(cases, number)
	}
	var suspects []*domain.Suspect
	for i, g := range []string{"Masculine", "Feminine"} {
		s := &domain.Suspect{Agency: "DEMOPOL", Gender: g, AgeGroup: "Adult", Citizenship: []string{"CD", "AO"}[i],
			Identity: &domain.SuspectIdentity{FirstName: "Prévenu", LastName: []string{"Kasongo", "Pereira"}[i]}}
		if err := e.db.CreateSuspect(ctx, s); err != nil {
			t.Fatal(err)
		}
		suspects = append(suspects, s)
	}

	coord := newTab(t, e)
	coord.signInAs(e.accounts["coordinator"])
	coord.open("/law")
	coord.axe("offences")
	coord.fill("l-code", "TIP-1", "l-law", "Loi de test n° 1", "l-article", "1", "l-title_fr", "Traite des personnes")
	coord.submit(`main form[action="/law"] button`)
	coord.wantText("the offence", "TIP-1", "Traite des personnes")

	jus := newTab(t, e)
	jus.signInAs(e.accounts["justice"])
	jus.open("/justice/new")
	jus.axe("new proceeding")
	jus.setField("h-complaint-date", day(60))
	jus.pick("complaint.source", "NGO")
	jus.fill("h-complaint-received_by", "Police des mines", "h-investigation-unit", "Police des mines", "h-situation_id", sit.ID)
	jus.setField("h-investigation-opened", day(58))
	jus.submit(`main form[action="/justice"] button`)
	jus.wantText("the proceeding", "Plainte reçue", "Enquête ouverte", "Une ONG")
	base := strings.Split(jus.path(), "?")[0]
	number := strings.TrimPrefix(base, "/justice/")
	stepForm := func(kind string) string { return `main form[action$="/steps/` + kind + `"] button` }

	for i, s := range suspects {
		jus.fill("defendants-suspect_id", s.Number, "defendants-arrest_place", "Kolwezi")
		jus.setField("defendants-arrested_on", day(57-i))
		jus.submit(stepForm("defendants"))
		jus.wantText("the defendant", s.Number)
	}
	for i, c := range cases {
		jus.fill("victims-case_number", c)
		jus.pick("victims-witness", "1")
		jus.pick("victims-protection", []string{"ClosedHearing", "IdentityConcealment", "VideoTestimony"}[i])
		jus.submit(stepForm("victims"))
		jus.wantText("the victim", c)
	}
	for i, s := range suspects {
		jus.pick("charges-defendant_id", jus.optionValue(s.Number))
		jus.pick("charges-article_id", jus.optionValue("TIP-1"))
		jus.setField("charges-charged_on", day(50-i))
		jus.pick("charges-acts", "AtWork")
		jus.pick("charges-means", "DebtBondage")
		jus.pick("charges-purposes", "ForcedLabour")
		jus.submit(stepForm("charges"))
	}
	jus.wantText("the charges", "Sur le lieu de travail", "Servitude pour dettes")
	jus.fill("h-prosecution-court", "Tribunal de grande instance de Kolwezi", "h-prosecution-docket", "RP 1234")
	jus.setField("h-prosecution-filed", day(40))
	jus.submit("#save-header")
	jus.wantText("the court seized", "Saisine du tribunal", "RP 1234")
	jus.setField("hearings-date", day(20))
	jus.fill("hearings-court", "TGI Kolwezi", "hearings-outcome", "Plaidoiries")
	jus.submit(stepForm("hearings"))
	jus.wantText("the hearing", "Plaidoiries")

	charges := regexp.MustCompile(`id="verdict-([0-9a-f-]{36})"`).FindAllStringSubmatch(jus.html(), -1)
	if len(charges) != 2 {
		t.Fatalf("%d verdict forms", len(charges))
	}
	for i, m := range charges {
		jus.setField("verdict-"+m[1], []string{"Convicted", "Acquitted"}[i])
		jus.setField("verdict_on-"+m[1], day(10))
		jus.submit(`main form[action$="/charges/` + m[1] + `/verdict"] button`)
	}
	jus.wantText("the verdicts", "Condamné", "Acquitté")
	jus.pick("sentences-defendant_id", jus.optionValue(suspects[0].Number))
	jus.setField("sentences-sentenced_on", day(10))
	jus.fill("sentences-prison_months", "96", "sentences-compensation-amount", "2500")
	jus.pick("sentences-compensation-currency", "USD")
	jus.submit(stepForm("sentences"))
	jus.wantText("the timeline", "Jugement", "Arrestation", "Inculpation", "Témoignage", "Audience", "Verdict", "Peine prononcée", "Huis clos")
	if html := jus.html(); strings.Contains(html, "Kasongo") || strings.Contains(html, "Pereira") || strings.Contains(html, "Kalonji") {
		t.Fatal("the proceeding page shows a name")
	}
	jus.axe("proceeding")
	jus.shoot("justice-proceeding-fr")
	jus.open("/justice")
	jus.wantText("the list", number, "Jugement")
	jus.axe("proceedings")

	pr, err := e.db.Proceeding(ctx, number)
	if err != nil || pr.Stage() != domain.StageVerdict || len(pr.Victims) != 3 || len(pr.Charges) != 2 || pr.SituationID != sit.ID {
		t.Fatalf("stored: %v %+v", err, pr)
	}

	cw := newTab(t, e)
	cw.signInAs(e.accounts["caseworker"])
	cw.open("/cases/" + cases[0] + "/justice")
	cw.wantText("the summary", number, "Jugement", "Condamné", "Acquitté", "Huis clos", "Tribunal de grande instance de Kolwezi")
	if body := cw.text("body"); strings.Contains(body, suspects[0].Number) || strings.Contains(body, "TIP-1") || strings.Contains(body, "RP 1234") {
		t.Fatalf("the caseworker's summary names a defendant or a charge: %s", body)
	}
	cw.axe("justice summary")
	cw.shoot("justice-summary-fr")
	cw.open(base)
	cw.wantText("the proceeding refused", "Votre rôle ne vous permet pas de faire cela.")
	cw.open("/justice")
	cw.wantText("the list refused", "Votre rôle ne vous permet pas de faire cela.")
}
