// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// fixedNow is the clock of the contract tests.
var fixedNow = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

func forEachDB(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	sqltest.ForEachDB(t, fixedNow, fn)
}

// MustCreateAgency creates an agency with this code.
func MustCreateAgency(tb testing.TB, db *sqlstore.DB, code string) *domain.Agency {
	tb.Helper()
	a := &domain.Agency{Code: code, Name: "Agence " + code, Type: "NGO"}
	if err := db.CreateAgency(context.Background(), a); err != nil {
		tb.Fatal(err)
	}
	return a
}

// NewCase returns a valid case of agency; mutate it before creating.
func NewCase(agency string) *domain.Case {
	return &domain.Case{
		Agency:           agency,
		Status:           "Active",
		RegistrationDate: domain.NewDate(2026, 3, 14),
		Person: domain.Person{
			FirstName: "Mbuyi", SecondName: "Kabasele wa Ngalula", Gender: "Feminine",
			Birthdate: domain.NewDate(2009, 5, 2), Citizenship: []string{"CD"},
			MobilePhone: "+243812345678", PrimaryLanguage: "lin",
		},
		Victim: domain.Victim{
			TraffickingStatus:  "PossibleVictimOfTrafficking",
			TypeOfExploitation: []string{"ForcedLabour"},
			MethodsOfControl:   []string{"DebtBondage", "WithholdsDocuments"},
		},
		Events: []*domain.Event{{Type: "Exploitation", Country: "CD", State: "Haut-Katanga", City: "Kolwezi"}},
	}
}

// MustCreateCase creates c.
func MustCreateCase(tb testing.TB, db *sqlstore.DB, c *domain.Case) *domain.Case {
	tb.Helper()
	if err := db.CreateCase(context.Background(), c); err != nil {
		tb.Fatalf("creating case: %v", err)
	}
	return c
}

func wantKind(tb testing.TB, err error, kind domain.Kind) {
	tb.Helper()
	if got := domain.KindOf(err); got != kind {
		tb.Fatalf("got error kind %q (%v), want %q", got, err, kind)
	}
}

// MustConsent records the victim's consent on case ref, which a referral
// to another agency needs.
func MustConsent(tb testing.TB, db *sqlstore.DB, ref string) {
	tb.Helper()
	if err := db.AddPart(context.Background(), ref, domain.PartConsents, &domain.Consent{Consent: true}); err != nil {
		tb.Fatalf("recording consent: %v", err)
	}
}
