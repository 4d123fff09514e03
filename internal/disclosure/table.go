// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"fmt"
	"slices"
)

// Total stands for "all values" of a dimension in a cell's key: the key
// {2, Total} is the margin of row 2.
const Total = -1

// Dim is one dimension of a table: a column of the rows and its values.
type Dim struct {
	Column string `json:"column"`
	// Values is the dimension's domain, in order. Given in a spec, it is
	// fixed in advance (public knowledge: sexes, age bands), which lets
	// differential privacy release every cell without partition
	// selection. Left empty, it is the values found in the data, sorted.
	Values []string `json:"values,omitempty"`
}

// Table is a contingency table: the number of rows for every
// combination of its dimensions' values, with every margin. Counts holds
// the extended layout where each dimension has one more index, len(Values),
// for its total; Key and Index convert.
type Table struct {
	Name string
	Dims []Dim
	// Fixed reports that every dimension's domain was given in advance.
	Fixed bool
	// Counts is in the extended layout (margins included).
	Counts []int64
	// Unlisted counts rows whose value is outside a fixed domain: they
	// are in no cell and no total.
	Unlisted int64
}

// extent is the size of dimension d in the extended layout.
func (t *Table) extent(d int) int { return len(t.Dims[d].Values) + 1 }

// Index is the position in Counts of key (Total allowed in any place).
func (t *Table) Index(key []int) int {
	i := 0
	for d, k := range key {
		if k == Total {
			k = len(t.Dims[d].Values)
		}
		i = i*t.extent(d) + k
	}
	return i
}

// Key is the key of position i in Counts (Total for a margin).
func (t *Table) Key(i int) []int {
	key := make([]int, len(t.Dims))
	for d := len(t.Dims) - 1; d >= 0; d-- {
		e := t.extent(d)
		key[d] = i % e
		if key[d] == e-1 {
			key[d] = Total
		}
		i /= e
	}
	return key
}

// IsInterior reports whether position i is a cell of the table proper
// (no Total in its key).
func (t *Table) IsInterior(i int) bool { return !slices.Contains(t.Key(i), Total) }

// Count is the count at key.
func (t *Table) Count(key ...int) int64 { return t.Counts[t.Index(key)] }

// GrandTotal is the number of rows counted.
func (t *Table) GrandTotal() int64 { return t.Counts[len(t.Counts)-1] }

// Labels names the key's values (Total is "Total").
func (t *Table) Labels(key []int) []string {
	out := make([]string, len(key))
	for d, k := range key {
		if k == Total {
			out[d] = "Total"
		} else {
			out[d] = t.Dims[d].Values[k]
		}
	}
	return out
}

// fillMargins computes every margin from the interior cells, one
// dimension at a time: after pass d, the Total slot of dimension d holds
// the sum over that dimension of whatever the other slots hold.
func (t *Table) fillMargins() {
	stride := 1
	for d := len(t.Dims) - 1; d >= 0; d-- {
		e := t.extent(d)
		block := stride * e
		for base := 0; base < len(t.Counts); base += block {
			for off := 0; off < stride; off++ {
				var sum int64
				for k := 0; k < e-1; k++ {
					sum += t.Counts[base+k*stride+off]
				}
				t.Counts[base+(e-1)*stride+off] = sum
			}
		}
		stride = block
	}
}

// Counter builds a table from rows, one Add per row. It keeps a map per
// dimension from value to index and counts into the interior cells; for a
// domain found in the data, cells are grown as values appear.
type Counter struct {
	name   string
	dims   []Dim
	cols   []int // column index of each dimension in the rows
	fixed  bool
	index  []map[string]int
	counts map[int]int64 // found domains: interior cell (mixed radix of found indexes) → count
	dense  []int64       // fixed domains: interior cells
	seen   []int         // scratch key
	bad    int64
}

// MaxCells bounds a table's size: a table is meant to be read, and a
// bigger one is almost all small cells.
const MaxCells = 100_000

// NewCounter prepares the count of spec's table over rows whose columns
// are named by columns.
func NewCounter(spec TableSpec, columns []string) (*Counter, error) {
	c := &Counter{name: spec.Name, fixed: true, seen: make([]int, len(spec.Dims))}
	size := 1
	for _, d := range spec.Dims {
		col := slices.Index(columns, d.Column)
		if col < 0 {
			return nil, fmt.Errorf("table %q: no column %q in the rows", spec.Name, d.Column)
		}
		m := make(map[string]int, len(d.Values))
		for i, v := range d.Values {
			m[v] = i
		}
		if len(d.Values) == 0 {
			c.fixed = false
		}
		size *= len(d.Values) + 1
		c.cols = append(c.cols, col)
		c.index = append(c.index, m)
		c.dims = append(c.dims, Dim{Column: d.Column, Values: slices.Clone(d.Values)})
	}
	if c.fixed {
		if size > MaxCells {
			return nil, fmt.Errorf("table %q: %d cells is more than %d", spec.Name, size, MaxCells)
		}
		interior := 1
		for _, d := range c.dims {
			interior *= len(d.Values)
		}
		c.dense = make([]int64, interior)
	} else {
		c.counts = map[int]int64{}
	}
	return c, nil
}

// Add counts one row.
func (c *Counter) Add(row []string) {
	for d, col := range c.cols {
		v := row[col]
		i, ok := c.index[d][v]
		if !ok {
			if c.fixedDim(d) {
				c.bad++
				return
			}
			i = len(c.index[d])
			c.index[d][v] = i
		}
		c.seen[d] = i
	}
	if c.fixed {
		i := 0
		for d, k := range c.seen {
			i = i*len(c.dims[d].Values) + k
		}
		c.dense[i]++
		return
	}
	// Found domains: pack the key with a radix wide enough for any
	// number of values (MaxCells bounds the table later).
	i := 0
	for _, k := range c.seen {
		i = i*MaxCells + k
	}
	c.counts[i]++
}

// fixedDim reports whether dimension d of a table with some found
// domains had its values given.
func (c *Counter) fixedDim(d int) bool { return len(c.dims[d].Values) > 0 }

// Table returns the counted table with its margins. Found domains are
// sorted so that the table does not depend on the order of the rows.
func (c *Counter) Table() (*Table, error) {
	t := &Table{Name: c.name, Dims: make([]Dim, len(c.dims)), Fixed: c.fixed, Unlisted: c.bad}
	remap := make([][]int, len(c.dims))
	size := 1
	for d, dim := range c.dims {
		values := dim.Values
		remap[d] = make([]int, len(c.index[d]))
		if len(values) == 0 {
			for v := range c.index[d] {
				values = append(values, v)
			}
			slices.Sort(values)
		}
		for i, v := range values {
			remap[d][c.index[d][v]] = i
		}
		t.Dims[d] = Dim{Column: dim.Column, Values: values}
		size *= len(values) + 1
	}
	if size > MaxCells {
		return nil, fmt.Errorf("table %q: %d cells is more than %d", c.name, size, MaxCells)
	}
	t.Counts = make([]int64, size)
	key := make([]int, len(c.dims))
	if c.fixed {
		for i, n := range c.dense {
			for d := len(c.dims) - 1; d >= 0; d-- {
				key[d] = i % len(c.dims[d].Values)
				i /= len(c.dims[d].Values)
			}
			t.Counts[t.Index(key)] = n
		}
	} else {
		for packed, n := range c.counts {
			for d := len(c.dims) - 1; d >= 0; d-- {
				key[d] = remap[d][packed%MaxCells]
				packed /= MaxCells
			}
			t.Counts[t.Index(key)] = n
		}
	}
	t.fillMargins()
	return t, nil
}
