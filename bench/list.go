// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// listQuery is one filter of the list benchmark. Every filter is run with
// every sort of domain.CaseSorts, the default page size, on the first page
// and on a later page: by default the page that follows the middle match
// (the match at half the total in creation order), whose cursor the bench
// builds as FindCases encodes it; with -page N, page N reached by following
// next_cursor.
type listQuery struct {
	name string
	f    domain.CaseFilter
}

// listQueries is the fixed set of filters (documented in BENCHMARKS.md).
// The database holds the generated file (agency GEN) and the real CTDC
// file (agency CTDC); every imported case is Active.
func listQueries() []listQuery {
	return []listQuery{
		{"no filter", domain.CaseFilter{}},
		{"status=Active (every case)", domain.CaseFilter{Status: "Active"}},
		{"status=Closed (none)", domain.CaseFilter{Status: "Closed"}},
		{"agency=CTDC (the 47k real rows)", domain.CaseFilter{Agency: agencyReal}},
		{"agency=GEN (the generated rows)", domain.CaseFilter{Agency: agencyGen}},
		{"gender=Feminine", domain.CaseFilter{Gender: "Feminine"}},
		{"age_group=Child", domain.CaseFilter{AgeGroup: "Child"}},
		{"exploitation=ForcedLabour", domain.CaseFilter{Exploitation: "ForcedLabour"}},
		{"citizenship=UA (common)", domain.CaseFilter{Citizenship: "UA"}},
		{"citizenship=CD (rare)", domain.CaseFilter{Citizenship: "CD"}},
		{"exploitation_country=US", domain.CaseFilter{ExploitationCountry: "US"}},
		{"year 2014-2016", domain.CaseFilter{YearFrom: 2014, YearTo: 2016}},
		{"gender=Feminine+exploitation=SexualExploitation+citizenship=PH", domain.CaseFilter{Gender: "Feminine", Exploitation: "SexualExploitation", Citizenship: "PH"}},
		{"agency=CTDC+status=Active+year 2015-2016", domain.CaseFilter{Agency: agencyReal, Status: "Active", YearFrom: 2015, YearTo: 2016}},
	}
}

// listResult is the timing of one query (filter, sort, page).
type listResult struct {
	query, sort string
	page        string // "1", "mid" or the page number
	total       int64
	items       int
	samples     []time.Duration
	note        string // why it was not timed
	cursor      string // the cursor used (later pages)
}

type listReport struct {
	db       string
	cases    int64
	analyzed string
	results  []listResult
	explain  *explainReport
}

// runList times db.FindCases (the call the API's GET /api/v1/cases makes)
// for every query, sort and page, then EXPLAINs each query shape.
func runList(ctx context.Context, cfg *config, t dbTarget) (*listReport, error) {
	db, err := sqlstore.Open(ctx, t.url, t.data)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	raw, err := openRaw(t)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	rep := &listReport{db: t.kind}
	if cfg.analyze {
		progress("db.Analyze on %s", t.kind)
		if err := db.Analyze(ctx); err != nil {
			return nil, err
		}
	}
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&rep.cases); err != nil {
		return nil, err
	}
	rep.analyzed = analyzedState(ctx, raw, t.kind)
	stop, err := startProfile(profilePath(cfg, "list-"+t.kind))
	if err != nil {
		return nil, err
	}
	queries := listQueries()
	laterPage := "mid"
	if cfg.page >= 2 {
		laterPage = fmt.Sprint(cfg.page)
	}
	for qi, q := range queries {
		progress("list queries on %s: %d/%d %s", t.kind, qi+1, len(queries), q.name)
		var mid *middleRow
		if cfg.page < 2 {
			if mid, err = findMiddle(ctx, t.kind, db, raw, q.f); err != nil {
				stop()
				return nil, fmt.Errorf("%s: finding the middle match: %w", q.name, err)
			}
		}
		for _, sort := range domain.CaseSorts {
			if err := ctx.Err(); err != nil {
				stop()
				return nil, err
			}
			f := q.f
			f.Sort = sort
			first, next, err := timeList(ctx, cfg, db, f)
			if err != nil {
				stop()
				return nil, fmt.Errorf("%s, sort %s: %w", q.name, sort, err)
			}
			first.query, first.sort, first.page = q.name, sort, "1"
			rep.results = append(rep.results, first)

			later := listResult{query: q.name, sort: sort, page: laterPage, total: first.total}
			cur, reached := next, next != ""
			switch {
			case cfg.page < 2:
				cur, reached = mid.cursor(f), mid != nil
			case reached && cfg.page > 2:
				g := f
				g.Cursor = next
				if cur, reached, err = cursorTo(ctx, db, g, cfg.page-1); err != nil {
					stop()
					return nil, err
				}
			}
			if !reached {
				later.note = "no later page: the list is shorter"
			} else {
				f.Cursor = cur
				if later, _, err = timeList(ctx, cfg, db, f); err != nil {
					stop()
					return nil, fmt.Errorf("%s, sort %s, page %s: %w", q.name, sort, laterPage, err)
				}
				later.query, later.sort, later.page, later.cursor = q.name, sort, laterPage, cur
			}
			rep.results = append(rep.results, later)
		}
	}
	stop()
	progress("EXPLAIN on %s", t.kind)
	rep.explain, err = explainAll(ctx, t.kind, db, raw, rep.results, queries)
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func profilePath(cfg *config, name string) string {
	if cfg.cpuprofile == "" {
		return ""
	}
	return cfg.cpuprofile + "-" + name + ".pprof"
}

// timeList runs FindCases once untimed, then up to cfg.reps timed runs,
// at least cfg.minReps (a single one when the untimed run alone took
// longer than cfg.budget), stopping once cfg.budget is spent. It returns
// the page's next cursor.
func timeList(ctx context.Context, cfg *config, db *sqlstore.DB, f domain.CaseFilter) (listResult, string, error) {
	var r listResult
	start := time.Now()
	p, err := db.FindCases(ctx, f)
	if err != nil {
		return r, "", err
	}
	minReps := cfg.minReps
	if time.Since(start) > cfg.budget {
		minReps = 1
	}
	r.total, r.items = p.Total, len(p.Items)
	began := time.Now()
	for i := 0; i < cfg.reps; i++ {
		if i >= minReps && time.Since(began) > cfg.budget {
			break
		}
		start := time.Now()
		if _, err := db.FindCases(ctx, f); err != nil {
			return r, "", err
		}
		r.samples = append(r.samples, time.Since(start))
	}
	return r, p.NextCursor, nil
}

// cursorTo follows next_cursor from f's page for n more pages and returns
// the cursor reached; reached is false when the list is shorter.
func cursorTo(ctx context.Context, db *sqlstore.DB, f domain.CaseFilter, n int) (string, bool, error) {
	for range n - 1 {
		p, err := db.FindCases(ctx, f)
		if err != nil {
			return "", false, err
		}
		if p.NextCursor == "" {
			return "", false, nil
		}
		f.Cursor = p.NextCursor
	}
	return f.Cursor, true, nil
}

// middleRow is the match at half the total in creation order: its id
// and its sort keys in the cursor's text form.
type middleRow struct {
	id, updated, reg, number string
}

// findMiddle reads the middle match of f, or nil when nothing matches. It
// takes FindCases's own statements (db.ListQueries, sort created: the
// matches in id order) and offsets the page query to the middle match.
func findMiddle(ctx context.Context, kind string, db *sqlstore.DB, raw *sql.DB, f domain.CaseFilter) (*middleRow, error) {
	f.Sort, f.Cursor, f.Limit = "created", "", 1
	first, err := db.FindCases(ctx, f)
	if err != nil {
		return nil, err
	}
	n := first.Total
	if n == 0 {
		return nil, nil
	}
	// The plan that collects every match (a walk's page may stop at its
	// bound) ends with "ORDER BY c.id ASC LIMIT ?" (its last argument):
	// one row, after n/2 of them.
	qs, err := db.ListQueries(ctx, f)
	if err != nil {
		return nil, err
	}
	var page sqlstore.ListQuery
	for _, q := range qs {
		if q.Name == "collect" {
			page = q
		}
	}
	if !strings.HasSuffix(page.SQL, "ORDER BY c.id ASC LIMIT "+placeholder(kind, len(page.Args))) {
		return nil, fmt.Errorf("unexpected page query for sort created: %s", page.SQL)
	}
	args := append(append([]any{}, page.Args[:len(page.Args)-1]...), 1, n/2)
	q := `SELECT c.id, c.updated_at, c.reg_key, c.number FROM cases c WHERE c.id = (SELECT x.id FROM (` +
		page.SQL + ` OFFSET ` + placeholder(kind, len(args)) + `) x)`
	var m middleRow
	var updated any
	if err := raw.QueryRowContext(ctx, q, args...).Scan(&m.id, &updated, &m.reg, &m.number); err != nil {
		return nil, err
	}
	switch x := updated.(type) {
	case time.Time:
		m.updated = x.UTC().Format("2006-01-02T15:04:05.000000Z") // sqlstore's timeLayout
	case []byte:
		m.updated = string(x)
	case string:
		m.updated = x
	}
	return &m, nil
}

// placeholder is the i-th (from 1) placeholder of the dialect.
func placeholder(kind string, i int) string {
	if kind == "postgres" {
		return "$" + strconv.Itoa(i)
	}
	return "?"
}

// cursor is the cursor of the page after m in f's list, as FindCases
// encodes it.
func (m *middleRow) cursor(f domain.CaseFilter) string {
	if m == nil {
		return ""
	}
	key := ""
	switch sortKeyCol[f.Sort] {
	case "updated_at":
		key = m.updated
	case "reg_key":
		key = m.reg
	case "number":
		key = m.number
	}
	return sqlstore.CaseCursor(f, key, m.id)
}

// openRaw opens a plain connection pool on the benchmark's database, for
// counts, ANALYZE and EXPLAIN.
func openRaw(t dbTarget) (*sql.DB, error) {
	if t.kind == "sqlite" {
		db, err := sql.Open("sqlite", "file:"+t.path+"?_pragma=busy_timeout(10000)")
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(1)
		return db, nil
	}
	return sql.Open("pgx", t.url)
}

// analyzedState says whether the planner has statistics on cases.
func analyzedState(ctx context.Context, raw *sql.DB, kind string) string {
	if kind == "sqlite" {
		var n int
		if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).Scan(&n); err != nil || n == 0 {
			return "no sqlite_stat1 (ANALYZE never ran)"
		}
		var rows int
		_ = raw.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'cases'`).Scan(&rows)
		return fmt.Sprintf("sqlite_stat1 has %d rows for cases", rows)
	}
	var last sql.NullTime
	var auto sql.NullTime
	err := raw.QueryRowContext(ctx, `SELECT last_analyze, last_autoanalyze FROM pg_stat_user_tables WHERE relid = 'cases'::regclass`).Scan(&last, &auto)
	switch {
	case err != nil:
		return "unknown: " + err.Error()
	case last.Valid:
		return "ANALYZE ran at " + last.Time.UTC().Format(time.TimeOnly)
	case auto.Valid:
		return "autovacuum analyzed cases at " + auto.Time.UTC().Format(time.TimeOnly)
	}
	return "cases not analyzed yet (autovacuum had not run)"
}

// quantile is the nearest-rank quantile of sorted samples.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// listTarget is the target of every list page's p95.
const listTarget = 20 * time.Millisecond

type listSummary struct {
	n, over, timed int
	p50, p95, max  time.Duration
	worst          listResult
	worstP95       time.Duration
}

func summarize(rep *listReport) listSummary {
	var s listSummary
	var all []time.Duration
	for _, r := range rep.results {
		if len(r.samples) == 0 {
			continue
		}
		s.timed++
		sorted := slices.Clone(r.samples)
		slices.Sort(sorted)
		all = append(all, sorted...)
		p95 := quantile(sorted, 0.95)
		if p95 > listTarget {
			s.over++
		}
		if p95 > s.worstP95 {
			s.worstP95, s.worst = p95, r
		}
	}
	slices.Sort(all)
	s.n = len(all)
	s.p50, s.p95, s.max = quantile(all, 0.5), quantile(all, 0.95), quantile(all, 1)
	return s
}

func printList(out io.Writer, cfg *config, rep *listReport) {
	section(out, fmt.Sprintf("List latency, %s, %s cases", rep.db, fmtInt(int(rep.cases))))
	later := "page `mid` = the page after the middle match (the match at half the total in creation order; the cursor is built as FindCases encodes it)"
	if cfg.page >= 2 {
		later = fmt.Sprintf("page %d, reached by following next_cursor", cfg.page)
	}
	fmt.Fprintf(out, "db.FindCases (the call behind GET /api/v1/cases: count + page of %d + agency codes, in one read transaction), the default page size, "+
		"page 1 and %s; each timed %d times at most (at least %d, or once when the untimed first run took longer than %[5]s; stopping after %[5]s), after one untimed run. "+
		"Planner statistics: %s. Milliseconds.\n\n",
		domain.DefaultPageSize, later, cfg.reps, cfg.minReps, cfg.budget, rep.analyzed)
	var rows [][]string
	for _, r := range rep.results {
		if len(r.samples) == 0 {
			rows = append(rows, []string{r.query, r.sort, r.page, fmtInt(int(r.total)), "-", "-", "-", "-", r.note})
			continue
		}
		sorted := slices.Clone(r.samples)
		slices.Sort(sorted)
		p95 := quantile(sorted, 0.95)
		mark := ""
		if p95 > listTarget {
			mark = "> 20 ms"
		}
		rows = append(rows, []string{r.query, r.sort, r.page, fmtInt(int(r.total)), fmt.Sprint(len(sorted)),
			fmtMS(quantile(sorted, 0.5)), fmtMS(p95), fmtMS(sorted[len(sorted)-1]), mark})
	}
	printTable(out, []string{"query", "sort", "page", "matches", "runs", "p50", "p95", "max", ""}, rows)
	s := summarize(rep)
	fmt.Fprintf(out, "Overall (%d timed queries, %d runs): p50 %s ms, p95 %s ms, max %s ms. Queries whose p95 exceeds 20 ms: %d of %d; worst: %s, sort %s, page %s, p95 %s ms.\n",
		s.timed, s.n, fmtMS(s.p50), fmtMS(s.p95), fmtMS(s.max), s.over, s.timed, s.worst.query, s.worst.sort, s.worst.page, fmtMS(s.worstP95))
	printExplain(out, rep)
}

// printTargets prints the targets, met or missed.
func printTargets(out io.Writer, cfg *config, imports []importFigures, s3 []sqlite3Figures, lists map[string]*listReport) {
	section(out, "Targets")
	var rows [][]string
	met := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	for _, f := range imports {
		if f.db != "sqlite" || f.into != "fresh database" {
			continue
		}
		rows = append(rows, []string{"SQLite import ≥ 50,000 records/s (" + f.file + ")", fmtInt(int(f.rate())) + " records/s", met(f.rate() >= 50000)})
	}
	for _, x := range s3 {
		v := vigieSQLiteRate(imports, x.file)
		if x.err != "" || v == 0 {
			continue
		}
		r := v / x.rate()
		rows = append(rows, []string{"SQLite import ≥ ½ sqlite3 .import (" + x.file + ")", fmt.Sprintf("%.2f (%s vs %s rows/s)", r, fmtInt(int(v)), fmtInt(int(x.rate()))), met(r >= 0.5)})
	}
	for _, db := range cfg.dbs {
		rep := lists[db]
		if rep == nil {
			continue
		}
		s := summarize(rep)
		rows = append(rows, []string{fmt.Sprintf("%s: every list page p95 ≤ 20 ms at %s cases", db, fmtInt(int(rep.cases))),
			fmt.Sprintf("%d of %d queries over; worst p95 %s ms (%s, %s, page %s)", s.over, s.timed, fmtMS(s.worstP95), s.worst.query, s.worst.sort, s.worst.page), met(s.over == 0)})
		if rep.explain != nil {
			rows = append(rows, []string{fmt.Sprintf("%s: every list query uses an index (EXPLAIN)", db),
				fmt.Sprintf("%d of %d plans scan cases without an index", rep.explain.scans, rep.explain.plans), met(rep.explain.scans == 0)})
		}
	}
	for _, f := range imports {
		rows = append(rows, []string{fmt.Sprintf("peak RSS ≤ 200 MB importing (%s, %s, %s)", f.db, f.file, f.into),
			fmt.Sprintf("%.0f MB", f.rssMB()), met(f.rssMB() <= 200)})
	}
	printTable(out, []string{"target", "figure", ""}, rows)
}

// trimPlan removes the blanks of a plan line.
func trimPlan(s string) string { return strings.Join(strings.Fields(s), " ") }
