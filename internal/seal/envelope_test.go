// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"bytes"
	"strings"
	"testing"
)

func TestNewDataKey(t *testing.T) {
	k := NewTestKeyring()
	dek, wrapped, err := k.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	if len(dek) != keySize {
		t.Fatalf("DEK is %d bytes", len(dek))
	}
	id := k.ActiveKeyID()
	if want := 2 + len(id) + nonceSize + keySize + tagSize; len(wrapped) != want {
		t.Fatalf("wrapped DEK is %d bytes, want %d", len(wrapped), want)
	}
	if wrapped[0] != 1 || int(wrapped[1]) != len(id) || string(wrapped[2:2+len(id)]) != id {
		t.Fatalf("wrapped DEK header is %q", wrapped[:2+len(id)])
	}
	if bytes.Contains(wrapped, dek) {
		t.Fatal("wrapped DEK contains the DEK")
	}
	got, err := WrappedKeyID(wrapped)
	if err != nil || got != id {
		t.Fatalf("WrappedKeyID = %q, %v; want %q", got, err, id)
	}
	dek2, _, err := k.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(dek, dek2) {
		t.Fatal("two DEKs are equal")
	}
	un, err := k.UnwrapDataKey(wrapped)
	if err != nil || !bytes.Equal(un, dek) {
		t.Fatalf("UnwrapDataKey = %x, %v", un, err)
	}
}

func TestWrappedKeyIDMalformed(t *testing.T) {
	_, good, err := NewTestKeyring().NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"Nil", nil, "truncated"},
		{"OneByte", []byte{1}, "truncated"},
		{"Version", with(func(b []byte) []byte { b[0] = 9; return b }), "unknown format version 9"},
		{"ZeroIDLen", with(func(b []byte) []byte { b[1] = 0; return b }), "id length 0"},
		{"LongIDLen", with(func(b []byte) []byte { b[1] = 41; return b }), "id length 41"},
		{"IDLenPastEnd", with(func(b []byte) []byte { b[1] = 40; return b }), "bytes;"},
		{"Short", good[:len(good)-1], "bytes;"},
		{"Long", append(bytes.Clone(good), 0), "bytes;"},
		{"SpaceInID", with(func(b []byte) []byte { b[3] = ' '; return b }), "invalid master key id"},
		{"ControlInID", with(func(b []byte) []byte { b[2] = '\n'; return b }), "invalid master key id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := WrappedKeyID(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("WrappedKeyID = %q, %v; want error containing %q", id, err, tt.want)
			}
			if _, err := NewTestKeyring().UnwrapDataKey(tt.in); err == nil {
				t.Fatal("UnwrapDataKey accepted it")
			}
		})
	}
}

// TestUnwrapTampered checks every single-bit change and every truncation
// of a wrapped DEK: each must fail, none may panic or yield a key.
func TestUnwrapTampered(t *testing.T) {
	k := mustOpen(t, keyPath(t))
	_, wrapped, err := k.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	for i := range wrapped {
		for bit := range 8 {
			c := bytes.Clone(wrapped)
			c[i] ^= 1 << bit
			if dek, err := k.UnwrapDataKey(c); err == nil || dek != nil {
				t.Fatalf("byte %d bit %d flipped: UnwrapDataKey = %x, %v", i, bit, dek, err)
			}
		}
	}
	for n := range len(wrapped) {
		if dek, err := k.UnwrapDataKey(wrapped[:n]); err == nil || dek != nil {
			t.Fatalf("truncated to %d bytes: UnwrapDataKey = %x, %v", n, dek, err)
		}
	}
	// Flipping the nonce or ciphertext keeps the key id: the error names it
	// and says the wrapped key, not the keyring, is at fault.
	c := bytes.Clone(wrapped)
	c[len(c)-1] ^= 1
	if _, err := k.UnwrapDataKey(c); err == nil || !strings.Contains(err.Error(), "failed authentication") || !strings.Contains(err.Error(), k.ActiveKeyID()) {
		t.Fatalf("tampered tag: got %v", err)
	}
}

func TestUnwrapUnknownKey(t *testing.T) {
	path := keyPath(t)
	k := mustOpen(t, path)
	other := mustOpen(t, keyPath(t))
	_, wrapped, err := other.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	_, err = k.UnwrapDataKey(wrapped)
	if err == nil {
		t.Fatal("DEK from another keyring unwrapped")
	}
	for _, want := range []string{other.ActiveKeyID(), path, "wrong one", "backup predating a rotation"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestRewrapUnchanged(t *testing.T) {
	k := NewTestKeyring()
	_, wrapped, err := k.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	out, changed, err := k.Rewrap(wrapped)
	if err != nil || changed || &out[0] != &wrapped[0] {
		t.Fatalf("Rewrap under the active key: changed=%v err=%v, same slice=%v", changed, err, &out[0] == &wrapped[0])
	}
	if _, _, err := k.Rewrap([]byte{1, 2, 3}); err == nil {
		t.Fatal("Rewrap accepted a malformed wrapped key")
	}
}
