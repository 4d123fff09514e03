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
