// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// tableOf builds a 1-D or 2-D table straight from inner counts.
func tableOf(t testing.TB, dims []int, cells []int64) *Table {
	t.Helper()
	spec := TableSpec{Name: "t"}
	var cols []string
	for d, n := range dims {
		dim := Dim{Column: fmt.Sprint("d", d)}
		for v := range n {
			dim.Values = append(dim.Values, fmt.Sprint(v))
		}
		spec.Dims = append(spec.Dims, dim)
		cols = append(cols, dim.Column)
	}
	c, err := NewCounter(spec, cols)
	if err != nil {
		t.Fatal(err)
	}
	row := make([]string, len(dims))
	for i, n := range cells {
		k := i
		for d := len(dims) - 1; d >= 0; d-- {
			row[d] = fmt.Sprint(k % dims[d])
			k /= dims[d]
		}
		for range n {
			c.Add(row)
		}
	}
	tab, err := c.Table()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// equations are the table's additivity: each a list of (position,
// coefficient) summing to zero. Written out from the table's layout, not
// from the graph, so that the check below is independent of graph.go.
func equations(t *Table) [][][2]int {
	var eqs [][][2]int
	if len(t.Dims) == 1 {
		var eq [][2]int
		for i := range t.Counts {
			c := 1
			if i == len(t.Counts)-1 {
				c = -1
			}
			eq = append(eq, [2]int{i, c})
		}
		return append(eqs, eq)
	}
	rows, cols := len(t.Dims[0].Values), len(t.Dims[1].Values)
	for i := 0; i <= rows; i++ { // every row, the total row too, adds up to its total
		var eq [][2]int
		for j := 0; j < cols; j++ {
			eq = append(eq, [2]int{t.Index([]int{i, j}), 1})
		}
		eqs = append(eqs, append(eq, [2]int{t.Index([]int{i, cols}), -1}))
	}
	for j := 0; j <= cols; j++ {
		var eq [][2]int
		for i := 0; i < rows; i++ {
			eq = append(eq, [2]int{t.Index([]int{i, j}), 1})
		}
		eqs = append(eqs, append(eq, [2]int{t.Index([]int{rows, j}), -1}))
	}
	return eqs
}

// recoverable reports, by searching every integer solution, whether a
// reader who sees p (and knows hidden counts are at least 1, zeros being
// shown) can work out hidden position h: true when no solution other
// than the true one gives h another value.
func recoverable(t *Table, p *Published, h int) bool {
	var hidden []int
	for i, s := range p.Status {
		if s.Hidden() && i != h {
			hidden = append(hidden, i)
		}
	}
	vars := append([]int{h}, hidden...)
	bound := t.GrandTotal() + 3
	x := make([]int64, len(t.Counts))
	known := make([]bool, len(t.Counts))
	for i := range x {
		if !p.Status[i].Hidden() {
			x[i], known[i] = p.Counts[i], true
		}
	}
	eqs := equations(t)
	// feasible: every equation can still sum to zero with the unknowns
	// in [1, bound].
	feasible := func() bool {
		for _, eq := range eqs {
			var lo, hi int64
			for _, term := range eq {
				pos, c := term[0], int64(term[1])
				if known[pos] {
					lo += c * x[pos]
					hi += c * x[pos]
				} else if c > 0 {
					lo, hi = lo+1, hi+bound
				} else {
					lo, hi = lo-bound, hi-1
				}
			}
			if lo > 0 || hi < 0 {
				return false
			}
		}
		return true
	}
	var search func(k int) bool
	search = func(k int) bool {
		if k == len(vars) {
			return true
		}
		pos := vars[k]
		for v := int64(1); v <= bound; v++ {
			if k == 0 && v == t.Counts[h] {
				continue
			}
			x[pos], known[pos] = v, true
			if feasible() && search(k+1) {
				known[pos] = false
				return true
			}
		}
		known[pos] = false
		return false
	}
	return !feasible() || !search(0)
}

func randomTable(r *rand.Rand) (dims []int, cells []int64) {
	if r.IntN(4) == 0 {
		dims = []int{1 + r.IntN(5)}
	} else {
		dims = []int{1 + r.IntN(3), 1 + r.IntN(4)}
	}
	n := 1
	for _, d := range dims {
		n *= d
	}
	for range n {
		switch r.IntN(10) {
		case 0, 1:
			cells = append(cells, 0)
		case 2, 3, 4, 5:
			cells = append(cells, 1+r.Int64N(5))
		default:
			cells = append(cells, 6+r.Int64N(10))
		}
	}
	return dims, cells
}

// TestSuppressNoHiddenCountRecoverable is the property test: for many
// random tables, every count Suppress hides is searched for exhaustively,
// and none is determined by the published ones.
func TestSuppressNoHiddenCountRecoverable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tables, hiddenTotal := 400, 0
	if testing.Short() {
		tables = 60
	}
	for n := range tables {
		dims, cells := randomTable(r)
		threshold := 3 + r.IntN(4)
		tab := tableOf(t, dims, cells)
		p, err := Suppress(tab, threshold)
		if err != nil {
			t.Fatalf("table %d %v %v: %v", n, dims, cells, err)
		}
		for i, s := range p.Status {
			switch {
			case s.Hidden() && p.Counts[i] != 0:
				t.Fatalf("table %d: hidden position %d published as %d", n, i, p.Counts[i])
			case !s.Hidden() && p.Counts[i] != tab.Counts[i]:
				t.Fatalf("table %d: position %d shows %d, true %d", n, i, p.Counts[i], tab.Counts[i])
			case !s.Hidden() && tab.Counts[i] > 0 && tab.Counts[i] < int64(threshold):
				t.Fatalf("table %d: small count %d shown at %d", n, tab.Counts[i], i)
			case s.Hidden() && tab.Counts[i] == 0:
				t.Fatalf("table %d: a zero hidden at %d", n, i)
			case s.Hidden():
				hiddenTotal++
				if recoverable(tab, p, i) {
					t.Fatalf("table %d %v %v threshold %d: hidden position %d (true %d) can be worked out; status %v",
						n, dims, cells, threshold, i, tab.Counts[i], p.Status)
				}
			}
		}
	}
	if hiddenTotal < tables {
		t.Fatalf("only %d hidden counts in %d tables: the generator does not exercise suppression", hiddenTotal, tables)
	}
}

// TestDeterminedMatchesSearch checks the cycle test of graph.go against
// exhaustive search on tables with primary suppression only, where many
// hidden counts ARE recoverable: the two must agree on every one.
func TestDeterminedMatchesSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	agree, recovered := 0, 0
	for range 300 {
		dims, cells := randomTable(r)
		tab := tableOf(t, dims, cells)
		p := newPublished(tab)
		for i, n := range tab.Counts {
			if n > 0 && n < 6 {
				p.Status[i] = Primary
			} else {
				p.Counts[i] = n
			}
		}
		det := Determined(p, tab)
		for i, s := range p.Status {
			if !s.Hidden() {
				continue
			}
			want := recoverable(tab, p, i)
			if got := slices.Contains(det, i); got != want {
				t.Fatalf("%v %v position %d: cycle test says determined=%v, search says %v", dims, cells, i, got, want)
			}
			agree++
			if want {
				recovered++
			}
		}
	}
	if recovered == 0 || recovered == agree {
		t.Fatalf("%d of %d hidden counts recoverable: the sample does not test both outcomes", recovered, agree)
	}
}

func TestSuppressKnownTables(t *testing.T) {
	tests := []struct {
		name      string
		dims      []int
		cells     []int64
		threshold int
		hidden    int // positions hidden in all
	}{
		{"nothing small", []int{2, 2}, []int64{20, 30, 40, 50}, 11, 0},
		// One small cell in a 2×2 table: its row, column and the opposite
		// cell must go too (a 4-cycle), and no margin.
		{"one small cell", []int{2, 2}, []int64{3, 30, 40, 50}, 11, 4},
		// 1-D: one small cell needs a partner.
		{"1-D", []int{3}, []int64{2, 30, 40}, 11, 2},
		// Zeros are shown, so the small cell's row and column totals
		// (5 too) are primary; the cycle goes round through the big cell
		// and two margins rather than hide the grand total.
		{"zeros around", []int{2, 2}, []int64{5, 0, 0, 50}, 11, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := tableOf(t, tt.dims, tt.cells)
			p, err := Suppress(tab, tt.threshold)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, s := range p.Status {
				if s.Hidden() {
					n++
				}
			}
			if n != tt.hidden {
				t.Fatalf("%d positions hidden, want %d: %v", n, tt.hidden, p.Status)
			}
		})
	}
}

func TestSuppressRefusesThreeDimensions(t *testing.T) {
	tab := tableOf(t, []int{2, 2, 2}, []int64{1, 2, 3, 4, 5, 6, 7, 8})
	if _, err := Suppress(tab, 11); err == nil {
		t.Fatal("a 3-D table was suppressed; only 1-D and 2-D are checked")
	}
}

func TestSuppressionMetrics(t *testing.T) {
	tab := tableOf(t, []int{2, 2}, []int64{3, 30, 40, 0})
	p, err := Suppress(tab, 11)
	if err != nil {
		t.Fatal(err)
	}
	m := p.SuppressionMetrics(tab)
	if m.Cells != 3 || m.Primary != 1 {
		t.Fatalf("metrics %+v: want 3 non-zero cells, 1 primary", m)
	}
	hidden := 0
	var count int64
	for i, s := range p.Status {
		if s.Hidden() && tab.IsInterior(i) {
			hidden++
			count += tab.Counts[i]
		}
	}
	if m.Primary+m.Secondary != hidden || m.CountHiddenPct != 100*float64(count)/73 {
		t.Fatalf("metrics %+v do not match %d hidden cells holding %d of 73", m, hidden, count)
	}
}
