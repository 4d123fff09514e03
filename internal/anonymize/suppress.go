// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"math/bits"
	"slices"
)

// suppress is local suppression: rows in rare combinations lose some of
// their quasi-identifier cells (released as the hierarchy's root, "-99").
// Patterns of suppressed cells are tried from the fewest cells up, and
// among patterns of the same size those that suppress the most varied
// quasi-identifiers first (countries before gender): rows that then fall
// in a group of at least k with the same remaining values are released
// with that pattern. Because a suppressed cell is written "-99" like a
// missing value, a row may also join a class already released whose cells
// are missing there (released, by its packed key): one cell is then enough
// where the rare rows alone would need more. Rows no pattern places, not
// even all cells suppressed, are suppressed.
//
// Only patterns of at most maxCells cells are tried; the rows left are
// returned, for the caller to suppress or to partition.
func (r *Result) suppress(rows []int32, released map[key]int32, maxCells int) []int32 {
	d := len(r.hier)
	p := r.packer()
	patterns := make([]uint, 0, 1<<d)
	for m := uint(1); m < 1<<d; m++ {
		if bits.OnesCount(m) <= maxCells {
			patterns = append(patterns, m)
		}
	}
	variety := func(m uint) int {
		v := 0
		for q := range d {
			if m&(1<<q) != 0 {
				v += r.Input.Distinct(r.qiCol[q])
			}
		}
		return v
	}
	slices.SortStableFunc(patterns, func(a, b uint) int {
		if ca, cb := bits.OnesCount(a), bits.OnesCount(b); ca != cb {
			return ca - cb
		}
		return variety(b) - variety(a)
	})
	k := int32(r.Config.K)
	count := map[key]int32{}
	lo, hi := make([]uint16, d), make([]uint16, d)
	for _, m := range patterns {
		if len(rows) == 0 {
			return nil
		}
		clear(count)
		for _, row := range rows {
			count[p.pack(r.leaf, row, m)]++
		}
		left := rows[:0]
		for _, row := range rows {
			kk := p.pack(r.leaf, row, m)
			c, ok := released[kk]
			if n := count[kk]; n < k && (!ok || int(n)+r.classes[c].Size < int(k)) {
				left = append(left, row)
				continue
			}
			if !ok {
				for q, h := range r.hier {
					lo[q], hi[q] = r.leaf[q][row], r.leaf[q][row]
					if m&(1<<q) != 0 {
						lo[q], hi[q] = 0, uint16(h.Size()-1)
					}
				}
				c = r.newClass(lo, hi)
				released[kk] = c
			}
			r.class[row] = c
			r.classes[c].Size++
		}
		rows = left
	}
	return rows
}
