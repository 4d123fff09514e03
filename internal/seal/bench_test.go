// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"bytes"
	"testing"
)

func BenchmarkSealOpen(b *testing.B) {
	dek := randomBytes(keySize)
	plaintext := bytes.Repeat([]byte("x"), 1024)
	aad := []byte("0190b8e2-7f1c-7a00-8000-000000000001/notes")
	b.SetBytes(int64(len(plaintext)))
	for b.Loop() {
		sealed, err := Seal(dek, plaintext, aad)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Open(dek, sealed, aad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewDataKey(b *testing.B) {
	k := NewTestKeyring()
	for b.Loop() {
		if _, _, err := k.NewDataKey(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnwrapDataKey(b *testing.B) {
	k := NewTestKeyring()
	_, wrapped, err := k.NewDataKey()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := k.UnwrapDataKey(wrapped); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	k := NewTestKeyring()
	for b.Loop() {
		k.BlindIndex("person.last_name", "kabila")
	}
}

// BenchmarkRefresh is the cost a server pays before each new DEK.
func BenchmarkRefresh(b *testing.B) {
	k, err := OpenKeyring(b.TempDir() + "/keyring.json")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := k.Refresh(); err != nil {
			b.Fatal(err)
		}
	}
}
