// SPDX-License-Identifier: AGPL-3.0-or-later

package names_test

import (
	"slices"
	"strings"
	"testing"

	"vigie/internal/names"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		// Accents, case, ligatures and letters NFKD keeps.
		{"accents", "Thérèse Mbuyi", []string{"therese", "mbuyi"}},
		{"cedilla and diaeresis", "François Noël Zoë Çelik", []string{"francois", "noel", "zoe", "celik"}},
		{"upper case", "ÉLODIE KABILA", []string{"elodie", "kabila"}},
		{"ligatures", "Œuvray Lætitia Straße", []string{"oeuvray", "laetitia", "strasse"}},
		{"capital ligature", "ŒDIPE", []string{"oedipe"}},
		{"lingala open vowels", "Mokɛ Ngɔmbɛ", []string{"moke", "ngombe"}},
		{"eng", "Ŋgalula", []string{"nggalula"}},
		{"compatibility forms", "Ｋａｂｉｌａ ﬁfi", []string{"kabila", "fifi"}},
		{"dotted capital I", "İlunga", []string{"ilunga"}},
		// Separators.
		{"hyphen", "Jean-Pierre Mukendi", []string{"jean", "pierre", "mukendi"}},
		{"initials", "J.-P. Mukendi", []string{"j", "p", "mukendi"}},
		{"digits", "Mbuyi2 3Kabila 1971", []string{"mbuyi", "kabila"}},
		{"punctuation", "Kabila, Joseph (Kabange)", []string{"kabila", "joseph", "kabange"}},
		{"emoji", "Kazadi 🙂 Ilunga", []string{"kazadi", "ilunga"}},
		// Apostrophes.
		{"syllabic nasal", "N'Djili", []string{"ndjili"}},
		{"typographic apostrophe", "N’Galula", []string{"ngalula"}},
		{"acute accent as apostrophe", "N´Djili", []string{"ndjili"}},
		{"modifier apostrophe", "Ngʼombe", []string{"ngombe"}},
		{"elided de", "d'Almeida", []string{"almeida"}},
		{"elided le", "Jean l’Hermite", []string{"jean", "hermite"}},
		{"elision only at token start", "Sald'Ana", []string{"saldana"}},
		// Particles.
		{"french particles", "Marie de la Croix", []string{"marie", "croix"}},
		{"more french particles", "Charles du Pont des Champs le Grand", []string{"charles", "pont", "champs", "grand"}},
		{"congolese connective", "Kalala wa Kalala", []string{"kalala"}},
		{"congolese connectives", "Ilunga na Kazadi ka Mulumba za Kabila ya Mbuyi", []string{"ilunga", "kazadi", "mulumba", "kabila", "mbuyi"}},
		{"mwana is a name", "Mwana Kabila", []string{"mwana", "kabila"}},
		{"particles are case-folded", "Marie DE LA Croix", []string{"marie", "croix"}},
		{"only particles", "De La", []string{"de", "la"}},
		{"only particles deduplicated", "wa ya WA", []string{"wa", "ya"}},
		{"only an elision", "d'", []string{"d"}},
		// Duplicates.
		{"duplicates", "Kabila KABILA kabíla", []string{"kabila"}},
		// Nothing to keep.
		{"empty", "", nil},
		{"spaces", "  \t ", nil},
		{"digits only", "123 456", nil},
		{"punctuation only", "-- ' .", nil},
		{"other script only", "Кабила", nil},
		// Hostile input.
		{"zero-width space", "Kaba\u200Bsele", []string{"kabasele"}},
		{"zero-width joiners", "Ka\u200Dbi\u200Cla", []string{"kabila"}},
		{"rtl override", "\u202EalibaK Mbuyi\u202C", []string{"alibak", "mbuyi"}},
		{"bidi isolates", "\u2067Kabila\u2069", []string{"kabila"}},
		{"byte order mark", "\uFEFFKabila", []string{"kabila"}},
		{"soft hyphen", "Ilunga\u00ADKazadi", []string{"ilungakazadi"}},
		{"control characters", "Mbuyi\x00Kabila\tJean\nPierre\r\x7f", []string{"mbuyi", "kabila", "jean", "pierre"}},
		{"invalid utf-8", "\xff\xfeKabila\xc3 Mbuyi\xe2\x82", []string{"kabila", "mbuyi"}},
		{"cyrillic look-alike dropped", "Kаbila", []string{"kbila"}},
		{"lone combining marks", "\u0301\u0308Kabila", []string{"kabila"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := names.Tokens(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokensBounds(t *testing.T) {
	long := strings.Repeat("a", 100) + strings.Repeat("b", 100)
	if got := names.Tokens(long); len(got) != 1 || got[0] != strings.Repeat("a", names.MaxTokenLen) {
		t.Errorf("a 200-letter token gives %q, want it cut at %d bytes", got, names.MaxTokenLen)
	}
	// Two tokens equal in their first 64 bytes are one token once cut.
	if got := names.Tokens(long + " " + strings.Repeat("a", 70)); len(got) != 1 {
		t.Errorf("tokens equal after the cut give %q, want one", got)
	}
	var many []string
	for i := range 20 {
		many = append(many, strings.Repeat(string(rune('a'+i)), 3))
	}
	got := names.Tokens(strings.Join(many, " "))
	if !slices.Equal(got, many[:names.MaxTokens]) {
		t.Errorf("20 tokens give %q, want the first %d", got, names.MaxTokens)
	}
	// Particles before the 16th token do not use up the budget.
	got = names.Tokens("de " + strings.Join(many, " de "))
	if !slices.Equal(got, many[:names.MaxTokens]) {
		t.Errorf("20 tokens with particles give %q, want the first %d", got, names.MaxTokens)
	}
}

// hostileInputs are large or malformed names: Tokens, Phonetic, Keys and
// Similarity must stay bounded on them and never panic.
func hostileInputs() []string {
	var b strings.Builder
	for i := range 10 * 1024 {
		b.WriteRune(rune(i*7919) % 0x10FFFF)
	}
	return []string{
		strings.Repeat("Kabila ", 1500),                             // 10 KB, one token
		strings.Repeat("x", 10*1024),                                // 10 KB, one token of x
		strings.Repeat("é\u0301\u0308", 2000),                       // marks stacked on marks
		strings.Repeat("\u200D", 5000),                              // only invisible characters
		strings.Repeat("\u202E", 3000) + "Mbuyi",                    // bidi overrides
		strings.Repeat("\xff", 10*1024),                             // invalid UTF-8
		strings.Repeat("de ", 3000),                                 // only particles
		strings.Repeat("Ng'", 3000),                                 // apostrophes
		b.String(),                                                  // every plane, surrogates included
		strings.Repeat("ﷺ", 3000),                                   // the longest NFKD expansion
		strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789", 300), // many distinct tokens
	}
}

func TestTokensHostile(t *testing.T) {
	for _, in := range hostileInputs() {
		got := names.Tokens(in)
		checkTokens(t, in, got)
	}
}

// checkTokens asserts the invariants of Tokens' output.
func checkTokens(t *testing.T, in string, got []string) {
	t.Helper()
	if len(got) > names.MaxTokens {
		t.Fatalf("Tokens(%.40q): %d tokens, more than %d", in, len(got), names.MaxTokens)
	}
	allParticles := true
	for i, tok := range got {
		if tok == "" || len(tok) > names.MaxTokenLen || !isLowerASCII(tok) {
			t.Fatalf("Tokens(%.40q): bad token %q", in, tok)
		}
		if slices.Contains(got[:i], tok) {
			t.Fatalf("Tokens(%.40q): duplicate %q in %q", in, tok, got)
		}
		if !isParticle(tok) {
			allParticles = false
		}
	}
	if !allParticles {
		for _, tok := range got {
			if isParticle(tok) {
				t.Fatalf("Tokens(%.40q) = %q keeps particle %q beside other tokens", in, got, tok)
			}
		}
	}
}

func isParticle(s string) bool {
	switch s {
	case "de", "du", "des", "la", "le", "d", "l", "wa", "ya", "na", "ka", "za":
		return true
	}
	return false
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
