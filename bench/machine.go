// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// printMachine prints the machine and the software versions.
func printMachine(ctx context.Context, out io.Writer, cfg *config, dir string) {
	section(out, "Machine")
	rows := [][]string{
		{"CPU", fmt.Sprintf("%s × %d (nproc %s)", cpuModel(), runtime.NumCPU(), nproc())},
		{"memory", memTotal()},
		{"load average at start (1, 5, 15 min)", loadAvg()},
		{"kernel", readTrim("/proc/sys/kernel/osrelease")},
		{"Go", runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH},
		{"vigie commit", gitDescribe(ctx)},
		{"SQLite (modernc.org/sqlite, in vigie)", sqliteLibVersion(ctx)},
		{"sqlite3 shell", sqlite3Version(ctx)},
	}
	if contains(cfg.dbs, "postgres") {
		rows = append(rows, []string{"PostgreSQL", postgresVersion(ctx, cfg.pgURL)})
	}
	rows = append(rows, []string{"temporary directory", dir + " (" + mountOf(dir) + ")"})
	printTable(out, []string{"", ""}, rows)
}

// loadAvg is /proc/loadavg's three load averages: other work on the
// machine skews every figure.
func loadAvg() string {
	f := strings.Fields(readTrim("/proc/loadavg"))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// gitDescribe names the commit measured, "-dirty" when tracked files
// have uncommitted changes.
func gitDescribe(ctx context.Context) string {
	cmd := exec.CommandContext(ctx, "git", "describe", "--always", "--dirty")
	cmd.Dir = moduleRoot()
	b, err := cmd.Output()
	if err != nil {
		return "? (not a git checkout)"
	}
	return strings.TrimSpace(string(b))
}

func readTrim(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

func nproc() string {
	b, err := exec.Command("nproc").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}

func memTotal() string {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return fmt.Sprintf("%.1f GiB", kb/1024/1024)
		}
	}
	return "?"
}

func sqliteLibVersion(ctx context.Context) string {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return "?"
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v); err != nil {
		return "?"
	}
	return v
}

func sqlite3Version(ctx context.Context) string {
	b, err := exec.CommandContext(ctx, "sqlite3", "--version").Output()
	if err != nil {
		return "not installed (apt-get install -y sqlite3)"
	}
	f := strings.Fields(string(b))
	if len(f) >= 2 {
		return f[0] + " (" + f[1] + ")"
	}
	return strings.TrimSpace(string(b))
}

func postgresVersion(ctx context.Context, url string) string {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return "?"
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var v string
	if err := db.QueryRowContext(ctx, `SELECT split_part(version(), ' on ', 1)`).Scan(&v); err != nil {
		return "unreachable: " + err.Error()
	}
	settings := []string{}
	for _, name := range []string{"shared_buffers", "work_mem", "synchronous_commit", "max_wal_size", "jit"} {
		var s string
		if db.QueryRowContext(ctx, `SELECT current_setting($1)`, name).Scan(&s) == nil {
			settings = append(settings, name+"="+s)
		}
	}
	return v + ", server settings as found: " + strings.Join(settings, ", ")
}

// mountOf names the file system holding path, from /proc/self/mounts.
func mountOf(path string) string {
	b, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return "?"
	}
	best, desc := "", "?"
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		mp := f[1]
		if (path == mp || strings.HasPrefix(path, strings.TrimSuffix(mp, "/")+"/")) && len(mp) > len(best) {
			best, desc = mp, f[2]+" on "+f[0]+", mounted at "+mp
		}
	}
	return desc
}
