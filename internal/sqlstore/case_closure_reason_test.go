// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestClosingNeedsAReason: an update that closes a case gives the reason
// for its closure (a PUT with cas_Status Closed and none was stored; the
// pages' closure asked for it). A case already closed may be updated as
// it is.
func TestClosingNeedsAReason(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := MustCreateCase(t, db, NewCase("KIN"))
		for _, status := range []string{"Closed", "ClosedReferred"} {
			x := *c
			x.Status = status
			err := db.UpdateCase(ctx, &x)
			wantKind(t, err, domain.KindInvalid)
			if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Field != "cas_ReasonForCaseClosure" {
				t.Fatalf("%s without a reason: %+v", status, fe)
			}
		}
		c.Status, c.ReasonForCaseClosure = "Closed", "Retour en famille"
		if err := db.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		c.ReasonForCaseClosure = "" // already closed: not a closing
		if err := db.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
	})
}

// TestReopeningDropsTheReason: reopening a case through an update with the
// old reason for closure is refused on that field (the reason stayed on an
// active case, as if it still applied); without it, the case reopens with
// none, and an open case is given none.
func TestReopeningDropsTheReason(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		c := MustCreateCase(t, db, NewCase("KIN"))
		c.Status, c.ReasonForCaseClosure = "Closed", "Retour en famille"
		if err := db.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		x := *c
		x.Status = "Active"
		err := db.UpdateCase(ctx, &x)
		wantKind(t, err, domain.KindInvalid)
		if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Field != "cas_ReasonForCaseClosure" || fe[0].Code != "validation.reopen_reason" {
			t.Fatalf("reopened with the old reason: %+v", fe)
		}
		c.Status, c.ReasonForCaseClosure = "Active", ""
		if err := db.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := db.Case(ctx, c.ID)
		if err != nil || got.Status != "Active" || got.ReasonForCaseClosure != "" {
			t.Fatalf("after reopening: %+v %v", got, err)
		}
		got.ReasonForCaseClosure = "Nouvelle note" // nor does an open case gain one
		err = db.UpdateCase(ctx, got)
		wantKind(t, err, domain.KindInvalid)
		if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Code != "validation.reopen_reason" {
			t.Fatalf("an open case given a reason: %+v", fe)
		}
	})
}

// TestClosedCaseIsNotReferred: a referral that would open a closed case
// to another agency is refused (a closed case was referred and the other
// agency read it); reopened, it is referred. A case registered closed
// with its referrals (ClosedReferred, as imports carry) keeps them.
func TestClosedCaseIsNotReferred(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		c := MustCreateCase(t, db, NewCase("KIN"))
		MustConsent(t, db, c.Number)
		got, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.Status, got.ReasonForCaseClosure = "Closed", "Retour en famille"
		if err := db.UpdateCase(ctx, got); err != nil {
			t.Fatal(err)
		}
		refer := func() error {
			return db.AddPart(ctx, c.Number, domain.PartReferrals, &domain.Referral{Direction: "outgoing", ReferredOrganisation: "CTO Goma", ReferredAgency: "GOM"})
		}
		err = refer()
		wantKind(t, err, domain.KindInvalid)
		if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Code != "validation.case_closed" {
			t.Fatalf("referral of a closed case: %+v", fe)
		}
		got, _ = db.Case(ctx, c.ID)
		got.Status, got.ReasonForCaseClosure = "Active", ""
		if err := db.UpdateCase(ctx, got); err != nil {
			t.Fatal(err)
		}
		if err := refer(); err != nil {
			t.Fatalf("referral of the reopened case: %v", err)
		}
		closed := NewCase("KIN")
		closed.Status, closed.ReasonForCaseClosure = "ClosedReferred", "Référé au CTO"
		closed.Consents = []*domain.Consent{{Consent: true}}
		closed.Referrals = []*domain.Referral{{Direction: "outgoing", ReferredOrganisation: "CTO Goma", ReferredAgency: "GOM"}}
		MustCreateCase(t, db, closed)
	})
}
