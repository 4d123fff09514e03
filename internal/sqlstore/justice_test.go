// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

func jdate(y, m, d int) domain.Date { return domain.NewDate(y, time.Month(m), d) }

// justiceFixture is the situation of the check: one trafficking
// situation, three victims' cases, two suspects (a Congolese man, an
// Angolan woman), a proceeding from complaint to verdict with one
// defendant convicted and one acquitted.
type justiceFixture struct {
	pr       *domain.Proceeding
	cases    []*domain.Case
	sus      []*domain.Suspect
	defs     []*domain.Defendant
	charges  []*domain.Charge
	article  *domain.LawArticle
	article2 *domain.LawArticle
}

func mustJustice(t *testing.T, db *sqlstore.DB) *justiceFixture {
	t.Helper()
	ctx := context.Background()
	MustCreateAgency(t, db, "KIN")
	f := &justiceFixture{}
	sit := &domain.Situation{Agency: "KIN", Title: "Mine de Kolwezi"}
	if err := db.CreateSituation(ctx, sit); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		f.cases = append(f.cases, MustCreateCase(t, db, NewCase("KIN")))
	}
	man := NewSuspect("KIN", "Kabila", "Mutombo")
	man.AgeGroup = "Adult"
	woman := NewSuspect("KIN", "Ana", "Pereira")
	woman.Gender, woman.Citizenship, woman.AgeGroup = "Feminine", "AO", "Adult"
	f.sus = []*domain.Suspect{MustCreateSuspect(t, db, man), MustCreateSuspect(t, db, woman)}
	f.article = &domain.LawArticle{Code: "TEST-1", Law: "Loi de test", Article: "1", TitleFR: "Traite des personnes", Active: true}
	f.article2 = &domain.LawArticle{Code: "TEST-2", Law: "Loi de test", Article: "2", TitleFR: "Travail forcé", Active: true}
	for _, a := range []*domain.LawArticle{f.article, f.article2} {
		if err := db.CreateLawArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	f.pr = &domain.Proceeding{Agency: "KIN", SituationID: sit.ID,
		Complaint:     domain.Complaint{Date: jdate(2026, 3, 1), Source: "NGO", ReceivedBy: "Police, Kolwezi"},
		Investigation: domain.Investigation{Unit: "Police des mines", Opened: jdate(2026, 3, 2)}}
	if err := db.CreateProceeding(ctx, f.pr); err != nil {
		t.Fatal(err)
	}
	add := func(s domain.Step) {
		t.Helper()
		if err := db.AddStep(ctx, f.pr.ID, s); err != nil {
			t.Fatalf("adding %T: %v", s, err)
		}
	}
	// The man is arrested in flagrante delicto before the complaint.
	f.defs = []*domain.Defendant{{SuspectID: f.sus[0].Number, ArrestedOn: jdate(2026, 2, 27)}, {SuspectID: f.sus[1].ID, ArrestedOn: jdate(2026, 3, 5)}}
	for _, d := range f.defs {
		add(d)
	}
	f.charges = []*domain.Charge{
		{DefendantID: f.defs[0].ID, ArticleID: "TEST-1", ChargedOn: jdate(2026, 4, 1), Acts: []string{"AtWork"}, Means: []string{"DebtBondage"}, Purposes: []string{"ForcedLabour"}},
		{DefendantID: f.defs[0].ID, ArticleID: f.article2.ID, ChargedOn: jdate(2026, 4, 1), Purposes: []string{"ForcedLabour"}},
		{DefendantID: f.defs[1].ID, ArticleID: "TEST-1", ChargedOn: jdate(2026, 4, 2), Acts: []string{"ThroughFriendsOrSocialEvents"}, Purposes: []string{"ForcedLabour"}},
	}
	for _, c := range f.charges {
		add(c)
	}
	for i, c := range f.cases {
		add(&domain.Participation{CaseNumber: c.Number, Witness: i < 2, Protection: []string{"IdentityConcealment"}})
	}
	add(&domain.Hearing{Date: jdate(2026, 6, 10), Court: "TGI Kolwezi", Outcome: "Renvoi"})
	return f
}

func TestJusticeChain(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := mustJustice(t, db)
		if !domain.ValidProceedingNumber(f.pr.Number) || f.pr.Version != 1 {
			t.Fatalf("created %q v%d", f.pr.Number, f.pr.Version)
		}
		// Prosecution, verdicts, sentence: the header and the steps.
		f.pr.Prosecution = domain.Prosecution{Court: "TGI Kolwezi", Docket: "RP 77", Filed: jdate(2026, 5, 2)}
		if err := db.UpdateProceeding(ctx, f.pr); err != nil || f.pr.Version != 2 {
			t.Fatalf("update: %v v%d", err, f.pr.Version)
		}
		stale := *f.pr
		stale.Version = 1
		wantKind(t, db.UpdateProceeding(ctx, &stale), domain.KindConflict)
		for i, v := range []string{"Convicted", "Convicted", "Acquitted"} {
			c := f.charges[i]
			c.Verdict, c.VerdictOn = v, jdate(2026, 9, 1)
			if err := db.UpdateStep(ctx, f.pr.ID, c); err != nil {
				t.Fatal(err)
			}
		}
		old := *f.charges[0]
		old.Version = 1
		wantKind(t, db.UpdateStep(ctx, f.pr.ID, &old), domain.KindConflict)
		months := 96
		if err := db.AddStep(ctx, f.pr.ID, &domain.Sentence{DefendantID: f.defs[0].ID, SentencedOn: jdate(2026, 9, 1), PrisonMonths: &months,
			Fine: &domain.Money{Amount: 5000, Currency: "USD"}, Compensation: &domain.Money{Amount: 3000, Currency: "USD"}, Confiscated: "Un camion"}); err != nil {
			t.Fatal(err)
		}

		got, err := db.Proceeding(ctx, f.pr.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.StageVerdict || len(got.Defendants) != 2 || len(got.Charges) != 3 || len(got.Victims) != 3 || len(got.Sentences) != 1 {
			t.Fatalf("read %s: %d defendants %d charges %d victims", got.Status, len(got.Defendants), len(got.Charges), len(got.Victims))
		}
		if got.Defendants[0].SuspectNumber != f.sus[0].Number || got.Charges[0].ArticleCode != "TEST-1" || got.Victims[0].CaseNumber != f.cases[0].Number {
			t.Fatalf("references not resolved: %+v %+v", got.Defendants[0], got.Charges[0])
		}
		tl := got.Timeline()
		for i := 1; i < len(tl); i++ {
			if tl[i].Date.Before(tl[i-1].Date) {
				t.Fatalf("timeline out of order: %+v", tl)
			}
		}
		if tl[0].Kind != domain.EventArrest || tl[len(tl)-1].Kind != domain.EventSentence {
			t.Fatalf("timeline ends: %+v … %+v", tl[0], tl[len(tl)-1])
		}
		if !slices.ContainsFunc(got.Warnings, func(w domain.FieldError) bool { return w.Code == "warning.before_complaint" }) {
			t.Fatalf("no warning for the arrest before the complaint: %+v", got.Warnings)
		}
		if n := auditCount(t, db, domain.ResJustice, domain.AuditRead); n != 1 {
			t.Fatalf("%d audited reads of the proceeding, want 1", n)
		}

		// Refusals: what a step refers to must exist in this proceeding.
		wantKind(t, db.AddStep(ctx, f.pr.ID, &domain.Defendant{SuspectID: f.sus[0].ID}), domain.KindConflict)
		wantKind(t, db.AddStep(ctx, f.pr.ID, &domain.Defendant{SuspectID: "KIN-S-2026-999999"}), domain.KindInvalid)
		wantKind(t, db.AddStep(ctx, f.pr.ID, &domain.Defendant{SuspectID: "'; DROP TABLE suspects; --"}), domain.KindInvalid)
		wantKind(t, db.AddStep(ctx, f.pr.ID, &domain.Participation{CaseNumber: f.cases[0].Number}), domain.KindConflict)
		wantKind(t, db.AddStep(ctx, f.pr.ID, &domain.Participation{CaseNumber: "KIN-2026-999999"}), domain.KindInvalid)
		wantKind(t, db.AddStep(ctx, f.pr.ID, &domain.Charge{DefendantID: f.defs[0].ID, ArticleID: "NOPE", ChargedOn: jdate(2026, 4, 1)}), domain.KindInvalid)
		other := &domain.Proceeding{Agency: "KIN", Complaint: domain.Complaint{Date: jdate(2026, 5, 1), Source: "Victim"}}
		if err := db.CreateProceeding(ctx, other); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.AddStep(ctx, other.ID, &domain.Charge{DefendantID: f.defs[0].ID, ArticleID: "TEST-1", ChargedOn: jdate(2026, 5, 1)}), domain.KindInvalid)
		wantKind(t, db.UpdateStep(ctx, other.ID, f.charges[0]), domain.KindNotFound)
		wantKind(t, db.DeleteStep(ctx, f.pr.ID, domain.StepDefendant, f.defs[0].ID, f.defs[0].Version), domain.KindConflict)
		wantKind(t, db.DeleteStep(ctx, f.pr.ID, "users", f.defs[0].ID, 1), domain.KindNotFound)
		wantKind(t, db.CreateProceeding(ctx, &domain.Proceeding{Agency: "KIN", SituationID: f.cases[0].ID, Complaint: domain.Complaint{Date: jdate(2026, 5, 1), Source: "Victim"}}), domain.KindInvalid)
		_, err = db.Proceeding(ctx, "KIN-J-2026-999999")
		wantKind(t, err, domain.KindNotFound)

		// A defendant's suspect stays in the registry.
		wantKind(t, db.DeleteSuspect(ctx, f.sus[0].ID, f.sus[0].Version), domain.KindConflict)

		// A retired article is not offered to new charges; existing
		// charges keep it.
		f.article2.Active = false
		if err := db.UpdateLawArticle(ctx, f.article2); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.AddStep(ctx, f.pr.ID, &domain.Charge{DefendantID: f.defs[1].ID, ArticleID: "TEST-2", ChargedOn: jdate(2026, 5, 1)}), domain.KindInvalid)
		if err := db.UpdateStep(ctx, f.pr.ID, f.charges[1]); err != nil {
			t.Fatalf("a charge citing a retired article: %v", err)
		}
		wantKind(t, db.CreateLawArticle(ctx, &domain.LawArticle{Code: "test-1", Law: "L", Article: "1", TitleFR: "T"}), domain.KindConflict)
		active, err := db.LawArticles(ctx, true)
		if err != nil || len(active) != 1 {
			t.Fatalf("active articles %v %v", active, err)
		}

		// Lists and access.
		list, total, err := db.Proceedings(ctx, domain.ProceedingFilter{Agency: "KIN", Status: domain.StageVerdict})
		if err != nil || total != 1 || list[0].ID != f.pr.ID {
			t.Fatalf("list %v %d %v", list, total, err)
		}
		if _, total, _ = db.Proceedings(ctx, domain.ProceedingFilter{CaseID: f.cases[2].ID}); total != 1 {
			t.Fatalf("by case: %d", total)
		}
		if _, total, _ = db.Proceedings(ctx, domain.ProceedingFilter{SuspectID: f.sus[1].ID}); total != 1 {
			t.Fatalf("by suspect: %d", total)
		}
		if _, total, _ = db.Proceedings(ctx, domain.ProceedingFilter{CaseID: "x' OR 1=1 --"}); total != 0 {
			t.Fatalf("hostile filter: %d", total)
		}

		// The summary a victim's caseworker sees.
		sums, err := db.CaseJustice(ctx, f.cases[0].ID)
		if err != nil || len(sums) != 1 {
			t.Fatalf("summaries %v %v", sums, err)
		}
		s := sums[0]
		if s.Defendants != 2 || s.Verdicts["Convicted"] != 2 || s.Verdicts["Acquitted"] != 1 || s.Victim == nil || !s.Victim.Witness {
			t.Fatalf("summary %+v", s)
		}
		if n := auditCount(t, db, domain.ResJusticeSummary, domain.AuditRead); n != 1 {
			t.Fatalf("%d audited summary reads", n)
		}

		// Deleting steps and the proceeding.
		if err := db.DeleteStep(ctx, other.ID, domain.StepHearing, f.defs[0].ID, 1); domain.KindOf(err) != domain.KindNotFound {
			t.Fatalf("deleting another proceeding's step: %v", err)
		}
		wantKind(t, db.DeleteProceeding(ctx, other.ID, 2), domain.KindConflict)
		if err := db.DeleteProceeding(ctx, other.ID, other.Version); err != nil {
			t.Fatal(err)
		}
	})
}

func TestJusticeAccessByReferral(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := mustJustice(t, db)
		gom := MustCreateAgency(t, db, "GOM")
		a, err := db.ProceedingAccess(ctx, f.pr.ID)
		if err != nil || slices.Contains(a.CaseAgencies, gom.ID) || !slices.Contains(a.CaseAgencies, a.AgencyID) {
			t.Fatalf("access %+v %v", a, err)
		}
		MustConsent(t, db, f.cases[1].ID)
		r := &domain.Referral{Direction: domain.ReferralOutgoing, ReferredOrganisation: "GOM", ReferredAgency: "GOM"}
		if err := db.AddPart(ctx, f.cases[1].ID, domain.PartReferrals, r); err != nil {
			t.Fatal(err)
		}
		if a, _ = db.ProceedingAccess(ctx, f.pr.Number); !slices.Contains(a.CaseAgencies, gom.ID) {
			t.Fatalf("a referral does not open the summary to GOM: %+v", a)
		}
		p := &domain.Principal{AgencyID: gom.ID, Roles: []domain.Role{domain.RoleCaseworker, domain.RoleJustice}}
		if !p.CanProceedingSummary(a) || p.CanProceeding(domain.ActRead, a) {
			t.Fatal("GOM: summary yes, full no")
		}
	})
}

// TestJusticeFigures checks the figures against the fixture, counted by
// hand: both suspects investigated and prosecuted, the man convicted
// (two charges, one person), one sentence.
func TestJusticeFigures(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := mustJustice(t, db)
		for i, v := range []string{"Convicted", "Convicted", "Acquitted"} {
			f.charges[i].Verdict, f.charges[i].VerdictOn = v, jdate(2026, 9, 1)
			if err := db.UpdateStep(ctx, f.pr.ID, f.charges[i]); err != nil {
				t.Fatal(err)
			}
		}
		m := 96
		if err := db.AddStep(ctx, f.pr.ID, &domain.Sentence{DefendantID: f.defs[0].ID, SentencedOn: jdate(2026, 9, 1), PrisonMonths: &m,
			Fine: &domain.Money{Amount: 5000, Currency: "USD"}, Compensation: &domain.Money{Amount: 3000, Currency: "USD"}, Confiscated: "Un camion"}); err != nil {
			t.Fatal(err)
		}
		fig, err := db.JusticeFigures(ctx, domain.FiguresFilter{From: jdate(2026, 1, 1), To: jdate(2026, 12, 31)})
		if err != nil {
			t.Fatal(err)
		}
		if fig.Proceedings != 1 || fig.Investigated.Total != 2 || fig.Prosecuted.Total != 2 || fig.Convicted.Total != 1 {
			t.Fatalf("persons %+v", fig)
		}
		if fig.Investigated.ByGender["Feminine"] != 1 || fig.Investigated.ByCitizenship["AO"] != 1 || fig.Convicted.ByGender["Masculine"] != 1 || fig.Convicted.ByCitizenship["CD"] != 1 || fig.Prosecuted.ByAgeGroup["Adult"] != 2 {
			t.Fatalf("breakdowns %+v %+v", fig.Investigated, fig.Convicted)
		}
		charges := 0
		for _, o := range fig.Offences {
			charges += o.Charges
		}
		if charges != len(f.charges) || len(fig.Offences) != 2 || fig.Offences[0].ArticleCode != "TEST-1" || fig.Offences[0].Verdicts["Acquitted"] != 1 || fig.Offences[0].Verdicts["Convicted"] != 1 {
			t.Fatalf("offences %+v", fig.Offences)
		}
		s := fig.Sentences
		if s.Count != 1 || s.PrisonMonths["61-120"] != 1 || s.PrisonMonthsTotal != 96 || s.Fines["USD"] != 5000 || s.Compensation["USD"] != 3000 || s.Confiscations != 1 {
			t.Fatalf("sentences %+v", s)
		}
		// Out of the period, and another agency: nothing.
		for _, flt := range []domain.FiguresFilter{{From: jdate(2026, 10, 1)}, {To: jdate(2026, 2, 1)}, {Agency: "GOM"}} {
			fig, err := db.JusticeFigures(ctx, flt)
			if err != nil || fig.Investigated.Total+fig.Prosecuted.Total+fig.Convicted.Total+fig.Sentences.Count+len(fig.Offences) != 0 {
				t.Fatalf("%+v: %+v %v", flt, fig, err)
			}
		}
		// Verdicts in the period but charges before: convicted counts, the
		// charges do not.
		fig, _ = db.JusticeFigures(ctx, domain.FiguresFilter{From: jdate(2026, 8, 1), To: jdate(2026, 9, 30)})
		if fig.Convicted.Total != 1 || fig.Prosecuted.Total != 0 || fig.Sentences.Count != 1 {
			t.Fatalf("autumn %+v", fig)
		}
	})
}

// TestJusticeListsUseIndexes: the lists of proceedings and steps are
// backed by indexes on both databases.
func TestJusticeListsUseIndexes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		f := mustJustice(t, db)
		plans, err := sqlstore.JusticePlansForTest(context.Background(), db, "KIN", f.cases[0].ID, f.pr.ID)
		if err != nil {
			t.Fatal(err)
		}
		// A case's steps are found by the index on case_id or, for its
		// participations, by the unique index that holds case_id too.
		for name, indexes := range map[string][]string{
			"proceedings by agency": {"proceedings_agency_idx"},
			"proceedings by case":   {"justice_steps_case_idx", "justice_steps_victim_uq"},
			"steps of a proceeding": {"justice_steps_proceeding_idx"},
			"a case's proceedings":  {"justice_steps_case_idx", "justice_steps_victim_uq"},
		} {
			if !slices.ContainsFunc(indexes, func(i string) bool { return strings.Contains(plans[name], i) }) {
				t.Errorf("%s uses none of %v:\n%s", name, indexes, plans[name])
			}
		}
	})
}
