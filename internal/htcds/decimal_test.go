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

// TestDecimalCommaCoordinates: a coordinate written with a decimal comma,
// as French Excel saves an export (-4,3217), reads as with a dot — it was
// refused ('write the decimal separator as a dot'), so a French Excel copy
// of an export lost every case with coordinates; two commas, an exponent
// after a comma and a value out of range stay refused.
func TestDecimalCommaCoordinates(t *testing.T) {
	for _, tc := range []struct {
		lat, lon string
		ok       bool
	}{
		{"-4.3217", "15.3125", true},
		{"-4,3217", "15,3125", true},
		{" -4,3217 ", "15,3125", true},
		{"-4,3,217", "15.3125", false},
		{"-4,3e1", "15.3125", false},
		{"-94,3217", "15.3125", false},
	} {
		t.Run(tc.lat+"/"+tc.lon, func(t *testing.T) {
			data := csvText(
				[]string{"vic_TraffickingStatus", "prs_MailingLatitude", "hte_Type", "hte_Longitude"},
				[]string{"PossibleVictimOfTrafficking", tc.lat, "Exploitation", tc.lon})
			recs, errs := importBytes(t, "csv", data, testOptions)
			if !tc.ok {
				if len(recs) != 0 || len(errs) == 0 {
					t.Fatalf("accepted: %v", recs[0].Case.Person.MailingLatitude)
				}
				return
			}
			if len(recs) != 1 {
				t.Fatalf("rejected: %v", errs)
			}
			c := recs[0].Case
			if c.Person.MailingLatitude == nil || *c.Person.MailingLatitude != -4.3217 || len(c.Events) != 1 || c.Events[0].Longitude == nil || *c.Events[0].Longitude != 15.3125 {
				t.Fatalf("latitude %v, events %+v", c.Person.MailingLatitude, c.Events)
			}
		})
	}
}
