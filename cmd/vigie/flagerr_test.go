// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"strings"
	"testing"
)

// TestFlagErrorsInBothLanguages: a command line the flag package refuses
// says so in French first and English beside, as every other message —
// it was Go's English alone ('flag provided but not defined: -bogus',
// 'flag needs an argument: -out', 'invalid value "abc" for flag -days:
// parse error').
func TestFlagErrorsInBothLanguages(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--data", "DATA", "--bogus"}, "option inconnue / unknown flag: -bogus"},
		{[]string{"case", "list", "--data", "DATA", "-x"}, "option inconnue / unknown flag: -x"},
		{[]string{"export", "htcds", "--data", "DATA", "--out"}, "l'option -out attend une valeur / flag -out needs a value"},
		{[]string{"token", "create", "a@b.cd", "--data", "DATA", "--days", "abc"}, `valeur invalide pour / invalid value for -days: "abc"`},
		{[]string{"case", "list", "--data", "DATA", "--json=maybe"}, `valeur invalide pour / invalid value for -json: "maybe"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, "_"), func(t *testing.T) {
			args := append([]string{}, tt.args...)
			for i, a := range args {
				if a == "DATA" {
					args[i] = t.TempDir()
				}
			}
			code, _, errs := vigie(t, "", args...)
			if code != 2 || !strings.Contains(errs, tt.want) {
				t.Errorf("vigie %v: exit %d, stderr ends %q; want 2 and %q", tt.args, code, tail(errs), tt.want)
			}
		})
	}
}

func tail(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndex(s, "\n")+1:]
}
