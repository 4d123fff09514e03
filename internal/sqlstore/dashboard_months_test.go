// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestMonthCounts: the dashboard's counts by month and form agree with
// the shared stats query's, filters included, on both databases.
func TestMonthCounts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		seedStats(t, db, 240)
		for _, f := range []domain.StatsFilter{
			{}, {Victims: true}, {Agency: "GOM", YearFrom: 2021}, {Province: "CD-NK", YearTo: 2022},
			{In: map[domain.StatsDim][]string{domain.StatsMonth: {"2021-03", "2021-04", "2022-11"}}}, {Agency: "NOPE"},
		} {
			byMonth, byForm, err := db.MonthCounts(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				got []domain.StatsRow
				by  []domain.StatsDim
			}{{byMonth, []domain.StatsDim{domain.StatsMonth}}, {byForm, []domain.StatsDim{domain.StatsMonth, domain.StatsExploitation}}} {
				want, err := db.CaseCounts(ctx, domain.StatsQuery{By: c.by, Filter: f})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.EqualFunc(c.got, want, func(a, b domain.StatsRow) bool { return slices.Equal(a.Values, b.Values) && a.N == b.N }) {
					t.Errorf("%+v by %v:\n got %v\nwant %v", f, c.by, c.got, want)
				}
				if f.Agency == "" && len(c.got) == 0 {
					t.Errorf("%+v: no row", f)
				}
			}
		}
		if _, _, err := db.MonthCounts(ctx, domain.StatsFilter{Province: "CD-XX"}); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("an invalid filter: %v", err)
		}
	})
}
