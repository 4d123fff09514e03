// SPDX-License-Identifier: AGPL-3.0-or-later

package names_test

import (
	"slices"
	"strings"
	"testing"

	"vigie/internal/names"
)

func TestKeys(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Jean Mukendi", []string{"x:jean", "p:jean", "x:mukendi", "p:mukendi"}},
		{"Tshisekedi", []string{"x:tshisekedi", "p:shisekedi"}},
		// Two spellings of one name share their phonetic key once.
		{"Mwamba Mouamba", []string{"x:mwamba", "p:muamba", "x:mouamba"}},
		// A token equal to a phonetic key stays a separate exact key.
		{"Muamba Mwamba", []string{"x:muamba", "p:muamba", "x:mwamba"}},
		{"Marie de la Croix", []string{"x:marie", "p:marie", "x:croix", "p:kroi"}},
		{"Kalala wa Kalala", []string{"x:kalala", "p:kalala"}},
		{"", nil},
		{"--", nil},
	}
	for _, tt := range tests {
		got := names.Keys(tt.in)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Keys(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := names.Keys(tt.in); !slices.Equal(again, got) {
			t.Errorf("Keys(%q) not stable: %q then %q", tt.in, got, again)
		}
	}
	for _, in := range hostileInputs() {
		checkKeys(t, in, names.Keys(in))
	}
}

// checkKeys asserts the invariants of Keys' output.
func checkKeys(t *testing.T, in string, keys []string) {
	t.Helper()
	toks := names.Tokens(in)
	if len(keys) > 2*len(toks) || (len(toks) > 0) != (len(keys) > 0) {
		t.Fatalf("Keys(%.40q): %d keys for %d tokens", in, len(keys), len(toks))
	}
	var exact, phonetic int
	for i, k := range keys {
		switch {
		case strings.HasPrefix(k, names.ExactPrefix):
			exact++
		case strings.HasPrefix(k, names.PhoneticPrefix):
			phonetic++
		default:
			t.Fatalf("Keys(%.40q): key %q has no known prefix", in, k)
		}
		if len(k) <= 2 || !isLowerASCII(k[2:]) {
			t.Fatalf("Keys(%.40q): bad key %q", in, k)
		}
		if slices.Contains(keys[:i], k) {
			t.Fatalf("Keys(%.40q): duplicate key %q", in, k)
		}
	}
	if exact != len(toks) || (len(toks) > 0 && phonetic == 0) {
		t.Fatalf("Keys(%.40q) = %q: want one exact key per token and phonetic keys", in, keys)
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		// Given and family names swap places.
		{"Mukendi Jean", "Jean Mukendi", 1},
		{"Kabila Kabange Joseph", "Joseph Kabila Kabange", 1},
		{"MUKENDI, Jean-Pierre", "Jean Pierre Mukendi", 1},
		// Another spelling of a token scores 0.9.
		{"Mwamba Jean", "Jean Mouamba", 0.95},
		{"Tshisekedi", "Chisekedi", 0.9},
		// A typo in a long token scores 0.7, in a short one nothing.
		{"Jean Mukendi", "Jean Mukendo", 0.85},
		{"Mukendi", "Mukandi", 0.7},
		{"Kabe", "Kabi", 0},
		// A name contained in another.
		{"Jean", "Jean Mukendi", 1},
		// Different persons.
		{"Jean Mukendi", "Pierre Kabila", 0},
		{"Mbuyi Kazadi", "Mbaya Kasongo", 0},
		{"Ilunga Kalala", "Ilonga Kalonda", 0.35},
		{"Mukendi Jean", "Mukenge Jeanne", 0},
		// Pairing is one to one and the best one: a greedy pairing would
		// give mwamba = mwamba and leave mwambe alone (0.5).
		{"Mwamba Mwambe", "Mwamba Mouamba", 0.8},
		// ... so one token cannot vouch for two.
		{"Ilunga Ilonga", "Ilunga Kabila", 0.5},
		// No letters.
		{"", "Jean", 0},
		{"123", "", 0},
	}
	for _, tt := range tests {
		got := names.Similarity(tt.a, tt.b)
		if got != tt.want {
			t.Errorf("Similarity(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if rev := names.Similarity(tt.b, tt.a); rev != got {
			t.Errorf("Similarity not symmetric on %q, %q: %v and %v", tt.a, tt.b, got, rev)
		}
	}
	// The thresholds the brief promises, on their own.
	if s := names.Similarity("Kabila Joseph", "Joseph Kabilla"); s < 0.7 {
		t.Errorf("one typo scores %v, want at least 0.7", s)
	}
	if s := names.Similarity("Mbuyi Kasongo Marie", "Ilunga Kabeya Pascal"); s >= 0.5 {
		t.Errorf("different persons score %v, want less than 0.5", s)
	}
}

func TestSimilarityHostile(t *testing.T) {
	inputs := hostileInputs()
	for i, a := range inputs {
		for _, b := range inputs[i:] {
			if s := names.Similarity(a, b); s < 0 || s > 1 {
				t.Fatalf("Similarity(%.40q, %.40q) = %v, out of [0, 1]", a, b, s)
			}
		}
	}
}

func BenchmarkKeys(b *testing.B) {
	for b.Loop() {
		names.Keys("Jean-Pierre Mukendi Tshisekedi")
	}
}

func BenchmarkSimilarity(b *testing.B) {
	for b.Loop() {
		names.Similarity("Mukendi Jean Kabila", "Jean Moukendi Kabilla")
	}
}
