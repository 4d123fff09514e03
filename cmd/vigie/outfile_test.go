// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputFileErrors: an --out in a folder that does not exist exits 4
// (not found) and says so, one in a folder that may not be written exits
// 6 — never 7, which tells the operator the database is unreachable.
func TestOutputFileErrors(t *testing.T) {
	data := t.TempDir()
	if code, _, errOut := vigie(t, "", "migrate", "--data", data); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	locked := filepath.Join(t.TempDir(), "locked")
	if err := os.Mkdir(locked, 0o500); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "no", "such", "folder")
	in := filepath.Join(t.TempDir(), "in.csv")
	rows := "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation\n2015,Female,18--20,MD,RU\n2015,Female,18--20,MD,RU\n"
	if err := os.WriteFile(in, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"ExportMissingFolder", []string{"export", "htcds", "--data", data, "--format", "csv", "--out", filepath.Join(missing, "x.csv")}, 4, "does not exist"},
		{"AnonymizeMissingFolder", []string{"anonymize", "ctdc", "--k", "2", in, filepath.Join(missing, "out.csv")}, 4, "does not exist"},
		{"ReportMissingFolder", []string{"report", "annual", "--data", data, "--year", "2025", "--format", "csv", "--out", filepath.Join(missing, "r.csv")}, 4, "does not exist"},
	}
	if os.Geteuid() != 0 { // root writes anywhere
		tests = append(tests, struct {
			name string
			args []string
			code int
			msg  string
		}{"ExportLockedFolder", []string{"export", "htcds", "--data", data, "--format", "csv", "--out", filepath.Join(locked, "x.csv")}, 6, "permission denied"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := vigie(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.msg)
			}
		})
	}
	// A folder that exists still works.
	out := filepath.Join(t.TempDir(), "x.csv")
	if code, _, errOut := vigie(t, "", "export", "htcds", "--data", data, "--format", "csv", "--out", out); code != 0 {
		t.Fatalf("export into an existing folder: exit %d, %s", code, errOut)
	}
}

// TestImportRejectFolder: a --reject in a folder that does not exist (or
// under a file) is refused before anything is opened or imported — the
// reject file is only created at the first rejected row, which could come
// after thousands of imported rows, and exited 7 then.
func TestImportRejectFolder(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	rows := "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation\n2015,Female,18--20,MD,RU\n2015,Martian,18--20,MD,RU\n"
	if err := os.WriteFile(in, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, reject string
		code         int
		msg          string
	}{
		{"MissingFolder", filepath.Join(dir, "no", "such", "r.csv"), 4, "does not exist"},
		{"UnderAFile", filepath.Join(in, "r.csv"), 3, "is not a folder"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			code, out, errOut := vigie(t, "", "import", "ctdc", in, "--data", data, "--quiet", "--reject", c.reject)
			if code != c.code || !strings.Contains(errOut, c.msg) {
				t.Fatalf("exit %d (want %d), stdout %q, stderr %q (want %q)", code, c.code, out, errOut, c.msg)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Fatalf("the data directory was created (%v): nothing may be opened before the check", err)
			}
		})
	}
	// A folder that exists passes the check: the import goes on to read
	// the file (whose short header it then refuses, naming the columns).
	reject := filepath.Join(t.TempDir(), "r.csv")
	code, _, errOut := vigie(t, "", "import", "ctdc", in, "--data", filepath.Join(t.TempDir(), "data"), "--quiet", "--reject", reject)
	if code != 3 || !strings.Contains(errOut, "header does not match") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}
