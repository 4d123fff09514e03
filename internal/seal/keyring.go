// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"
)

// refreshInterval bounds how often Refresh looks at the key file: a server
// calls it before every new DEK, and one stat per second is enough to pick
// up a `vigie keys rotate` run by another process.
const refreshInterval = time.Second

// Keyring holds the master keys (key-encryption keys, KEKs) that wrap
// per-record data keys, plus two keys that never rotate: the blind-index
// key and the audit-chain key. It is safe for concurrent use, including
// while another process rotates the key file. Get one from OpenKeyring or
// NewTestKeyring; the zero value holds no keys.
type Keyring struct {
	path string           // "" for a test keyring, which has no file
	now  func() time.Time // the clock; tests replace it to step over the Refresh rate limit

	mu sync.RWMutex
	st *state // immutable; replaced whole under mu

	// fileMu serialises every read and write of the key file and guards
	// the fields below. It is taken before mu, never while holding mu.
	fileMu    sync.Mutex
	seen      os.FileInfo // the file as last loaded or written
	lastCheck time.Time   // when Refresh last looked at the file
	lastErr   error       // what that look found, repeated until the next one
}

// OpenKeyring loads the key file at path, creating it (and its parent
// directory, mode 0700) with fresh random keys and mode 0600 when it does
// not exist. It refuses a file that group or others can read or write, and
// a malformed file, with a message that never includes the file's contents.
func OpenKeyring(path string) (*Keyring, error) {
	if path == "" {
		return nil, errors.New("no key file path given")
	}
	k := &Keyring{path: path, now: time.Now}
	// Two rounds: if another process creates the file between our failed
	// read and our create, the second round reads theirs.
	for range 2 {
		s, fi, err := readKeyFile(path)
		if err == nil {
			k.install(s, fi)
			return k, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		s = newState(k.now())
		fi, err = createKeyFile(path, s)
		if err == nil {
			k.install(s, fi)
			return k, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("key file %s keeps appearing and disappearing; is another process deleting it?", path)
}

// NewTestKeyring returns an in-memory keyring with random keys and no file,
// for tests of other packages.
func NewTestKeyring() *Keyring {
	k := &Keyring{now: time.Now}
	k.install(newState(k.now()), nil)
	return k
}

// newState returns a fresh keyring: one active master key and new index
// and audit keys.
func newState(now time.Time) *state {
	s := &state{indexKey: randomBytes(keySize), auditKey: randomBytes(keySize)}
	s.keys = []masterKey{newMasterKey(now, s)}
	s.active = s.keys[0].id
	return s
}

// newMasterKey returns a random master key whose id, "k" + UTC minute + "-"
// + 4 hex digits, tells an operator when it was made and is unique in s.
func newMasterKey(now time.Time, s *state) masterKey {
	// The file stores whole seconds; truncating here keeps the in-memory
	// time equal to what a reload will read back.
	now = now.UTC().Truncate(time.Second)
	for {
		id := "k" + now.Format("20060102T1504Z") + "-" + hex.EncodeToString(randomBytes(2))
		if s.find(id) == nil {
			return masterKey{id: id, key: randomBytes(keySize), created: now}
		}
	}
}

// install sets a new keyring's first state. It runs before k is shared,
// so it need not hold fileMu.
func (k *Keyring) install(s *state, fi os.FileInfo) {
	k.mu.Lock()
	k.st = s
	k.mu.Unlock()
	k.seen = fi
	k.lastCheck = k.now()
	k.lastErr = nil
}

// snapshot returns the current state; the caller may use it without locks
// because states are never modified.
func (k *Keyring) snapshot() *state {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.st
}

// Path returns the key file's path ("" for a test keyring).
func (k *Keyring) Path() string { return k.path }

// ActiveKeyID returns the id of the master key that wraps new DEKs.
func (k *Keyring) ActiveKeyID() string { return k.snapshot().active }

// Refresh reloads the key file if it changed since the last load (one stat
// comparing inode, modification time and size), at most once per second.
// A running server calls it before wrapping new DEKs so that a rotation by
// another process is picked up. Between checks it returns the last check's
// error, so a key file that has gone bad keeps failing rather than being
// forgotten after a second.
func (k *Keyring) Refresh() error {
	if k.path == "" {
		return nil
	}
	k.fileMu.Lock()
	defer k.fileMu.Unlock()
	now := k.now()
	if since := now.Sub(k.lastCheck); since >= 0 && since < refreshInterval {
		return k.lastErr
	}
	k.lastCheck = now
	k.lastErr = k.reloadIfChangedLocked()
	return k.lastErr
}

// reloadIfChangedLocked reloads the key file unless it is the very file
// last loaded or written. Comparing the inode catches every atomic rewrite
// (rename puts a new inode in place) even within the file system's
// timestamp granularity. The caller holds fileMu.
func (k *Keyring) reloadIfChangedLocked() error {
	fi, err := os.Stat(k.path)
	if err != nil {
		return fmt.Errorf("cannot check key file: %w", err)
	}
	if k.seen != nil && os.SameFile(fi, k.seen) && fi.ModTime().Equal(k.seen.ModTime()) && fi.Size() == k.seen.Size() {
		return nil
	}
	s, fi, err := readKeyFile(k.path)
	if err != nil {
		return err
	}
	if err := checkSuccessor(k.path, k.snapshot(), s); err != nil {
		return err
	}
	k.mu.Lock()
	k.st = s
	k.mu.Unlock()
	k.seen = fi
	k.lastErr = nil
	return nil
}

// checkSuccessor decides whether next, just read from the file, may replace
// cur, the keys in memory. The file is the source of truth (another process
// may have rotated, or dropped retired keys after rewrapping every DEK), but
// a file from another keyring, or an old backup that lacks the key this
// process has been wrapping DEKs under, is refused: adopting it would make
// the data written since unreadable after the next restart.
func checkSuccessor(path string, cur, next *state) error {
	if !bytes.Equal(cur.indexKey, next.indexKey) || !bytes.Equal(cur.auditKey, next.auditKey) {
		return fmt.Errorf("key file %s now holds a different index or audit key than the one loaded: it belongs to another keyring, so it was not loaded; restore the right key file", path)
	}
	for _, mk := range next.keys {
		if old := cur.find(mk.id); old != nil && !bytes.Equal(old.key, mk.key) {
			return fmt.Errorf("key file %s holds master key %q with other key bytes than the one loaded, so it was not loaded; restore the right key file", path, mk.id)
		}
	}
	if next.find(cur.active) == nil {
		// The active key may legitimately be gone if another process rotated
		// and then dropped it; then the file's active key is newer than ours.
		// If it is one we know, or older, the file went back in time.
		if cur.find(next.active) != nil || next.activeKey().created.Before(cur.activeKey().created) {
			return fmt.Errorf("key file %s no longer holds the active master key %q and holds no newer one: it may be a backup predating a rotation, so it was not loaded; restore the current key file", path, cur.active)
		}
	}
	return nil
}

// Rotate adds a new random master key, makes it the active one, keeps the
// old ones as retired (still able to unwrap), and rewrites the key file
// atomically. It returns the new key's id. Under the key file's lock it
// first reloads the file if it changed, so that it does not erase a
// rotation made by another process.
func (k *Keyring) Rotate() (string, error) {
	k.fileMu.Lock()
	defer k.fileMu.Unlock()
	if k.path != "" {
		unlock, err := lockKeyFile(k.path)
		if err != nil {
			return "", fmt.Errorf("cannot rotate: %w", err)
		}
		defer unlock()
		if err := k.reloadIfChangedLocked(); err != nil {
			return "", fmt.Errorf("cannot rotate: %w", err)
		}
	}
	cur := k.snapshot()
	next := &state{indexKey: cur.indexKey, auditKey: cur.auditKey}
	next.keys = append(append(next.keys, cur.keys...), newMasterKey(k.now(), cur))
	next.active = next.keys[len(next.keys)-1].id
	if err := k.persistLocked(next); err != nil {
		return "", fmt.Errorf("cannot rotate: %w", err)
	}
	return next.active, nil
}

// DropRetired removes the retired master keys from the keyring and the key
// file, returning their ids. Call it only after every DEK has been rewrapped
// under the active key: DEKs still wrapped under a dropped key are lost.
// It refuses if the key file's active key is no longer the one this keyring
// had, since the caller rewrapped under the latter and dropping it would
// lose exactly the DEKs just rewrapped.
func (k *Keyring) DropRetired() ([]string, error) {
	k.fileMu.Lock()
	defer k.fileMu.Unlock()
	before := k.snapshot().active
	if k.path != "" {
		unlock, err := lockKeyFile(k.path)
		if err != nil {
			return nil, fmt.Errorf("cannot drop retired keys: %w", err)
		}
		defer unlock()
		if err := k.reloadIfChangedLocked(); err != nil {
			return nil, fmt.Errorf("cannot drop retired keys: %w", err)
		}
	}
	cur := k.snapshot()
	if cur.active != before {
		return nil, fmt.Errorf("cannot drop retired keys: the active master key changed from %q to %q (another process rotated); rewrap the data keys again, then drop", before, cur.active)
	}
	var dropped []string
	for _, mk := range cur.keys {
		if mk.id != cur.active {
			dropped = append(dropped, mk.id)
		}
	}
	if len(dropped) == 0 {
		return nil, nil
	}
	next := &state{keys: []masterKey{*cur.activeKey()}, active: cur.active, indexKey: cur.indexKey, auditKey: cur.auditKey}
	if err := k.persistLocked(next); err != nil {
		return nil, fmt.Errorf("cannot drop retired keys: %w", err)
	}
	return dropped, nil
}

// persistLocked writes next to the key file, then makes it the keyring's
// state: if the write fails, memory and file still agree. The caller holds
// fileMu.
func (k *Keyring) persistLocked(next *state) error {
	if k.path != "" {
		fi, err := replaceKeyFile(k.path, next)
		if err != nil {
			return err
		}
		k.seen = fi
	}
	k.mu.Lock()
	k.st = next
	k.mu.Unlock()
	return nil
}
