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

// TestImportAllRejectedExitsInvalid: a file of which every row is refused
// imported nothing, and exited 0 as if it had worked; it exits 3 now,
// after its line and the reject file's path. One row imported beside the
// rejected ones is still a success (exit 0, its reject file).
func TestImportAllRejectedExitsInvalid(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	write := fileWriter(t, dir)
	bad := write("bad.csv", "vic_TraffickingStatus,prs_Gender\nPossibleVictimOfTrafficking,Femme\nVictime,Feminine\n")
	code, out, errs := vigie(t, "", "import", "htcds", bad, "--agency", "KIN", "--data", data, "--quiet")
	if code != 3 || !strings.Contains(out, "imported: 0 rejected: 2") || !strings.Contains(out, "rejects:") || !strings.Contains(errs, "all 2 rows were rejected") {
		t.Fatalf("exit %d, want 3\nstdout: %q\nstderr: %q", code, out, errs)
	}
	mixed := write("mixed.csv", "vic_TraffickingStatus,prs_Gender\nPossibleVictimOfTrafficking,Feminine\nVictime,Feminine\n")
	if code, out, errs := vigie(t, "", "import", "htcds", mixed, "--agency", "KIN", "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 1 rejected: 1") {
		t.Fatalf("exit %d, want 0\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// Run again: the good row is already imported, the bad one rejected
	// again; nothing new, but nothing failed that had not before.
	// The file is the one imported before, unchanged: no word of rows
	// edited since (it was said on every rerun).
	if code, out, errs := vigie(t, "", "import", "htcds", mixed, "--agency", "KIN", "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 0 rejected: 1") || strings.Contains(errs, "never changes") {
		t.Fatalf("rerun: exit %d, want 0\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// Edited since (its bad row corrected): the skipped row is said not
	// to be updated from the file.
	write("mixed.csv", "vic_TraffickingStatus,prs_Gender\nPossibleVictimOfTrafficking,Feminine\nActualVictimOfTrafficking,Feminine\n")
	// (Other content under a used name is imported when --source says
	// it is that file's new version: TestSameNameOtherContentRefused.)
	if code, out, errs := vigie(t, "", "import", "htcds", mixed, "--agency", "KIN", "--data", data, "--quiet", "--source", "mixed.csv"); code != 0 || !strings.Contains(out, "imported: 1 rejected: 0") || !strings.Contains(errs, "an import never changes a stored case") {
		t.Fatalf("edited: exit %d, want 0\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// The CTDC import too: a file of only vpFile's bad row.
	lines := strings.SplitAfter(vpFile, "\n")
	ctdcBad := write("ctdc.csv", lines[0]+lines[2])
	if code, out, errs := vigie(t, "", "import", "ctdc", ctdcBad, "--data", data, "--quiet"); code != 3 || !strings.Contains(out, "imported: 0 rejected: 1") || !strings.Contains(errs, "the only row was rejected") {
		t.Fatalf("ctdc: exit %d, want 3\nstdout: %q\nstderr: %q", code, out, errs)
	}
}

// TestImportCountsEmptyLines: an empty line (no separator at all) was in
// no count — encoding/csv skips it — so that imported + rejected + blank
// fell short of the file's rows, in both importers. The rows keep the
// numbers a spreadsheet shows, and a CTDC row after a cell with a line
// break is numbered so too (it was the file line, one more).
func TestImportCountsEmptyLines(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	write := fileWriter(t, dir)
	htcdsFile := write("c9.csv", "prs_FirstName,prs_Gender,vic_TraffickingStatus\n\nA,Femme,ActualVictimOfTrafficking\n\n\nB,Feminine,ActualVictimOfTrafficking\n")
	code, out, errs := vigie(t, "", "import", "htcds", htcdsFile, "--agency", "KIN", "--data", data, "--quiet")
	if code != 0 || !strings.Contains(out, "blank rows skipped: 3\n") || !strings.Contains(out, "imported: 1 rejected: 1") {
		t.Fatalf("htcds: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	if rej, err := os.ReadFile(filepath.Join(dir, "c9.rejects.csv")); err != nil || !strings.Contains(string(rej), "\n3,") {
		t.Fatalf("htcds rejects (row 3 expected): %q %v", rej, err)
	}
	lines := strings.SplitAfter(vpFile, "\n")
	multiline := strings.Replace(lines[1], "StrangerUnknownOther", `"Stranger`+"\n"+`UnknownOther"`, 1)
	ctdcFile := write("ctdc.csv", lines[0]+"\n"+multiline+"\n"+lines[2])
	code, out, errs = vigie(t, "", "import", "ctdc", ctdcFile, "--data", data, "--quiet")
	// The cell with a line break is no CTDC value: both rows are rejected
	// (exit 3), which is what shows their numbers.
	if code != 3 || !strings.Contains(out, "blank rows skipped: 2\n") || !strings.Contains(out, "imported: 0 rejected: 2") {
		t.Fatalf("ctdc: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// vpFile's bad row is row 5 of a spreadsheet: header 1, empty 2, the
	// two-line row 3, empty 4 (file line 6).
	if rej, err := os.ReadFile(filepath.Join(dir, "ctdc.rejects.csv")); err != nil || !strings.Contains(string(rej), "\n3,") || !strings.Contains(string(rej), "\n5,") || strings.Contains(string(rej), "\n6,") {
		t.Fatalf("ctdc rejects (rows 3 and 5 expected): %q %v", rej, err)
	}
}

// fileWriter writes files of the given content in dir and returns their
// paths.
func fileWriter(t *testing.T, dir string) func(name, content string) string {
	return func(name, content string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
}
