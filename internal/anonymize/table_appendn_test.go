// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"fmt"
	"slices"
	"testing"
)

// TestAppendN: n identical rows appended at once make the same table as
// n Appends; a count below 1, a row of the wrong width and a column past
// its distinct values are refused, no row added to any column (the
// release stops there).
func TestAppendN(t *testing.T) {
	cols := []string{"gender", "ageBroad", "citizenship"}
	one, _ := NewTable(cols)
	many, _ := NewTable(cols)
	rows := []struct {
		vals []string
		n    int
	}{{[]string{"Female", "18--20", "CD"}, 3}, {[]string{"Male", "9--17", "AO"}, 1}, {[]string{"Female", "18--20", "CD"}, 2}}
	for _, r := range rows {
		for range r.n {
			if err := one.Append(r.vals); err != nil {
				t.Fatal(err)
			}
		}
		if err := many.AppendN(r.vals, r.n); err != nil {
			t.Fatal(err)
		}
	}
	if one.Len() != 6 || many.Len() != 6 {
		t.Fatalf("%d and %d rows, want 6", one.Len(), many.Len())
	}
	for c := range cols {
		if !slices.Equal(one.codes[c], many.codes[c]) || !slices.Equal(one.dict[c], many.dict[c]) {
			t.Fatalf("column %s: %v %v, want %v %v", cols[c], many.codes[c], many.dict[c], one.codes[c], one.dict[c])
		}
	}
	for _, c := range []struct {
		vals []string
		n    int
	}{{[]string{"Female", "18--20", "CD"}, 0}, {[]string{"Female", "18--20", "CD"}, -1}, {[]string{"Female", "18--20"}, 2}} {
		if err := many.AppendN(c.vals, c.n); err == nil {
			t.Errorf("%v × %d accepted", c.vals, c.n)
		}
	}
	full, _ := NewTable([]string{"a", "b"})
	for i := range maxDistinct - 1 {
		if err := full.AppendN([]string{"x", fmt.Sprint(i)}, 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := full.AppendN([]string{"y", "one too many"}, 5); err == nil {
		t.Fatal("a value past the column's distinct values accepted")
	}
	if full.Len() != maxDistinct-1 || len(full.codes[0]) != maxDistinct-1 || len(full.codes[1]) != maxDistinct-1 {
		t.Fatalf("the refused row changed the rows: %d rows, %d and %d codes", full.Len(), len(full.codes[0]), len(full.codes[1]))
	}
	if err := many.AppendN([]string{"Female", "18--20", "CD"}, 0); err == nil || many.Len() != 6 {
		t.Fatalf("err %v, %d rows", err, many.Len())
	}
}
