// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"maps"

	"vigie/internal/domain"
)

// All is the row or column key of a total in a drill-down.
const All = "*"

// CellFilter is the filter of the cases behind one figure of a victims'
// table: the report's base filter and the cell's row and column (All for
// a total). It refuses a table that does not drill down and keys the
// table cannot have, so a URL cannot ask for an arbitrary filter.
func CellFilter(p Period, agency, table, row, col string) (domain.StatsFilter, error) {
	f := BaseFilter(p, agency)
	if err := p.Validate(); err != nil {
		return f, err
	}
	var def *tableDef
	for i := range victimTables {
		if victimTables[i].id == table {
			def = &victimTables[i]
		}
	}
	var probs domain.Problems
	switch {
	case def == nil:
		probs.Add("table", "validation.enum", "%q is not a table that drills down to cases", truncate(table))
	default:
		if row != All && !def.row.valid(row) {
			probs.Add("row", "validation.enum", "%q is not a row of %s", truncate(row), table)
		}
		if col != All && !def.col.valid(col) {
			probs.Add("col", "validation.enum", "%q is not a column of %s", truncate(col), table)
		}
	}
	if err := probs.Err(); err != nil {
		return f, err
	}
	c := cond{}
	if row != All {
		c = c.and(def.row.cond(row))
	}
	if col != All {
		c = c.and(def.col.cond(col))
	}
	if len(c.in) > 0 {
		f.In = maps.Clone(c.in)
	}
	if len(c.not) > 0 {
		f.Not = maps.Clone(c.not)
	}
	return f, nil
}

func truncate(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
