// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// CubeFromCases groups the cases themselves, for tests that check the
// report cube against them.
func (db *DB) CubeFromCases(ctx context.Context, f domain.StatsFilter) ([]domain.CubeRow, error) {
	var out []domain.CubeRow
	err := db.read(ctx, func(t *tx) error {
		codes, err := agencyCodes(ctx, t)
		if err != nil {
			return err
		}
		out, err = t.cubeFromCases(ctx, &f, false, codes)
		return err
	})
	return out, err
}

// ReportCubeYearsForTest is report_cube's number of cases per reg_year as
// stored (a span of years under its code, 20142018), rows of n 0 left out.
func ReportCubeYearsForTest(ctx context.Context, db *DB) (map[int]int64, error) {
	out := map[int]int64{}
	rows, err := db.w.QueryContext(ctx, `SELECT reg_year, n FROM report_cube WHERE n <> 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var y int
		var n int64
		if err := rows.Scan(&y, &n); err != nil {
			return nil, err
		}
		out[y] += n
	}
	return out, rows.Err()
}
