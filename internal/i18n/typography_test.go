// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"strings"
	"testing"
	"unicode"
)

const (
	nbsp  = '\u00a0' // no-break space, before a colon
	nnbsp = '\u202f' // narrow no-break space, before ; ! ? and inside « »
)

// TestFrenchTypography holds the French catalog to the rules written at
// its top: typographic apostrophes, « » with narrow no-break spaces, a
// no-break space before a colon and a narrow one before ; ! ?. Breakable
// spaces there would let a browser put the punctuation alone at the start
// of a line.
func TestFrenchTypography(t *testing.T) {
	c := rawCatalog(t, FR)
	for _, id := range sortedKeys(c) {
		for form, s := range c[id] {
			for _, p := range frenchProblems(actionRe.ReplaceAllString(s, "X")) {
				t.Errorf("fr: %s (%s): %s in %q", id, form, p, s)
			}
		}
	}
}

// frenchProblems lists the typography rules that s breaks.
func frenchProblems(s string) []string {
	var out []string
	if strings.ContainsRune(s, '\'') {
		out = append(out, "ASCII apostrophe (write ’)")
	}
	if strings.ContainsRune(s, '"') || strings.ContainsAny(s, "“”") {
		out = append(out, "English quotes (write « »)")
	}
	r := []rune(s)
	for i, c := range r {
		var prev, next rune
		if i > 0 {
			prev = r[i-1]
		}
		if i+1 < len(r) {
			next = r[i+1]
		}
		switch c {
		case '«':
			if next != nnbsp {
				out = append(out, "« without a narrow no-break space after it")
			}
		case '»':
			if prev != nnbsp {
				out = append(out, "» without a narrow no-break space before it")
			}
		case ';', '!', '?':
			if prev != nnbsp {
				out = append(out, string(c)+" without a narrow no-break space before it")
			}
		case ':':
			// A colon inside a token (09:30:00Z, https:) takes no space.
			inToken := prev != 0 && !unicode.IsSpace(prev) && next != 0 && !unicode.IsSpace(next)
			if prev != nbsp && !inToken {
				out = append(out, ": without a no-break space before it")
			}
		}
	}
	return out
}

// TestFrenchTypographyCheck makes sure the check itself catches the
// usual mistakes, so that a clean run means something.
func TestFrenchTypographyCheck(t *testing.T) {
	bad := []string{
		"l'heure",
		`le "code"`,
		"« code »",
		"Mot de passe :",
		"Mot de passe:",
		"Pourquoi ?",
		"a ; b",
	}
	for _, s := range bad {
		if len(frenchProblems(s)) == 0 {
			t.Errorf("%q passes the check", s)
		}
	}
	good := []string{
		"l’heure",
		"«\u202fcode\u202f»",
		"Mot de passe\u00a0:",
		"Pourquoi\u202f?",
		"a\u202f; b",
		"2026-01-31T09:30:00Z",
	}
	for _, s := range good {
		if p := frenchProblems(s); len(p) != 0 {
			t.Errorf("%q: %v", s, p)
		}
	}
}

// TestNoASCIIApostropheInEnglish keeps the two catalogs in one style.
func TestNoASCIIApostropheInEnglish(t *testing.T) {
	c := rawCatalog(t, EN)
	for _, id := range sortedKeys(c) {
		for form, s := range c[id] {
			if strings.ContainsRune(s, '\'') {
				t.Errorf("en: %s (%s): ASCII apostrophe (write ’) in %q", id, form, s)
			}
		}
	}
}
