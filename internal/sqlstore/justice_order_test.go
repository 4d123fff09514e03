// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestJusticeSentenceOrder: a sentence is never dated before its
// defendant's first conviction — refused under the field that would
// make it so, whether the sentence or the verdict is written second —
// while a sentence the same day, one awaiting its conviction, or another
// defendant's are accepted; a refused write changes nothing.
func TestJusticeSentenceOrder(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := mustJustice(t, db)
		months := 12
		// The man: convicted on 1 September on the first charge.
		f.charges[0].Verdict, f.charges[0].VerdictOn = "Convicted", jdate(2026, 9, 1)
		if err := db.UpdateStep(ctx, f.pr.ID, f.charges[0]); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name    string
			step    domain.Step
			field   string // "" when accepted
			verdict bool   // the step is a verdict on f.charges[1]
		}{
			{"ErrSentenceBeforeConviction", &domain.Sentence{DefendantID: f.defs[0].ID, SentencedOn: jdate(2026, 8, 31), PrisonMonths: &months}, "sentenced_on", false},
			{"OKSentenceSameDay", &domain.Sentence{DefendantID: f.defs[0].ID, SentencedOn: jdate(2026, 9, 1), PrisonMonths: &months}, "", false},
			// The woman has no conviction yet: her sentence waits for it.
			{"OKSentenceAwaitingConviction", &domain.Sentence{DefendantID: f.defs[1].ID, SentencedOn: jdate(2026, 8, 1), PrisonMonths: &months}, "", false},
			{"ErrHerConvictionAfterHerSentence", nil, "verdict_on", true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, err := db.Proceeding(ctx, f.pr.Number)
				if err != nil {
					t.Fatal(err)
				}
				if tc.verdict {
					c := *f.charges[2] // the woman's charge
					c.Verdict, c.VerdictOn = "Convicted", jdate(2026, 9, 1)
					err = db.UpdateStep(ctx, f.pr.ID, &c)
				} else {
					err = db.AddStep(ctx, f.pr.ID, tc.step)
				}
				if tc.field == "" {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				fe := domain.FieldErrors(err)
				if domain.KindOf(err) != domain.KindInvalid || len(fe) != 1 || fe[0].Field != tc.field || fe[0].Code != "validation.justice_date_order" {
					t.Fatalf("got %v, want %s refused", err, tc.field)
				}
				after, err := db.Proceeding(ctx, f.pr.Number)
				if err != nil {
					t.Fatal(err)
				}
				if after.Version != before.Version || len(after.Sentences) != len(before.Sentences) || after.Charges[2].Verdict != before.Charges[2].Verdict {
					t.Fatalf("a refused step changed the proceeding: %d→%d sentences", len(before.Sentences), len(after.Sentences))
				}
			})
		}
		// Her conviction on the day of her sentence is accepted.
		c := *f.charges[2]
		c.Verdict, c.VerdictOn = "Convicted", jdate(2026, 8, 1)
		if err := db.UpdateStep(ctx, f.pr.ID, &c); err != nil {
			t.Fatalf("conviction on the sentence's day: %v", err)
		}
	})
}
