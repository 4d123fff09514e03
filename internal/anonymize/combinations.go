// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"fmt"
	"math"
	"slices"
)

// combo is a combination of up to 4 attributes (column:value pairs),
// each packed as column<<16 | value code, in column order; unused slots
// hold noAttr.
type combo [4]uint32

const noAttr = math.MaxUint32

// attrs reads the attributes of each row of one table over the utility
// columns: present[row] lists them in column order.
type attrs struct {
	n    int
	cols [][]uint16 // per utility column, the attribute code of each row
	none uint16     // code of an absent cell
}

// combinations counts every combination of length 1..Length in the
// sensitive and the released tables (SDS's aggregate counts) and compares
// them. Released cells that are not original values (generalised or
// suppressed quasi-identifiers) and absent values ("-99", "") are not
// attributes; a released value the sensitive column never had is one, and
// its combinations are fabricated.
func (e *evaluator) combinations(m *Metrics) error {
	m.UtilityColumns = slices.Clone(e.opt.Columns)
	m.Length = e.opt.Length
	sa, ra, err := e.utilityAttrs()
	if err != nil {
		return err
	}
	k := int32(e.opt.K)
	sensCount := countCombos(sa, e.opt.Length)
	relCount := countCombos(ra, e.opt.Length)
	m.Combinations = len(sensCount)
	m.Leakage = make([]int, e.opt.Length)
	m.MAEByLength = make([]float64, e.opt.Length)
	both := make([]int, e.opt.Length)
	var rare, suppressed, fabricated, bothAll int
	var absErr float64
	for c, s := range sensCount {
		l := comboLen(c)
		y := relCount[c]
		if s < k {
			rare++
			if y > 0 && y < k {
				m.Leakage[l-1]++
			}
		}
		if y == 0 {
			suppressed++
			continue
		}
		d := math.Abs(float64(s - y))
		absErr += d
		m.MAEByLength[l-1] += d
		both[l-1]++
		bothAll++
	}
	for c := range relCount {
		if _, ok := sensCount[c]; !ok {
			fabricated++
		}
	}
	if S := float64(len(sensCount)); S > 0 {
		m.RareCombinationsPct = 100 * float64(rare) / S
		m.SuppressedCombinationsPct = 100 * float64(suppressed) / S
		m.FabricatedCombinationsPct = 100 * float64(fabricated) / S
	}
	if bothAll > 0 {
		m.MAE = absErr / float64(bothAll)
	}
	for l := range both {
		if both[l] > 0 {
			m.MAEByLength[l] /= float64(both[l])
		}
	}
	m.MeanProportionalError = meanProportionalError(sensCount, relCount, k)
	m.RecordsWithRareCombPct = recordsWithRare(sa, e.opt.Length, sensCount, k)
	return nil
}

// utilityAttrs reads both tables' utility columns as attribute codes.
// Sensitive codes stand for themselves; a released value maps to the
// sensitive code of the same value, to "no attribute" when it is absent
// or a generalised label, or else to a new code (a fabricated value).
func (e *evaluator) utilityAttrs() (sa, ra attrs, err error) {
	sens, rel := e.rel.Sensitive, e.rel.Released
	absent := map[string]bool{}
	for _, v := range e.opt.Absent {
		absent[v] = true
	}
	qiOf := map[int]*Hierarchy{}
	for q, h := range e.hier {
		qiOf[e.sq[q]] = h
	}
	sa.n, ra.n = sens.Len(), rel.Len()
	sa.none, ra.none = math.MaxUint16, math.MaxUint16
	for _, name := range e.opt.Columns {
		sc, rc := column(sens, name), column(rel, name)
		if sc < 0 || rc < 0 {
			return sa, ra, fmt.Errorf("utility column %q is missing from the sensitive or the released table", name)
		}
		sCode := make([]uint16, len(sens.dict[sc]))
		for d, v := range sens.dict[sc] {
			sCode[d] = uint16(d)
			if absent[v] {
				sCode[d] = sa.none
			}
		}
		extra := uint16(len(sens.dict[sc]))
		rCode := make([]uint16, len(rel.dict[rc]))
		h := qiOf[sc]
		for d, v := range rel.dict[rc] {
			switch s, ok := sens.index[sc][v]; {
			case absent[v]:
				rCode[d] = ra.none
			case h != nil && !h.IsLeaf(v) && !ok:
				rCode[d] = ra.none // a generalised value: no exact attribute
			case ok:
				rCode[d] = s
			default:
				rCode[d] = extra
				extra++
			}
		}
		sa.cols = append(sa.cols, mapCodes(sens.codes[sc], sCode))
		ra.cols = append(ra.cols, mapCodes(rel.codes[rc], rCode))
	}
	return sa, ra, nil
}

func mapCodes(codes []uint16, to []uint16) []uint16 {
	out := make([]uint16, len(codes))
	for i, d := range codes {
		out[i] = to[d]
	}
	return out
}

func comboLen(c combo) int {
	n := 0
	for _, a := range c {
		if a != noAttr {
			n++
		}
	}
	return n
}

// forCombos calls f with every combination of length 1..maxLen of a
// row's attributes.
func forCombos(row []uint32, maxLen int, f func(combo)) {
	var c combo
	var rec func(start, depth int)
	rec = func(start, depth int) {
		for i := start; i < len(row); i++ {
			c[depth] = row[i]
			for j := depth + 1; j < 4; j++ {
				c[j] = noAttr
			}
			f(c)
			if depth+1 < maxLen {
				rec(i+1, depth+1)
			}
		}
	}
	rec(0, 0)
}

func (a attrs) row(r int, buf []uint32) []uint32 {
	buf = buf[:0]
	for ci, col := range a.cols {
		if v := col[r]; v != a.none {
			buf = append(buf, uint32(ci)<<16|uint32(v))
		}
	}
	return buf
}

// distinctRows groups the rows of a by their attributes: rows repeat a
// lot (a million rows hold a few thousand patterns), so combinations are
// enumerated once per pattern, weighted by its rows.
func distinctRows(a attrs) (rows [][]uint32, weight []int32) {
	index := map[string]int32{}
	key := make([]byte, 2*len(a.cols))
	var buf []uint32
	for r := range a.n {
		for ci, col := range a.cols {
			key[2*ci], key[2*ci+1] = byte(col[r]), byte(col[r]>>8)
		}
		if i, ok := index[string(key)]; ok {
			weight[i]++
			continue
		}
		index[string(key)] = int32(len(rows))
		buf = a.row(r, buf)
		rows = append(rows, slices.Clone(buf))
		weight = append(weight, 1)
	}
	return rows, weight
}

func countCombos(a attrs, maxLen int) map[combo]int32 {
	count := make(map[combo]int32, 1<<12)
	rows, weight := distinctRows(a)
	for i, row := range rows {
		w := weight[i]
		forCombos(row, maxLen, func(c combo) { count[c] += w })
	}
	return count
}

// recordsWithRare is the share (%) of sensitive rows holding at least one
// combination shared by fewer than k rows.
func recordsWithRare(a attrs, maxLen int, count map[combo]int32, k int32) float64 {
	if a.n == 0 {
		return 0
	}
	rows, weight := distinctRows(a)
	n := 0
	for i, row := range rows {
		rare := false
		forCombos(row, maxLen, func(c combo) { rare = rare || count[c] < k })
		if rare {
			n += int(weight[i])
		}
	}
	return 100 * float64(n) / float64(a.n)
}

// meanProportionalError follows SDS: combinations are put in buckets by
// their released count (bucket 10 holds counts up to 10, then 20, 40, 80…
// doubling); sensitive combinations rarer than k that the release does not
// have are left out; the proportional error |released − sensitive| /
// sensitive (1 when the sensitive count is 0) is averaged per bucket, and
// the buckets' means are averaged.
func meanProportionalError(sens, rel map[combo]int32, k int32) float64 {
	type bucket struct {
		sum float64
		n   int
	}
	buckets := map[int]*bucket{}
	add := func(s, y int32) {
		b := 0
		for limit := int32(10); y > limit; limit *= 2 {
			b++
		}
		pe := 1.0
		if s > 0 {
			pe = math.Abs(float64(y-s)) / float64(s)
		}
		if buckets[b] == nil {
			buckets[b] = &bucket{}
		}
		buckets[b].sum += pe
		buckets[b].n++
	}
	for c, s := range sens {
		y := rel[c]
		if s < k && y == 0 {
			continue
		}
		add(s, y)
	}
	for c, y := range rel {
		if _, ok := sens[c]; !ok {
			add(0, y)
		}
	}
	if len(buckets) == 0 {
		return 0
	}
	keys := make([]int, 0, len(buckets))
	for b := range buckets {
		keys = append(keys, b)
	}
	slices.Sort(keys) // a fixed order: the same sum to the last bit
	var total float64
	for _, b := range keys {
		total += buckets[b].sum / float64(buckets[b].n)
	}
	// Per-bucket sums run in map order; rounding keeps the figure the same
	// from run to run.
	return math.Round(total/float64(len(keys))*1e12) / 1e12
}
