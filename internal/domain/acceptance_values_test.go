// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"testing"

	"vigie/internal/domain"
)

// TestCaseValuesRefused holds values the acceptance pass sent through the
// API and saw stored: a trafficking-status decision dated in the future
// and an empty citizenship (a JSON null in the list). Right-to-left text
// and marks stay allowed (bidirectional overrides too: they are stored
// byte for byte, see TestAttackHostileText).
func TestCaseValuesRefused(t *testing.T) {
	today := domain.NewDate(2026, 11, 27)
	tests := []struct {
		name  string
		edit  func(*domain.Case)
		field string // "" means valid
		code  string
	}{
		{"DecisionToday", func(c *domain.Case) { c.Victim.TraffickingStatusDate = today }, "", ""},
		{"DecisionTomorrow", func(c *domain.Case) { c.Victim.TraffickingStatusDate = domain.NewDate(2026, 11, 28) },
			"victim.vig_TraffickingStatusDate", "validation.date_in_future"},
		{"DecisionIn2099", func(c *domain.Case) { c.Victim.TraffickingStatusDate = domain.NewDate(2099, 1, 1) },
			"victim.vig_TraffickingStatusDate", "validation.date_in_future"},
		{"DecisionBefore1900", func(c *domain.Case) { c.Victim.TraffickingStatusDate = domain.NewDate(1899, 12, 31) },
			"victim.vig_TraffickingStatusDate", "validation.date_too_old"},
		// 0001-01-01 is time's zero: it was read as "no date" and vanished.
		{"BirthdateYearOne", func(c *domain.Case) { c.Person.Birthdate = mustParseDate(t, "0001-01-01") },
			"person.prs_Birthdate", "validation.date_too_old"},
		{"RegistrationYearOne", func(c *domain.Case) { c.RegistrationDate = mustParseDate(t, "0001-01-01") },
			"vig_RegistrationDate", "validation.date_too_old"},
		{"EventYearOne", func(c *domain.Case) {
			c.Events = []*domain.Event{{Type: "Exploitation", Date: mustParseDate(t, "0001-01-01")}}
		}, "events[0].hte_Date", "validation.date_too_old"},
		// Refused by the store after the other rows, with no field.
		{"SituationNotAnID", func(c *domain.Case) { c.SituationID = "not-a-uuid" }, "situation_id", "validation.identifier"},
		{"EmptyCitizenship", func(c *domain.Case) { c.Person.Citizenship = []string{""} },
			"person.prs_Citizenship", "validation.country"},
		{"EmptyCitizenshipBesideOne", func(c *domain.Case) { c.Person.Citizenship = []string{"CD", ""} },
			"person.prs_Citizenship", "validation.country"},
		{"EmptyPerpetratorCitizenship", func(c *domain.Case) {
			c.Perpetrators = []*domain.Perpetrator{{Person: domain.Person{Citizenship: []string{""}}}}
		}, "perpetrators[0].person.prs_Citizenship", "validation.country"},
		{"RightToLeftMarkAllowed", func(c *domain.Case) { c.Person.FirstName = "Amani\u200f" }, "", ""},
		{"ArabicNameAllowed", func(c *domain.Case) { c.Person.FirstName = "أماني" }, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &domain.Case{Agency: "KIN", Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
			c.Normalize(today)
			tt.edit(c)
			err := c.Validate(today)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			for _, f := range domain.FieldErrors(err) {
				if f.Field == tt.field && f.Code == tt.code {
					return
				}
			}
			t.Fatalf("no %s on %s: %v", tt.code, tt.field, err)
		})
	}
}

// TestCaseFilterErrorsNameTheParameter: an error of a list's filter names
// the query parameter (and CLI flag) that was given, as the other filter
// errors do, not the HTCDS field it filters: ?status=active is refused
// on "status", which the client can find in its URL, not "cas_Status".
func TestCaseFilterErrorsNameTheParameter(t *testing.T) {
	tests := []struct {
		name  string
		f     domain.CaseFilter
		field string
	}{
		{"Status", domain.CaseFilter{Status: "active"}, "status"},
		{"Gender", domain.CaseFilter{Gender: "female"}, "gender"},
		{"AgeGroup", domain.CaseFilter{AgeGroup: "adult"}, "age_group"},
		{"AgeBand", domain.CaseFilter{AgeBand: "9-17"}, "age_band"},
		{"Exploitation", domain.CaseFilter{Exploitation: "Sexual Exploitation"}, "exploitation"},
		{"TraffickingStatus", domain.CaseFilter{TraffickingStatus: "Victim"}, "trafficking_status"},
		{"Citizenship", domain.CaseFilter{Citizenship: "cd"}, "citizenship"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := domain.FieldErrors(tt.f.Validate())
			if len(fe) != 1 || fe[0].Field != tt.field || fe[0].Code != "validation.enum" && fe[0].Code != "validation.country" {
				t.Fatalf("got %+v, want one error on %s", fe, tt.field)
			}
		})
	}
}

func mustParseDate(t *testing.T, s string) domain.Date {
	t.Helper()
	d, err := domain.ParseDate(s)
	if err != nil || d.IsZero() {
		t.Fatalf("ParseDate(%q) = %v, %v: want a date that is not zero", s, d, err)
	}
	return d
}

// TestRefusedRegistrationDateIsOneProblem: a registration date in the
// future is one problem on vig_RegistrationDate; the year Normalize takes
// from it was refused a second time (with an empty value in the reject
// file, a year nobody wrote).
func TestRefusedRegistrationDateIsOneProblem(t *testing.T) {
	today := domain.NewDate(2026, 11, 27)
	for _, date := range []string{"2030-01-01", "1850-06-01"} {
		c := &domain.Case{Agency: "KIN", Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
		c.RegistrationDate = mustParseDate(t, date)
		c.Normalize(today)
		fields := domain.FieldErrors(c.Validate(today))
		if len(fields) != 1 || fields[0].Field != "vig_RegistrationDate" {
			t.Errorf("%s: %v, want one problem on vig_RegistrationDate", date, fields)
		}
	}
	// A year given beside a date of another year is still refused.
	c := &domain.Case{Agency: "KIN", Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
	c.RegistrationDate, c.RegistrationYear = domain.NewDate(2030, 1, 1), 2031
	c.Normalize(today)
	if fields := domain.FieldErrors(c.Validate(today)); len(fields) != 2 {
		t.Errorf("date 2030 and year 2031: %v, want two problems", fields)
	}
}
