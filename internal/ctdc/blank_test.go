// SPDX-License-Identifier: AGPL-3.0-or-later

package ctdc

import (
	"strings"
	"testing"
)

// TestBlankRowsSkipped: a row of separators only (,,,, — what Excel saves
// for formatted rows below the data), or of blank cells, is skipped like
// an empty line, in the Global Dataset — it was rejected as missing its
// year and data source (in the victim–perpetrator dataset such a row is a
// victim of whom nothing is known: TestVPMapping); the rows around it keep their row numbers and a row with a
// value stays read (and checked).
func TestBlankRowsSkipped(t *testing.T) {
	for _, tc := range []struct {
		name, header, line string
	}{
		{"Global", globalHeader(), globalLine(nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := strings.Count(tc.header, ",")
			seps := strings.Repeat(",", n)
			spaces := strings.Repeat(" ;", n) // semicolons would make it another separator
			spaces = strings.ReplaceAll(spaces, ";", ",") + "\u00a0"
			in := tc.header + "\n" + tc.line + "\n" + seps + "\n" + tc.line + "\n" + spaces + "\n" + seps + "\n"
			_, res := readAll(t, in, testOpt)
			if res.err != nil || len(res.rejects) != 0 || len(res.recs) != 2 {
				t.Fatalf("%d records, rejects %v, error %v; want 2 records", len(res.recs), res.rejects, res.err)
			}
			if res.recs[0].Row != 2 || res.recs[1].Row != 4 {
				t.Errorf("rows %d, %d; want 2, 4", res.recs[0].Row, res.recs[1].Row)
			}
		})
	}
	// One value is not a blank row: it is read, and rejected for what it lacks.
	_, res := readAll(t, globalHeader()+"\n"+strings.Repeat(",", strings.Count(globalHeader(), ","))+"x\n", testOpt)
	if len(res.rejects) != 1 {
		t.Fatalf("a row with one value: %d rejects, want 1", len(res.rejects))
	}
}
