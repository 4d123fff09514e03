// SPDX-License-Identifier: AGPL-3.0-or-later

package names

import "bytes"

// maxPasses bounds the passes of settle. Every pass that changes its input
// strictly lowers 2·length + 3·(number of x) + (number of c, q, w, y, z):
// x → ks trades an x for one more letter, every other rule either shortens
// the word or replaces a c, q, w, y or z by a letter none of the rules
// produces. A token of MaxTokenLen letters therefore settles in far fewer
// passes than this; the bound only guards against a future rule that
// breaks the argument.
const maxPasses = 6 * MaxTokenLen

// Phonetic returns the phonetic key of one token (an element of Tokens'
// output), such that the spellings of one spoken name common in the DRC
// and in French give the same key: Mwamba, Mouamba and Muamba give
// "muamba"; Tshisekedi, Chisekedi and Tchisekedi give "shisekedi".
//
// The key is built by the passes described in pass, repeated until the
// word no longer changes, so Phonetic is idempotent:
// Phonetic(Phonetic(t)) == Phonetic(t). The key is lower-case ASCII of at
// most MaxTokenLen bytes, and it is empty only when the input has no
// letter at all. A key that the rules would empty (the token "h") falls
// back to the token itself.
//
// Any other text is folded as Tokens folds one token (accents stripped,
// non-letters removed, cut at MaxTokenLen), so Phonetic("Thérèse") ==
// Phonetic("therese"); Phonetic never panics.
func Phonetic(token string) string {
	t := foldToken(token)
	if len(t) == 0 {
		return ""
	}
	k := settle(t)
	if len(k) > MaxTokenLen {
		// Only x → ks lengthens a word. The cut word may not be settled
		// (it can end in a silent consonant), so settle it again; no x is
		// left, so it cannot grow back.
		k = settle(k[:MaxTokenLen])
	}
	if len(k) == 0 {
		return string(t)
	}
	return string(k)
}

// settle applies pass until a fixed point.
func settle(w []byte) []byte {
	for range maxPasses {
		next := pass(w)
		if bytes.Equal(next, w) {
			return w
		}
		w = next
	}
	return w
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// pass applies the rules once, in this order, to a word of letters a-z:
//
//  1. Spellings, left to right, longest match first:
//     - "tsh", "tch", "tsch", and "ch" not before a consonant → "sh": the
//     Tshiluba /tʃ/ written tsh, its French spelling tch, the French ch
//     and the Swahili sh all name one sound class (Tshisekedi =
//     Tchisekedi = Chisekedi; Swahili Shabani = French Chabani;
//     Tshombe = German Tschombe). "sh" is kept as the class's spelling
//     because it is also its own key (idempotence).
//     - "ch" before a consonant → "k": the French learned ch of Greek
//     names (Christophe = Kristophe, Christine, Chloé).
//     - "dj" → "j": French spelling of /dʒ/, which Congolese orthographies
//     write j (Djuma = Juma, Kalondji = Kalonji).
//     - "ph" → "f" (Philippe = Filipe, Joseph = Josef).
//     - "ou" → "u": French spelling of /u/ (Mouamba = Muamba,
//     Loumoumba = Lumumba, Moutombo = Mutombo).
//     - "qu" and "q" → "k" (Quentin = Kentin, Jacques = Jacque).
//     - "gu" before e, i, y → "g": French clerks write a hard g before e
//     as gue (Mukengue = Mukenge); Congolese g is always hard, so g
//     itself never becomes j (Mukenge ≠ Mukenje).
//     - "c" before e, i, y → "s", other "c" → "k" (Cécile = Sécile,
//     Patrick = Patrik = Patric; "ck" becomes "kk", collapsed below).
//     - "x" → "ks" (Félix = Feliks), except a silent final x (see
//     silentX), left for step 5 (Leroux, Delacroix).
//     - "w" → "u": the glide of Mwamba is written ou or u by French
//     clerks (Mwamba = Mouamba = Muamba, Kwete = Kouete, Wemba = Ouemba).
//     - "y" → "i" (Ylunga = Ilunga, Henry = Henri, Ngoy = Ngoi).
//     - "h" is dropped except after s: silent in French (Thérèse =
//     Térèse, Mohamed = Moamed, Henri = Enri), and "kh" is thereby k.
//  2. "ai" and "ei" not followed by a vowel → "e": French spellings of
//     /ɛ/ (Claire = Clère; Zainabu = Zeinabu = Zenabu). Before a vowel the
//     i is a glide that separates syllables (Mbaya → mbaia, Kayembe →
//     kaiembe) and is kept, or Kayembe would equal Kembe. The cost: a
//     Bantu a-i sequence before a consonant merges too (Saidi = Sedi).
//  3. "z" between vowels → "s": in French an s between vowels is
//     voiced, so a clerk writes the /z/ he hears as s (Kazadi = Kasadi,
//     Mouzinga = Musinga). Elsewhere z is kept: Congolese nz is its own
//     consonant (Nzuzi ≠ Nsusi).
//  4. Doubled letters are collapsed: they do not change the spoken name
//     (Kassongo = Kasongo, Kabaselle = Kabasele, Mbuyyi = Mbuyi; with
//     y → i, Nkoyi = Nkoy). A doubled letter that hides a pattern of
//     steps 2 and 3 ("aii" + consonant, "azza") is caught by the next
//     pass.
//  5. French silent endings, only in words longer than 4 letters (in a
//     short word the last letter is too large a share of the name: Said,
//     Yves, Luis stay whole): a final t or d after a vowel, n or r
//     (Dupont = Dupond = Dupon, Lambert = Lamber, Bernard = Bernar,
//     Durand = Durant), a final s after a vowel (Nicolas = Nicola,
//     Georges = George, Jacques = Jacque) and a silent final x (Leroux =
//     Lerou, Delacroix = Delacroi) are dropped. Congolese names end in
//     vowels, so these rules hardly ever touch them. A final e is never dropped: it is the
//     feminine of French given names (Jean ≠ Jeanne, Louis ≠ Louise,
//     Daniel ≠ Danielle, Simon ≠ Simone), and in Congolese names a final
//     vowel is part of the name (Mutombo ≠ Mutomba, Mbuye ≠ Mbuy).
//
// The initial prenasal n or m is always kept: Nsimba and Simba, Mbala and
// Bala, Nkulu and Kulu are different names. Vowels are otherwise kept
// distinct (Ilunga ≠ Ilonga, Kasongo ≠ Kasanga).
func pass(w []byte) []byte {
	at := func(i int) byte {
		if i < len(w) {
			return w[i]
		}
		return 0
	}
	out := make([]byte, 0, len(w)+bytes.Count(w, []byte{'x'}))
	last := func() byte {
		if len(out) == 0 {
			return 0
		}
		return out[len(out)-1]
	}
	// Step 1.
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch c {
		case 't':
			switch {
			case at(i+1) == 's' && at(i+2) == 'h', at(i+1) == 'c' && at(i+2) == 'h':
				out = append(out, 's', 'h')
				i += 2
			case at(i+1) == 's' && at(i+2) == 'c' && at(i+3) == 'h':
				out = append(out, 's', 'h')
				i += 3
			default:
				out = append(out, c)
			}
		case 'c':
			switch n := at(i + 1); {
			case n == 'h':
				if n2 := at(i + 2); n2 != 0 && !isVowel(n2) && n2 != 'y' && n2 != 'w' && n2 != 'h' {
					out = append(out, 'k')
				} else {
					out = append(out, 's', 'h')
				}
				i++
			case n == 'e' || n == 'i' || n == 'y':
				out = append(out, 's')
			default:
				out = append(out, 'k')
			}
		case 'd':
			if at(i+1) == 'j' {
				i++
				c = 'j'
			}
			out = append(out, c)
		case 'p':
			if at(i+1) == 'h' {
				i++
				c = 'f'
			}
			out = append(out, c)
		case 'o':
			if at(i+1) == 'u' {
				i++
				c = 'u'
			}
			out = append(out, c)
		case 'q':
			if at(i+1) == 'u' {
				i++
			}
			out = append(out, 'k')
		case 'g':
			if n := at(i + 2); at(i+1) == 'u' && (n == 'e' || n == 'i' || n == 'y') {
				i++
			}
			out = append(out, 'g')
		case 'x':
			if i == len(w)-1 && silentX(out) {
				out = append(out, 'x')
			} else {
				out = append(out, 'k', 's')
			}
		case 'w':
			out = append(out, 'u')
		case 'y':
			out = append(out, 'i')
		case 'h':
			if last() == 's' {
				out = append(out, 'h')
			}
		default:
			out = append(out, c)
		}
	}
	// Step 2.
	j := 0
	for i := 0; i < len(out); i++ {
		c := out[i]
		if (c == 'a' || c == 'e') && i+1 < len(out) && out[i+1] == 'i' && (i+2 == len(out) || !isVowel(out[i+2])) {
			c = 'e'
			i++
		}
		out[j] = c
		j++
	}
	out = out[:j]
	// Step 3.
	for i := 1; i+1 < len(out); i++ {
		if out[i] == 'z' && isVowel(out[i-1]) && isVowel(out[i+1]) {
			out[i] = 's'
		}
	}
	// Step 4.
	out = collapse(out)
	// Step 5.
	if n := len(out); n > 4 {
		c, p := out[n-1], out[n-2]
		switch {
		case (c == 't' || c == 'd') && (isVowel(p) || p == 'n' || p == 'r'),
			c == 's' && isVowel(p),
			c == 'x' && silentX(out[:n-1]):
			out = out[:n-1]
		}
	}
	return out
}

// silentX reports whether a final x after head is silent: French -aux,
// -eux, -oux and -oix (Desmaux, Leroux, Delacroix). After other letters
// it is spoken (Félix, Alix).
func silentX(head []byte) bool {
	n := len(head)
	return n >= 1 && head[n-1] == 'u' || n >= 2 && head[n-2] == 'o' && head[n-1] == 'i'
}

// collapse removes repeated letters in place: "kassongo" → "kasongo".
func collapse(w []byte) []byte {
	if len(w) == 0 {
		return w
	}
	j := 1
	for i := 1; i < len(w); i++ {
		if w[i] != w[j-1] {
			w[j] = w[i]
			j++
		}
	}
	return w[:j]
}
