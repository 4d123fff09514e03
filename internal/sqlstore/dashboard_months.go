// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"slices"
	"strings"

	"vigie/internal/domain"
)

// MonthCounts counts the cases f selects by month of registration
// (byMonth) and by month and form of exploitation (byForm): the
// dashboard's time series and the trend of each form. The shared cube
// (CaseCube) holds months only at the finest grain (a row per day of
// registration and every other column); this query groups by the two
// columns wanted, so that its answer is a few hundred rows. In byForm a
// case of several forms counts under each, a case with none under "";
// a case registered with a year only is under month "". Rows are sorted
// by their values.
func (db *DB) MonthCounts(ctx context.Context, f domain.StatsFilter) (byMonth, byForm []domain.StatsRow, err error) {
	if err := f.Validate(); err != nil {
		return nil, nil, err
	}
	err = db.read(ctx, func(t *tx) error {
		codes, err := agencyCodes(ctx, t)
		if err != nil {
			return err
		}
		if f.Agency != "" && !slices.Contains(mapValues(codes), f.Agency) {
			byMonth, byForm = []domain.StatsRow{}, []domain.StatsRow{}
			return nil
		}
		spans, err := t.spansIn(ctx, &f)
		if err != nil {
			return err
		}
		const month = "CASE WHEN length(c.reg_key) = 10 THEN substr(c.reg_key, 1, 7) ELSE '' END"
		var qs []string
		var args []any
		for _, arm := range statsArms(&f, invert(codes), spans) {
			qs = append(qs, "SELECT "+month+", c.exploitation, count(*) FROM cases c"+arm.where+" GROUP BY 1, 2")
			args = append(args, arm.args...)
		}
		rows, err := t.query(ctx, strings.Join(qs, " UNION ALL "), args...)
		if err != nil {
			return classify(err, "counting cases by month")
		}
		defer rows.Close()
		sums, months := map[[2]string]int64{}, map[[2]string]int64{}
		for rows.Next() {
			var m, forms string
			var n int64
			if err := rows.Scan(&m, &forms, &n); err != nil {
				return classify(err, "counting cases by month")
			}
			months[[2]string{m}] += n
			list := []string{""}
			if forms != "" {
				list = strings.Split(forms, ";")
			}
			for _, form := range list {
				sums[[2]string{m, form}] += n
			}
		}
		if err := rows.Err(); err != nil {
			return classify(err, "counting cases by month")
		}
		byMonth, byForm = sortedRows(months, 1), sortedRows(sums, 2)
		return nil
	})
	return byMonth, byForm, err
}

// sortedRows turns sums keyed by up to two values into rows of the first
// n values, sorted.
func sortedRows(sums map[[2]string]int64, n int) []domain.StatsRow {
	out := make([]domain.StatsRow, 0, len(sums))
	for k, v := range sums {
		out = append(out, domain.StatsRow{Values: slices.Clone(k[:n]), N: v})
	}
	slices.SortFunc(out, func(a, b domain.StatsRow) int {
		return strings.Compare(strings.Join(a.Values, "\x00"), strings.Join(b.Values, "\x00"))
	})
	return out
}
