// SPDX-License-Identifier: AGPL-3.0-or-later

package names

import (
	"slices"
	"strings"
)

// PairPrefix marks a key made of two phonetic keys of one name.
const PairPrefix = "q:"

// maxPairTokens bounds the tokens whose pairs are indexed: a name of ten
// tokens would otherwise give 45 keys, and the first tokens are the ones
// people type.
const maxPairTokens = 6

// PairKeys returns the keys of the unordered pairs of a name's distinct
// phonetic keys ("Jean Mukendi" gives one key for {jan, mukendi}).
//
// Why: many names are made only of common tokens (Jean, Marie, Mukendi,
// Kabila), each shared by tens of thousands of persons in a national
// registry. Any one token's list is then too long to read for a search,
// but the pair is rare: the index holds the intersection ready-made. The
// pair is unordered and phonetic so that "Mukendi Jean" and "Jean
// Moukendi" find it too.
func PairKeys(name string) []string {
	var ph []string
	for _, t := range Tokens(name) {
		if p := Phonetic(t); p != "" && !slices.Contains(ph, p) {
			ph = append(ph, p)
			if len(ph) == maxPairTokens {
				break
			}
		}
	}
	if len(ph) < 2 {
		return nil
	}
	out := make([]string, 0, len(ph)*(len(ph)-1)/2)
	for i := range ph {
		for j := i + 1; j < len(ph); j++ {
			a, b := ph[i], ph[j]
			if b < a {
				a, b = b, a
			}
			// The separator cannot occur in a phonetic key (letters only).
			out = append(out, PairPrefix+a+"+"+b)
		}
	}
	return out
}

// IsPairKey tells a pair key from a token key.
func IsPairKey(k string) bool { return strings.HasPrefix(k, PairPrefix) }
