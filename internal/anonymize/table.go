// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"errors"
	"fmt"
	"strings"
)

// maxDistinct bounds the distinct values of one column: released columns
// are categorical; a column with more values is free text or an
// identifier, and is refused rather than released.
const maxDistinct = 1 << 16

// Table is categorical microdata stored by column, each value replaced by
// a small integer code (its position in the column's dictionary, in order
// of first appearance), so that partitioning and counting never compare
// strings.
type Table struct {
	columns []string
	dict    [][]string          // dict[col][code] = value
	index   []map[string]uint16 // index[col][value] = code
	codes   [][]uint16          // codes[col][row]
	rows    int
}

// NewTable starts an empty table with the given header.
func NewTable(columns []string) (*Table, error) {
	if len(columns) == 0 {
		return nil, errors.New("a table needs at least one column")
	}
	seen := map[string]bool{}
	for _, c := range columns {
		if c == "" {
			return nil, errors.New("a column has no name")
		}
		if seen[c] {
			return nil, fmt.Errorf("column %q appears twice", c)
		}
		seen[c] = true
	}
	t := &Table{
		columns: append([]string(nil), columns...),
		dict:    make([][]string, len(columns)),
		index:   make([]map[string]uint16, len(columns)),
		codes:   make([][]uint16, len(columns)),
	}
	for i := range t.index {
		t.index[i] = map[string]uint16{}
	}
	return t, nil
}

// Append adds one row; it must have one value per column.
func (t *Table) Append(values []string) error {
	if len(values) != len(t.columns) {
		return fmt.Errorf("row %d has %d values, the table %d columns", t.rows+1, len(values), len(t.columns))
	}
	for c, v := range values {
		code, err := t.encode(c, v)
		if err != nil {
			return err
		}
		t.codes[c] = append(t.codes[c], code)
	}
	t.rows++
	return nil
}

// AppendN adds n identical rows, encoding the values once: a source that
// counts identical rows (a database's GROUP BY) hands each on once.
func (t *Table) AppendN(values []string, n int) error {
	if n < 1 {
		return fmt.Errorf("row %d: a count of %d rows", t.rows+1, n)
	}
	if len(values) != len(t.columns) {
		return fmt.Errorf("row %d has %d values, the table %d columns", t.rows+1, len(values), len(t.columns))
	}
	// Every value encoded before any is appended: a refused value
	// leaves no row half added (the release stops there).
	codes := make([]uint16, len(values))
	for c, v := range values {
		code, err := t.encode(c, v)
		if err != nil {
			return err
		}
		codes[c] = code
	}
	for c, code := range codes {
		for range n {
			t.codes[c] = append(t.codes[c], code)
		}
	}
	t.rows += n
	return nil
}

func (t *Table) encode(c int, v string) (uint16, error) {
	if code, ok := t.index[c][v]; ok {
		return code, nil
	}
	if len(t.dict[c]) == maxDistinct-1 {
		return 0, fmt.Errorf("column %q has more than %d distinct values: not a categorical column", t.columns[c], maxDistinct-1)
	}
	code := uint16(len(t.dict[c]))
	v = strings.Clone(v)
	t.dict[c] = append(t.dict[c], v)
	t.index[c][v] = code
	return code, nil
}

// Len is the number of rows.
func (t *Table) Len() int { return t.rows }

// Columns returns the header.
func (t *Table) Columns() []string { return append([]string(nil), t.columns...) }

// Column returns the position of a column, or -1.
func (t *Table) Column(name string) int {
	for i, c := range t.columns {
		if c == name {
			return i
		}
	}
	return -1
}

// Value returns one cell.
func (t *Table) Value(row, col int) string { return t.dict[col][t.codes[col][row]] }

// Distinct is the number of distinct values of a column.
func (t *Table) Distinct(col int) int { return len(t.dict[col]) }

// Row returns the values of one row.
func (t *Table) Row(row int) []string {
	out := make([]string, len(t.columns))
	for c := range t.columns {
		out[c] = t.Value(row, c)
	}
	return out
}
