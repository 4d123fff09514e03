// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomTable draws a table of n rows: the five default quasi-identifiers
// with skewed values (a few frequent, a long tail, values outside the
// hierarchies), two plain columns, and a name column that must never be
// released.
func randomTable(t testing.TB, rng *rand.Rand, n int) *Table {
	t.Helper()
	genders := []string{"Female", "Male", "Unknown", "-99", "Transgender", "NonBinary"}
	ages := []string{"0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+", "Unknown", "-99"}
	countries := []string{"PH", "MD", "UA", "US", "ID", "BY", "CD", "CG", "RU", "FR", "ZZ", "-99", "QQ", "XX", "AA"}
	// skew draws index i with weight ∝ 1/(i+1)^s.
	skew := func(vals []string, s float64) string {
		w := make([]float64, len(vals))
		sum := 0.0
		for i := range w {
			w[i] = 1 / math.Pow(float64(i+1), s)
			sum += w[i]
		}
		x := rng.Float64() * sum
		for i, wi := range w {
			if x < wi {
				return vals[i]
			}
			x -= wi
		}
		return vals[len(vals)-1]
	}
	s := rng.Float64() * 2.5
	tab, err := NewTable([]string{"prs_FirstName", "yearOfRegistration", "Datasource", "gender", "ageBroad", "citizenship", "isForcedLabour", "CountryOfExploitation", "case_notes"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		year := "-99"
		if rng.IntN(20) > 0 {
			year = fmt.Sprint(2000 + int(rng.NormFloat64()*4+15)%25)
		}
		row := []string{
			fmt.Sprintf("Name%d", i),
			year,
			[]string{"Case Management", "Hotline"}[rng.IntN(2)],
			skew(genders, s),
			skew(ages, s/2),
			skew(countries, s),
			[]string{"0", "1", "-99"}[rng.IntN(3)],
			skew(countries, s+0.5),
			fmt.Sprintf("she said, \"call me\" %d", i),
		}
		if err := tab.Append(row); err != nil {
			t.Fatal(err)
		}
	}
	return tab
}

var allMethods = []Method{MethodMondrian, MethodMondrianStrict, MethodSuppress, MethodHybrid}

// checkRelease verifies a release from its CSV bytes alone, without the
// package's own counting: k holds, every row is accounted for, every
// released cell covers the original value and no forbidden column leaks.
func checkRelease(t *testing.T, tab *Table, res *Result, out []byte) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("the release is not valid CSV: %v", err)
	}
	hdr := recs[0]
	for _, h := range hdr {
		if h == "prs_FirstName" || h == "case_notes" {
			t.Fatalf("forbidden column %q released", h)
		}
		if _, ok := AllowedColumn(h); !ok {
			t.Fatalf("column %q is not allow-listed", h)
		}
	}
	if bytes.Contains(out, []byte("Name")) || bytes.Contains(out, []byte("call me")) {
		t.Fatal("a name or free text reached the release")
	}
	rows := recs[1:]
	n := tab.Len()
	if len(rows)+res.Suppressed != n {
		t.Fatalf("%d released + %d suppressed != %d input rows", len(rows), res.Suppressed, n)
	}
	k := res.Config.K
	qiPos := map[string]int{}
	for i, h := range hdr {
		qiPos[h] = i
	}
	count := map[string]int{}
	keyOf := func(r []string) string {
		var b strings.Builder
		for _, q := range res.Config.QIs {
			b.WriteString(r[qiPos[q.Column]])
			b.WriteByte(0)
		}
		return b.String()
	}
	for _, r := range rows {
		count[keyOf(r)]++
	}
	for key, c := range count {
		if c < k {
			t.Fatalf("combination %q is shared by %d released rows, k = %d", key, c, k)
		}
	}
	// The attacker of issue 6 knows the quasi-identifiers of a victim who
	// is in the data and looks for the released rows that could be hers
	// (every cell equal to, or covering, what she knows; "-99" covers
	// anything): never fewer than k.
	victims := 40
	if n > 5000 {
		victims = 4 // the CTDC file: a few, each a scan of 47,102 rows
	}
	for v := 0; v < n; v += max(1, n/victims) {
		if res.ClassOf(v) < 0 {
			continue
		}
		candidates := 0
		for _, r := range rows {
			match := true
			for q, qi := range res.Config.QIs {
				val, lbl := tab.Value(v, tab.Column(qi.Column)), r[qiPos[qi.Column]]
				if lbl != val && !res.Hierarchy(q).Covers(lbl, val) {
					match = false
					break
				}
			}
			if match {
				candidates++
			}
		}
		if candidates < k {
			t.Fatalf("an attacker knowing row %d's quasi-identifiers finds %d candidates, k = %d", v, candidates, k)
		}
	}
	// Released rows come in input order: walk both.
	inCol, qOf := make([]int, len(hdr)), make([]int, len(hdr))
	for c, h := range hdr {
		inCol[c] = tab.Column(h)
		qOf[c] = slices.IndexFunc(res.Config.QIs, func(q QI) bool { return q.Column == h })
	}
	i := 0
	for row := range n {
		if res.ClassOf(row) < 0 {
			continue
		}
		r := rows[i]
		i++
		for c, h := range hdr {
			orig := tab.Value(row, inCol[c])
			q := qOf[c]
			if q < 0 {
				if r[c] != orig {
					t.Fatalf("row %d column %s: %q released for %q", row, h, r[c], orig)
				}
				continue
			}
			if r[c] != orig && !res.Hierarchy(q).Covers(r[c], orig) {
				t.Fatalf("row %d %s: released %q does not cover %q", row, h, r[c], orig)
			}
		}
	}
}

func TestPropertyKAnonymity(t *testing.T) {
	sizes := []int{0, 1, 2, 7, 19, 20, 60, 300, 2000}
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 7))
		n := sizes[int(seed)%len(sizes)]
		if seed >= uint64(len(sizes)) {
			n = rng.IntN(3000)
		}
		tab := randomTable(t, rng, n)
		k := 2 + rng.IntN(19)
		for _, m := range allMethods {
			t.Run(fmt.Sprintf("seed%d/n%d/k%d/%s", seed, n, k, m), func(t *testing.T) {
				cfg := DefaultConfig()
				cfg.K, cfg.Method = k, m
				res, err := Run(tab, cfg)
				if err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				if err := WriteCTDC(&out, res, HeaderCTDC); err != nil {
					t.Fatal(err)
				}
				checkRelease(t, tab, res, out.Bytes())
				man, err := res.Manifest(EvalOptions{})
				if err != nil {
					t.Fatal(err)
				}
				mt := man.Metrics
				if mt.RecordsAtRisk != 0 || mt.InconsistentCells != 0 || (mt.Records > 0 && mt.SmallestClass < k) {
					t.Fatalf("evaluator: %d at risk, %d inconsistent cells, smallest class %d", mt.RecordsAtRisk, mt.InconsistentCells, mt.SmallestClass)
				}
				for l, v := range mt.Leakage {
					if v != 0 {
						t.Fatalf("leakage of length %d: %d", l+1, v)
					}
				}
				if mt.Records+mt.SuppressedRecords != n || man.InputRecords != n {
					t.Fatalf("manifest: %d released + %d suppressed, %d input, want %d", mt.Records, mt.SuppressedRecords, man.InputRecords, n)
				}
				// Same input, same configuration: same bytes.
				again, err := Run(tab, cfg)
				if err != nil {
					t.Fatal(err)
				}
				var out2 bytes.Buffer
				WriteCTDC(&out2, again, HeaderCTDC)
				if !bytes.Equal(out.Bytes(), out2.Bytes()) {
					t.Fatal("two runs gave different releases")
				}
			})
		}
	}
}
