// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"strings"
	"testing"
)

// TestErrorsInBothLanguages: an error of the registry that says itself in
// English only is given French first — the kind of error, and for each
// refused field the catalog's French sentence of its code — with the
// English detail beside; messages already in both languages are left as
// they are. They were English alone: 'vigie: invalid data',
// '  person.prs_MobilePhone: "abc" is not an E.164 phone number',
// 'vigie: case KIN-2026-999999 does not exist'.
func TestErrorsInBothLanguages(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Kinshasa", "--data", data); code != 0 {
		t.Fatalf("agency add: %d %s", code, errs)
	}
	bad := `{"agency":"KIN","person":{"prs_Gender":"Feminine","prs_MobilePhone":"abc"},"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}}`
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  []string
	}{
		{"Invalid", bad, []string{"case", "add", "-"}, 3, []string{
			"vigie: données invalides / invalid data\n",
			"  person.prs_MobilePhone: Saisissez un numéro au format international, par exemple +243812345678. / \"abc\" is not an E.164 phone number",
		}},
		{"NotFound", "", []string{"case", "show", "KIN-2026-999999"}, 4, []string{
			"vigie: le dossier KIN-2026-999999 n'existe pas / case KIN-2026-999999 does not exist",
		}},
		{"Conflict", "", []string{"agency", "add", "KIN", "Autre"}, 5, []string{
			"vigie: le code d'agence KIN est déjà pris / agency code KIN is already used",
		}},
		// French first on the messages found English alone in the
		// acceptance pass (a JSON body that does not parse, an empty one,
		// an export into a folder that does not exist).
		{"MalformedJSON", "not json", []string{"case", "add", "-"}, 3, []string{"JSON mal formé à l'octet", " / malformed JSON at byte"}},
		{"EmptyJSON", "", []string{"case", "add", "-"}, 3, []string{"le document est vide", " / the document is empty"}},
		{"ExportNoFolder", "", []string{"export", "htcds", "--format", "csv", "--out", "/nonexistent/dir/x.csv"}, 4, []string{
			"vigie: /nonexistent/dir : le dossier n'existe pas / /nonexistent/dir: the folder does not exist"}},
		{"AlreadyBilingual", "", []string{"case", "list", "--data", t.TempDir() + "/none"}, 4, []string{
			"vigie: pas de base de données dans",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := vigie(t, tt.stdin, append(tt.args, "--data", data)...)
			if tt.name == "AlreadyBilingual" {
				code, _, errs = vigie(t, tt.stdin, tt.args...)
			}
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q lacks %q", errs, w)
				}
			}
		})
	}
}
