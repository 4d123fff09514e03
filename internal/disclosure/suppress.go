// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"cmp"
	"fmt"
	"slices"
)

// Status is what a published table shows at a position.
type Status uint8

const (
	// Shown: the count (or noisy count) is published.
	Shown Status = iota
	// Primary: hidden because it counts fewer people than the threshold.
	Primary
	// Secondary: hidden so that no primary cell can be worked out.
	Secondary
	// Withheld: a differentially private cell whose noisy count fell under
	// the partition-selection threshold (not released at all).
	Withheld
)

// Hidden reports whether the status hides the count.
func (s Status) Hidden() bool { return s != Shown }

func (s Status) String() string {
	switch s {
	case Primary:
		return "primary"
	case Secondary:
		return "secondary"
	case Withheld:
		return "withheld"
	}
	return "shown"
}

// Published is a table as released: counts in the table's extended
// layout (0 where hidden: never the true count) and what each position
// shows.
type Published struct {
	Name   string
	Dims   []Dim
	Counts []int64
	Status []Status
	layout *Table // Index, Key and Labels
}

// Index, Key and Labels are the table's.
func (p *Published) Index(key []int) int       { return p.layout.Index(key) }
func (p *Published) Key(i int) []int           { return p.layout.Key(i) }
func (p *Published) Labels(key []int) []string { return p.layout.Labels(key) }

// IsInterior reports whether position i is an inner cell (not a margin).
func (p *Published) IsInterior(i int) bool { return p.layout.IsInterior(i) }

func newPublished(t *Table) *Published {
	lay := &Table{Name: t.Name, Dims: t.Dims}
	return &Published{Name: t.Name, Dims: t.Dims, Counts: make([]int64, len(t.Counts)),
		Status: make([]Status, len(t.Counts)), layout: lay}
}

// Suppress publishes a 1-D, 2-D or 3-D table with every count from 1 to
// threshold−1 hidden (cells and margins alike), and the cheapest further
// counts hidden so that every hidden count can move by at least one while
// the table still adds up: no hidden count is ever determined by what is
// shown. Inner cells are hidden in preference to margins, small counts in
// preference to large ones; zeros are shown.
func Suppress(t *Table, threshold int) (*Published, error) {
	return SuppressProtected(t, threshold, 1)
}

// SuppressProtected is Suppress with a protection level: every hidden
// count must be able to move by at least protection (up or down) while
// the table still adds up, so that a reader learns no more than a range
// of protection+1 values about it, not just "not exactly one value".
// Protection 1 is "no exact recovery".
func SuppressProtected(t *Table, threshold, protection int) (*Published, error) {
	return suppressForced(t, threshold, protection, nil)
}

// suppressForced is SuppressProtected with the positions of forced
// hidden as well (Secondary unless small), and protected like the small
// counts: a count another table of the release hides (Link).
func suppressForced(t *Table, threshold, protection int, forced []bool) (*Published, error) {
	if protection < 1 || protection > threshold {
		return nil, fmt.Errorf("table %q: protection %d is not between 1 and the threshold %d", t.Name, protection, threshold)
	}
	if len(t.Dims) < 1 || len(t.Dims) > 3 {
		return nil, fmt.Errorf("table %q: cell suppression works on 1-D to 3-D tables, not %d-D", t.Name, len(t.Dims))
	}
	if threshold < 2 {
		return nil, fmt.Errorf("table %q: threshold %d is under 2", t.Name, threshold)
	}
	if len(t.Dims) == 3 {
		if len(t.Counts) > maxCubeCells {
			return nil, fmt.Errorf("table %q: %d cells with margins; a 3-D table is suppressed up to %d", t.Name, len(t.Counts), maxCubeCells)
		}
		p := suppress3(t, threshold, int64(protection), forced)
		if bad := Unprotected(p, t, protection); len(bad) > 0 {
			return nil, fmt.Errorf("table %q: %d hidden counts could still be worked out", t.Name, len(bad))
		}
		return p, nil
	}
	g := buildGraph(t, nil, int64(protection))
	var primaries []int
	for e := range g.edges {
		if v := g.edges[e].value; v > 0 && v < int64(threshold) || forced != nil && forced[g.edges[e].cell] {
			g.edges[e].hidden = true
			primaries = append(primaries, e)
		}
	}
	// Small counts first: their cycles then serve the larger ones.
	slices.SortStableFunc(primaries, func(a, b int) int {
		return cmp.Or(cmp.Compare(g.edges[a].value, g.edges[b].value), cmp.Compare(g.edges[a].cell, g.edges[b].cell))
	})
	if !g.protect(primaries) {
		// Nothing cheaper works: hide every non-zero count.
		for e := range g.edges {
			g.edges[e].hidden = g.edges[e].value > 0
		}
	}
	p := newPublished(t)
	for _, e := range g.edges {
		switch {
		case !e.hidden:
			p.Counts[e.cell] = e.value
		case e.value > 0 && e.value < int64(threshold):
			p.Status[e.cell] = Primary
		default:
			p.Status[e.cell] = Secondary
		}
	}
	if bad := Unprotected(p, t, protection); len(bad) > 0 {
		return nil, fmt.Errorf("table %q: %d hidden counts could still be worked out to within %d", t.Name, len(bad), protection)
	}
	return p, nil
}

// buildGraph is the graph of t's published numbers (graph.go); hidden,
// when given, marks the positions hidden.
func buildGraph(t *Table, hidden []Status, move int64) *graph {
	g := &graph{least: 1, move: move, total: t.GrandTotal()}
	add := func(a, b int, sigma int64, tier, cell int) {
		g.edges = append(g.edges, edge{a: a, b: b, sigma: sigma, value: t.Counts[cell], tier: tier, cell: cell,
			hidden: hidden != nil && hidden[cell].Hidden()})
		g.adj[a] = append(g.adj[a], len(g.edges)-1)
		g.adj[b] = append(g.adj[b], len(g.edges)-1)
	}
	if len(t.Dims) == 1 {
		// One row node (0) and one node (1) for every cell's other end.
		g.adj = make([][]int, 2)
		for i := range t.Counts {
			if i == len(t.Counts)-1 {
				add(0, 1, -1, 2, i)
			} else {
				add(0, 1, 1, 0, i)
			}
		}
		return g
	}
	rows, cols := len(t.Dims[0].Values), len(t.Dims[1].Values)
	g.adj = make([][]int, rows+1+cols+1)
	for i := 0; i <= rows; i++ {
		for j := 0; j <= cols; j++ {
			ri, cj := i == rows, j == cols
			sigma, tier := int64(1), 0
			switch {
			case ri && cj:
				tier = 2
			case ri || cj:
				sigma, tier = -1, 1
			}
			add(i, rows+1+j, sigma, tier, i*(cols+1)+j)
		}
	}
	return g
}

// Determined lists the positions of p's hidden counts that a reader
// could work out exactly from what p shows (t holds the true counts):
// empty for every table Suppress returns. Tests use it, and Suppress
// checks its own output with it. Exact for 1-D and 2-D tables; for 3-D
// ones it may also list counts that are not determined (cube.go).
func Determined(p *Published, t *Table) []int { return Unprotected(p, t, 1) }

// Unprotected lists the positions of p's hidden counts that cannot move
// by protection along one cycle (one cube in 3-D) of hidden counts: with
// protection 1, those a reader can work out exactly.
func Unprotected(p *Published, t *Table, protection int) []int {
	if len(t.Dims) == 3 {
		return determined3(p, t, int64(protection))
	}
	g := buildGraph(t, p.Status, int64(protection))
	var out []int
	for e, ed := range g.edges {
		if ed.hidden && !g.protected(e) {
			out = append(out, ed.cell)
		}
	}
	return out
}

// SuppressionMetrics sum up what suppression cost, over inner cells.
type SuppressionMetrics struct {
	Cells          int     `json:"cells"`            // non-zero inner cells
	Primary        int     `json:"primary"`          // hidden for being small
	Secondary      int     `json:"secondary"`        // hidden to protect them
	PrimaryPct     float64 `json:"primary_pct"`      // share of non-zero cells under the threshold
	SuppressedPct  float64 `json:"suppressed_pct"`   // share of non-zero cells hidden
	CountHiddenPct float64 `json:"count_hidden_pct"` // share of the grand total sitting in hidden cells
	MarginsHidden  int     `json:"margins_hidden"`   // margins hidden (any reason)
}

// Metrics of a suppressed table against its true counts.
func (p *Published) SuppressionMetrics(t *Table) SuppressionMetrics {
	var m SuppressionMetrics
	var hidden int64
	for i, n := range t.Counts {
		if !t.IsInterior(i) {
			if p.Status[i].Hidden() {
				m.MarginsHidden++
			}
			continue
		}
		if n == 0 {
			continue
		}
		m.Cells++
		switch p.Status[i] {
		case Primary:
			m.Primary++
			hidden += n
		case Secondary:
			m.Secondary++
			hidden += n
		}
	}
	if m.Cells > 0 {
		m.PrimaryPct = 100 * float64(m.Primary) / float64(m.Cells)
		m.SuppressedPct = 100 * float64(m.Primary+m.Secondary) / float64(m.Cells)
	}
	if g := t.GrandTotal(); g > 0 {
		m.CountHiddenPct = 100 * float64(hidden) / float64(g)
	}
	return m
}
