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

// dashCase stores a case registered on day in province, with the victim
// named Amani Mukendi (whose name must never show on the dashboard).
func dashCase(t *testing.T, e *env, agency, status, province, citizenship, form string, day domain.Date) {
	t.Helper()
	ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@test", Agency: agency, Via: "cli"})
	c := &domain.Case{Agency: agency, RegistrationDate: day, Province: province,
		Person: domain.Person{FirstName: "Amani", SecondName: "Mukendi", Gender: "Feminine", Citizenship: []string{citizenship}},
		Victim: domain.Victim{TraffickingStatus: status, TypeOfExploitation: []string{form}},
		Events: []*domain.Event{{Type: "Exploitation", Country: citizenship, City: "Kolwezi"}},
	}
	if err := e.db.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
}

func TestDashboard(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		victim := "PossibleVictimOfTrafficking"
		dashCase(t, e, "KIN", victim, "CD-KN", "CD", "ForcedLabour", domain.NewDate(2025, 3, 10))
		dashCase(t, e, "KIN", victim, "CD-NK", "RW", "SexualExploitation", domain.NewDate(2025, 7, 2))
		dashCase(t, e, "KIN", "NotAVictimOfTrafficking", "CD-KN", "CD", "ForcedLabour", domain.NewDate(2025, 7, 3))
		dashCase(t, e, "GOM", victim, "CD-NK", "CD", "ForcedLabour", domain.NewDate(2026, 1, 20))

		coord, _ := e.signedIn(t, "comite@kin.example", "KIN", domain.RoleCoordinator)
		sup, _ := e.signedIn(t, "chef@gom.example", "GOM", domain.RoleSupervisor)
		cw, _ := e.signedIn(t, "agent@kin.example", "KIN", domain.RoleCaseworker)
		justice, _ := e.signedIn(t, "opj@kin.example", "KIN", domain.RoleJustice)
		admin, _ := e.signedIn(t, "admin@kin.example", "KIN", domain.RoleAdmin)

		t.Run("ErrForbidden", func(t *testing.T) {
			for name, b := range map[string]*browser{"caseworker": cw, "justice": justice, "admin": admin} {
				p := b.get(t, "/dashboard")
				if p.status != http.StatusForbidden || strings.Contains(p.body, "<svg") {
					t.Errorf("%s: status %d, want 403 and no chart", name, p.status)
				}
				if strings.Contains(b.get(t, "/").body, `href="/dashboard"`) {
					t.Errorf("%s: the nav links to the dashboard", name)
				}
			}
		})

		t.Run("OK", func(t *testing.T) {
			p := coord.get(t, "/dashboard")
			want(t, p, http.StatusOK, "coordinator's dashboard")
			for _, s := range []string{
				"3 victimes identifiées",                  // the "not a victim" screening is not counted
				"Nord-Kivu\u00a0: 2", "Kinshasa\u00a0: 1", // province map, hover titles
				"Rwanda\u00a0: 1",                                   // citizenship
				"Travail forcé\u00a0: 2",                            // forms of exploitation
				"© OpenStreetMap", "geoBoundaries", "Natural Earth", // the maps' credits
				`role="img"`, `<table class="chart-data"`, "effectifs sont exacts",
				`<option value="GOM">`, // the agency filter
			} {
				if !strings.Contains(p.body, s) {
					t.Errorf("dashboard lacks %q", s)
				}
			}
			for _, s := range []string{"Amani", "Mukendi", "<script"} {
				if strings.Contains(p.body, s) {
					t.Errorf("dashboard shows %q", s)
				}
			}
			if !strings.Contains(coord.get(t, "/").body, `href="/dashboard"`) {
				t.Error("no link to the dashboard in a coordinator's nav")
			}
		})

		t.Run("Filters", func(t *testing.T) {
			for _, c := range []struct{ query, total string }{
				{"?agency=GOM", "1 victime identifiée"},
				{"?province=CD-KN", "1 victime identifiée"},
				{"?province=CD-NK", "2 victimes identifiées"},
				{"?from=2025-06&to=2025-12", "1 victime identifiée"},
				{"?from=2025&to=2025", "2 victimes identifiées"},
				{"?from=2026", "1 victime identifiée"},
				{"?from=2024&to=2024", "0 victime identifiée"},
				{"?from=2025-03&to=2025-03&province=CD-KN&agency=KIN", "1 victime identifiée"},
			} {
				p := coord.get(t, "/dashboard"+c.query)
				want(t, p, http.StatusOK, c.query)
				if !strings.Contains(p.body, c.total) {
					t.Errorf("%s: want %q", c.query, c.total)
				}
			}
			// The filters are kept in the form.
			p := coord.get(t, "/dashboard?from=2025-06&to=2025-12&province=CD-NK")
			for _, s := range []string{`name="from" value="2025-06"`, `name="to" value="2025-12"`, `<option value="CD-NK" selected>`} {
				if !strings.Contains(p.body, s) {
					t.Errorf("form lacks %q", s)
				}
			}
			// Months of the period, zeros included, in the time series.
			if !strings.Contains(p.body, "juil. 2025\u00a0: 1") || !strings.Contains(p.body, "déc. 2025\u00a0: 0") {
				t.Error("the monthly series lacks July (1) or December (0)")
			}
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			for _, q := range []string{"?from=abc", "?to=2025-13", "?from=2026&to=2025", "?province=CD-XX", "?agency=%3Cscript%3E", "?from=2025-06"} {
				p := coord.get(t, "/dashboard"+q)
				want(t, p, http.StatusUnprocessableEntity, q)
				if !strings.Contains(p.body, `role="alert"`) || !strings.Contains(p.body, "3 victimes identifiées") {
					t.Errorf("%s: want the error and the unfiltered figures", q)
				}
				if strings.Contains(p.body, "<script") {
					t.Errorf("%s: markup from the query", q)
				}
			}
		})

		t.Run("SupervisorSeesOwnAgency", func(t *testing.T) {
			p := sup.get(t, "/dashboard?agency=KIN")
			want(t, p, http.StatusOK, "supervisor's dashboard")
			if !strings.Contains(p.body, "1 victime identifiée") || !strings.Contains(p.body, "votre agence seulement (GOM)") {
				t.Error("a supervisor sees other agencies' figures")
			}
			if strings.Contains(p.body, `name="agency"`) {
				t.Error("a supervisor is offered the agency filter")
			}
		})

		t.Run("English", func(t *testing.T) {
			coord.get(t, "/lang/en")
			p := coord.get(t, "/dashboard?from=2025&to=2025")
			want(t, p, http.StatusOK, "English dashboard")
			for _, s := range []string{"2 identified victims", "Nord-Kivu", "Jul 2025: 1", "OpenStreetMap contributors"} {
				if !strings.Contains(p.body, s) {
					t.Errorf("English dashboard lacks %q", s)
				}
			}
		})
	})
}

// TestDashboardYearOnly: records that carry a year of registration only
// (as imported CTDC records do) are drawn year by year, the years
// between them at zero.
func TestDashboardYearOnly(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@test", Agency: "KIN", Via: "cli"})
		for _, y := range []int{2019, 2021, 2021} {
			c := &domain.Case{Agency: "KIN", RegistrationYear: y, Person: domain.Person{Gender: "Masculine", Citizenship: []string{"ZZ"}},
				Victim: domain.Victim{TraffickingStatus: "PossibleVictimOfTrafficking"}}
			if err := db.CreateCase(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		coord, _ := e.signedIn(t, "comite@kin.example", "KIN", domain.RoleCoordinator)
		p := coord.get(t, "/dashboard")
		want(t, p, http.StatusOK, "dashboard")
		for _, s := range []string{"Victimes enregistrées par année", "2019\u00a0: 1", "2020\u00a0: 0", "2021\u00a0: 2", "3 victimes identifiées"} {
			if !strings.Contains(p.body, s) {
				t.Errorf("dashboard lacks %q", s)
			}
		}
	})
}
