// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import "testing"

// TestBirthdateBeforeRegistration: a person is registered after being
// born. A birth date after the registration date (or in a later year than
// the registration year) was stored, and the case then counted as of
// unknown age group in every list and figure, without a word.
func TestBirthdateBeforeRegistration(t *testing.T) {
	today := NewDate(2026, 11, 27)
	tests := []struct {
		name       string
		birth, reg Date
		year       int // registration year when no date
		code       string
	}{
		{"ErrAfterDate", NewDate(2020, 7, 17), NewDate(2018, 7, 27), 0, "validation.date_order"},
		{"ErrDayAfter", NewDate(2018, 7, 28), NewDate(2018, 7, 27), 0, "validation.date_order"},
		{"ErrLaterThanYear", NewDate(2019, 1, 1), Date{}, 2018, "validation.date_order"},
		{"OK/SameDay", NewDate(2018, 7, 27), NewDate(2018, 7, 27), 0, ""},
		{"OK/Before", NewDate(2001, 2, 3), NewDate(2018, 7, 27), 0, ""},
		{"OK/SameYear", NewDate(2018, 12, 31), Date{}, 2018, ""},
		{"OK/NoRegistration", NewDate(2018, 12, 31), Date{}, 0, ""},
		{"ErrAfterPeriod", NewDate(2000, 5, 10), Date{}, -1, "validation.date_order"},
		{"OK/InPeriod", NewDate(1994, 5, 10), Date{}, -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Case{Agency: "KIN", Status: "Active", RegistrationDate: tt.reg, RegistrationYear: tt.year,
				Person: Person{Birthdate: tt.birth}, Victim: Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
			if !tt.reg.IsZero() {
				c.RegistrationYear = tt.reg.Year()
			}
			if tt.year == -1 { // registered with the span 1990-1995
				c.RegistrationYear, c.RegistrationPeriod = 0, "1990-1995"
			}
			got := ""
			for _, fe := range FieldErrors(c.Validate(today)) {
				if fe.Field == "person.prs_Birthdate" {
					got = fe.Code
				} else {
					t.Errorf("unexpected %+v", fe)
				}
			}
			if got != tt.code {
				t.Fatalf("person.prs_Birthdate: code %q, want %q", got, tt.code)
			}
		})
	}
}
