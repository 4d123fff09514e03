// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"bytes"
	"testing"
)

func TestBlindIndex(t *testing.T) {
	a, b := NewTestKeyring(), NewTestKeyring()
	base := a.BlindIndex("person.last_name", "kabila")
	if len(base) != 16 {
		t.Fatalf("blind index is %d bytes, want 16", len(base))
	}
	if !bytes.Equal(base, a.BlindIndex("person.last_name", "kabila")) {
		t.Fatal("blind index is not deterministic")
	}
	tests := []struct {
		name string
		got  []byte
	}{
		{"OtherKeyring", b.BlindIndex("person.last_name", "kabila")},
		{"OtherTag", a.BlindIndex("person.first_name", "kabila")},
		{"OtherToken", a.BlindIndex("person.last_name", "kabil")},
		{"SeparatorShift", a.BlindIndex("person.last_namek", "abila")},
		{"Empty", a.BlindIndex("", "")},
	}
	for _, tt := range tests {
		if bytes.Equal(tt.got, base) {
			t.Errorf("%s: same blind index", tt.name)
		}
	}
}

func TestAuditMAC(t *testing.T) {
	k := NewTestKeyring()
	prev, entry := bytes.Repeat([]byte{1}, 32), []byte(`{"user":"a","action":"view","case":1}`)
	base := k.AuditMAC(prev, entry)
	if len(base) != 32 {
		t.Fatalf("audit MAC is %d bytes, want 32", len(base))
	}
	if !bytes.Equal(base, k.AuditMAC(prev, entry)) {
		t.Fatal("audit MAC is not deterministic")
	}
	otherPrev := bytes.Clone(prev)
	otherPrev[31] ^= 1
	otherEntry := bytes.Clone(entry)
	otherEntry[0] ^= 1
	tests := []struct {
		name string
		got  []byte
	}{
		{"OtherPrev", k.AuditMAC(otherPrev, entry)},
		{"OtherEntry", k.AuditMAC(prev, otherEntry)},
		{"ShiftedSplit", k.AuditMAC(prev[:31], append([]byte{1}, entry...))},
		{"NoPrev", k.AuditMAC(nil, append(bytes.Clone(prev), entry...))},
		{"OtherKeyring", NewTestKeyring().AuditMAC(prev, entry)},
	}
	for _, tt := range tests {
		if bytes.Equal(tt.got, base) {
			t.Errorf("%s: same MAC", tt.name)
		}
	}
}
