// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// releaseRowsQuery counts the victims of a period (from, to, the status
// of non-victims) by the columns a release reads. The GROUP BY names the
// first eleven columns of cases_report_idx in the index's order, so both
// databases aggregate while they walk the index: SQLite without a
// temporary B-tree. status and agency_id are grouped on only to keep that
// order (a release never reads them); their groups are merged in Go by
// being handed on one after the other. A million cases are a few thousand
// groups: 0.3 s instead of 1.3 s to hand every row to Go one by one on
// SQLite (BENCHMARKS.md, issue 6).
const releaseRowsQuery = `SELECT reg_year, gender, age_group, age_band, citizenship, exploitation_country, exploitation, province, count(*)
	FROM cases WHERE reg_year >= ? AND reg_year <= ? AND trafficking_status <> ?
	GROUP BY reg_year, province, gender, age_group, age_band, trafficking_status, status, agency_id, exploitation_country, citizenship, exploitation`

// ReleaseRows calls fn with the row of every victim registered from..to
// (domain.ReleaseColumns), in one snapshot: once per victim, identical
// rows one after the other. It reads only plain columns, all in the
// annual report's covering index (cases_report_idx), so the scan never
// touches a sealed column. fn must not keep row.
func (db *DB) ReleaseRows(ctx context.Context, from, to int, fn func(row []string) error) error {
	return db.ReleaseRowCounts(ctx, from, to, func(row []string, n int) error {
		for range n {
			if err := fn(row); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReleaseRowCounts is ReleaseRows with identical rows handed on as they
// are counted: fn gets a row and how many victims have it (n ≥ 1); the
// same row may come more than once (another agency, case status or
// province). fn must not keep row.
func (db *DB) ReleaseRowCounts(ctx context.Context, from, to int, fn func(row []string, n int) error) error {
	return db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, releaseRowsQuery, from, to, "NotAVictimOfTrafficking")
		if err != nil {
			return classify(err, "reading cases for a release")
		}
		defer rows.Close()
		var (
			c   domain.CaseStats
			n   int
			row []string
		)
		for rows.Next() {
			if err := rows.Scan(&c.Year, &c.Gender, &c.AgeGroup, &c.AgeBand, &c.Citizenship, &c.Country, &c.Exploitation, &c.Province, &n); err != nil {
				return classify(err, "reading cases for a release")
			}
			row = domain.ReleaseRow(c, row)
			if err := fn(row, n); err != nil {
				return err
			}
		}
		return classify(rows.Err(), "reading cases for a release")
	})
}
