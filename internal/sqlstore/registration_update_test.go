// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestUpdateKeepsTheRegistrationDate: an update that sends the year alone
// keeps the stored date when it is of that year, and is refused on the
// year when it is another (the date was dropped without a word and the
// case moved to the year sent). A new date still changes both.
func TestUpdateKeepsTheRegistrationDate(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := NewCase("KIN")
		c.RegistrationDate = domain.NewDate(2025, 6, 1)
		c = MustCreateCase(t, db, c)
		check := func(date domain.Date, year int) {
			t.Helper()
			got, err := db.Case(ctx, c.ID)
			if err != nil || got.RegistrationDate != date || got.RegistrationYear != year {
				t.Fatalf("registration %v / %d, want %v / %d (%v)", got.RegistrationDate, got.RegistrationYear, date, year, err)
			}
			c = got
		}
		x := *c
		x.RegistrationDate, x.RegistrationYear = domain.Date{}, 2025
		if err := db.UpdateCase(ctx, &x); err != nil {
			t.Fatal(err)
		}
		check(domain.NewDate(2025, 6, 1), 2025)
		x = *c
		x.RegistrationDate, x.RegistrationYear = domain.Date{}, 2024
		err := db.UpdateCase(ctx, &x)
		wantKind(t, err, domain.KindInvalid)
		if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Field != "vig_RegistrationYear" {
			t.Fatalf("another year without a date: %+v", fe)
		}
		check(domain.NewDate(2025, 6, 1), 2025)
		x = *c
		x.RegistrationDate, x.RegistrationYear = domain.NewDate(2024, 2, 3), 0
		if err := db.UpdateCase(ctx, &x); err != nil {
			t.Fatal(err)
		}
		check(domain.NewDate(2024, 2, 3), 2024)
	})
}
