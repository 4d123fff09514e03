// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"errors"
	"fmt"
)

// A wrapped DEK is
//
//	1 version byte (1) | 1 byte len(keyID) | keyID | 12-byte nonce | AES-256-GCM(DEK) with its 16-byte tag
//
// and is authenticated with AAD "vigie-dek" + keyID, so that the header
// cannot be edited to point at another master key.
const (
	wrapVersion = 1
	wrapAADTag  = "vigie-dek"
)

// NewDataKey returns a fresh random 32-byte data key (DEK) and the DEK
// wrapped under the active master key.
func (k *Keyring) NewDataKey() (dek, wrapped []byte, err error) {
	dek = randomBytes(keySize)
	wrapped, err = wrapDEK(k.snapshot().activeKey(), dek)
	if err != nil {
		return nil, nil, err
	}
	return dek, wrapped, nil
}

func wrapDEK(mk *masterKey, dek []byte) ([]byte, error) {
	aead, err := newGCM(mk.key)
	if err != nil {
		return nil, fmt.Errorf("cannot wrap data key: master %w", err)
	}
	nonce := randomBytes(nonceSize)
	out := make([]byte, 0, 2+len(mk.id)+nonceSize+keySize+tagSize)
	out = append(out, wrapVersion, byte(len(mk.id)))
	out = append(out, mk.id...)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, dek, []byte(wrapAADTag+mk.id)), nil
}

// parseWrapped splits a wrapped DEK into its parts, checking every length,
// so that no later slicing can go out of range.
func parseWrapped(w []byte) (id string, nonce, ct []byte, err error) {
	if len(w) < 2 {
		return "", nil, nil, errors.New("wrapped data key is truncated")
	}
	if w[0] != wrapVersion {
		return "", nil, nil, fmt.Errorf("wrapped data key has unknown format version %d", w[0])
	}
	n := int(w[1])
	if n == 0 || n > maxKeyIDLen {
		return "", nil, nil, fmt.Errorf("wrapped data key has an invalid master key id length %d", n)
	}
	if want := 2 + n + nonceSize + keySize + tagSize; len(w) != want {
		return "", nil, nil, fmt.Errorf("wrapped data key is %d bytes; %d expected", len(w), want)
	}
	id = string(w[2 : 2+n])
	if !validKeyID(id) {
		return "", nil, nil, errors.New("wrapped data key has an invalid master key id")
	}
	return id, w[2+n : 2+n+nonceSize], w[2+n+nonceSize:], nil
}

// WrappedKeyID returns the id of the master key a wrapped DEK is under,
// without decrypting it, or an error if it is malformed.
func WrappedKeyID(wrapped []byte) (string, error) {
	id, _, _, err := parseWrapped(wrapped)
	return id, err
}

// UnwrapDataKey returns the DEK. If the wrapped key names a master key the
// keyring does not hold, it reloads the key file once (another process may
// have rotated), then fails with an error that says the key file may be the
// wrong one or a backup predating a rotation.
func (k *Keyring) UnwrapDataKey(wrapped []byte) ([]byte, error) {
	id, nonce, ct, err := parseWrapped(wrapped)
	if err != nil {
		return nil, err
	}
	mk := k.snapshot().find(id)
	var reloadErr error
	if mk == nil && k.path != "" {
		k.fileMu.Lock()
		reloadErr = k.reloadIfChangedLocked()
		k.fileMu.Unlock()
		mk = k.snapshot().find(id)
	}
	if mk == nil {
		return nil, k.unknownKeyError(id, reloadErr)
	}
	aead, err := newGCM(mk.key)
	if err != nil {
		return nil, fmt.Errorf("cannot unwrap data key: master %w", err)
	}
	dek, err := aead.Open(nil, nonce, ct, []byte(wrapAADTag+id))
	if err != nil {
		return nil, fmt.Errorf("wrapped data key under master key %q failed authentication: it is corrupted or was tampered with", id)
	}
	return dek, nil
}

func (k *Keyring) unknownKeyError(id string, reloadErr error) error {
	holder := "this in-memory keyring"
	if k.path != "" {
		holder = "the key file " + k.path
	}
	msg := fmt.Sprintf("data key is wrapped under master key %q, which %s does not hold: the key file may be the wrong one, or a backup predating a rotation", id, holder)
	if reloadErr != nil {
		return fmt.Errorf("%s (reloading the key file failed: %w)", msg, reloadErr)
	}
	return errors.New(msg)
}

// Rewrap re-wraps a wrapped DEK under the active master key. It returns the
// input itself and changed=false when the DEK is already under it, so that
// a rotation pass writes back only the rows that changed.
func (k *Keyring) Rewrap(wrapped []byte) (out []byte, changed bool, err error) {
	id, err := WrappedKeyID(wrapped)
	if err != nil {
		return nil, false, err
	}
	if id == k.ActiveKeyID() {
		return wrapped, false, nil
	}
	dek, err := k.UnwrapDataKey(wrapped)
	if err != nil {
		return nil, false, err
	}
	// Unwrapping may have reloaded the key file and found a newer active
	// key, so look again rather than wrap under the one seen before.
	active := k.snapshot().activeKey()
	if id == active.id {
		return wrapped, false, nil
	}
	out, err = wrapDEK(active, dek)
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}
