// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
)

const (
	keySize     = 32 // AES-256, for master keys, data keys, index and audit keys
	nonceSize   = 12 // the GCM standard nonce; random nonces are safe because each DEK seals only one record's few fields
	tagSize     = 16
	sealVersion = 1 // first byte of every sealed value, so the format can change without guessing
)

// newGCM returns AES-256-GCM under key. It refuses any other key length
// rather than silently falling back to AES-128 or AES-192.
func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != keySize {
		return nil, fmt.Errorf("key must be %d bytes, got %d", keySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("cannot set up AES: %w", err)
	}
	return cipher.NewGCM(block)
}

// Seal encrypts plaintext with a DEK: AES-256-GCM with a random 12-byte
// nonce; format 1 version byte (1) | nonce | ciphertext+tag. aad binds the
// ciphertext to its place (the caller passes e.g. record id + column), so a
// sealed value copied to another row fails to open.
func Seal(dek, plaintext, aad []byte) ([]byte, error) {
	aead, err := newGCM(dek)
	if err != nil {
		return nil, fmt.Errorf("cannot seal: data %w", err)
	}
	nonce := randomBytes(nonceSize)
	out := make([]byte, 0, 1+nonceSize+len(plaintext)+tagSize)
	out = append(out, sealVersion)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plaintext, aad), nil
}

// Open decrypts what Seal produced. It returns an error, never panics, on
// any malformed, truncated or tampered input, or on the wrong aad or key.
// The errors say which of these broad cases it is but never echo the input.
func Open(dek, sealed, aad []byte) ([]byte, error) {
	aead, err := newGCM(dek)
	if err != nil {
		return nil, fmt.Errorf("cannot open sealed value: data %w", err)
	}
	if len(sealed) < 1+nonceSize+tagSize {
		return nil, fmt.Errorf("sealed value is truncated: %d bytes, at least %d expected", len(sealed), 1+nonceSize+tagSize)
	}
	if sealed[0] != sealVersion {
		return nil, fmt.Errorf("sealed value has unknown format version %d", sealed[0])
	}
	pt, err := aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], aad)
	if err != nil {
		return nil, errors.New("sealed value failed authentication: wrong data key, sealed for another record or field, or corrupted")
	}
	return pt, nil
}
