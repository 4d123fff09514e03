// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestReferralNeedsConsent: a referral that opens a case to another agency
// needs the victim's consent on record (the latest consent says yes), on
// every path — a new case's referrals, a referral added or moved to
// another agency. Through the API a referral to GOM went through with no
// consent, or after a refusal, and GOM's caseworkers read the victim's
// name and phone; only the web pages checked. A referral already open
// stays open when the consent is withdrawn; it can still be updated.
func TestReferralNeedsConsent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		gom := MustCreateAgency(t, db, "GOM")
		MustCreateAgency(t, db, "BUK")
		toGOM := func() *domain.Referral {
			return &domain.Referral{Direction: domain.ReferralOutgoing, ReferredOrganisation: "GOM", ReferredAgency: "GOM"}
		}
		refused := func(t *testing.T, err error) {
			t.Helper()
			wantKind(t, err, domain.KindInvalid)
			// A new case names the referral by its place in the case;
			// a part's change, as the part's own body does.
			field := "vig_ReferredAgency"
			if strings.Contains(t.Name(), "NewCase") {
				field = "referrals[0].vig_ReferredAgency"
			}
			fe := domain.FieldErrors(err)
			if len(fe) != 1 || fe[0].Field != field || fe[0].Code != "validation.consent_required" {
				t.Fatalf("errors %+v, want validation.consent_required on %s", fe, field)
			}
		}
		reaches := func(t *testing.T, c *domain.Case) bool {
			t.Helper()
			a, _, err := db.CaseAccess(ctx, c.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			return slices.Contains(a.ReferredTo, gom.ID)
		}
		t.Run("NewCase/NoConsent", func(t *testing.T) {
			c := NewCase("KIN")
			c.Referrals = []*domain.Referral{toGOM()}
			refused(t, db.CreateCase(ctx, c))
		})
		t.Run("NewCase/ConsentRefused", func(t *testing.T) {
			c := NewCase("KIN")
			c.Consents = []*domain.Consent{{Consent: false}}
			c.Referrals = []*domain.Referral{toGOM()}
			refused(t, db.CreateCase(ctx, c))
		})
		t.Run("NewCase/ConsentGiven", func(t *testing.T) {
			c := NewCase("KIN")
			c.Consents = []*domain.Consent{{Consent: true}}
			c.Referrals = []*domain.Referral{toGOM()}
			if err := db.CreateCase(ctx, c); err != nil || !reaches(t, c) {
				t.Fatalf("%v: GOM reaches the case: %v", err, reaches(t, c))
			}
		})
		c := MustCreateCase(t, db, NewCase("KIN"))
		t.Run("Added/NoConsent", func(t *testing.T) {
			refused(t, db.AddPart(ctx, c.ID, domain.PartReferrals, toGOM()))
			if reaches(t, c) {
				t.Fatal("GOM reaches the case")
			}
		})
		t.Run("Added/ConsentRefused", func(t *testing.T) {
			if err := db.AddPart(ctx, c.ID, domain.PartConsents, &domain.Consent{Consent: false}); err != nil {
				t.Fatal(err)
			}
			refused(t, db.AddPart(ctx, c.ID, domain.PartReferrals, toGOM()))
		})
		r := toGOM()
		t.Run("Added/ConsentGiven", func(t *testing.T) {
			MustConsent(t, db, c.ID)
			if err := db.AddPart(ctx, c.ID, domain.PartReferrals, r); err != nil || !reaches(t, c) {
				t.Fatalf("%v: GOM reaches the case: %v", err, reaches(t, c))
			}
		})
		t.Run("Withdrawn/OpenReferralStays", func(t *testing.T) {
			if err := db.AddPart(ctx, c.ID, domain.PartConsents, &domain.Consent{Consent: false}); err != nil {
				t.Fatal(err)
			}
			changed := *r
			changed.OutgoingReferralDetails = "suivi"
			if err := db.UpdatePart(ctx, c.ID, domain.PartReferrals, &changed); err != nil || !reaches(t, c) {
				t.Fatalf("%v: GOM reaches the case: %v", err, reaches(t, c))
			}
			*r = changed
		})
		t.Run("Withdrawn/MovedToAnotherAgency", func(t *testing.T) {
			moved := *r
			moved.ReferredAgency, moved.ReferredOrganisation = "BUK", "BUK"
			refused(t, db.UpdatePart(ctx, c.ID, domain.PartReferrals, &moved))
		})
		t.Run("Withdrawn/NewReferral", func(t *testing.T) {
			other := toGOM()
			refused(t, db.AddPart(ctx, c.ID, domain.PartReferrals, other))
		})
	})
}
