// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
)

var justiceToday = domain.NewDate(2026, 11, 27)

func jd(y, m, day int) domain.Date { return domain.NewDate(y, time.Month(m), day) }

func newProceeding() *domain.Proceeding {
	return &domain.Proceeding{Agency: "KIN",
		Complaint:     domain.Complaint{Date: jd(2026, 3, 1), Source: "NGO", ReceivedBy: "Police, Kinshasa"},
		Investigation: domain.Investigation{Unit: "Police des mines", Opened: jd(2026, 3, 2)},
		Prosecution:   domain.Prosecution{Court: "Tribunal de grande instance de Kinshasa/Gombe", Docket: "RP 1234", Filed: jd(2026, 5, 1)}}
}

// codes returns the fields and codes of err's problems as "field:code".
func codes(err error) []string {
	var out []string
	for _, f := range domain.FieldErrors(err) {
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

func TestProceedingValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(p *domain.Proceeding)
		want   string // "" for valid
	}{
		{"OK", func(p *domain.Proceeding) {}, ""},
		{"NoComplaintDate", func(p *domain.Proceeding) { p.Complaint.Date = domain.Date{} }, "complaint.date:validation.required"},
		{"FutureComplaint", func(p *domain.Proceeding) { p.Complaint.Date = jd(2027, 1, 1) }, "complaint.date:validation.date_in_future"},
		{"UnknownSource", func(p *domain.Proceeding) { p.Complaint.Source = "Oracle" }, "complaint.source:validation.enum"},
		{"ClosedBeforeOpened", func(p *domain.Proceeding) { p.Investigation.Closed = jd(2026, 3, 1) }, "investigation.closed:validation.justice_date_order"},
		{"ClosedNeverOpened", func(p *domain.Proceeding) {
			p.Investigation.Opened = domain.Date{}
			p.Investigation.Closed = jd(2026, 4, 1)
		}, "investigation.opened:validation.required"},
		{"OpenedNoUnit", func(p *domain.Proceeding) { p.Investigation.Unit = "  " }, "investigation.unit:validation.required"},
		{"FiledNoCourt", func(p *domain.Proceeding) { p.Prosecution.Court = "" }, "prosecution.court:validation.required"},
		{"DocketNewline", func(p *domain.Proceeding) { p.Prosecution.Docket = "RP\n1" }, "prosecution.docket:validation.one_line"},
		{"ControlChar", func(p *domain.Proceeding) { p.Notes = "a\x1b[2Jb" }, "notes:validation.control_character"},
		{"BadUTF8", func(p *domain.Proceeding) { p.Complaint.ReceivedBy = "\xff" }, "complaint.received_by:validation.text_encoding"},
		{"TooLong", func(p *domain.Proceeding) { p.Investigation.Unit = strings.Repeat("é", 201) }, "investigation.unit:validation.too_long"},
		{"BadAgency", func(p *domain.Proceeding) { p.Agency = "<script>" }, "agency:validation.agency_code"},
		{"ClosedBeforeComplaint", func(p *domain.Proceeding) { p.ClosedOn = jd(2026, 2, 1) }, "closed_on:validation.justice_date_order"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newProceeding()
			tc.change(p)
			err := p.Validate(justiceToday)
			got := codes(err)
			if tc.want == "" && err != nil || tc.want != "" && !slices.Contains(got, tc.want) {
				t.Fatalf("got %v, want %q", got, tc.want)
			}
		})
	}
}

func TestStepValidate(t *testing.T) {
	months := func(n int) *int { return &n }
	for _, tc := range []struct {
		name string
		step domain.Step
		want string
	}{
		{"DefendantOK", &domain.Defendant{SuspectID: "x", ArrestedOn: jd(2026, 3, 3)}, ""},
		{"DefendantNoSuspect", &domain.Defendant{}, "suspect_id:validation.required"},
		{"ArrestFuture", &domain.Defendant{SuspectID: "x", ArrestedOn: jd(2027, 3, 3)}, "arrested_on:validation.date_in_future"},
		{"ChargeActIsAMeans", &domain.Charge{DefendantID: "a", ArticleID: "b", ChargedOn: jd(2026, 4, 1), Acts: []string{"FalsePromises"}}, "acts:validation.enum"},
		{"ChargeElements", &domain.Charge{DefendantID: "a", ArticleID: "b", ChargedOn: jd(2026, 4, 1), Acts: []string{"AtWork"}, Means: []string{"DebtBondage"}, Purposes: []string{"ForcedLabour"}}, ""},
		{"ChargeDupElement", &domain.Charge{DefendantID: "a", ArticleID: "b", ChargedOn: jd(2026, 4, 1), Means: []string{"DebtBondage", "DebtBondage"}}, "means:validation.duplicate_value"},
		{"VerdictNoDate", &domain.Charge{DefendantID: "a", ArticleID: "b", ChargedOn: jd(2026, 4, 1), Verdict: "Convicted"}, "verdict_on:validation.justice_verdict_date"},
		{"VerdictBeforeCharge", &domain.Charge{DefendantID: "a", ArticleID: "b", ChargedOn: jd(2026, 4, 1), Verdict: "Acquitted", VerdictOn: jd(2026, 3, 1)}, "verdict_on:validation.justice_date_order"},
		{"VerdictUnknown", &domain.Charge{DefendantID: "a", ArticleID: "b", ChargedOn: jd(2026, 4, 1), Verdict: "Guilty", VerdictOn: jd(2026, 5, 1)}, "verdict:validation.enum"},
		{"HearingAhead", &domain.Hearing{Date: jd(2027, 1, 15), Court: "TGI"}, ""},
		{"HearingAheadOutcome", &domain.Hearing{Date: jd(2027, 1, 15), Court: "TGI", Outcome: "renvoi"}, "outcome:validation.justice_hearing_outcome_future"},
		{"HearingTooFar", &domain.Hearing{Date: jd(2099, 1, 15), Court: "TGI"}, "date:validation.date_too_far"},
		{"HearingNoCourt", &domain.Hearing{Date: jd(2026, 1, 15)}, "court:validation.required"},
		{"SentenceOK", &domain.Sentence{DefendantID: "a", SentencedOn: jd(2026, 9, 1), PrisonMonths: months(60), Fine: &domain.Money{Amount: 500, Currency: "USD"}}, ""},
		{"SentenceEmpty", &domain.Sentence{DefendantID: "a", SentencedOn: jd(2026, 9, 1)}, "prison_months:validation.justice_sentence_empty"},
		{"SentenceNegative", &domain.Sentence{DefendantID: "a", SentencedOn: jd(2026, 9, 1), PrisonMonths: months(-1)}, "prison_months:validation.count_range"},
		{"SuspendedFine", &domain.Sentence{DefendantID: "a", SentencedOn: jd(2026, 9, 1), Suspended: true, Fine: &domain.Money{Amount: 5, Currency: "CDF"}}, "suspended:validation.justice_suspended_no_term"},
		{"FineCurrency", &domain.Sentence{DefendantID: "a", SentencedOn: jd(2026, 9, 1), Fine: &domain.Money{Amount: 5, Currency: "EUR"}}, "fine.currency:validation.enum"},
		{"FineZero", &domain.Sentence{DefendantID: "a", SentencedOn: jd(2026, 9, 1), Fine: &domain.Money{Currency: "USD"}}, "fine.amount:validation.count_range"},
		{"AppealOK", &domain.Appeal{LodgedOn: jd(2026, 9, 10), By: "Defence", Court: "Cour d'appel"}, ""},
		{"AppealDecidedPending", &domain.Appeal{LodgedOn: jd(2026, 9, 10), By: "Defence", Court: "CA", DecidedOn: jd(2026, 10, 1)}, "decided_on:validation.justice_appeal_decision"},
		{"AppealDecidedBefore", &domain.Appeal{LodgedOn: jd(2026, 9, 10), By: "Defence", Court: "CA", Outcome: "Upheld", DecidedOn: jd(2026, 9, 1)}, "decided_on:validation.justice_date_order"},
		{"AppealParty", &domain.Appeal{LodgedOn: jd(2026, 9, 10), By: "Judge", Court: "CA"}, "by:validation.enum"},
		{"VictimOK", &domain.Participation{CaseNumber: "KIN-2026-000001", Witness: true, TestifiedOn: jd(2026, 6, 1), Protection: []string{"ClosedHearing", "IdentityConcealment"}}, ""},
		{"TestifiedNotWitness", &domain.Participation{CaseNumber: "KIN-2026-000001", TestifiedOn: jd(2026, 6, 1)}, "testified_on:validation.justice_testified_not_witness"},
		{"ProtectionUnknown", &domain.Participation{CaseNumber: "KIN-2026-000001", Protection: []string{"<img src=x>"}}, "protection:validation.enum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := codes(tc.step.Validate(justiceToday).Err())
			if tc.want == "" && len(got) > 0 || tc.want != "" && !slices.Contains(got, tc.want) {
				t.Fatalf("got %v, want %q", got, tc.want)
			}
		})
	}
}

// fixture is the proceeding of the store tests, in memory: two
// defendants, one convicted and one acquitted, a hearing ahead.
func fixture() *domain.Proceeding {
	p := newProceeding()
	p.ID = "p1"
	p.Defendants = []*domain.Defendant{
		{Meta: domain.Meta{ID: "d1"}, SuspectNumber: "KIN-S-2026-000001", ArrestedOn: jd(2026, 2, 27)},
		{Meta: domain.Meta{ID: "d2"}, SuspectNumber: "KIN-S-2026-000002", ArrestedOn: jd(2026, 3, 5)},
	}
	p.Charges = []*domain.Charge{
		{Meta: domain.Meta{ID: "c1"}, DefendantID: "d1", ArticleCode: "A1", ChargedOn: jd(2026, 4, 1), Verdict: "Convicted", VerdictOn: jd(2026, 9, 1)},
		{Meta: domain.Meta{ID: "c2"}, DefendantID: "d2", ArticleCode: "A1", ChargedOn: jd(2026, 4, 1), Verdict: "Acquitted", VerdictOn: jd(2026, 9, 1)},
	}
	p.Hearings = []*domain.Hearing{{Meta: domain.Meta{ID: "h1"}, Date: jd(2026, 6, 1), Court: "TGI"}, {Meta: domain.Meta{ID: "h2"}, Date: jd(2027, 1, 10), Court: "TGI"}}
	p.Sentences = []*domain.Sentence{{Meta: domain.Meta{ID: "s1"}, DefendantID: "d1", SentencedOn: jd(2026, 9, 1)}, {Meta: domain.Meta{ID: "s2"}, DefendantID: "d2", SentencedOn: jd(2026, 9, 1)}}
	p.Victims = []*domain.Participation{{Meta: domain.Meta{ID: "v1"}, CaseID: "case1", CaseNumber: "KIN-2026-000001", Witness: true, Protection: []string{"ClosedHearing"}, Notes: "secret"}}
	return p
}

func TestProceedingTimelineStageSummary(t *testing.T) {
	p := fixture()
	if got := p.Stage(); got != domain.StageVerdict {
		t.Fatalf("stage %q", got)
	}
	tl := p.Timeline()
	var kinds []string
	for i, e := range tl {
		if i > 0 && e.Date.Before(tl[i-1].Date) {
			t.Fatalf("timeline out of order at %d: %+v", i, tl)
		}
		kinds = append(kinds, e.Kind)
	}
	want := []string{"arrest", "complaint", "investigation_opened", "arrest", "charge", "charge", "prosecution", "hearing", "verdict", "verdict", "sentence", "sentence", "hearing"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("timeline kinds\n got %v\nwant %v", kinds, want)
	}
	// The arrest before the complaint is a warning; the sentence of the
	// acquitted defendant is one too.
	var w []string
	for _, f := range p.Check() {
		w = append(w, f.Field+":"+f.Code)
	}
	if !slices.Contains(w, "defendants.d1.arrested_on:warning.before_complaint") || !slices.Contains(w, "sentences.s2:warning.sentence_without_conviction") || slices.Contains(w, "sentences.s1:warning.sentence_without_conviction") {
		t.Fatalf("warnings %v", w)
	}
	s := p.Summary("case1", justiceToday)
	if s.Defendants != 2 || s.Verdicts["Convicted"] != 1 || s.Verdicts["Acquitted"] != 1 || s.NextHearing != jd(2027, 1, 10) || s.LastHearing != jd(2026, 6, 1) {
		t.Fatalf("summary %+v", s)
	}
	if s.Victim == nil || s.Victim.Notes != "" || !slices.Equal(s.Victim.Protection, []string{"ClosedHearing"}) {
		t.Fatalf("victim %+v", s.Victim)
	}
	b, _ := json.Marshal(s)
	for _, leak := range []string{"KIN-S-", "RP 1234", "secret", "A1"} {
		if strings.Contains(string(b), leak) {
			t.Fatalf("summary leaks %q: %s", leak, b)
		}
	}
	if other := p.Summary("case2", justiceToday); other.Victim != nil {
		t.Fatal("another case's summary shows this victim")
	}
	p.Appeals = []*domain.Appeal{{LodgedOn: jd(2026, 9, 10)}}
	if p.Stage() != domain.StageAppeal {
		t.Fatal("appeal stage")
	}
	p.ClosedOn = jd(2026, 11, 1)
	if p.Stage() != domain.StageClosed {
		t.Fatal("closed stage")
	}
	if (&domain.Proceeding{}).Stage() != domain.StageComplaint {
		t.Fatal("complaint stage")
	}
}

func TestJusticeAccess(t *testing.T) {
	a := domain.JusticeAccess{AgencyID: "kin", CaseAgencies: []string{"gom"}}
	for _, tc := range []struct {
		role          domain.Role
		agency        string
		full, summary bool
	}{
		{domain.RoleJustice, "kin", true, true},
		{domain.RoleJustice, "gom", false, true},
		{domain.RoleJustice, "lub", false, false},
		{domain.RoleCaseworker, "gom", false, true},
		{domain.RoleCaseworker, "kin", false, true},
		{domain.RoleCaseworker, "lub", false, false},
		{domain.RoleSupervisor, "gom", false, true},
		{domain.RoleSupervisor, "lub", false, false},
		{domain.RoleCoordinator, "kin", false, false},
		{domain.RoleAdmin, "kin", false, false},
	} {
		p := &domain.Principal{AgencyID: tc.agency, Roles: []domain.Role{tc.role}}
		if got := p.CanProceeding(domain.ActRead, a); got != tc.full {
			t.Errorf("%s of %s full read: %v", tc.role, tc.agency, got)
		}
		if got := p.CanProceedingSummary(a); got != tc.summary {
			t.Errorf("%s of %s summary: %v", tc.role, tc.agency, got)
		}
	}
	ro := &domain.Principal{AgencyID: "kin", Roles: []domain.Role{domain.RoleJustice}, ReadOnly: true}
	if ro.CanProceeding(domain.ActUpdate, a) {
		t.Error("read-only token updates")
	}
	if domain.Allowed([]domain.Role{domain.RoleAdmin}, domain.ResLaw, domain.ActCreate) != domain.ScopeNone ||
		domain.Allowed([]domain.Role{domain.RoleCoordinator}, domain.ResLaw, domain.ActDelete) != domain.ScopeNone ||
		domain.Allowed([]domain.Role{domain.RoleCoordinator}, domain.ResLaw, domain.ActCreate) != domain.ScopeAll {
		t.Error("law article grants")
	}
}

func TestLawArticleValidate(t *testing.T) {
	a := &domain.LawArticle{Code: " l22-067-a1 ", Law: "Loi", Article: "1", TitleFR: "Traite"}
	if err := a.Validate(); err != nil || a.Code != "L22-067-A1" {
		t.Fatalf("%v %q", err, a.Code)
	}
	for _, bad := range []domain.LawArticle{
		{Code: "a b", Law: "L", Article: "1", TitleFR: "T"},
		{Code: "A", Law: "", Article: "1", TitleFR: "T"},
		{Code: "A", Law: "L", Article: "1", TitleFR: "T\x00"},
		{Code: "<script>", Law: "L", Article: "1", TitleFR: "T"},
	} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if (&domain.LawArticle{TitleFR: "Traite", TitleEN: "Trafficking"}).Title("en") != "Trafficking" {
		t.Error("English title")
	}
}

func TestFiguresFilterAndBuckets(t *testing.T) {
	f := domain.FiguresFilter{From: jd(2026, 5, 1), To: jd(2026, 1, 1)}
	if !slices.Contains(codes(f.Validate()), "to:validation.justice_date_order") {
		t.Fatal("to before from accepted")
	}
	for m, want := range map[int]string{0: "0", 1: "1-12", 12: "1-12", 13: "13-60", 60: "13-60", 61: "61-120", 121: "121+"} {
		if got := domain.PrisonBucket(m); got != want {
			t.Errorf("%d months: %q", m, got)
		}
	}
}

// TestProceedingOrderWarnings: each step out of the chain's order is
// named by a warning (the page shows it, nothing refused: Check), and
// the same proceeding in order warns of nothing new.
func TestProceedingOrderWarnings(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(p *domain.Proceeding)
		want   string // "" for no warning beyond the fixture's own
	}{
		{"InOrder", func(p *domain.Proceeding) {}, ""},
		{"SentenceSameDayAsConviction", func(p *domain.Proceeding) { p.Sentences[0].SentencedOn = jd(2026, 9, 1) }, ""},
		{"AppealAfterVerdict", func(p *domain.Proceeding) {
			p.Appeals = []*domain.Appeal{{Meta: domain.Meta{ID: "a1"}, DefendantID: "d1", LodgedOn: jd(2026, 9, 10)}}
		}, ""},
		{"WholeJudgmentAppealAfterVerdict", func(p *domain.Proceeding) {
			p.Appeals = []*domain.Appeal{{Meta: domain.Meta{ID: "a1"}, LodgedOn: jd(2026, 9, 1)}}
		}, ""},
		{"ProsecutionBeforeComplaint", func(p *domain.Proceeding) { p.Prosecution.Filed = jd(2025, 12, 1) }, "prosecution.filed:warning.before_complaint"},
		{"SentenceBeforeConviction", func(p *domain.Proceeding) { p.Sentences[0].SentencedOn = jd(2026, 8, 31) }, "sentences.s1.sentenced_on:warning.sentence_before_verdict"},
		{"AppealBeforeVerdict", func(p *domain.Proceeding) {
			p.Appeals = []*domain.Appeal{{Meta: domain.Meta{ID: "a1"}, DefendantID: "d1", LodgedOn: jd(2026, 8, 1)}}
		}, "appeals.a1.lodged_on:warning.appeal_before_verdict"},
		{"WholeJudgmentAppealBeforeVerdict", func(p *domain.Proceeding) {
			p.Appeals = []*domain.Appeal{{Meta: domain.Meta{ID: "a1"}, LodgedOn: jd(2026, 8, 1)}}
		}, "appeals.a1.lodged_on:warning.appeal_before_verdict"},
		{"AppealWithoutVerdict", func(p *domain.Proceeding) {
			for _, c := range p.Charges {
				c.Verdict, c.VerdictOn = "", domain.Date{}
			}
			p.Sentences = nil
			p.Appeals = []*domain.Appeal{{Meta: domain.Meta{ID: "a1"}, DefendantID: "d2", LodgedOn: jd(2026, 10, 1)}}
		}, "appeals.a1.lodged_on:warning.appeal_before_verdict"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fixture()
			tc.change(p)
			var got []string
			for _, f := range p.Check() {
				if f.Field != "defendants.d1.arrested_on" && f.Field != "sentences.s2" { // the fixture's own
					got = append(got, f.Field+":"+f.Code)
				}
			}
			if tc.want == "" && len(got) > 0 || tc.want != "" && !slices.Equal(got, []string{tc.want}) {
				t.Fatalf("warnings %v, want %q", got, tc.want)
			}
		})
	}
}
