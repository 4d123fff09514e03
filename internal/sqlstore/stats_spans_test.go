// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestStatisticsIncludeSpansInside: the statistics of a period count a
// case imported with a span of registration years (CTDC's "2014-2018")
// when its span lies inside the period, as the lists do — the annual
// report of 2014–2018 of the victim–perpetrator file counted none of its
// 6,274 such cases. Every path agrees: the report cube, the grouping of
// the cases (months, listed values), the count and the list behind a
// figure, and the dashboard's months. A breakdown by year keeps them
// under the unknown year; a period with only its last year leaves out the
// cases of unknown year.
func TestStatisticsIncludeSpansInside(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		keys := 0
		mk := func(date domain.Date, year int, period string) *domain.Case {
			c := NewCase("KIN")
			c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = date, year, period
			c.Person.Birthdate = domain.Date{}
			if date.IsZero() {
				keys++
				c.SourceKey = "spans.csv:" + strings.Repeat("x", keys) // imported: may lack a year
			}
			return MustCreateCase(t, db, c)
		}
		dated := mk(domain.NewDate(2015, 6, 1), 0, "").Number
		yearOnly := mk(domain.Date{}, 2016, "").Number
		span1418 := mk(domain.Date{}, 0, "2014-2018")
		span1216 := mk(domain.Date{}, 0, "2012-2016").Number
		y2020 := mk(domain.Date{}, 2020, "").Number
		mk(domain.Date{}, 0, "") // no year at all: in no period
		n1418 := span1418.Number

		check := func(t *testing.T, from, to int, want []string) {
			t.Helper()
			want = slices.Sorted(slices.Values(want))
			f := domain.StatsFilter{YearFrom: from, YearTo: to}
			sum := func(rows []domain.CubeRow) (n int64) {
				for _, r := range rows {
					n += r.N
				}
				return n
			}
			fromCube, err := db.CaseCube(ctx, f, false)
			if err != nil || sum(fromCube) != int64(len(want)) {
				t.Fatalf("%d–%d: the report cube counts %d (%v), want %d", from, to, sum(fromCube), err, len(want))
			}
			withMonths, err := db.CaseCube(ctx, f, true)
			if err != nil || sum(withMonths) != int64(len(want)) {
				t.Fatalf("%d–%d: the cases grouped with months count %d (%v), want %d", from, to, sum(withMonths), err, len(want))
			}
			fromCases, err := db.CubeFromCases(ctx, f)
			if err != nil || sum(fromCases) != int64(len(want)) {
				t.Fatalf("%d–%d: the cases grouped count %d (%v), want %d", from, to, sum(fromCases), err, len(want))
			}
			byMonth, _, err := db.MonthCounts(ctx, f)
			var months int64
			for _, r := range byMonth {
				months += r.N
			}
			if err != nil || months != int64(len(want)) {
				t.Fatalf("%d–%d: the dashboard's months count %d (%v), want %d", from, to, months, err, len(want))
			}
			// The list behind a figure, with a listed value (the cases'
			// path) and without, a page of one at a time.
			for _, in := range []map[domain.StatsDim][]string{nil, {domain.StatsGender: {"Feminine"}}} {
				g := f
				g.In = in
				var got []string
				cur := ""
				for range 10 {
					page, err := db.StatsCases(ctx, g, cur, 1)
					if err != nil || page.Total != int64(len(want)) {
						t.Fatalf("%d–%d %v: the figure's list totals %v (%v), want %d", from, to, in, page, err, len(want))
					}
					for _, s := range page.Items {
						got = append(got, s.Number)
					}
					if cur = page.NextCursor; cur == "" {
						break
					}
				}
				if slices.Sort(got); !slices.Equal(got, want) {
					t.Fatalf("%d–%d %v: the figure lists %v, want %v", from, to, in, got, want)
				}
			}
			// By year, a span is under the unknown year ("").
			for _, r := range fromCube {
				if r.Year >= 10000 {
					t.Fatalf("%d–%d: a cube row of year %d", from, to, r.Year)
				}
			}
		}
		cases := []struct {
			from, to int
			want     []string
		}{
			{2014, 2018, []string{dated, yearOnly, n1418}},
			{2012, 2018, []string{dated, yearOnly, n1418, span1216}},
			{2015, 2016, []string{dated, yearOnly}},
			{2014, 0, []string{dated, yearOnly, n1418, y2020}},
			{0, 2016, []string{dated, yearOnly, span1216}},
			{2012, 2016, []string{dated, yearOnly, span1216}},
			{2019, 2021, []string{y2020}},
			{2017, 2019, nil},
			{domain.MinRegistrationYear, 9999, []string{dated, yearOnly, n1418, span1216, y2020}},
		}
		for _, tt := range cases {
			check(t, tt.from, tt.to, tt.want)
		}

		// A span given a year moves in the cube like any change.
		span1418.RegistrationPeriod, span1418.RegistrationYear = "", 2017
		if err := db.UpdateCase(ctx, span1418); err != nil {
			t.Fatal(err)
		}
		check(t, 2017, 2017, []string{n1418})
		check(t, 2012, 2018, []string{dated, yearOnly, n1418, span1216})
		live, err := sqlstore.ReportCubeYearsForTest(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]int64{0: 1, 2015: 1, 2016: 1, 2017: 1, 2020: 1, 20122016: 1}
		if !maps.Equal(live, want) {
			t.Fatalf("report_cube by reg_year: %v, want %v", live, want)
		}
		if err := db.RebuildReportCube(ctx); err != nil {
			t.Fatal(err)
		}
		if rebuilt, err := sqlstore.ReportCubeYearsForTest(ctx, db); err != nil || !maps.Equal(rebuilt, want) {
			t.Fatalf("report_cube rebuilt from the cases: %v (%v), want %v", rebuilt, err, want)
		}

		// Migration 0024 recounts a cube kept before it, which counted
		// the spans under 0.
		old := `INSERT INTO report_cube (reg_year, province, gender, age_group, age_band, trafficking_status, status,
			agency_id, exploitation_country, citizenship, exploitation, services, repatriated, n)
			SELECT COALESCE(reg_year, 0), province, gender, age_group, age_band, trafficking_status, status, agency_id,
				exploitation_country, citizenship, exploitation, services, repatriated, count(*)
			FROM cases GROUP BY COALESCE(reg_year, 0), province, gender, age_group, age_band, trafficking_status, status,
				agency_id, exploitation_country, citizenship, exploitation, services, repatriated`
		for _, q := range []string{"DELETE FROM report_cube", old} {
			if err := sqlstore.ExecForTest(db, q); err != nil {
				t.Fatal(err)
			}
		}
		if before, _ := sqlstore.ReportCubeYearsForTest(ctx, db); before[0] != 2 {
			t.Fatalf("the cube before migration 0024: %v", before)
		}
		dir := "sqlite"
		if db.Dialect() == "postgres" {
			dir = "postgres"
		}
		src, err := os.ReadFile("migrations/" + dir + "/0024_report_cube_spans.sql")
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range strings.Split(string(src), ";\n") {
			if strings.TrimSpace(stripComments(q)) == "" {
				continue
			}
			if err := sqlstore.ExecForTest(db, q); err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
		}
		if migrated, err := sqlstore.ReportCubeYearsForTest(ctx, db); err != nil || !maps.Equal(migrated, want) {
			t.Fatalf("report_cube after migration 0024: %v (%v), want %v", migrated, err, want)
		}
	})
}

func stripComments(q string) string {
	var b strings.Builder
	for line := range strings.Lines(q) {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
		}
	}
	return b.String()
}
