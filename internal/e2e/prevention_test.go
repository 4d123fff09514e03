// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vigie/internal/domain"
)

// TestReferralToShelterWithFreeBeds: a caseworker looks for a shelter in
// the directory from a case, sees which shelters have free beds, and
// refers the victim to one that uses Vigie, which then finds the case in
// its referrals. The directory and awareness pages pass axe.
func TestReferralToShelterWithFreeBeds(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@e2e", Agency: "DEMOMAS", Via: "cli"})
	number := e.newCase(t, "DEMOMAS", "Grâce", "Kalonji")
	c, err := e.db.Case(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.AddPart(ctx, c.ID, domain.PartConsents, &domain.Consent{Consent: true, Date: domain.DateOf(e.clock.Now())}); err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(e.clock.Now().UTC())
	free, total, none, four := 5, 8, 0, 4
	shelter := &domain.Provider{Name: "Maison d’accueil Tumaini", AgencyCode: "DEMONGO", Type: "NGO", Provinces: []string{"CD-KN"},
		Services: []string{"Shelter", "Psychosocial"}, BedsFree: &free, BedsTotal: &total, CapacityDate: today}
	fullUp := &domain.Provider{Name: "Foyer Sainte-Famille", Type: "FaithBased", Provinces: []string{"CD-KN"},
		Services: []string{"Shelter"}, BedsFree: &none, BedsTotal: &four, CapacityDate: today}
	clinic := &domain.Provider{Name: "Clinique de Lemba", Type: "Private", Provinces: []string{"CD-KN"}, Services: []string{"Medical"}}
	for _, p := range []*domain.Provider{shelter, fullUp, clinic} {
		if err := e.db.CreateProvider(ctx, p); err != nil {
			t.Fatal(err)
		}
	}

	cw := newTab(t, e)
	cw.signInAs(e.accounts["caseworker"])
	cw.open("/cases/" + number)
	cw.follow("/cases/" + number + "/refer/provider")
	cw.do(chromedp.SetValue(chromedp.ID("r-service"), "Shelter"))
	cw.submit(`main form.filters button`)
	cw.wantText("the shelters", "Maison d’accueil Tumaini", "5 lits libres sur 8", "0 lit libre sur 4")
	if html := cw.html(); strings.Contains(html, "Clinique de Lemba") {
		t.Fatal("a clinic among the shelters")
	}
	cw.axe("referral to a provider")
	cw.shoot("refer-provider-fr")
	cw.do(chromedp.Click(chromedp.ID("pr-" + shelter.ID)))
	cw.submit(`main form[method="post"] button`)
	cw.wantPath("back to the case", "/cases/"+number)
	got, err := e.db.Case(ctx, number)
	if err != nil || len(got.Referrals) != 1 || got.Referrals[0].ReferredProvider != shelter.ID || got.Referrals[0].ReferredAgency != "DEMONGO" {
		t.Fatalf("referral: %v %+v", err, got.Referrals)
	}
	cw.wantText("the case page", "Places du prestataire aujourd’hui", "5 lits libres sur 8")

	// The full shelter: the form comes back asking to confirm, then sends.
	cw.follow("/cases/" + number + "/refer/provider")
	cw.do(chromedp.SetValue(chromedp.ID("r-service"), "Shelter"))
	cw.submit(`main form.filters button`)
	cw.do(chromedp.Click(chromedp.ID("pr-" + fullUp.ID)))
	cw.submit(`main form[method="post"] button`)
	cw.wantText("a full shelter", "Foyer Sainte-Famille n’a plus de place libre (0 lit libre sur 4")
	cw.axe("referral to a full shelter")
	if got, _ := e.db.Case(ctx, number); len(got.Referrals) != 1 {
		t.Fatalf("%d referrals before the confirmation, want 1", len(got.Referrals))
	}
	cw.do(chromedp.Click(chromedp.ID("full_ok")))
	cw.submit(`main form[method="post"] button`)
	cw.wantPath("back to the case after confirming", "/cases/"+number)
	cw.wantText("the case page", "Foyer Sainte-Famille", "0 lit libre sur 4")

	ngo := newTab(t, e)
	ngo.signInAs(e.accounts["shelter"])
	ngo.open("/referrals")
	ngo.wantText("the shelter's referrals", number)

	sup := newTab(t, e)
	sup.signInAs(e.accounts["supervisor"])
	for _, path := range []string{"/providers", "/providers/" + shelter.ID, "/providers/new", "/awareness", "/awareness/new"} {
		sup.open(path)
		sup.axe(path)
	}
}
