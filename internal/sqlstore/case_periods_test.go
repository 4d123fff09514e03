// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestYearFiltersIncludeSpansInside: a case imported with a span of
// registration years (CTDC's "2014-2018") is listed, counted and
// exported under the years when its span lies inside them — year filters
// left out all 6,274 such cases of the victim–perpetrator file — and under
// no range it overlaps only. Pages of one follow the cursor through the
// merge of the spans with the cases of known years, in every sort.
func TestYearFiltersIncludeSpansInside(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		mk := func(date domain.Date, year int, period string) string {
			c := NewCase("KIN")
			c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = date, year, period
			c.Person.Birthdate = domain.Date{}
			return MustCreateCase(t, db, c).Number
		}
		dated := mk(domain.NewDate(2015, 6, 1), 0, "")
		yearOnly := mk(domain.Date{}, 2016, "")
		span1418 := mk(domain.Date{}, 0, "2014-2018")
		span1216 := mk(domain.Date{}, 0, "2012-2016")
		y2020 := mk(domain.Date{}, 2020, "")
		for _, tt := range []struct {
			from, to int
			want     []string
		}{
			{2014, 2018, []string{dated, yearOnly, span1418}},
			{2012, 2018, []string{dated, yearOnly, span1418, span1216}},
			{2015, 2016, []string{dated, yearOnly}},
			{2014, 0, []string{dated, yearOnly, span1418, y2020}},
			{0, 2016, []string{dated, yearOnly, span1216}},
			{2012, 2016, []string{dated, yearOnly, span1216}},
			{2019, 2021, []string{y2020}},
			{2017, 2019, nil},
			{500, 99999, []string{dated, yearOnly, span1418, span1216, y2020}},
		} {
			want := slices.Sorted(slices.Values(tt.want))
			for _, sort := range domain.CaseSorts {
				f := domain.CaseFilter{YearFrom: tt.from, YearTo: tt.to, Sort: sort, Limit: 1}
				var got []string
				for range 10 {
					page, err := db.FindCases(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					if page.Total != int64(len(want)) {
						t.Fatalf("%d–%d %s: total %d, want %d", tt.from, tt.to, sort, page.Total, len(want))
					}
					for _, s := range page.Items {
						got = append(got, s.Number)
					}
					if f.Cursor = page.NextCursor; f.Cursor == "" {
						break
					}
				}
				if slices.Sort(got); !slices.Equal(got, want) {
					t.Fatalf("%d–%d %s: listed %v, want %v", tt.from, tt.to, sort, got, want)
				}
			}
			var exported []string
			err := db.ExportCases(ctx, domain.CaseFilter{YearFrom: tt.from, YearTo: tt.to}, func(c *domain.Case) error {
				exported = append(exported, c.Number)
				return nil
			})
			if slices.Sort(exported); err != nil || !slices.Equal(exported, want) {
				t.Fatalf("%d–%d: exported %v (%v), want %v", tt.from, tt.to, exported, err, want)
			}
		}
		// A list shows each case's span, which the case has instead of a
		// year (the column ANNÉE of vigie case list was empty).
		page, err := db.FindCases(ctx, domain.CaseFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		periods := map[string]string{}
		for _, s := range page.Items {
			periods[s.Number] = s.RegistrationPeriod
		}
		wantPeriods := map[string]string{dated: "", yearOnly: "", span1418: "2014-2018", span1216: "2012-2016", y2020: ""}
		if !maps.Equal(periods, wantPeriods) {
			t.Fatalf("periods listed: %v, want %v", periods, wantPeriods)
		}
	})
}
