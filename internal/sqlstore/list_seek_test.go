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

// seedCorrelated creates cases whose filters are correlated with the sort
// orders, as in real data: agency OLD's cases are created first and
// registered 2010–2016, agency NEW's later (newer ids and updates, numbers
// NEW-… before OLD-…) and registered 2017–2019; the country of
// exploitation US appears from 2015 on; forced labour from 2013 on; UA
// citizens are registered in 2016 and in NEW, but one OLD case of 2010
// also has UA citizenship (a lone early match a seek must not skip); PH
// citizens are registered in 2016, and one has no registration year, only
// a period (so where it sorts is unknown to the counts). Then some OLD
// cases are updated, one of them moved from 2016 to 2012 and one from 2016
// to 2018, and a NEW case from 2019 to 2011 (their numbers keep the year
// they were numbered in, so a year range of numbers misses them). It
// returns the cases as stored.
func seedCorrelated(t *testing.T, db *sqlstore.DB) []*domain.Case {
	t.Helper()
	ctx := context.Background()
	MustCreateAgency(t, db, "OLD")
	MustCreateAgency(t, db, "NEW")
	clock := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	mk := func(agency string, i, year int) *domain.Case {
		c := NewCase(agency)
		c.SourceKey = fmt.Sprintf("%s:%d", agency, i)
		c.RegistrationDate = domain.Date{}
		if i%3 == 0 {
			c.RegistrationYear = year // year only: reg_key is the year
		} else {
			c.RegistrationDate = domain.NewDate(year, time.Month(1+i%12), 1+i%28)
		}
		c.Person.Gender = []string{"Feminine", "Masculine"}[i%2]
		c.Person.Citizenship = []string{"CD"}
		c.Victim.TypeOfExploitation = []string{"SexualExploitation"}
		if year >= 2013 {
			c.Victim.TypeOfExploitation = []string{"ForcedLabour"}
		}
		c.Events[0].Country = "CD"
		if year >= 2015 {
			c.Events[0].Country = "US"
		}
		// Some victims were exploited in a second country: they are
		// listed under both, wherever the walk tests them.
		switch i % 10 {
		case 3:
			c.Events = append(c.Events, &domain.Event{Type: "Exploitation", Country: "US"})
		case 4:
			c.Events = append(c.Events, &domain.Event{Type: "Exploitation", Country: "BJ"})
		}
		return c
	}
	var old, fresh []*domain.Case
	for i := range 240 {
		c := mk("OLD", i, 2010+i%7)
		switch {
		case i == 0:
			c.Person.Citizenship = []string{"UA"}
		case c.RegistrationDate.Year() == 2016 || c.RegistrationYear == 2016:
			c.Person.Citizenship = []string{[]string{"UA", "PH"}[i%2]}
		}
		if i == 7 {
			c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = domain.Date{}, 0, "2011-2012"
			c.Person.Citizenship = []string{"PH"}
		}
		// Spans of years, listed under the years they lie inside.
		if p, ok := map[int]string{17: "2014-2016", 31: "2015-2020", 44: "2010-2010"}[i]; ok {
			c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = domain.Date{}, 0, p
		}
		old = append(old, c)
	}
	if _, err := db.ImportCases(ctx, old); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	for i := range 120 {
		c := mk("NEW", i, 2017+i%3)
		if i%2 == 0 {
			c.Person.Citizenship = []string{"UA"}
		}
		if i == 9 {
			c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = domain.Date{}, 0, "2017-2019"
		}
		fresh = append(fresh, c)
	}
	if _, err := db.ImportCases(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	for i, c := range append(old, fresh[5]) {
		if i%24 != 1 && i != 6 && i != 27 && i != len(old) {
			continue
		}
		clock = clock.Add(time.Minute)
		edit, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		edit.Status = "FollowUp"
		switch i {
		case 6: // registered 2016, UA: moved to 2012
			edit.RegistrationDate, edit.RegistrationYear = domain.NewDate(2012, 6, 1), 0
		case 27: // registered 2016 (the year alone): moved to 2018
			edit.RegistrationDate, edit.RegistrationYear = domain.Date{}, 2018
		case len(old): // NEW, registered 2019: moved to 2011
			edit.RegistrationDate, edit.RegistrationYear = domain.NewDate(2011, 2, 3), 0
		}
		if err := db.UpdateCase(ctx, edit); err != nil {
			t.Fatal(err)
		}
	}
	// The planner's statistics, as after an import (PostgreSQL's choice
	// of how to test a country reads them).
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	var all []*domain.Case
	for _, c := range append(old, fresh...) {
		got, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, got)
	}
	return all
}

// inYears is the list's rule for years (0 leaves an end open): a known
// registration year in the range, or a span of years inside it.
func inYears(c *domain.Case, from, to int) bool {
	lo, hi := c.RegistrationYear, c.RegistrationYear
	if lo == 0 {
		a, b, ok := strings.Cut(c.RegistrationPeriod, "-")
		if !ok {
			return false
		}
		lo, _ = strconv.Atoi(a)
		hi, _ = strconv.Atoi(b)
	}
	return (from == 0 || lo >= from) && (to == 0 || hi <= to)
}

// sortKey is the key a list sort orders by (then by id), as the cases
// table holds it.
func sortKey(sort string, c *domain.Case) string {
	switch strings.TrimPrefix(sort, "-") {
	case "updated":
		return c.UpdatedAt.UTC().Format(time.RFC3339Nano)
	case "registered":
		switch {
		case !c.RegistrationDate.IsZero():
			return c.RegistrationDate.String()
		case c.RegistrationYear != 0:
			return strconv.Itoa(c.RegistrationYear)
		}
		return c.RegistrationPeriod
	case "number":
		return c.Number
	}
	return ""
}

// TestFindCasesCorrelatedOrders pages through lists whose filters are
// correlated with the sort order (the shapes the agency index ranges, the
// registration-year seek and the cursor's start serve) and compares every
// page with the plain order of all the matches: same rows, same order, no
// duplicates or gaps, on both databases, with walks cut short by their
// bound or not.
func TestFindCasesCorrelatedOrders(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		all := seedCorrelated(t, db)
		has := func(xs []string, v string) bool { return slices.Contains(xs, v) }
		tests := []struct {
			name   string
			filter domain.CaseFilter
			keep   func(*domain.Case) bool
		}{
			{"agency NEW", domain.CaseFilter{Agency: "NEW"}, func(c *domain.Case) bool { return c.Agency == "NEW" }},
			{"agency OLD", domain.CaseFilter{Agency: "OLD"}, func(c *domain.Case) bool { return c.Agency == "OLD" }},
			{"agency OLD, active", domain.CaseFilter{Agency: "OLD", Status: "Active", YearFrom: 2014, YearTo: 2016}, func(c *domain.Case) bool {
				return c.Agency == "OLD" && c.Status == "Active" && inYears(c, 2014, 2016)
			}},
			{"agency NEW, UA", domain.CaseFilter{Agency: "NEW", Citizenship: "UA"}, func(c *domain.Case) bool { return c.Agency == "NEW" && has(c.Person.Citizenship, "UA") }},
			{"country US", domain.CaseFilter{ExploitationCountry: "US"}, func(c *domain.Case) bool { return slices.Contains(c.ExploitationCountries(), "US") }},
			{"country BJ (second country only)", domain.CaseFilter{ExploitationCountry: "BJ"}, func(c *domain.Case) bool { return slices.Contains(c.ExploitationCountries(), "BJ") }},
			{"country CD, feminine", domain.CaseFilter{ExploitationCountry: "CD", Gender: "Feminine"}, func(c *domain.Case) bool {
				return slices.Contains(c.ExploitationCountries(), "CD") && c.Person.Gender == "Feminine"
			}},
			{"forced labour", domain.CaseFilter{Exploitation: "ForcedLabour"}, func(c *domain.Case) bool { return has(c.Victim.TypeOfExploitation, "ForcedLabour") }},
			{"UA, one early", domain.CaseFilter{Citizenship: "UA"}, func(c *domain.Case) bool { return has(c.Person.Citizenship, "UA") }},
			{"PH, one without year", domain.CaseFilter{Citizenship: "PH"}, func(c *domain.Case) bool { return has(c.Person.Citizenship, "PH") }},
			{"UA feminine forced labour", domain.CaseFilter{Citizenship: "UA", Gender: "Feminine", Exploitation: "ForcedLabour"}, func(c *domain.Case) bool {
				return has(c.Person.Citizenship, "UA") && c.Person.Gender == "Feminine" && has(c.Victim.TypeOfExploitation, "ForcedLabour")
			}},
			{"years 2012-2016", domain.CaseFilter{YearFrom: 2012, YearTo: 2016}, func(c *domain.Case) bool { return inYears(c, 2012, 2016) }},
			{"years 2017-", domain.CaseFilter{YearFrom: 2017}, func(c *domain.Case) bool { return inYears(c, 2017, 0) }},
			{"years -2012, UA", domain.CaseFilter{YearTo: 2012, Citizenship: "UA"}, func(c *domain.Case) bool {
				return inYears(c, 0, 2012) && has(c.Person.Citizenship, "UA")
			}},
			// Year ranges under the number sorts read one range of numbers
			// per agency, plus the cases whose number carries another year
			// (moved): OLD 6 (2016 → 2012), OLD 13 (2016 → 2018), NEW 5
			// (2019 → 2011). Pages of 7 cross from one agency's range to
			// the other's.
			{"years 2010-2012 (two moved in)", domain.CaseFilter{YearFrom: 2010, YearTo: 2012}, func(c *domain.Case) bool { return inYears(c, 2010, 2012) }},
			{"years 2014-2018 (both agencies)", domain.CaseFilter{YearFrom: 2014, YearTo: 2018}, func(c *domain.Case) bool { return inYears(c, 2014, 2018) }},
			{"years 2018-2018 (one moved in)", domain.CaseFilter{YearFrom: 2018, YearTo: 2018}, func(c *domain.Case) bool { return inYears(c, 2018, 2018) }},
			{"years -2011", domain.CaseFilter{YearTo: 2011}, func(c *domain.Case) bool { return inYears(c, 0, 2011) }},
			{"agency OLD, years 2017-", domain.CaseFilter{Agency: "OLD", YearFrom: 2017}, func(c *domain.Case) bool { return c.Agency == "OLD" && inYears(c, 2017, 0) }},
			{"agency NEW, years 2011-2018", domain.CaseFilter{Agency: "NEW", YearFrom: 2011, YearTo: 2018}, func(c *domain.Case) bool {
				return c.Agency == "NEW" && inYears(c, 2011, 2018)
			}},
			{"agency OLD, years 2012-2015", domain.CaseFilter{Agency: "OLD", YearFrom: 2012, YearTo: 2015}, func(c *domain.Case) bool {
				return c.Agency == "OLD" && inYears(c, 2012, 2015)
			}},
			{"years 2011-2016, feminine, CD", domain.CaseFilter{YearFrom: 2011, YearTo: 2016, Gender: "Feminine", Citizenship: "CD"}, func(c *domain.Case) bool {
				return inYears(c, 2011, 2016) && c.Person.Gender == "Feminine" && has(c.Person.Citizenship, "CD")
			}},
			{"years 2011-2019, FollowUp", domain.CaseFilter{YearFrom: 2011, YearTo: 2019, Status: "FollowUp"}, func(c *domain.Case) bool {
				return inYears(c, 2011, 2019) && c.Status == "FollowUp"
			}},
			// Years a number or a reg_key cannot hold (four digits): the plain
			// walk, not ranges, and no reg_key range (year_to=99999 listed
			// nothing under a total of 67).
			{"agency OLD, years 2015-99999", domain.CaseFilter{Agency: "OLD", YearFrom: 2015, YearTo: 99999}, func(c *domain.Case) bool { return c.Agency == "OLD" && inYears(c, 2015, 0) }},
			{"years 5-2011", domain.CaseFilter{YearFrom: 5, YearTo: 2011}, func(c *domain.Case) bool { return inYears(c, 0, 2011) }},
			{"registered from a date", domain.CaseFilter{RegisteredFrom: domain.NewDate(2016, 3, 1)}, func(c *domain.Case) bool {
				return !c.RegistrationDate.IsZero() && !c.RegistrationDate.Before(domain.NewDate(2016, 3, 1))
			}},
			{"unknown agency", domain.CaseFilter{Agency: "ZZZ"}, func(*domain.Case) bool { return false }},
			// Walks whose domain is one filter's index (creation sorts on
			// SQLite): an equality filter's (col, id), a link table's
			// (value, case_id), with rare values and other filters tested
			// on the way.
			{"status FollowUp (rare)", domain.CaseFilter{Status: "FollowUp"}, func(c *domain.Case) bool { return c.Status == "FollowUp" }},
			{"FollowUp, UA", domain.CaseFilter{Status: "FollowUp", Citizenship: "UA"}, func(c *domain.Case) bool {
				return c.Status == "FollowUp" && has(c.Person.Citizenship, "UA")
			}},
			{"feminine", domain.CaseFilter{Gender: "Feminine"}, func(c *domain.Case) bool { return c.Person.Gender == "Feminine" }},
			{"agency NEW, feminine", domain.CaseFilter{Agency: "NEW", Gender: "Feminine"}, func(c *domain.Case) bool {
				return c.Agency == "NEW" && c.Person.Gender == "Feminine"
			}},
			{"masculine, US", domain.CaseFilter{Gender: "Masculine", ExploitationCountry: "US"}, func(c *domain.Case) bool {
				return c.Person.Gender == "Masculine" && slices.Contains(c.ExploitationCountries(), "US")
			}},
			{"UA, US, feminine", domain.CaseFilter{Citizenship: "UA", ExploitationCountry: "US", Gender: "Feminine"}, func(c *domain.Case) bool {
				return has(c.Person.Citizenship, "UA") && slices.Contains(c.ExploitationCountries(), "US") && c.Person.Gender == "Feminine"
			}},
			{"PH, forced labour", domain.CaseFilter{Citizenship: "PH", Exploitation: "ForcedLabour"}, func(c *domain.Case) bool {
				return has(c.Person.Citizenship, "PH") && has(c.Victim.TypeOfExploitation, "ForcedLabour")
			}},
			{"sexual exploitation, years 2011-", domain.CaseFilter{Exploitation: "SexualExploitation", YearFrom: 2011}, func(c *domain.Case) bool {
				return has(c.Victim.TypeOfExploitation, "SexualExploitation") && inYears(c, 2011, 0)
			}},
			{"updated before the edits", domain.CaseFilter{UpdatedTo: time.Date(2026, 1, 1, 9, 0, 30, 0, time.UTC)}, func(c *domain.Case) bool {
				return c.UpdatedAt.Before(time.Date(2026, 1, 1, 9, 0, 30, 0, time.UTC))
			}},
		}
		// On PostgreSQL a common country (US) is tested on the row's own
		// list, a rare one (BJ) through the link table; the pages below
		// check both give every match.
		if db.Dialect() == "postgres" {
			for country, want := range map[string]string{"US": "LIKE", "BJ": "case_exploitation_countries"} {
				qs, err := db.ListQueries(ctx, domain.CaseFilter{ExploitationCountry: country, Sort: "number", Limit: 7})
				if err != nil {
					t.Fatal(err)
				}
				for _, q := range qs {
					if q.Name == "page" && !strings.Contains(q.SQL, want) {
						t.Fatalf("country %s: the page does not test it with %s: %s", country, want, q.SQL)
					}
				}
			}
		}
		for _, bound := range []int{5000, 3} {
			sqlstore.SetWalkBound(db, bound)
			for _, tt := range tests {
				for _, sort := range domain.CaseSorts {
					t.Run(fmt.Sprintf("%s/%s/bound%d", tt.name, sort, bound), func(t *testing.T) {
						var want []*domain.Case
						for _, c := range all {
							if tt.keep(c) {
								want = append(want, c)
							}
						}
						slices.SortFunc(want, func(a, b *domain.Case) int {
							c := strings.Compare(sortKey(sort, a), sortKey(sort, b))
							if c == 0 {
								c = strings.Compare(a.ID, b.ID)
							}
							if sort[0] == '-' {
								c = -c
							}
							return c
						})
						f := tt.filter
						f.Sort, f.Limit = sort, 7
						var got []string
						for page := 0; page < 100; page++ {
							p, err := db.FindCases(ctx, f)
							if err != nil {
								t.Fatal(err)
							}
							if p.Total != int64(len(want)) {
								t.Fatalf("total %d, want %d", p.Total, len(want))
							}
							if len(p.Items) > f.Limit || (p.NextCursor != "" && len(p.Items) != f.Limit) {
								t.Fatalf("page %d: %d items, next cursor %q", page, len(p.Items), p.NextCursor)
							}
							for _, it := range p.Items {
								got = append(got, it.Number)
							}
							if p.NextCursor == "" {
								break
							}
							f.Cursor = p.NextCursor
						}
						var wantNumbers []string
						for _, c := range want {
							wantNumbers = append(wantNumbers, c.Number)
						}
						if !slices.Equal(got, wantNumbers) {
							t.Fatalf("pages give\n%v\nwant\n%v", got, wantNumbers)
						}
					})
				}
			}
		}
	})
}
