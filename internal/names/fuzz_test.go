// SPDX-License-Identifier: AGPL-3.0-or-later

package names_test

import (
	"slices"
	"strings"
	"testing"

	"vigie/internal/names"
)

var fuzzSeeds = []string{
	"", "Jean-Pierre Mukendi", "Thérèse Mbuyi", "Marie de la Croix", "Kalala wa Kalala",
	"N'Djili", "d'Almeida", "De La", "Œuvray Lætitia Straße", "Mokɛ Ngɔmbɛ", "Ŋgalula",
	"Kaba\u200Bsele \u202EKabila", "\xff\xfeKabila\xc3", "Tshisekedi Tchisekedi Chisekedi",
	"Mwamba Mouamba", "Leroux Delacroix Félix", "xxxxxxxx", "hhh", "tsch", "aizai", "eaib",
	"Kazadi Nzuzi", "Mbaya Kayembe", "Lamberts Jacques", "Ｋａｂｉｌａ ﬁ", "ﷺ", "\u0301",
	"qu gu gue ph dj ou w y x", "a b c d e f g h i j k l m n o p q r s t u v w x y z",
}

// FuzzTokens checks Tokens' invariants, its idempotence, and that Keys and
// Similarity hold theirs on the same input.
func FuzzTokens(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := names.Tokens(s)
		checkTokens(t, s, toks)
		if again := names.Tokens(strings.Join(toks, " ")); !slices.Equal(again, toks) {
			t.Fatalf("Tokens(%q) = %q, but tokens of its join = %q", s, toks, again)
		}
		checkKeys(t, s, names.Keys(s))
		sim := names.Similarity(s, s)
		if len(toks) > 0 && sim != 1 || len(toks) == 0 && sim != 0 {
			t.Fatalf("Similarity(%q, itself) = %v", s, sim)
		}
		rev := slices.Clone(toks)
		slices.Reverse(rev)
		if other := names.Similarity(s, strings.Join(rev, " ")); other != sim {
			t.Fatalf("Similarity(%q) with its tokens reversed = %v, want %v", s, other, sim)
		}
		if other := names.Similarity(s, "Jean Mukendi"); other < 0 || other > 1 {
			t.Fatalf("Similarity(%q, Jean Mukendi) = %v, out of [0, 1]", s, other)
		}
	})
}

// FuzzPhonetic checks that Phonetic's key is lower-case ASCII, bounded,
// non-empty when the input has a letter, idempotent, and the same for a
// token and its upper-case spelling.
func FuzzPhonetic(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := names.Phonetic(s)
		checkPhonetic(t, s, p)
		for _, tok := range names.Tokens(s) {
			k := names.Phonetic(tok)
			checkPhonetic(t, tok, k)
			if k == "" {
				t.Fatalf("Phonetic(%q) is empty", tok)
			}
			if u := names.Phonetic(strings.ToUpper(tok)); u != k {
				t.Fatalf("Phonetic(%q) = %q but Phonetic of its upper case = %q", tok, k, u)
			}
		}
	})
}
