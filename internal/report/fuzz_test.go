// SPDX-License-Identifier: AGPL-3.0-or-later

package report_test

import (
	"testing"

	"vigie/internal/report"
)

// FuzzCellFilter: whatever table, row and column a URL names, CellFilter
// never panics, and the filters it accepts are valid stats filters within
// the report's period and scope.
func FuzzCellFilter(f *testing.F) {
	for _, s := range [][3]string{
		{"victims_sex_age", "Feminine", "Child"}, {"victims_sex_age", "*", "*"}, {"victims_detail", "Feminine~Child~ForcedLabour~national~CD-NK", "n"},
		{"victims_citizenship_sex", "Africa", ""}, {"victims_detail", "~~~~", "n"}, {"justice_offences", "x", "y"}, {"", "", ""},
		{"victims_province_sex", "CD-NK\x00", "Masculine"}, {"victims_form_age", "ForcedLabour~", "Adult"},
	} {
		f.Add(s[0], s[1], s[2], 2026)
	}
	f.Fuzz(func(t *testing.T, table, row, col string, year int) {
		p := report.Period{From: year, To: year}
		sf, err := report.CellFilter(p, "KIN", table, row, col)
		if err != nil {
			return
		}
		if err := sf.Validate(); err != nil {
			t.Fatalf("CellFilter(%q, %q, %q) gave an invalid filter: %v", table, row, col, err)
		}
		if sf.YearFrom != year || sf.YearTo != year || sf.Agency != "KIN" || !sf.Victims {
			t.Fatalf("CellFilter(%q, %q, %q) left the report's period or scope: %+v", table, row, col, sf)
		}
	})
}
