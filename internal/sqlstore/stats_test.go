// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// seedStats creates n cases of KIN and GOM whose every counted attribute
// varies (provinces, years, months, unknowns, several forms and
// citizenships, screenings that are not victims), and returns them.
func seedStats(t *testing.T, db *sqlstore.DB, n int) []*domain.Case {
	t.Helper()
	genders := []string{"Feminine", "Masculine", "NonSpecifiedUnknown", ""}
	types := [][]string{{"ForcedLabour"}, {"SexualExploitation"}, {"ForcedLabour", "SexualExploitation"}, nil}
	cits := [][]string{{"CD"}, {"RW", "CD"}, {"AO"}, nil, {"FR"}}
	provinces := []string{"CD-KN", "CD-NK", "", "CD-SK"}
	tstatus := []string{"PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"}
	var batch []*domain.Case
	for i := range n {
		c := NewCase([]string{"KIN", "GOM"}[i%2])
		c.Person.Gender = genders[i%4]
		c.Victim.TypeOfExploitation = types[i%4]
		c.Person.Citizenship = cits[(i/3)%5]
		c.Province = provinces[(i/2)%4]
		c.Victim.TraffickingStatus = tstatus[i%3]
		switch i % 5 {
		case 0: // the year only, as imported records
			c.RegistrationDate, c.RegistrationYear = domain.Date{}, 2020+i%4
		default:
			c.RegistrationDate = domain.NewDate(2020+i%4, time.Month(1+i%12), 1+i%28)
		}
		if i%7 == 0 {
			c.Person.Birthdate = domain.Date{}
			c.Victim.AgeBand = []string{"9--17", "30--38", ""}[i%3]
		} else {
			c.Person.Birthdate = domain.NewDate(1985+i%30, 1, 1)
		}
		c.Events[0].Country = []string{"CD", "ZM", "UG", "", "ZZ"}[i%5]
		c.SourceKey = fmt.Sprintf("stats:%d", i)
		if i%3 != 2 {
			yes := i%3 == 0
			c.Repatriated = &yes
		}
		for _, typ := range [][]string{{"Health"}, {"Legal", "Health"}, nil, {"Education"}}[(i/4)%4] {
			c.SupportPlans = append(c.SupportPlans, &domain.SupportPlan{Type: typ})
		}
		batch = append(batch, c)
	}
	if _, err := db.ImportCases(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	return batch
}

// valuesOf is a case's values of a dimension, computed from the case
// itself (not from the stored columns).
func valuesOf(c *domain.Case, d domain.StatsDim) []string {
	one := func(s string) []string { return []string{s} }
	list := func(xs []string) []string {
		if len(xs) == 0 {
			return []string{""}
		}
		return xs
	}
	switch d {
	case domain.StatsYear:
		if c.RegistrationYear == 0 {
			return one("")
		}
		return one(strconv.Itoa(c.RegistrationYear))
	case domain.StatsMonth:
		if c.RegistrationDate.IsZero() {
			return one("")
		}
		return one(c.RegistrationDate.String()[:7])
	case domain.StatsGender:
		return one(c.Person.Gender)
	case domain.StatsAgeGroup:
		return one(c.AgeGroup())
	case domain.StatsAgeBand:
		return one(c.AgeBandOf())
	case domain.StatsExploitation:
		return list(c.Victim.TypeOfExploitation)
	case domain.StatsCitizenship:
		return list(c.Person.Citizenship)
	case domain.StatsExploitationCountry:
		return list(c.ExploitationCountries())
	case domain.StatsProvince:
		return one(c.Province)
	case domain.StatsAgency:
		return one(c.Agency)
	case domain.StatsStatus:
		return one(c.Status)
	case domain.StatsTraffickingStatus:
		return one(c.Victim.TraffickingStatus)
	case domain.StatsAssistance:
		return list(c.ServiceTypes())
	case domain.StatsRepatriated:
		return one(domain.YesNoOf(c.Repatriated))
	case domain.StatsIdentified:
		return one(domain.IdentifiedWhere(c.Province, c.ExploitationCountries()))
	}
	panic(d)
}

// expectCounts is CaseCounts computed by a loop over the cases.
func expectCounts(cases []*domain.Case, q domain.StatsQuery) map[string]int64 {
	f := q.Filter
	out := map[string]int64{}
	for _, c := range cases {
		if f.YearFrom != 0 && (c.RegistrationYear == 0 || c.RegistrationYear < f.YearFrom) ||
			f.YearTo != 0 && (c.RegistrationYear == 0 || c.RegistrationYear > f.YearTo) ||
			f.Agency != "" && c.Agency != f.Agency || f.Province != "" && c.Province != f.Province ||
			f.Victims && c.Victim.TraffickingStatus == "NotAVictimOfTrafficking" {
			continue
		}
		match := true
		for d, vs := range f.In {
			if !slices.ContainsFunc(valuesOf(c, d), func(v string) bool { return slices.Contains(vs, v) }) {
				match = false
			}
		}
		for d, vs := range f.Not {
			if slices.ContainsFunc(valuesOf(c, d), func(v string) bool { return slices.Contains(vs, v) }) {
				match = false
			}
		}
		if !match {
			continue
		}
		keys := []string{""}
		for i, d := range q.By {
			var next []string
			for _, k := range keys {
				for _, v := range valuesOf(c, d) {
					if vs, ok := f.In[d]; ok && d.MultiValued() && !slices.Contains(vs, v) {
						continue
					}
					if i > 0 {
						next = append(next, k+"|"+v)
					} else {
						next = append(next, v)
					}
				}
			}
			keys = next
		}
		for _, k := range keys {
			out[k]++
		}
	}
	return out
}

func TestCaseCounts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		cases := seedStats(t, db, 240)
		tests := []struct {
			name string
			q    domain.StatsQuery
		}{
			{"total", domain.StatsQuery{}},
			{"every single dimension", domain.StatsQuery{By: domain.StatsDims}},
			{"sex by age group, victims of 2021", domain.StatsQuery{By: []domain.StatsDim{domain.StatsGender, domain.StatsAgeGroup},
				Filter: domain.StatsFilter{YearFrom: 2021, YearTo: 2021, Victims: true}}},
			{"forms by citizenship", domain.StatsQuery{By: []domain.StatsDim{domain.StatsExploitation, domain.StatsCitizenship}}},
			{"months of one agency", domain.StatsQuery{By: []domain.StatsDim{domain.StatsMonth}, Filter: domain.StatsFilter{Agency: "GOM"}}},
			{"province filter", domain.StatsQuery{By: []domain.StatsDim{domain.StatsAgency, domain.StatsYear}, Filter: domain.StatsFilter{Province: "CD-NK"}}},
			{"listed services", domain.StatsQuery{By: []domain.StatsDim{domain.StatsAssistance, domain.StatsRepatriated},
				Filter: domain.StatsFilter{In: map[domain.StatsDim][]string{domain.StatsAssistance: {"Health", "Legal"}}}}},
			{"no service", domain.StatsQuery{By: []domain.StatsDim{domain.StatsRepatriated},
				Filter: domain.StatsFilter{In: map[domain.StatsDim][]string{domain.StatsAssistance: {"", "Health%"}}}}},
			{"foreign Africans", domain.StatsQuery{By: []domain.StatsDim{domain.StatsIdentified, domain.StatsGender},
				Filter: domain.StatsFilter{In: map[domain.StatsDim][]string{domain.StatsCitizenship: {"RW", "AO", "CD"}},
					Not: map[domain.StatsDim][]string{domain.StatsCitizenship: {"CD"}, domain.StatsAssistance: {"Legal"}, domain.StatsGender: {""}}}}},
			{"identified abroad or unknown", domain.StatsQuery{By: []domain.StatsDim{domain.StatsExploitationCountry, domain.StatsProvince},
				Filter: domain.StatsFilter{In: map[domain.StatsDim][]string{domain.StatsIdentified: {"Abroad", ""}}}}},
			{"months and years", domain.StatsQuery{By: []domain.StatsDim{domain.StatsYear, domain.StatsMonth, domain.StatsIdentified}}},
			{"listed citizenships", domain.StatsQuery{By: []domain.StatsDim{domain.StatsCitizenship, domain.StatsGender},
				Filter: domain.StatsFilter{In: map[domain.StatsDim][]string{domain.StatsCitizenship: {"RW", "AO", ""}}}}},
			{"unknowns listed", domain.StatsQuery{By: []domain.StatsDim{domain.StatsProvince},
				Filter: domain.StatsFilter{In: map[domain.StatsDim][]string{domain.StatsGender: {""}, domain.StatsYear: {"2022", ""},
					domain.StatsMonth: {""}, domain.StatsAgency: {"KIN", "ZZZ"}, domain.StatsExploitation: {""}}}}},
			{"nothing listed matches", domain.StatsQuery{By: []domain.StatsDim{domain.StatsGender},
				Filter: domain.StatsFilter{In: map[domain.StatsDim][]string{domain.StatsAgency: {"ZZZ"}}}}},
			{"unknown agency", domain.StatsQuery{By: []domain.StatsDim{domain.StatsGender}, Filter: domain.StatsFilter{Agency: "ZZZ"}}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if tc.name == "every single dimension" {
					for _, d := range domain.StatsDims {
						checkCounts(t, db, cases, domain.StatsQuery{By: []domain.StatsDim{d}})
					}
					return
				}
				checkCounts(t, db, cases, tc.q)
			})
		}
		_, err := db.CaseCounts(ctx, domain.StatsQuery{By: []domain.StatsDim{"colour"}})
		wantKind(t, err, domain.KindInvalid)
		_, err = db.CaseCounts(ctx, domain.StatsQuery{By: []domain.StatsDim{domain.StatsGender, domain.StatsGender}})
		wantKind(t, err, domain.KindInvalid)
		_, err = db.CaseCounts(ctx, domain.StatsQuery{Filter: domain.StatsFilter{YearFrom: 2024, YearTo: 2020}})
		wantKind(t, err, domain.KindInvalid)
	})
}

func checkCounts(t *testing.T, db *sqlstore.DB, cases []*domain.Case, q domain.StatsQuery) {
	t.Helper()
	rows, err := db.CaseCounts(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for i, r := range rows {
		if len(r.Values) != len(q.By) || r.N <= 0 {
			t.Fatalf("%v: row %+v", q.By, r)
		}
		if i > 0 && slices.Compare(rows[i-1].Values, r.Values) >= 0 {
			t.Fatalf("%v: rows out of order at %d", q.By, i)
		}
		got[strings.Join(r.Values, "|")] += r.N
	}
	want := expectCounts(cases, q)
	if len(got) != len(want) {
		t.Fatalf("%v: %d rows, want %d\ngot  %v\nwant %v", q.By, len(got), len(want), got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Fatalf("%v %+v: %q counts %d, want %d", q.By, q.Filter, k, got[k], n)
		}
	}
}

// The cases behind a figure: the same filter, page after page, each case
// once, and only de-identified columns.
func TestStatsCases(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		cases := seedStats(t, db, 90)
		f := domain.StatsFilter{YearFrom: 2021, YearTo: 2022, Agency: "KIN", Victims: true,
			In: map[domain.StatsDim][]string{domain.StatsExploitation: {"SexualExploitation"}}}
		want := expectCounts(cases, domain.StatsQuery{Filter: f})[""]
		if want == 0 {
			t.Fatal("the seed has no case for this filter")
		}
		seen := map[string]bool{}
		cur := ""
		for range 100 {
			page, err := db.StatsCases(ctx, f, cur, 4)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != want {
				t.Fatalf("total %d, want %d", page.Total, want)
			}
			for _, s := range page.Items {
				if seen[s.Number] || s.Agency != "KIN" || !slices.Contains(s.TypeOfExploitation, "SexualExploitation") ||
					s.RegistrationYear < 2021 || s.RegistrationYear > 2022 || s.TraffickingStatus == "NotAVictimOfTrafficking" {
					t.Fatalf("listed %+v", s)
				}
				seen[s.Number] = true
			}
			if cur = page.NextCursor; cur == "" {
				break
			}
		}
		if int64(len(seen)) != want {
			t.Fatalf("listed %d cases, want %d", len(seen), want)
		}
		// Totals of other figures' filters (read from the cube, or from
		// the cases when months are listed) against the loop.
		for _, g := range []domain.StatsFilter{
			{Victims: true, In: map[domain.StatsDim][]string{domain.StatsCitizenship: {"RW", "AO"}}, Not: map[domain.StatsDim][]string{domain.StatsCitizenship: {"CD"}}},
			{YearFrom: 2021, YearTo: 2021, In: map[domain.StatsDim][]string{domain.StatsGender: {"NonSpecifiedUnknown", ""}, domain.StatsIdentified: {"Abroad"}}},
			{Agency: "GOM", In: map[domain.StatsDim][]string{domain.StatsAssistance: {""}, domain.StatsRepatriated: {"Yes", ""}}},
			{In: map[domain.StatsDim][]string{domain.StatsMonth: {"2021-03", ""}, domain.StatsExploitation: {"ForcedLabour"}}},
			{In: map[domain.StatsDim][]string{domain.StatsAgency: {"KIN", "ZZZ"}, domain.StatsYear: {"2022", ""}}, Not: map[domain.StatsDim][]string{domain.StatsProvince: {""}}},
		} {
			page, err := db.StatsCases(ctx, g, "", 1)
			if err != nil {
				t.Fatal(err)
			}
			if want := expectCounts(cases, domain.StatsQuery{Filter: g})[""]; page.Total != want {
				t.Fatalf("filter %+v: total %d, want %d", g, page.Total, want)
			}
		}
		_, err := db.StatsCases(ctx, f, "nonsense", 4)
		wantKind(t, err, domain.KindInvalid)
		// A cursor belongs to its filter: sent with another it would skip
		// that filter's cases created before the cursor's.
		first, err := db.StatsCases(ctx, f, "", 1)
		if err != nil || first.NextCursor == "" {
			t.Fatalf("first page: %+v %v", first, err)
		}
		other := f
		other.Agency = "GOM"
		_, err = db.StatsCases(ctx, other, first.NextCursor, 4)
		wantKind(t, err, domain.KindInvalid)
		if _, err := db.StatsCases(ctx, f, first.NextCursor, 4); err != nil {
			t.Fatalf("the cursor with its own filter: %v", err)
		}
		page, err := db.StatsCases(ctx, domain.StatsFilter{Agency: "ZZZ"}, "", 4)
		if err != nil || page.Total != 0 || len(page.Items) != 0 {
			t.Fatalf("an unknown agency: %+v %v", page, err)
		}
	})
}

// The report cube follows every change of a case: imports, creations,
// updates (province, status, repatriation), and parts that change the
// country of exploitation or the services; it always equals the cases
// grouped afresh.
func TestReportCubeKeptWithTheCases(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		cases := seedStats(t, db, 60)
		check := func(step string) {
			t.Helper()
			var by []domain.StatsDim
			for _, d := range domain.StatsDims {
				if d != domain.StatsMonth {
					by = append(by, d)
				}
			}
			for _, f := range []domain.StatsFilter{{}, {Victims: true, YearFrom: 2021, YearTo: 2022}, {Agency: "GOM", Province: "CD-NK"}} {
				fromTable, err := db.CaseCube(ctx, f, false)
				if err != nil {
					t.Fatal(err)
				}
				fromCases, err := db.CubeFromCases(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				a, b := domain.Marginal(fromTable, by, nil), domain.Marginal(fromCases, by, nil)
				if fmt.Sprint(a) != fmt.Sprint(b) {
					t.Fatalf("%s, filter %+v: the cube holds\n%v\nthe cases say\n%v", step, f, a, b)
				}
			}
		}
		check("after the import")
		MustCreateCase(t, db, NewCase("GOM"))
		check("after a creation")
		for i, c := range cases[:6] {
			got, err := db.Case(ctx, c.Number)
			if err != nil {
				t.Fatal(err)
			}
			got.Province = []string{"CD-NK", "", "CD-TA"}[i%3]
			got.Status = "FollowUp"
			no := false
			got.Repatriated = &no
			if err := db.UpdateCase(ctx, got); err != nil {
				t.Fatal(err)
			}
		}
		check("after updates")
		plan := &domain.SupportPlan{Type: "Livelihood"}
		if err := db.AddPart(ctx, cases[7].Number, domain.PartSupportPlans, plan); err != nil {
			t.Fatal(err)
		}
		if err := db.AddPart(ctx, cases[8].Number, domain.PartEvents, &domain.Event{Type: "Exploitation", Country: "AO"}); err != nil {
			t.Fatal(err)
		}
		check("after adding parts")
		if err := db.DeletePart(ctx, cases[7].Number, domain.PartSupportPlans, plan.ID, plan.Version); err != nil {
			t.Fatal(err)
		}
		got, err := db.Case(ctx, cases[9].Number)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range got.Events {
			if err := db.DeletePart(ctx, got.Number, domain.PartEvents, ev.ID, ev.Version); err != nil {
				t.Fatal(err)
			}
		}
		check("after deleting parts")
		if err := db.RebuildReportCube(ctx); err != nil {
			t.Fatal(err)
		}
		check("after a rebuild")
	})
}
