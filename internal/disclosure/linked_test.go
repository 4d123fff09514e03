// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"math/rand/v2"
	"testing"
)

// linkedTables draws rows and counts them into tables that share columns:
// sex × citizenship, citizenship alone, citizenship × exploitation, and
// sex × exploitation × citizenship.
func linkedTables(t *testing.T, rng *rand.Rand, n int) []*Table {
	t.Helper()
	cols := []string{"gender", "citizenship", "exploitation"}
	specs := []TableSpec{
		{Name: "sex_cit", Dims: []Dim{{Column: "gender"}, {Column: "citizenship"}}},
		{Name: "cit", Dims: []Dim{{Column: "citizenship"}}},
		{Name: "cit_expl", Dims: []Dim{{Column: "citizenship"}, {Column: "exploitation"}}},
		{Name: "sex_expl_cit", Dims: []Dim{{Column: "gender"}, {Column: "exploitation"}, {Column: "citizenship"}}},
	}
	counters := make([]*Counter, len(specs))
	for i, s := range specs {
		c, err := NewCounter(s, cols)
		if err != nil {
			t.Fatal(err)
		}
		counters[i] = c
	}
	cits := []string{"CD", "CD", "CD", "AO", "AO", "RW", "UG", "BI", "ZM", "TZ"}
	for range n {
		row := []string{[]string{"F", "F", "M"}[rng.IntN(3)], cits[rng.IntN(len(cits))], []string{"sex", "labour", "labour", "other"}[rng.IntN(4)]}
		for _, c := range counters {
			c.Add(row)
		}
	}
	out := make([]*Table, len(counters))
	for i, c := range counters {
		tab, err := c.Table()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = tab
	}
	return out
}

// TestSuppressLinked: tables suppressed one by one show, in some draws, a
// count (a shared margin) that another table hides — which then gives
// away the small cells it protected. Suppressed together, no count is
// hidden in one table and shown in another, every small count is hidden,
// and every hidden count can still move in its own table.
func TestSuppressLinked(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 11))
	const threshold, protection = 11, 1
	apart := 0
	for range 150 {
		tables := linkedTables(t, rng, 40+rng.IntN(400))
		links := linkedPositions(tables)
		one := make([]*Published, len(tables))
		for i, tab := range tables {
			p, err := SuppressProtected(tab, threshold, protection)
			if err != nil {
				t.Fatal(err)
			}
			one[i] = p
		}
		if linkedShown(one, links) != "" {
			apart++
		}
		pubs, err := SuppressLinked(tables, threshold, protection)
		if err != nil {
			t.Fatal(err)
		}
		if bad := linkedShown(pubs, links); bad != "" {
			t.Fatal(bad)
		}
		for i, tab := range tables {
			if bad := Unprotected(pubs[i], tab, protection); len(bad) > 0 {
				t.Fatalf("%s: %d hidden counts can be worked out", tab.Name, len(bad))
			}
			for p, v := range tab.Counts {
				if v > 0 && v < threshold && !pubs[i].Status[p].Hidden() {
					t.Fatalf("%s: the count %d at %v is shown", tab.Name, v, tab.Labels(tab.Key(p)))
				}
			}
		}
	}
	if apart == 0 {
		t.Fatal("no draw shows a count one table hides and another shows: the test no longer exercises linking")
	}
	t.Logf("%d of 150 draws, suppressed table by table, showed a count another table hid", apart)
}

// Tables with no column in common still share the grand total.
func TestLinkedPositionsGrandTotal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tables := linkedTables(t, rng, 100)
	a, b := tables[0], tables[2] // sex × citizenship, citizenship × exploitation
	links := linkedPositions([]*Table{a, b})
	// The citizenship totals (one per value) and the grand total.
	if want := len(a.Dims[1].Values) + 1; len(links) != want {
		t.Fatalf("%d linked counts, want %d", len(links), want)
	}
	noShare := []*Table{{Name: "g", Dims: []Dim{{Column: "gender", Values: []string{"F"}}}, Counts: []int64{3, 3}},
		{Name: "e", Dims: []Dim{{Column: "exploitation", Values: []string{"x"}}}, Counts: []int64{3, 3}}}
	if l := linkedPositions(noShare); len(l) != 1 || l[0].pa != 1 || l[0].pb != 1 {
		t.Fatalf("links %+v, want the grand totals", l)
	}
}
