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
// coefficient) summing to zero — along every line of every dimension,
// the inner values minus the line's total. Written out from the table's
// layout, not from the graph, so that the check below is independent of
// graph.go and cube.go.
func equations(t *Table) [][][2]int {
	var eqs [][][2]int
	for i := range t.Counts {
		key := t.Key(i)
		for d := range key {
			if key[d] != Total {
				continue
			}
			var eq [][2]int
			k := slices.Clone(key)
			for v := range t.Dims[d].Values {
				k[d] = v
				eq = append(eq, [2]int{t.Index(k), 1})
			}
			eqs = append(eqs, append(eq, [2]int{i, -1}))
		}
	}
	return eqs
}

// recoverable reports, by searching every integer solution, whether a
// reader who sees p (and knows hidden counts are at least 1, zeros being
// shown) can work out hidden position h: true when no solution other
// than the true one gives h another value.
func recoverable(t *Table, p *Published, h int) bool { return !reaches(t, p, h, 1) }

// reaches reports, by the same search, whether some solution gives hidden
// position h a value at least dist away from the true one.
func reaches(t *Table, p *Published, h int, dist int64) bool {
	var hidden []int
	for i, s := range p.Status {
		if s.Hidden() && i != h {
			hidden = append(hidden, i)
		}
	}
	vars := append([]int{h}, hidden...)
	bound := t.GrandTotal() + 3 + dist
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
	// Values are tried nearest the true one first: a different solution,
	// when there is one, is usually a small move away.
	near := func(c int64) []int64 {
		out := []int64{c}
		for d := int64(1); c-d >= 1 || c+d <= bound; d++ {
			if c+d <= bound {
				out = append(out, c+d)
			}
			if c-d >= 1 {
				out = append(out, c-d)
			}
		}
		return out
	}
	var search func(k int) bool
	search = func(k int) bool {
		if k == len(vars) {
			return true
		}
		pos := vars[k]
		for _, v := range near(t.Counts[pos]) {
			if k == 0 && abs(v-t.Counts[h]) < dist {
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
	return feasible() && search(0)
}

// movableByOne reports, by searching every change d ∈ {−1, 0, 1} of the
// hidden counts that keeps every equation (hidden counts staying at least
// 1), whether hidden position h can take another value: a proof that it
// is not determined, found without cube.go. (3-D tables: the full search
// of recoverable grows too fast there; every cube move is such a d.)
func movableByOne(t *Table, p *Published, h int) bool {
	var hidden []int
	for i, s := range p.Status {
		if s.Hidden() {
			hidden = append(hidden, i)
		}
	}
	d := make(map[int]int64, len(hidden))
	eqs := equations(t)
	ok := func() bool {
		for _, eq := range eqs {
			var sum, free int64
			for _, term := range eq {
				v, set := d[term[0]]
				switch {
				case !p.Status[term[0]].Hidden():
				case set:
					sum += int64(term[1]) * v
				default:
					free++
				}
			}
			if sum > free || -sum > free {
				return false
			}
		}
		return true
	}
	var search func(k int) bool
	search = func(k int) bool {
		if k == len(hidden) {
			return d[h] != 0
		}
		pos := hidden[k]
		for _, v := range []int64{1, -1, 0} {
			if pos == h && v == 0 || t.Counts[pos]+v < 1 {
				continue
			}
			d[pos] = v
			if ok() && search(k+1) {
				return true
			}
		}
		delete(d, pos)
		return false
	}
	return search(0)
}

func randomTable(r *rand.Rand) (dims []int, cells []int64) {
	if r.IntN(4) == 0 {
		dims = []int{1 + r.IntN(5)}
	} else {
		dims = []int{1 + r.IntN(3), 1 + r.IntN(4)}
	}
	return dims, randomCells(r, dims)
}

// random3D is a small 3-D table (the search over its solutions grows
// fast with the hidden cells).
func random3D(r *rand.Rand) (dims []int, cells []int64) {
	dims = []int{2, 2, 2 + r.IntN(2)}
	return dims, randomCells(r, dims)
}

func randomCells(r *rand.Rand, dims []int) (cells []int64) {
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
	return cells
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

// TestSuppress3DNoHiddenCountRecoverable is the property test for 3-D
// tables: every hidden count of small random tables is searched for
// exhaustively, and none is determined.
func TestSuppress3DNoHiddenCountRecoverable(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	tables, hidden, secondary := 60, 0, 0
	if testing.Short() {
		tables = 15
	}
	for n := range tables {
		dims, cells := random3D(r)
		threshold := 3 + r.IntN(3)
		tab := tableOf(t, dims, cells)
		p, err := Suppress(tab, threshold)
		if err != nil {
			t.Fatalf("table %d %v: %v", n, cells, err)
		}
		for i, s := range p.Status {
			switch {
			case s.Hidden() && tab.Counts[i] == 0:
				t.Fatalf("table %d: a zero hidden at %v", n, tab.Key(i))
			case !s.Hidden() && tab.Counts[i] > 0 && tab.Counts[i] < int64(threshold):
				t.Fatalf("table %d: small count %d shown at %v", n, tab.Counts[i], tab.Key(i))
			case s.Hidden():
				hidden++
				if s == Secondary {
					secondary++
				}
				if !movableByOne(tab, p, i) {
					t.Fatalf("table %d %v threshold %d: hidden %v (true %d) cannot move", n, cells, threshold, tab.Key(i), tab.Counts[i])
				}
			}
		}
	}
	if hidden < tables || secondary == 0 {
		t.Fatalf("%d hidden, %d secondary in %d tables: the generator does not exercise 3-D suppression", hidden, secondary, tables)
	}
}

// TestCubeTestIsSound: on 3-D tables of small counts with primary
// suppression only, every hidden count the cube test calls protected can
// be moved by the independent search; and the search can fail (some
// hidden counts cannot move).
func TestCubeTestIsSound(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 5))
	protected, stuck := 0, 0
	for range 40 {
		dims := []int{2, 2, 2 + r.IntN(2)}
		var cells []int64
		for range dims[0] * dims[1] * dims[2] {
			cells = append(cells, 1+r.Int64N(4))
		}
		tab := tableOf(t, dims, cells)
		p := newPublished(tab)
		for i, n := range tab.Counts {
			if n > 0 && n < 5 {
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
			movable := movableByOne(tab, p, i)
			if !slices.Contains(det, i) {
				protected++
				if !movable {
					t.Fatalf("%v: the cube test calls %v protected, the search cannot move it", cells, tab.Key(i))
				}
			}
			if !movable {
				stuck++
			}
		}
	}
	if protected == 0 {
		t.Fatal("no hidden count protected by primaries alone: the test checks nothing")
	}
	t.Logf("%d hidden counts protected by cubes, %d that no change can move", protected, stuck)
}

func TestSuppressRefusesFourDimensions(t *testing.T) {
	tab := &Table{Name: "4d", Dims: make([]Dim, 4)}
	if _, err := Suppress(tab, 11); err == nil {
		t.Fatal("a 4-D table was suppressed")
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

// TestSuppressProtection: with protection p, every hidden count of random
// tables can be moved at least p away from its true value (checked by
// enumerating the integer solutions), and p = 1 hides no more than it must.
func TestSuppressProtection(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	more := 0
	for n := range 150 {
		dims, cells := randomTable(r)
		threshold := 5 + r.IntN(4)
		prot := 2 + r.IntN(3)
		tab := tableOf(t, dims, cells)
		p, err := SuppressProtected(tab, threshold, prot)
		if err != nil {
			continue // no suppression reaches that protection: nothing published
		}
		base, err := Suppress(tab, threshold)
		if err != nil {
			t.Fatal(err)
		}
		h1, hp := 0, 0
		for i, s := range p.Status {
			if base.Status[i].Hidden() {
				h1++
			}
			if !s.Hidden() {
				continue
			}
			hp++
			if !reaches(tab, p, i, int64(prot)) {
				t.Fatalf("table %d %v %v protection %d: hidden %v (true %d) cannot move by %d", n, dims, cells, prot, tab.Key(i), tab.Counts[i], prot)
			}
		}
		if hp > h1 {
			more++
		}
	}
	if more == 0 {
		t.Fatal("protection never hid more than protection 1: the test does not exercise it")
	}
}
