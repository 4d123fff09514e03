// SPDX-License-Identifier: AGPL-3.0-or-later

package names

import (
	"math"

	"vigie/internal/textdist"
)

// Key prefixes keep exact and phonetic keys apart in one blind index: the
// token "muamba" and the phonetic key "muamba" of "Mwamba" are different
// evidence.
const (
	ExactPrefix    = "x:"
	PhoneticPrefix = "p:"
)

// Keys returns the distinct search keys of a full name for a blind index:
// for each token t of Tokens(name), in order, ExactPrefix+t then
// PhoneticPrefix+Phonetic(t), each key kept only at its first occurrence
// ("Mwamba Mouamba" gives one phonetic key "p:muamba"). It returns nil for
// a name without letters. The order depends only on the name, so the keys
// of a record are reproducible.
func Keys(name string) []string {
	toks := Tokens(name)
	if len(toks) == 0 {
		return nil
	}
	keys := make([]string, 0, 2*len(toks))
	for _, t := range toks {
		// Exact keys are distinct because tokens are.
		keys = append(keys, ExactPrefix+t)
		if p := PhoneticPrefix + Phonetic(t); !contains(keys, p) {
			keys = append(keys, p)
		}
	}
	return keys
}

// Scores of a pair of tokens, in tenths so that the assignment below
// works on integers.
const (
	scoreExact    = 10 // same token
	scorePhonetic = 9  // same phonetic key: another spelling of the name
	scoreTypo     = 7  // one edit apart: a typing error in a long token
	scoreScale    = 10
	// typoMinLen is the shortest token for which one edit is read as a
	// typo: among short tokens one letter is often the whole difference
	// between two names (Kabe / Kabi, Jean / Jan).
	typoMinLen = 5
)

// tokenScore scores two tokens whose phonetic keys are pa and pb.
func tokenScore(a, b, pa, pb string) int {
	switch {
	case a == b:
		return scoreExact
	case pa == pb:
		return scorePhonetic
	case len(a) >= typoMinLen && len(b) >= typoMinLen && textdist.Levenshtein(a, b) == 1:
		return scoreTypo
	}
	return 0
}

// Similarity scores how likely two full names denote the same person, in
// [0, 1]. Each token of the name with fewer tokens is paired with a
// distinct token of the other, and the pairs are scored: the same token 1,
// the same phonetic key 0.9, tokens of at least 5 letters one edit apart
// 0.7, otherwise 0. The result is the best total over all pairings
// divided by the number of tokens of the shorter name.
//
// Pairing ignores order, because French and Congolese usage put the given
// name on either side of the family name ("Mukendi Jean" and "Jean
// Mukendi" score 1). Pairing is one to one, so a single token of one name
// cannot vouch for two of the other. A name contained in another scores 1
// ("Jean" against "Jean Mukendi"): callers that want more evidence should
// also weigh the token counts. Names without letters score 0.
func Similarity(a, b string) float64 {
	ta, tb := Tokens(a), Tokens(b)
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	if len(ta) == 0 {
		return 0
	}
	pa, pb := phonetics(ta), phonetics(tb)
	score := make([][]int, len(ta))
	for i := range ta {
		score[i] = make([]int, len(tb))
		for j := range tb {
			score[i][j] = tokenScore(ta[i], tb[j], pa[i], pb[j])
		}
	}
	return float64(bestAssignment(score)) / float64(scoreScale*len(ta))
}

func phonetics(toks []string) []string {
	ps := make([]string, len(toks))
	for i, t := range toks {
		ps[i] = Phonetic(t)
	}
	return ps
}

// bestAssignment returns the largest total score of a one-to-one pairing
// of every row with a distinct column (rows ≤ columns), by the Hungarian
// algorithm on costs −score. Matrices here are at most MaxTokens square,
// so its O(rows²·columns) is a few thousand steps, and unlike a greedy
// pairing it cannot be misled: with rows mwamba, mwambe and columns
// mwamba, mouamba, taking mwamba = mwamba first leaves mwambe unmatched
// (total 1.0), while mwamba ≈ mouamba and mwambe ≈ mwamba give 1.6.
func bestAssignment(score [][]int) int {
	n, m := len(score), len(score[0])
	const inf = math.MaxInt / 2
	// 1-based potentials u (rows) and v (columns); match[j] is the row
	// paired with column j, 0 for none; column 0 is the algorithm's
	// virtual start.
	u, v := make([]int, n+1), make([]int, m+1)
	match, way := make([]int, m+1), make([]int, m+1)
	minv, used := make([]int, m+1), make([]bool, m+1)
	for i := 1; i <= n; i++ {
		match[0] = i
		j0 := 0
		for j := range minv {
			minv[j], used[j] = inf, false
		}
		for {
			used[j0] = true
			i0, delta, j1 := match[j0], inf, 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				if cur := -score[i0-1][j-1] - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[match[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if match[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			match[j0] = match[j1]
			j0 = j1
		}
	}
	total := 0
	for j := 1; j <= m; j++ {
		if match[j] != 0 {
			total += score[match[j]-1][j-1]
		}
	}
	return total
}
