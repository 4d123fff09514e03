// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"testing"

	"vigie/internal/domain"
)

// TestInvisibleOnlyTextRefused: a name of zero-width spaces passed as a
// name (it is not blank to strings.TrimSpace) and showed as nothing on
// every page; a comment of a word joiner alone passed "is required".
// Text with something visible keeps its joiners (Persian and Indic names
// need ZWJ/ZWNJ), and spaces alone stay the business of the trim rules.
func TestInvisibleOnlyTextRefused(t *testing.T) {
	today := domain.NewDate(2026, 11, 27)
	caseWith := func(first string) error {
		c := domain.Case{Agency: "KIN", Person: domain.Person{FirstName: first}, Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
		c.Normalize(today)
		return c.Validate(today)
	}
	tests := []struct {
		name  string
		check func() error
		field string // "" when accepted
	}{
		{"ZeroWidthName", func() error { return caseWith("\u200b\u200b") }, "person.prs_FirstName"},
		{"BOMAndSpaceName", func() error { return caseWith(" \ufeff ") }, "person.prs_FirstName"},
		{"WordJoinerComment", func() error { c := domain.Comment{Text: "\u2060"}; return c.Validate(today).Err() }, "cco_CaseComment"},
		{"JoinerInsideName", func() error { return caseWith("می\u200cخواهم") }, ""},
		{"PlainName", func() error { return caseWith("Mbuyi") }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			fe := domain.FieldErrors(err)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if len(fe) != 1 || fe[0].Field != tt.field || fe[0].Code != "validation.invisible_only" {
				t.Fatalf("got %v, want validation.invisible_only on %s", err, tt.field)
			}
		})
	}
}
