// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestImportWarnsOfRepeatedRows: an HTCDS row pasted twice is two cases
// (identical anonymised rows may be two victims), and the import says
// which rows repeat which, on stderr, at most ten by line and the rest
// counted; the counts stay those of the file. A file without repeats says
// nothing of them.
func TestImportWarnsOfRepeatedRows(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	path := filepath.Join(dir, "cases.csv")
	rows := "vic_TraffickingStatus,prs_FirstName,prs_Gender\n" +
		"PossibleVictimOfTrafficking,Amani,Feminine\n" +
		"PossibleVictimOfTrafficking,Baraka,Masculine\n" +
		"PossibleVictimOfTrafficking,Amani,Feminine\n"
	if err := os.WriteFile(path, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := vigie(t, "", "import", "htcds", path, "--agency", "KIN", "--data", data, "--quiet")
	if code != 0 || !strings.Contains(out, "imported: 3 rejected: 0") ||
		!strings.Contains(errs, "warning: row 4 repeats row 2 cell for cell") || !strings.Contains(errs, "la ligne 4 reprend la ligne 2") {
		t.Fatalf("exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}

	var many strings.Builder
	many.WriteString("vic_TraffickingStatus,prs_FirstName\n")
	for range 13 {
		many.WriteString("PossibleVictimOfTrafficking,Zawadi\n")
	}
	path = filepath.Join(dir, "many.csv")
	if err := os.WriteFile(path, []byte(many.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = vigie(t, "", "import", "htcds", path, "--agency", "KIN", "--data", data, "--quiet")
	if code != 0 || !strings.Contains(out, "imported: 13 rejected: 0") || strings.Count(errs, "cell for cell") != 10 ||
		!strings.Contains(errs, "warning: 2 more such repeats") || !strings.Contains(errs, fmt.Sprintf("row %d repeats row 2", 12)) {
		t.Fatalf("exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}

	path = filepath.Join(dir, "plain.csv")
	if err := os.WriteFile(path, []byte("vic_TraffickingStatus,prs_FirstName\nPossibleVictimOfTrafficking,Neema\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := vigie(t, "", "import", "htcds", path, "--agency", "KIN", "--data", data, "--quiet"); code != 0 || strings.Contains(errs, "repeat") {
		t.Fatalf("exit %d: %q", code, errs)
	}
}

// TestCaseAddWithSourceKeyIsDated: `vigie case add` of a case with a
// vig_SourceKey and no registration registers it today, as the API does
// (it stayed undated, out of every year's list and figures); its comments
// are written by the machine's account (they had no author, or the file's).
func TestCaseAddWithSourceKeyIsDated(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Kinshasa", "--data", data); code != 0 {
		t.Fatalf("agency add: %d %s", code, errs)
	}
	path := filepath.Join(dir, "case.json")
	if err := os.WriteFile(path, []byte(`{"agency":"KIN","vig_SourceKey":"client-1","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"comments":[{"cco_CaseComment":"Premier entretien","vig_Author":"Superviseur national"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := vigie(t, "", "case", "add", path, "--data", data); code != 0 {
		t.Fatalf("case add: %d %s", code, errs)
	}
	y := fmt.Sprint(time.Now().UTC().Year())
	code, out, errs := vigie(t, "", "case", "list", "--year-from", y, "--year-to", y, "--data", data)
	if code != 0 || !strings.Contains(out, "KIN-"+y+"-000001") {
		t.Fatalf("exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// Its comment is the machine's account's, not the name in the file.
	code, out, errs = vigie(t, "", "case", "show", "KIN-"+y+"-000001", "--data", data)
	if code != 0 || !strings.Contains(out, `"vig_Author": "cli:`) || strings.Contains(out, "Superviseur national") {
		t.Fatalf("exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
}

// TestInterruptedImportExits130: an import stopped by Ctrl-C exited 7,
// "database unavailable", which a script took for a server that is down.
func TestInterruptedImportExits130(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vp.csv")
	if err := os.WriteFile(path, []byte(vpFile), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as the signal handler does
	var out, errb syncBuffer
	if code := Main(ctx, []string{"import", "ctdc", path, "--data", filepath.Join(dir, "data"), "--quiet"}, strings.NewReader(""), &out, &errb); code != 130 {
		t.Fatalf("exit %d, want 130\nstdout: %q\nstderr: %q", code, out.String(), errb.String())
	}
	// A command that succeeds is not taken for an interrupted one.
	var out2, errb2 syncBuffer
	if code := Main(ctx, []string{"--help"}, strings.NewReader(""), &out2, &errb2); code != 0 {
		t.Fatalf("--help: exit %d", code)
	}
}

// TestImportRepeatsAndBlankSource: the repeats of a file are said when it
// is first imported, not again on a rerun that skips every row; a blank
// --source is a usage error (it was a new source, and the file's victims
// were imported a second time).
func TestImportRepeatsAndBlankSource(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	path := filepath.Join(dir, "cases.csv")
	if err := os.WriteFile(path, []byte("vic_TraffickingStatus,prs_FirstName\nPossibleVictimOfTrafficking,Amani\nPossibleVictimOfTrafficking,Amani\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := vigie(t, "", "import", "htcds", path, "--agency", "KIN", "--data", data, "--quiet"); code != 0 || !strings.Contains(errs, "row 3 repeats row 2") {
		t.Fatalf("first: exit %d %q", code, errs)
	}
	if code, out, errs := vigie(t, "", "import", "htcds", path, "--agency", "KIN", "--data", data, "--quiet"); code != 0 || strings.Contains(errs, "repeats") || !strings.Contains(out, "skipped: 2") {
		t.Fatalf("rerun: exit %d %q %q", code, out, errs)
	}
	if code, out, errs := vigie(t, "", "import", "htcds", path, "--agency", "KIN", "--data", data, "--quiet", "--source", "  "); code != 2 || out != "" || !strings.Contains(errs, "--source") {
		t.Fatalf("blank --source: exit %d %q %q", code, out, errs)
	}
}
