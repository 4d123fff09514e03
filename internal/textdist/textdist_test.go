// SPDX-License-Identifier: AGPL-3.0-or-later

package textdist

import (
	"strings"
	"testing"
)

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"citizenship", "citizenshp", 1}, {"prs_FirstName", "prs_Firstname", 1},
		{"Élodie", "Elodie", 1}, {"gender", "sex", 5}, {"abc", "", 3},
	}
	for _, tt := range tests {
		if got := Levenshtein(tt.a, tt.b); got != tt.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if Levenshtein(strings.Repeat("a", 100000), "a") <= MaxLen {
		t.Error("a hostile long text must be far from everything")
	}
}
