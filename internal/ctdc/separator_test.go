// SPDX-License-Identifier: AGPL-3.0-or-later

package ctdc

import (
	"encoding/csv"
	"strings"
	"testing"

	"vigie/internal/domain"
)

// writeWith writes rows as CSV with the given separator (quoting where
// needed, as a spreadsheet saving them would) and line end.
func writeWith(rows [][]string, comma rune, crlf bool) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = comma, crlf
	if err := w.WriteAll(rows); err != nil {
		panic(err)
	}
	return b.String()
}

// TestSeparators: a CTDC file saved with semicolons (French Excel) or
// tabs reads as the same rows, with the same source keys, as the file
// with commas; a value holding the separator, quoted, stays one value.
func TestSeparators(t *testing.T) {
	split := func(line string) []string {
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	rows := [][]string{
		strings.Split(globalHeader(), ","),
		split(globalLine(nil)),
		split(globalLine(map[string]string{"RecruiterRelationship": "Friend; Intimate Partner", "recruiterRelationFriend": "1", "recruiterRelationIntimatePartner": "1", "gender": "Male"})),
		split(globalLine(map[string]string{"isForcedLabour": "1", "yearOfRegistration": "2012"})),
	}
	keys := func(input string) []string {
		t.Helper()
		_, res := readAll(t, input, testOpt)
		if res.err != nil || len(res.rejects) != 0 {
			t.Fatalf("error %v, rejects %v", res.err, res.rejects)
		}
		var k []string
		for _, rec := range res.recs {
			k = append(k, rec.Case.SourceKey+"/"+rec.Case.Person.Gender)
		}
		return k
	}
	want := keys(writeWith(rows, ',', false))
	if len(want) != 3 {
		t.Fatalf("comma file: %d records, want 3", len(want))
	}
	for _, tc := range []struct {
		name  string
		comma rune
		crlf  bool
		bom   bool
	}{
		{"Semicolon", ';', false, false},
		{"SemicolonExcel", ';', true, true},
		{"Tab", '\t', false, false},
		{"CommaCRLF", ',', true, true},
		{"CommaCROnly", ',', false, false}, // Excel for Mac's « CSV (Macintosh) »
		{"SemicolonCROnly", ';', false, true},
		// Files pasted together: one line end is a CR alone (its two rows
		// were read as one row of 115 fields).
		{"CommaLFThenCRAlone", ',', false, false},
		{"CommaCRLFThenCRAlone", ',', true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := writeWith(rows, tc.comma, tc.crlf)
			if strings.HasSuffix(tc.name, "CROnly") {
				in = strings.ReplaceAll(in, "\n", "\r")
			}
			if strings.HasSuffix(tc.name, "ThenCRAlone") {
				end := map[bool]string{false: "\n", true: "\r\n"}[tc.crlf]
				first := strings.Index(in, end) + len(end)
				second := first + strings.Index(in[first:], end)
				in = in[:second] + "\r" + in[second+len(end):]
			}
			if tc.bom {
				in = "\uFEFF" + in
			}
			if got := keys(in); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
	// A semicolon in a comma file's value is no separator.
	t.Run("SemicolonInCommaFile", func(t *testing.T) {
		if got := keys(writeWith(rows, ',', false)); len(got) != 3 {
			t.Fatalf("got %v", got)
		}
	})
}

// TestHeaderRefusals: a header that cannot be read says why, naming the
// columns where there are columns.
func TestHeaderRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input string
		want  []string // every one must be in the error
	}{
		{"UTF16LE", "\xff\xfey\x00e\x00a\x00r\x00", []string{"UTF-16", "UTF-8"}},
		{"UTF16BE", "\xfe\xff\x00y\x00e\x00a\x00r", []string{"UTF-16"}},
		{"UpperCase", strings.ToUpper(globalHeader()) + "\n" + globalLine(nil) + "\n",
			[]string{"Global Dataset", `column 1 "YEAROFREGISTRATION" is not a CTDC column; did you mean "yearOfRegistration"? (column names are case-sensitive)`, `column 3 "GENDER"`}},
		{"OneColumnWrongCase", strings.Replace(globalHeader(), "gender", "Gender", 1) + "\n",
			[]string{`column 3 "Gender" is not a CTDC column; did you mean "gender"? (column names are case-sensitive)`}},
		{"Typo", strings.Replace(globalHeader(), "gender", "gendre", 1) + "\n",
			[]string{`column 3 "gendre" is not a CTDC column; did you mean "gender"?`}},
		{"NotCTDC", "a,b,c\n1,2,3\n", []string{"not a CTDC header"}},
		// Not text at all: said so, not read as a header of unknown columns.
		{"XLSXRenamed", "PK\x03\x04\x14\x00\b\x00\b\x00xl/worksheets/sheet1.xml\x93\xdb", []string{"XLSX workbook", "not CSV text"}},
		{"Gzip", "\x1f\x8b\b\x00\x00\x00", []string{"gzip", "not CSV text"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tc.input), testOpt)
			if err == nil {
				t.Fatal("header accepted")
			}
			if domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("kind %v, want invalid", domain.KindOf(err))
			}
			var msg strings.Builder
			msg.WriteString(err.Error())
			for _, f := range domain.FieldErrors(err) {
				msg.WriteString("\n" + f.Message)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg.String(), w) {
					t.Errorf("error does not say %q:\n%s", w, msg.String())
				}
			}
			if tc.name == "Typo" && strings.Contains(msg.String(), "case-sensitive") {
				t.Errorf("a typo is not a case problem:\n%s", msg.String())
			}
		})
	}
}
