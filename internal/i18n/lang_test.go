// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"fr", FR, true},
		{"fr-CD", FR, true},
		{"fr_CD", FR, true},
		{"fr-Latn-CD", FR, true},
		{" fr ", FR, true},
		{"FR", FR, true},
		{"fre", FR, true}, // ISO 639-2, as Vigie stores languages
		{"fra", FR, true},
		{"en", EN, true},
		{"EN", EN, true},
		{"en-GB", EN, true},
		{"en-US-x-foo", EN, true},
		{"eng", EN, true},
		{"", "", false},
		{"english", "", false},
		{"français", "", false},
		{"de", "", false},
		{"ln", "", false}, // Lingala: not an interface language
		{"sw-CD", "", false},
		{"und", "", false},
		{"und-FR", "", false}, // no language, only a region
		{"*", "", false},
		{"fr-", "", false},
		{"-fr", "", false},
		{"fr;q=1", "", false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// acceptLanguageTests are also the fuzz target's seed corpus.
var acceptLanguageTests = []struct {
	header string
	want   Lang
}{
	{"", FR},
	{"fr", FR},
	{"en", EN},
	{"en-US,en;q=0.9", EN},
	{"fr-CD,fr;q=0.9,en-US;q=0.8,en;q=0.7", FR},
	{"en-GB,en;q=0.9,fr;q=0.8", EN},
	{"en;q=0.8, fr;q=0.9", FR},
	{"de-DE,de;q=0.9,en;q=0.5", EN},
	{"ln-CD,sw;q=0.9", FR},          // no interface language: the default
	{"ln-CD,sw;q=0.9,en;q=0.1", EN}, // a faint English still beats the default
	{"*", FR},
	{"fr;q=0, en", EN},
	{"en;q=0", FR},
	{"fr;q=0.5, en;q=0.5", FR}, // a tie goes to the first
	{"en;q=0.5, fr;q=0.5", EN},
	{"EN-gb", EN},
	{"en; q=0.9, fr; q=0.8", EN},
	{"en;level=1;q=0.7, fr;q=0.6", EN},
	{"en;Q=0.7, fr;q=0.6", EN},
	// Malformed entries are skipped, the rest still counts.
	{"xx!!, en", EN},
	{"en;q=abc, fr;q=0.1", FR},
	{"en;q=1.5, fr;q=0.1", FR},
	{"en;q=NaN", FR},
	{"en;q=-1", FR},
	{",,, ;;;", FR},
	{"en-" + strings.Repeat("a-", 2000), FR},
}

func TestFromAcceptLanguage(t *testing.T) {
	for _, tt := range acceptLanguageTests {
		if got := FromAcceptLanguage(tt.header); got != tt.want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

// FuzzFromAcceptLanguage: the header comes from anyone on the network, so
// no input may panic or yield anything but an interface language. The
// seeds run with every go test.
func FuzzFromAcceptLanguage(f *testing.F) {
	for _, tt := range acceptLanguageTests {
		f.Add(tt.header)
	}
	f.Add("fr-CD;q=0.9;x=y, en;q=0.8")
	f.Add("\xff\xfe, en")
	f.Add("en;q=0.0000001")
	f.Fuzz(func(t *testing.T, h string) {
		if l := FromAcceptLanguage(h); l != FR && l != EN {
			t.Fatalf("FromAcceptLanguage(%q) = %q", h, l)
		}
		if l, ok := Parse(h); ok != (l == FR || l == EN) {
			t.Fatalf("Parse(%q) = %q, %v", h, l, ok)
		}
	})
}
