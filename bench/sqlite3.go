// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// sqlite3Figures is one `sqlite3 DB ".mode csv" ".import FILE t"` run.
type sqlite3Figures struct {
	file    string
	rows    int
	seconds float64
	err     string
}

func (f sqlite3Figures) rate() float64 {
	if f.seconds == 0 {
		return 0
	}
	return float64(f.rows) / f.seconds
}

// runSQLite3 imports each file with the sqlite3 shell into a new,
// empty database: .import creates table t from the header line (58 TEXT
// columns, no index) and loads the rows in one transaction.
func runSQLite3(ctx context.Context, dir string, files []benchFile) []sqlite3Figures {
	var out []sqlite3Figures
	bin, err := exec.LookPath("sqlite3")
	for i, f := range files {
		fig := sqlite3Figures{file: f.label}
		if err != nil {
			fig.err = "sqlite3 not found: install it with apt-get install -y sqlite3"
			out = append(out, fig)
			continue
		}
		progress("sqlite3 .import of %s", f.label)
		db := filepath.Join(dir, fmt.Sprintf("sqlite3-import-%d.db", i))
		start := time.Now()
		cmd := exec.CommandContext(ctx, bin, db, ".mode csv", ".import '"+strings.ReplaceAll(f.path, "'", "''")+"' t")
		msg, err := cmd.CombinedOutput()
		fig.seconds = time.Since(start).Seconds()
		if err != nil {
			fig.err = fmt.Sprintf("sqlite3: %v: %s", err, strings.TrimSpace(string(msg)))
			out = append(out, fig)
			continue
		}
		cnt, err := exec.CommandContext(ctx, bin, db, "SELECT count(*) FROM t").Output()
		if err == nil {
			fig.rows, err = strconv.Atoi(strings.TrimSpace(string(cnt)))
		}
		if err != nil {
			fig.err = fmt.Sprintf("counting rows: %v", err)
		}
		os.Remove(db)
		out = append(out, fig)
	}
	return out
}

// vigieSQLiteRate is the records/s of vigie's import of a file into a
// fresh SQLite database.
func vigieSQLiteRate(imports []importFigures, file string) float64 {
	for _, f := range imports {
		if f.db == "sqlite" && f.file == file && f.into == "fresh database" {
			return f.rate()
		}
	}
	return 0
}

func printSQLite3(out io.Writer, figs []sqlite3Figures, imports []importFigures) {
	fmt.Fprintln(out, "`sqlite3 DB \".mode csv\" \".import FILE t\"` into a new database (table t created from the header: 58 TEXT columns, no index, one transaction; the shell's defaults: rollback journal, synchronous=FULL). Seconds = the whole sqlite3 process.")
	fmt.Fprintln(out)
	var rows [][]string
	for _, f := range figs {
		if f.err != "" {
			rows = append(rows, []string{f.file, f.err, "", "", "", ""})
			continue
		}
		v := vigieSQLiteRate(imports, f.file)
		ratio, vs := "n/a", "n/a"
		if v > 0 {
			ratio, vs = fmt.Sprintf("%.2f", v/f.rate()), fmtInt(int(v))
		}
		rows = append(rows, []string{f.file, fmtInt(f.rows), fmt.Sprintf("%.2f", f.seconds), fmtInt(int(f.rate())), vs, ratio})
	}
	printTable(out, []string{"file", "rows", "sqlite3 s", "sqlite3 rows/s", "vigie SQLite records/s", "ratio vigie/sqlite3"}, rows)
}
