// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import "testing"

// TestWholeNumberSpellings: a whole number written as a decimal reads as
// the integer with a dot (2.0, as a spreadsheet writes it) and with a
// comma (2,0, as French Excel does — it was rejected as not a whole
// number); a real fraction and a list stay refused.
func TestWholeNumberSpellings(t *testing.T) {
	for _, tc := range []struct {
		children, year string
		ok             bool
	}{
		{"2", "2019", true},
		{"2.0", "2019.0", true},
		{"2,0", "2019,00", true},
		{"2,5", "2019", false},
		{"2,0,0", "2019", false},
		{"2.0,0", "2019", false},
	} {
		t.Run(tc.children+"/"+tc.year, func(t *testing.T) {
			data := csvText(
				[]string{"vic_TraffickingStatus", "prs_NumberOfChildren", "vig_RegistrationYear"},
				[]string{"PossibleVictimOfTrafficking", tc.children, tc.year})
			recs, errs := importBytes(t, "csv", data, testOptions)
			if !tc.ok {
				if len(recs) != 0 || len(errs) == 0 || errs[0].Code != "validation.number" {
					t.Fatalf("accepted: %v %v", recs, errs)
				}
				return
			}
			if len(recs) != 1 {
				t.Fatalf("rejected: %v", errs)
			}
			c := recs[0].Case
			if c.Person.NumberOfChildren == nil || *c.Person.NumberOfChildren != 2 || c.RegistrationYear != 2019 {
				t.Fatalf("children %v, year %d", c.Person.NumberOfChildren, c.RegistrationYear)
			}
		})
	}
}
