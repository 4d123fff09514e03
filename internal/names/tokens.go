// SPDX-License-Identifier: AGPL-3.0-or-later

// Package names normalises personal names and derives the search keys of
// French and Congolese (Lingala, Swahili, Kikongo, Tshiluba) names, so that
// the spellings of one spoken name that clerks in the DRC actually write
// (Mwamba, Mouamba, Muamba; Tshisekedi, Chisekedi, Tchisekedi) find each
// other through a blind index, while different names stay apart.
//
// Everything here is deterministic and free of locale or configuration:
// the keys are hashed into a persistent index, so a change of output is a
// change of index format and requires re-indexing every record.
package names

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const (
	// MaxTokenLen bounds one token in bytes (tokens are ASCII): no real
	// name part comes near it, and it keeps keys and distances cheap on
	// hostile input.
	MaxTokenLen = 64
	// MaxTokens bounds the tokens of one name: a full name with given,
	// middle, post-name and family names has well under ten parts.
	MaxTokens = 16
)

// particles are the words dropped from a name that has other tokens: they
// link name parts rather than name a person, and clerks write them
// inconsistently ("Marie de la Croix" / "Marie Croix"; "Kalala wa Kalala"
// / "Kalala Kalala").
//   - French: de, du, des, la, le, and the elided d' and l' (d'Almeida,
//     l'Hermite), which Tokens splits off as "d" and "l".
//   - Congolese connectives (Lingala, Swahili, Kikongo, Tshiluba
//     genitive and associative markers "of", "and"): wa, ya, na, ka, za.
//     Longer words such as "mwana" (child) are names in their own right
//     and are kept.
var particles = map[string]bool{
	"de": true, "du": true, "des": true, "la": true, "le": true, "d": true, "l": true,
	"wa": true, "ya": true, "na": true, "ka": true, "za": true,
}

// foldSpecial spells in ASCII the letters that NFKD does not decompose:
// ligatures and letters with a stroke or a different base shape.
var foldSpecial = map[rune]string{
	'œ': "oe", // Œuvray, Cœur: French ligature
	'æ': "ae", // Lætitia
	'ß': "ss", // German names in church and colonial records
	'ø': "o", 'đ': "d", 'ð': "d", 'ł': "l", 'þ': "th",
	'ı': "i", // dotless i: Turkish spellings of Arabic names (Aydın)
	// Letters of the standard Lingala and Kikongo orthographies (open e
	// and open o) and of some Bantu orthographies (eng): "Mokɛ" is the
	// same name as "Moke" written by a French-schooled clerk.
	'ɛ': "e", 'ɔ': "o", 'ŋ': "ng",
}

// isApostrophe reports the characters typed for an apostrophe: the ASCII
// one, typographic quotes inserted by word processors, the modifier letter
// used in Swahili "ng'ombe", and the grave and acute accents that some
// keyboards produce instead. The acute accent must be caught before NFKD,
// which turns it into a space plus a combining mark and so would split
// "N´Djili".
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '\u00B4', '\u2018', '\u2019', '\u201B', '\u02BC', '\u02BB', '\u2032', '\uFF07':
		return true
	}
	return false
}

// runeClass is what a character means to the tokenizer.
type runeClass int

const (
	classSeparator  runeClass = iota // spaces, hyphens, digits, punctuation, invalid bytes
	classLetter                      // a-z, appended to the token
	classApostrophe                  // joins (N'Djili) or splits after an elision (d'Almeida)
	classIgnored                     // invisible or unspellable: removed without splitting
)

// foldRune calls emit with the class of r and, for letters, its ASCII
// lower-case spelling (possibly several letters: œ → oe). Decomposition is
// per rune: NFKD of a string is the concatenation of the decompositions of
// its runes up to the order of combining marks, and all marks are removed.
func foldRune(r rune, emit func(runeClass, string)) {
	if r < utf8.RuneSelf {
		emit(asciiClass(byte(r)))
		return
	}
	if isApostrophe(r) {
		emit(classApostrophe, "")
		return
	}
	r = unicode.ToLower(r)
	if s, ok := foldSpecial[r]; ok {
		emit(classLetter, s)
		return
	}
	var in [utf8.UTFMax]byte
	var out [4 * utf8.UTFMax]byte
	dec := norm.NFKD.Append(out[:0], utf8.AppendRune(in[:0], r)...)
	for len(dec) > 0 {
		d, n := utf8.DecodeRune(dec)
		dec = dec[n:]
		switch {
		case d < utf8.RuneSelf:
			// é → e + U+0301, ﬁ → fi, Ｋ (full width) → K, ŉ → ʼn.
			emit(asciiClass(byte(d)))
		case isApostrophe(d):
			emit(classApostrophe, "")
		case foldSpecial[unicode.ToLower(d)] != "":
			emit(classLetter, foldSpecial[unicode.ToLower(d)])
		case unicode.In(d, unicode.Mn, unicode.Mc, unicode.Me):
			// The accents themselves: é → e, ç → c, ï → i.
			emit(classIgnored, "")
		case unicode.Is(unicode.Cf, d):
			// Zero-width joiners and spaces, soft hyphens, bidi overrides
			// (U+202E), byte-order marks: invisible, so "Kaba\u200Bsele"
			// must stay "kabasele" rather than become two tokens that
			// escape duplicate detection.
			emit(classIgnored, "")
		case unicode.IsLetter(d):
			// Letters of other scripts have no agreed Latin spelling here;
			// they are dropped rather than split the token they sit in.
			emit(classIgnored, "")
		default:
			emit(classSeparator, "")
		}
	}
}

// asciiLetters spells each ASCII lower-case letter as a one-byte string,
// so that emitting a letter does not allocate.
var asciiLetters = func() (t [26]string) {
	for i := range t {
		t[i] = string(rune('a' + i))
	}
	return t
}()

func asciiClass(c byte) (runeClass, string) {
	switch {
	case c >= 'a' && c <= 'z':
		return classLetter, asciiLetters[c-'a']
	case c >= 'A' && c <= 'Z':
		return classLetter, asciiLetters[c-'A']
	case c == '\'' || c == '`':
		return classApostrophe, ""
	}
	// Digits ("Mbuyi 2"), hyphens (Jean-Pierre), dots (J.-P.), spaces,
	// control characters.
	return classSeparator, ""
}

// Tokens splits a full name (given, middle and family names joined by
// spaces, or any one of them) into normalised tokens:
//
//   - compatibility decomposition (NFKD) with every combining mark removed
//     (é → e, ç → c, ï → i), then lower case; ligatures and other letters
//     NFKD keeps are spelled out (œ → oe, æ → ae, ß → ss, Lingala ɛ → e,
//     ɔ → o); letters that have no ASCII spelling are dropped;
//   - spaces, hyphens, digits, punctuation and control characters separate
//     tokens ("Jean-Pierre" → jean, pierre); invisible format characters
//     (zero-width joiners, bidi overrides, soft hyphens) are removed;
//   - an apostrophe joins ("N'Djili" → ndjili, "Ng'ombe" → ngombe: the
//     apostrophe marks a syllabic nasal, not a word boundary), except after
//     the French elided articles d' and l', which become the tokens "d"
//     and "l" ("d'Almeida" → d, almeida);
//   - particles (de, du, des, la, le, d, l; wa, ya, na, ka, za) are dropped
//     when the name has any other token ("Marie de la Croix" → marie,
//     croix; "Kalala wa Kalala" → kalala); a name made only of particles
//     keeps them;
//   - duplicates are removed, first occurrence kept; tokens are cut at
//     MaxTokenLen bytes and at most MaxTokens tokens are returned.
//
// It returns nil when the name has no letter. Tokens never panics, on any
// input including invalid UTF-8, and its work is linear in the input.
// Tokens is idempotent: Tokens(strings.Join(Tokens(s), " ")) == Tokens(s).
func Tokens(name string) []string {
	var (
		kept, parts []string // distinct non-particle and particle tokens, in order
		buf         [MaxTokenLen]byte
		n           int // bytes of the current token in buf
		full        bool
	)
	flush := func() {
		if n == 0 {
			return
		}
		t := string(buf[:n])
		n = 0
		if particles[t] {
			if len(kept) == 0 && !contains(parts, t) {
				parts = append(parts, t)
			}
			return
		}
		if !contains(kept, t) {
			kept = append(kept, t)
			full = len(kept) == MaxTokens
		}
	}
	emit := func(c runeClass, s string) {
		switch c {
		case classLetter:
			n += copy(buf[n:], s) // copy stops at MaxTokenLen: the cut
		case classApostrophe:
			if n == 1 && (buf[0] == 'd' || buf[0] == 'l') {
				flush()
			}
		case classSeparator:
			flush()
		}
	}
	for _, r := range name {
		foldRune(r, emit)
		if full {
			// Nothing later can change the result: particles are dropped
			// and the token budget is spent. Stops work on huge input.
			return kept
		}
	}
	flush()
	if len(kept) > 0 {
		return kept
	}
	if len(parts) > MaxTokens {
		parts = parts[:MaxTokens]
	}
	return parts
}

func contains(list []string, s string) bool {
	for _, t := range list {
		if t == s {
			return true
		}
	}
	return false
}

// foldToken folds s the way Tokens folds one token, but keeps every letter
// in one word (separators and apostrophes removed) and cuts it at
// MaxTokenLen, so that Phonetic accepts raw text as well as tokens.
func foldToken(s string) []byte {
	out := make([]byte, 0, min(len(s), MaxTokenLen))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			continue
		}
		// Slow path: s is not already a token.
		out = append(out, s[:min(i, MaxTokenLen)]...)
		emit := func(c runeClass, l string) {
			if c == classLetter && len(out) < MaxTokenLen {
				out = append(out, l[:min(len(l), MaxTokenLen-len(out))]...)
			}
		}
		for _, r := range s[i:] {
			foldRune(r, emit)
			if len(out) == MaxTokenLen {
				break
			}
		}
		return out
	}
	return append(out, s[:min(len(s), MaxTokenLen)]...)
}
