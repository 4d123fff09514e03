// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"regexp"
	"strings"
	"testing"
)

var recoveryFormat = regexp.MustCompile(`^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$`)

func TestNewRecoveryCodes(t *testing.T) {
	plain, hashes, err := NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) != 10 || len(hashes) != 10 {
		t.Fatalf("%d codes and %d hashes, want 10 and 10", len(plain), len(hashes))
	}
	seen := map[string]bool{}
	for i, code := range plain {
		if !recoveryFormat.MatchString(code) {
			t.Errorf("code %q is not xxxx-xxxx-xxxx from the unambiguous alphabet", code)
		}
		if seen[code] {
			t.Errorf("code %q repeated", code)
		}
		seen[code] = true
		if hashes[i] != HashRecoveryCode(code) || len(hashes[i]) != 64 {
			t.Errorf("hash %q of %q is not its SHA-256 hex", hashes[i], code)
		}
	}
}

// TestRecoveryAlphabet draws enough codes that every symbol should appear
// and checks that the ambiguous ones never do.
func TestRecoveryAlphabet(t *testing.T) {
	counts := map[rune]int{}
	for range 100 {
		plain, _, err := NewRecoveryCodes()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range strings.Join(plain, "") {
			counts[r]++
		}
	}
	for _, r := range "0o1li" {
		if counts[r] > 0 {
			t.Errorf("ambiguous %q appears %d times", r, counts[r])
		}
	}
	// 12000 symbols over 31: each expected ≈ 387 times.
	for _, r := range recoveryAlphabet {
		if counts[r] < 250 || counts[r] > 550 {
			t.Errorf("symbol %q drawn %d times, expected about 387", r, counts[r])
		}
	}
}

func TestHashRecoveryCodeNormalises(t *testing.T) {
	want := HashRecoveryCode("abcd-efgh-jkmn")
	for _, typed := range []string{
		"abcdefghjkmn",
		"ABCD-EFGH-JKMN",
		"abcd efgh jkmn",
		" Abcd-Efgh-Jkmn\n",
		"abcd–efgh—jkmn", // en and em dashes from a phone keyboard
	} {
		if got := HashRecoveryCode(typed); got != want {
			t.Errorf("HashRecoveryCode(%q) differs from that of abcd-efgh-jkmn", typed)
		}
	}
	if HashRecoveryCode("abcd-efgh-jkmp") == want {
		t.Error("a different code has the same hash")
	}
}
