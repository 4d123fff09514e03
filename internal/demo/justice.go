// SPDX-License-Identifier: AGPL-3.0-or-later

package demo

import (
	"context"
	"fmt"
	"time"

	"vigie/internal/domain"
)

// justiceStore is what seeding the criminal-justice chain needs; a store
// without it gets no proceedings.
type justiceStore interface {
	CreateLawArticle(ctx context.Context, a *domain.LawArticle) error
	CreateProceeding(ctx context.Context, pr *domain.Proceeding) error
	AddStep(ctx context.Context, proceedingID string, s domain.Step) error
}

// DemoArticles are the offences the demo's charges cite. Vigie ships no
// article of law (the numbers of the DRC's Loi n° 22/067 could not be
// confirmed, and a wrong article in a charge is worse than none): these
// are fictitious, said so in their code, law and titles, and only the
// demo seeding creates them.
var DemoArticles = []domain.LawArticle{
	{Code: "DEMO-1", Law: "Texte fictif (démonstration) / fictitious text (demo)", Article: "1",
		TitleFR: "Exemple (démo) — traite des personnes", TitleEN: "Example (demo) — trafficking in persons", Active: true},
	{Code: "DEMO-2", Law: "Texte fictif (démonstration) / fictitious text (demo)", Article: "2",
		TitleFR: "Exemple (démo) — travail forcé", TitleEN: "Example (demo) — forced labour", Active: true},
}

// justiceAgency owns the demo proceedings: the police unit, where the
// demo's justice account works.
const justiceAgency = "DEMOPOL"

// seedJustice opens three fictitious proceedings of the police unit at
// three stages, with dates counted back from now (no random draw, so the
// rest of the demo is unchanged):
//   - a complaint just received, a shelter's victim taking part;
//   - an investigation with the police unit's suspect arrested and
//     charged, the victim linked to her in the registry taking part;
//   - a judgment: the social affairs agency's suspect convicted on two
//     charges and sentenced, the two victims linked to him as protected
//     witnesses.
//
// A stage is left out when the demo is too small to hold its people.
func seedJustice(ctx context.Context, s Store, now time.Time, suspects []demoSuspect, cases []*domain.Case) error {
	st, ok := s.(justiceStore)
	if !ok {
		return nil
	}
	ctx = domain.WithActor(ctx, &domain.Principal{Email: "demo-seed", Agency: justiceAgency, Via: "cli"})
	for _, a := range DemoArticles {
		if err := st.CreateLawArticle(ctx, &a); err != nil {
			return fmt.Errorf("demo law article %s: %w", a.Code, err)
		}
	}
	ago := func(days int) domain.Date { return domain.DateOf(now.UTC().AddDate(0, 0, -days)) }
	j := &justiceSeed{st: st, ctx: ctx}
	for _, c := range cases {
		if c.Agency == Agencies[2].Code {
			j.complaint(ago, c)
			break
		}
	}
	for _, x := range suspects {
		switch x.suspect.Agency {
		case justiceAgency:
			j.investigation(ago, x)
		case Agencies[0].Code:
			j.judgment(ago, x)
		}
	}
	return j.err
}

// justiceSeed creates proceedings and steps, keeping the first error.
type justiceSeed struct {
	st  justiceStore
	ctx context.Context
	err error
}

func (j *justiceSeed) open(pr *domain.Proceeding) bool {
	if j.err == nil {
		pr.Agency = justiceAgency
		if err := j.st.CreateProceeding(j.ctx, pr); err != nil {
			j.err = fmt.Errorf("demo proceeding: %w", err)
		}
	}
	return j.err == nil
}

func (j *justiceSeed) add(pr *domain.Proceeding, s domain.Step) {
	if j.err == nil {
		if err := j.st.AddStep(j.ctx, pr.ID, s); err != nil {
			j.err = fmt.Errorf("demo proceeding %s, %s: %w", pr.Number, s.StepKind(), err)
		}
	}
}

const demoNote = "Procédure fictive (démonstration) / fictitious proceeding (demo)"

func (j *justiceSeed) complaint(ago func(int) domain.Date, c *domain.Case) {
	pr := &domain.Proceeding{Notes: demoNote,
		Complaint: domain.Complaint{Date: ago(10), Source: "NGO", ReceivedBy: "Unité de lutte contre la traite, Lubumbashi (démo)"}}
	if j.open(pr) {
		j.add(pr, &domain.Participation{CaseNumber: c.Number, Protection: []string{"IdentityConcealment"}})
	}
}

func (j *justiceSeed) investigation(ago func(int) domain.Date, x demoSuspect) {
	pr := &domain.Proceeding{Notes: demoNote,
		Complaint:     domain.Complaint{Date: ago(60), Source: "Victim", ReceivedBy: "Commissariat central (démo)"},
		Investigation: domain.Investigation{Unit: "Unité de lutte contre la traite (démo)", Opened: ago(58)}}
	if !j.open(pr) {
		return
	}
	d := &domain.Defendant{SuspectID: x.suspect.ID, ArrestedOn: ago(50), ArrestPlace: "Marché central (démo)"}
	j.add(pr, d)
	j.add(pr, &domain.Charge{DefendantID: d.ID, ArticleID: "DEMO-1", ChargedOn: ago(45),
		Acts: []string{"AtWork"}, Means: []string{"DebtBondage"}, Purposes: []string{"ForcedLabour"}})
	for _, c := range x.cases {
		j.add(pr, &domain.Participation{CaseNumber: c.Number, Witness: true, Protection: []string{"IdentityConcealment"}})
	}
}

func (j *justiceSeed) judgment(ago func(int) domain.Date, x demoSuspect) {
	court := "Tribunal de grande instance (démo)"
	pr := &domain.Proceeding{Notes: demoNote,
		Complaint:     domain.Complaint{Date: ago(300), Source: "NGO", ReceivedBy: "Parquet (démo)"},
		Investigation: domain.Investigation{Unit: "Unité de lutte contre la traite (démo)", Opened: ago(298), Closed: ago(250)},
		Prosecution:   domain.Prosecution{Court: court, Docket: "RP DEMO-001", Filed: ago(240)}}
	if !j.open(pr) {
		return
	}
	d := &domain.Defendant{SuspectID: x.suspect.ID, ArrestedOn: ago(290), ArrestPlace: "Gare routière (démo)"}
	j.add(pr, d)
	for _, a := range []string{"DEMO-1", "DEMO-2"} {
		j.add(pr, &domain.Charge{DefendantID: d.ID, ArticleID: a, ChargedOn: ago(280),
			Acts: []string{"ThroughFriendsOrSocialEvents"}, Means: []string{"DebtBondage", "WithholdsDocuments"}, Purposes: []string{"ForcedLabour"},
			Verdict: "Convicted", VerdictOn: ago(150)})
	}
	j.add(pr, &domain.Hearing{Date: ago(200), Court: court, Outcome: "Témoins entendus à huis clos (démo)"})
	for _, c := range x.cases {
		j.add(pr, &domain.Participation{CaseNumber: c.Number, Witness: true, TestifiedOn: ago(200), Protection: []string{"IdentityConcealment", "ClosedHearing"}})
	}
	months := 60
	j.add(pr, &domain.Sentence{DefendantID: d.ID, SentencedOn: ago(150), PrisonMonths: &months,
		Fine: &domain.Money{Amount: 2000, Currency: "USD"}, Compensation: &domain.Money{Amount: 1500, Currency: "USD"}})
}
