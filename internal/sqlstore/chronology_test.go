// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestPartsBeforeBirth: a part added to or changed in a stored case may
// not be dated before the victim's birth (the stored birth date is read
// in the part's transaction), and an update of the case may not move the
// birth date after the dates its parts hold. Nothing refused is stored.
func TestPartsBeforeBirth(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := MustCreateCase(t, db, NewCase("KIN")) // born 2009-05-02

		early := &domain.Event{Type: "Recruitment", Date: domain.NewDate(2008, 12, 31)}
		err := db.AddPart(ctx, c.Number, domain.PartEvents, early)
		wantKind(t, err, domain.KindInvalid)
		if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Field != "hte_Date" || fe[0].Code != "validation.before_birth" {
			t.Fatalf("event before birth: %+v", fe)
		}
		ok := &domain.Event{Type: "Recruitment", Date: domain.NewDate(2024, 6, 1)}
		if err := db.AddPart(ctx, c.Number, domain.PartEvents, ok); err != nil {
			t.Fatal(err)
		}
		moved := *ok
		moved.Date = domain.NewDate(2001, 1, 1)
		err = db.UpdatePart(ctx, c.Number, domain.PartEvents, &moved)
		wantKind(t, err, domain.KindInvalid)
		consent := &domain.Consent{Consent: true, Date: domain.NewDate(2009, 5, 1)}
		wantKind(t, db.AddPart(ctx, c.Number, domain.PartConsents, consent), domain.KindInvalid)

		got, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Events) != 2 || len(got.Consents) != 0 {
			t.Fatalf("refused parts stored: %d events, %d consents", len(got.Events), len(got.Consents))
		}
		for _, e := range got.Events {
			if e.ID == ok.ID && e.Date != ok.Date {
				t.Fatalf("refused change stored: %s", e.Date)
			}
		}

		// The birth date moved after the recruitment of 2024-06-01.
		got.Person.Birthdate = domain.NewDate(2025, 1, 1)
		err = db.UpdateCase(ctx, got)
		wantKind(t, err, domain.KindInvalid)
		found := false
		for _, fe := range domain.FieldErrors(err) {
			found = found || fe.Code == "validation.before_birth"
		}
		if !found {
			t.Fatalf("birth date after an event: %+v", domain.FieldErrors(err))
		}
	})
}
