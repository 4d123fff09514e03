// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"vigie/internal/domain"
)

// A case imported with a span of registration years (vig_RegistrationPeriod,
// CTDC's "2014-2018") has no year: reg_year is NULL and reg_key holds the
// span. A list filtered by years includes the spans that lie inside them
// (2014-2018 is in 2014 to 2018 and in 2010 to 2020, not in 2015 to 2020):
// what can be said of them for sure. The other terms of the list read
// reg_year, which such cases lack, so their matches are found by one more
// statement (the period arm, through cases_period_idx) whose count is
// added to the total and whose rows are merged into the page in the sort
// order. The statistics, which count per year, count them under an
// unknown year.

// periodCond is the condition "registered with a span inside the filter's
// years", or ok=false when the filter has no years or no span can match.
func periodCond(f *domain.CaseFilter) (cond string, args []any, ok bool) {
	return spanCond(f.YearFrom, f.YearTo)
}

// withoutYears is f without its years, whose terms periodCond replaces.
func withoutYears(f *domain.CaseFilter) *domain.CaseFilter {
	g := *f
	g.YearFrom, g.YearTo = 0, 0
	return &g
}

// andWhere adds cond to a WHERE clause that may be empty.
func andWhere(where, cond string) string {
	if where == "" {
		return " WHERE " + cond
	}
	return where + " AND " + cond
}

// periodQueries returns the count and the page of the cases registered
// with a span inside f's years, or ok=false.
func periodQueries(t *tx, f *domain.CaseFilter, aid string, spec sortSpec, cur *cursor) (count, page ListQuery, ok bool) {
	cond, cargs, ok := periodCond(f)
	if !ok {
		return count, page, false
	}
	where, args := filterTerms(t, withoutYears(f), aid, false, false, false, nil)
	where, args = andWhere(where, cond), append(args, cargs...)
	count = ListQuery{"count", `SELECT count(*) FROM cases c` + where, args}
	var s scope
	if c, a := cursorClause(spec, cur); c != "" {
		s.add(c, a...)
	}
	q, qargs := pageQuery(where, args, spec, s, f.Limit+1)
	return count, ListQuery{"page", q, qargs}, true
}

// mergeSorted merges two pages in the sort's order — by key, then by id,
// ascending or, desc, descending; keys in their cursor text form, which
// orders as the database does (C collation, fixed-width times) — and
// keeps the first n rows.
func mergeSorted(a []domain.CaseSummary, ak []string, b []domain.CaseSummary, bk []string, desc bool, n int) ([]domain.CaseSummary, []string) {
	items, keys := make([]domain.CaseSummary, 0, n), make([]string, 0, n)
	less := func(i, j int) bool {
		if ak[i] != bk[j] {
			return (ak[i] < bk[j]) != desc
		}
		return (a[i].ID < b[j].ID) != desc
	}
	i, j := 0, 0
	for len(items) < n && (i < len(a) || j < len(b)) {
		if j >= len(b) || (i < len(a) && less(i, j)) {
			items, keys = append(items, a[i]), append(keys, ak[i])
			i++
		} else {
			items, keys = append(items, b[j]), append(keys, bk[j])
			j++
		}
	}
	return items, keys
}
