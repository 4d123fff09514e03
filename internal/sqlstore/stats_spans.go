// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"vigie/internal/domain"
)

// Statistics of a period include the cases registered with a span of years
// (CTDC's "2014-2018", vig_RegistrationPeriod) when the span lies inside
// the period, the rule of the lists (periodCond): the report of 2014 to
// 2018 of the victim–perpetrator file counted none of its 6,274 cases of
// "2014-2018". In a breakdown by year they stay under the unknown year.
//
// report_cube keeps such a case under reg_year from×10000+to (20142018):
// above every year, so a period's years and its spans are two ranges of
// the cube's key. The cases table keeps reg_year NULL and the span in
// reg_key.

// spanCode is report_cube's code of a reg_key that holds a span of years
// ("2014-2018" is 20142018), as it does when a case has neither a date nor
// a year (regKey), else 0.
func spanCode(k string) int {
	var from, to int
	if n, _ := fmt.Sscanf(k, "%4d-%4d", &from, &to); len(k) != 9 || n != 2 {
		return 0
	}
	return from*10000 + to
}

// spanFloor is the smallest span code of report_cube; every year is below.
const spanFloor = 10000

// cubeYearSQL is report_cube's reg_year of a row of cases (cubeYear in SQL).
const cubeYearSQL = `COALESCE(reg_year, CASE WHEN reg_key LIKE '____-____'
	THEN CAST(substr(reg_key, 1, 4) AS INTEGER) * 10000 + CAST(substr(reg_key, 6, 4) AS INTEGER) ELSE 0 END)`

// cubeYear is the reg_year under which report_cube counts c: its year, its
// span's code, or 0 when unknown.
func cubeYear(c *domain.Case) int {
	if c.RegistrationYear != 0 {
		return c.RegistrationYear
	}
	return spanCode(regKey(c))
}

// spanBounds are the codes of the spans inside the years [from, to] (0
// for no bound), and the largest last year a span may have (0: any).
func spanBounds(from, to int) (lo, hi, last int) {
	lo, hi = spanFloor, 99999999
	if from != 0 {
		lo = from * 10000
	}
	if to != 0 {
		hi, last = to*10000+to, to
	}
	return lo, hi, last
}

// cubeYearCond is the condition of report_cube's rows of the years [from,
// to]: the years (never 0, the unknown year) and the spans inside them.
func cubeYearCond(from, to int) (string, []any) {
	yearLo, yearHi := 1, spanFloor-1
	if from != 0 {
		yearLo = from
	}
	if to != 0 {
		yearHi = to
	}
	lo, hi, last := spanBounds(from, to)
	span := "reg_year BETWEEN ? AND ?"
	args := []any{yearLo, yearHi, lo, hi}
	if last != 0 {
		span += " AND reg_year % 10000 <= ?"
		args = append(args, last)
	}
	return "(reg_year BETWEEN ? AND ? OR " + span + ")", args
}

// spanCond is the condition on cases "registered with a span inside the
// years [from, to]" (0 for no bound), or ok=false when none can be. It is
// written so that SQLite may read cases_period_idx (migration 0023).
func spanCond(from, to int) (cond string, args []any, ok bool) {
	if from == 0 && to == 0 || from > 9999 || to != 0 && to < 1000 {
		return "", nil, false
	}
	conds := []string{"c.reg_year IS NULL", "c.reg_key LIKE '____-____'"}
	if from >= 1000 {
		conds, args = append(conds, "c.reg_key >= ?"), append(args, fmt.Sprintf("%04d", from))
	}
	if to != 0 && to < 9999 {
		conds = append(conds, "c.reg_key < ?", "substr(c.reg_key, 6, 4) <= ?")
		args = append(args, fmt.Sprintf("%04d", to+1), fmt.Sprintf("%04d", to))
	}
	return strings.Join(conds, " AND "), args, true
}

// statsYearCond is the condition on cases of a statistics filter's years:
// the cases of those years, and when spans is true those registered with
// a span inside them. spans is asked of the cube first (spansIn), so that
// a database without spans keeps the plain range on reg_year, which the
// report index walks in order.
func statsYearCond(f *domain.StatsFilter, spans bool) (string, []any) {
	var conds []string
	var args []any
	if f.YearFrom != 0 {
		conds, args = append(conds, "c.reg_year >= ?"), append(args, f.YearFrom)
	}
	if f.YearTo != 0 {
		conds, args = append(conds, "c.reg_year <= ?"), append(args, f.YearTo)
	}
	if len(conds) == 0 {
		return "", nil
	}
	years := strings.Join(conds, " AND ")
	if !spans {
		return years, args
	}
	span, sargs, ok := spanCond(f.YearFrom, f.YearTo)
	if !ok {
		return years, args
	}
	return "(" + years + " OR " + span + ")", append(args, sargs...)
}

// statsArm is one WHERE clause of a statistics query and its arguments.
type statsArm struct {
	where string
	args  []any
}

// statsArms are the WHERE clauses whose cases, together and without
// overlap, are those f selects: the cases of f's years and, when spans,
// those registered with a span inside them. A query that groups or counts
// runs one statement per arm (UNION ALL, or a sum) rather than an OR,
// under which SQLite reads both indexes and sorts every group instead of
// walking cases_report_idx in order (a period of 1,000,000 cases).
func statsArms(f *domain.StatsFilter, agencies map[string]string, spans bool) []statsArm {
	years, args := statsYearCond(f, false)
	arms := []statsArm{{}}
	arms[0].where, arms[0].args = statsWhereWith(f, agencies, years, args)
	if !spans {
		return arms
	}
	if span, sargs, ok := spanCond(f.YearFrom, f.YearTo); ok {
		w, a := statsWhereWith(f, agencies, span, sargs)
		arms = append(arms, statsArm{w, a})
	}
	return arms
}

// spansIn tells whether report_cube counts a case registered with a span
// inside f's years: one probe of the cube's key.
func (t *tx) spansIn(ctx context.Context, f *domain.StatsFilter) (bool, error) {
	if f.YearFrom == 0 && f.YearTo == 0 {
		return false, nil
	}
	lo, hi, last := spanBounds(f.YearFrom, f.YearTo)
	q, args := "SELECT 1 FROM report_cube WHERE reg_year BETWEEN ? AND ? AND n <> 0", []any{lo, hi}
	if last != 0 {
		q, args = q+" AND reg_year % 10000 <= ?", append(args, last)
	}
	var one int
	err := t.queryRow(ctx, q+" LIMIT 1", args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, classify(err, "reading the report cube")
}
