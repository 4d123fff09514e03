// SPDX-License-Identifier: AGPL-3.0-or-later

package names

import (
	"slices"
	"testing"
)

func TestPairKeys(t *testing.T) {
	tests := []struct {
		name string
		want int // number of pair keys
	}{
		{"", 0},
		{"Kabila", 0},
		{"Jean Mukendi", 1},
		{"Mwamba Mouamba", 0}, // one phonetic key: no pair
		{"Jean Pierre Mukendi", 3},
		{"a b c d e f g h i j", 15}, // capped at six tokens
	}
	for _, tt := range tests {
		if got := PairKeys(tt.name); len(got) != tt.want {
			t.Errorf("PairKeys(%q) = %v, want %d keys", tt.name, got, tt.want)
		}
	}
	// Order and spelling variants give the same pair.
	a, b := PairKeys("Jean Mukendi"), PairKeys("Moukendi Jean")
	if !slices.Equal(a, b) {
		t.Errorf("pairs differ: %v and %v", a, b)
	}
	for _, k := range a {
		if !IsPairKey(k) {
			t.Errorf("%q is not recognised as a pair key", k)
		}
	}
	for _, k := range Keys("Jean Mukendi") {
		if IsPairKey(k) {
			t.Errorf("token key %q taken for a pair key", k)
		}
	}
}
