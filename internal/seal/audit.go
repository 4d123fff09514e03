// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
)

// AuditMAC returns the link of a tamper-evident audit chain:
// HMAC-SHA256(auditKey, len(prev) as 8-byte big-endian || prev || entry).
// Someone with the database but not the key file cannot recompute it. The
// length prefix keeps the split between prev and entry unambiguous, so that
// no (prev, entry) pair can reuse the MAC of another pair with the same
// concatenation.
func (k *Keyring) AuditMAC(prev, entry []byte) []byte {
	m := hmac.New(sha256.New, k.snapshot().auditKey)
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(len(prev))))
	m.Write(prev)
	m.Write(entry)
	return m.Sum(nil)
}
