// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
)

// Recovery codes let a user whose phone is lost or broken pass the second
// factor once per code. They are read from paper and typed by hand, so the
// alphabet leaves out the characters that look alike: 0 o 1 l i.
const (
	recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789" // 31 symbols
	recoveryCount    = 10
	recoveryGroups   = 3
	recoveryGroupLen = 4
	// recoveryCodeLen symbols of log2(31) ≈ 4.95 bits: ≈ 59.4 bits a code,
	// far beyond online guessing under the throttle (NIST SP 800-63B asks
	// 20 bits for look-up secrets).
	recoveryCodeLen = recoveryGroups * recoveryGroupLen
)

// NewRecoveryCodes returns 10 distinct codes "xxxx-xxxx-xxxx" to show to the
// user once, and their hashes (HashRecoveryCode) to store.
func NewRecoveryCodes() (plain []string, hashes []string, err error) {
	seen := make(map[string]bool, recoveryCount)
	for len(plain) < recoveryCount {
		code, err := newRecoveryCode()
		if err != nil {
			return nil, nil, err
		}
		h := HashRecoveryCode(code)
		if seen[h] { // astronomically unlikely, but a duplicate would be a lost code
			continue
		}
		seen[h] = true
		plain = append(plain, code)
		hashes = append(hashes, h)
	}
	return plain, hashes, nil
}

// newRecoveryCode draws each symbol uniformly: bytes at or above the
// largest multiple of 31 are thrown away rather than folded with a modulo,
// which would favour the first symbols.
func newRecoveryCode() (string, error) {
	const limit = 256 - 256%len(recoveryAlphabet)
	var b strings.Builder
	buf := make([]byte, 32)
	n := 0
	for n < recoveryCodeLen {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("auth: recovery code: %w", err)
		}
		for _, c := range buf {
			if int(c) >= limit || n == recoveryCodeLen {
				continue
			}
			if n > 0 && n%recoveryGroupLen == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[int(c)%len(recoveryAlphabet)])
			n++
		}
	}
	return b.String(), nil
}

// HashRecoveryCode returns the SHA-256, in hex, of the normalised code:
// lower case, without dashes (any kind: phones turn "-" into "–") or
// spaces, so that "ABCD EFGH JKMN" typed from paper matches
// "abcd-efgh-jkmn". A fast unsalted hash is enough: a code stands in for
// the second factor only, so whoever inverts one still needs the password,
// and the caller can find a code by looking its hash up.
func HashRecoveryCode(code string) string {
	code = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Pd, r) || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, code)
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}
