// SPDX-License-Identifier: AGPL-3.0-or-later

package ctdc

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"vigie/internal/csvsep"
	"vigie/internal/domain"
)

// TestSpellingsOfTheSameValue: a cell with surrounding spaces, a country
// code in lower case and a whole number written as a decimal (2015.0, 1.0,
// -99.0, as pandas writes a numeric column with gaps) mean the codebook's
// value, in both formats — as the HTCDS import reads them — and the row
// gets the same case and the same source key as the file written plainly.
func TestSpellingsOfTheSameValue(t *testing.T) {
	tests := []struct {
		name         string
		header       string
		plain, other map[string]string
		line         func(map[string]string) string
	}{
		{"year_with_spaces", globalHeader(), nil, map[string]string{"yearOfRegistration": " 2016 "}, globalLine},
		{"year_as_decimal", globalHeader(), nil, map[string]string{"yearOfRegistration": "2016.0"}, globalLine},
		{"gender_with_spaces", globalHeader(), nil, map[string]string{"gender": "Female\t"}, globalLine},
		{"country_in_lower_case", globalHeader(), nil, map[string]string{"citizenship": "ph"}, globalLine},
		{"country_mixed_case_with_spaces", globalHeader(), nil, map[string]string{"citizenship": " Ph"}, globalLine},
		{"exploitation_country_in_lower_case", globalHeader(), map[string]string{"CountryOfExploitation": "US"}, map[string]string{"CountryOfExploitation": "us"}, globalLine},
		{"ctdc_code_in_lower_case", globalHeader(), map[string]string{"citizenship": "Y1"}, map[string]string{"citizenship": "y1"}, globalLine},
		{"flag_as_decimal", globalHeader(), map[string]string{"isForcedLabour": "1", "isSexualExploit": "0"}, map[string]string{"isForcedLabour": "1.0", "isSexualExploit": "0.0"}, globalLine},
		{"flag_with_decimal_comma", globalHeader(), map[string]string{"isForcedLabour": "1", "isSexualExploit": "0", "isAbduction": "-99"}, map[string]string{"isForcedLabour": "1,0", "isSexualExploit": "0,00", "isAbduction": "-99,0"}, globalLine},
		{"year_with_decimal_comma", globalHeader(), nil, map[string]string{"yearOfRegistration": "2016,0"}, globalLine},
		{"missing_as_decimal", globalHeader(), map[string]string{"isAbduction": "-99"}, map[string]string{"isAbduction": "-99.00"}, globalLine},
		{"flag_with_spaces", globalHeader(), map[string]string{"isForcedLabour": "1"}, map[string]string{"isForcedLabour": " 1 "}, globalLine},
		{"no_break_space_and_BOM_in_a_cell", globalHeader(), nil, map[string]string{"ageBroad": "\u00a018--20\ufeff"}, globalLine},
		{"VP_year_with_spaces", vpHeader(), nil, map[string]string{"yearRegister": " 2019"}, vpLine},
		{"VP_period_with_spaces", vpHeader(), map[string]string{"yearRegister": "2014-2018"}, map[string]string{"yearRegister": "2014-2018 "}, vpLine},
		{"VP_indicator_as_decimal", vpHeader(), nil, map[string]string{"isForcedLabour": "1.0"}, vpLine},
		{"VP_blank_cell_is_missing", vpHeader(), map[string]string{"IP_Gender": ""}, map[string]string{"IP_Gender": "  "}, vpLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := one(t, tt.header, tt.line(tt.plain))
			got := one(t, tt.header, tt.line(tt.other))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("case differs from the plain row's\n got: %+v %+v\nwant: %+v %+v", got.Person, got.Victim, want.Person, want.Victim)
			}
		})
	}
}

// TestRejectsShowTheCellAsWritten: values that are still wrong once
// tidied are rejected, and the reject shows the cell as the file has it.
func TestRejectsShowTheCellAsWritten(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		want domain.RowError
	}{
		{"decimal_year_that_is_not_whole", map[string]string{"yearOfRegistration": "2015.5"},
			domain.RowError{Row: 2, Column: "yearOfRegistration", Value: "2015.5", Code: "ctdc.year", Reason: `"2015.5" is not a year (four digits, e.g. 2016)`}},
		{"unknown_country_with_spaces", map[string]string{"citizenship": " xx1 "},
			domain.RowError{Row: 2, Column: "citizenship", Value: " xx1 ", Code: "ctdc.country", Reason: `"xx1" is not an ISO 3166-1 alpha-2 country code (two capital letters such as CD; ZZ = unknown), or -99 when missing`}},
		{"flag_2_0", map[string]string{"isForcedLabour": "2.0"},
			domain.RowError{Row: 2, Column: "isForcedLabour", Value: "2.0", Code: "ctdc.boolean", Reason: `"2" is not a boolean: expected 0, 1 or -99 (missing)`}},
		{"year_1899", map[string]string{"yearOfRegistration": "1899.0"},
			domain.RowError{Row: 2, Column: "yearOfRegistration", Value: "1899.0", Code: "ctdc.year", Reason: "1899 is not between 1990 and " + strconv.Itoa(nowUTC().Year())}},
		{"blank_year_is_missing", map[string]string{"yearOfRegistration": "   "},
			domain.RowError{Row: 2, Column: "yearOfRegistration", Value: "   ", Code: "ctdc.required", Reason: "is required (the year the victim was registered)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, res := readAll(t, globalHeader()+"\n"+globalLine(tt.set)+"\n", testOpt)
			if len(res.recs) != 0 || len(res.rejects) != 1 {
				t.Fatalf("want one reject, got %d records, rejects %v", len(res.recs), res.rejects)
			}
			if got := res.rejects[0]; !reflect.DeepEqual(got, []domain.RowError{tt.want}) {
				t.Errorf("rejects\n got: %+v\nwant: %+v", got, tt.want)
			}
		})
	}
}

func nowUTC() time.Time { return time.Now().UTC() }

// TestLongLineIsFatal: a line longer than MaxLineBytes (a damaged file, a
// sparse file of zeros) stops the import with an error naming the line,
// instead of reading it whole into memory; the rows before it are read.
// So does a row of short lines longer than that (a quote left open joins
// the lines after it into one row): encoding/csv held it whole, 232 MB
// for a 45 MB file with a stray quote on its sixth line.
func TestLongLineIsFatal(t *testing.T) {
	long := strings.Repeat("\x00", MaxLineBytes+1)
	lines := func(n int) string { return strings.Repeat("abc\n", n/4) }
	longRow := lines(MaxLineBytes + csvsep.RowSlack + 64<<10)
	tests := []struct {
		name  string
		input string
		recs  int
		line  string
	}{
		{"OK_line_at_the_limit", globalHeader() + "\n" + globalLine(nil) + "\n" + globalLine(map[string]string{"ageBroad": strings.Repeat("x", MaxLineBytes-len(globalLine(nil))-10)}) + "\n", 1, ""},
		{"long_line_after_a_row", globalHeader() + "\n" + globalLine(nil) + "\n" + long + "\n" + globalLine(nil) + "\n", 1, "line 3 "},
		{"long_last_line_without_end", globalHeader() + "\n" + globalLine(nil) + "\n" + globalLine(nil) + "\n" + long, 2, "line 4 "},
		{"long_quoted_cell", globalHeader() + "\n" + globalLine(map[string]string{"ageBroad": long}) + "\n", 0, "line 2 "},
		{"OK_quoted_cell_of_lines_under_the_limit", globalHeader() + "\n" + globalLine(nil) + "\n" + globalLine(map[string]string{"ageBroad": lines(MaxLineBytes / 2)}) + "\n" + globalLine(nil) + "\n", 2, ""},
		{"long_quoted_cell_of_short_lines", globalHeader() + "\n" + globalLine(nil) + "\n" + globalLine(map[string]string{"ageBroad": longRow}) + "\n" + globalLine(nil) + "\n", 1, "row after line 2 "},
		{"quote_left_open_before_many_short_lines", globalHeader() + "\n" + globalLine(nil) + "\n" + globalLine(nil) + "\n" + `"` + globalLine(nil) + "\n" + longRow, 2, "row after line 3 "},
	}
	if _, err := NewReader(strings.NewReader(globalHeader()+long+"\n"), testOpt); domain.KindOf(err) != domain.KindInvalid || !strings.Contains(err.Error(), "line 1 ") {
		t.Errorf("long header: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, res := readAll(t, tt.input, testOpt)
			if len(res.recs) != tt.recs {
				t.Errorf("%d records, want %d", len(res.recs), tt.recs)
			}
			switch {
			case tt.line == "" && res.err != nil:
				t.Errorf("error %v", res.err)
			case tt.line != "" && (res.err == nil || domain.KindOf(res.err) != domain.KindInvalid || !strings.Contains(res.err.Error(), tt.line)):
				t.Errorf("error %v, want an invalid-data error naming %q", res.err, tt.line)
			}
		})
	}
}
