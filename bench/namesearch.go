// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	benchnames "vigie/bench/names"
	"vigie/internal/domain"
	"vigie/internal/importer"
	vnames "vigie/internal/names"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
)

// `bench names`: fuzzy name search over generated persons (issue 3's
// target: p95 ≤ 50 ms over 1,000,000 persons).
//
//	go run ./bench names [-n 1000000] [-db sqlite|postgres|both] [-queries 200]
//
// It generates persons with Congolese and French names (bench/names),
// imports them as cases through importer.Run (db.PrepareImport and
// db.ImportPrepared, as `vigie import` does) into a fresh database, then
// times db.SearchNames(query, agency, 0.5, 20) — the call behind GET
// /api/v1/search/names and the duplicate warning on create — for every
// query, over every agency and over one agency (KIN). For each query it
// also times the two steps of SearchNames separately with the same SQL
// (db.NameSearchQuery: the very SQL SearchNames runs), to say what
// the time goes to, and explains the slowest.

// searchTag is the blind-index tag of victims' names (sqlstore's nameTag).
const searchTag = "person-name"

// nameTarget is the target of the fuzzy search's p95.
const nameTarget = 50 * time.Millisecond

// searchMinScore and searchLimit are the API's values.
const (
	searchMinScore = 0.5
	searchLimit    = 20
)

// scopeAgency is the agency of the scoped searches: the largest.
const scopeAgency = "KIN"

type namesConfig struct {
	config
	queries int
	explain int
}

func parseNamesConfig(args []string) (*namesConfig, error) {
	fs := flag.NewFlagSet("names", flag.ContinueOnError)
	db := fs.String("db", "both", "sqlite, postgres or both (SQLite runs first)")
	n := fs.Int("n", 1_000_000, "persons (cases) to generate and import")
	queries := fs.Int("queries", 200, "search queries")
	reps := fs.Int("reps", 3, "timed runs of each query in each scope (after one untimed run)")
	seed := fs.Uint64("seed", 1, "seed of the generated persons and queries")
	pg := fs.String("pg", envOr("VIGIE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "PostgreSQL server (a fresh schema is created and dropped)")
	batch := fs.Int("batch", 2000, "cases per import transaction")
	explain := fs.Int("explain", 3, "slowest queries to EXPLAIN in each scope")
	tmp := fs.String("tmp", os.TempDir(), "directory for the SQLite database (a subdirectory is created)")
	keep := fs.Bool("keep", false, "keep the SQLite database and the PostgreSQL schema")
	cpuprofile := fs.String("cpuprofile", "", "write CPU profiles of the import and of the searches to PREFIX-names-{import,search}-DB.pprof")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c := &namesConfig{config: config{n: *n, reps: *reps, seed: *seed, pgURL: *pg, batch: *batch, tmp: *tmp, keep: *keep, cpuprofile: *cpuprofile}, queries: *queries, explain: *explain}
	switch *db {
	case "both":
		c.dbs = []string{"sqlite", "postgres"}
	case "sqlite", "postgres":
		c.dbs = []string{*db}
	default:
		return nil, fmt.Errorf("-db %q: sqlite, postgres or both", *db)
	}
	if c.n < 1000 || c.reps < 1 || c.queries < 10 {
		return nil, errors.New("-n must be at least 1000, -reps positive, -queries at least 10")
	}
	return c, nil
}

// nameRun is one query in one scope.
type nameRun struct {
	q     benchnames.Query
	scope string // "all" or scopeAgency
	runs  []time.Duration
	p50   time.Duration
	// What the query touches: blind-index keys, name_index rows with one
	// of them, distinct cases among those rows (before the bound of 200).
	keys, rows, cases int
	results           int
	// The steps, timed alone with db.NameSearchQuery (median of the same number of
	// runs): choosing the candidates (db.NameCandidates: one bounded
	// lookup per key), and reading the ≤ 200 candidate
	// rows without opening them.
	group, fetch time.Duration
	// found: the source person is among the results (unscoped only);
	// inCands: it is among the 200 candidates.
	found, inCands bool
}

type namesReport struct {
	db                   string
	cases                int
	importTime, analyze  time.Duration
	importRes            importer.Result
	dbBytes, indexBytes  int64
	indexRows, indexKeys int64
	runs                 []*nameRun
	explains             []nameExplain
	analyzed             string
}

type nameExplain struct {
	run   *nameRun
	lines []string
}

func runNames(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := parseNamesConfig(args)
	if err != nil {
		return err
	}
	began := time.Now()
	dir, err := os.MkdirTemp(cfg.tmp, "vigie-bench-names-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintln(os.Stderr, "bench: keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	fmt.Fprintf(out, "# Vigie name-search benchmark, %s\n\n", began.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(out, "Command: `%s`\n\n", strings.TrimSpace("go run ./bench names "+strings.Join(args, " ")))
	printMachine(ctx, out, &cfg.config, dir)

	gen := benchnames.New(cfg.seed)
	progress("drawing %d persons and %d queries", cfg.n, cfg.queries)
	counts := gen.FamilyCounts(cfg.n)
	queries := gen.Queries(cfg.queries, cfg.n, counts)
	printPopulation(out, cfg, gen, counts, queries)

	var reports []*namesReport
	for _, kind := range cfg.dbs {
		err := withFreshDB(ctx, &cfg.config, dir, kind, "names", func(t dbTarget) error {
			rep, err := namesOn(ctx, cfg, t, gen, queries)
			if err != nil {
				return err
			}
			reports = append(reports, rep)
			printNames(out, rep)
			return nil
		})
		if err != nil {
			if len(reports) > 0 {
				fmt.Fprintf(out, "\n%s stopped: %v\n", kind, err)
				break
			}
			return err
		}
	}
	printNamesTargets(out, reports)
	fmt.Fprintf(out, "\nTotal run time: %s. Load average at the end (1, 5, 15 min): %s.\n", fmtDur(time.Since(began)), loadAvg())
	return nil
}

// printPopulation describes the generated persons and the queries.
func printPopulation(out io.Writer, cfg *namesConfig, gen *benchnames.Generator, counts []int32, queries []benchnames.Query) {
	section(out, "Generated persons")
	distinct, top, rare := 0, int32(0), 0
	for _, c := range counts {
		if c > 0 {
			distinct++
		}
		top = max(top, c)
		if c > 0 && c <= 3 {
			rare += int(c)
		}
	}
	fmt.Fprintf(out, "%s persons (seed %d): %s distinct family names before respelling; the most common is carried by %s persons (%.1f %%); %s persons (%.1f %%) carry a family name shared by at most 3. "+
		"Post-nom %.0f %%, family names outside the common list %.0f %%, respelled family names %.0f %%, in capitals %.0f %%, women and girls %.0f %%.\n\n",
		fmtInt(cfg.n), cfg.seed, fmtInt(distinct), fmtInt(int(top)), 100*float64(top)/float64(cfg.n), fmtInt(rare), 100*float64(rare)/float64(cfg.n),
		100*benchnames.PostnomShare, 100*benchnames.FamilyTailShare, 100*benchnames.FamilyVariantShare, 100*benchnames.UpperShare, 100*benchnames.FeminineShare)
	fmt.Fprintln(out, "Examples (persons 0–5):")
	fmt.Fprintln(out)
	for i := range 6 {
		p := gen.Person(i)
		fmt.Fprintf(out, "- %s (%s, %d)\n", p.Name(), benchnames.Agencies[p.Agency].Code, p.Year)
	}
	fmt.Fprintln(out)
	kinds := map[string][]string{}
	for _, q := range queries {
		kinds[q.Kind] = append(kinds[q.Kind], q.Text)
	}
	var rows [][]string
	for _, k := range benchnames.QueryKinds {
		ex := kinds[k.Kind]
		rows = append(rows, []string{k.Kind, strconv.Itoa(len(ex)), strings.Join(ex[:min(4, len(ex))], "; ")})
	}
	printTable(out, []string{"query kind", "queries", "examples"}, rows)
}

// personCase is the case of a generated person.
func personCase(p benchnames.Person, i int) *domain.Case {
	gender := "Masculine"
	if p.Feminine {
		gender = "Feminine"
	}
	return &domain.Case{
		Agency:           benchnames.Agencies[p.Agency].Code,
		SourceKey:        "names-" + strconv.Itoa(i),
		RegistrationYear: p.Year,
		Person: domain.Person{FirstName: p.First, MiddleName: p.Middle, SecondName: p.Family, Gender: gender,
			Citizenship: []string{"CD"}},
		Victim: domain.Victim{TraffickingStatus: "PossibleVictimOfTrafficking"},
	}
}

// namesOn imports the persons into t and times the searches.
func namesOn(ctx context.Context, cfg *namesConfig, t dbTarget, gen *benchnames.Generator, queries []benchnames.Query) (*namesReport, error) {
	db, err := sqlstore.Open(ctx, t.url, t.data)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	keys := seal.NewTestKeyring()
	db.SetKeys(keys)
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	agencyIDs := map[string]string{}
	for _, a := range benchnames.Agencies {
		ag, err := db.EnsureAgency(ctx, a.Code, a.Name)
		if err != nil {
			return nil, err
		}
		agencyIDs[a.Code] = ag.ID
	}
	rep := &namesReport{db: t.kind}

	// The import: the cases of the query sources are kept to learn their
	// numbers.
	sources := map[int]*domain.Case{}
	for _, q := range queries {
		sources[q.Source] = nil
	}
	i := 0
	next := func() (int, *domain.Case, []domain.RowError, error) {
		if i == cfg.n {
			return 0, nil, nil, io.EOF
		}
		c := personCase(gen.Person(i), i)
		if _, ok := sources[i]; ok {
			sources[i] = c
		}
		i++
		return i, c, nil, nil
	}
	progress("importing %d persons into %s", cfg.n, t.kind)
	stop, err := startProfile(profilePath(&cfg.config, "names-import-"+t.kind))
	if err != nil {
		return nil, err
	}
	start := time.Now()
	lastReport := start
	rep.importRes, err = importer.Run(ctx, db, next, importer.Options{BatchSize: cfg.batch, Progress: func(read int) {
		if time.Since(lastReport) > 10*time.Second {
			lastReport = time.Now()
			progress("  %d read, %.0f records/s", read, float64(read)/time.Since(start).Seconds())
		}
	}})
	stop()
	if err != nil {
		return nil, err
	}
	rep.importTime = time.Since(start)
	start = time.Now()
	if err := db.Analyze(ctx); err != nil {
		return nil, err
	}
	rep.analyze = time.Since(start)
	rep.dbBytes = dbSize(ctx, t)
	progress("  %d imported in %s (%.0f records/s), Analyze %s", rep.importRes.Imported, fmtDur(rep.importTime),
		float64(rep.importRes.Imported)/rep.importTime.Seconds(), fmtDur(rep.analyze))

	raw, err := openRaw(t)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&rep.cases); err != nil {
		return nil, err
	}
	if err := raw.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT key) FROM name_index`).Scan(&rep.indexRows, &rep.indexKeys); err != nil {
		return nil, err
	}
	rep.indexBytes = nameIndexBytes(ctx, raw, t.kind)
	rep.analyzed = nameIndexAnalyzed(ctx, raw, t.kind)

	if stop, err = startProfile(profilePath(&cfg.config, "names-search-"+t.kind)); err != nil {
		return nil, err
	}
	defer stop()
	for qi, q := range queries {
		if qi%20 == 0 {
			progress("searching on %s: %d/%d", t.kind, qi+1, len(queries))
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src := sources[q.Source]
		for _, scope := range []string{"all", scopeAgency} {
			aid := ""
			if scope != "all" {
				aid = agencyIDs[scope]
			}
			r, err := timeSearch(ctx, cfg, db, raw, t.kind, keys, q, scope, aid, src)
			if err != nil {
				return nil, fmt.Errorf("query %q (%s): %w", q.Text, scope, err)
			}
			rep.runs = append(rep.runs, r)
		}
	}
	// EXPLAIN the slowest queries of each scope.
	for _, scope := range []string{"all", scopeAgency} {
		var rs []*nameRun
		for _, r := range rep.runs {
			if r.scope == scope {
				rs = append(rs, r)
			}
		}
		slices.SortFunc(rs, func(a, b *nameRun) int { return int(b.p50 - a.p50) })
		for _, r := range rs[:min(cfg.explain, len(rs))] {
			aid := ""
			if scope != "all" {
				aid = agencyIDs[scope]
			}
			q, args, err := db.NameSearchQuery(r.q.Text, aid)
			if err != nil {
				return nil, err
			}
			lines, err := explainSearch(ctx, raw, t.kind, q, args)
			if err != nil {
				return nil, fmt.Errorf("explaining %q: %w", r.q.Text, err)
			}
			rep.explains = append(rep.explains, nameExplain{run: r, lines: lines})
		}
	}
	return rep, nil
}

// blindKeys are the blind-index keys of a searched name, as SearchNames
// computes them.
func blindKeys(k *seal.Keyring, name string) [][]byte {
	var out [][]byte
	for _, s := range vnames.Keys(name) {
		out = append(out, k.BlindIndex(searchTag, s))
	}
	return out
}

// countSQL counts the name_index rows and the distinct cases a search
// touches before the bound.
func countSQL(kind string, keys [][]byte, agencyID string) (string, []any) {
	args := make([]any, 0, len(keys)+2)
	for _, k := range keys {
		args = append(args, k)
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(keys)), ",") + ")"
	q := `SELECT count(*), count(DISTINCT n.case_id) FROM name_index n WHERE n.key IN ` + in
	if agencyID != "" {
		q = `SELECT count(*), count(DISTINCT n.case_id) FROM name_index n JOIN cases c ON c.id = n.case_id
			WHERE n.key IN ` + in + ` AND (c.agency_id = ? OR EXISTS (SELECT 1 FROM case_access x WHERE x.case_id = n.case_id AND x.agency_id = ?))`
		args = append(args, agencyID, agencyID)
	}
	return rebind(kind, q), args
}

// rebind turns ? placeholders into PostgreSQL's $n.
func rebind(kind, q string) string {
	if kind != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// timeSearch runs one query in one scope: one untimed run, cfg.reps timed
// runs of db.SearchNames, then the steps alone and the counts.
func timeSearch(ctx context.Context, cfg *namesConfig, db *sqlstore.DB, raw *sql.DB, kind string, keys *seal.Keyring,
	q benchnames.Query, scope, aid string, src *domain.Case) (*nameRun, error) {
	r := &nameRun{q: q, scope: scope}
	res, err := db.SearchNames(ctx, q.Text, aid, searchMinScore, searchLimit)
	if err != nil {
		return nil, err
	}
	r.results = len(res)
	for _, m := range res {
		if src != nil && m.CaseNumber == src.Number {
			r.found = true
		}
	}
	for range cfg.reps {
		start := time.Now()
		if _, err := db.SearchNames(ctx, q.Text, aid, searchMinScore, searchLimit); err != nil {
			return nil, err
		}
		r.runs = append(r.runs, time.Since(start))
	}
	r.p50 = median(r.runs)

	bk := blindKeys(keys, q.Text)
	r.keys = len(bk)
	if len(bk) == 0 {
		return r, nil
	}
	cq, cargs := countSQL(kind, bk, aid)
	if err := raw.QueryRowContext(ctx, cq, cargs...).Scan(&r.rows, &r.cases); err != nil {
		return nil, err
	}
	// Choosing the candidates, then the candidates' rows as
	// SearchNames reads them (sealed columns and data keys), unopened;
	// each cfg.reps times, the median kept.
	var ids []any
	var groups, fetches []time.Duration
	for range cfg.reps {
		start := time.Now()
		got, err := db.NameCandidates(ctx, q.Text, aid)
		if err != nil {
			return nil, err
		}
		groups = append(groups, time.Since(start))
		ids = ids[:0]
		for _, id := range got {
			ids = append(ids, id)
		}
	}
	r.group = median(groups)
	for _, id := range ids {
		if src != nil && id == src.ID {
			r.inCands = true
		}
	}
	if len(ids) == 0 {
		return r, nil
	}
	fq := rebind(kind, `SELECT c.id, a.code, c.number, c.situation_id, c.status, c.reg_year, c.reg_date, c.source_key,
		c.person, c.victim, c.fields, c.version, c.created_at, c.updated_at, c.dek, c.key_id
		FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE c.id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`)
	for range cfg.reps {
		start := time.Now()
		if err := readRows(ctx, raw, fq, ids); err != nil {
			return nil, err
		}
		fetches = append(fetches, time.Since(start))
	}
	r.fetch = median(fetches)
	return r, nil
}

// readRows reads every column of every row of q, and nothing more.
func readRows(ctx context.Context, raw *sql.DB, q string, args []any) error {
	rows, err := raw.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return quantile(s, 0.5)
}

// explainSearch returns the plan of the candidate query: EXPLAIN QUERY
// PLAN on SQLite; EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, with the
// values written in (a custom plan, as the first executions get).
func explainSearch(ctx context.Context, raw *sql.DB, kind, q string, args []any) ([]string, error) {
	conn, err := raw.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if kind == "sqlite" {
		return sqlitePlan(ctx, conn, q, args)
	}
	lits := make([]string, len(args))
	for i, a := range args {
		if b, ok := a.([]byte); ok {
			lits[i] = `'\x` + hex.EncodeToString(b) + `'::bytea`
		} else {
			lits[i] = sqlLiteral(a)
		}
	}
	// Replace $n from the highest so that $1 does not eat $10.
	for i := len(lits); i >= 1; i-- {
		q = strings.ReplaceAll(q, "$"+strconv.Itoa(i), lits[i-1])
	}
	return queryLines(ctx, conn, "EXPLAIN (ANALYZE, BUFFERS) "+q)
}

// nameIndexBytes is the size of name_index and its index.
func nameIndexBytes(ctx context.Context, raw *sql.DB, kind string) int64 {
	var n sql.NullInt64
	if kind == "sqlite" {
		_ = raw.QueryRowContext(ctx, `SELECT sum(pgsize) FROM dbstat WHERE name IN ('name_index', 'name_index_case_idx')`).Scan(&n)
	} else {
		_ = raw.QueryRowContext(ctx, `SELECT pg_total_relation_size('name_index')`).Scan(&n)
	}
	return n.Int64
}

// nameIndexAnalyzed says whether the planner has statistics on
// name_index.
func nameIndexAnalyzed(ctx context.Context, raw *sql.DB, kind string) string {
	if kind == "sqlite" {
		var s sql.NullString
		_ = raw.QueryRowContext(ctx, `SELECT group_concat(idx || ': ' || stat, '; ') FROM sqlite_stat1 WHERE tbl = 'name_index'`).Scan(&s)
		if !s.Valid {
			return "no sqlite_stat1 rows for name_index"
		}
		return "sqlite_stat1: " + s.String
	}
	var last, auto sql.NullTime
	if err := raw.QueryRowContext(ctx, `SELECT last_analyze, last_autoanalyze FROM pg_stat_user_tables WHERE relid = 'name_index'::regclass`).Scan(&last, &auto); err != nil {
		return "unknown: " + err.Error()
	}
	switch {
	case last.Valid:
		return "name_index analyzed (ANALYZE)"
	case auto.Valid:
		return "name_index analyzed by autovacuum at " + auto.Time.UTC().Format(time.TimeOnly)
	}
	return "name_index never analyzed (db.Analyze does not name it; autovacuum had not run)"
}

// durations pools the timed runs of some query runs.
func durations(rs []*nameRun) []time.Duration {
	var all []time.Duration
	for _, r := range rs {
		all = append(all, r.runs...)
	}
	slices.Sort(all)
	return all
}

func medianInt(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

func printNames(out io.Writer, rep *namesReport) {
	section(out, "Name search on "+rep.db)
	rate := float64(rep.importRes.Imported) / rep.importTime.Seconds()
	fmt.Fprintf(out, "Import: %s cases in %s = **%s records/s** (importer.Run, batches of 2,000, blind index and sealing included), then db.Analyze %s. "+
		"Database %s MB, of which name_index %s MB (%s rows, %s distinct keys, %.1f rows per case). Planner statistics: %s.\n\n",
		fmtInt(rep.importRes.Imported), fmtDur(rep.importTime), fmtInt(int(rate)), fmtDur(rep.analyze),
		fmtInt(int(rep.dbBytes/1e6)), fmtInt(int(rep.indexBytes/1e6)), fmtInt(int(rep.indexRows)), fmtInt(int(rep.indexKeys)),
		float64(rep.indexRows)/float64(max(rep.cases, 1)), rep.analyzed)

	var rows [][]string
	for _, scope := range []string{"all", scopeAgency} {
		var rs []*nameRun
		for _, r := range rep.runs {
			if r.scope == scope {
				rs = append(rs, r)
			}
		}
		rows = append(rows, summaryRow(scopeLabel(scope), "all", rs))
		for _, k := range benchnames.QueryKinds {
			var ks []*nameRun
			for _, r := range rs {
				if r.q.Kind == k.Kind {
					ks = append(ks, r)
				}
			}
			rows = append(rows, summaryRow(scopeLabel(scope), k.Kind, ks))
		}
	}
	fmt.Fprintln(out, "db.SearchNames(query, agency, 0.5, 20): p50/p95/max over every timed run; candidates = distinct cases sharing a key with the query (SearchNames decrypts the 200 that share most); name_index rows = rows carrying one of the query's keys (the search reads at most 1,001 per key); found = the person the query was made from is among the 20 results (unscoped searches only; for common names it can be outranked by equally named persons).")
	fmt.Fprintln(out)
	printTable(out, []string{"scope", "queries", "n", "runs", "p50 ms", "p95 ms", "max ms", "over 50 ms (query p50)", "median / max name_index rows", "median / max candidates", "median results", "found / among candidates"}, rows)

	// Where the time goes.
	var all []*nameRun
	all = append(all, rep.runs...)
	slices.SortFunc(all, func(a, b *nameRun) int { return int(b.p50 - a.p50) })
	fmt.Fprintln(out, "Slowest queries: SearchNames p50, and its steps timed alone with the same SQL on another connection (medians of as many runs) — choosing the candidates (one bounded name_index lookup per key), reading the ≤ 200 candidate rows (unopened), and the rest (p50 − both: unwrapping keys, decrypting and decoding the persons, scoring, and the noise between separate timings).")
	fmt.Fprintln(out)
	rows = nil
	for _, r := range all[:min(15, len(all))] {
		rest := r.p50 - r.group - r.fetch
		rows = append(rows, []string{r.q.Text, r.q.Kind, scopeLabel(r.scope), strconv.Itoa(r.keys), fmtInt(r.rows), fmtInt(r.cases), fmtMS(r.p50), fmtMS(r.group), fmtMS(r.fetch), fmtMS(max(rest, 0))})
	}
	printTable(out, []string{"query", "kind", "scope", "keys", "name_index rows", "candidates", "p50 ms", "candidates ms", "fetch ms", "rest ms"}, rows)

	// Shares over all runs.
	var tot, grp, fch time.Duration
	for _, r := range rep.runs {
		tot += r.p50
		grp += r.group
		fch += r.fetch
	}
	if tot > 0 {
		fmt.Fprintf(out, "Over all %d query × scope pairs, of the summed p50s: choosing candidates %.0f %%, reading candidates %.0f %%, the rest (decrypting, scoring) %.0f %%.\n\n",
			len(rep.runs), 100*float64(grp)/float64(tot), 100*float64(fch)/float64(tot), 100*float64(max(tot-grp-fch, 0))/float64(tot))
	}
	for _, e := range rep.explains {
		fmt.Fprintf(out, "EXPLAIN of the candidate query for %q (%s, %s; %s name_index rows, %s candidates, p50 %s ms):\n\n```\n%s\n```\n\n",
			e.run.q.Text, e.run.q.Kind, scopeLabel(e.run.scope), fmtInt(e.run.rows), fmtInt(e.run.cases), fmtMS(e.run.p50), strings.Join(e.lines, "\n"))
	}
}

func scopeLabel(scope string) string {
	if scope == "all" {
		return "every agency"
	}
	return "agency " + scope
}

func summaryRow(scope, kind string, rs []*nameRun) []string {
	d := durations(rs)
	over := 0
	var rowsN, cands, results []int
	found, inCands, unscoped := 0, 0, 0
	for _, r := range rs {
		if r.p50 > nameTarget {
			over++
		}
		rowsN = append(rowsN, r.rows)
		cands = append(cands, r.cases)
		results = append(results, r.results)
		if r.scope == "all" {
			unscoped++
			if r.found {
				found++
			}
			if r.inCands {
				inCands++
			}
		}
	}
	foundText := "–"
	if unscoped > 0 {
		foundText = fmt.Sprintf("%d / %d of %d", found, inCands, unscoped)
	}
	maxOf := func(xs []int) int {
		if len(xs) == 0 {
			return 0
		}
		return slices.Max(xs)
	}
	return []string{scope, kind, strconv.Itoa(len(rs)), strconv.Itoa(len(d)), fmtMS(quantile(d, 0.5)), fmtMS(quantile(d, 0.95)), fmtMS(quantile(d, 1)),
		strconv.Itoa(over), fmtInt(medianInt(rowsN)) + " / " + fmtInt(maxOf(rowsN)), fmtInt(medianInt(cands)) + " / " + fmtInt(maxOf(cands)),
		strconv.Itoa(medianInt(results)), foundText}
}

func printNamesTargets(out io.Writer, reports []*namesReport) {
	section(out, "Target")
	var rows [][]string
	for _, rep := range reports {
		for _, scope := range []string{"all", scopeAgency} {
			var rs []*nameRun
			for _, r := range rep.runs {
				if r.scope == scope {
					rs = append(rs, r)
				}
			}
			p95 := quantile(durations(rs), 0.95)
			verdict := "met"
			if p95 > nameTarget {
				verdict = "**missed**"
			}
			rows = append(rows, []string{rep.db, fmtInt(rep.cases), scopeLabel(scope), fmtMS(p95), verdict})
		}
	}
	printTable(out, []string{"db", "persons", "scope", "p95 ms", "p95 ≤ 50 ms"}, rows)
}
