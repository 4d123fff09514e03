// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vigie/internal/domain"
)

// spreadCases registers n cases of DEMOMAS across provinces, countries,
// forms of exploitation, sexes and the months of 2025, so that every
// chart and map of the dashboard has something to draw.
func (e *env) spreadCases(t *testing.T, n int) {
	t.Helper()
	ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@e2e", Agency: "DEMOMAS", Via: "cli"})
	provs := domain.Province.Values
	countries := []string{"CD", "CD", "CD", "CG", "AO", "UG", "RW", "ZM", "CF", "SS", "BI", "TZ", "CN", "LB", "AE"}
	forms := []string{"ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "ForcedBegging", "ForcedMilitaryByNonStateActors"}
	genders := []string{"Feminine", "Feminine", "Masculine"}
	for i := range n {
		c := &domain.Case{Agency: "DEMOMAS", Province: provs[(i*i+i/3)%len(provs)],
			RegistrationDate: domain.NewDate(2025, time.Month(1+(i*7)%12), 1+i%28),
			Person:           domain.Person{FirstName: "Furaha", SecondName: "Tshibanda", Gender: genders[i%3], Citizenship: []string{countries[i%len(countries)]}},
			Victim:           domain.Victim{TraffickingStatus: "PossibleVictimOfTrafficking", TypeOfExploitation: []string{forms[(i/2)%len(forms)]}},
			Events:           []*domain.Event{{Type: "Exploitation", Country: countries[(i*5)%len(countries)]}},
		}
		if err := e.db.CreateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDashboardInBrowser: a coordinator opens the dashboard, narrows it
// to a province and a period with its form (a plain GET form, no script),
// reads it in English; a supervisor sees their agency's only. Each page
// passes axe and is photographed.
func TestDashboardInBrowser(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.spreadCases(t, 90)
	b := newTab(t, e)
	b.signInAs(e.accounts["coordinator"])
	b.submit(`header nav a[href="/dashboard"]`)
	b.wantText("the dashboard", "Tableau de bord", "Victimes identifiées par province", "© OpenStreetMap contributors, geoBoundaries (ODbL)")
	if html := b.html(); strings.Contains(html, "Tshibanda") || strings.Contains(html, "Furaha") {
		t.Fatal("a victim's name on the dashboard")
	}
	b.axe("dashboard")
	b.shoot("dashboard-fr")

	b.do(chromedp.SetValue(chromedp.ID("d-province"), "CD-NK"), chromedp.SetValue(chromedp.ID("d-from"), "2025-03"), chromedp.SetValue(chromedp.ID("d-to"), "2025-08"))
	b.submit(`main form.filters button`)
	if p := b.path(); !strings.Contains(p, "province=CD-NK") || !strings.Contains(p, "from=2025-03") {
		t.Fatalf("the filters did not reach the address: %s", p)
	}
	b.wantText("the filtered dashboard", "mars 2025", "août 2025")
	if b.value("d-province") != "CD-NK" || b.value("d-from") != "2025-03" {
		t.Error("the form does not keep the filters")
	}
	b.axe("filtered dashboard")
	b.shoot("dashboard-filtered-fr")

	b.submit("header a.lang")
	b.wantText("the English dashboard", "Dashboard", "Identified victims by province", "Mar 2025")
	b.axe("dashboard (English)")
	b.shoot("dashboard-en")

	sup := newTab(t, e)
	sup.signInAs(e.accounts["supervisor"])
	sup.submit(`header nav a[href="/dashboard"]`)
	sup.wantText("a supervisor's dashboard", "votre agence seulement")
	sup.axe("supervisor's dashboard")
}
