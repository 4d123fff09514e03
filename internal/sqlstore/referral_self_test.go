// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestReferralToOwnAgencyRefused: a case is not referred to the agency
// that owns it — through the API such a referral was stored (201) and the
// case then showed in its own agency's incoming referrals, "from KIN" to
// KIN, waiting to be accepted. The case page offers the other agencies
// only; the store now refuses it on every path (a new case's referrals, a
// referral added, a referral changed), naming vig_ReferredAgency.
func TestReferralToOwnAgencyRefused(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		self := func() *domain.Referral {
			return &domain.Referral{Direction: domain.ReferralOutgoing, ReferredOrganisation: "KIN", ReferredAgency: "KIN"}
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
			if len(fe) != 1 || fe[0].Field != field || fe[0].Code != "validation.own_agency" {
				t.Fatalf("errors %+v, want validation.own_agency on %s", fe, field)
			}
		}
		t.Run("ErrInvalid/NewCase", func(t *testing.T) {
			c := NewCase("KIN")
			c.Referrals = []*domain.Referral{self()}
			refused(t, db.CreateCase(ctx, c))
			p, err := db.FindCases(ctx, domain.CaseFilter{})
			if err != nil || p.Total != 0 {
				t.Fatalf("%v: %d cases stored", err, p.Total)
			}
		})
		c := MustCreateCase(t, db, NewCase("KIN"))
		MustConsent(t, db, c.ID)
		t.Run("ErrInvalid/Added", func(t *testing.T) {
			refused(t, db.AddPart(ctx, c.ID, domain.PartReferrals, self()))
		})
		t.Run("ErrInvalid/Changed", func(t *testing.T) {
			r := &domain.Referral{Direction: domain.ReferralOutgoing, ReferredOrganisation: "GOM", ReferredAgency: "GOM"}
			if err := db.AddPart(ctx, c.ID, domain.PartReferrals, r); err != nil {
				t.Fatal(err)
			}
			changed := self()
			changed.Meta = r.Meta
			refused(t, db.UpdatePart(ctx, c.ID, domain.PartReferrals, changed))
		})
		t.Run("OK/IncomingFromElsewhere", func(t *testing.T) {
			r := &domain.Referral{Direction: domain.ReferralIncoming, ReferringOrganisation: "Police de Kolwezi"}
			if err := db.AddPart(ctx, c.ID, domain.PartReferrals, r); err != nil {
				t.Fatal(err)
			}
		})
	})
}
