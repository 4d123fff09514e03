// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"vigie/internal/ctdc"
	"vigie/internal/domain"
	"vigie/internal/importer"
	"vigie/internal/seal"
	"vigie/internal/sqlstore" // also registers the "sqlite" and "pgx" drivers
)

// childCommand is the hidden subcommand that runs one import in a child
// process, so that its peak RSS is the import's alone.
const childCommand = "__import"

// childResult is what the child prints as JSON on stdout.
type childResult struct {
	Rows           int     `json:"rows"`
	Imported       int     `json:"imported"`
	Skipped        int     `json:"skipped"`
	Rejected       int     `json:"rejected"`
	Seconds        float64 `json:"seconds"`         // file open → end of the command (Analyze included)
	RunSeconds     float64 `json:"run_seconds"`     // importer.Run alone
	IndexSeconds   float64 `json:"index_seconds"`   // building the deferred indexes again after Run
	AnalyzeSeconds float64 `json:"analyze_seconds"` // db.Analyze after the import
	VmHWMKB        int64   `json:"vmhwm_kb"`
}

// importChild does what `vigie import ctdc FILE --db URL --data DIR
// --agency A --reject R --quiet` does (cmd/vigie/import.go: importCTDC,
// runFileImport, with importer.CheckAgencies and --defer-indexes auto, as of
// 2026-11-28), timing its steps,
// and prints a childResult. It is used with -via self (and -cpuprofile).
func importChild(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet(childCommand, flag.ContinueOnError)
	dbURL := fs.String("db", "", "database URL")
	data := fs.String("data", "", "data directory")
	agency := fs.String("agency", "CTDC", "agency code")
	reject := fs.String("reject", "", "reject file")
	batch := fs.Int("batch", 2000, "batch size")
	cpuprofile := fs.String("cpuprofile", "", "CPU profile file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: " + childCommand + " [flags] FILE.csv")
	}
	path := fs.Arg(0)
	stop, err := startProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()

	start := time.Now()
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	source := filepath.Base(path)
	counter := &importer.CountingReader{R: file}
	rd, err := ctdc.NewReader(counter, ctdc.Options{Agency: *agency, Source: source})
	if err != nil {
		return err
	}
	next := func() (int, *domain.Case, []domain.RowError, error) {
		rec, rejects, err := rd.Next()
		if rec == nil {
			return 0, nil, rejects, err
		}
		return rec.Row, rec.Case, rejects, err
	}
	db, err := sqlstore.Open(ctx, *dbURL, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	// As the CLI does: the key file in the data directory.
	keys, err := seal.OpenKeyring(filepath.Join(*data, "vigie.key"))
	if err != nil {
		return err
	}
	db.SetKeys(keys)
	if _, err := db.EnsureAgency(ctx, *agency, "Import "+*agency); err != nil {
		return err
	}
	next = importer.CheckAgencies(ctx, db, next)
	deferral, err := deferAuto(ctx, db, path)
	if err != nil {
		return err
	}
	runStart := time.Now()
	res, err := importer.Run(ctx, db, next, importer.Options{BatchSize: *batch, RejectPath: *reject})
	if err != nil {
		return err
	}
	runEnd := time.Now()
	if deferral != nil {
		if _, _, err := deferral.Restore(ctx); err != nil {
			return err
		}
	}
	indexEnd := time.Now()
	if res.Imported > 0 {
		if err := db.Analyze(context.WithoutCancel(ctx)); err != nil {
			return err
		}
	}
	end := time.Now()
	stop()
	if *cpuprofile != "" {
		// The allocations beside the CPU profile: what the import's
		// garbage costs is half of where its memory goes.
		if err := writeAllocs(*cpuprofile + ".allocs"); err != nil {
			return err
		}
	}
	out := childResult{Rows: rd.Rows(), Imported: res.Imported, Skipped: res.Skipped, Rejected: res.Rejected,
		Seconds: end.Sub(start).Seconds(), RunSeconds: runEnd.Sub(runStart).Seconds(), IndexSeconds: indexEnd.Sub(runEnd).Seconds(), AnalyzeSeconds: end.Sub(indexEnd).Seconds(),
		VmHWMKB: vmHWM("self")}
	return json.NewEncoder(stdout).Encode(out)
}

// vmHWM reads the peak resident set size of a process from /proc, in KiB.
func vmHWM(pid string) int64 {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// dbTarget is a fresh database: a SQLite file or a PostgreSQL schema.
type dbTarget struct {
	kind    string // sqlite or postgres
	url     string // for sqlstore.Open
	data    string // data directory (SQLite)
	path    string // SQLite file
	schema  string // PostgreSQL schema
	adminDB *sql.DB
}

// sqliteDataTarget is the SQLite database of an existing data directory.
func sqliteDataTarget(dir string) dbTarget {
	path := filepath.Join(dir, "vigie.db")
	return dbTarget{kind: "sqlite", url: "sqlite:" + path, data: dir, path: path}
}

// withFreshDB creates a fresh database, runs fn and removes it.
func withFreshDB(ctx context.Context, cfg *config, dir, kind, name string, fn func(dbTarget) error) error {
	if kind == "sqlite" {
		data, err := os.MkdirTemp(dir, "sqlite-"+name+"-")
		if err != nil {
			return err
		}
		if !cfg.keep {
			defer os.RemoveAll(data)
		}
		path := filepath.Join(data, "vigie.db")
		return fn(dbTarget{kind: kind, url: "sqlite:" + path, data: data, path: path})
	}
	admin, err := sql.Open("pgx", cfg.pgURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		return fmt.Errorf("PostgreSQL at %s: %w (use -db sqlite to skip it)", cfg.pgURL, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "vigie_bench_" + name + "_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return err
	}
	if cfg.keep {
		progress("keeping schema %s", schema)
	} else {
		defer func() {
			if _, err := admin.ExecContext(context.WithoutCancel(ctx), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
				progress("could not drop schema %s: %v", schema, err)
			}
		}()
	}
	sep := "?"
	if strings.Contains(cfg.pgURL, "?") {
		sep = "&"
	}
	return fn(dbTarget{kind: kind, url: cfg.pgURL + sep + "search_path=" + schema, schema: schema, adminDB: admin})
}

// importFigures is one timed import.
type importFigures struct {
	db, file, into, via string
	res                 childResult
	wall                time.Duration
	maxRSSKB            int64
	cpu                 time.Duration
	serverCPU           time.Duration // PostgreSQL processes on this host; -1 when unknown
	dbBytes             int64
}

func (f importFigures) serverCPUText() string {
	if f.serverCPU < 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", f.serverCPU.Seconds())
}

// breakdown is "Run / indexes / Analyze" seconds, known with -via self
// only.
func (f importFigures) breakdown() string {
	if f.via != "self" {
		return "-"
	}
	return fmt.Sprintf("%.2f / %.2f / %.2f", f.res.RunSeconds, f.res.IndexSeconds, f.res.AnalyzeSeconds)
}

// deferAuto drops the list indexes as vigie import's --defer-indexes auto
// does (the same rule, importer.AutoDefer); nil when it keeps them.
func deferAuto(ctx context.Context, db *sqlstore.DB, path string) (*sqlstore.IndexDeferral, error) {
	ok, _, _, err := importer.AutoDefer(ctx, db, "", func(need int) (int, error) { return importer.CountLines(path, need) })
	if err != nil || !ok {
		return nil, err
	}
	return db.DeferIndexes(ctx)
}

// rssMB is the peak RSS in MB (10^6 bytes).
func (f importFigures) rssMB() float64 { return float64(f.maxRSSKB) * 1024 / 1e6 }

func (f importFigures) rate() float64 {
	if f.res.Seconds == 0 {
		return 0
	}
	return float64(f.res.Rows) / f.res.Seconds
}

// importFresh imports a file into a fresh database of its own.
func importFresh(ctx context.Context, cfg *config, dir, kind string, f benchFile) (importFigures, error) {
	var out importFigures
	err := withFreshDB(ctx, cfg, dir, kind, "import", func(t dbTarget) error {
		var err error
		out, err = runImportChild(ctx, cfg, dir, t, f, "fresh database")
		return err
	})
	return out, err
}

// runImportChild runs one import in a child process and measures it:
// with -via cli the vigie binary built from ./cmd/vigie runs
// `vigie import ctdc`; with -via self this binary runs importChild.
func runImportChild(ctx context.Context, cfg *config, dir string, t dbTarget, f benchFile, into string) (importFigures, error) {
	progress("importing %s into %s (%s, via %s)", f.label, t.kind, into, cfg.via)
	tag := t.kind + "-" + strings.NewReplacer(" ", "", ",", "", "(", "", ")", "").Replace(f.label)
	if into != "fresh database" {
		tag += "-into-existing"
	}
	reject := filepath.Join(dir, tag+".rejects.csv")
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	var cmd *exec.Cmd
	if cfg.via == "cli" {
		args := []string{"import", "ctdc", f.path, "--agency", f.agency, "--batch", strconv.Itoa(cfg.batch), "--reject", reject, "--quiet"}
		if t.kind == "sqlite" {
			args = append(args, "--data", t.data)
		} else {
			args = append(args, "--db", t.url)
		}
		cmd = exec.CommandContext(ctx, cfg.vigieBin, args...)
		cmd.Env = append(os.Environ(), "VIGIE_DB=", "VIGIE_DATA=")
	} else {
		exe, err := os.Executable()
		if err != nil {
			return importFigures{}, err
		}
		args := []string{childCommand, "-db", t.url, "-data", t.data, "-agency", f.agency, "-batch", strconv.Itoa(cfg.batch), "-reject", reject}
		if cfg.cpuprofile != "" {
			args = append(args, "-cpuprofile", cfg.cpuprofile+"-import-"+tag+".pprof")
		}
		cmd = exec.CommandContext(ctx, exe, append(args, f.path)...)
	}
	var stdout strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	serverBefore := postgresCPU(t)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return importFigures{}, fmt.Errorf("import of %s into %s: %w (output: %s)", f.label, t.kind, err, stdout.String())
	}
	wall := time.Since(start)
	serverCPU := time.Duration(-1)
	if serverBefore >= 0 {
		serverCPU = postgresCPU(t) - serverBefore
	}
	var res childResult
	if cfg.via == "cli" {
		var err error
		if res, err = parseCLIOutput(stdout.String()); err != nil {
			return importFigures{}, err
		}
		res.Seconds = wall.Seconds()
	} else if err := json.Unmarshal([]byte(stdout.String()), &res); err != nil {
		return importFigures{}, fmt.Errorf("import child output %q: %w", stdout.String(), err)
	}
	fig := importFigures{db: t.kind, file: f.label, into: into, res: res, wall: wall, via: cfg.via, serverCPU: serverCPU}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		fig.maxRSSKB = ru.Maxrss // KiB on Linux
		fig.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	fig.dbBytes = dbSize(ctx, t)
	progress("  %d rows in %.2f s = %.0f records/s, peak RSS %.0f MB, CPU %.1f s, server CPU %s s", res.Rows, res.Seconds, fig.rate(), fig.rssMB(), fig.cpu.Seconds(), fig.serverCPUText())
	return fig, nil
}

// clockTick is the unit of the CPU times in /proc/PID/stat (USER_HZ,
// 100 on Linux).
const clockTick = 10 * time.Millisecond

// postgresCPU is the CPU time used so far by the PostgreSQL server when
// it runs on this host: user + system time of every process named
// postgres, plus that of its exited children (backends that ended are
// accounted to the postmaster that reaped them). It includes other
// sessions' work on the same server. -1 for SQLite or a remote server.
func postgresCPU(t dbTarget) time.Duration {
	if t.kind != "postgres" {
		return -1
	}
	u, err := url.Parse(t.url)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		return -1
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return -1
	}
	var ticks int64
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		open, end := strings.IndexByte(string(b), '('), strings.LastIndexByte(string(b), ')')
		if open < 0 || end < open || string(b[open+1:end]) != "postgres" {
			continue
		}
		// Fields after the command: state is field 3; utime, stime,
		// cutime, cstime are fields 14 to 17.
		f := strings.Fields(string(b[end+1:]))
		if len(f) < 15 {
			continue
		}
		for _, x := range f[11:15] {
			n, _ := strconv.ParseInt(x, 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * clockTick
}

// parseCLIOutput reads the closing lines of vigie import: "imported: N
// rejected: M" and, when rows were skipped, "…skipped: K".
func parseCLIOutput(out string) (childResult, error) {
	var r childResult
	found := false
	for _, l := range strings.Split(out, "\n") {
		if _, err := fmt.Sscanf(l, "imported: %d rejected: %d", &r.Imported, &r.Rejected); err == nil {
			found = true
		}
		if i := strings.LastIndex(l, "skipped: "); i >= 0 {
			r.Skipped, _ = strconv.Atoi(strings.TrimSpace(l[i+len("skipped: "):]))
		}
	}
	if !found {
		return r, fmt.Errorf("vigie import printed no \"imported: N rejected: M\" line: %q", out)
	}
	r.Rows = r.Imported + r.Rejected + r.Skipped
	return r, nil
}

// moduleRoot is the directory holding go.mod, from the working directory up.
func moduleRoot() string {
	d, err := os.Getwd()
	if err != nil {
		return "."
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "."
		}
		d = parent
	}
}

// buildVigie builds ./cmd/vigie into dir, as `make build` does.
func buildVigie(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "vigie")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, "./cmd/vigie")
	cmd.Dir = moduleRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/vigie: %w: %s (use -via self to import in this binary instead)", err, out)
	}
	return bin, nil
}

// dbSize is the size of the database: the SQLite file and its WAL, or
// the tables, indexes and TOAST of the PostgreSQL schema.
func dbSize(ctx context.Context, t dbTarget) int64 {
	if t.kind == "sqlite" {
		var n int64
		for _, p := range []string{t.path, t.path + "-wal"} {
			if st, err := os.Stat(p); err == nil {
				n += st.Size()
			}
		}
		return n
	}
	var n int64
	_ = t.adminDB.QueryRowContext(ctx, `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`, t.schema).Scan(&n)
	return n
}

func printImports(out io.Writer, figs []importFigures) {
	var rows [][]string
	for _, f := range figs {
		rows = append(rows, []string{f.db, f.file, f.into, fmtInt(f.res.Rows), fmtInt(f.res.Imported), fmtInt(f.res.Rejected),
			fmt.Sprintf("%.2f", f.res.Seconds), fmtInt(int(f.rate())), fmt.Sprintf("%.0f", f.rssMB()),
			fmt.Sprintf("%.1f", f.cpu.Seconds()), f.serverCPUText(), fmt.Sprintf("%.0f", float64(f.dbBytes)/1e6), f.breakdown()})
	}
	printTable(out, []string{"db", "file", "into", "rows", "imported", "rejected", "seconds", "records/s", "peak RSS MB", "child CPU s", "server CPU s", "db size MB", "of which Run / indexes / Analyze s"}, rows)
}
