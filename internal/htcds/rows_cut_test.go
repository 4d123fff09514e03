// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"strings"
	"testing"
)

// TestShortRowRejected: a CSV row with fewer cells than the header has
// named columns is rejected on the first missing column: it was read as
// far as it went, and its year, agency or key came in empty without a
// word (a row cut to 50 of 96 cells became a case of this year).
func TestShortRowRejected(t *testing.T) {
	data := "vic_TraffickingStatus,prs_Gender,vic_TypeOfExploitation,vig_RegistrationYear,agency\n" +
		"ActualVictimOfTrafficking,Feminine,ForcedLabour,2015,KIN\n" +
		"ActualVictimOfTrafficking,Masculine,SexualExploitation\n" +
		"ActualVictimOfTrafficking,Masculine,SexualExploitation,2019,KIN\n"
	recs, errs := importBytes(t, "csv", []byte(data), testOptions)
	if len(recs) != 2 || recs[0].Row != 2 || recs[1].Row != 4 {
		t.Fatalf("records %v", recs)
	}
	e := wantError(t, errs, 3, "vig_RegistrationYear", "import.field_count")
	if !strings.Contains(e.Reason, "after 3 of the header's 5 columns") || !strings.Contains(e.Reason, "ends at C") {
		t.Fatalf("reason %q", e.Reason)
	}
}

// TestDuplicateKeyInFileRejected: a second row giving a key an earlier
// row of the same file gave (vig_SourceKey, or id) is rejected and names
// that row: it was taken for the first, "already imported", and its
// victim lost (a row copied in Excel keeps the copied key). Rows with
// the same content and no key are distinct cases, as before.
func TestDuplicateKeyInFileRejected(t *testing.T) {
	const id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
	tests := []struct {
		name, format, data, column string
	}{
		{"SourceKeyCSV", "csv", "vic_TraffickingStatus,prs_Gender,vig_SourceKey\nActualVictimOfTrafficking,Feminine,k1\nActualVictimOfTrafficking,Masculine,k1\nActualVictimOfTrafficking,Masculine,k2\n", "vig_SourceKey"},
		{"IDCSV", "csv", "vic_TraffickingStatus,prs_Gender,id\nActualVictimOfTrafficking,Feminine," + id + "\nActualVictimOfTrafficking,Masculine," + id + "\nActualVictimOfTrafficking,Masculine,\n", "id"},
		{"SourceKeyJSON", "json", `[{"vig_SourceKey":"k1","victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}},` +
			`{"vig_SourceKey":"k1","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}},` +
			`{"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}}]`, "vig_SourceKey"},
		{"IDJSON", "json", `[{"id":"` + id + `","victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}},` +
			`{"id":"` + id + `","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}},` +
			`{"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}}]`, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, second := 2, 3
			if tt.format == "json" {
				first, second = 1, 2
			}
			recs, errs := importBytes(t, tt.format, []byte(tt.data), testOptions)
			if len(recs) != 2 || recs[0].Row != first || recs[1].Row != second+1 {
				t.Fatalf("records %v, errors %v", recs, errs)
			}
			e := wantError(t, errs, second, tt.column, "import.duplicate_key")
			if !strings.Contains(e.Reason, "row "+string(rune('0'+first))) {
				t.Fatalf("reason %q does not name row %d", e.Reason, first)
			}
		})
	}
	// The same content twice without a key: two victims, two cases.
	same := "vic_TraffickingStatus,prs_Gender\nActualVictimOfTrafficking,Feminine\nActualVictimOfTrafficking,Feminine\n"
	if recs, errs := importBytes(t, "csv", []byte(same), testOptions); len(recs) != 2 || len(errs) != 0 {
		t.Fatalf("identical rows without keys: %v %v", recs, errs)
	}
}

// TestDuplicateKeyOfARejectedRow: a row rejected for another reason still
// holds its key, so a later row with that key is rejected too. It was
// imported; once the first row was fixed and the file imported again, the
// first was taken for the second ("already imported") and never stored.
// An ID in another letter case is the same key, and a JSON key with spaces
// around it is the key without them, as in a CSV cell.
func TestDuplicateKeyOfARejectedRow(t *testing.T) {
	data := "prs_FirstName,vic_TraffickingStatus,vig_SourceKey\nA,PossibleVictimOfTrafficking,r1\nC,BadStatus,r2\nD,PossibleVictimOfTrafficking,r2\n"
	recs, errs := importBytes(t, "csv", []byte(data), testOptions)
	if len(recs) != 1 || recs[0].Row != 2 {
		t.Fatalf("records %v, errors %v", recs, errs)
	}
	wantError(t, errs, 3, "vic_TraffickingStatus", "validation.enum")
	wantError(t, errs, 4, "vig_SourceKey", "import.duplicate_key")

	const id = "abcdef01-2222-1111-1111-111111111111"
	data = "vic_TraffickingStatus,id\nPossibleVictimOfTrafficking," + id + "\nPossibleVictimOfTrafficking," + strings.ToUpper(id) + "\n"
	recs, errs = importBytes(t, "csv", []byte(data), testOptions)
	if len(recs) != 1 {
		t.Fatalf("an ID in capitals: records %v, errors %v", recs, errs)
	}
	wantError(t, errs, 3, "id", "import.duplicate_key")

	js := `[{"vig_SourceKey":"sk","victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}},` +
		`{"vig_SourceKey":"sk ","victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}}]`
	recs, errs = importBytes(t, "json", []byte(js), testOptions)
	if len(recs) != 1 || recs[0].Case.SourceKey != "sk" {
		t.Fatalf("keys with spaces: records %v, errors %v", recs, errs)
	}
	wantError(t, errs, 2, "vig_SourceKey", "import.duplicate_key")
}

// TestCTDCFileNamedInHTCDSImport: a CTDC file given to the HTCDS import is
// named as such, with the command that reads it.
func TestCTDCFileNamedInHTCDSImport(t *testing.T) {
	_, err := NewReader(strings.NewReader("yearOfRegistration,Datasource,gender,ageBroad\n2016,Hotline,Female,18--20\n"), "csv", testOptions)
	if err == nil || !strings.Contains(err.Error(), "vigie import ctdc") {
		t.Fatalf("error %v", err)
	}
	_, err = NewReader(strings.NewReader("agency,nonsense\nKIN,1\n"), "csv", testOptions)
	if err == nil || strings.Contains(err.Error(), "CTDC") {
		t.Fatalf("an HTCDS header with an unknown column: %v", err)
	}
}
