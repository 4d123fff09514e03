// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportCountsBlankRows: rows of separators or spaces hold no case
// and are skipped, but said: 5 rows came out "imported: 2 rejected: 1"
// with no word of the other two.
func TestImportCountsBlankRows(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cases.csv")
	data := "vic_TraffickingStatus,prs_Gender\nPossibleVictimOfTrafficking,Feminine\n,\n  ,  \nPossibleVictimOfTrafficking,Femme\nActualVictimOfTrafficking,Masculine\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := vigie(t, "", "import", "htcds", path, "--agency", "KIN", "--data", filepath.Join(dir, "data"), "--quiet")
	if code != 0 || !strings.Contains(out, "blank rows skipped: 2\n") || !strings.Contains(out, "imported: 2 rejected: 1") {
		t.Fatalf("exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// Without blank rows, no such line.
	path = filepath.Join(dir, "full.csv")
	if err := os.WriteFile(path, []byte("vic_TraffickingStatus\nPossibleVictimOfTrafficking\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := vigie(t, "", "import", "htcds", path, "--agency", "KIN", "--data", filepath.Join(dir, "data"), "--quiet"); code != 0 || strings.Contains(out, "blank") {
		t.Fatalf("exit %d: %q", code, out)
	}
}

// TestImportBadAgencyIsUsage: a malformed --agency is the command's
// mistake, refused before the file is read (exit 2, no import line), as
// a bad --batch is; it was exit 3 with "imported: 0 rejected: 0".
func TestImportBadAgencyIsUsage(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.csv")
	if err := os.WriteFile(path, []byte(vpFile), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, agency := range []string{"bad code!", "kin", "K", ""} {
		for _, file := range []string{path, filepath.Join(dir, "missing.csv")} {
			code, out, errs := vigie(t, "", "import", "ctdc", file, "--agency", agency, "--data", filepath.Join(dir, "data"), "--quiet")
			if code != 2 || out != "" || !strings.Contains(errs, "--agency") {
				t.Fatalf("--agency %q, %s: exit %d, want 2\nstdout: %q\nstderr: %q", agency, file, code, out, errs)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Fatalf("a refused command created its database: %v", err)
	}
}
