// SPDX-License-Identifier: AGPL-3.0-or-later

package csvsep

import (
	"strings"
	"testing"
)

func TestFromWindows1252(t *testing.T) {
	tests := []struct {
		name, in, out string
		decoded       bool
	}{
		{"ASCII", "Kinshasa", "Kinshasa", false},
		{"UTF8", "Zoé Hélène", "Zoé Hélène", false},
		{"Windows1252", "Zo\xe9 H\xe9l\xe8ne", "Zoé Hélène", true},
		{"Windows1252Specials", "d\x92Ivoire \x80 \x9c", "d’Ivoire € œ", true},
		{"Undefined", "a\x81b\xe9", "a\x81b\xe9", false},
		{"Empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FromWindows1252(tt.in)
			if got != tt.out || ok != tt.decoded {
				t.Fatalf("got %q %v, want %q %v", got, ok, tt.out, tt.decoded)
			}
		})
	}
}

func TestNotText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"PK\x03\x04rest", "XLSX"},
		{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"},
		{"\x1f\x8b\b", "gzip"},
		{"%PDF-1.7", "PDF"},
		{"yearOfRegistration,gender\n2015,Female\n", ""},
		{"prénom;nom\r\n", ""},
		{"", ""},
		{"a,b\x00c\n", ""}, // a NUL is a row's problem, rejected with it
		{"y\x00e\x00a\x00r\x00,\x00", "UTF-16"},
		{"\x00y\x00e\x00a\x00r\x00,", "UTF-16"},
		{"\x00\x00\x00\x00", ""},
	} {
		if got := NotText([]byte(tc.in)); !strings.Contains(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("NotText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
