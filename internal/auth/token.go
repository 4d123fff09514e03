// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// Token prefixes. A prefix tells at a glance (and to secret scanners) what
// a leaked string is: a session cookie or an API token.
const (
	SessionTokenPrefix = "vgs_"
	APITokenPrefix     = "vgt_"
)

// tokenBytes is 256 bits: far beyond guessing, so the token needs no slow
// hash, only a one-way one.
const tokenBytes = 32

// NewToken returns an opaque token, prefix + base64url (no padding) of 32
// random bytes, and the SHA-256 of the whole token, which is all the
// database keeps: a stolen copy of the table opens no session.
func NewToken(prefix string) (token string, hash []byte, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("auth: token: %w", err)
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the SHA-256 of token, the key under which it is stored and
// looked up. A plain hash suffices because the token has 256 bits of
// entropy; looking it up by hash also avoids a timing comparison of the
// secret itself.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
