// SPDX-License-Identifier: AGPL-3.0-or-later

// Package seal encrypts victims' data at rest with envelope encryption.
// Each record gets its own random data key (DEK) that seals its fields with
// AES-256-GCM; the DEK is stored next to the record, wrapped under a master
// key (key-encryption key, KEK) that lives only in a key file outside the
// database. A copy of the database alone reveals nothing, and rotating a
// master key re-wraps the small DEKs instead of re-encrypting every record.
//
// The key file also holds two keys that never rotate: the blind-index key
// (equality search over encrypted fields) and the audit-chain key
// (tamper-evident audit log). Rotating either would invalidate every stored
// index token or chain link, so they sit beside the master keys but outside
// the rotation.
package seal
