// SPDX-License-Identifier: AGPL-3.0-or-later

// Command bench measures Vigie's import and list speed on SQLite and
// PostgreSQL and prints every figure as a table (see BENCHMARKS.md).
//
//	go run ./bench [-db sqlite|postgres|both] [-n 1000000] [-what import,list,sqlite3,all]
//	go run ./bench gen -n 1000000 -out FILE [-seed 1]
//	go run ./bench names [-n 1000000] [-db sqlite|postgres|both] [-queries 200]
//	go run ./bench anonymize [-n 100000,1000000] [-utility-n 5000,100000] [-runs 3]
//	go run ./bench publish -sqlite-data DIR [-pg URL] [-runs 3]
//	go run ./bench floor -sqlite-data DIR [-threads N]   # SQLite's own speed on the import's rows, in SQL
//
// The run generates a CTDC Global Dataset file of n rows in a temporary
// directory (never in the repository), imports it and the real CTDC file
// the way `vigie import ctdc` does (in a child process, for the peak RSS),
// compares with sqlite3's .import, then times the list queries of the API
// (db.FindCases) on the imported database and prints their query plans.
// It is not part of `go test ./...`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"vigie/bench/gen"
	"vigie/internal/importer"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "gen":
			return runGen(args[1:], stdout)
		case "names":
			return runNames(ctx, args[1:], stdout)
		case "dashboard":
			return runDashboard(ctx, args[1:], stdout)
		case "report":
			return runReport(ctx, args[1:], stdout)
		case "anonymize":
			return runAnonymizeBench(ctx, args[1:], stdout)
		case "publish":
			return runPublish(ctx, args[1:], stdout)
		case "floor":
			return runFloor(ctx, args[1:], stdout)
		case childCommand:
			return importChild(ctx, args[1:], stdout)
		case anonymizeChildCommand:
			return anonymizeChild(args[1:], stdout)
		}
	}
	return runBench(ctx, args, stdout)
}

// runGen is `bench gen`: write a generated file.
func runGen(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	n := fs.Int("n", 1_000_000, "rows to write")
	out := fs.String("out", "", "file to write (required)")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same file)")
	real := fs.String("ctdc", gen.DefaultRealPath(), "the real CTDC Global Dataset file whose distributions are drawn from")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New("usage: bench gen -n ROWS -out FILE [-seed N] [-ctdc REAL.csv]")
	}
	start := time.Now()
	m, err := gen.LoadFile(*real)
	if err != nil {
		return err
	}
	if err := m.WriteFile(*out, *n, *seed); err != nil {
		return err
	}
	st, _ := os.Stat(*out)
	fmt.Fprintf(stdout, "wrote %s: %d rows, %.1f MB, %.2f s (model: %d real rows, %d key tuples)\n",
		*out, *n, float64(st.Size())/1e6, time.Since(start).Seconds(), m.Rows(), m.KeyGroups())
	return nil
}

// config is the command line of a benchmark run.
type config struct {
	dbs        []string // "sqlite", "postgres"
	n          int
	what       map[string]bool
	seed       uint64
	pgURL      string
	real       string
	batch      int
	reps       int
	minReps    int
	budget     time.Duration
	page       int
	tmp        string
	keep       bool
	cpuprofile string
	analyze    bool
	via        string // cli or self
	vigieBin   string
	listDB     string
	timeout    time.Duration
}

func parseConfig(args []string) (*config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	db := fs.String("db", "both", "sqlite, postgres or both")
	n := fs.Int("n", 1_000_000, "rows of the generated CTDC file")
	what := fs.String("what", "all", "comma-separated: import, list, sqlite3, all")
	seed := fs.Uint64("seed", 1, "seed of the generated file")
	pg := fs.String("pg", envOr("VIGIE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "PostgreSQL server (a fresh schema is created and dropped)")
	real := fs.String("ctdc", gen.DefaultRealPath(), "the real CTDC Global Dataset file")
	batch := fs.Int("batch", importer.DefaultBatchSize, "cases per transaction (vigie import's --batch, whose default this is)")
	reps := fs.Int("reps", 50, "timed runs of each list query")
	minReps := fs.Int("min-reps", 3, "runs of each list query even past -budget")
	budget := fs.Duration("budget", time.Second, "time after which a list query stops being repeated (once it ran -min-reps times)")
	page := fs.Int("page", 0, "the later page timed for each list query: 0 = the page after the middle match; N ≥ 2 = page N, reached by following next_cursor")
	tmp := fs.String("tmp", os.TempDir(), "directory for the generated files and SQLite databases (a subdirectory is created)")
	keep := fs.Bool("keep", false, "keep the temporary directory (files, SQLite databases, rejects) and the PostgreSQL schemas")
	cpuprofile := fs.String("cpuprofile", "", "write CPU profiles to PREFIX-import-DB-FILE.pprof (in the import child) and PREFIX-list-DB.pprof")
	analyze := fs.Bool("analyze", false, "run db.Analyze again before the list queries (vigie import already runs it after each import)")
	via := fs.String("via", "cli", "how imports run: cli = `vigie import ctdc` built from ./cmd/vigie; self = this binary re-executed, same steps, with the Run/Analyze split and -cpuprofile (implied by -cpuprofile)")
	timeout := fs.Duration("import-timeout", 20*time.Minute, "kill an import that runs longer (a hung import fails the run instead of blocking it)")
	listDB := fs.String("list-db", "", "run only the list queries and EXPLAIN on this existing database (sqlite:PATH or a postgres:// URL) holding the agencies GEN and CTDC")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (subcommands: gen, names)", fs.Arg(0))
	}
	c := &config{n: *n, seed: *seed, pgURL: *pg, real: *real, batch: *batch, reps: *reps, minReps: *minReps,
		budget: *budget, page: *page, tmp: *tmp, keep: *keep, cpuprofile: *cpuprofile, analyze: *analyze, via: *via, listDB: *listDB, timeout: *timeout, what: map[string]bool{}}
	switch {
	case c.cpuprofile != "":
		c.via = "self"
	case c.via != "cli" && c.via != "self":
		return nil, fmt.Errorf("-via %q: cli or self", c.via)
	}
	switch *db {
	case "both":
		c.dbs = []string{"sqlite", "postgres"}
	case "sqlite", "postgres":
		c.dbs = []string{*db}
	default:
		return nil, fmt.Errorf("-db %q: sqlite, postgres or both", *db)
	}
	for _, w := range strings.Split(*what, ",") {
		switch w = strings.TrimSpace(w); w {
		case "all":
			c.what["import"], c.what["list"], c.what["sqlite3"] = true, true, true
		case "import", "list", "sqlite3":
			c.what[w] = true
		default:
			return nil, fmt.Errorf("-what %q: import, list, sqlite3 or all", w)
		}
	}
	if c.n < 1 || c.reps < 1 || c.page == 1 || c.page < 0 {
		return nil, errors.New("-n and -reps must be positive and -page 0 or at least 2")
	}
	if c.cpuprofile != "" {
		p, err := filepath.Abs(c.cpuprofile)
		if err != nil {
			return nil, err
		}
		c.cpuprofile = p
	}
	return c, nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// Agency codes of the two imported files.
const (
	agencyReal = "CTDC" // vigie import ctdc's default
	agencyGen  = "GEN"
)

func runBench(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := parseConfig(args)
	if err != nil {
		return err
	}
	began := time.Now()
	dir, err := os.MkdirTemp(cfg.tmp, "vigie-bench-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintln(os.Stderr, "bench: keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	fmt.Fprintf(out, "# Vigie benchmark, %s\n\n", began.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(out, "Command: `%s`\n\n", strings.TrimSpace("go run ./bench "+strings.Join(args, " ")))

	if _, err := os.Stat(cfg.real); err != nil {
		return fmt.Errorf("the real CTDC file is needed (it is read from ../shared/data/ctdc beside the repository; -ctdc to give another path): %w", err)
	}
	printMachine(ctx, out, cfg, dir)
	if cfg.listDB != "" {
		t := dbTarget{kind: "postgres", url: cfg.listDB}
		if p, ok := strings.CutPrefix(cfg.listDB, "sqlite:"); ok {
			t = dbTarget{kind: "sqlite", url: cfg.listDB, path: p}
		}
		rep, err := runList(ctx, cfg, t)
		if err != nil {
			return err
		}
		printList(out, cfg, rep)
		printTargets(out, cfg, nil, nil, map[string]*listReport{t.kind: rep})
		return nil
	}
	if cfg.via == "cli" && (cfg.what["import"] || cfg.what["list"]) {
		progress("building ./cmd/vigie")
		if cfg.vigieBin, err = buildVigie(ctx, dir); err != nil {
			return err
		}
	}

	// The generated file.
	genPath := filepath.Join(dir, fmt.Sprintf("ctdc-generated-%d.csv", cfg.n))
	progress("generating %d rows", cfg.n)
	start := time.Now()
	m, err := gen.LoadFile(cfg.real)
	if err != nil {
		return err
	}
	loaded := time.Since(start)
	if err := m.WriteFile(genPath, cfg.n, cfg.seed); err != nil {
		return err
	}
	genTime := time.Since(start) - loaded
	st, err := os.Stat(genPath)
	if err != nil {
		return err
	}
	realRows := m.Rows()
	section(out, "Generated data")
	fmt.Fprintf(out, "Model: %d real rows, %d key tuples (yearOfRegistration, Datasource, gender, ageBroad, majorityStatus), %d column blocks; loaded in %s.\n\n",
		realRows, m.KeyGroups(), len(m.Blocks()), fmtDur(loaded))
	printTable(out, []string{"file", "rows", "MB", "seconds", "rows/s"}, [][]string{{
		filepath.Base(genPath), fmtInt(cfg.n), fmt.Sprintf("%.1f", float64(st.Size())/1e6), fmtSec(genTime), fmtInt(int(float64(cfg.n) / genTime.Seconds()))}})

	files := []benchFile{
		{label: "CTDC 2017 (real)", path: cfg.real, rows: realRows, agency: agencyReal},
		{label: fmt.Sprintf("generated %s", fmtInt(cfg.n)), path: genPath, rows: cfg.n, agency: agencyGen},
	}
	var imports []importFigures
	lists := map[string]*listReport{}
	for _, dbKind := range cfg.dbs {
		if !cfg.what["import"] && !cfg.what["list"] {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if cfg.what["import"] {
			// The real file into a fresh database.
			f, err := importFresh(ctx, cfg, dir, dbKind, files[0])
			if err != nil {
				return err
			}
			imports = append(imports, f)
		}
		// The generated file into a fresh database, then the real file
		// into the same database: the list queries run on both.
		err := withFreshDB(ctx, cfg, dir, dbKind, "list", func(target dbTarget) error {
			f, err := runImportChild(ctx, cfg, dir, target, files[1], "fresh database")
			if err != nil {
				return err
			}
			imports = append(imports, f)
			if !cfg.what["list"] {
				return nil
			}
			f, err = runImportChild(ctx, cfg, dir, target, files[0], fmt.Sprintf("after the %s rows", fmtInt(cfg.n)))
			if err != nil {
				return err
			}
			imports = append(imports, f)
			rep, err := runList(ctx, cfg, target)
			if err != nil {
				return err
			}
			lists[dbKind] = rep
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(imports) > 0 {
		section(out, "Import")
		if cfg.via == "cli" {
			fmt.Fprintf(out, "`vigie import ctdc FILE --agency A --batch %d --quiet` (built from ./cmd/vigie) in a child process: ctdc.NewReader → importer.Run, after opening and migrating the database, then db.Analyze. "+
				"Seconds = the whole process (start to exit); records/s = rows read / seconds.", cfg.batch)
		} else {
			fmt.Fprintf(out, "The steps of `vigie import ctdc FILE --agency A --batch %d` (cmd/vigie/import.go: open and migrate, EnsureAgency, ctdc.NewReader → importer.Run, db.Analyze) in a child process (this binary re-executed). "+
				"Seconds = from opening the file to the end of Analyze; records/s = rows read / seconds.", cfg.batch)
		}
		fmt.Fprintln(out, " Peak RSS = the child's getrusage maxrss (its VmHWM), in MB of 10^6 bytes; child CPU = the child's user + system time; server CPU = the CPU time of every postgres process on this host during the import (other sessions' work on that server included).")
		fmt.Fprintln(out)
		printImports(out, imports)
	}
	var s3 []sqlite3Figures
	if cfg.what["sqlite3"] {
		s3 = runSQLite3(ctx, dir, files)
		section(out, "sqlite3 .import")
		printSQLite3(out, s3, imports)
	}
	for _, dbKind := range cfg.dbs {
		if rep := lists[dbKind]; rep != nil {
			printList(out, cfg, rep)
		}
	}
	printTargets(out, cfg, imports, s3, lists)
	fmt.Fprintf(out, "\nTotal run time: %s. Load average at the end (1, 5, 15 min): %s.\n", fmtDur(time.Since(began)), loadAvg())
	return nil
}

// benchFile is a file to import.
type benchFile struct {
	label, path string
	rows        int
	agency      string
}

func section(out io.Writer, title string) { fmt.Fprintf(out, "\n## %s\n\n", title) }

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// startProfile starts a CPU profile into path; the returned func stops it.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// writeAllocs writes the allocation profile (every allocation since the
// start, and what is still in use) into path.
func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fmtInt(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	parts = append([]string{s}, parts...)
	r := strings.Join(parts, ",")
	if neg {
		r = "-" + r
	}
	return r
}

func fmtSec(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

func fmtDur(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func fmtMS(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/1e6) }

// printTable writes a Markdown table with padded columns.
func printTable(out io.Writer, head []string, rows [][]string) {
	w := make([]int, len(head))
	for i, h := range head {
		w[i] = len([]rune(h))
	}
	for _, r := range rows {
		for i, c := range r {
			w[i] = max(w[i], len([]rune(c)))
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		b.WriteString("|")
		for i, c := range cells {
			b.WriteString(" " + c + strings.Repeat(" ", w[i]-len([]rune(c))) + " |")
		}
		fmt.Fprintln(out, b.String())
	}
	line(head)
	sep := make([]string, len(head))
	for i := range sep {
		sep[i] = strings.Repeat("-", w[i])
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	fmt.Fprintln(out)
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
