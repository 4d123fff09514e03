// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"strings"
	"testing"

	"vigie/internal/csvsep"
)

// TestCSVLongLineIsFatal: a CSV line longer than MaxLineBytes (a damaged
// or sparse file) stops the import with an invalid-data error naming the
// line, after the rows before it, instead of being read whole into memory
// (a 300 MB line took 10 GB). So does a row of short lines longer than
// that: a quote left open joins the lines after it into one row, which
// encoding/csv held whole (200 MB for a 40 MB file).
func TestCSVLongLineIsFatal(t *testing.T) {
	good := export(t, "csv", minimalCase("a"), minimalCase("b"))
	long := strings.Repeat("\x00", MaxLineBytes+1)
	lines := func(n int) string { return strings.Repeat("abc\n", n/4) }
	longRow := lines(MaxLineBytes + csvsep.RowSlack + 64<<10)
	tests := []struct {
		name  string
		input string
		recs  int
		line  string
	}{
		{"OK_long_text_cell_under_the_limit", string(good) + strings.Repeat("x", MaxLineBytes/2) + "\n", 2, ""},
		{"long_line_after_the_rows", string(good) + long + "\n", 2, "line 4 "},
		{"long_line_without_end", string(good) + long, 2, "line 4 "},
		{"OK_quoted_cell_of_lines_under_the_limit", string(good) + `"` + lines(MaxLineBytes/2) + "\"\n", 2, ""},
		{"long_quoted_cell_of_short_lines", string(good) + `"` + longRow + "\"\n", 2, "row after line 3 "},
		{"quote_left_open_before_many_short_lines", string(good) + `KIN,"Marie` + "\n" + longRow, 2, "row after line 3 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader([]byte(tt.input)), "csv", Options{Agency: "KIN", Source: "t.csv"})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			recs, _, fatal := readUntilFatal(t, r)
			wantFatal(t, fatal, tt.line)
			if len(recs) != tt.recs {
				t.Errorf("%d records, want %d", len(recs), tt.recs)
			}
		})
	}
}

// TestJSONLongElementIsFatal: an element of a JSON array longer than
// MaxElementBytes stops the import with an invalid-data error naming it,
// after the elements before it, instead of being read whole into memory
// (a 300 MB string took 2.5 GB).
func TestJSONLongElementIsFatal(t *testing.T) {
	good := strings.TrimSuffix(strings.TrimSpace(string(export(t, "json", minimalCase("a"), minimalCase("b")))), "]")
	long := `{"agency":"KIN","person":{"prs_FirstName":"` + strings.Repeat("a", MaxElementBytes+256<<10) + `"}}`
	tests := []struct {
		name  string
		input string
		recs  int
		fatal string
	}{
		{"OK_small_elements", good + "]", 2, ""},
		{"OK_element_just_under_the_limit", good + "," + strings.Replace(long, strings.Repeat("a", 512<<10), "", 1) + "]", 2, ""},
		{"long_element_after_two", good + "," + long + "," + long + "]", 2, "element 3 "},
		{"long_first_element", "[" + long + "]", 0, "element 1 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewJSONReader(strings.NewReader(tt.input), Options{Agency: "KIN", Source: "t.json"})
			if err != nil {
				t.Fatal(err)
			}
			recs, _, fatal := readUntilFatal(t, r)
			if len(recs) != tt.recs {
				t.Errorf("%d records, want %d", len(recs), tt.recs)
			}
			wantFatal(t, fatal, tt.fatal)
		})
	}
}
