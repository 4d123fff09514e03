// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"slices"
	"testing"
)

func TestCounterMargins(t *testing.T) {
	spec := TableSpec{Name: "t", Dims: []Dim{{Column: "sex", Values: []string{"F", "M"}}, {Column: "cit"}, {Column: "year"}}}
	rows := [][]string{{"F", "CD", "2024"}, {"M", "AO", "2024"}, {"F", "CD", "2025"}, {"F", "CD", "2024"}, {"X", "CD", "2024"}}
	tab := rowsTable(t, spec, rows)
	if !slices.Equal(tab.Dims[1].Values, []string{"AO", "CD"}) || tab.Fixed {
		t.Fatalf("found domain %v (fixed %v): want sorted values and a table not fixed", tab.Dims[1].Values, tab.Fixed)
	}
	if tab.Unlisted != 1 {
		t.Fatalf("the row of sex X outside the fixed domain: unlisted %d", tab.Unlisted)
	}
	for _, c := range []struct {
		key  []int
		want int64
	}{
		{[]int{0, 1, 0}, 2}, {[]int{0, 1, Total}, 3}, {[]int{Total, 1, Total}, 3},
		{[]int{Total, Total, 0}, 3}, {[]int{1, Total, Total}, 1}, {[]int{Total, Total, Total}, 4},
	} {
		if got := tab.Count(c.key...); got != c.want {
			t.Errorf("count %v = %d, want %d", tab.Labels(c.key), got, c.want)
		}
	}
	for i := range tab.Counts {
		if !slices.Equal(tab.Key(i), tab.Key(tab.Index(tab.Key(i)))) || tab.Index(tab.Key(i)) != i {
			t.Fatalf("Key and Index disagree at %d", i)
		}
	}
}

func TestCounterOrderIndependent(t *testing.T) {
	spec := TableSpec{Name: "t", Dims: []Dim{{Column: "a"}, {Column: "b"}}}
	rows := [][]string{{"x", "1"}, {"y", "2"}, {"z", "1"}, {"x", "3"}}
	a := rowsTable(t, spec, rows)
	slices.Reverse(rows)
	b := rowsTable(t, spec, rows)
	if !slices.Equal(a.Counts, b.Counts) {
		t.Fatalf("row order changed the table: %v vs %v", a.Counts, b.Counts)
	}
}
