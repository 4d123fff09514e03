// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestCSVBrokenQuoteRejectsTheRow: a row that is not valid CSV (a bare
// quote, text after a closing quote) is rejected with its row number and
// the import goes on, as the CTDC import does — it stopped the whole
// import; only a quote left open to the end of the file, which swallows
// every row after it, stays fatal.
func TestCSVBrokenQuoteRejectsTheRow(t *testing.T) {
	good := string(export(t, "csv", minimalCase("a"), minimalCase("b"), minimalCase("c")))
	lines := strings.SplitAfter(good, "\n") // header, a, b, c, ""
	if len(lines) < 4 || strings.Contains(good, `"`) {
		t.Fatalf("unexpected export %q", good)
	}
	bare := strings.Replace(lines[2], "KIN", `K"IN`, 1)
	after := `"x"y` + lines[2][strings.Index(lines[2], ","):]
	tests := []struct {
		name    string
		input   string
		recs    int
		rejects []int  // rows
		fatal   string // in the fatal error, "" for none
	}{
		{"bare_quote", lines[0] + lines[1] + bare + lines[3], 2, []int{3}, ""},
		{"text_after_closing_quote", lines[0] + lines[1] + after + lines[3], 2, []int{3}, ""},
		{"bare_quote_after_blank_line", lines[0] + lines[1] + "\n" + bare + lines[3], 2, []int{4}, ""},
		{"quoted_line_break_then_bare_quote", lines[0] + `"a` + "\n" + `b"x,` + "\n" + lines[1] + lines[3], 2, []int{2}, ""},
		{"quote_open_to_the_end", lines[0] + lines[1] + `"` + lines[2] + lines[3], 1, nil, "row 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader([]byte(tt.input)), "csv", Options{Agency: "KIN", Source: "t.csv"})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			recs, rejects, fatal := readUntilFatal(t, r)
			var rows []int
			for _, rej := range rejects {
				rows = append(rows, rej.Row)
				if rej.Code != "import.csv" || rej.Reason == "" {
					t.Errorf("reject %+v", rej)
				}
			}
			if len(recs) != tt.recs || !slices.Equal(rows, tt.rejects) {
				t.Errorf("%d records, rejected rows %v; want %d, %v", len(recs), rows, tt.recs, tt.rejects)
			}
			wantFatal(t, fatal, tt.fatal)
		})
	}
}
