// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"strconv"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestUpdateKeepsRegistration: an update that leaves the registration out
// (an API client's PUT of the fields it edits, a page that does not show
// it) keeps the stored one. It used to be "normalized" to today's date
// before the stored case was read, so that editing a name moved a case
// registered in 2020 — or an imported CTDC record with a year only — to
// this year: in the lists, the counts and every statistic by year.
func TestUpdateKeepsRegistration(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		tests := []struct {
			name string
			// stored is set on the case before it is created.
			stored func(c *domain.Case)
			// sent is set on the update.
			sent               func(c *domain.Case)
			wantDate, wantYear string
			wantPeriod         string
		}{
			{"DateLeftOut", func(c *domain.Case) { c.RegistrationDate = domain.NewDate(2020, 7, 1) },
				func(c *domain.Case) {}, "2020-07-01", "2020", ""},
			{"YearOnlyLeftOut", func(c *domain.Case) {
				c.RegistrationDate, c.RegistrationYear, c.SourceKey = domain.Date{}, 2015, "ctdc:regdate:1"
			}, func(c *domain.Case) {}, "", "2015", ""},
			{"PeriodLeftOut", func(c *domain.Case) {
				c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod, c.SourceKey = domain.Date{}, 2014, "2014-2018", "ctdc:regdate:2"
			}, func(c *domain.Case) {}, "", "2014", "2014-2018"},
			{"DateChanged", func(c *domain.Case) { c.RegistrationDate = domain.NewDate(2020, 7, 1) },
				func(c *domain.Case) { c.RegistrationDate = domain.NewDate(2021, 2, 3) }, "2021-02-03", "2021", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := NewCase("KIN")
				tt.stored(c)
				MustCreateCase(t, db, c)
				u := NewCase("KIN")
				u.RegistrationDate = domain.Date{}
				u.Events = nil
				u.ID, u.Version = c.ID, c.Version
				u.Person.FirstName = "Edited"
				tt.sent(u)
				if err := db.UpdateCase(ctx, u); err != nil {
					t.Fatal(err)
				}
				got, err := db.Case(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				date := ""
				if !got.RegistrationDate.IsZero() {
					date = got.RegistrationDate.String()
				}
				if date != tt.wantDate || strconv.Itoa(got.RegistrationYear) != tt.wantYear || got.RegistrationPeriod != tt.wantPeriod {
					t.Errorf("registration after the update: date %q year %d period %q, want %q %s %q",
						date, got.RegistrationYear, got.RegistrationPeriod, tt.wantDate, tt.wantYear, tt.wantPeriod)
				}
				if got.Person.FirstName != "Edited" {
					t.Errorf("the update was not applied: %q", got.Person.FirstName)
				}
			})
		}
		checkCubes(t, db, "after the updates")
	})
}
