// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import "testing"

// FuzzSuppress: any small table, any threshold: Suppress either refuses
// it or shows no count under the threshold, hides no zero, never shows a
// hidden count, and leaves no hidden count determined (Determined is
// exact in 1-D and 2-D, checked against enumeration in suppress_test.go).
func FuzzSuppress(f *testing.F) {
	f.Add([]byte{2, 2, 0, 11, 3, 30, 40, 50})
	f.Add([]byte{3, 1, 0, 5, 5, 0, 0})
	f.Add([]byte{2, 2, 2, 4, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 4 {
			return
		}
		dims := []int{1 + int(b[0])%5, int(b[1]) % 5, int(b[2]) % 4}
		threshold := 2 + int(b[3])%15
		var shape []int
		for _, d := range dims {
			if d > 0 {
				shape = append(shape, d)
			}
		}
		n := 1
		for _, d := range shape {
			n *= d
		}
		cells := make([]int64, n)
		for i := range cells {
			if 4+i < len(b) {
				cells[i] = int64(b[4+i] % 40)
			}
		}
		tab := tableOf(t, shape, cells)
		p, err := Suppress(tab, threshold)
		if err != nil {
			return // refused: nothing published
		}
		for i, s := range p.Status {
			v := tab.Counts[i]
			switch {
			case s.Hidden() && (v == 0 || p.Counts[i] != 0):
				t.Fatalf("%v %v: position %v hidden with value %d, shown %d", shape, cells, tab.Key(i), v, p.Counts[i])
			case !s.Hidden() && (p.Counts[i] != v || v > 0 && v < int64(threshold)):
				t.Fatalf("%v %v threshold %d: position %v shows %d (true %d)", shape, cells, threshold, tab.Key(i), p.Counts[i], v)
			}
		}
		if bad := Determined(p, tab); len(bad) > 0 {
			t.Fatalf("%v %v: %d hidden counts determined", shape, cells, len(bad))
		}
	})
}
