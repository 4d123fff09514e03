// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

// The password policy follows NIST SP 800-63B: a length floor, a blocklist
// and no composition rules ("one capital, one digit"), which only push
// users towards "Password1!".
//
// common-passwords.txt, the blocklist, is the password frequency list of
// the npm package @zxcvbn-ts/language-common 4.1.3 (src/passwords.json),
// MIT licence, Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc. and
// (c) 2021 @zxcvbn-ts, keeping the entries of 8 characters or more, plus a
// short French and Congolese supplement written by the Vigie project and
// marked as such at the end of the file. common-passwords.SOURCE.md says
// how it was made.

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"vigie/internal/domain"
)

// Length bounds, in runes after NFC normalisation. 12 rather than NIST's
// floor of 8 because these accounts open files on trafficking victims.
// The ceiling only keeps hashing and comparison cheap; a passphrase of 256
// characters is far beyond any real need.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// minEmailLocalLen is the shortest e-mail local part looked for inside a
// password: shorter ones ("jo", "ab") would refuse half of all passphrases.
const minEmailLocalLen = 4

//go:embed common-passwords.txt
var commonPasswordsFile string

// commonPasswords is parsed on first use so that programs that never check
// a password do not pay for the set.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 20000)
	for line := range strings.Lines(commonPasswordsFile) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		set[foldPassword(line)] = struct{}{}
	}
	return set
})

// foldPassword is the form in which passwords are compared with the
// blocklist and the user's own data: NFC and lower case.
func foldPassword(s string) string {
	return strings.ToLower(norm.NFC.String(s))
}

// CheckPassword applies the password policy to a new password: 12 to 256
// characters (any character, spaces and emoji included), not a common
// password, not the user's own data (userInputs: e-mail, name, ...), not a
// repeated block or a simple sequence. It returns nil or a domain error of
// kind invalid whose field is "password".
func CheckPassword(password string, userInputs ...string) error {
	var p domain.Problems
	if code, msg := passwordProblem(password, userInputs); code != "" {
		p.Add("password", code, "%s", msg)
	}
	return p.Err()
}

// passwordProblem returns the first rule that password breaks, as a
// translation code and a bilingual message, or "" when it is acceptable.
// Only the first is reported: "too short" and "too common" together would
// only say the same thing twice.
func passwordProblem(password string, userInputs []string) (code, msg string) {
	if !utf8.ValidString(password) {
		return "validation.password_encoding",
			"contient des octets qui ne sont pas de l'UTF-8 valide / contains bytes that are not valid UTF-8"
	}
	nfc := norm.NFC.String(password)
	switch n := utf8.RuneCountInString(nfc); {
	case n < MinPasswordLen:
		return "validation.password_too_short", fmt.Sprintf(
			"doit compter au moins %d caractères / must be at least %d characters", MinPasswordLen, MinPasswordLen)
	case n > MaxPasswordLen:
		return "validation.password_too_long", fmt.Sprintf(
			"doit compter au plus %d caractères / must be at most %d characters", MaxPasswordLen, MaxPasswordLen)
	}
	folded := strings.ToLower(nfc) // = foldPassword(password)
	if _, found := commonPasswords()[folded]; found {
		return "validation.password_common",
			"fait partie des mots de passe les plus courants ; choisissez une phrase de passe / is one of the most common passwords; choose a passphrase"
	}
	if personal(folded, userInputs) {
		return "validation.password_personal",
			"ne doit pas reprendre votre adresse e-mail ni votre nom / must not reuse your e-mail address or your name"
	}
	runes := []rune(folded)
	if period(runes) < MinPasswordLen {
		return "validation.password_repeated",
			"ne doit pas être un même caractère ou un même motif répété / must not be one character or pattern repeated"
	}
	if isSequence(runes) {
		return "validation.password_sequence",
			"ne doit pas être une suite simple comme 123456789012 ou abcdefghijkl / must not be a simple sequence such as 123456789012 or abcdefghijkl"
	}
	return "", ""
}

// personal reports whether the folded password equals one of the user's
// inputs or contains the local part of one that is an e-mail address.
func personal(folded string, userInputs []string) bool {
	for _, in := range userInputs {
		in = foldPassword(strings.TrimSpace(in))
		if in == "" {
			continue
		}
		if folded == in {
			return true
		}
		if at := strings.LastIndexByte(in, '@'); at >= 0 {
			local := in[:at]
			if utf8.RuneCountInString(local) >= minEmailLocalLen && strings.Contains(folded, local) {
				return true
			}
		}
	}
	return false
}

// period returns the length of the shortest block whose repetition makes
// up r ("abcabcabcabc" → 3, "aaaa" → 1, no repetition → len(r)). A
// password's real strength is that of its block, so the block, not the
// whole, must reach the minimum length.
func period(r []rune) int {
	n := len(r)
outer:
	for k := 1; k <= n/2; k++ {
		if n%k != 0 {
			continue
		}
		for i := k; i < n; i++ {
			if r[i] != r[i-k] {
				continue outer
			}
		}
		return k
	}
	return n
}

// isSequence reports whether r climbs or descends by one at every step:
// "abcdefghijkl", "lkjihgfedcba", or digits going round
// "123456789012" / "098765432109" (9 is followed by 0 on a keyboard).
func isSequence(r []rune) bool {
	if len(r) < 2 {
		return false
	}
	for _, dir := range []int{1, -1} {
		seq := true
		for i := 1; i < len(r) && seq; i++ {
			seq = next(r[i-1], dir) == r[i]
		}
		if seq {
			return true
		}
	}
	return false
}

// next is the rune after c in direction dir, digits wrapping round.
func next(c rune, dir int) rune {
	if c >= '0' && c <= '9' {
		return '0' + (c-'0'+rune(dir)+10)%10
	}
	return c + rune(dir)
}
