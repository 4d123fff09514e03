// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"vigie/internal/domain"
)

// notPeriodic returns a string of n runes with no repeated block and no
// sequence: the decimal numbers 1, 2, 3... written one after the other.
func notPeriodic(n int) string {
	var b strings.Builder
	for i := 1; b.Len() < n; i++ {
		b.WriteString(strconv.Itoa(i))
	}
	return b.String()[:n]
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name     string
		password string
		inputs   []string
		code     string // "" = accepted
	}{
		{"11 characters", "Xq7#mP2$vL9", nil, "validation.password_too_short"},
		{"12 characters", "Xq7#mP2$vL9w", nil, ""},
		{"empty", "", nil, "validation.password_too_short"},
		{"12 emoji count as 12", "🐆🌍🔥🎉🍀🚀🌙⭐🎈🍉🐘🌵", nil, ""},
		{"11 emoji (44 bytes) count as 11", "🐆🌍🔥🎉🍀🚀🌙⭐🎈🍉🐘", nil, "validation.password_too_short"},
		{"12 accented letters", "éléphantçàèù", nil, ""},
		{"11 letters written with combining accents", "e\u0301le\u0301phantc\u0327a\u0300e\u0300", nil, "validation.password_too_short"},
		{"spaces allowed", "un deux trois soleil", nil, ""},
		{"256 characters", notPeriodic(256), nil, ""},
		{"257 characters", notPeriodic(257), nil, "validation.password_too_long"},
		{"not UTF-8", "\xffcheval batterie agrafe", nil, "validation.password_encoding"},

		{"common", "password1234", nil, "validation.password_common"},
		{"common, other case", "PassWord1234", nil, "validation.password_common"},
		{"common keyboard walk", "1qaz2wsx3edc", nil, "validation.password_common"},
		{"French keyboard", "AZERTYuiop1234", nil, "validation.password_common"},
		{"French supplement", "MotDePasse123", nil, "validation.password_common"},
		{"Congolese supplement", "Kinshasa2026", nil, "validation.password_common"},
		{"accented supplement, decomposed", "se\u0301curite\u03012026", nil, "validation.password_common"},

		{"contains e-mail local part", "jean.mukendi 2026!", []string{"Jean.Mukendi@example.cd"}, "validation.password_personal"},
		{"equals the name", "Mukendi Kabila", []string{"jean@example.cd", "  mukendi kabila "}, "validation.password_personal"},
		{"equals the e-mail", "jean@example.cd", []string{"jean@example.cd"}, "validation.password_personal"},
		{"short local part is not searched", "jolie maison bleue", []string{"jo@example.cd"}, ""},
		{"empty input ignored", "cheval batterie agrafe correct", []string{"", "  "}, ""},
		{"name inside a passphrase is allowed", "mukendi aime le fleuve", []string{"Mukendi"}, ""},

		{"one character repeated", "aaaaaaaaaaaa", nil, "validation.password_repeated"},
		{"emoji repeated", strings.Repeat("🐆", 12), nil, "validation.password_repeated"},
		{"block repeated", "abcabcabcabc", nil, "validation.password_repeated"},
		{"pair repeated", "121212121212", nil, "validation.password_repeated"},
		{"word repeated", "BonjourBonjour", nil, "validation.password_repeated"},
		{"block of 12 repeated is long enough", "Xq7#mP2$vL9wXq7#mP2$vL9w", nil, ""},

		{"digits climbing round", "567890123456", nil, "validation.password_sequence"},
		{"listed sequence", "123456789012", nil, "validation.password_common"},
		{"digits descending round", "210987654321", nil, "validation.password_sequence"},
		{"letters climbing", "abcdefghijkl", nil, "validation.password_sequence"},
		{"capitals climbing", "ABCDEFGHIJKLM", nil, "validation.password_sequence"},
		{"letters descending", "lkjihgfedcba", nil, "validation.password_sequence"},
		{"almost a sequence", "abcdefghijkm", nil, ""},

		{"passphrase", "cheval batterie agrafe correct", nil, ""},
		{"French passphrase", "Le fleuve Congo coule vers l'océan", []string{"marie@example.cd", "Marie Lukusa"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.password, tt.inputs...)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("CheckPassword(%q) = %v, want nil", tt.password, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckPassword(%q) = nil, want %s", tt.password, tt.code)
			}
			if k := domain.KindOf(err); k != domain.KindInvalid {
				t.Errorf("kind %q, want invalid", k)
			}
			fields := domain.FieldErrors(err)
			if len(fields) != 1 {
				t.Fatalf("field errors %+v, want one", fields)
			}
			f := fields[0]
			if f.Field != "password" || f.Code != tt.code {
				t.Errorf("field %q code %q, want password %s", f.Field, f.Code, tt.code)
			}
			fr, en, found := strings.Cut(f.Message, " / ")
			if !found || fr == "" || en == "" || fr == en {
				t.Errorf("message %q is not French / English", f.Message)
			}
		})
	}
}

func TestCheckPasswordMessage(t *testing.T) {
	err := CheckPassword("court")
	want := "doit compter au moins 12 caractères / must be at least 12 characters"
	if f := domain.FieldErrors(err); len(f) != 1 || f[0].Message != want {
		t.Errorf("field errors %+v, want the message %q", f, want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("Error() = %q does not carry the message", err.Error())
	}
}

// TestCommonPasswordList checks the embedded list: its size, the entries
// the policy promises to refuse, and that its comment lines are skipped.
func TestCommonPasswordList(t *testing.T) {
	set := commonPasswords()
	if len(set) < 10000 {
		t.Errorf("%d common passwords, want at least 10000", len(set))
	}
	for _, w := range []string{
		"password1234", "azertyuiop", "motdepasse", "qwertyuiop123", // upstream
		"motdepasse123", "azerty123456", "kinshasa2026", "bonjour123456", "soleil123456", "congo1234567", // supplement
	} {
		if _, ok := set[w]; !ok {
			t.Errorf("%q is not in the list", w)
		}
	}
	for w := range set {
		if strings.HasPrefix(w, "# ") || w != foldPassword(w) || utf8.RuneCountInString(w) < 8 {
			t.Errorf("entry %q: comment, not folded, or shorter than 8", w)
		}
	}
}

func TestPeriodAndSequence(t *testing.T) {
	periods := map[string]int{"a": 1, "aaaa": 1, "abab": 2, "abcabc": 3, "abcab": 5, "abcd": 4, "": 0}
	for s, want := range periods {
		if got := period([]rune(s)); got != want {
			t.Errorf("period(%q) = %d, want %d", s, got, want)
		}
	}
	sequences := map[string]bool{"89012": true, "cba": true, "a": false, "": false, "ace": false, "9876543210": true, "xyz{": true}
	for s, want := range sequences {
		if got := isSequence([]rune(s)); got != want {
			t.Errorf("isSequence(%q) = %v, want %v", s, got, want)
		}
	}
}
