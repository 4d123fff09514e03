// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"slices"
	"testing"
)

// The rare values of a found domain go into one category, last; fixed
// domains are kept whole; the counts and totals add up as before.
func TestPoolRare(t *testing.T) {
	c, err := NewCounter(TableSpec{Name: "t", Dims: []Dim{{Column: "sex", Values: []string{"F", "M", "X"}}, {Column: "cit"}}}, []string{"sex", "cit"})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[[2]string]int{{"F", "CD"}: 30, {"M", "CD"}: 20, {"F", "AO"}: 12, {"F", "XK"}: 1, {"M", "LU"}: 2, {"X", "CD"}: 1}
	for r, n := range rows {
		for range n {
			c.Add(r[:])
		}
	}
	tab, err := c.Table()
	if err != nil {
		t.Fatal(err)
	}
	rare := map[string]map[string]bool{"cit": {"XK": true, "LU": true}, "sex": {"X": true}}
	out, n := PoolRare(tab, []bool{true, false}, rare)
	if n != 2 {
		t.Fatalf("%d values pooled, want 2 (XK, LU; the sexes are a fixed domain)", n)
	}
	if got := out.Dims[1].Values; !slices.Equal(got, []string{"AO", "CD", OtherLabel}) {
		t.Fatalf("citizenships %v", got)
	}
	if !slices.Equal(out.Dims[0].Values, []string{"F", "M", "X"}) {
		t.Fatalf("sexes %v", out.Dims[0].Values)
	}
	for _, c := range []struct {
		key  []int
		want int64
	}{
		{[]int{0, 2}, 1}, {[]int{1, 2}, 2}, {[]int{Total, 2}, 3}, {[]int{0, 1}, 30}, {[]int{2, 1}, 1},
		{[]int{Total, Total}, 66}, {[]int{0, Total}, 43},
	} {
		if got := out.Count(c.key...); got != c.want {
			t.Errorf("count at %v = %d, want %d", out.Labels(c.key), got, c.want)
		}
	}
	if same, n := PoolRare(tab, []bool{true, false}, nil); same != tab || n != 0 {
		t.Fatal("nothing rare, yet the table changed")
	}
}
