// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const vpFile = "yearRegister,gender,majorityStatus,isForcedLabour,isSexualExploit,UN_COO_Region,UN_COE_Region,IP_Exploiter,IP_Gender,IP_ageBroad,IP_citizen_UNRegion,IP_Relation,IP_PayMoney,IP_RecruiterBroker,IP_TransactionProcess,IP_ControlAbuseKidnap\n" +
	"2019,Female,Adult,1,,Europe,Europe,1,Female,,Europe,StrangerUnknownOther,No,1,1,1\n" +
	"2019,Femme,Adult,1,,Europe,Europe,1,Female,,Europe,StrangerUnknownOther,No,1,1,1\n"

// TestImportFromStandardInput: "vigie import ctdc -" reads standard input
// (it said "cannot open -"), named as /dev/stdin is: its rejects go to
// stdin.rejects.csv in the current folder.
func TestImportFromStandardInput(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, out, errs := vigie(t, vpFile, "import", "ctdc", "-", "--data", filepath.Join(dir, "data"), "--quiet")
	if code != 0 || !strings.Contains(out, "imported: 1 rejected: 1") || !strings.Contains(out, "stdin.rejects.csv") {
		t.Fatalf("exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	rejects, err := os.ReadFile(filepath.Join(dir, "stdin.rejects.csv"))
	// With a byte-order mark, so that Excel reads the French reasons'
	// accents as UTF-8.
	if err != nil || !strings.HasPrefix(string(rejects), "\ufeffrow,column,value,code,reason\n") || !strings.Contains(string(rejects), "Femme") {
		t.Fatalf("rejects: %q, %v", rejects, err)
	}
	// Other data from standard input is named (TestTwoPipesOfOtherData).
	code, out, errs = vigie(t, "vic_TraffickingStatus\nPossibleVictimOfTrafficking\n", "import", "htcds", "-", "--format", "csv",
		"--agency", "KIN", "--data", filepath.Join(dir, "data"), "--quiet", "--source", "lot-htcds")
	if code != 0 || !strings.Contains(out, "imported: 1 rejected: 0") {
		t.Fatalf("htcds: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
}

// TestImportRejectFolderRefused: --reject naming a folder is a usage
// error before anything is imported; it failed at the first rejected row
// with "database unavailable" (exit 7), the rows before it imported and
// that row counted as rejected.
func TestImportRejectFolderRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.csv")
	if err := os.WriteFile(path, []byte(vpFile), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := vigie(t, "", "import", "ctdc", path, "--data", filepath.Join(dir, "data"), "--reject", dir, "--quiet")
	if code != 2 || out != "" || !strings.Contains(errs, "is a folder") {
		t.Fatalf("exit %d, want 2\nstdout: %q\nstderr: %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Fatalf("the refused import opened its database: %v", err)
	}
}

// TestImportFromRedirectedFile: "vigie import ctdc - < file.csv" gives the
// import a regular file as standard input: its rejects went to
// /dev/stdin.rejects.csv (as root a file in /dev; for others an error),
// not to the current folder as with a pipe.
func TestImportFromRedirectedFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	path := filepath.Join(dir, "vp.csv")
	if err := os.WriteFile(path, []byte(vpFile), 0o600); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out, errb syncBuffer
	code := Main(t.Context(), []string{"import", "ctdc", "-", "--data", filepath.Join(dir, "data"), "--quiet"}, in, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "imported: 1 rejected: 1") || !strings.Contains(out.String(), "rejects: stdin.rejects.csv") {
		t.Fatalf("exit %d\nstdout: %q\nstderr: %q", code, out.String(), errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "stdin.rejects.csv")); err != nil {
		t.Fatal(err)
	}
}

// TestRefusedFileNotRememberedAsImported: a file refused as a whole (an
// HTCDS import of a CTDC file: its header) stored nothing, yet its
// content was recorded as imported, and the right import of the same
// file then said "same content as … imported on …". Only a file of which
// something was imported is remembered.
func TestRefusedFileNotRememberedAsImported(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vp.csv")
	if err := os.WriteFile(path, []byte(vpFile), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	code, out, errs := vigie(t, "", "import", "htcds", path, "--agency", "KIN", "--data", data, "--quiet")
	if code != 3 || !strings.Contains(out, "imported: 0 rejected: 0") {
		t.Fatalf("htcds of a CTDC file: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	copyPath := filepath.Join(dir, "copie.csv")
	if err := os.WriteFile(copyPath, []byte(vpFile), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = vigie(t, "", "import", "ctdc", copyPath, "--data", data, "--quiet")
	if code != 0 || strings.Contains(out, "same content") || !strings.Contains(out, "imported: 1 rejected: 1") {
		t.Fatalf("ctdc: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// A file of which something was imported is remembered: a renamed
	// copy takes its keys and duplicates nothing.
	code, out, errs = vigie(t, "", "import", "ctdc", path, "--data", data, "--quiet")
	if code != 0 || !strings.Contains(out, `same content as "copie.csv"`) || !strings.Contains(out, "imported: 0 rejected: 1") {
		t.Fatalf("renamed copy: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
}

// TestSameNameOtherContentRefused: a file of other content imported under
// a name already used gets the keys of that name, so its rows identical to
// the first file's (different victims, in k-anonymised data) counted as
// already imported: with a warning and exit 0, victims were lost. Whether
// it is that file's new version or other victims cannot be told from the
// rows (a month of one country's victims held 96 % of the month before):
// it is refused (5, nothing imported), saying what it holds, until
// --source says which — the same name for a new version (its stored rows
// skipped), a new name for other victims (all imported).
func TestSameNameOtherContentRefused(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	header, row := strings.SplitN(vpFile, "\n", 2)[0], strings.SplitN(vpFile, "\n", 3)[1]
	year := func(y string) string { return strings.Replace(row, "2019", y, 1) + "\n" }
	path := filepath.Join(dir, "part.csv")
	write := func(content string) {
		if err := os.WriteFile(path, []byte(header+"\n"+content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(year("2019") + year("2018"))
	if code, out, errs := vigie(t, "", "import", "ctdc", path, "--data", data, "--quiet"); code != 0 || strings.Contains(errs, "part.csv") {
		t.Fatalf("first: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	write(year("2019") + year("2018") + year("2017")) // a row added
	code, out, errs := vigie(t, "", "import", "ctdc", path, "--data", data, "--quiet")
	if code != 5 || !strings.Contains(errs, `Another file named "part.csv"`) || !strings.Contains(errs, "this file holds 2 of its 2 imported rows, and 1 rows it does not have") ||
		!strings.Contains(errs, `--source "part.csv" imports the 1 others`) || !strings.Contains(out, "imported: 0 rejected: 0") {
		t.Fatalf("new version: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// Refused, it is not recorded: run again, it is refused again (an
	// import stopped during the check skipped it when run again).
	if code, _, errs := vigie(t, "", "import", "ctdc", path, "--data", data, "--quiet"); code != 5 {
		t.Fatalf("again: exit %d: %q", code, errs)
	}
	code, out, errs = vigie(t, "", "import", "ctdc", path, "--data", data, "--quiet", "--source", "part.csv")
	if code != 0 || !strings.Contains(out, "already imported, skipped: 2") || !strings.Contains(out, "imported: 1 rejected: 0") {
		t.Fatalf("--source part.csv: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	// Other victims, one row like the first's: --source with a new name.
	write(year("2019") + year("2016") + year("2015") + year("2014"))
	if code, _, errs := vigie(t, "", "import", "ctdc", path, "--data", data, "--quiet"); code != 5 || !strings.Contains(errs, "this file holds 1 of its 3 imported rows, and 3 rows it does not have") {
		t.Fatalf("other data: exit %d: %q", code, errs)
	}
	code, out, errs = vigie(t, "", "import", "ctdc", path, "--data", data, "--quiet", "--source", "part-3")
	if code != 0 || !strings.Contains(out, "imported: 4 rejected: 0") {
		t.Fatalf("--source: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
}

// TestTwoPipesOfOtherData: two different files piped in one after the
// other were both "stdin": the second's rows identical to the first's were
// skipped as already imported (810 victims of the CTDC file, exit 0). A
// pipe is kept and recognised by its content as a file is: the same data
// piped again is skipped, other data is refused until --source names it.
func TestTwoPipesOfOtherData(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	data := filepath.Join(dir, "data")
	header, row := strings.SplitN(vpFile, "\n", 2)[0], strings.SplitN(vpFile, "\n", 3)[1]
	first := header + "\n" + row + "\n" + strings.Replace(row, "2019", "2018", 1) + "\n"
	second := header + "\n" + row + "\n" + strings.Replace(row, "2019", "2017", 1) + "\n" + strings.Replace(row, "2019", "2016", 1) + "\n"
	if code, out, errs := vigie(t, first, "import", "ctdc", "-", "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 2 rejected: 0") {
		t.Fatalf("first: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	if code, out, errs := vigie(t, first, "import", "ctdc", "-", "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 0 rejected: 0") || !strings.Contains(out, "skipped: 2") {
		t.Fatalf("same data again: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	if code, out, errs := vigie(t, second, "import", "ctdc", "-", "--data", data, "--quiet"); code != 5 || !strings.Contains(errs, `Standard input (source "stdin")`) {
		t.Fatalf("other data: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
	if code, out, errs := vigie(t, second, "import", "ctdc", "-", "--data", data, "--quiet", "--source", "lot-2"); code != 0 || !strings.Contains(out, "imported: 3 rejected: 0") {
		t.Fatalf("named: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
}
