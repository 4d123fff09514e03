// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"vigie/bench/gen"
	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/report"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
)

// runReport is `bench report`: the annual report (every table of every
// section, as the page and the files build it) timed on n generated
// cases, for the heaviest year and for every year at once, with the plan
// of its one read of the cases, on SQLite and PostgreSQL.
//
//	go run ./bench report [-n 1000000] [-db sqlite|postgres|both] [-reps 7] [-sqlite-data DIR]
//
// -sqlite-data times an existing SQLite data directory (one made by an
// earlier run with -keep) instead of importing again.
func runReport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	n := fs.Int("n", 1_000_000, "generated cases")
	dbs := fs.String("db", "both", "sqlite, postgres or both")
	reps := fs.Int("reps", 7, "timed builds of each report")
	seed := fs.Uint64("seed", 1, "seed of the generated file")
	existing := fs.String("sqlite-data", "", "an existing SQLite data directory to time (no import)")
	keep := fs.Bool("keep", false, "keep the databases")
	pg := fs.String("pg", envOr("VIGIE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "PostgreSQL server (a fresh schema is created and dropped)")
	real := fs.String("ctdc", gen.DefaultRealPath(), "the real CTDC Global Dataset file")
	tmp := fs.String("tmp", os.TempDir(), "directory for the generated file and the SQLite database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := &config{pgURL: *pg, keep: *keep}
	if *existing != "" {
		printMachine(ctx, stdout, cfg, *existing)
		return reportOn(ctx, stdout, sqliteDataTarget(*existing), *reps)
	}
	kinds := []string{*dbs}
	if *dbs == "both" {
		kinds = []string{"sqlite", "postgres"}
	}
	dir, err := os.MkdirTemp(*tmp, "vigie-bench-report-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	m, err := gen.LoadFile(*real)
	if err != nil {
		return err
	}
	file := filepath.Join(dir, "gen.csv")
	progress("writing %d generated rows", *n)
	if err := m.WriteFile(file, *n, *seed); err != nil {
		return err
	}
	printMachine(ctx, stdout, cfg, dir)
	for _, kind := range kinds {
		err := withFreshDB(ctx, cfg, dir, kind, "report", func(t dbTarget) error {
			if t.data == "" {
				t.data = filepath.Join(dir, "pg-data")
				if err := os.MkdirAll(t.data, 0o700); err != nil {
					return err
				}
			}
			progress("importing into %s", t.kind)
			start := time.Now()
			if err := importChild(ctx, []string{"-db", t.url, "-data", t.data, "-agency", "GEN", file}, io.Discard); err != nil {
				return err
			}
			progress("imported in %s", time.Since(start).Round(time.Second))
			if err := spreadCases(ctx, t); err != nil {
				return err
			}
			return reportOn(ctx, stdout, t, *reps)
		})
		if err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
	}
	return nil
}

func reportOn(ctx context.Context, out io.Writer, t dbTarget, reps int) error {
	db, err := sqlstore.Open(ctx, t.url, t.data)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := seal.OpenKeyring(filepath.Join(t.data, "vigie.key"))
	if err != nil {
		return err
	}
	db.SetKeys(keys)
	// The spread changed the cases by SQL, behind the cube's back.
	if err := db.RebuildReportCube(ctx); err != nil {
		return err
	}
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	if t.kind == "postgres" {
		// An index-only scan needs the visibility map that VACUUM writes
		// (autovacuum does it on a live server).
		raw, err := openRaw(t)
		if err != nil {
			return err
		}
		_, err = raw.ExecContext(ctx, `VACUUM ANALYZE cases`)
		raw.Close()
		if err != nil {
			return err
		}
	}
	svc := report.NewService(db)
	var total int64
	years, err := db.CaseCounts(ctx, domain.StatsQuery{By: []domain.StatsDim{domain.StatsYear}})
	if err != nil {
		return err
	}
	heaviest, first, last := 0, 9999, 0
	var most int64
	for _, y := range years {
		var year int
		if _, err := fmt.Sscan(y.Values[0], &year); err != nil {
			continue
		}
		total += y.N
		if y.N > most {
			heaviest, most = year, y.N
		}
		first, last = min(first, year), max(last, year)
	}
	section(out, fmt.Sprintf("Annual report on %s (%d cases)", t.kind, total))
	fmt.Fprintf(out, "load average at the start: %s\n\n", loadAvg())
	fmt.Fprintln(out, "| report | cases in the period | cube rows | tables | p50 ms | min ms | max ms | CPU ms per build |\n|---|---|---|---|---|---|---|---|")
	for _, p := range []report.Period{{From: heaviest, To: heaviest}, {From: first, To: last}} {
		var times []time.Duration
		var cpu time.Duration
		var r *report.Report
		for range reps {
			c0 := cpuTime()
			start := time.Now()
			v, err := svc.View(ctx, p, "")
			if err != nil {
				return err
			}
			times = append(times, time.Since(start))
			cpu += cpuTime() - c0
			r = v.Report
		}
		slices.Sort(times)
		cube, err := db.CaseCube(ctx, report.BaseFilter(p, ""), false)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "| %s | %d | %d | %d | %.0f | %.0f | %.0f | %.0f |\n", p, r.Table("victims_sex_age").Total, len(cube), len(r.Tables),
			ms(times[len(times)/2]), ms(times[0]), ms(times[len(times)-1]), ms(cpu/time.Duration(reps)))
	}
	// The files, once each, from the heaviest year's report.
	v, err := svc.View(ctx, report.Period{From: heaviest, To: heaviest}, "")
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "\n| file (heaviest year, French) | ms | bytes |\n|---|---|---|")
	for _, format := range []string{"xlsx", "csv", "html", "pdf"} {
		var b strings.Builder
		start := time.Now()
		if err := report.Write(&b, format, i18n.For(i18n.FR), v.Report, "bench"); err != nil {
			return err
		}
		fmt.Fprintf(out, "| %s | %.0f | %d |\n", format, ms(time.Since(start)), b.Len())
	}
	q, args, err := db.StatsQueries(ctx, report.BaseFilter(report.Period{From: heaviest, To: heaviest}, ""), false)
	if err != nil {
		return err
	}
	raw, err := openRaw(t)
	if err != nil {
		return err
	}
	defer raw.Close()
	explain := "EXPLAIN QUERY PLAN "
	if t.kind == "postgres" {
		explain = "EXPLAIN "
	}
	rows, err := raw.QueryContext(ctx, explain+q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	fmt.Fprintf(out, "\nPlan of the report's read of the cases (%s):\n\n```\n", t.kind)
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fmt.Fprintln(out, fmt.Sprint(vals[len(vals)-1]))
	}
	fmt.Fprintf(out, "```\n\nload average at the end: %s\n", loadAvg())
	return rows.Err()
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
