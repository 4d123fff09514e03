// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import "testing"

func TestGeneraliseLabels(t *testing.T) {
	age, year, country, gender := AgeHierarchy(), YearHierarchy(), CountryHierarchy(), GenderHierarchy()
	code := func(h *Hierarchy, v string) uint16 {
		c, err := h.code(v)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		h      *Hierarchy
		lo, hi string
		want   string
	}{
		{age, "18--20", "18--20", "18--20"},
		{age, "18--20", "24--26", "18--26"},
		{age, "0--8", "9--17", "0--17"},
		{age, "39--47", "48+", "39+"},
		{age, "0--8", "48+", "0+"},
		{age, "30--38", "Unknown", "-99"},
		{age, "-99", "-99", "-99"},
		{year, "2014", "2016", "2014-2016"},
		{year, "2015", "2015", "2015"},
		{year, "2017", "-99", "-99"},
		{country, "MD", "UA", "Eastern Europe"},
		{country, "BY", "BY", "BY"},
		{country, "RU", "FR", "Europe"},
		{country, "CD", "CG", "Middle Africa"},
		{country, "PH", "US", "-99"},
		{country, "ZZ", "-99", "-99"},
		{gender, "Female", "Male", "-99"},
	} {
		a, b := code(tc.h, tc.lo), code(tc.h, tc.hi)
		if a > b {
			a, b = b, a
		}
		lo, hi, got := tc.h.Generalise(a, b)
		if got != tc.want {
			t.Errorf("%s %s..%s: %q, want %q", tc.h.Name(), tc.lo, tc.hi, got, tc.want)
			continue
		}
		// The label reads back as the interval it was made for, and
		// covers both ends.
		l, h, ok := tc.h.Interval(got)
		if got == tc.h.Root() {
			lo, hi = 0, uint16(tc.h.Size()-1) // "-99" reads as "any value"
		}
		if !ok || l != lo || h != hi {
			t.Errorf("%s %q reads back as %d..%d %v, want %d..%d", tc.h.Name(), got, l, h, ok, lo, hi)
		}
		if !tc.h.Covers(got, tc.lo) || !tc.h.Covers(got, tc.hi) {
			t.Errorf("%s %q does not cover %s and %s", tc.h.Name(), got, tc.lo, tc.hi)
		}
	}
	if age.Covers("18--26", "27--29") || country.Covers("Eastern Europe", "FR") || age.Covers("nonsense", "0--8") {
		t.Error("a label covers a value outside it")
	}
}

// Values outside a hierarchy are added under the root: they generalise to
// "-99" with anything else, and a run never refuses them.
func TestHierarchyUnknownValues(t *testing.T) {
	h := GenderHierarchy()
	a, _ := h.code("Female")
	b, err := h.code("Transgender")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, l := h.Generalise(min(a, b), max(a, b)); l != "-99" {
		t.Errorf("Female..Transgender: %q, want -99", l)
	}
	if GenderHierarchy().Size() != 4 {
		t.Error("a value added to one run's hierarchy leaked into a new one")
	}
}

func TestHierarchyRefusesBadTrees(t *testing.T) {
	if _, err := NewHierarchy("x", Group("*", Leaf("a"), Leaf("a"))); err == nil {
		t.Error("a repeated value was accepted")
	}
	if _, err := NewHierarchy("x", Group("*", Group("g", Leaf("a")), Group("g", Leaf("b")))); err == nil {
		t.Error("a repeated group was accepted")
	}
	if _, err := NewOrdered("x", "-", []Range{{"b", "b", "b"}}, Group("*", Leaf("a"), Leaf("b"))); err == nil {
		t.Error("ranges that are not the first leaves were accepted")
	}
}
