// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"bytes"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func assertMode600(t *testing.T, path string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s has mode %04o, want 0600", path, fi.Mode().Perm())
	}
}

// TestRotateRewrapDrop walks a whole rotation: rotate, old DEKs still open,
// rewrap moves them, dropping the retired key loses only the DEKs that were
// not rewrapped, with an error that says why.
func TestRotateRewrapDrop(t *testing.T) {
	for _, onDisk := range []bool{true, false} {
		name := "File"
		if !onDisk {
			name = "InMemory"
		}
		t.Run(name, func(t *testing.T) {
			var k *Keyring
			path := ""
			if onDisk {
				path = keyPath(t)
				k = mustOpen(t, path)
			} else {
				k = NewTestKeyring()
			}
			oldID := k.ActiveKeyID()
			dek, wrapped, err := k.NewDataKey()
			if err != nil {
				t.Fatal(err)
			}
			blind := k.BlindIndex("person.name", "mbuyi")
			mac := k.AuditMAC([]byte("prev"), []byte("entry"))

			newID, err := k.Rotate()
			if err != nil {
				t.Fatal(err)
			}
			if newID == oldID || k.ActiveKeyID() != newID {
				t.Fatalf("Rotate returned %q, active is %q, old was %q", newID, k.ActiveKeyID(), oldID)
			}
			if got, err := k.UnwrapDataKey(wrapped); err != nil || !bytes.Equal(got, dek) {
				t.Fatalf("DEK wrapped before rotation: %v", err)
			}
			if !bytes.Equal(blind, k.BlindIndex("person.name", "mbuyi")) || !bytes.Equal(mac, k.AuditMAC([]byte("prev"), []byte("entry"))) {
				t.Fatal("rotation changed the index or audit key")
			}
			if _, w2, err := k.NewDataKey(); err != nil {
				t.Fatal(err)
			} else if id, _ := WrappedKeyID(w2); id != newID {
				t.Fatalf("new DEK wrapped under %q, want %q", id, newID)
			}

			rewrapped, changed, err := k.Rewrap(wrapped)
			if err != nil || !changed {
				t.Fatalf("Rewrap: changed=%v err=%v", changed, err)
			}
			if id, _ := WrappedKeyID(rewrapped); id != newID {
				t.Fatalf("rewrapped DEK under %q, want %q", id, newID)
			}
			if id, _ := WrappedKeyID(wrapped); id != oldID {
				t.Fatal("Rewrap modified its input")
			}
			if onDisk {
				assertMode600(t, path)
				// Another process opening the file now sees the same two keys.
				r := mustOpen(t, path)
				if r.ActiveKeyID() != newID {
					t.Fatalf("reopened keyring has active %q, want %q", r.ActiveKeyID(), newID)
				}
				if _, err := r.UnwrapDataKey(wrapped); err != nil {
					t.Fatalf("reopened keyring cannot unwrap under the retired key: %v", err)
				}
			}

			dropped, err := k.DropRetired()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(dropped, []string{oldID}) {
				t.Fatalf("DropRetired = %q, want [%q]", dropped, oldID)
			}
			if got, err := k.UnwrapDataKey(rewrapped); err != nil || !bytes.Equal(got, dek) {
				t.Fatalf("rewrapped DEK after drop: %v", err)
			}
			_, err = k.UnwrapDataKey(wrapped)
			if err == nil || !strings.Contains(err.Error(), oldID) || !strings.Contains(err.Error(), "backup predating a rotation") {
				t.Fatalf("DEK under the dropped key: got %v", err)
			}
			if dropped, err := k.DropRetired(); err != nil || dropped != nil {
				t.Fatalf("second DropRetired = %q, %v", dropped, err)
			}
			if onDisk {
				assertMode600(t, path)
				r := mustOpen(t, path)
				if r.ActiveKeyID() != newID || len(r.snapshot().keys) != 1 {
					t.Fatalf("after drop the file holds %d keys, active %q", len(r.snapshot().keys), r.ActiveKeyID())
				}
				if _, err := r.UnwrapDataKey(wrapped); err == nil {
					t.Fatal("the dropped key is still in the file")
				}
			}
		})
	}
}

// TestCrossProcessUnwrap simulates a server (b) and a CLI (a) on one file:
// a DEK wrapped under a key the server has never seen makes it reload.
func TestCrossProcessUnwrap(t *testing.T) {
	path := keyPath(t)
	a, b := mustOpen(t, path), mustOpen(t, path)
	newID, err := a.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	dek, wrapped, err := a.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.UnwrapDataKey(wrapped)
	if err != nil {
		t.Fatalf("server cannot unwrap a DEK under the CLI's new key: %v", err)
	}
	if !bytes.Equal(got, dek) {
		t.Fatal("unwrapped DEK differs")
	}
	if b.ActiveKeyID() != newID {
		t.Fatalf("after reload the server's active key is %q, want %q", b.ActiveKeyID(), newID)
	}
}

func TestRefreshPicksUpRotation(t *testing.T) {
	path := keyPath(t)
	a, b := mustOpen(t, path), mustOpen(t, path)
	clock := newFakeClock()
	withClock(b, clock)
	oldID := b.ActiveKeyID()

	if err := b.Refresh(); err != nil {
		t.Fatalf("Refresh of an unchanged file: %v", err)
	}
	newID, err := a.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	clock.advance(500 * time.Millisecond)
	if err := b.Refresh(); err != nil || b.ActiveKeyID() != oldID {
		t.Fatalf("Refresh within the rate limit: active %q, err %v; want no reload", b.ActiveKeyID(), err)
	}
	clock.advance(600 * time.Millisecond)
	if err := b.Refresh(); err != nil {
		t.Fatal(err)
	}
	if b.ActiveKeyID() != newID {
		t.Fatalf("after Refresh the active key is %q, want %q", b.ActiveKeyID(), newID)
	}
	_, wrapped, err := b.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := WrappedKeyID(wrapped); id != newID {
		t.Fatalf("DEK wrapped after Refresh is under %q, want %q", id, newID)
	}
	if _, err := a.UnwrapDataKey(wrapped); err != nil {
		t.Fatal(err)
	}
}

// TestRefreshAfterForeignDrop: another process rotated and dropped the key
// this one still has as active; the file's newer key is adopted.
func TestRefreshAfterForeignDrop(t *testing.T) {
	path := keyPath(t)
	a, b := mustOpen(t, path), mustOpen(t, path)
	clock := newFakeClock()
	withClock(b, clock)
	_, oldWrapped, err := b.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	newID, err := a.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DropRetired(); err != nil {
		t.Fatal(err)
	}
	clock.advance(2 * time.Second)
	if err := b.Refresh(); err != nil {
		t.Fatal(err)
	}
	if b.ActiveKeyID() != newID {
		t.Fatalf("active %q, want %q", b.ActiveKeyID(), newID)
	}
	if _, err := b.UnwrapDataKey(oldWrapped); err == nil {
		t.Fatal("a key dropped by another process still unwraps")
	}
}

// TestRefreshRefusesWrongFile: a key file that would make data written
// since unreadable is refused, the keys in memory are kept, and the error
// persists until the right file is back.
func TestRefreshRefusesWrongFile(t *testing.T) {
	tests := []struct {
		name string
		// replacement returns the bytes to put at path; a is the keyring
		// under test, already rotated once.
		replacement func(t *testing.T, backup []byte) []byte
		want        string
	}{
		{"BackupBeforeRotation", func(t *testing.T, backup []byte) []byte { return backup }, "backup predating a rotation"},
		{"OtherKeyring", func(t *testing.T, _ []byte) []byte {
			return readFile(t, mustOpen(t, keyPath(t)).Path())
		}, "belongs to another keyring"},
		{"SameIDOtherKey", func(t *testing.T, backup []byte) []byte {
			s, err := parseKeyFile(backup)
			if err != nil {
				t.Fatal(err)
			}
			s.keys[0].key = randomBytes(keySize)
			out, err := marshalKeyFile(s)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}, "other key bytes"},
		{"Malformed", func(*testing.T, []byte) []byte { return []byte("{") }, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := keyPath(t)
			a := mustOpen(t, path)
			clock := newFakeClock()
			withClock(a, clock)
			backup := readFile(t, path)
			newID, err := a.Rotate()
			if err != nil {
				t.Fatal(err)
			}
			current := readFile(t, path)
			dek, wrapped, err := a.NewDataKey()
			if err != nil {
				t.Fatal(err)
			}

			replaceFile(t, path, tt.replacement(t, backup))
			for range 2 {
				clock.advance(time.Second)
				err := a.Refresh()
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("Refresh = %v, want an error containing %q", err, tt.want)
				}
				assertNoSecret(t, err, secretsIn(t, current))
				if a.ActiveKeyID() != newID {
					t.Fatalf("the refused file changed the active key to %q", a.ActiveKeyID())
				}
				if got, err := a.UnwrapDataKey(wrapped); err != nil || !bytes.Equal(got, dek) {
					t.Fatalf("keys in memory lost: %v", err)
				}
			}
			if _, err := a.Rotate(); err == nil {
				t.Fatal("Rotate over a refused file succeeded")
			}

			replaceFile(t, path, current)
			clock.advance(time.Second)
			if err := a.Refresh(); err != nil {
				t.Fatalf("Refresh after restoring the file: %v", err)
			}
		})
	}
}

// TestDropRetiredAfterForeignRotation: the caller rewrapped under the key
// it knew as active, but another process has rotated since; dropping would
// lose exactly what was rewrapped, so it is refused once.
func TestDropRetiredAfterForeignRotation(t *testing.T) {
	path := keyPath(t)
	a, b := mustOpen(t, path), mustOpen(t, path)
	first, err := a.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	second, err := b.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DropRetired(); err == nil || !strings.Contains(err.Error(), "another process rotated") {
		t.Fatalf("DropRetired after a foreign rotation: %v", err)
	}
	if a.ActiveKeyID() != second || len(a.snapshot().keys) != 3 {
		t.Fatalf("after the refused drop: active %q, %d keys", a.ActiveKeyID(), len(a.snapshot().keys))
	}
	dropped, err := a.DropRetired()
	if err != nil {
		t.Fatal(err)
	}
	if len(dropped) != 2 || !slices.Contains(dropped, first) || slices.Contains(dropped, second) {
		t.Fatalf("dropped %q", dropped)
	}
}

// TestRotateKeepsForeignRotation: two processes rotating one after the
// other must not erase each other's keys.
func TestRotateKeepsForeignRotation(t *testing.T) {
	path := keyPath(t)
	a, b := mustOpen(t, path), mustOpen(t, path)
	if _, err := a.Rotate(); err != nil {
		t.Fatal(err)
	}
	_, wrapped, err := a.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rotate(); err != nil {
		t.Fatal(err)
	}
	if _, err := mustOpen(t, path).UnwrapDataKey(wrapped); err != nil {
		t.Fatalf("the first rotation's key was lost: %v", err)
	}
}

// TestConcurrentUse runs wrapping, unwrapping, refreshing and rotating at
// once, in one keyring and from a second one on the same file; run it with
// -race. Every DEK must unwrap to what was wrapped.
func TestConcurrentUse(t *testing.T) {
	path := keyPath(t)
	server, cli := mustOpen(t, path), mustOpen(t, path)
	// A clock that moves a second per call, so every Refresh looks at the file.
	var ticks atomic.Int64
	server.fileMu.Lock()
	server.now = func() time.Time { return time.Unix(ticks.Add(1), 0) }
	server.fileMu.Unlock()

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 4 {
		wg.Go(func() {
			for range 50 {
				if err := server.Refresh(); err != nil {
					errs <- err
					return
				}
				dek, wrapped, err := server.NewDataKey()
				if err != nil {
					errs <- err
					return
				}
				got, err := server.UnwrapDataKey(wrapped)
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(got, dek) {
					errs <- os.ErrInvalid
					return
				}
				_ = server.BlindIndex("t", "x")
				_ = server.AuditMAC(got, wrapped)
			}
		})
	}
	wg.Go(func() {
		for range 5 {
			if _, err := cli.Rotate(); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Go(func() {
		for range 3 {
			if _, err := server.Rotate(); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	final := mustOpen(t, path)
	if n := len(final.snapshot().keys); n != 9 {
		t.Errorf("the file holds %d keys after 8 rotations, want 9", n)
	}
}

// TestRewrapAfterForeignRotation: a stale keyring asked to rewrap a DEK
// under a key it has never seen reloads, finds that key active, and leaves
// the DEK alone rather than wrap it under its own, now retired, key.
func TestRewrapAfterForeignRotation(t *testing.T) {
	path := keyPath(t)
	a, b := mustOpen(t, path), mustOpen(t, path)
	newID, err := a.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	_, wrapped, err := a.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	out, changed, err := b.Rewrap(wrapped)
	if err != nil || changed || !bytes.Equal(out, wrapped) {
		t.Fatalf("Rewrap = changed %v, err %v; want the input unchanged", changed, err)
	}
	if b.ActiveKeyID() != newID {
		t.Fatalf("active %q, want %q", b.ActiveKeyID(), newID)
	}
}
