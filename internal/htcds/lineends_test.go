// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"strings"
	"testing"
)

// TestCSVLineEnds: a CSV file whose lines end with a carriage return
// alone (Excel for Mac's « CSV (Macintosh) ») reads as the same rows as
// with LF or CRLF — the header swallowed the whole file and was refused
// as unknown columns.
func TestCSVLineEnds(t *testing.T) {
	good := string(export(t, "csv", minimalCase("a"), minimalCase("b"), minimalCase("c")))
	for _, tc := range []struct{ name, input string }{
		{"LF", good},
		{"CRLF", strings.ReplaceAll(good, "\n", "\r\n")},
		{"CROnly", strings.ReplaceAll(good, "\n", "\r")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader([]byte(tc.input)), "csv", Options{Agency: "KIN", Source: "t.csv"})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			recs, rejects := readAll(t, r)
			if len(recs) != 3 || len(rejects) != 0 {
				t.Fatalf("%d records, rejects %v; want 3 records", len(recs), rejects)
			}
			for i, rec := range recs {
				if rec.Row != i+2 {
					t.Errorf("record %d has row %d, want %d", i, rec.Row, i+2)
				}
			}
		})
	}
}

// TestCSVNotText: a workbook or an archive given as CSV is
// refused as what it is — the header error repeated the file's bytes as
// unknown column names, a screenful of binary on the terminal.
func TestCSVNotText(t *testing.T) {
	xlsx := export(t, "xlsx", minimalCase("a"))
	for _, tc := range []struct {
		name  string
		input []byte
		want  string
	}{
		{"XLSX", xlsx, "XLSX workbook"},
		{"Gzip", []byte("\x1f\x8b\b\x00\x00\x00\x00\x00"), "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(bytes.NewReader(tc.input), "csv", Options{Agency: "KIN", Source: "t.csv"})
			wantFatal(t, err, tc.want)
			if err != nil && (len(err.Error()) > 600 || strings.Contains(err.Error(), "unknown column")) { // French, then English
				t.Errorf("error %.300q", err)
			}
		})
	}
}
