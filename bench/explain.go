// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// The statements explained are those db.ListQueries returns: exactly the
// count and page queries FindCases runs for the same filter, sort and
// cursor (rewritten for the database, with their arguments), so the plans
// cannot drift from the code they describe.

// sortKeyCol is the column a list sort orders by (then by id), as named in
// query plans; "id" for the creation sorts, which order by id alone.
var sortKeyCol = map[string]string{
	"-created":    "id",
	"created":     "id",
	"-updated":    "updated_at",
	"updated":     "updated_at",
	"-registered": "reg_key",
	"registered":  "reg_key",
	"number":      "number",
	"-number":     "number",
}

// listStatements returns the count and page statements FindCases runs for
// f: one page statement, or several for a number sort that reads one range
// of numbers per agency (and the cases whose number carries another year).
func listStatements(ctx context.Context, db *sqlstore.DB, f domain.CaseFilter) (count sqlstore.ListQuery, pages []sqlstore.ListQuery, err error) {
	qs, err := db.ListQueries(ctx, f)
	if err != nil {
		return count, nil, err
	}
	for _, q := range qs {
		switch q.Name {
		case "count":
			count = q
		case "page":
			pages = append(pages, q)
		}
	}
	if count.SQL == "" || len(pages) == 0 {
		return count, nil, fmt.Errorf("db.ListQueries returned %d statements, not a count and a page", len(qs))
	}
	return count, pages, nil
}

// planSep separates the plans of a page's statements in a planRow (not
// "|", which would cut the Markdown table).
const planSep = " :: "

// planRow is the plan of one query shape.
type planRow struct {
	query, sort string
	page        string // "" for the count query
	plan        string
	flags       string
	generic     string // PostgreSQL: the generic plan
	genFlags    string
	scan        bool
}

type explainReport struct {
	kind         string
	countSQL     map[string]string // count query per list query
	examplePage  string
	counts       []planRow
	pages        []planRow
	scans, plans int
}

// explainAll explains the count and page query of every timed query, as
// db.ListQueries returns them for the filter, sort and cursor the timed
// FindCases call used.
func explainAll(ctx context.Context, kind string, db *sqlstore.DB, raw *sql.DB, results []listResult, queries []listQuery) (*explainReport, error) {
	rep := &explainReport{kind: kind, countSQL: map[string]string{}}
	conn, err := raw.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	filters := map[string]domain.CaseFilter{}
	for _, q := range queries {
		filters[q.name] = q.f
	}
	explain := func(q sqlstore.ListQuery) (planRow, error) {
		var p planRow
		if kind == "sqlite" {
			lines, err := sqlitePlan(ctx, conn, q.SQL, q.Args)
			if err != nil {
				return p, err
			}
			p.plan, p.flags, p.scan = strings.Join(lines, " ; "), sqliteFlags(lines), sqliteScan(lines)
		} else {
			custom, generic, err := postgresPlans(ctx, conn, q.SQL, q.Args)
			if err != nil {
				return p, err
			}
			p.plan, p.flags = strings.Join(custom, " / "), pgFlags(custom)
			p.generic, p.genFlags = strings.Join(generic, " / "), pgFlags(generic)
			p.scan = pgScan(custom) || pgScan(generic)
		}
		rep.plans++
		if p.scan {
			rep.scans++
		}
		return p, nil
	}
	for _, q := range queries {
		count, _, err := listStatements(ctx, db, q.f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q.name, err)
		}
		rep.countSQL[q.name] = strings.Join(strings.Fields(count.SQL), " ")
		p, err := explain(count)
		if err != nil {
			return nil, fmt.Errorf("EXPLAIN %s: %w", count.SQL, err)
		}
		p.query = q.name
		rep.counts = append(rep.counts, p)
	}
	for _, r := range results {
		if len(r.samples) == 0 {
			continue
		}
		f := filters[r.query]
		f.Sort, f.Cursor = r.sort, r.cursor
		_, pages, err := listStatements(ctx, db, f)
		if err != nil {
			return nil, fmt.Errorf("%s, sort %s, page %s: %w", r.query, r.sort, r.page, err)
		}
		if rep.examplePage == "" && r.cursor != "" && sortKeyCol[r.sort] != "id" && r.query != "no filter" {
			rep.examplePage = pages[0].SQL
		}
		// Each statement is one plan (and one scan, if it scans); the
		// row shows them side by side.
		var p planRow
		for i, page := range pages {
			q, err := explain(page)
			if err != nil {
				return nil, fmt.Errorf("EXPLAIN %s: %w", page.SQL, err)
			}
			if i == 0 {
				p = q
				continue
			}
			p.plan, p.generic = p.plan+planSep+q.plan, p.generic+planSep+q.generic
			p.flags, p.genFlags = joinFlags(p.flags, q.flags), joinFlags(p.genFlags, q.genFlags)
			p.scan = p.scan || q.scan
		}
		p.query, p.sort, p.page = r.query, r.sort, r.page
		if r.cursor != "" {
			col := sortKeyCol[r.sort]
			if !cursorSeeks(kind, p.plan, col) {
				p.flags = joinFlags(p.flags, "cursor filters rows, no index seek")
			}
			if kind == "postgres" && !cursorSeeks(kind, p.generic, col) {
				p.genFlags = joinFlags(p.genFlags, "cursor filters rows, no index seek")
			}
		}
		rep.pages = append(rep.pages, p)
	}
	return rep, nil
}

// cursorSeeks reports whether a plan uses the cursor's position to seek
// in an index, rather than reading the rows before it and filtering them
// out. The cursor is "col < ?" for id and number (unique) and the row
// value "(col, id) < (?, ?)" for the other sorts; a plain range on those
// columns comes from a filter (a year range is a range of reg_key), not
// from the cursor. SQLite shows the range in the SEARCH line, e.g.
// "(number<?)" or "((updated_at,id)<(?,?))"; PostgreSQL in an Index Cond,
// e.g. "(number < '…')" or "(ROW(updated_at, id) < ROW(…))".
func cursorSeeks(kind, plan, col string) bool {
	unique := col == "id" || col == "number"
	if kind == "sqlite" {
		for _, l := range strings.Split(strings.ReplaceAll(plan, planSep, " ; "), " ; ") {
			l = strings.TrimLeft(l, ">")
			if !strings.HasPrefix(l, "SEARCH c ") {
				continue
			}
			for _, op := range []string{"<", ">"} {
				if (unique && strings.Contains(l, col+op+"?")) || strings.Contains(l, "("+col+",id)"+op+"(?,?)") {
					return true
				}
			}
		}
		return false
	}
	for _, l := range strings.Split(strings.ReplaceAll(plan, planSep, " / "), " / ") {
		if !strings.HasPrefix(l, "Index Cond:") {
			continue
		}
		for _, op := range []string{" < ", " > "} {
			if (unique && strings.Contains(l, col+op)) || strings.Contains(l, "ROW("+col+", id)"+op) {
				return true
			}
		}
	}
	return false
}

func joinFlags(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ", " + b
}

// sqlitePlan returns the EXPLAIN QUERY PLAN lines, indented by depth.
func sqlitePlan(ctx context.Context, conn *sql.Conn, q string, args []any) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	depth := map[int64]int{}
	var out []string
	for rows.Next() {
		var id, parent, unused int64
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		d := 0
		if parent != 0 {
			d = depth[parent] + 1
		}
		depth[id] = d
		out = append(out, strings.Repeat(">", d)+detail)
	}
	return out, rows.Err()
}

// sqliteScan reports a full scan of cases without an index: a "SCAN c"
// line that uses no index. The bounded walk reads its rows from a
// subquery named c ("CO-ROUTINE c" or "MATERIALIZE c", whose own lines
// are checked): the top-level "SCAN c" that reads that subquery is no
// scan of the table.
func sqliteScan(lines []string) bool {
	sub := false
	for _, l := range lines {
		if l == "CO-ROUTINE c" || l == "MATERIALIZE c" {
			sub = true
		}
	}
	for _, l := range lines {
		top := !strings.HasPrefix(l, ">")
		l = strings.TrimLeft(l, ">")
		if sub && top && l == "SCAN c" {
			continue
		}
		if (l == "SCAN c" || strings.HasPrefix(l, "SCAN c ")) && !strings.Contains(l, "USING INDEX") && !strings.Contains(l, "USING COVERING INDEX") {
			return true
		}
	}
	return false
}

func sqliteFlags(lines []string) string {
	var f []string
	if sqliteScan(lines) {
		f = append(f, "SCAN cases")
	}
	for _, l := range lines {
		l = strings.TrimLeft(l, ">")
		switch {
		case strings.HasPrefix(l, "SCAN c USING"):
			f = append(f, "ordered index walk, filtering rows")
		case strings.HasPrefix(l, "SCAN ") && !strings.HasPrefix(l, "SCAN c"):
			f = append(f, "scan "+strings.Fields(l)[1])
		case strings.Contains(l, "TEMP B-TREE FOR ORDER BY"):
			f = append(f, "sorts all matches")
		}
	}
	return strings.Join(f, ", ")
}

// postgresPlans explains q as PostgreSQL would run it: prepared (pgx
// prepares and caches every statement), with a custom plan for the
// values (the first five executions) and with the generic plan the
// server may switch to afterwards.
func postgresPlans(ctx context.Context, conn *sql.Conn, q string, args []any) (custom, generic []string, err error) {
	if _, err = conn.ExecContext(ctx, "PREPARE vigie_bench_q AS "+q); err != nil {
		return nil, nil, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DEALLOCATE vigie_bench_q")
	defer conn.ExecContext(context.WithoutCancel(ctx), "RESET plan_cache_mode")
	lits := make([]string, len(args))
	for i, a := range args {
		lits[i] = sqlLiteral(a)
	}
	exec := "EXPLAIN (COSTS OFF) EXECUTE vigie_bench_q"
	if len(lits) > 0 {
		exec += "(" + strings.Join(lits, ", ") + ")"
	}
	for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
		if _, err = conn.ExecContext(ctx, "SET plan_cache_mode = "+mode); err != nil {
			return nil, nil, err
		}
		lines, err := queryLines(ctx, conn, exec)
		if err != nil {
			return nil, nil, err
		}
		if mode == "force_custom_plan" {
			custom = lines
		} else {
			generic = lines
		}
	}
	return custom, generic, nil
}

func queryLines(ctx context.Context, conn *sql.Conn, q string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		out = append(out, trimPlan(strings.ReplaceAll(l, "->", "")))
	}
	return out, rows.Err()
}

func sqlLiteral(a any) string {
	switch x := a.(type) {
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case time.Time:
		return "'" + x.UTC().Format(time.RFC3339Nano) + "'"
	case nil:
		return "NULL"
	}
	return "'" + strings.ReplaceAll(fmt.Sprint(a), "'", "''") + "'"
}

func pgScan(lines []string) bool {
	for _, l := range lines {
		if strings.Contains(l, "Seq Scan on cases") {
			return true
		}
	}
	return false
}

func pgFlags(lines []string) string {
	var f []string
	if pgScan(lines) {
		f = append(f, "Seq Scan on cases")
	}
	for _, l := range lines {
		l = strings.TrimPrefix(l, "Parallel ")
		switch {
		case strings.HasPrefix(l, "Seq Scan on ") && !strings.HasPrefix(l, "Seq Scan on cases "):
			f = append(f, "seq scan "+strings.Fields(l)[3])
		case strings.HasPrefix(l, "Sort") && !strings.HasPrefix(l, "Sort Key") && !strings.HasPrefix(l, "Sort Method"):
			f = append(f, "sorts all matches")
		case strings.HasPrefix(l, "Incremental Sort"):
			f = append(f, "incremental sort (presorted key)")
		}
	}
	return strings.Join(f, ", ")
}

func printExplain(out io.Writer, rep *listReport) {
	e := rep.explain
	if e == nil {
		return
	}
	section(out, "EXPLAIN, "+rep.db)
	if e.kind == "sqlite" {
		fmt.Fprintln(out, "`EXPLAIN QUERY PLAN` of the statements FindCases runs (from db.ListQueries, for the same filter, sort and cursor as the timed call), with the benchmark's values; `>` marks a sub-step. "+
			"Flag **SCAN cases** = a `SCAN c` line without `USING INDEX`/`USING COVERING INDEX` (a full table scan).")
	} else {
		fmt.Fprintln(out, "`EXPLAIN (COSTS OFF)` of the statements FindCases runs (from db.ListQueries, for the same filter, sort and cursor as the timed call), prepared as pgx prepares it, "+
			"with a custom plan for the benchmark's values and the generic plan (plan_cache_mode=force_generic_plan) the server may switch to after five executions. "+
			"Flag **Seq Scan on cases** = a full table scan.")
	}
	fmt.Fprintf(out, "\n%d plans, %d with a full scan of cases.\n\n", e.plans, e.scans)
	fmt.Fprintln(out, "Count query (the case_counts cube when the filter allows it, else `SELECT count(*) FROM cases c WHERE …`):")
	fmt.Fprintln(out)
	head := []string{"query", "SQL", "plan", "flags"}
	if e.kind == "postgres" {
		head = []string{"query", "SQL", "custom plan", "flags", "generic plan", "flags"}
	}
	var rows [][]string
	for _, p := range e.counts {
		r := []string{p.query, "`" + e.countSQL[p.query] + "`", p.plan, p.flags}
		if e.kind == "postgres" {
			r = append(r, p.generic, p.genFlags)
		}
		rows = append(rows, r)
	}
	printTable(out, head, rows)
	fmt.Fprintf(out, "Page query, e.g. `%s`:\n\n", strings.Join(strings.Fields(e.examplePage), " "))
	head = []string{"query", "sort", "page", "plan", "flags"}
	if e.kind == "postgres" {
		head = []string{"query", "sort", "page", "custom plan", "flags", "generic plan", "flags"}
	}
	rows = nil
	for _, p := range e.pages {
		r := []string{p.query, p.sort, p.page, p.plan, p.flags}
		if e.kind == "postgres" {
			r = append(r, p.generic, p.genFlags)
		}
		rows = append(rows, r)
	}
	printTable(out, head, rows)
}
