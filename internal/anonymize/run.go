// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// Result is a k-anonymous release: every input row is either released,
// its quasi-identifiers replaced by those of its equivalence class, or
// suppressed (counted, never written).
type Result struct {
	Config     Config
	Input      *Table
	Suppressed int      // input rows not released
	Dropped    []string // input columns not released (not allow-listed or not asked for)

	out     []int // input column of each released column, in CTDC order
	outName []int // position in ctdcColumns of each released column
	qiCol   []int // input column of each quasi-identifier
	qiOut   []int // released column of each quasi-identifier
	hier    []*Hierarchy
	leaf    [][]uint16 // leaf[q][row] = code of the row's value in hier[q]
	class   []int32    // class[row], -1 when suppressed
	classes []Class
	byKey   map[string]int32
}

// Class is one equivalence class of the release: the records sharing the
// same released quasi-identifiers.
type Class struct {
	Size   int
	Lo, Hi []uint16 // per quasi-identifier, the leaf codes the label covers
	Labels []string // per quasi-identifier, the released value
}

// Released is the number of released rows.
func (r *Result) Released() int { return r.Input.Len() - r.Suppressed }

// Classes returns the equivalence classes, in order of creation.
func (r *Result) Classes() []Class { return r.classes }

// ClassOf returns the class of an input row, or -1 when it is suppressed.
func (r *Result) ClassOf(row int) int { return int(r.class[row]) }

// Hierarchy returns the hierarchy of quasi-identifier q as used by this
// run (with the values met in the data).
func (r *Result) Hierarchy(q int) *Hierarchy { return r.hier[q] }

// Header returns the released columns' names (CTDC, or HTCDS identifiers).
func (r *Result) Header(htcds bool) []string {
	out := make([]string, len(r.outName))
	for i, n := range r.outName {
		out[i] = ctdcColumns[n].ctdc
		if htcds {
			out[i] = ctdcColumns[n].htcds
		}
	}
	return out
}

// Run anonymises a table. The input is not changed; the same table and
// configuration always give the same result.
func Run(t *Table, cfg Config) (*Result, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	qis := make([]QI, len(cfg.QIs))
	for i, q := range cfg.QIs {
		qis[i] = QI{Column: q.Column, Hierarchy: q.Hierarchy.clone()}
	}
	cfg.QIs = qis
	cfg.Columns = append([]string(nil), cfg.Columns...)
	r := &Result{Config: cfg, Input: t, byKey: map[string]int32{}}
	if err := r.selectColumns(); err != nil {
		return nil, err
	}
	if err := r.encodeQIs(); err != nil {
		return nil, err
	}
	r.class = make([]int32, t.Len())
	switch cfg.Method {
	case MethodMondrian:
		rare, _ := r.keepFrequent()
		r.mondrian(rare)
	case MethodMondrianStrict:
		all := make([]int32, t.Len())
		for i := range all {
			all[i] = int32(i)
		}
		r.mondrian(all)
	case MethodSuppress:
		rare, classes := r.keepFrequent()
		r.suppressRows(r.suppress(rare, classes, len(r.hier)))
	case MethodHybrid:
		rare, classes := r.keepFrequent()
		r.mondrian(r.suppress(rare, classes, 1))
	}
	for _, c := range r.class {
		if c < 0 {
			r.Suppressed++
		}
	}
	return r, nil
}

// selectColumns keeps the allow-listed input columns (those asked for, if
// any), in the CTDC order, and finds the quasi-identifiers among them.
func (r *Result) selectColumns() error {
	t := r.Input
	want := map[int]bool{}
	for _, c := range r.Config.Columns {
		want[allowed[c]] = true
	}
	at := make([]int, len(ctdcColumns))
	for i := range at {
		at[i] = -1
	}
	for c, name := range t.columns {
		n, ok := allowed[name]
		switch {
		case !ok:
			r.Dropped = append(r.Dropped, name)
		case at[n] >= 0:
			return fmt.Errorf("columns %q and %q are the same CTDC column", t.columns[at[n]], name)
		default:
			at[n] = c
		}
	}
	drop := r.followAge(at, want)
	for _, q := range r.Config.QIs {
		want[allowed[q.Column]] = true
	}
	for n, c := range at {
		if c < 0 {
			continue
		}
		if drop[n] || len(r.Config.Columns) > 0 && !want[n] {
			r.Dropped = append(r.Dropped, t.columns[c])
			continue
		}
		r.out = append(r.out, c)
		r.outName = append(r.outName, n)
	}
	for _, q := range r.Config.QIs {
		n := allowed[q.Column]
		if at[n] < 0 {
			return fmt.Errorf("quasi-identifier %q is not a column of the input", q.Column)
		}
		r.qiCol = append(r.qiCol, at[n])
		for i, o := range r.outName {
			if o == n {
				r.qiOut = append(r.qiOut, i)
			}
		}
	}
	return nil
}

// followAge keeps the majority columns from telling what a hidden age
// band hid. Anyone who knows a victim's age band knows whether they are a
// minor, so when ageBroad is a quasi-identifier and majorityStatus is
// released, the two are known together: beside an age band written "-99"
// or as a range, majorityStatus would split the class into minors and
// adults, each possibly fewer than k (the independent checker's attacker
// singled out 51 victims of CTDC's own file that way). It becomes a
// quasi-identifier too; with no room left for it (maxQIs), it is not
// released. majorityStatusAtExploit and majorityEntry tell part of it in
// turn (an adult when exploited is an adult now; a minor now was a minor
// then): beside a hidden majority they would split the class again, so
// they are released only as quasi-identifiers named in the
// configuration. It returns the positions in ctdcColumns of the columns
// not to release. at is ctdcColumns → input column; want the columns
// asked for.
func (r *Result) followAge(at []int, want map[int]bool) map[int]bool {
	isQI := func(n int) bool {
		for _, q := range r.Config.QIs {
			if allowed[q.Column] == n {
				return true
			}
		}
		return false
	}
	drop := map[int]bool{}
	if !isQI(allowed[ColAge]) {
		return drop
	}
	for i, col := range majorityColumns {
		n := allowed[col]
		switch {
		case isQI(n) || at[n] < 0 || len(r.Config.Columns) > 0 && !want[n]:
		case i > 0 || len(r.Config.QIs) == maxQIs:
			drop[n] = true
		default:
			r.Config.QIs = append(r.Config.QIs, QI{Column: col, Hierarchy: HierarchyFor(col)})
		}
	}
	return drop
}

// encodeQIs gives every row the hierarchy code of each quasi-identifier.
func (r *Result) encodeQIs() error {
	t := r.Input
	for _, q := range r.Config.QIs {
		h := q.Hierarchy
		c := r.qiCol[len(r.hier)]
		// Values outside the hierarchy join it in sorted order, so their
		// place does not depend on the order of the rows.
		var unknown []string
		for _, v := range t.dict[c] {
			if _, ok := h.index[v]; !ok {
				unknown = append(unknown, v)
			}
		}
		slices.Sort(unknown)
		for _, v := range unknown {
			if _, err := h.code(v); err != nil {
				return err
			}
		}
		toLeaf := make([]uint16, len(t.dict[c]))
		for d, v := range t.dict[c] {
			toLeaf[d] = h.index[v]
		}
		leaf := make([]uint16, t.Len())
		for row, d := range t.codes[c] {
			leaf[row] = toLeaf[d]
		}
		r.hier = append(r.hier, h)
		r.leaf = append(r.leaf, leaf)
	}
	return nil
}

// key is a combination of quasi-identifier codes packed into 128 bits.
type key struct{ a, b uint64 }

// packer packs a row's codes. A masked (suppressed) quasi-identifier packs
// as the code of the value its label reads as — the leaf "-99" when the
// hierarchy has one, since a suppressed cell is written "-99" too — or
// else as a code no value has (the hierarchy's size). So two rows pack
// equal exactly when they would be released with the same labels.
type packer struct {
	shift []uint
	mask  []uint64
}

func (r *Result) packer() packer {
	p := packer{}
	var at uint
	for _, h := range r.hier {
		p.shift = append(p.shift, at)
		m := uint64(h.Size())
		if c, ok := h.index[h.Root()]; ok {
			m = uint64(c)
		}
		p.mask = append(p.mask, m)
		at += uint(bits.Len(uint(h.Size())))
	}
	return p
}

func (p packer) pack(leaf [][]uint16, row int32, mask uint) key {
	var k key
	for q, s := range p.shift {
		v := uint64(leaf[q][row])
		if mask&(1<<q) != 0 {
			v = p.mask[q]
		}
		if s < 64 {
			k.a |= v << s
			if s > 0 && bits.Len64(v)+int(s) > 64 {
				k.b |= v >> (64 - s)
			}
		} else {
			k.b |= v << (s - 64)
		}
	}
	return k
}

// keepFrequent releases exactly every combination shared by at least k
// rows and returns the other rows, in input order, and the classes made,
// by packed key.
func (r *Result) keepFrequent() ([]int32, map[key]int32) {
	p := r.packer()
	n := r.Input.Len()
	keys := make([]key, n)
	count := make(map[key]int32, 1024)
	for row := range n {
		k := p.pack(r.leaf, int32(row), 0)
		keys[row] = k
		count[k]++
	}
	k := int32(r.Config.K)
	classOf := make(map[key]int32, len(count))
	var rare []int32
	lo := make([]uint16, len(r.hier))
	for row := range n {
		if count[keys[row]] < k {
			rare = append(rare, int32(row))
			continue
		}
		c, ok := classOf[keys[row]]
		if !ok {
			for q := range lo {
				lo[q] = r.leaf[q][row]
			}
			c = r.newClass(lo, lo)
			classOf[keys[row]] = c
		}
		r.class[row] = c
		r.classes[c].Size++
	}
	return rare, classOf
}

// newClass returns the class released for values spanning lo..hi (leaf
// codes per quasi-identifier); parts that generalise to the same labels
// share one class.
func (r *Result) newClass(lo, hi []uint16) int32 {
	c := Class{Lo: make([]uint16, len(lo)), Hi: make([]uint16, len(hi)), Labels: make([]string, len(lo))}
	for q, h := range r.hier {
		c.Lo[q], c.Hi[q], c.Labels[q] = h.Generalise(lo[q], hi[q])
	}
	k := strings.Join(c.Labels, "\x00")
	if id, ok := r.byKey[k]; ok {
		old := &r.classes[id]
		for q := range lo {
			old.Lo[q] = min(old.Lo[q], c.Lo[q])
			old.Hi[q] = max(old.Hi[q], c.Hi[q])
		}
		return id
	}
	id := int32(len(r.classes))
	r.byKey[k] = id
	r.classes = append(r.classes, c)
	return id
}

// assign puts rows in a class.
func (r *Result) assign(rows []int32, c int32) {
	for _, row := range rows {
		r.class[row] = c
	}
	r.classes[c].Size += len(rows)
}

// suppressRows marks rows as not released.
func (r *Result) suppressRows(rows []int32) {
	for _, row := range rows {
		r.class[row] = -1
	}
}
