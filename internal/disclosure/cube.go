// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"cmp"
	"math"
	"slices"
)

// Three-dimensional tables. With all their margins published (the 2-D
// margins over each dimension, the 1-D ones and the grand total), the
// additivity of a table is: along every line of the extended table (fix
// two coordinates, Total allowed), the inner values add up to the
// line's total. Write y = σx with σ = (−1)^(number of Totals in the key):
// then every extended line of y sums to zero, and the changes a reader
// cannot see are the y-arrays with all line sums zero. The smallest of
// them is the 2×2×2 "cube" move: two values in each dimension (one may be
// Total), +1 and −1 alternating over the eight corners, so every line
// through the cube meets one +1 and one −1.
//
// Unlike the 2-D case, cube moves are not every possible change (a 3-D
// table's constraint matrix is not totally unimodular), so the test here
// is sufficient, not exact: a hidden value on a cube of hidden values
// that can move by one in some direction, each value decreased staying
// at least 1 (zeros are shown), is not determined. Suppression may hide
// more than an exact method would; it never hides too little, and the
// property test checks it by enumerating every integer solution of small
// random tables.

// cube is the three extents and the table being protected.
type cube struct {
	t      *Table
	ext    [3]int
	hidden []bool
	move   int64 // how far a hidden value must be able to move
}

// maxCubeCells bounds the 3-D tables suppressed: the search tries every
// cube through every hidden cell.
const maxCubeCells = 8_000

func newCube(t *Table, hidden []bool, move int64) *cube {
	c := &cube{t: t, hidden: hidden, move: move}
	for d := range 3 {
		c.ext[d] = len(t.Dims[d].Values) + 1
	}
	return c
}

func (c *cube) pos(i, j, k int) int { return (i*c.ext[1]+j)*c.ext[2] + k }

// sigma is σ of a position: −1 for an odd number of Totals.
func (c *cube) sigma(i, j, k int) int64 {
	s := int64(1)
	if i == c.ext[0]-1 {
		s = -s
	}
	if j == c.ext[1]-1 {
		s = -s
	}
	if k == c.ext[2]-1 {
		s = -s
	}
	return s
}

// corners calls fn with the eight corners of the cube on (i, i2) × (j, j2)
// × (k, k2) and the sign of each in the y-move that adds 1 at (i, j, k).
func corners(i, i2, j, j2, k, k2 int, fn func(a, b, c int, sign int64) bool) bool {
	for n := range 8 {
		a, b, cc, sign := i, j, k, int64(1)
		if n&1 != 0 {
			a, sign = i2, -sign
		}
		if n&2 != 0 {
			b, sign = j2, -sign
		}
		if n&4 != 0 {
			cc, sign = k2, -sign
		}
		if !fn(a, b, cc, sign) {
			return false
		}
	}
	return true
}

// moveCost is the cost of making the cube through (i,j,k) movable in
// orientation o (±1): the visible corners to hide, or ok false if a
// corner cannot be hidden (a zero) or cannot shrink.
func (c *cube) moveCost(i, i2, j, j2, k, k2 int, o int64) (cost float64, ok bool) {
	total := float64(c.t.GrandTotal() + 2)
	ok = corners(i, i2, j, j2, k, k2, func(a, b, cc int, sign int64) bool {
		p := c.pos(a, b, cc)
		v := c.t.Counts[p]
		if o*sign*c.sigma(a, b, cc) < 0 && v-c.move < 1 {
			return false // would go below 1
		}
		if !c.hidden[p] {
			if v < 1 {
				return false // zeros are shown
			}
			tier := 0
			for d, x := range [3]int{a, b, cc} {
				if x == c.ext[d]-1 {
					tier++
				}
			}
			cost += float64(v+1) * math.Pow(total, float64(tier))
		}
		return true
	})
	return cost, ok
}

// bestCube is the cheapest cube through p that makes it movable; free
// reports that no visible corner needs hiding (p is protected already).
func (c *cube) bestCube(p int) (best [6]int, bestO int64, cost float64, found bool) {
	i, j, k := p/(c.ext[1]*c.ext[2]), p/c.ext[2]%c.ext[1], p%c.ext[2]
	cost = math.Inf(1)
	for i2 := range c.ext[0] {
		for j2 := range c.ext[1] {
			for k2 := range c.ext[2] {
				if i2 == i || j2 == j || k2 == k {
					continue
				}
				for _, o := range []int64{1, -1} {
					if cst, ok := c.moveCost(i, i2, j, j2, k, k2, o); ok && cst < cost {
						best, bestO, cost, found = [6]int{i, i2, j, j2, k, k2}, o, cst, true
						if cst == 0 {
							return
						}
					}
				}
			}
		}
	}
	return
}

// protected reports whether hidden position p is on a movable cube of
// hidden values.
func (c *cube) protected(p int) bool {
	_, _, cost, found := c.bestCube(p)
	return found && cost == 0
}

// protect hides, for each hidden position in order, the cheapest visible
// corners of a cube that makes it movable; as in 2-D, hiding only adds
// moves, so one pass suffices. It returns false if a position has no
// cube at all.
func (c *cube) protect(order []int) bool {
	for _, p := range order {
		b, _, cost, found := c.bestCube(p)
		if !found {
			return false
		}
		if cost == 0 {
			continue
		}
		corners(b[0], b[1], b[2], b[3], b[4], b[5], func(a, bb, cc int, _ int64) bool {
			c.hidden[c.pos(a, bb, cc)] = true
			return true
		})
	}
	return true
}

// suppress3 is Suppress for a 3-D table.
func suppress3(t *Table, threshold int, move int64, forced []bool) *Published {
	hidden := make([]bool, len(t.Counts))
	var primaries []int
	for p, v := range t.Counts {
		if v > 0 && v < int64(threshold) || forced != nil && forced[p] {
			hidden[p] = true
			primaries = append(primaries, p)
		}
	}
	slices.SortStableFunc(primaries, func(a, b int) int { return cmp.Compare(t.Counts[a], t.Counts[b]) })
	c := newCube(t, hidden, move)
	if !c.protect(primaries) {
		for p, v := range t.Counts {
			hidden[p] = v > 0
		}
	}
	p := newPublished(t)
	for i, v := range t.Counts {
		switch {
		case !hidden[i]:
			p.Counts[i] = v
		case v > 0 && v < int64(threshold):
			p.Status[i] = Primary
		default:
			p.Status[i] = Secondary
		}
	}
	return p
}

// determined3 is Determined for a 3-D table: the hidden positions on no
// movable cube of hidden values (sufficient test, see above).
func determined3(p *Published, t *Table, move int64) []int {
	hidden := make([]bool, len(t.Counts))
	for i, s := range p.Status {
		hidden[i] = s.Hidden()
	}
	c := newCube(t, hidden, move)
	var out []int
	for i := range hidden {
		if hidden[i] && !c.protected(i) {
			out = append(out, i)
		}
	}
	return out
}
