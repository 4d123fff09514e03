// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import "testing"

func TestSQLiteScan(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  bool
	}{
		{"table scan", []string{"SCAN c"}, true},
		{"index walk", []string{"SCAN c USING INDEX cases_updated_idx"}, false},
		{"bounded walk reading its subquery", []string{"CO-ROUTINE c", ">SCAN c USING INDEX sqlite_autoindex_cases_1", "SCAN c"}, false},
		{"subquery that scans the table", []string{"CO-ROUTINE c", ">SCAN c", "SCAN c"}, true},
		{"materialized subquery", []string{"MATERIALIZE c", ">SEARCH c USING INDEX cases_reg_idx (reg_key>?)", "SCAN c"}, false},
		{"collect through an index", []string{"SEARCH c USING INDEX cases_agency_idx (agency_id=?)", "USE TEMP B-TREE FOR ORDER BY"}, false},
	}
	for _, tt := range tests {
		if got := sqliteScan(tt.lines); got != tt.want {
			t.Errorf("%s: sqliteScan = %v, want %v", tt.name, got, tt.want)
		}
	}
}
