// SPDX-License-Identifier: AGPL-3.0-or-later

package importer

import "testing"

// TestCSVSafe: values that a spreadsheet would run as formulas are shown
// as text in the reject file; plain numbers are shown as written (CTDC's
// -99 came out as '-99, the quote visible in Excel).
func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{
		"-99": "-99", "-1.5": "-1.5", "12": "12", "Hotline": "Hotline", "": "",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "-1+2": "'-1+2", "+33": "'+33", "@SUM(A1)": "'@SUM(A1)", "-": "'-", "\tx": "'\tx",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
