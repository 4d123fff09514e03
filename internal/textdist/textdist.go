// SPDX-License-Identifier: AGPL-3.0-or-later

// Package textdist measures how far apart two short texts are, to suggest
// the column or field a person probably meant ("did you mean …?").
package textdist

// MaxLen bounds the texts compared: longer ones (hostile input) are
// reported as far from everything instead of costing quadratic time.
const MaxLen = 200

// Levenshtein is the edit distance between a and b, counted in runes;
// texts over MaxLen runes are at distance MaxLen+len.
func Levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > MaxLen || len(rb) > MaxLen {
		return MaxLen + len(ra) + len(rb)
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
