// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"bytes"
	"strings"
	"testing"
)

func TestSealOpenRoundTrip(t *testing.T) {
	dek := randomBytes(keySize)
	tests := []struct {
		name           string
		plaintext, aad []byte
	}{
		{"Empty", nil, []byte("case-1/name")},
		{"OneByte", []byte{0}, []byte("case-1/name")},
		{"Text", []byte("Mbuyi Kabila, née à Kinshasa"), []byte("case-1/name")},
		{"NoAAD", []byte("x"), nil},
		{"OneKB", bytes.Repeat([]byte("v"), 1024), []byte("case-2/notes")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := Seal(dek, tt.plaintext, tt.aad)
			if err != nil {
				t.Fatal(err)
			}
			if want := 1 + nonceSize + len(tt.plaintext) + tagSize; len(sealed) != want || sealed[0] != sealVersion {
				t.Fatalf("sealed value is %d bytes with version %d, want %d bytes with version %d", len(sealed), sealed[0], want, sealVersion)
			}
			if len(tt.plaintext) >= 4 && bytes.Contains(sealed, tt.plaintext) {
				t.Fatal("sealed value contains the plaintext")
			}
			got, err := Open(dek, sealed, tt.aad)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Fatalf("Open = %q, want %q", got, tt.plaintext)
			}
			again, err := Seal(dek, tt.plaintext, tt.aad)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(again, sealed) {
				t.Fatal("sealing twice gave the same bytes: the nonce is not random")
			}
		})
	}
}

func TestSealBadKey(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33} {
		if _, err := Seal(make([]byte, n), []byte("x"), nil); err == nil {
			t.Errorf("Seal with a %d-byte key succeeded", n)
		}
		if _, err := Open(make([]byte, n), make([]byte, 64), nil); err == nil {
			t.Errorf("Open with a %d-byte key succeeded", n)
		}
	}
}

// TestOpenRejects checks that every way a sealed value can be wrong is an
// error and never a panic or a silently wrong plaintext.
func TestOpenRejects(t *testing.T) {
	dek := randomBytes(keySize)
	plaintext := []byte("victim's address")
	aad := []byte("case-1/address")
	sealed, err := Seal(dek, plaintext, aad)
	if err != nil {
		t.Fatal(err)
	}
	mustFail := func(t *testing.T, what string, dek, sealed, aad []byte) {
		t.Helper()
		pt, err := Open(dek, sealed, aad)
		if err == nil {
			t.Fatalf("%s: Open succeeded", what)
		}
		if pt != nil {
			t.Fatalf("%s: Open returned a plaintext with its error", what)
		}
		if strings.Contains(err.Error(), string(plaintext)) {
			t.Fatalf("%s: error leaks the plaintext: %v", what, err)
		}
	}
	t.Run("WrongAAD", func(t *testing.T) {
		mustFail(t, "other row", dek, sealed, []byte("case-2/address"))
		mustFail(t, "other column", dek, sealed, []byte("case-1/phone"))
		mustFail(t, "no aad", dek, sealed, nil)
	})
	t.Run("WrongKey", func(t *testing.T) {
		mustFail(t, "other key", randomBytes(keySize), sealed, aad)
	})
	t.Run("UnknownVersion", func(t *testing.T) {
		c := bytes.Clone(sealed)
		c[0] = 2
		pt, err := Open(dek, c, aad)
		if err == nil || pt != nil || !strings.Contains(err.Error(), "unknown format version 2") {
			t.Fatalf("got %q, %v", pt, err)
		}
	})
	t.Run("BitFlips", func(t *testing.T) {
		for i := range sealed {
			for bit := range 8 {
				c := bytes.Clone(sealed)
				c[i] ^= 1 << bit
				mustFail(t, "flip", dek, c, aad)
			}
		}
	})
	t.Run("Truncations", func(t *testing.T) {
		for n := range len(sealed) {
			mustFail(t, "truncated", dek, sealed[:n], aad)
		}
	})
	t.Run("Extended", func(t *testing.T) {
		mustFail(t, "extra byte", dek, append(bytes.Clone(sealed), 0), aad)
	})
	if _, err := Open(dek, sealed, aad); err != nil {
		t.Fatalf("the original no longer opens: %v", err)
	}
}
