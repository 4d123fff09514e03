// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// seedVaried creates n cases whose attributes cycle, and returns them.
func seedVaried(t *testing.T, db *sqlstore.DB, n int) []*domain.Case {
	t.Helper()
	genders := []string{"Feminine", "Masculine", "NonSpecifiedUnknown"}
	types := [][]string{{"ForcedLabour"}, {"SexualExploitation"}, {"ForcedLabour", "SexualExploitation"}, nil}
	cits := [][]string{{"CD"}, {"RW", "CD"}, {"AO"}, nil}
	statuses := []string{"Active", "FollowUp", "Closed"}
	var out []*domain.Case
	batch := make([]*domain.Case, 0, n)
	for i := range n {
		c := NewCase([]string{"KIN", "GOM"}[i%2])
		c.Status = statuses[i%3]
		c.Person.Gender = genders[i%3]
		c.Victim.TypeOfExploitation = types[i%4]
		c.Person.Citizenship = cits[(i/2)%4]
		c.RegistrationDate = domain.NewDate(2019+i%7, time.Month(1+i%12), 1+i%28)
		c.Person.Birthdate = domain.NewDate(1990+i%30, 1, 1)
		c.Events[0].Country = []string{"CD", "ZM", "UG"}[i%3]
		c.SourceKey = fmt.Sprintf("seed:%d", i)
		batch = append(batch, c)
		out = append(out, c)
	}
	if _, err := db.ImportCases(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFindCasesFiltersAndCounts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		all := seedVaried(t, db, 120)
		count := func(keep func(*domain.Case) bool) int64 {
			n := int64(0)
			for _, c := range all {
				if keep(c) {
					n++
				}
			}
			return n
		}
		has := func(xs []string, v string) bool {
			for _, x := range xs {
				if x == v {
					return true
				}
			}
			return false
		}
		tests := []struct {
			name   string
			filter domain.CaseFilter
			keep   func(*domain.Case) bool
		}{
			{"all", domain.CaseFilter{}, func(*domain.Case) bool { return true }},
			{"agency", domain.CaseFilter{Agency: "GOM"}, func(c *domain.Case) bool { return c.Agency == "GOM" }},
			{"unknown agency", domain.CaseFilter{Agency: "ZZZ"}, func(c *domain.Case) bool { return false }},
			{"status", domain.CaseFilter{Status: "Closed"}, func(c *domain.Case) bool { return c.Status == "Closed" }},
			{"gender", domain.CaseFilter{Gender: "Masculine"}, func(c *domain.Case) bool { return c.Person.Gender == "Masculine" }},
			{"age group", domain.CaseFilter{AgeGroup: "Child"}, func(c *domain.Case) bool { return c.AgeGroup() == "Child" }},
			{"exploitation", domain.CaseFilter{Exploitation: "SexualExploitation"}, func(c *domain.Case) bool { return has(c.Victim.TypeOfExploitation, "SexualExploitation") }},
			{"citizenship", domain.CaseFilter{Citizenship: "CD"}, func(c *domain.Case) bool { return has(c.Person.Citizenship, "CD") }},
			{"country of exploitation", domain.CaseFilter{ExploitationCountry: "ZM"}, func(c *domain.Case) bool { return slices.Contains(c.ExploitationCountries(), "ZM") }},
			{"years", domain.CaseFilter{YearFrom: 2021, YearTo: 2022}, func(c *domain.Case) bool { return c.RegistrationYear >= 2021 && c.RegistrationYear <= 2022 }},
			{"dates", domain.CaseFilter{RegisteredFrom: domain.NewDate(2021, 6, 1), RegisteredTo: domain.NewDate(2024, 2, 1)}, func(c *domain.Case) bool {
				return !c.RegistrationDate.Before(domain.NewDate(2021, 6, 1)) && !c.RegistrationDate.After(domain.NewDate(2024, 2, 1))
			}},
			{"combined", domain.CaseFilter{Agency: "KIN", Gender: "Feminine", Citizenship: "CD", Exploitation: "ForcedLabour"}, func(c *domain.Case) bool {
				return c.Agency == "KIN" && c.Person.Gender == "Feminine" && has(c.Person.Citizenship, "CD") && has(c.Victim.TypeOfExploitation, "ForcedLabour")
			}},
		}
		for _, bound := range []int{5000, 3} {
			// With a bound of 3 rows, walks are cut short and pages fall back
			// to collecting and sorting the matches.
			sqlstore.SetWalkBound(db, bound)
			for _, tt := range tests {
				t.Run(fmt.Sprintf("%s/bound%d", tt.name, bound), func(t *testing.T) {
					want := count(tt.keep)
					for _, sort := range domain.CaseSorts {
						f := tt.filter
						f.Sort, f.Limit = sort, 7
						seen := map[string]bool{}
						var prev *domain.CaseSummary
						for page := 0; ; page++ {
							p, err := db.FindCases(ctx, f)
							if err != nil {
								t.Fatalf("sort %s: %v", sort, err)
							}
							if p.Total != want {
								t.Fatalf("sort %s: total %d, want %d", sort, p.Total, want)
							}
							for i := range p.Items {
								it := &p.Items[i]
								if seen[it.ID] {
									t.Fatalf("sort %s: %s listed twice", sort, it.Number)
								}
								seen[it.ID] = true
								if prev != nil && !ordered(sort, prev, it) {
									t.Fatalf("sort %s: %s before %s", sort, prev.Number, it.Number)
								}
								prev = it
							}
							if p.NextCursor == "" {
								break
							}
							f.Cursor = p.NextCursor
						}
						if int64(len(seen)) != want {
							t.Fatalf("sort %s: paged through %d cases, want %d", sort, len(seen), want)
						}
					}
				})
			}
		}
		t.Run("ErrInvalidFilter", func(t *testing.T) {
			for _, f := range []domain.CaseFilter{{Gender: "female"}, {Sort: "name"}, {Limit: 10000}, {Citizenship: "XXX"}, {Cursor: "garbage"}, {YearFrom: 2025, YearTo: 2020}} {
				_, err := db.FindCases(ctx, f)
				wantKind(t, err, domain.KindInvalid)
			}
		})
		t.Run("ErrCursorOfOtherSort", func(t *testing.T) {
			p, _ := db.FindCases(ctx, domain.CaseFilter{Limit: 2, Sort: "number"})
			_, err := db.FindCases(ctx, domain.CaseFilter{Limit: 2, Sort: "-updated", Cursor: p.NextCursor})
			wantKind(t, err, domain.KindInvalid)
		})
	})
}

// ordered reports whether a may come before b in the sort.
func ordered(sort string, a, b *domain.CaseSummary) bool {
	var c int
	switch sort {
	case "created", "-created":
		c = cmp(a.ID, b.ID)
	case "updated", "-updated":
		c = a.UpdatedAt.Compare(b.UpdatedAt)
		if c == 0 {
			c = cmp(a.ID, b.ID)
		}
	case "registered", "-registered":
		c = cmp(a.RegistrationDate.String(), b.RegistrationDate.String())
		if c == 0 {
			c = cmp(a.ID, b.ID)
		}
	case "number", "-number":
		c = cmp(a.Number, b.Number)
	}
	if sort[0] == '-' {
		return c > 0
	}
	return c < 0
}

func cmp(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestImportIsIdempotent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "CTDC")
		mk := func(n int) []*domain.Case {
			var out []*domain.Case
			for i := range n {
				c := NewCase("CTDC")
				c.RegistrationDate = domain.Date{}
				c.RegistrationYear = 2016
				c.SourceKey = fmt.Sprintf("file.csv:%d", i)
				out = append(out, c)
			}
			return out
		}
		res, err := db.ImportCases(ctx, mk(10))
		if err != nil || res.Created != 10 || res.Skipped != 0 {
			t.Fatalf("first import %+v %v", res, err)
		}
		// The same rows again, plus two more and one repeated in the batch.
		again := mk(12)
		again = append(again, mk(1)...)
		res, err = db.ImportCases(ctx, again)
		if err != nil || res.Created != 2 || res.Skipped != 11 {
			t.Fatalf("second import %+v %v", res, err)
		}
		p, _ := db.FindCases(ctx, domain.CaseFilter{Sort: "-number", Limit: 1})
		if p.Total != 12 || p.Items[0].Number != "CTDC-2016-000012" {
			t.Fatalf("after re-import: total %d, last number %s", p.Total, p.Items[0].Number)
		}
		t.Run("ErrInvalidRollsBackBatch", func(t *testing.T) {
			batch := mk(14)
			batch[13].Person.Gender = "Robot"
			_, err := db.ImportCases(ctx, batch)
			wantKind(t, err, domain.KindInvalid)
			p, _ := db.FindCases(ctx, domain.CaseFilter{})
			if p.Total != 12 {
				t.Fatalf("a failed batch left %d cases", p.Total)
			}
		})
		t.Run("Export", func(t *testing.T) {
			n := 0
			err := db.ExportCases(ctx, domain.CaseFilter{}, func(c *domain.Case) error {
				n++
				if len(c.Events) != 1 {
					return fmt.Errorf("case %s exported with %d events", c.Number, len(c.Events))
				}
				return nil
			})
			if err != nil || n != 12 {
				t.Fatalf("exported %d, %v", n, err)
			}
		})
	})
}

func TestListQueriesAreTheOnesRun(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		seedVaried(t, db, 30)
		f := domain.CaseFilter{Gender: "Feminine", Exploitation: "ForcedLabour", Sort: "number"}
		qs, err := db.ListQueries(ctx, f)
		if err != nil || len(qs) != 3 || qs[0].Name != "count" || qs[1].Name != "page" || qs[2].Name != "collect" {
			t.Fatalf("%+v %v", qs, err)
		}
		if !strings.Contains(qs[0].SQL, "case_counts") || !strings.Contains(qs[1].SQL, "ORDER BY c.number") || !strings.Contains(qs[2].SQL, "ORDER BY c.number") {
			t.Fatalf("unexpected SQL %+v", qs)
		}
	})
}

// TestNumberArmsReadTheirIndexes checks the statements of a year range
// sorted by number: one range of the number index per agency, in the
// sort's order, and the arm of the cases whose number carries another
// year, which must read the partial index cases_number_moved_idx — the
// planner uses it only when the query repeats its condition exactly, so a
// change of either text would silently make that arm walk every number.
func TestNumberArmsReadTheirIndexes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		seedVaried(t, db, 200)
		// Statistics, as after an import: PostgreSQL then knows the
		// partial index is (here) empty.
		if err := db.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		// A page of 5 of 86 matches: SQLite walks (else it collects the
		// matches through the year's index, without ranges).
		f := domain.CaseFilter{YearFrom: 2020, YearTo: 2022, Sort: "-number", Limit: 5}
		qs, err := db.ListQueries(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var pages []sqlstore.ListQuery
		for _, q := range qs {
			if q.Name == "page" {
				pages = append(pages, q)
			}
		}
		if len(pages) != 4 {
			t.Fatalf("%d page statements, want a range per agency, the moved cases and the spans of years: %+v", len(pages), qs)
		}
		// The cases registered with a span of years inside the range are
		// counted and listed through cases_period_idx, which holds the
		// cases without a year only (the same exact-condition rule).
		for _, q := range []sqlstore.ListQuery{qs[len(qs)-3], qs[len(qs)-2]} {
			plan, err := sqlstore.ExplainForTest(db, q)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(q.SQL, "reg_key LIKE") || !strings.Contains(plan, "cases_period_idx") {
				t.Fatalf("the spans' %s statement does not read cases_period_idx:\n%s\n%s", q.Name, q.SQL, plan)
			}
		}
		for i, lo := range []string{"KIN-2020-", "GOM-2020-"} {
			if !slices.Contains(pages[i].Args, any(lo)) {
				t.Errorf("statement %d does not read from %s: %v", i, lo, pages[i].Args)
			}
		}
		plan, err := sqlstore.ExplainForTest(db, pages[2])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "cases_number_moved_idx") {
			t.Fatalf("the moved cases' statement does not read cases_number_moved_idx:\n%s\n%s", pages[2].SQL, plan)
		}
	})
}
