// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"strings"
	"testing"

	"vigie/internal/domain"
)

// TestShortTextsRefuseBidiControls: a bidirectional override makes a name
// display as another one in a list; after the victims' names, the other
// short texts accepted it (an agency's name, a user's name and e-mail, a
// situation's title, an event's city, a referral's organisation), and a
// line separator (U+2028) passed where a newline is refused. A narrative
// keeps both, byte for byte.
func TestShortTextsRefuseBidiControls(t *testing.T) {
	today := domain.NewDate(2026, 11, 27)
	const rlo = "Bu\u202ekavu"
	tests := []struct {
		name  string
		check func() error
		field string
	}{
		{"AgencyName", func() error { a := domain.Agency{Code: "BUK", Name: rlo}; return a.Validate() }, "org_Name"},
		{"AgencyNameNewline", func() error { a := domain.Agency{Code: "BEX", Name: "Be\nni"}; return a.Validate() }, "org_Name"},
		{"UserName", func() error {
			u := domain.User{Email: "a@ex.cd", Name: rlo, Agency: "KIN", Roles: []domain.Role{domain.RoleCaseworker}}
			return u.Validate()
		}, "name"},
		{"UserEmail", func() error {
			u := domain.User{Email: "ev\u202eil@ex.cd", Agency: "KIN", Roles: []domain.Role{domain.RoleCaseworker}}
			return u.Validate()
		}, "email"},
		{"SituationTitle", func() error { s := domain.Situation{Agency: "KIN", Title: "Réseau\u2066 X"}; return s.Validate() }, "title"},
		{"EventCity", func() error { e := domain.Event{Type: "Transit", City: rlo}; return e.Validate(today).Err() }, "hte_City"},
		{"ReferralOrganisation", func() error {
			r := domain.Referral{Direction: "outgoing", ReferredOrganisation: rlo}
			return r.Validate(today).Err()
		}, "cas_ReferredOrganisation"},
		{"NameLineSeparator", func() error {
			c := domain.Case{Agency: "KIN", Person: domain.Person{FirstName: "Ali\u2028Baba"}, Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
			c.Normalize(today)
			return c.Validate(today)
		}, "person.prs_FirstName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			fe := domain.FieldErrors(err)
			if len(fe) != 1 || fe[0].Field != tt.field || fe[0].Code != "validation.control_character" && fe[0].Code != "validation.email" && fe[0].Code != "validation.one_line" {
				t.Fatalf("got %v, want a refusal on %s", err, tt.field)
			}
		})
	}
	c := domain.Comment{Text: "Témoignage : " + rlo + "\u2028suite"}
	if err := c.Validate(today).Err(); err != nil {
		t.Fatalf("a comment lost its bidi text: %v", err)
	}
	if !strings.Contains(c.Text, "\u202e") {
		t.Fatal("the comment changed")
	}
}
