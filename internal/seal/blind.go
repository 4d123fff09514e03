// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"crypto/hmac"
	"crypto/sha256"
)

// blindIndexSize is 128 bits: collisions stay negligible across any number
// of records this system will hold, and stored tokens stay half the size.
const blindIndexSize = 16

// BlindIndex returns HMAC-SHA256(indexKey, tag || 0x00 || token) truncated
// to 16 bytes: a deterministic, keyed token for equality search without
// storing the plaintext. The tag (e.g. "person.last_name") separates fields
// so equal values in different fields give different tokens; it must not
// contain a NUL byte, which separates it from the token. Normalising the
// token (case, accents, spaces) is the caller's job.
func (k *Keyring) BlindIndex(tag, token string) []byte {
	m := hmac.New(sha256.New, k.snapshot().indexKey)
	m.Write([]byte(tag))
	m.Write([]byte{0})
	m.Write([]byte(token))
	return m.Sum(nil)[:blindIndexSize:blindIndexSize]
}
