// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"vigie/internal/domain"
)

// The SQL below reproduces what db.FindCases runs. It is a copy of the
// unexported builder in internal/sqlstore/case_list.go (sorts,
// summaryColumns, filterClause, pageQuery, the cursor), of countFromCube in
// internal/sqlstore/counts.go (the total comes from the case_counts cube
// when the filter allows it, else from count(*)) and of the placeholder
// rewriting and value encoding in internal/sqlstore/dialect.go (rebind,
// ts, date), as of 2026-11-27 (commit 21a2555): keep it in step with them.
// explainAll checks that the copy still matches by comparing its count
// with the total FindCases returned for every query.

// copiedFrom is the SHA-256 of each source file the copy follows, as of
// commit 4f27b09. When a file differs, the run says so: the latency
// figures still come from the real FindCases, but the EXPLAIN section may
// no longer show the SQL it runs until this copy is brought up to date.
var copiedFrom = map[string]string{
	"internal/sqlstore/case_list.go": "b3893f861cce54bab3833a20ce652805a6c9435df8287ccef6b20547195f882c",
	"internal/sqlstore/counts.go":    "1e1c8c61769f384d57db27e8cfe8f89099397077b57b7acd71fe9e46bb86ab55",
	"internal/sqlstore/dialect.go":   "1646c9eda318a1707f33aa2058649ea624bb6370afad7608ec123f309b8cb326",
}

// copyDrift lists the source files that changed since the copy was made.
func copyDrift() []string {
	var changed []string
	for _, path := range slices.Sorted(maps.Keys(copiedFrom)) {
		b, err := os.ReadFile(filepath.Join(moduleRoot(), path))
		if err != nil {
			changed = append(changed, path+" (unreadable)")
			continue
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != copiedFrom[path] {
			changed = append(changed, path)
		}
	}
	return changed
}

type benchSortSpec struct {
	col  string
	desc bool
}

var benchSorts = map[string]benchSortSpec{
	"-created":    {"", true},
	"created":     {"", false},
	"-updated":    {"c.updated_at", true},
	"updated":     {"c.updated_at", false},
	"-registered": {"c.reg_key", true},
	"registered":  {"c.reg_key", false},
	"number":      {"c.number", false},
	"-number":     {"c.number", true},
}

type benchCursor struct {
	Sort string `json:"s"`
	Key  string `json:"k,omitempty"`
	ID   string `json:"i"`
}

func decodeBenchCursor(s string) (*benchCursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	var c benchCursor
	return &c, json.Unmarshal(b, &c)
}

const benchSummaryColumns = `c.id, c.agency_id, c.number, c.status, c.trafficking_status, c.gender, c.age_group, c.age_band,
	c.citizenship, c.exploitation, c.exploitation_country, c.reg_year, c.reg_date, c.version, c.created_at, c.updated_at`

// benchFilterClause is sqlstore's filterClause.
func benchFilterClause(kind string, f *domain.CaseFilter, agencyID string) (string, []any) {
	var conds []string
	var args []any
	eq := func(col, v string) {
		if v != "" {
			conds = append(conds, col+" = ?")
			args = append(args, v)
		}
	}
	if f.Agency != "" {
		conds = append(conds, "c.agency_id = ?")
		args = append(args, agencyID)
	}
	eq("c.status", f.Status)
	eq("c.trafficking_status", f.TraffickingStatus)
	eq("c.gender", f.Gender)
	eq("c.age_group", f.AgeGroup)
	eq("c.age_band", f.AgeBand)
	eq("c.exploitation_country", f.ExploitationCountry)
	eq("c.situation_id", f.SituationID)
	if f.Exploitation != "" {
		conds = append(conds, "c.id IN (SELECT case_id FROM case_exploitation WHERE type = ?)")
		args = append(args, f.Exploitation)
	}
	if f.Citizenship != "" {
		conds = append(conds, "c.id IN (SELECT case_id FROM case_citizenships WHERE country = ?)")
		args = append(args, f.Citizenship)
	}
	if f.YearFrom != 0 {
		conds = append(conds, "c.reg_year >= ?")
		args = append(args, f.YearFrom)
	}
	if f.YearTo != 0 {
		conds = append(conds, "c.reg_year <= ?")
		args = append(args, f.YearTo)
	}
	if !f.RegisteredFrom.IsZero() {
		conds = append(conds, "c.reg_date >= ?")
		args = append(args, benchDate(kind, f.RegisteredFrom))
	}
	if !f.RegisteredTo.IsZero() {
		conds = append(conds, "c.reg_date <= ?")
		args = append(args, benchDate(kind, f.RegisteredTo))
	}
	if !f.UpdatedFrom.IsZero() {
		conds = append(conds, "c.updated_at >= ?")
		args = append(args, benchTS(kind, f.UpdatedFrom))
	}
	if !f.UpdatedTo.IsZero() {
		conds = append(conds, "c.updated_at < ?")
		args = append(args, benchTS(kind, f.UpdatedTo))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// benchCountQuery is the query FindCases counts with: countFromCube's
// query on case_counts when the filter allows it, else count(*) on cases
// with the filter's WHERE clause.
func benchCountQuery(f *domain.CaseFilter, agencyID, where string, whereArgs []any) (string, []any) {
	cube := func() (string, []any, bool) {
		if f.AgeBand != "" || f.SituationID != "" || !f.RegisteredFrom.IsZero() || !f.RegisteredTo.IsZero() ||
			!f.UpdatedFrom.IsZero() || !f.UpdatedTo.IsZero() {
			return "", nil, false
		}
		dim, value := "", ""
		extra := 0
		for _, x := range []struct{ dim, v string }{{"exploitation", f.Exploitation}, {"citizenship", f.Citizenship}, {"country", f.ExploitationCountry}} {
			if x.v != "" {
				dim, value = x.dim, x.v
				extra++
			}
		}
		if extra > 1 {
			return "", nil, false
		}
		conds := []string{"dim = ?", "value = ?"}
		args := []any{dim, value}
		eq := func(col, v string) {
			if v != "" {
				conds = append(conds, col+" = ?")
				args = append(args, v)
			}
		}
		if f.Agency != "" {
			eq("agency_id", agencyID)
		}
		eq("status", f.Status)
		eq("trafficking_status", f.TraffickingStatus)
		eq("gender", f.Gender)
		eq("age_group", f.AgeGroup)
		if f.YearFrom != 0 || f.YearTo != 0 {
			conds = append(conds, "reg_year > 0")
		}
		if f.YearFrom != 0 {
			conds = append(conds, "reg_year >= ?")
			args = append(args, f.YearFrom)
		}
		if f.YearTo != 0 {
			conds = append(conds, "reg_year <= ?")
			args = append(args, f.YearTo)
		}
		return `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_counts WHERE ` + strings.Join(conds, " AND "), args, true
	}
	if q, args, ok := cube(); ok {
		return q, args
	}
	return `SELECT count(*) FROM cases c` + where, whereArgs
}

// benchPageQuery is sqlstore's pageQuery.
func benchPageQuery(where string, args []any, spec benchSortSpec, cur *benchCursor, limit int) (string, []any) {
	dir, cmp := "ASC", ">"
	if spec.desc {
		dir, cmp = "DESC", "<"
	}
	keyCol := spec.col
	if keyCol == "" {
		keyCol = "''"
	}
	q := `SELECT ` + benchSummaryColumns + `, ` + keyCol + ` FROM cases c` + where
	args = append([]any{}, args...)
	if cur != nil {
		join := " WHERE "
		if where != "" {
			join = " AND "
		}
		if spec.col == "" {
			q += join + "c.id " + cmp + " ?"
			args = append(args, cur.ID)
		} else {
			q += join + "(" + spec.col + " " + cmp + " ? OR (" + spec.col + " = ? AND c.id " + cmp + " ?))"
			args = append(args, cur.Key, cur.Key, cur.ID)
		}
	}
	if spec.col != "" {
		q += " ORDER BY " + spec.col + " " + dir + ", c.id " + dir
	} else {
		q += " ORDER BY c.id " + dir
	}
	q += " LIMIT ?"
	return q, append(args, limit)
}

// benchRebind is sqlstore's dialect.rebind: ? becomes $1, $2… on PostgreSQL.
func benchRebind(kind, q string) string {
	if kind != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func benchTS(kind string, t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if kind == "postgres" {
		return t
	}
	return t.Format("2006-01-02T15:04:05.000000Z")
}

func benchDate(kind string, d domain.Date) any {
	if d.IsZero() {
		return nil
	}
	if kind == "postgres" {
		return d.Time()
	}
	return d.String()
}

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

// explainAll explains the count and page query of every timed query.
func explainAll(ctx context.Context, kind string, raw *sql.DB, results []listResult, queries []listQuery) (*explainReport, error) {
	rep := &explainReport{kind: kind, countSQL: map[string]string{}}
	conn, err := raw.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	filters := map[string]domain.CaseFilter{}
	totals := map[string]int64{}
	for _, q := range queries {
		filters[q.name] = q.f
	}
	for _, r := range results {
		if r.page == "1" {
			totals[r.query] = r.total
		}
	}
	agencies := map[string]string{}
	agencyID := func(code string) (string, error) {
		if id, ok := agencies[code]; ok {
			return id, nil
		}
		var id string
		err := conn.QueryRowContext(ctx, benchRebind(kind, `SELECT id FROM agencies WHERE code = ?`), code).Scan(&id)
		agencies[code] = id
		return id, err
	}
	explain := func(q string, args []any) (planRow, error) {
		var p planRow
		if kind == "sqlite" {
			lines, err := sqlitePlan(ctx, conn, q, args)
			if err != nil {
				return p, err
			}
			p.plan, p.flags, p.scan = strings.Join(lines, " ; "), sqliteFlags(lines), sqliteScan(lines)
		} else {
			custom, generic, err := postgresPlans(ctx, conn, benchRebind(kind, q), args)
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
		f := q.f
		aid := ""
		if f.Agency != "" {
			if aid, err = agencyID(f.Agency); err != nil {
				return nil, fmt.Errorf("agency %s: %w", f.Agency, err)
			}
		}
		where, wargs := benchFilterClause(kind, &f, aid)
		count, args := benchCountQuery(&f, aid, where, wargs)
		rep.countSQL[q.name] = strings.Join(strings.Fields(count), " ")
		var n int64
		if err := conn.QueryRowContext(ctx, benchRebind(kind, count), args...).Scan(&n); err != nil {
			return nil, err
		}
		if n != totals[q.name] {
			return nil, fmt.Errorf("the copy of FindCases's SQL is out of date: %s counts %d cases, FindCases %d (see internal/sqlstore/case_list.go and counts.go)", q.name, n, totals[q.name])
		}
		p, err := explain(count, args)
		if err != nil {
			return nil, fmt.Errorf("EXPLAIN %s: %w", count, err)
		}
		p.query = q.name
		rep.counts = append(rep.counts, p)
	}
	for _, r := range results {
		if len(r.samples) == 0 {
			continue
		}
		f := filters[r.query]
		aid := ""
		if f.Agency != "" {
			aid, _ = agencyID(f.Agency)
		}
		where, args := benchFilterClause(kind, &f, aid)
		cur, err := decodeBenchCursor(r.cursor)
		if err != nil {
			return nil, err
		}
		spec, ok := benchSorts[r.sort]
		if !ok {
			return nil, errors.New("unknown sort " + r.sort + ": the copy of sqlstore's sorts is out of date")
		}
		q, qargs := benchPageQuery(where, args, spec, cur, domain.DefaultPageSize+1)
		if rep.examplePage == "" && cur != nil && spec.col != "" && where != "" {
			rep.examplePage = benchRebind(kind, q)
		}
		p, err := explain(q, qargs)
		if err != nil {
			return nil, fmt.Errorf("EXPLAIN %s: %w", q, err)
		}
		p.query, p.sort, p.page = r.query, r.sort, r.page
		if cur != nil {
			col := strings.TrimPrefix(spec.col, "c.")
			if col == "" {
				col = "id"
			}
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
// in an index (a range on the sort column), rather than reading the rows
// before it and filtering them out.
func cursorSeeks(kind, plan, col string) bool {
	if kind == "sqlite" {
		return strings.Contains(plan, col+"<?") || strings.Contains(plan, col+">?")
	}
	for _, l := range strings.Split(plan, " / ") {
		if strings.HasPrefix(l, "Index Cond:") && (strings.Contains(l, col+" < ") || strings.Contains(l, col+" > ")) {
			return true
		}
	}
	return false
}

func joinFlags(a, b string) string {
	if a == "" {
		return b
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
// line that uses no index.
func sqliteScan(lines []string) bool {
	for _, l := range lines {
		l = strings.TrimLeft(l, ">")
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
		fmt.Fprintln(out, "`EXPLAIN QUERY PLAN` of the SQL FindCases runs (reproduced from internal/sqlstore/case_list.go), with the benchmark's values; `>` marks a sub-step. "+
			"Flag **SCAN cases** = a `SCAN c` line without `USING INDEX`/`USING COVERING INDEX` (a full table scan).")
	} else {
		fmt.Fprintln(out, "`EXPLAIN (COSTS OFF)` of the SQL FindCases runs (reproduced from internal/sqlstore/case_list.go), prepared as pgx prepares it, "+
			"with a custom plan for the benchmark's values and the generic plan (plan_cache_mode=force_generic_plan) the server may switch to after five executions. "+
			"Flag **Seq Scan on cases** = a full table scan.")
	}
	if drift := copyDrift(); len(drift) > 0 {
		fmt.Fprintf(out, "\n**Warning:** the bench's copy of FindCases's SQL follows commit 4f27b09, and %s changed since: "+
			"the plans below may not be those of the SQL FindCases runs now (its latency figures above are unaffected). Update bench/explain.go.\n",
			strings.Join(drift, ", "))
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
