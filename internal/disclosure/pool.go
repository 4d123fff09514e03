// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import "slices"

// OtherLabel names the category that pools the rare values of a domain
// found in the data.
const OtherLabel = "(autres / other)"

// PoolRare merges, in every dimension whose domain was found in the data
// (not given in advance), the values of rare[column] into one category,
// OtherLabel, placed last. Under cell suppression a category listed with
// hidden counts still tells that someone of that citizenship, province or
// year is in the data — a country with a single victim names a very
// small group; pooled, the rare values are not named at all. rare is
// decided once per column over all the release's rows, so that every
// table pools the same values. It returns the table (t itself when
// nothing is pooled) and how many values were pooled.
func PoolRare(t *Table, fixed []bool, rare map[string]map[string]bool) (*Table, int) {
	pooled := 0
	remap := make([][]int, len(t.Dims))
	dims := make([]Dim, len(t.Dims))
	for d, dim := range t.Dims {
		remap[d] = make([]int, len(dim.Values))
		var kept []string
		other := false
		for _, v := range dim.Values {
			if !fixed[d] && rare[dim.Column][v] {
				other = true
				pooled++
				continue
			}
			kept = append(kept, v)
		}
		label := OtherLabel
		for slices.Contains(kept, label) {
			label += "*"
		}
		for i, v := range dim.Values {
			if j := slices.Index(kept, v); j >= 0 {
				remap[d][i] = j
			} else {
				remap[d][i] = len(kept)
			}
		}
		if other {
			kept = append(kept, label)
		}
		dims[d] = Dim{Column: dim.Column, Values: kept}
	}
	if pooled == 0 {
		return t, 0
	}
	out := &Table{Name: t.Name, Dims: dims, Fixed: t.Fixed, Unlisted: t.Unlisted}
	size := 1
	for _, d := range dims {
		size *= len(d.Values) + 1
	}
	out.Counts = make([]int64, size)
	key := make([]int, len(dims))
	for p, n := range t.Counts {
		if n == 0 || !t.IsInterior(p) {
			continue
		}
		for d, k := range t.Key(p) {
			key[d] = remap[d][k]
		}
		out.Counts[out.Index(key)] += n
	}
	out.fillMargins()
	return out, pooled
}
