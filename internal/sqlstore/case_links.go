// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// caseLink is a link table that holds one of a case's multi-valued
// columns, one row per value, so that a list filtered by one value reads
// its index (value, case_id) instead of every case. The cases' own column
// holds the same values joined with ";", for display and the statistics.
type caseLink struct {
	table, column string
	values        func(*domain.Case) []string
}

var caseLinks = []caseLink{
	{"case_citizenships", "country", func(c *domain.Case) []string { return c.Person.Citizenship }},
	{"case_exploitation", "type", func(c *domain.Case) []string { return c.Victim.TypeOfExploitation }},
	{"case_exploitation_countries", "country", (*domain.Case).ExploitationCountries},
}

// insertLinks writes the link rows of new cases.
func (t *tx) insertLinks(ctx context.Context, cases []*domain.Case) error {
	for _, l := range caseLinks {
		var rows [][]any
		for _, c := range cases {
			for _, v := range l.values(c) {
				rows = append(rows, []any{c.ID, v})
			}
		}
		if err := t.insertRows(ctx, l.table, []string{"case_id", l.column}, rows); err != nil {
			return err
		}
	}
	return nil
}

// replaceLink rewrites one link table's rows of a case.
func (t *tx) replaceLink(ctx context.Context, l caseLink, c *domain.Case) error {
	if _, err := t.exec(ctx, `DELETE FROM `+l.table+` WHERE case_id = ?`, c.ID); err != nil {
		return classify(err, "updating "+l.table)
	}
	var rows [][]any
	for _, v := range l.values(c) {
		rows = append(rows, []any{c.ID, v})
	}
	return t.insertRows(ctx, l.table, []string{"case_id", l.column}, rows)
}

// replaceLinks rewrites every link row of a case.
func (t *tx) replaceLinks(ctx context.Context, c *domain.Case) error {
	for _, l := range caseLinks {
		if err := t.replaceLink(ctx, l, c); err != nil {
			return err
		}
	}
	return nil
}

// countriesLink is the link of the countries of exploitation, which
// change with the events (parts) rather than with the case's own fields.
var countriesLink = caseLinks[2]
