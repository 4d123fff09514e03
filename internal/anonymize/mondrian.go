// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import "slices"

// mondrian partitions rows with LeFevre, DeWitt and Ramakrishnan's greedy
// strict multidimensional algorithm (ICDE 2006): cut the part along the
// quasi-identifier whose values spread widest (normalised by its spread in
// the whole input), at the median, when both sides keep at least k rows;
// otherwise try the next quasi-identifier; a part no cut splits becomes a
// class. Medians come from counting codes, never from sorting. Fewer than
// k rows cannot form a class and are suppressed.
func (r *Result) mondrian(rows []int32) {
	if len(rows) == 0 {
		return
	}
	if len(rows) < r.Config.K {
		r.suppressRows(rows)
		return
	}
	m := &mondrianRun{r: r, k: r.Config.K}
	d := len(r.hier)
	m.norm = make([]float64, d)
	lo, hi := m.bounds(rows)
	for q := range d {
		m.norm[q] = max(m.width(q, lo[q], hi[q]), 1)
	}
	m.split(rows)
}

type mondrianRun struct {
	r     *Result
	k     int
	norm  []float64
	hist  []int32
	cands []uint16
}

// bounds returns the smallest and largest code of each quasi-identifier.
func (m *mondrianRun) bounds(rows []int32) (lo, hi []uint16) {
	d := len(m.r.hier)
	lo, hi = make([]uint16, d), make([]uint16, d)
	for q := range d {
		col := m.r.leaf[q]
		a, b := col[rows[0]], col[rows[0]]
		for _, row := range rows[1:] {
			v := col[row]
			if v < a {
				a = v
			} else if v > b {
				b = v
			}
		}
		lo[q], hi[q] = a, b
	}
	return lo, hi
}

// width is how far a part spreads on a quasi-identifier: the range of an
// ordered one, the leaves under the lowest covering node of another.
func (m *mondrianRun) width(q int, lo, hi uint16) float64 {
	h := m.r.hier[q]
	if lo == hi {
		return 0
	}
	if h.ordered() && int(hi) < h.nOrdered {
		return float64(hi - lo)
	}
	n := h.nodes[h.lca(lo, hi)]
	return float64(n.hi - n.lo)
}

func (m *mondrianRun) split(rows []int32) {
	for {
		lo, hi := m.bounds(rows)
		d := len(lo)
		order := make([]int, 0, d)
		widths := make([]float64, d)
		for q := range d {
			widths[q] = m.width(q, lo[q], hi[q]) / m.norm[q]
			if widths[q] > 0 {
				order = append(order, q)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int {
			switch {
			case widths[a] > widths[b]:
				return -1
			case widths[a] < widths[b]:
				return 1
			}
			return 0
		})
		cutDone := false
		for _, q := range order {
			cut, ok := m.cut(rows, q, lo[q], hi[q])
			if !ok {
				continue
			}
			left, right := partition(rows, m.r.leaf[q], cut)
			// Recurse on the smaller side, loop on the larger: the stack
			// stays logarithmic whatever the data.
			if len(left) < len(right) {
				m.split(left)
				rows = right
			} else {
				m.split(right)
				rows = left
			}
			cutDone = true
			break
		}
		if !cutDone {
			m.r.assign(rows, m.r.newClass(lo, hi))
			return
		}
	}
}

// cut finds where to split rows on quasi-identifier q: the cut c puts
// codes ≤ c on the left. For an unordered hierarchy, cuts between the
// children of the lowest covering node come first (whole sub-regions stay
// together), the most balanced allowable one; otherwise, and for ordered
// ones, the median.
func (m *mondrianRun) cut(rows []int32, q int, lo, hi uint16) (uint16, bool) {
	span := int(hi-lo) + 1
	if cap(m.hist) < span {
		m.hist = make([]int32, span)
	}
	hist := m.hist[:span]
	clear(hist)
	col := m.r.leaf[q]
	for _, row := range rows {
		hist[col[row]-lo]++
	}
	n := len(rows)
	k := m.k
	h := m.r.hier[q]
	best, bestGap := uint16(0), -1
	if !h.ordered() || int(hi) >= h.nOrdered {
		m.cands = h.cuts(lo, hi, m.cands)
		left, at := 0, lo
		for _, c := range m.cands {
			for ; at <= c; at++ {
				left += int(hist[at-lo])
			}
			if left >= k && n-left >= k {
				gap := abs(2*left - n)
				if bestGap < 0 || gap < bestGap {
					best, bestGap = c, gap
				}
			}
		}
		if bestGap >= 0 {
			return best, true
		}
	}
	// The median value v: cutting just before it or just after it are the
	// two most balanced cuts; if neither keeps k rows on both sides, no
	// cut on q does.
	left := 0
	for i := range span {
		c := int(hist[i])
		if 2*(left+c) >= n {
			if i > 0 && left >= k && n-left >= k {
				best, bestGap = lo+uint16(i-1), abs(2*left-n)
			}
			if i < span-1 && left+c >= k && n-left-c >= k {
				if gap := abs(2*(left+c) - n); bestGap < 0 || gap < bestGap {
					best, bestGap = lo+uint16(i), gap
				}
			}
			break
		}
		left += c
	}
	return best, bestGap >= 0
}

// partition reorders rows so those with code ≤ cut come first.
func partition(rows []int32, col []uint16, cut uint16) (left, right []int32) {
	i, j := 0, len(rows)-1
	for i <= j {
		if col[rows[i]] <= cut {
			i++
			continue
		}
		rows[i], rows[j] = rows[j], rows[i]
		j--
	}
	return rows[:i], rows[i:]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
