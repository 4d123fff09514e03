// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// fuzzDEK is fixed so that the fuzzer can learn sealed values that open.
var fuzzDEK = bytes.Repeat([]byte{0x42}, keySize)

// FuzzOpen feeds arbitrary bytes to Open: it must never panic, and
// whatever it accepts must be exactly what some Seal call produced (the
// plaintext seals again to a value that opens to the same plaintext).
func FuzzOpen(f *testing.F) {
	aad := []byte("case-1/name")
	good, err := Seal(fuzzDEK, []byte("Mbuyi"), aad)
	if err != nil {
		f.Fatal(err)
	}
	empty, err := Seal(fuzzDEK, nil, aad)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{nil, {1}, {2}, good, empty, good[:len(good)-1], append(bytes.Clone(good), 0), bytes.Repeat([]byte{1}, 29)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, sealed []byte) {
		pt, err := Open(fuzzDEK, sealed, aad)
		if err != nil {
			if pt != nil {
				t.Fatal("plaintext returned with an error")
			}
			return
		}
		if len(sealed) != 1+nonceSize+len(pt)+tagSize {
			t.Fatalf("%d-byte sealed value opened to %d bytes", len(sealed), len(pt))
		}
		if _, err := Open(fuzzDEK, sealed, []byte("case-2/name")); err == nil {
			t.Fatal("opened under another aad")
		}
	})
}

// FuzzUnwrapDataKey feeds arbitrary bytes to WrappedKeyID, UnwrapDataKey
// and Rewrap: none may panic, and they must agree on what is well-formed.
func FuzzUnwrapDataKey(f *testing.F) {
	k := NewTestKeyring()
	_, good, err := k.NewDataKey()
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{nil, {1}, {1, 0}, {1, 41}, good, good[:len(good)-1], append(bytes.Clone(good), 0)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, wrapped []byte) {
		_, idErr := WrappedKeyID(wrapped)
		dek, err := k.UnwrapDataKey(wrapped)
		if idErr != nil && err == nil {
			t.Fatal("UnwrapDataKey accepted what WrappedKeyID refuses")
		}
		if err == nil && len(dek) != keySize {
			t.Fatalf("unwrapped a %d-byte DEK", len(dek))
		}
		_, _, _ = k.Rewrap(wrapped)
	})
}

// FuzzLoadKeyring parses arbitrary key file bytes: it must never panic; a
// file it accepts must survive a write and a re-read unchanged; and its
// errors must not quote the keys the file holds.
func FuzzLoadKeyring(f *testing.F) {
	good, err := marshalKeyFile(newState(newFakeClock().now()))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(good), "", "{", "null", "[]", `{"format":"vigie-keyring/1"}`,
		`{"format":"vigie-keyring/1","active":"a","keys":[{"id":"a","key":"AAAA","created":"2026-11-27T12:00:00Z","state":"active"}],"index_key":"","audit_key":""}`,
		`{"format":"vigie-keyring/2"}`, `{"keys":7}`, string(good) + "x", strings.Replace(string(good), "retired", "active", 1),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseKeyFile(data)
		if err != nil {
			if s != nil {
				t.Fatal("state returned with an error")
			}
			var raw keyFileJSON
			if json.Unmarshal(data, &raw) == nil {
				noLeak(t, err, raw)
			}
			return
		}
		out, err := marshalKeyFile(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := parseKeyFile(out)
		if err != nil {
			t.Fatalf("a file it accepted does not re-read after writing: %v", err)
		}
		if s2.active != s.active || len(s2.keys) != len(s.keys) || !bytes.Equal(s2.indexKey, s.indexKey) || !bytes.Equal(s2.auditKey, s.auditKey) {
			t.Fatal("writing and re-reading changed the keyring")
		}
		for i := range s.keys {
			if s2.keys[i].id != s.keys[i].id || !bytes.Equal(s2.keys[i].key, s.keys[i].key) || !s2.keys[i].created.Equal(s.keys[i].created) {
				t.Fatalf("writing and re-reading changed key #%d", i+1)
			}
		}
	})
}

// noLeak checks that err quotes none of the file's key strings. Short
// strings, or ones that are also ids or the format, may legitimately appear.
func noLeak(t *testing.T, err error, raw keyFileJSON) {
	t.Helper()
	public := raw.Format
	for _, k := range raw.Keys {
		public += "\x00" + k.ID
	}
	check := func(secret string) {
		if len(secret) >= 16 && !strings.Contains(public, secret) && strings.Contains(err.Error(), secret) {
			t.Fatalf("error quotes a key: %v", err)
		}
	}
	for _, k := range raw.Keys {
		check(k.Key)
	}
	check(raw.IndexKey)
	check(raw.AuditKey)
}
