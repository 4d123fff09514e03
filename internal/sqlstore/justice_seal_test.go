// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// plant is one sealed field of a proceeding or step: a distinctive
// marker written into it, and how to read it back.
type plant struct {
	field, marker string
	got           func(*domain.Proceeding) string
}

// first returns the first element of a list, or a zero value.
func first[T any](l []*T) *T {
	if len(l) == 0 {
		return new(T)
	}
	return l[0]
}

// plantedProceeding is a proceeding with a marker in every free-text
// field of its header and of each kind of step, and the enumerated
// details (acts, protection, amounts) the raw check looks for by their
// JSON keys. Charges and sentences get the defendant inserted before
// them.
func plantedProceeding(caseNumber, suspectNumber string) (*domain.Proceeding, []domain.Step, []plant) {
	pr := &domain.Proceeding{Agency: "KIN",
		Complaint:     domain.Complaint{Date: jdate(2026, 3, 1), Source: "NGO", ReceivedBy: "QZXreceivedby"},
		Investigation: domain.Investigation{Unit: "QZXunit", Opened: jdate(2026, 3, 2)},
		Prosecution:   domain.Prosecution{Court: "QZXcourt", Docket: "QZXdocket", Filed: jdate(2026, 5, 2)},
		Notes:         "QZXnotes Maman Esther a vu les camions"}
	months := 13
	steps := []domain.Step{
		&domain.Defendant{SuspectID: suspectNumber, ArrestedOn: jdate(2026, 3, 5), ArrestPlace: "QZXarrestplace", Notes: "QZXdefnotes"},
		&domain.Charge{ArticleID: "TEST-1", ChargedOn: jdate(2026, 4, 1), Acts: []string{"AtWork"}, Means: []string{"DebtBondage"}, Purposes: []string{"ForcedLabour"}},
		&domain.Hearing{Date: jdate(2026, 6, 10), Court: "QZXhearingcourt", Outcome: "QZXoutcome", Notes: "QZXhearingnotes"},
		&domain.Sentence{SentencedOn: jdate(2026, 9, 1), PrisonMonths: &months, Fine: &domain.Money{Amount: 777, Currency: "USD"}, Confiscated: "QZXconfiscated"},
		&domain.Appeal{LodgedOn: jdate(2026, 9, 10), By: "Defence", Court: "QZXappealcourt"},
		&domain.Participation{CaseNumber: caseNumber, Witness: true, Protection: []string{"Relocation"}, Notes: "QZXvictimnotes"},
	}
	plants := []plant{
		{"complaint.received_by", "QZXreceivedby", func(p *domain.Proceeding) string { return p.Complaint.ReceivedBy }},
		{"investigation.unit", "QZXunit", func(p *domain.Proceeding) string { return p.Investigation.Unit }},
		{"prosecution.court", "QZXcourt", func(p *domain.Proceeding) string { return p.Prosecution.Court }},
		{"prosecution.docket", "QZXdocket", func(p *domain.Proceeding) string { return p.Prosecution.Docket }},
		{"notes", "QZXnotes Maman Esther a vu les camions", func(p *domain.Proceeding) string { return p.Notes }},
		{"defendants.arrest_place", "QZXarrestplace", func(p *domain.Proceeding) string { return first(p.Defendants).ArrestPlace }},
		{"defendants.notes", "QZXdefnotes", func(p *domain.Proceeding) string { return first(p.Defendants).Notes }},
		{"charges.purposes", "ForcedLabour", func(p *domain.Proceeding) string { return strings.Join(first(p.Charges).Purposes, ",") }},
		{"hearings.court", "QZXhearingcourt", func(p *domain.Proceeding) string { return first(p.Hearings).Court }},
		{"hearings.outcome", "QZXoutcome", func(p *domain.Proceeding) string { return first(p.Hearings).Outcome }},
		{"hearings.notes", "QZXhearingnotes", func(p *domain.Proceeding) string { return first(p.Hearings).Notes }},
		{"sentences.confiscated", "QZXconfiscated", func(p *domain.Proceeding) string { return first(p.Sentences).Confiscated }},
		{"appeals.court", "QZXappealcourt", func(p *domain.Proceeding) string { return first(p.Appeals).Court }},
		{"victims.notes", "QZXvictimnotes", func(p *domain.Proceeding) string { return first(p.Victims).Notes }},
		{"victims.protection", "Relocation", func(p *domain.Proceeding) string { return strings.Join(first(p.Victims).Protection, ",") }},
	}
	return pr, steps, plants
}

// jsonKeys are what the clear JSON of each kind of step and of the header
// would show; none may appear in the database (the enumerated values,
// like ForcedLabour, may be in clear columns elsewhere, so the check
// looks for the keys that hold them).
var jsonKeys = []string{`"received_by":`, `"unit":`, `"docket":`, `"arrest_place":`, `"purposes":`, `"outcome":`,
	`"prison_months":`, `"confiscated":`, `"by":`, `"protection":`}

// mustJusticeRefs creates what the planted proceeding refers to.
func mustJusticeRefs(t *testing.T, db *sqlstore.DB) (*domain.Case, *domain.Suspect) {
	t.Helper()
	MustCreateAgency(t, db, "KIN")
	c := MustCreateCase(t, db, NewCase("KIN"))
	s := MustCreateSuspect(t, db, NewSuspect("KIN", "Kabila", "Mutombo"))
	if err := db.CreateLawArticle(context.Background(), &domain.LawArticle{Code: "TEST-1", Law: "Loi de test", Article: "1", TitleFR: "Traite", Active: true}); err != nil {
		t.Fatal(err)
	}
	return c, s
}

// mustAddPlanted creates the planted proceeding through the store.
func mustAddPlanted(t *testing.T, db *sqlstore.DB, pr *domain.Proceeding, steps []domain.Step) {
	t.Helper()
	ctx := context.Background()
	if err := db.CreateProceeding(ctx, pr); err != nil {
		t.Fatal(err)
	}
	var def string
	for _, s := range steps {
		switch v := s.(type) {
		case *domain.Charge:
			v.DefendantID = def
		case *domain.Sentence:
			v.DefendantID = def
		}
		if err := db.AddStep(ctx, pr.ID, s); err != nil {
			t.Fatalf("adding %T: %v", s, err)
		}
		if d, ok := s.(*domain.Defendant); ok {
			def = d.ID
		}
	}
}

// rawJustice is what the database holds of the chain, read with plain
// SQL: the proceedings, their steps and the audit log.
func rawJustice(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"proceedings", "justice_steps", "audit_log"} {
		s, err := sqlstore.RawTableForTest(context.Background(), db, table)
		if err != nil {
			t.Fatalf("reading %s: %v", table, err)
		}
		b.WriteString(s)
	}
	return b.String()
}

// checkSealed asserts that no planted marker nor JSON key is in the raw
// tables, and that the store reads every one back.
func checkSealed(t *testing.T, db *sqlstore.DB, id string, plants []plant) {
	t.Helper()
	raw := rawJustice(t, db)
	if !strings.Contains(raw, id) {
		t.Fatalf("the raw dump does not hold the proceeding %s: the check would prove nothing", id)
	}
	for _, p := range plants {
		if strings.HasPrefix(p.marker, "QZX") && strings.Contains(raw, p.marker) {
			t.Errorf("%s: %q is in clear in the database", p.field, p.marker)
		}
	}
	for _, k := range jsonKeys {
		if strings.Contains(raw, k) {
			t.Errorf("the clear JSON key %s is in the database", k)
		}
	}
	got, err := db.Proceeding(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plants {
		if g := p.got(got); g != p.marker {
			t.Errorf("%s read back as %q, want %q", p.field, g, p.marker)
		}
	}
	if s := first(got.Sentences); s.PrisonMonths == nil || *s.PrisonMonths != 13 || s.Fine == nil || s.Fine.Amount != 777 {
		t.Errorf("sentence read back as %+v", s)
	}
}

// TestJusticeSealedAtRest: every free-text field of a proceeding and of
// each kind of step is absent from the raw tables, and reads back through
// the store; so do the details figures need (a sentence's amounts), and
// the figures still count them.
func TestJusticeSealedAtRest(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c, s := mustJusticeRefs(t, db)
		pr, steps, plants := plantedProceeding(c.Number, s.Number)
		mustAddPlanted(t, db, pr, steps)
		checkSealed(t, db, pr.ID, plants)

		// An update is sealed too, with the same key.
		pr.Notes = "QZXupdated"
		if err := db.UpdateProceeding(ctx, pr); err != nil {
			t.Fatal(err)
		}
		h := steps[2].(*domain.Hearing)
		h.Notes = "QZXupdatedhearing"
		if err := db.UpdateStep(ctx, pr.ID, h); err != nil {
			t.Fatal(err)
		}
		plants[4].marker, plants[10].marker = "QZXupdated", "QZXupdatedhearing"
		checkSealed(t, db, pr.ID, plants)

		list, _, err := db.Proceedings(ctx, domain.ProceedingFilter{Agency: "KIN", Limit: 10})
		if err != nil || len(list) != 1 || list[0].Notes != "QZXupdated" {
			t.Fatalf("list %+v %v", list, err)
		}
		fig, err := db.JusticeFigures(ctx, domain.FiguresFilter{})
		if err != nil || fig.Sentences.Count != 1 || fig.Sentences.PrisonMonthsTotal != 13 || fig.Sentences.Fines["USD"] != 777 || fig.Sentences.Confiscations != 1 {
			t.Fatalf("figures %+v %v", fig, err)
		}
	})
}

// TestJusticeSealTampered: a proceeding whose key is missing, altered or
// another record's, or whose sealed data was moved between rows, is
// refused with an error that names the proceeding or the sealed value,
// never returned as garbage.
func TestJusticeSealTampered(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		newPr := func() (*domain.Proceeding, *domain.Hearing, *domain.Hearing) {
			pr := &domain.Proceeding{Agency: "KIN", Complaint: domain.Complaint{Date: jdate(2026, 3, 1), Source: "NGO"}, Notes: "note"}
			if err := db.CreateProceeding(ctx, pr); err != nil {
				t.Fatal(err)
			}
			h1, h2 := &domain.Hearing{Date: jdate(2026, 6, 10), Court: "TGI"}, &domain.Hearing{Date: jdate(2026, 7, 10), Court: "TGI"}
			for _, h := range []*domain.Hearing{h1, h2} {
				if err := db.AddStep(ctx, pr.ID, h); err != nil {
					t.Fatal(err)
				}
			}
			return pr, h1, h2
		}
		for _, tc := range []struct {
			name   string
			tamper func(pr, other *domain.Proceeding, h1, h2 *domain.Hearing) error
			want   string
		}{
			{"ErrMissingKey", func(pr, _ *domain.Proceeding, _, _ *domain.Hearing) error {
				return sqlstore.ExecForTest(db, `UPDATE proceedings SET dek = NULL WHERE id = ?`, pr.ID)
			}, "has no data key"},
			{"ErrAlteredKey", func(pr, _ *domain.Proceeding, _, _ *domain.Hearing) error {
				k, err := sqlstore.ProceedingKeyForTest(ctx, db, pr.ID)
				if err != nil {
					return err
				}
				k[len(k)-1] ^= 1
				return sqlstore.ExecForTest(db, `UPDATE proceedings SET dek = ? WHERE id = ?`, k, pr.ID)
			}, "cannot unwrap the data key of proceeding " + "KIN-J-"},
			{"ErrAnotherRecordsKey", func(pr, other *domain.Proceeding, _, _ *domain.Hearing) error {
				k, err := sqlstore.ProceedingKeyForTest(ctx, db, other.ID)
				if err != nil {
					return err
				}
				return sqlstore.ExecForTest(db, `UPDATE proceedings SET dek = ? WHERE id = ?`, k, pr.ID)
			}, "opening proceeding/"},
			{"ErrHeaderMoved", func(pr, other *domain.Proceeding, _, _ *domain.Hearing) error {
				return sqlstore.ExecForTest(db, `UPDATE proceedings SET data = (SELECT data FROM proceedings WHERE id = ?), dek = (SELECT dek FROM proceedings WHERE id = ?) WHERE id = ?`, other.ID, other.ID, pr.ID)
			}, "opening proceeding/"},
			{"ErrStepMoved", func(_, _ *domain.Proceeding, h1, h2 *domain.Hearing) error {
				return sqlstore.ExecForTest(db, `UPDATE justice_steps SET data = (SELECT data FROM justice_steps WHERE id = ?) WHERE id = ?`, h2.ID, h1.ID)
			}, "opening justice_step/hearings/"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				pr, h1, h2 := newPr()
				other, _, _ := newPr()
				if _, err := db.Proceeding(ctx, pr.ID); err != nil {
					t.Fatalf("before tampering: %v", err)
				}
				if err := tc.tamper(pr, other, h1, h2); err != nil {
					t.Fatal(err)
				}
				got, err := db.Proceeding(ctx, pr.ID)
				if err == nil || got != nil {
					t.Fatalf("read a tampered proceeding: %+v", got)
				}
				wantKind(t, err, domain.KindInternal)
				if !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %q does not say %q", err, tc.want)
				}
				// The other proceeding is unharmed.
				if _, err := db.Proceeding(ctx, other.ID); err != nil {
					t.Fatalf("the untouched proceeding: %v", err)
				}
			})
		}
	})
}

// openAt16 opens a database of the version before migration 0017, with
// a test keyring, closed when the test ends.
func openAt16(t *testing.T, dialect string) *sqlstore.DB {
	t.Helper()
	var (
		db  *sqlstore.DB
		err error
	)
	if dialect == "sqlite" {
		db, err = sqlstore.Open(context.Background(), "", filepath.Join(t.TempDir(), "data"))
	} else {
		db, err = sqlstore.Open(context.Background(), sqltest.PostgresSchemaURL(t), "")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return fixedNow }
	db.SetKeys(seal.NewTestKeyring())
	if err := sqlstore.MigrateToForTest(context.Background(), db, 16); err != nil {
		t.Fatal(err)
	}
	// Today's code writes the cases the test needs into this table of
	// migration 0022; the test drops it before migrating.
	if err := sqlstore.ExecForTest(db, `CREATE TABLE case_exploitation_countries (case_id TEXT, country TEXT)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestJusticeLegacySealedAtStart: a proceeding written in clear by a
// version before migration 0017 is queued by the migration, refused on
// reading while queued, and sealed — header and every step — by
// SealProceedings, which the store's opening runs; it then reads back
// whole, and a second run has nothing to do.
func TestJusticeLegacySealedAtStart(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := openAt16(t, dialect)
			c, s := mustJusticeRefs(t, db)
			pr, steps, plants := plantedProceeding(c.Number, s.Number)
			// The header, the defendant, then the steps that refer to it.
			if err := sqlstore.InsertLegacyProceedingForTest(ctx, db, pr); err != nil {
				t.Fatal(err)
			}
			if err := sqlstore.AppendLegacyStepsForTest(ctx, db, pr.ID, steps[0]); err != nil {
				t.Fatal(err)
			}
			def := steps[0].StepMeta().ID
			steps[1].(*domain.Charge).DefendantID, steps[3].(*domain.Sentence).DefendantID = def, def
			if err := sqlstore.AppendLegacyStepsForTest(ctx, db, pr.ID, steps[1:]...); err != nil {
				t.Fatal(err)
			}
			raw := rawJustice(t, db)
			for _, p := range plants {
				if !strings.Contains(raw, p.marker) {
					t.Fatalf("the legacy rows do not hold %s in clear: the test would prove nothing", p.field)
				}
			}

			if err := sqlstore.ExecForTest(db, `DROP TABLE case_exploitation_countries`); err != nil {
				t.Fatal(err)
			}
			applied, err := db.Migrate(ctx)
			if err != nil || !slices.Contains(applied, "0017_justice_sealed.sql") {
				t.Fatalf("migrate: %v %v", applied, err)
			}
			_, err = db.Proceeding(ctx, pr.ID)
			wantKind(t, err, domain.KindInternal)
			if !strings.Contains(err.Error(), "waiting to be sealed") {
				t.Fatalf("a queued proceeding: %v", err)
			}
			n, err := db.SealProceedings(ctx)
			if err != nil || n != 1 {
				t.Fatalf("sealed %d, %v; want 1", n, err)
			}
			checkSealed(t, db, pr.ID, plants)
			if n, err := db.SealProceedings(ctx); err != nil || n != 0 {
				t.Fatalf("second run sealed %d, %v; want 0", n, err)
			}
			// The sealed proceeding takes new steps and updates as any.
			got, err := db.Proceeding(ctx, pr.ID)
			if err != nil {
				t.Fatal(err)
			}
			got.Notes = "QZXafter"
			if err := db.UpdateProceeding(ctx, got); err != nil {
				t.Fatal(err)
			}
			if err := db.AddStep(ctx, pr.ID, &domain.Hearing{Date: jdate(2026, 10, 1), Court: "QZXlater"}); err != nil {
				t.Fatal(err)
			}
			if raw := rawJustice(t, db); strings.Contains(raw, "QZXafter") || strings.Contains(raw, "QZXlater") {
				t.Fatal("a write after sealing is in clear")
			}
			if n, err := db.KeysUnder(ctx); err != nil || n != 0 {
				t.Fatalf("KeysUnder = %d, %v: the sealed proceeding's key is not recorded as under the active key", n, err)
			}
		})
	}
}
