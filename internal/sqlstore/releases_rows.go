// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// releaseRowsQuery reads the victims of a period (from, to, the status
// of non-victims).
const releaseRowsQuery = `SELECT reg_year, gender, age_group, age_band, citizenship, exploitation_country, exploitation, province
	FROM cases WHERE reg_year >= ? AND reg_year <= ? AND trafficking_status <> ?`

// ReleaseRows calls fn with the row of every victim registered from..to
// (domain.ReleaseColumns), in one snapshot. It reads only plain columns,
// all in the annual report's covering index (cases_report_idx), so the
// scan never touches a sealed column. fn must not keep row.
func (db *DB) ReleaseRows(ctx context.Context, from, to int, fn func(row []string) error) error {
	return db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, releaseRowsQuery, from, to, "NotAVictimOfTrafficking")
		if err != nil {
			return classify(err, "reading cases for a release")
		}
		defer rows.Close()
		var (
			c   domain.CaseStats
			row []string
		)
		for rows.Next() {
			if err := rows.Scan(&c.Year, &c.Gender, &c.AgeGroup, &c.AgeBand, &c.Citizenship, &c.Country, &c.Exploitation, &c.Province); err != nil {
				return classify(err, "reading cases for a release")
			}
			row = domain.ReleaseRow(c, row)
			if err := fn(row); err != nil {
				return err
			}
		}
		return classify(rows.Err(), "reading cases for a release")
	})
}
