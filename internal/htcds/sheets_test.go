// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"vigie/internal/domain"
)

// TestXLSXSheetChoice: a workbook may carry other sheets before its cases
// (notes, lookups, instructions); the cases are read from the sheet
// named Cases, else the first whose header row is HTCDS, and a workbook
// with no such sheet is refused naming the sheet it read.
func TestXLSXSheetChoice(t *testing.T) {
	caseSheet := [][]any{
		{"prs_FirstName", "prs_Gender", "vic_TraffickingStatus"},
		{"Amani", "Feminine", "ActualVictimOfTrafficking"},
		{"Bahati", "Masculine", "PossibleVictimOfTrafficking"},
	}
	notes := [][]any{{"Notes"}, {"filled in by the field office"}}
	lookups := [][]any{{"Gender", "Country"}, {"Feminine", "CD"}}
	partial := [][]any{{"prs_Gender"}, {"Feminine"}} // HTCDS, but no trafficking status
	type sheet struct {
		name string
		rows [][]any
	}
	for _, tc := range []struct {
		name   string
		sheets []sheet
		want   []string // first names imported, in order
		errHas string   // else the header error must contain this
	}{
		{"CasesOnly", []sheet{{"Sheet1", caseSheet}}, []string{"Amani", "Bahati"}, ""},
		{"NotesFirst", []sheet{{"Notes", notes}, {"Case Sheet", caseSheet}}, []string{"Amani", "Bahati"}, ""},
		{"LabelsFirst", []sheet{{"Lookups", lookups}, {"Data", caseSheet}}, []string{"Amani", "Bahati"}, ""},
		{"PartialHeaderFirst", []sheet{{"Other", partial}, {"Data", caseSheet}}, []string{"Amani", "Bahati"}, ""},
		{"NamedCasesWins", []sheet{{"Sheet1", [][]any{caseSheet[0]}}, {"cases", caseSheet}}, []string{"Amani", "Bahati"}, ""},
		{"OtherSheetWithLabelsOnly", []sheet{{"Data", caseSheet}, {"Copy", [][]any{caseSheet[0], {"First Name", "Gender", "Trafficking Status"}}}}, []string{"Amani", "Bahati"}, ""},
		{"PartialHeaderAfter", []sheet{{"Data", caseSheet}, {"Lookups", partial}}, []string{"Amani", "Bahati"}, ""},
		// Cases on two sheets (one per year, say): refused, naming both,
		// rather than the second left out without a word.
		{"CasesOnTwoSheets", []sheet{{"2016", caseSheet}, {"2017", caseSheet}}, nil, `sheet "2016" is read, sheet "2017" would be left out`},
		{"CasesBesideNamedCases", []sheet{{"Sheet1", [][]any{caseSheet[0], {"Other", "Feminine", "ActualVictimOfTrafficking"}}}, {"cases", caseSheet}}, nil, `sheet "Sheet1" would be left out`},
		{"NoHeaderAnywhere", []sheet{{"Notes", notes}, {"More", notes}}, nil, `sheet "Notes"`},
		{"OnlyPartialHeader", []sheet{{"Notes", notes}, {"Other", partial}}, nil, `sheet "Other"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			for i, sh := range tc.sheets {
				if i == 0 {
					if err := f.SetSheetName("Sheet1", sh.name); err != nil {
						t.Fatal(err)
					}
				} else if _, err := f.NewSheet(sh.name); err != nil {
					t.Fatal(err)
				}
				for r, row := range sh.rows {
					cell, _ := excelize.CoordinatesToCellName(1, r+1)
					if err := f.SetSheetRow(sh.name, cell, &row); err != nil {
						t.Fatal(err)
					}
				}
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(bytes.NewReader(buf.Bytes()), "xlsx", testOptions)
			if tc.errHas != "" {
				if err == nil {
					r.Close()
					t.Fatalf("accepted the workbook; want an error naming %s", tc.errHas)
				}
				if domain.KindOf(err) != domain.KindInvalid || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("error %v (kind %v), want one naming %s", err, domain.KindOf(err), tc.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			recs, errs := readAll(t, r)
			if len(errs) != 0 {
				t.Fatalf("rejects: %v", errs)
			}
			var got []string
			for _, rec := range recs {
				got = append(got, rec.Case.Person.FirstName)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("imported %v, want %v", got, tc.want)
			}
		})
	}
}

// TestXLSXMergedAndFormulaCells: a cell inside merged cells reads empty
// (the value is the first cell's) and so does a formula no spreadsheet
// ever computed; a row relying on either is rejected, naming the cells,
// instead of being imported with the values missing. Rows not touched
// import, and merged cells outside the imported columns do not matter.
func TestXLSXMergedAndFormulaCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	rows := [][]any{
		{nil, "prs_FirstName", "prs_SecondName", "prs_Gender", "vic_TraffickingStatus"},
		{1, "Amani", "Kabila", "Feminine", "ActualVictimOfTrafficking"},
		{2, "Bahati", "Mwamba", "Masculine", "ActualVictimOfTrafficking"},
		{3, "Chiku", "Ngalula", nil, "ActualVictimOfTrafficking"},   // row 4: D4 inside D3:D4
		{4, "Dunia", nil, "Feminine", "ActualVictimOfTrafficking"},  // row 5: C5 inside B5:C5
		{5, nil, "Ilunga", "Feminine", "ActualVictimOfTrafficking"}, // row 6: B6 a formula, no value
		{6, "Eka", "Tshala", "Feminine", "ActualVictimOfTrafficking"},
		{7, "Fifi", "Tshala", "Feminine", "ActualVictimOfTrafficking"}, // rows 8-9: A8:A9 (row numbers) merged
		{nil, "Gaby", "Tshala", "Feminine", "ActualVictimOfTrafficking"},
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow(sh, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range [][2]string{{"D3", "D4"}, {"B5", "C5"}, {"A8", "A9"}} {
		if err := f.MergeCell(sh, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellFormula(sh, "B6", `"Ju"&"lie"`); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	recs, errs := importBytes(t, "xlsx", buf.Bytes(), testOptions)
	var got []string
	for _, rec := range recs {
		got = append(got, rec.Case.Person.FirstName)
	}
	if want := "Amani,Bahati,Eka,Fifi,Gaby"; strings.Join(got, ",") != want {
		t.Errorf("imported %v, want %s", got, want)
	}
	for _, w := range []struct {
		row         int
		column, has string
		code        string
	}{
		{4, "prs_Gender", "D3:D4", "import.merged_cell"},
		{5, "prs_SecondName", "B5:C5", "import.merged_cell"},
		{6, "prs_FirstName", `="Ju"&"lie"`, "import.formula_without_value"},
	} {
		e := wantError(t, errs, w.row, w.column, w.code)
		if !strings.Contains(e.Reason, w.has) {
			t.Errorf("row %d: reason %q does not name %s", w.row, e.Reason, w.has)
		}
	}
	if len(errs) != 3 {
		t.Errorf("%d rejects, want 3: %v", len(errs), errs)
	}
}

// TestRejectValueEscaped: the value a reject repeats is UTF-8 text without
// NUL or other control bytes — invalid bytes and control characters are
// written as Go escapes, so that the reject file is itself clean text and
// shows the wrong bytes — while ordinary text, line breaks included, is
// repeated as it is.
func TestRejectValueEscaped(t *testing.T) {
	for _, tc := range []struct {
		name, cell, want string
	}{
		{"NotText", "\x81\xe9lodie", `\x81\xe9lodie`}, // neither UTF-8 nor Windows-1252
		{"Windows1252", "\xe9lodie", "élodie"},
		{"NUL", "Élo\x00die", `Élo\x00die`},
		{"Bell", "a\x07b", `a\ab`},
		{"Plain", "Femme", "Femme"},
		{"Accents", "Élodie Ngalula", "Élodie Ngalula"},
		{"LineBreak", "Fem\nme", "Fem\nme"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := csvText([]string{"vic_TraffickingStatus", "prs_Gender"}, []string{"ActualVictimOfTrafficking", tc.cell})
			_, errs := importBytes(t, "csv", data, testOptions)
			if len(errs) == 0 {
				t.Fatalf("%q accepted as a gender", tc.cell)
			}
			v := errs[0].Value
			if v != tc.want {
				t.Errorf("value %q, want %q", v, tc.want)
			}
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				t.Errorf("value %q is not clean UTF-8 text", v)
			}
		})
	}
}

// TestXLSXRejectShowsTheCellAsSeen: a date cell refused (in the future)
// was named by its serial number (47484) in the reject file's value
// column, which no one finds in the sheet; it is the date as the cell's
// format shows it.
func TestXLSXRejectShowsTheCellAsSeen(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	for cell, v := range map[string]any{"A1": "vic_TraffickingStatus", "B1": "prs_Birthdate", "A2": "ActualVictimOfTrafficking"} {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue(sh, "B2", 47484); err != nil { // 2030-01-01
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sh, "B2", "B2", style); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, errs := importBytes(t, "xlsx", buf.Bytes(), testOptions)
	if len(errs) != 1 || errs[0].Column != "prs_Birthdate" || errs[0].Value != "01/01/2030" {
		t.Fatalf("rejects %+v, want prs_Birthdate shown as 01/01/2030", errs)
	}
}

// TestXLSXHiddenSheetNamed: cases on a hidden sheet beside the visible one
// were refused as cases on two sheets, naming a sheet no one sees in
// Excel; the refusal says it is hidden and how to show it.
func TestXLSXHiddenSheetNamed(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{{"prs_FirstName", "vic_TraffickingStatus"}, {"Amani", "ActualVictimOfTrafficking"}}
	if err := f.SetSheetName("Sheet1", "Ancien"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Case Sheet"); err != nil {
		t.Fatal(err)
	}
	for _, sh := range []string{"Ancien", "Case Sheet"} {
		for r, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(sh, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.SetActiveSheet(1)
	if err := f.SetSheetVisible("Ancien", false); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := NewReader(bytes.NewReader(buf.Bytes()), "xlsx", testOptions)
	if err == nil || !strings.Contains(err.Error(), `hidden sheet "Ancien"`) || !strings.Contains(err.Error(), "Unhide") {
		t.Fatalf("got %v", err)
	}
}

// TestScientificOnlyWhenRounded: a number cell of an XLSX sheet written
// with an exponent lost digits and is rejected; text that looks like one
// ("1E5" typed, or exported by Vigie) is kept, in XLSX and CSV, so that an
// export imports back (it was rejected too).
func TestScientificOnlyWhenRounded(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	for cell, v := range map[string]any{"A1": "vic_TraffickingStatus", "B1": "prs_IdentityNumber", "C1": "prs_FirstName",
		"A2": "ActualVictimOfTrafficking", "C2": "Amani",
		"A3": "ActualVictimOfTrafficking", "B3": "12e3", "C3": "1E5"} {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	// A number cell as Excel and openpyxl write a long number.
	if err := f.SetCellDefault(sh, "B2", "1.2345678901234568E+17"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	recs, errs := importBytes(t, "xlsx", buf.Bytes(), testOptions)
	if len(errs) != 1 || errs[0].Row != 2 || errs[0].Code != "validation.scientific_notation" {
		t.Fatalf("rejects %+v, want row 2's number", errs)
	}
	if len(recs) != 1 || recs[0].Case.Person.IdentityNumber != "12e3" || recs[0].Case.Person.FirstName != "1E5" {
		t.Fatalf("records %+v", recs)
	}
	recs, errs = importBytes(t, "csv", []byte("vic_TraffickingStatus,prs_IdentityNumber,prs_FirstName\nActualVictimOfTrafficking,12e3,1E5\n"), testOptions)
	if len(errs) != 0 || len(recs) != 1 || recs[0].Case.Person.IdentityNumber != "12e3" {
		t.Fatalf("csv: %v %v", recs, errs)
	}
}

// TestXLSXBooleanCellInDateOrNumberColumn: a TRUE cell under a birth date
// or a number of children was read as its number 1: 1900-01-01, 1 child.
func TestXLSXBooleanCellInDateOrNumberColumn(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	for cell, v := range map[string]any{"A1": "vic_TraffickingStatus", "B1": "prs_Birthdate", "C1": "prs_NumberOfChildren", "D1": "prs_Deceased",
		"A2": "PossibleVictimOfTrafficking", "B2": true, "C2": true, "D2": false} {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	recs, errs := importBytes(t, "xlsx", buf.Bytes(), testOptions)
	cols := map[string]bool{}
	for _, e := range errs {
		cols[e.Column] = e.Code == "validation.type"
	}
	if len(recs) != 0 || !cols["prs_Birthdate"] || !cols["prs_NumberOfChildren"] || len(cols) != 2 {
		t.Fatalf("records %v, rejects %+v: want the date and the number refused (FALSE is a fine prs_Deceased)", recs, errs)
	}
}

// TestHeaderInPageLabels: a header row written in the words of Vigie's
// pages was refused when a label names two columns ("Ville": the
// victim's city and an event's); in a case sheet it is the victim's.
func TestHeaderInPageLabels(t *testing.T) {
	recs, errs := importBytes(t, "csv", []byte("Prénom;Ville;Adresse;vic_TraffickingStatus\nAmani;Goma;12 av. de la Paix;PossibleVictimOfTrafficking\n"), testOptions)
	if len(errs) != 0 || len(recs) != 1 {
		t.Fatalf("got %v %v", recs, errs)
	}
	if p := recs[0].Case.Person; p.FirstName != "Amani" || p.MailingCity != "Goma" || p.MailingStreet != "12 av. de la Paix" {
		t.Fatalf("person %+v", p)
	}
}

// TestLongNumberCellRejected: an 18-digit identity number in a number
// cell is stored as a double, 123456789012345000, its last digits gone
// with no exponent to show it: it was imported so. A text cell of the
// same digits, and a 15-digit number cell, are kept.
func TestLongNumberCellRejected(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	for cell, v := range map[string]any{"A1": "vic_TraffickingStatus", "B1": "prs_IdentityNumber",
		"A2": "ActualVictimOfTrafficking", "A3": "ActualVictimOfTrafficking", "B3": "123456789012345678",
		"A4": "ActualVictimOfTrafficking"} {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellDefault(sh, "B2", "123456789012345000"); err != nil { // a number cell
		t.Fatal(err)
	}
	if err := f.SetCellDefault(sh, "B4", "123456789012345"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	recs, errs := importBytes(t, "xlsx", buf.Bytes(), testOptions)
	if len(errs) != 1 || errs[0].Row != 2 || errs[0].Code != "validation.scientific_notation" || !strings.Contains(errs[0].Reason, "15 digits") {
		t.Fatalf("rejects %+v, want row 2's number", errs)
	}
	if len(recs) != 2 || recs[0].Case.Person.IdentityNumber != "123456789012345678" || recs[1].Case.Person.IdentityNumber != "123456789012345" {
		t.Fatalf("records %+v", recs)
	}
}
