// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"vigie/bench/gen"
	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
	"vigie/internal/web"
)

// runDashboard is `bench dashboard`: the coordinators' dashboard page
// (/dashboard, every chart and map) timed over HTTP on a database of n
// generated cases, and each of its stats queries alone.
//
// The generated CTDC records carry a year of registration and no
// province; -spread (default on) then gives each a month and one of the
// 26 provinces, by SQL on the benchmark's own database, so that the
// monthly series and the province map are drawn as they will be on real
// data.
func runDashboard(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("dashboard", flag.ContinueOnError)
	n := fs.Int("n", 1_000_000, "generated cases")
	dbs := fs.String("db", "both", "sqlite, postgres or both")
	reps := fs.Int("reps", 5, "timed loads of each page")
	seed := fs.Uint64("seed", 1, "seed of the generated file")
	spread := fs.Bool("spread", true, "give the imported cases a month and a province")
	pg := fs.String("pg", envOr("VIGIE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "PostgreSQL server (a fresh schema is created and dropped)")
	real := fs.String("ctdc", gen.DefaultRealPath(), "the real CTDC Global Dataset file")
	tmp := fs.String("tmp", os.TempDir(), "directory for the generated file and the SQLite database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	kinds := []string{*dbs}
	if *dbs == "both" {
		kinds = []string{"sqlite", "postgres"}
	}
	dir, err := os.MkdirTemp(*tmp, "vigie-bench-dashboard-")
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
	cfg := &config{pgURL: *pg}
	printMachine(ctx, stdout, cfg, dir)
	for _, kind := range kinds {
		err := withFreshDB(ctx, cfg, dir, kind, "dashboard", func(t dbTarget) error {
			return dashboardOn(ctx, stdout, t, dir, file, *reps, *spread)
		})
		if err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
	}
	return nil
}

func dashboardOn(ctx context.Context, out io.Writer, t dbTarget, dir, file string, reps int, spread bool) error {
	data := t.data
	if data == "" {
		data = filepath.Join(dir, "pg-data")
		if err := os.MkdirAll(data, 0o700); err != nil {
			return err
		}
	}
	progress("importing into %s", t.kind)
	start := time.Now()
	if err := importChild(ctx, []string{"-db", t.url, "-data", data, "-agency", "GEN", file}, io.Discard); err != nil {
		return err
	}
	progress("imported in %s", time.Since(start).Round(time.Second))
	if spread {
		if err := spreadCases(ctx, t); err != nil {
			return err
		}
	}
	db, err := sqlstore.Open(ctx, t.url, data)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := seal.OpenKeyring(filepath.Join(data, "vigie.key"))
	if err != nil {
		return err
	}
	db.SetKeys(keys)
	if spread {
		// The report cube is kept by the transactions that change cases;
		// an UPDATE by hand is not one of them.
		if err := db.RebuildReportCube(ctx); err != nil {
			return err
		}
		if err := db.Analyze(ctx); err != nil {
			return err
		}
	}
	section(out, "Dashboard on "+t.kind)
	if err := timeStatsQueries(ctx, out, t, db, reps); err != nil {
		return err
	}
	return timeDashboardPages(ctx, out, db, keys, reps)
}

// spreadCases gives every case a month of its year (reg_key) and a
// province, from its row number: plain columns only, as the stats read.
func spreadCases(ctx context.Context, t dbTarget) error {
	raw, err := openRaw(t)
	if err != nil {
		return err
	}
	defer raw.Close()
	var whens strings.Builder
	for i, p := range domain.Province.Values {
		fmt.Fprintf(&whens, " WHEN %d THEN '%s'", i, p)
	}
	num := "rowid"
	if t.kind == "postgres" {
		num = "abs(hashtext(id::text))"
	}
	q := `UPDATE cases SET province = CASE ` + num + ` % 26` + whens.String() + ` END,
		reg_key = CASE WHEN reg_year IS NULL THEN reg_key ELSE reg_year || '-' || substr('0' || (1 + ` + num + ` % 12), -2) || '-15' END`
	if t.kind == "postgres" {
		q = strings.Replace(q, "substr('0' || (1 + "+num+" % 12), -2)", "lpad((1 + "+num+" % 12)::text, 2, '0')", 1)
	}
	start := time.Now()
	if _, err := raw.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("spreading the cases: %w", err)
	}
	progress("spread months and provinces in %s", time.Since(start).Round(time.Millisecond))
	return nil
}

// dashBy are the breakdowns the dashboard sums from the cube.
var dashBy = [][]domain.StatsDim{
	{domain.StatsGender, domain.StatsAgeGroup}, {domain.StatsYear}, {domain.StatsYear, domain.StatsExploitation},
	{domain.StatsExploitation}, {domain.StatsCitizenship}, {domain.StatsAgency}, {domain.StatsProvince},
	{domain.StatsExploitationCountry},
}

// timeStatsQueries times the reads a dashboard without filter makes —
// the cube without months, the counts by month and form — and, for
// comparison, the cube with months; then the sums of every chart from
// the cube. It prints the cube's query plan.
func timeStatsQueries(ctx context.Context, out io.Writer, t dbTarget, db *sqlstore.DB, reps int) error {
	f := domain.StatsFilter{Victims: true}
	var cube []domain.CubeRow
	steps := []struct {
		name string
		run  func() (int, error)
	}{
		{"CaseCube, months false (the report cube's table)", func() (int, error) {
			var err error
			cube, err = db.CaseCube(ctx, f, false)
			return len(cube), err
		}},
		{"CaseCube, months true (the cases; not used)", func() (int, error) {
			c, err := db.CaseCube(ctx, f, true)
			return len(c), err
		}},
		{"MonthCounts", func() (int, error) {
			m, forms, err := db.MonthCounts(ctx, f)
			return len(m) + len(forms), err
		}},
		{"Marginal × 8 (the charts' sums, in Go)", func() (int, error) {
			n := 0
			for _, by := range dashBy {
				n += len(domain.Marginal(cube, by, nil))
			}
			return n, nil
		}},
	}
	fmt.Fprintln(out, "| read (victims, no filter) | rows | p50 ms | max ms |\n|---|---|---|---|")
	for _, st := range steps {
		var times []time.Duration
		var rows int
		for range reps {
			start := time.Now()
			n, err := st.run()
			if err != nil {
				return err
			}
			times, rows = append(times, time.Since(start)), n
		}
		slices.Sort(times)
		fmt.Fprintf(out, "| %s | %d | %.0f | %.0f |\n", st.name, rows, ms(times[len(times)/2]), ms(times[len(times)-1]))
	}
	stmt, args, err := db.StatsQueries(ctx, f, false)
	if err != nil {
		return err
	}
	raw, err := openRaw(t)
	if err != nil {
		return err
	}
	defer raw.Close()
	conn, err := raw.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var plan []string
	if t.kind == "sqlite" {
		plan, err = sqlitePlan(ctx, conn, stmt, args)
	} else {
		plan, _, err = postgresPlans(ctx, conn, stmt, args)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nplan of the cube: %s\n", trimPlan(strings.Join(plan, "; ")))
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// timeDashboardPages serves the pages over HTTP, signs a coordinator in
// (no second factor for that role) and loads the dashboard with a few
// filters, timing each load and weighing the compressed page.
func timeDashboardPages(ctx context.Context, out io.Writer, db *sqlstore.DB, keys *seal.Keyring, reps int) error {
	gate := &auth.Gate{Users: db, Audit: db, Throttle: auth.NewThrottle(1000), Now: time.Now,
		MAC: func(tag, msg string) []byte { return keys.BlindIndex(tag, msg) }}
	srv := httptest.NewServer(web.New(web.Services{Cases: db, Users: db, Audit: db, Access: db, Search: db, Drafts: db,
		Agencies: db, Grants: db, Training: db, Gate: gate}))
	defer srv.Close()
	const email, password = "bench-coordinator@example.cd", "bench dashboard coordinator passphrase"
	h, err := auth.HashPassword(password, auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
	if err != nil {
		return err
	}
	if err := db.CreateUser(domain.WithActor(ctx, &domain.Principal{Email: "bench", Via: "cli"}),
		&domain.User{Email: email, Agency: "GEN", Roles: []domain.Role{domain.RoleCoordinator}}, h); err != nil {
		return err
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(srv.URL+"/sign-in", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	fmt.Fprintln(out, "\n| page | p50 ms | max ms | KB compressed | KB HTML |\n|---|---|---|---|---|")
	for _, path := range []string{"/dashboard", "/dashboard?from=2015&to=2016", "/dashboard?from=2016-03&to=2016-09",
		"/dashboard?province=CD-NK", "/dashboard?agency=GEN&province=CD-KN&from=2012"} {
		var times []time.Duration
		var zipped, plain int
		for range reps + 1 {
			start := time.Now()
			z, p, err := load(c, srv.URL+path)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			times, zipped, plain = append(times, time.Since(start)), z, p
		}
		times = times[1:] // the first load warms the caches
		slices.Sort(times)
		fmt.Fprintf(out, "| `%s` | %.0f | %.0f | %.1f | %.1f |\n", path, ms(times[len(times)/2]), ms(times[len(times)-1]),
			float64(zipped)/1024, float64(plain)/1024)
	}
	return nil
}

// load fetches a page compressed and returns its sizes.
func load(c *http.Client, u string) (zipped, plain int, err error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	zr, err := gzip.NewReader(strings.NewReader(string(raw)))
	if err != nil {
		return 0, 0, err
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		return 0, 0, err
	}
	if !strings.Contains(string(body), `id="map-provinces"`) {
		return 0, 0, errors.New("no province map on the page")
	}
	return len(raw), len(body), nil
}
