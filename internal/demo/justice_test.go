// SPDX-License-Identifier: AGPL-3.0-or-later

package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"vigie/internal/demo"
	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestDemoJustice: the demo holds three proceedings of the police unit
// at three stages (a complaint, charges after an arrest, a judgment with
// its sentence), whose defendants are the demo suspects and whose
// victims are the cases linked to them; the articles they cite are the
// fictitious DEMO ones, which an empty database does not have; the
// figures count them.
func TestDemoJustice(t *testing.T) {
	sqltest.ForEachDB(t, now, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if arts, err := db.LawArticles(ctx, false); err != nil || len(arts) != 0 {
			t.Fatalf("a new database has law articles: %v %v", arts, err)
		}
		if _, err := demo.Seed(ctx, db, demo.Options{Seed: 1, Cases: 40, Hash: cheap, Now: now}); err != nil {
			t.Fatal(err)
		}
		arts, err := db.LawArticles(ctx, false)
		if err != nil || len(arts) != len(demo.DemoArticles) {
			t.Fatalf("law articles %v %v", arts, err)
		}
		for _, a := range arts {
			if !strings.HasPrefix(a.Code, "DEMO-") || !strings.Contains(a.TitleFR, "(démo)") || !strings.Contains(a.TitleEN, "(demo)") || !strings.Contains(a.Law, "fictif") {
				t.Errorf("a demo article not marked as fictitious: %+v", a)
			}
		}

		suspects, _, err := db.FindSuspects(ctx, domain.SuspectFilter{})
		if err != nil {
			t.Fatal(err)
		}
		links := map[string][]string{} // suspect ID → linked case numbers
		for _, x := range suspects {
			s, err := db.Suspect(ctx, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range s.Links {
				links[s.ID] = append(links[s.ID], l.CaseNumber)
			}
		}
		list, total, err := db.Proceedings(ctx, domain.ProceedingFilter{Limit: 10})
		if err != nil || total != 3 {
			t.Fatalf("%d proceedings, %v; want 3", total, err)
		}
		stages := map[string]*domain.Proceeding{}
		for _, p := range list {
			pr, err := db.Proceeding(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if pr.Agency != "DEMOPOL" || !strings.Contains(pr.Notes, "(démonstration)") || len(pr.Warnings) != 0 {
				t.Errorf("%s: agency %s, notes %q, warnings %v", pr.Number, pr.Agency, pr.Notes, pr.Warnings)
			}
			stages[pr.Status] = pr
		}
		for _, st := range []string{domain.StageComplaint, domain.StageProsecution, domain.StageVerdict} {
			if stages[st] == nil {
				t.Fatalf("no demo proceeding at stage %s: %v", st, stages)
			}
		}
		if c := stages[domain.StageComplaint]; len(c.Defendants) != 0 || len(c.Victims) != 1 || !strings.HasPrefix(c.Victims[0].CaseNumber, "DEMONGO-") {
			t.Errorf("the complaint: %+v", c)
		}
		for _, st := range []string{domain.StageProsecution, domain.StageVerdict} {
			pr := stages[st]
			if len(pr.Defendants) != 1 || pr.Defendants[0].ArrestedOn.IsZero() || len(pr.Charges) == 0 || len(pr.Victims) == 0 {
				t.Fatalf("%s: %d defendants, %d charges, %d victims", st, len(pr.Defendants), len(pr.Charges), len(pr.Victims))
			}
			linked := links[pr.Defendants[0].SuspectID]
			for _, v := range pr.Victims {
				if !slices.Contains(linked, v.CaseNumber) {
					t.Errorf("%s: victim %s is not linked to the defendant (%v)", st, v.CaseNumber, linked)
				}
			}
			for _, c := range pr.Charges {
				if !strings.HasPrefix(c.ArticleCode, "DEMO-") {
					t.Errorf("%s cites %s", st, c.ArticleCode)
				}
			}
		}
		if v := stages[domain.StageVerdict]; len(v.Sentences) != 1 || v.Charges[0].Verdict != "Convicted" {
			t.Errorf("the judgment: %d sentences, verdict %q", len(v.Sentences), v.Charges[0].Verdict)
		}

		fig, err := db.JusticeFigures(ctx, domain.FiguresFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if fig.Proceedings != 3 || fig.Investigated.Total != 2 || fig.Prosecuted.Total != 2 || fig.Convicted.Total != 1 ||
			fig.Sentences.Count != 1 || fig.Sentences.PrisonMonthsTotal != 60 || len(fig.Offences) != 2 {
			t.Errorf("figures %+v", fig)
		}
	})
}
