// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"vigie/internal/domain"
)

// A list sorted by number with a year range reads ranges of the number
// index, one per agency, instead of walking the whole index: numbers are
// AGENCY-YEAR-SEQ, so the cases of agency A numbered in years Y1–Y2 are
// the range [A-Y1-, A-(Y2+1)-), and the ranges of two agencies never
// overlap and come in the order of their codes. Walking the whole index
// downwards passed every case numbered after the range (76,410 GEN-2017-…
// numbers for years 2014–2016) before the first match.
//
// The year in a number is the registration year the case had when it was
// numbered (or the year of creation when that was unknown); a correction
// of the registration date keeps the number. So the ranges miss the
// matches whose number carries another year. Those are in the partial
// index cases_number_moved_idx (migration 0021: the cases whose number's
// year is not their registration year, usually none), which the page
// reads as one more arm and merges in by number: the page is exactly the
// one of the plain plan, whatever was corrected.

// maxNumberArms is the most agencies whose ranges a page reads one after
// the other; with more, the page walks the number index as before.
const maxNumberArms = 200

// numberRange is a range of the number index: lo <= number < hi.
type numberRange struct{ lo, hi string }

// numberRanges returns the ranges of the agencies' numbers within the
// filter's years, in the sort's order.
func numberRanges(f *domain.CaseFilter, codes []string, desc bool) []numberRange {
	var out []numberRange
	for _, code := range codes {
		r := numberRange{code + "-", code + "."}
		if f.YearFrom != 0 {
			r.lo = fmt.Sprintf("%s-%04d-", code, f.YearFrom)
		}
		if f.YearTo != 0 {
			r.hi = fmt.Sprintf("%s-%04d-", code, f.YearTo+1)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b numberRange) int { return strings.Compare(a.lo, b.lo) })
	if desc {
		slices.Reverse(out)
	}
	return out
}

// rangeScope is the scope of one range after the cursor; ok is false
// when the cursor lies past the whole range. Only the tighter of the
// range's end and the cursor is written on the cursor's side, so that
// the index seeks to it.
func rangeScope(r numberRange, spec sortSpec, cur *cursor) (s scope, ok bool) {
	switch {
	case cur == nil:
		s.add("c.number >= ?", r.lo)
		s.add("c.number < ?", r.hi)
	case spec.desc:
		if cur.Key <= r.lo {
			return s, false
		}
		s.add("c.number >= ?", r.lo)
		s.add("c.number < ?", min(cur.Key, r.hi))
	default:
		if cur.Key >= r.hi {
			return s, false
		}
		if cur.Key >= r.lo {
			s.add("c.number > ?", cur.Key)
		} else {
			s.add("c.number >= ?", r.lo)
		}
		s.add("c.number < ?", r.hi)
	}
	return s, true
}

// numberYearSQL is the year field of c.number as text (four digits), and
// moved the condition of cases_number_moved_idx, written as the
// migration writes it.
func numberYearSQL(d dialect) string {
	if d == sqliteDialect {
		return "substr(c.number, instr(c.number, '-') + 1, 4)"
	}
	return "split_part(c.number, '-', 2)"
}

func movedCond(d dialect) string {
	if d == sqliteDialect {
		return "CAST(c.reg_year AS TEXT) <> " + numberYearSQL(d)
	}
	return "CAST(c.reg_year AS text) <> " + numberYearSQL(d)
}

// arm is one statement of a page: its query and the scope it walks (for
// the bound's check).
type arm struct {
	page  ListQuery
	scope scope
}

// useNumberArms reports whether a page sorted by number reads the
// agencies' ranges, and which codes they are: an agency's own (a list of
// one agency, with or without years), or every agency's when a year range
// narrows them. On SQLite only a page that walks (the collect plan reads
// the filters' indexes); on PostgreSQL, without an agency, only when the
// matches are dense enough for a walk (see shouldWalk), since each range
// is then planned alone and a rare filter would be read once per agency.
func useNumberArms(ctx context.Context, t *tx, f *domain.CaseFilter, spec sortSpec, walk bool, total int64) ([]string, error) {
	if spec.col != "c.number" || (t.d == sqliteDialect && !walk) {
		return nil, nil
	}
	// A number's year has four digits; the filter's years are not bounded
	// (year_to=99999 is a valid, empty, filter): others keep the walk.
	for _, y := range []int{f.YearFrom, f.YearTo} {
		if y != 0 && (y < 1000 || y > 9998) {
			return nil, nil
		}
	}
	if f.Agency != "" {
		return []string{f.Agency}, nil
	}
	if f.YearFrom == 0 && f.YearTo == 0 {
		return nil, nil
	}
	if t.d == postgresDialect {
		var all float64
		if err := t.queryRow(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'cases'::regclass`).Scan(&all); err != nil {
			return nil, classify(err, "sizing the list")
		}
		if float64(total)*float64(total) < float64(f.Limit+1)*all {
			return nil, nil
		}
	}
	rows, err := t.query(ctx, `SELECT code FROM agencies ORDER BY code LIMIT ?`, maxNumberArms+1)
	if err != nil {
		return nil, classify(err, "reading agencies")
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, classify(err, "reading agencies")
		}
		codes = append(codes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err, "reading agencies")
	}
	if len(codes) > maxNumberArms {
		return nil, nil
	}
	return codes, nil
}

// movedArm is the page of the matches whose number lies outside the
// ranges because it carries another year than their registration: read
// from cases_number_moved_idx in number order, after the cursor. On
// SQLite the filter terms are written as a walk's (unary "+", link
// tables probed by id) so that the planner reads that index.
func movedArm(t *tx, f *domain.CaseFilter, aid string, spec sortSpec, cur *cursor) ListQuery {
	where, wargs := filterTerms(t, f, aid, t.d == sqliteDialect, t.d == sqliteDialect, false, nil)
	var s scope
	s.add(movedCond(t.d))
	var out []string
	var args []any
	if f.YearFrom != 0 {
		out = append(out, numberYearSQL(t.d)+" < ?")
		args = append(args, fmt.Sprintf("%04d", f.YearFrom))
	}
	if f.YearTo != 0 {
		out = append(out, numberYearSQL(t.d)+" > ?")
		args = append(args, fmt.Sprintf("%04d", f.YearTo))
	}
	s.add("("+strings.Join(out, " OR ")+")", args...)
	if c, a := cursorClause(spec, cur); c != "" {
		s.add(c, a...)
	}
	q, qargs := pageQuery(where, wargs, spec, s, f.Limit+1)
	return ListQuery{"page", q, qargs}
}
