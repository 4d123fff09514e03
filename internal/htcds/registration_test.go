// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"strings"
	"testing"
)

// TestRegistrationOfTemplateRows: a file without any registration column
// (the IOM template) registers its rows on the day of the import; a file
// with one (Vigie's exports) keeps an empty cell as a registration
// unknown, so that a case without a year (a CTDC record) stays without
// one after an export and an import, and the counts by year match.
func TestRegistrationOfTemplateRows(t *testing.T) {
	tests := []struct {
		name, data string
		wantDate   bool
		wantYear   int
	}{
		{"NoColumn", "vic_TraffickingStatus\nPossibleVictimOfTrafficking\n", true, today.Year()},
		{"EmptyDate", "vic_TraffickingStatus,vig_RegistrationDate\nPossibleVictimOfTrafficking,\n", false, 0},
		{"EmptyYear", "vic_TraffickingStatus,vig_RegistrationYear\nPossibleVictimOfTrafficking,\n", false, 0},
		{"YearOnly", "vic_TraffickingStatus,vig_RegistrationYear\nPossibleVictimOfTrafficking,2015\n", false, 2015},
		{"EmptyPeriod", "vic_TraffickingStatus,vig_RegistrationPeriod\nPossibleVictimOfTrafficking,\n", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, errs := importBytes(t, "csv", []byte(tt.data), testOptions)
			if len(errs) > 0 || len(recs) != 1 {
				t.Fatalf("%d records, errors %v", len(recs), errs)
			}
			c := recs[0].Case
			if (c.RegistrationDate == today) != tt.wantDate || c.RegistrationYear != tt.wantYear {
				t.Fatalf("registered %v (year %d), want today %v, year %d", c.RegistrationDate, c.RegistrationYear, tt.wantDate, tt.wantYear)
			}
		})
	}
}

// TestCongoAloneNamesTwoCountries: "Congo" alone, in a country or a
// citizenship cell, is refused with the two codes to choose from (it said
// only that it is not an ISO code, though the IOM template's list offers
// it).
func TestCongoAloneNamesTwoCountries(t *testing.T) {
	for _, data := range []string{
		"vic_TraffickingStatus,prs_Citizenship\nPossibleVictimOfTrafficking,Congo\n",
		"vic_TraffickingStatus,prs_MailingCountry\nPossibleVictimOfTrafficking,congo\n",
	} {
		recs, errs := importBytes(t, "csv", []byte(data), testOptions)
		if len(recs) != 0 || len(errs) != 1 || errs[0].Code != "validation.country" || !strings.Contains(errs[0].Reason, "write CG for the Republic of the Congo") {
			t.Fatalf("%q: %v %+v", data, recs, errs)
		}
	}
	recs, errs := importBytes(t, "csv", []byte("vic_TraffickingStatus,prs_Citizenship\nPossibleVictimOfTrafficking,\"Congo, Democratic Republic of the\"\n"), testOptions)
	if len(errs) != 0 || len(recs) != 1 || recs[0].Case.Person.Citizenship[0] != "CD" {
		t.Fatalf("%v %+v", recs, errs)
	}
}
