// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// The CTDC files live in the shared folder beside the repository and are
// never copied into it (shared/data/ctdc/SOURCE.md).
const ctdcDir = "../../../shared/data/ctdc/"

// ctdcTables are breakdowns a national report would publish, per file:
// the Global Dataset (already 11-anonymous: no small cell is expected)
// and the victim–perpetrator synthetic dataset (raw counts, many small).
var ctdcTables = map[string][]TableSpec{
	"The Global Dataset 27 Nov 2017_0 - recovered.csv": {
		{Name: "gender_age", Dims: []Dim{{Column: "gender"}, {Column: "ageBroad"}}},
		{Name: "citizenship_country", Dims: []Dim{{Column: "citizenship"}, {Column: "CountryOfExploitation"}}},
		{Name: "citizenship_year", Dims: []Dim{{Column: "citizenship"}, {Column: "yearOfRegistration"}}},
		{Name: "country", Dims: []Dim{{Column: "CountryOfExploitation"}}},
	},
	"CTDC_VPsynthetic_condensed.csv": {
		{Name: "year_origin", Dims: []Dim{{Column: "yearRegister"}, {Column: "UN_COO_Region"}}},
		{Name: "origin_exploitation", Dims: []Dim{{Column: "UN_COO_Region"}, {Column: "UN_COE_Region"}}},
		{Name: "relation_region", Dims: []Dim{{Column: "IP_Relation"}, {Column: "UN_COE_Region"}}},
		{Name: "gender_majority", Dims: []Dim{{Column: "gender"}, {Column: "majorityStatus"}}},
	},
}

// TestCTDCTablesSuppressed suppresses tables of CTDC's Global Dataset
// and its victim–perpetrator synthetic dataset at k = 11: no hidden count can be worked out (checked
// independently of Suppress's own check), no count under 11 shows, and
// the cost is logged (BENCHMARKS.md).
func TestCTDCTablesSuppressed(t *testing.T) {
	for file, specs := range ctdcTables {
		suppressFile(t, file, specs)
	}
}

func suppressFile(t *testing.T, file string, specs []TableSpec) {
	data, err := os.ReadFile(filepath.Join(filepath.FromSlash(ctdcDir), file))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip("CTDC data file not available: ", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range specs {
		c, err := NewCounter(spec, rows[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			c.Add(r)
		}
		tab, err := c.Table()
		if err != nil {
			t.Fatal(err)
		}
		p, err := Suppress(tab, 11)
		if err != nil {
			t.Fatal(err)
		}
		if bad := Determined(p, tab); len(bad) > 0 {
			t.Fatalf("%s: %d hidden counts recoverable", spec.Name, len(bad))
		}
		for i, s := range p.Status {
			if !s.Hidden() && tab.Counts[i] > 0 && tab.Counts[i] < 11 {
				t.Fatalf("%s: count %d shown", spec.Name, tab.Counts[i])
			}
		}
		m := p.SuppressionMetrics(tab)
		t.Logf("%-20s %5d cells non-zero, primary %4d (%.1f%%), secondary %3d, suppressed %.1f%% of cells holding %.2f%% of %d victims, %d margins hidden",
			spec.Name, m.Cells, m.Primary, m.PrimaryPct, m.Secondary, m.SuppressedPct, m.CountHiddenPct, tab.GrandTotal(), m.MarginsHidden)
	}
}
