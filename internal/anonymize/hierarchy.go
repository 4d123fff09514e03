// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"fmt"
	"strings"
)

// Node is one node of a generalisation hierarchy as written by hand: a
// leaf is a value found in the data (no children); an inner node groups
// its children under a label that is released when the records of a class
// span several of them (e.g. "Eastern Europe", "Child").
type Node struct {
	Label    string
	Children []*Node
}

// Leaf is shorthand for a node without children.
func Leaf(v string) *Node { return &Node{Label: v} }

// Group is shorthand for an inner node.
func Group(label string, children ...*Node) *Node { return &Node{Label: label, Children: children} }

// Hierarchy is the generalisation hierarchy of one quasi-identifier. Its
// leaves are numbered depth first, so every inner node covers one
// contiguous interval of leaf codes: Mondrian cuts intervals of codes and
// a class is released as the label of the interval that holds its values.
//
// An ordered hierarchy (age bands, years) also releases ranges of leaves
// that are not a node ("18--26", "2014-2016"); an unordered one (gender,
// countries) releases the lowest node covering the values.
//
// Values met in the data but not in the hierarchy are added as leaves
// directly under the root, after the others, so a hierarchy never refuses
// data; they generalise straight to the root.
type Hierarchy struct {
	name   string
	nodes  []hnode // nodes[0] is the root
	leaves []int32 // leaf code → node
	index  map[string]uint16
	byLbl  map[string]int32 // inner node label → node
	// ordered leaves: codes 0..nOrdered-1 form a run whose ranges are
	// meaningful; lowText/highText give the ends written in range labels.
	nOrdered int
	sep      string
	low      []string
	high     []string // "" = open ended ("48+")
}

type hnode struct {
	label    string
	lo, hi   uint16 // leaf codes covered, inclusive
	parent   int32
	children []int32
	depth    int
}

// NewHierarchy builds an unordered hierarchy from its root. The root's
// label is what a fully generalised (suppressed) cell is written as; for
// CTDC files that is "-99".
func NewHierarchy(name string, root *Node) (*Hierarchy, error) {
	h := &Hierarchy{name: name, index: map[string]uint16{}, byLbl: map[string]int32{}}
	if err := h.add(root, -1, 0); err != nil {
		return nil, err
	}
	return h, nil
}

// MustHierarchy is NewHierarchy for hierarchies written in the code.
func MustHierarchy(name string, root *Node) *Hierarchy {
	h, err := NewHierarchy(name, root)
	if err != nil {
		panic(err)
	}
	return h
}

// Range is one leaf of an ordered hierarchy with the texts its range
// labels use: Range{"18--20", "18", "20"}; High "" for an open end
// ("48+" → Range{"48+", "48", ""}).
type Range struct{ Value, Low, High string }

// NewOrdered builds an ordered hierarchy: the leaves of root must begin
// with the ranges, in order; leaves after them (e.g. "Unknown", "-99")
// are not part of the order. A class spanning several ranges is written
// Low(first) + sep + High(last), or Low(first) + "+" when the last range
// is open ended.
func NewOrdered(name, sep string, ranges []Range, root *Node) (*Hierarchy, error) {
	h, err := NewHierarchy(name, root)
	if err != nil {
		return nil, err
	}
	for i, r := range ranges {
		c, ok := h.index[r.Value]
		if !ok || int(c) != i {
			return nil, fmt.Errorf("hierarchy %s: range %q must be leaf number %d", name, r.Value, i+1)
		}
		h.low = append(h.low, r.Low)
		h.high = append(h.high, r.High)
	}
	h.nOrdered, h.sep = len(ranges), sep
	return h, nil
}

func (h *Hierarchy) add(n *Node, parent int32, depth int) error {
	id := int32(len(h.nodes))
	h.nodes = append(h.nodes, hnode{label: n.Label, parent: parent, depth: depth, lo: uint16(len(h.leaves))})
	if parent >= 0 {
		h.nodes[parent].children = append(h.nodes[parent].children, id)
	}
	if len(n.Children) == 0 && parent >= 0 {
		if _, dup := h.index[n.Label]; dup {
			return fmt.Errorf("hierarchy %s: value %q appears twice", h.name, n.Label)
		}
		if len(h.leaves) == 1<<16-1 {
			return fmt.Errorf("hierarchy %s: too many values", h.name)
		}
		h.index[n.Label] = uint16(len(h.leaves))
		h.leaves = append(h.leaves, id)
		h.nodes[id].hi = h.nodes[id].lo
		return nil
	}
	if _, dup := h.byLbl[n.Label]; dup {
		return fmt.Errorf("hierarchy %s: group %q appears twice", h.name, n.Label)
	}
	h.byLbl[n.Label] = id
	for _, c := range n.Children {
		if err := h.add(c, id, depth+1); err != nil {
			return err
		}
	}
	if len(h.leaves) == int(h.nodes[id].lo) && parent >= 0 {
		return fmt.Errorf("hierarchy %s: group %q has no values", h.name, n.Label)
	}
	h.nodes[id].hi = uint16(max(len(h.leaves), 1) - 1)
	return nil
}

// clone copies the hierarchy so that values added while encoding one
// table do not leak into the next run.
func (h *Hierarchy) clone() *Hierarchy {
	c := *h
	c.nodes = make([]hnode, len(h.nodes))
	copy(c.nodes, h.nodes)
	c.nodes[0].children = append([]int32(nil), h.nodes[0].children...)
	c.leaves = append([]int32(nil), h.leaves...)
	c.index = make(map[string]uint16, len(h.index))
	for k, v := range h.index {
		c.index[k] = v
	}
	return &c
}

// code returns the leaf code of v, adding v under the root when it is new.
func (h *Hierarchy) code(v string) (uint16, error) {
	if c, ok := h.index[v]; ok {
		return c, nil
	}
	if len(h.leaves) == 1<<16-1 {
		return 0, fmt.Errorf("hierarchy %s: too many values", h.name)
	}
	id := int32(len(h.nodes))
	c := uint16(len(h.leaves))
	h.nodes = append(h.nodes, hnode{label: v, lo: c, hi: c, parent: 0, depth: 1})
	h.nodes[0].children = append(h.nodes[0].children, id)
	h.nodes[0].hi = c
	h.leaves = append(h.leaves, id)
	h.index[v] = c
	return c, nil
}

// Name is the column the hierarchy describes.
func (h *Hierarchy) Name() string { return h.name }

// Size is the number of leaves.
func (h *Hierarchy) Size() int { return len(h.leaves) }

// Value is the leaf value of a code.
func (h *Hierarchy) Value(c uint16) string { return h.nodes[h.leaves[c]].label }

// Root is the label of a fully generalised cell.
func (h *Hierarchy) Root() string { return h.nodes[0].label }

// lca is the lowest node covering the codes lo..hi.
func (h *Hierarchy) lca(lo, hi uint16) int32 {
	n := h.leaves[lo]
	for h.nodes[n].hi < hi {
		n = h.nodes[n].parent
	}
	return n
}

// Generalise returns the interval of codes and the label released for a
// class whose values span codes lo..hi: the single value, a range of an
// ordered hierarchy, or the lowest covering node.
func (h *Hierarchy) Generalise(lo, hi uint16) (uint16, uint16, string) {
	if lo == hi {
		return lo, hi, h.Value(lo)
	}
	if lo == 0 && int(hi) == len(h.leaves)-1 {
		return lo, hi, h.nodes[0].label
	}
	if int(hi) < h.nOrdered {
		if h.high[hi] == "" {
			return lo, hi, h.low[lo] + "+"
		}
		return lo, hi, h.low[lo] + h.sep + h.high[hi]
	}
	n := h.nodes[h.lca(lo, hi)]
	return n.lo, n.hi, n.label
}

// Interval resolves a released label back to the codes it covers: a leaf,
// a node or a range. It is how tests and the evaluator check that a
// released cell holds the original value. The root's label covers every
// value even when it is also a value of its own (CTDC writes both a
// missing and a suppressed cell as "-99").
func (h *Hierarchy) Interval(label string) (lo, hi uint16, ok bool) {
	if label == h.nodes[0].label {
		return h.nodes[0].lo, h.nodes[0].hi, true
	}
	if c, ok := h.index[label]; ok {
		return c, c, true
	}
	if n, ok := h.byLbl[label]; ok {
		return h.nodes[n].lo, h.nodes[n].hi, true
	}
	if h.nOrdered == 0 {
		return 0, 0, false
	}
	var a, b string
	if s, open := strings.CutSuffix(label, "+"); open {
		a = s
	} else if x, y, found := strings.Cut(label, h.sep); found && h.sep != "" {
		a, b = x, y
	} else {
		return 0, 0, false
	}
	first, last := -1, -1
	for i := range h.nOrdered {
		if h.low[i] == a && first < 0 {
			first = i
		}
		if h.high[i] == b {
			last = i
		}
	}
	if first < 0 || last < first {
		return 0, 0, false
	}
	return uint16(first), uint16(last), true
}

// Covers reports whether the released label covers the original value.
func (h *Hierarchy) Covers(label, value string) bool {
	lo, hi, ok := h.Interval(label)
	c, known := h.index[value]
	return ok && known && lo <= c && c <= hi
}

// IsLeaf reports whether a released label is an original value.
func (h *Hierarchy) IsLeaf(label string) bool {
	_, ok := h.index[label]
	return ok
}

// cuts returns the codes c (cut between c and c+1) at the boundaries of
// the children of the lowest node covering lo..hi, inside lo..hi: cutting
// there keeps sub-regions whole (a categorical split along the hierarchy).
func (h *Hierarchy) cuts(lo, hi uint16, out []uint16) []uint16 {
	out = out[:0]
	n := h.nodes[h.lca(lo, hi)]
	for _, c := range n.children {
		e := h.nodes[c].hi
		if e >= lo && e < hi {
			out = append(out, e)
		}
	}
	return out
}

// ordered reports whether the hierarchy's ranges are meaningful.
func (h *Hierarchy) ordered() bool { return h.nOrdered > 0 }
