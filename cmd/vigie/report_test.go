// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vigie/internal/sqlstore/sqltest"
)

func TestReportCommands(t *testing.T) {
	for _, dbName := range []string{"sqlite", "postgres"} {
		t.Run(dbName, func(t *testing.T) {
			dir := t.TempDir()
			where := []string{"--data", dir}
			if dbName == "postgres" {
				where = append(where, "--db", sqltest.PostgresSchemaURL(t))
			}
			run := func(args ...string) (int, string, string) {
				t.Helper()
				return vigie(t, "", append(args, where...)...)
			}
			if code, _, errs := run("agency", "add", "KIN", "Kinshasa"); code != 0 {
				t.Fatalf("agency add: %d %s", code, errs)
			}
			c := `{"agency":"KIN","cas_Status":"Active","vig_Province":"CD-NK","person":{"prs_Gender":"Feminine"},"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}}`
			if code, _, errs := vigie(t, c, append([]string{"case", "add", "-"}, where...)...); code != 0 {
				t.Fatalf("case add: %d %s", code, errs)
			}
			if code, o, _ := run("case", "list", "--province", "Nord-Kivu"); code != 0 || !strings.Contains(o, "total: 1") {
				t.Fatalf("case list --province: %d %s", code, o)
			}
			if code, o, _ := run("case", "list", "--province", "CD-SK"); code != 0 || !strings.Contains(o, "total: 0") {
				t.Fatalf("case list --province CD-SK: %d %s", code, o)
			}
			if code, _, _ := run("case", "list", "--province", "Atlantide"); code != 3 {
				t.Fatalf("case list --province Atlantide: exit %d, want 3", code)
			}
			out := filepath.Join(dir, "r.xlsx")
			for _, c := range []struct {
				args []string
				code int
			}{
				{[]string{"report", "annual", "--out", out}, 3},
				{[]string{"report", "annual", "--year", "2026", "--format", "docx", "--out", out}, 2},
				{[]string{"report", "annual", "--year", "2026"}, 2},
				{[]string{"report", "annual", "--year", "1200", "--out", out}, 3},
				{[]string{"report", "lock", "--year", "2026", "--after", "1"}, 3},
				{[]string{"report", "lock", "--year", "2026", "--agency", "kin"}, 3},
				{[]string{"report", "frobnicate"}, 2},
			} {
				if code, o, errs := run(c.args...); code != c.code {
					t.Errorf("%v: exit %d, want %d (%s %s)", c.args, code, c.code, o, errs)
				}
			}
			if code, o, errs := run("report", "annual", "--year", "2026", "--out", out); code != 0 || !strings.Contains(o, "bytes") {
				t.Fatalf("annual: %d %s %s", code, o, errs)
			}
			f, err := excelize.OpenFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if rows, _ := f.GetRows(f.GetSheetList()[0]); len(rows) == 0 || !strings.Contains(rows[0][0], "Rapport annuel sur la traite des personnes 2026") {
				t.Fatalf("the workbook: %v", rows)
			}
			if code, o, errs := run("report", "lock", "--year", "2026"); code != 0 || strings.TrimSpace(o) != "2026 version 1" {
				t.Fatalf("lock: %d %q %s", code, o, errs)
			}
			if code, _, _ := run("report", "lock", "--year", "2026"); code != 5 {
				t.Fatalf("locking twice: exit %d, want 5", code)
			}
			if code, o, _ := run("report", "lock", "--year", "2026", "--after", "1", "--reason", "late case"); code != 0 || !strings.Contains(o, "version 2") {
				t.Fatalf("version 2: %d %s", code, o)
			}
			code, o, _ := run("report", "versions", "--year", "2026")
			if code != 0 || strings.Count(o, "\n") != 2 || !strings.Contains(o, "late case") || !strings.Contains(o, "cli:") {
				t.Fatalf("versions: %d %q", code, o)
			}
			pdf := filepath.Join(dir, "r.pdf")
			if code, _, errs := run("report", "annual", "--year", "2026", "--format", "pdf", "--lang", "en", "--version", "1", "--out", pdf); code != 0 {
				t.Fatalf("pdf: %d %s", code, errs)
			}
			if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF") {
				t.Fatalf("the PDF: %v", err)
			}
			if code, _, _ := run("report", "annual", "--year", "2026", "--version", "7", "--out", pdf); code != 4 {
				t.Fatalf("a version that does not exist: exit %d, want 4", code)
			}
			if code, o, _ := vigie(t, "", "report", "annual", "--help"); code != 0 || !strings.Contains(o, "annual report") {
				t.Fatalf("--help: %d %s", code, o)
			}
		})
	}
}

// TestReportPeriodCheckedFirst: a mistyped period or a stray argument is
// refused before the database is opened, so it creates no data directory.
func TestReportPeriodCheckedFirst(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"report", "lock", "--year", "1200"}, 3},
		{[]string{"report", "lock"}, 3},
		{[]string{"report", "versions", "--year", "2026", "--to", "2020"}, 3},
		{[]string{"report", "versions", "--year", "2026", "extra"}, 2},
		{[]string{"report", "annual", "--year", "1200", "--out", "x.xlsx"}, 3},
	} {
		data := filepath.Join(t.TempDir(), "not-created")
		if code, o, errs := vigie(t, "", append(c.args, "--data", data)...); code != c.code {
			t.Errorf("%v: exit %d, want %d (%s %s)", c.args, code, c.code, o, errs)
		}
		if _, err := os.Stat(data); !os.IsNotExist(err) {
			t.Errorf("%v: the data directory was created (%v)", c.args, err)
		}
	}
}
