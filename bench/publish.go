// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"vigie/internal/domain"
	"vigie/internal/publish"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
)

// runPublish is `bench publish`: the draft of a record-level release
// (k = 11, the default quasi-identifiers) of every year of an imported
// database, as `vigie publish draft --kind records` makes it, split into
// its steps: the read of the rows from the database, the anonymisation,
// the sorted CSV, the evaluator's manifest, the ZIP and the store of the
// draft in releases. Each draft is rejected after it is timed, so that
// the next one (the same file) is not refused as comparable.
//
//	go run ./bench gen -n 1000000 -out /tmp/g.csv -seed 1
//	vigie import ctdc --data /tmp/sq --agency GEN /tmp/g.csv
//	vigie import ctdc --data /tmp/pg --db postgres://…/DB --agency GEN /tmp/g.csv
//	go run ./bench publish -sqlite-data /tmp/sq -pg postgres://…/DB [-runs 3]
//
// The databases are changed: users, drafts and their audit entries are
// added (rejected drafts, whose files can never be removed).
func runPublish(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	sqliteData := fs.String("sqlite-data", "", "an imported SQLite data directory")
	pg := fs.String("pg", "", "an imported PostgreSQL database (URL)")
	pgData := fs.String("pg-data", "", "the PostgreSQL import's data directory (for its key; optional)")
	runs := fs.Int("runs", 3, "timed drafts on each database (the median of each step is shown)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var targets []dbTarget
	if *sqliteData != "" {
		targets = append(targets, sqliteDataTarget(*sqliteData))
	}
	if *pg != "" {
		targets = append(targets, dbTarget{kind: "postgres", url: *pg, data: *pgData})
	}
	if len(targets) == 0 || *runs < 1 {
		return fmt.Errorf("publish: give -sqlite-data or -pg, and -runs ≥ 1")
	}
	printMachine(ctx, stdout, &config{}, os.TempDir())
	for _, t := range targets {
		if err := publishOn(ctx, stdout, t, *runs); err != nil {
			return fmt.Errorf("%s: %w", t.kind, err)
		}
	}
	return nil
}

// publishSteps are the steps of a draft, in order: publish.Options.Stage's
// names, then the store.
var publishSteps = []string{"read", "anonymise", "write", "evaluate", "zip", "store"}

func publishOn(ctx context.Context, out io.Writer, t dbTarget, runs int) error {
	db, err := sqlstore.Open(ctx, t.url, t.data)
	if err != nil {
		return err
	}
	defer db.Close()
	if t.data != "" {
		if keys, err := seal.OpenKeyring(filepath.Join(t.data, "vigie.key")); err == nil {
			db.SetKeys(keys)
		}
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
	years, err := db.CaseCounts(ctx, domain.StatsQuery{By: []domain.StatsDim{domain.StatsYear}})
	if err != nil {
		return err
	}
	from, to := 9999, 0
	for _, y := range years {
		var year int
		if _, err := fmt.Sscan(y.Values[0], &year); err == nil {
			from, to = min(from, year), max(to, year)
		}
	}
	author, err := benchUser(ctx, db, "author")
	if err != nil {
		return err
	}
	other, err := benchUser(ctx, db, "other")
	if err != nil {
		return err
	}
	section(out, fmt.Sprintf("Record-level release from %s, years %d–%d (k = 11, default quasi-identifiers)", t.kind, from, to))

	// The scan alone: the rows read and thrown away, one by one
	// (ReleaseRows) and counted (ReleaseRowCounts, what a draft reads).
	var scanWall, scanCPU, countWall, countCPU time.Duration
	var victims int
	for range runs {
		victims = 0
		c0, w0 := cpuTime(), time.Now()
		if err := db.ReleaseRows(ctx, from, to, func([]string) error { victims++; return nil }); err != nil {
			return err
		}
		scanWall, scanCPU = scanWall+time.Since(w0), scanCPU+cpuTime()-c0
		c0, w0 = cpuTime(), time.Now()
		if err := db.ReleaseRowCounts(ctx, from, to, func([]string, int) error { return nil }); err != nil {
			return err
		}
		countWall, countCPU = countWall+time.Since(w0), countCPU+cpuTime()-c0
	}
	r := time.Duration(runs)
	fmt.Fprintf(out, "load average at the start: %s; %d victims; rows read and thrown away (mean of %d): ReleaseRows %.0f ms wall, %.0f ms CPU; ReleaseRowCounts %.0f ms wall, %.0f ms CPU\n\n",
		loadAvg(), victims, runs, ms(scanWall/r), ms(scanCPU/r), ms(countWall/r), ms(countCPU/r))

	wall := map[string][]time.Duration{}
	cpu := map[string][]time.Duration{}
	var size int64
	var loads []string
	for range runs {
		loads = append(loads, loadAvg())
		c0, w0 := cpuTime(), time.Now()
		lastC, lastW := c0, w0
		mark := func(name string) {
			c, w := cpuTime(), time.Now()
			wall[name], cpu[name] = append(wall[name], w.Sub(lastW)), append(cpu[name], c-lastC)
			lastC, lastW = c, w
		}
		actx := domain.WithActor(ctx, author)
		nr, err := publish.Build(actx, db, publish.Options{Kind: domain.ReleaseRecords, Title: "bench", From: from, To: to, Stage: mark})
		if err != nil {
			return err
		}
		rel, err := db.CreateRelease(actx, nr)
		if err != nil {
			return err
		}
		mark("store")
		wall["total"], cpu["total"] = append(wall["total"], time.Since(w0)), append(cpu["total"], cpuTime()-c0)
		size = rel.FileSize
		if _, err := db.StepRelease(domain.WithActor(ctx, other), rel.ID, rel.Version, domain.StepReject, "bench"); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "file %d bytes; load average before each draft: %s\n\n", size, strings.Join(loads, "; "))
	fmt.Fprintln(out, "| step | median wall ms | median CPU ms |\n|---|---|---|")
	for _, s := range append(slices.Clone(publishSteps), "total") {
		fmt.Fprintf(out, "| %s | %.0f | %.0f |\n", s, ms(median(wall[s])), ms(median(cpu[s])))
	}
	return nil
}

// benchUser adds a coordinator of the imported agency (GEN) who never
// signs in, and returns them as an actor.
func benchUser(ctx context.Context, db *sqlstore.DB, name string) (*domain.Principal, error) {
	var b [4]byte
	_, _ = rand.Read(b[:])
	u := &domain.User{Email: "bench-" + name + "-" + hex.EncodeToString(b[:]) + "@bench.example", Agency: "GEN",
		Roles: []domain.Role{domain.RoleCoordinator}}
	if err := db.CreateUser(ctx, u, "no sign-in"); err != nil {
		return nil, err
	}
	return &domain.Principal{UserID: u.ID, Email: u.Email, Agency: u.Agency, Roles: u.Roles}, nil
}
