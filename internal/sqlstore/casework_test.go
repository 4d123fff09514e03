// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

func TestClosureRequests(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "cw@kin.test", Agency: "KIN", Via: "cli"})
		kin := MustCreateAgency(t, db, "KIN")
		c := MustCreateCase(t, db, NewCase("KIN"))

		wantKind(t, func() error { _, err := db.RequestClosure(ctx, c.Number, ""); return err }(), domain.KindInvalid)
		r, err := db.RequestClosure(ctx, c.Number, "Retour en famille <b>réussi</b>")
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.RequestClosure(ctx, c.Number, "encore")
		wantKind(t, err, domain.KindConflict)

		pending, err := db.PendingClosures(ctx, kin.ID, 10)
		if err != nil || len(pending) != 1 || pending[0].CaseNumber != c.Number || pending[0].Reason != "" {
			t.Fatalf("pending = %+v, %v; want one, without its reason", pending, err)
		}
		wantKind(t, db.DecideClosure(ctx, c.Number, "not-an-id", true, ""), domain.KindNotFound)
		if err := db.DecideClosure(ctx, c.Number, r.ID, true, "ok"); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.DecideClosure(ctx, c.Number, r.ID, false, ""), domain.KindConflict)
		got, err := db.Case(ctx, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "Closed" || got.ReasonForCaseClosure != "Retour en famille <b>réussi</b>" || got.Version != c.Version+1 {
			t.Fatalf("after approval: status %s, reason %q, version %d", got.Status, got.ReasonForCaseClosure, got.Version)
		}
		list, err := db.ClosureRequests(ctx, c.Number)
		if err != nil || len(list) != 1 || list[0].Status != domain.ClosureApproved || list[0].Note != "ok" || list[0].DecidedBy != "cw@kin.test" {
			t.Fatalf("requests = %+v, %v", list, err)
		}
		_, err = db.RequestClosure(ctx, c.Number, "again")
		wantKind(t, err, domain.KindConflict)
	})
}

func TestReferralAnswersAndFollowUps(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "cw@test", Via: "cli"})
		MustCreateAgency(t, db, "KIN")
		gom := MustCreateAgency(t, db, "GOM")
		c := NewCase("KIN")
		c.SupportPlans = []*domain.SupportPlan{{Type: "Health", PlannedEndDate: domain.NewDate(2026, 12, 1)},
			{Type: "Legal", PlannedEndDate: domain.NewDate(2026, 11, 1), ActualEndDate: domain.NewDate(2026, 11, 2)}}
		MustCreateCase(t, db, c)
		due, err := db.FollowUpsDue(ctx, gom.ID, domain.NewDate(2026, 12, 31), 10)
		if err != nil || len(due) != 0 {
			t.Fatalf("GOM reaches no case yet: %+v, %v", due, err)
		}
		MustConsent(t, db, c.Number)
		send := func() *domain.Referral {
			r := &domain.Referral{Direction: domain.ReferralOutgoing, ReferredOrganisation: "GOM", ReferredAgency: "GOM"}
			if err := db.AddPart(ctx, c.Number, domain.PartReferrals, r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		first := send()
		inbox, err := db.ReferralInbox(ctx, gom.ID, 10)
		if err != nil || len(inbox) != 1 || inbox[0].Answer != "" || inbox[0].From != "KIN" {
			t.Fatalf("inbox = %+v, %v", inbox, err)
		}
		due, err = db.FollowUpsDue(ctx, gom.ID, domain.NewDate(2026, 12, 31), 10)
		if err != nil || len(due) != 1 || due[0].Due != domain.NewDate(2026, 12, 1) {
			t.Fatalf("follow-ups = %+v, %v; want the open plan only", due, err)
		}
		wantKind(t, db.AnswerReferral(ctx, c.Number, first.ID, "KIN", domain.ReferralAccepted, ""), domain.KindNotFound)
		wantKind(t, db.AnswerReferral(ctx, c.Number, first.ID, "GOM", domain.ReferralDeclined, ""), domain.KindInvalid)
		if err := db.AnswerReferral(ctx, c.Number, first.ID, "GOM", domain.ReferralAccepted, ""); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.AnswerReferral(ctx, c.Number, first.ID, "GOM", domain.ReferralAccepted, ""), domain.KindConflict)

		second := send()
		if err := db.AnswerReferral(ctx, c.Number, second.ID, "GOM", domain.ReferralDeclined, "Pas de place"); err != nil {
			t.Fatal(err)
		}
		answers, err := db.ReferralAnswers(ctx, c.Number)
		if err != nil || len(answers) != 2 || answers[second.ID].Reason != "Pas de place" || answers[first.ID].Answer != domain.ReferralAccepted {
			t.Fatalf("answers = %+v, %v", answers, err)
		}
		acc, _, err := db.CaseAccess(ctx, c.Number, "")
		if err != nil || len(acc.ReferredTo) != 1 {
			t.Fatalf("access after one decline: %+v, %v; want the accepted referral only", acc, err)
		}
		got, _ := db.Case(ctx, c.Number)
		for _, r := range got.Referrals {
			if r.ID == second.ID && r.ReferralStatus != domain.ReferralClosed {
				t.Fatal("a declined referral must be closed")
			}
		}
		// Ending the plan removes its follow-up.
		plan := got.SupportPlans[0]
		if plan.ActualEndDate.IsZero() {
			plan.ActualEndDate = domain.NewDate(2026, 11, 20)
		} else {
			plan = got.SupportPlans[1]
			plan.ActualEndDate = domain.NewDate(2026, 11, 20)
		}
		if err := db.UpdatePart(ctx, c.Number, domain.PartSupportPlans, plan); err != nil {
			t.Fatal(err)
		}
		due, err = db.FollowUpsDue(ctx, gom.ID, domain.NewDate(2026, 12, 31), 10)
		if err != nil || len(due) != 0 {
			t.Fatalf("follow-ups after the plan ended = %+v, %v", due, err)
		}
	})
}
