// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestImportNamesHiddenRows: a row hidden in the sheet (to leave it out,
// or to tidy the sheet) is imported as any other, and named on stderr:
// it was a case, unsaid.
func TestImportNamesHiddenRows(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cases.xlsx")
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{{"vic_TraffickingStatus", "prs_FirstName"}, {"PossibleVictimOfTrafficking", "Amani"}, {"PossibleVictimOfTrafficking", "Baraka"}, {"PossibleVictimOfTrafficking", "Neema"}}
	for i, r := range rows {
		if err := f.SetSheetRow(sheet, "A"+string(rune('1'+i)), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetRowVisible(sheet, 3, false); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	code, out, errs := vigie(t, "", "import", "htcds", path, "--agency", "KIN", "--data", filepath.Join(dir, "data"), "--quiet")
	if code != 0 || !strings.Contains(out, "imported: 3 rejected: 0") || !strings.Contains(errs, "rows hidden in the sheet, imported as the others: 3;") {
		t.Fatalf("exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
}

// TestImportNamesRowsOfAnotherFile: a corrected HTCDS file saved under a
// new name holds the rows already imported from the first: each was
// imported again, a second case of the same named victim, unsaid. They are
// still imported (anonymised rows repeat) and named on stderr.
func TestImportNamesRowsOfAnotherFile(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	write := fileWriter(t, dir)
	first := write("A2_kin.csv", "vic_TraffickingStatus,prs_FirstName\nPossibleVictimOfTrafficking,Ruth\nVictime,Esther\n")
	if code, out, errs := vigie(t, "", "import", "htcds", first, "--agency", "KIN", "--data", data, "--quiet"); code != 0 || !strings.Contains(out, "imported: 1 rejected: 1") {
		t.Fatalf("first: exit %d %q %q", code, out, errs)
	}
	fixed := write("A3_kin.csv", "vic_TraffickingStatus,prs_FirstName\nPossibleVictimOfTrafficking,Ruth\nPossibleVictimOfTrafficking,Esther\n")
	code, out, errs := vigie(t, "", "import", "htcds", fixed, "--agency", "KIN", "--data", data, "--quiet")
	if code != 0 || !strings.Contains(out, "imported: 2 rejected: 0") || !strings.Contains(errs, `row 2 is, cell for cell, a row of the file imported as "A2_kin.csv"`) || strings.Contains(errs, "row 3 is") {
		t.Fatalf("corrected: exit %d\nstdout: %q\nstderr: %q", code, out, errs)
	}
}
