// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"vigie/internal/domain"
)

// stepColumns are the clear columns of a step (see 0013_justice.sql).
type stepColumns struct {
	date, verdictDate          domain.Date
	suspect, defendant, caseID string
	article, verdict           string
}

// AddStep records a step of a proceeding, resolving what it refers to
// (a suspect, a defendant of the same proceeding, an article, a case).
func (db *DB) AddStep(ctx context.Context, proceedingID string, s domain.Step) error {
	if err := s.Validate(db.Now.Today()).Err(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		pr, aid, err := t.proceeding(ctx, proceedingID)
		if err != nil {
			return err
		}
		var n int
		if err := t.queryRow(ctx, `SELECT count(*) FROM justice_steps WHERE proceeding_id = ? AND kind = ?`, pr.ID, string(s.StepKind())).Scan(&n); err != nil {
			return classify(err, "counting steps")
		}
		if n >= domain.MaxSteps {
			return domain.Errorf(domain.KindInvalid, "a proceeding holds at most %d %s", domain.MaxSteps, s.StepKind())
		}
		cols, err := t.resolveStep(ctx, pr.ID, s, "")
		if err != nil {
			return err
		}
		if err := t.sentencesAfterConviction(ctx, pr.ID, cols.defendant, "", s); err != nil {
			return err
		}
		m := s.StepMeta()
		m.ID, m.Version, m.CreatedAt, m.UpdatedAt = newID(), 1, t.now, t.now
		data, err := sealJSON(t.keyOf(pr.ID).dek, s, stepAAD(s.StepKind(), m.ID))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO justice_steps (id, proceeding_id, kind, date, suspect_id, defendant_id, case_id, article_id, verdict, verdict_date, data, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, pr.ID, string(s.StepKind()), t.d.date(cols.date), nullString(cols.suspect), nullString(cols.defendant), nullString(cols.caseID),
			nullString(cols.article), cols.verdict, t.d.date(cols.verdictDate), data, m.Version, t.d.ts(t.now), t.d.ts(t.now)); err != nil {
			return classifyStep(err, s.StepKind())
		}
		if err := t.refreshStage(ctx, pr.ID); err != nil {
			return err
		}
		return t.audit(ctx, justiceAudit(ctx, domain.AuditCreate, pr.ID, aid, map[string]any{"step": string(s.StepKind()), "step_id": m.ID}))
	})
}

// UpdateStep replaces a step; its version must be the current one.
func (db *DB) UpdateStep(ctx context.Context, proceedingID string, s domain.Step) error {
	if err := s.Validate(db.Now.Today()).Err(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		pr, aid, err := t.proceeding(ctx, proceedingID)
		if err != nil {
			return err
		}
		m := s.StepMeta()
		cur, err := t.step(ctx, pr.ID, s.StepKind(), m.ID)
		if err != nil {
			return err
		}
		cm := cur.StepMeta()
		if cm.Version != m.Version {
			return staleVersion(stepWhat(s.StepKind()), m.Version, cm.Version)
		}
		cols, err := t.resolveStep(ctx, pr.ID, s, m.ID)
		if err != nil {
			return err
		}
		if err := t.sentencesAfterConviction(ctx, pr.ID, cols.defendant, m.ID, s); err != nil {
			return err
		}
		m.Version, m.CreatedAt, m.UpdatedAt = cm.Version+1, cm.CreatedAt, t.now
		data, err := sealJSON(t.keyOf(pr.ID).dek, s, stepAAD(s.StepKind(), m.ID))
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE justice_steps SET date = ?, suspect_id = ?, defendant_id = ?, case_id = ?, article_id = ?, verdict = ?, verdict_date = ?, data = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`,
			t.d.date(cols.date), nullString(cols.suspect), nullString(cols.defendant), nullString(cols.caseID), nullString(cols.article),
			cols.verdict, t.d.date(cols.verdictDate), data, m.Version, t.d.ts(t.now), m.ID, cm.Version)
		if err != nil {
			return classifyStep(err, s.StepKind())
		}
		if err := prevOneRow(res, nil, stepWhat(s.StepKind())); err != nil {
			return err
		}
		if s.StepKind() == domain.StepDefendant {
			// The charges and sentences of a defendant carry its suspect.
			if _, err := t.exec(ctx, `UPDATE justice_steps SET suspect_id = ? WHERE defendant_id = ?`, cols.suspect, m.ID); err != nil {
				return classify(err, "updating the defendant's charges")
			}
		}
		if err := t.refreshStage(ctx, pr.ID); err != nil {
			return err
		}
		return t.audit(ctx, justiceAudit(ctx, domain.AuditUpdate, pr.ID, aid, map[string]any{"step": string(s.StepKind()), "step_id": m.ID, "version": m.Version}))
	})
}

// DeleteStep removes a step recorded by mistake. A defendant with
// charges, sentences or appeals is kept: remove those first.
func (db *DB) DeleteStep(ctx context.Context, proceedingID string, kind domain.StepKind, id string, version int64) error {
	if !domain.ValidStepKind(kind) {
		return domain.Errorf(domain.KindNotFound, "no such kind of step")
	}
	return db.write(ctx, func(t *tx) error {
		pr, aid, err := t.proceeding(ctx, proceedingID)
		if err != nil {
			return err
		}
		cur, err := t.step(ctx, pr.ID, kind, id)
		if err != nil {
			return err
		}
		if cur.StepMeta().Version != version {
			return staleVersion(stepWhat(kind), version, cur.StepMeta().Version)
		}
		var n int
		if err := t.queryRow(ctx, `SELECT count(*) FROM justice_steps WHERE defendant_id = ?`, id).Scan(&n); err != nil {
			return classify(err, "reading the defendant's steps")
		}
		if n > 0 {
			return domain.Errorf(domain.KindConflict, "this defendant has %d charges, sentences or appeals: remove them first", n)
		}
		res, err := t.exec(ctx, `DELETE FROM justice_steps WHERE id = ? AND version = ?`, id, version)
		if err := prevOneRow(res, err, stepWhat(kind)); err != nil {
			return err
		}
		if err := t.refreshStage(ctx, pr.ID); err != nil {
			return err
		}
		return t.audit(ctx, justiceAudit(ctx, domain.AuditDelete, pr.ID, aid, map[string]any{"step": string(kind), "step_id": id}))
	})
}

// resolveStep checks what a step refers to and returns its clear
// columns; self is the step's own ID on update.
func (t *tx) resolveStep(ctx context.Context, proceedingID string, s domain.Step, self string) (stepColumns, error) {
	var c stepColumns
	var err error
	switch v := s.(type) {
	case *domain.Defendant:
		c.date = v.ArrestedOn
		c.suspect, v.SuspectNumber, err = t.justiceSuspect(ctx, v.SuspectID)
		v.SuspectID = c.suspect
	case *domain.Charge:
		c.date, c.verdict, c.verdictDate = v.ChargedOn, v.Verdict, v.VerdictOn
		c.defendant, c.suspect, err = t.defendantOf(ctx, proceedingID, "defendant_id", v.DefendantID, true)
		if err == nil {
			c.article, v.ArticleCode, err = t.chargeArticle(ctx, v.ArticleID, self)
			v.ArticleID, v.SuspectID = c.article, c.suspect
		}
	case *domain.Hearing:
		c.date = v.Date
	case *domain.Sentence:
		c.date = v.SentencedOn
		c.defendant, c.suspect, err = t.defendantOf(ctx, proceedingID, "defendant_id", v.DefendantID, true)
		v.SuspectID = c.suspect
	case *domain.Appeal:
		c.date = v.LodgedOn
		c.defendant, c.suspect, err = t.defendantOf(ctx, proceedingID, "defendant_id", v.DefendantID, false)
	case *domain.Participation:
		c.date = v.TestifiedOn
		c.caseID, err = t.justiceCase(ctx, v.CaseNumber)
		v.CaseID = c.caseID
	default:
		err = domain.Errorf(domain.KindInternal, "unknown step %T", s)
	}
	return c, err
}

// sentencesAfterConviction refuses a date that would put one of a
// defendant's sentences before the defendant's first conviction: a
// sentence is pronounced on a conviction, never before it, so the date
// is mistyped — the same kind of impossibility as a verdict before its
// charge, refused likewise. The step s being written (self: its ID on
// update) is a charge (its verdict) or a sentence (its date); other kinds
// pass. The defendant's other steps are read as stored. A sentence with
// no conviction yet is not refused: the conviction may come next, and
// the page warns meanwhile.
func (t *tx) sentencesAfterConviction(ctx context.Context, proceedingID, defendant, self string, s domain.Step) error {
	var (
		charge    *domain.Charge
		sentenced domain.Date
	)
	switch v := s.(type) {
	case *domain.Charge:
		if v.Verdict != "Convicted" || v.VerdictOn.IsZero() {
			return nil
		}
		charge = v
	case *domain.Sentence:
		sentenced = v.SentencedOn
	default:
		return nil
	}
	steps, err := t.steps(ctx, `j.proceeding_id = ? AND j.defendant_id = ?`, proceedingID, defendant)
	if err != nil {
		return err
	}
	var convicted, firstSentence domain.Date
	earlier := func(d *domain.Date, x domain.Date) {
		if !x.IsZero() && (d.IsZero() || x.Before(*d)) {
			*d = x
		}
	}
	if charge != nil {
		earlier(&convicted, charge.VerdictOn)
	} else {
		earlier(&firstSentence, sentenced)
	}
	for _, s := range steps {
		if s.StepMeta().ID == self {
			continue
		}
		switch v := s.(type) {
		case *domain.Charge:
			if v.Verdict == "Convicted" {
				earlier(&convicted, v.VerdictOn)
			}
		case *domain.Sentence:
			// Written a charge: every sentence of the defendant counts.
			// Written a sentence: only its own date (an older mistake
			// elsewhere is the page's warning, not this sentence's fault).
			if charge != nil {
				earlier(&firstSentence, v.SentencedOn)
			}
		}
	}
	if convicted.IsZero() || firstSentence.IsZero() || !firstSentence.Before(convicted) {
		return nil
	}
	if charge != nil {
		return justiceInvalid("verdict_on", "validation.justice_date_order", "a sentence of this defendant is dated "+firstSentence.String()+", before this conviction")
	}
	return justiceInvalid("sentenced_on", "validation.justice_date_order", "the defendant was first convicted on "+convicted.String()+": a sentence cannot come before")
}

// justiceSuspect resolves a suspect by ID or number (the registry's own
// store is another area's; this reads only the two columns it needs).
func (t *tx) justiceSuspect(ctx context.Context, ref string) (id, number string, err error) {
	col := "number"
	if isUUID(ref) {
		col = "id"
	} else if !domain.ValidSuspectNumber(ref) {
		return "", "", justiceInvalid("suspect_id", "validation.justice_unknown_suspect", "no suspect "+prevTruncID(ref)+" in the registry")
	}
	err = t.queryRow(ctx, `SELECT id, number FROM suspects WHERE `+col+` = ?`, ref).Scan(&id, &number)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", justiceInvalid("suspect_id", "validation.justice_unknown_suspect", "no suspect "+prevTruncID(ref)+" in the registry")
	}
	return id, number, classify(err, "reading suspect")
}

// defendantOf checks that id is a defendant of the proceeding and returns
// it with its suspect.
func (t *tx) defendantOf(ctx context.Context, proceedingID, field, id string, required bool) (string, string, error) {
	if id == "" && !required {
		return "", "", nil
	}
	bad := justiceInvalid(field, "validation.justice_unknown_defendant", "not a defendant of this proceeding")
	if !isUUID(id) {
		return "", "", bad
	}
	var suspect string
	err := t.queryRow(ctx, `SELECT suspect_id FROM justice_steps WHERE id = ? AND proceeding_id = ? AND kind = ?`, id, proceedingID, string(domain.StepDefendant)).Scan(&suspect)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", bad
	}
	return id, suspect, classify(err, "reading defendant")
}

// chargeArticle resolves an article by ID or code. A new charge cites an
// active article; a charge that already cites a retired one keeps it.
func (t *tx) chargeArticle(ctx context.Context, ref, self string) (string, string, error) {
	bad := justiceInvalid("article_id", "validation.justice_unknown_article", "no article "+prevTruncID(ref)+" in the list of offences")
	col := "code"
	if isUUID(ref) {
		col = "id"
	}
	var (
		id, code string
		active   bool
	)
	err := t.queryRow(ctx, `SELECT id, code, active FROM law_articles WHERE `+col+` = ?`, ref).Scan(&id, &code, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", bad
	}
	if err != nil {
		return "", "", classify(err, "reading article")
	}
	if !active {
		var n int
		if self != "" {
			if err := t.queryRow(ctx, `SELECT count(*) FROM justice_steps WHERE id = ? AND article_id = ?`, self, id).Scan(&n); err != nil {
				return "", "", classify(err, "reading charge")
			}
		}
		if n == 0 {
			return "", "", justiceInvalid("article_id", "validation.justice_retired_article", "article "+code+" is retired")
		}
	}
	return id, code, nil
}

// justiceCase resolves a victim's case by number.
func (t *tx) justiceCase(ctx context.Context, number string) (string, error) {
	var id string
	err := t.queryRow(ctx, `SELECT id FROM cases WHERE number = ?`, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", justiceInvalid("case_number", "validation.justice_unknown_case", "case "+prevTruncID(number)+" does not exist")
	}
	return id, classify(err, "reading case")
}

// step reads one step of a proceeding.
func (t *tx) step(ctx context.Context, proceedingID string, kind domain.StepKind, id string) (domain.Step, error) {
	notFound := domain.Errorf(domain.KindNotFound, "%s %s does not exist", stepWhat(kind), prevTruncID(id))
	if !isUUID(id) || !domain.ValidStepKind(kind) {
		return nil, notFound
	}
	steps, err := t.steps(ctx, `j.id = ? AND j.proceeding_id = ? AND j.kind = ?`, id, proceedingID, string(kind))
	if err != nil {
		return nil, err
	}
	if len(steps) == 0 {
		return nil, notFound
	}
	return steps[0], nil
}

// loadSteps fills a proceeding's steps, oldest first.
func (t *tx) loadSteps(ctx context.Context, pr *domain.Proceeding) error {
	steps, err := t.steps(ctx, `j.proceeding_id = ?`, pr.ID)
	if err != nil {
		return err
	}
	pr.Defendants, pr.Charges, pr.Hearings, pr.Sentences, pr.Appeals, pr.Victims = nil, nil, nil, nil, nil, nil
	for _, s := range steps {
		switch v := s.(type) {
		case *domain.Defendant:
			pr.Defendants = append(pr.Defendants, v)
		case *domain.Charge:
			pr.Charges = append(pr.Charges, v)
		case *domain.Hearing:
			pr.Hearings = append(pr.Hearings, v)
		case *domain.Sentence:
			pr.Sentences = append(pr.Sentences, v)
		case *domain.Appeal:
			pr.Appeals = append(pr.Appeals, v)
		case *domain.Participation:
			pr.Victims = append(pr.Victims, v)
		}
	}
	return nil
}

// steps reads the steps matching where, with the numbers and codes they
// show (suspect number, article code, case number) from their tables,
// and opens each with its proceeding's key, which the caller has read
// (t.proceeding) in the same transaction.
func (t *tx) steps(ctx context.Context, where string, args ...any) ([]domain.Step, error) {
	rows, err := t.query(ctx, stepsQuery(where), args...)
	if err != nil {
		return nil, classify(err, "reading steps")
	}
	defer rows.Close()
	var out []domain.Step
	for rows.Next() {
		var (
			id, proceeding, kind, suspect, suspectNo, article, caseNo, caseID string
			data                                                              []byte
			version                                                           int64
			created, u                                                        dbTime
		)
		if err := rows.Scan(&id, &proceeding, &kind, &data, &version, &created, &u, &suspect, &suspectNo, &article, &caseNo, &caseID); err != nil {
			return nil, classify(err, "reading steps")
		}
		s := domain.NewStep(domain.StepKind(kind))
		if s == nil {
			return nil, domain.Errorf(domain.KindInternal, "unknown step kind %q", kind)
		}
		k := t.keyOf(proceeding)
		if k.dek == nil {
			return nil, domain.Errorf(domain.KindInternal, "reading the steps of proceeding %s before its key", proceeding)
		}
		if err := openJSON(k.dek, data, stepAAD(s.StepKind(), id), s); err != nil {
			return nil, err
		}
		*s.StepMeta() = domain.Meta{ID: id, Version: version, CreatedAt: created.t, UpdatedAt: u.t}
		switch v := s.(type) {
		case *domain.Defendant:
			v.SuspectID, v.SuspectNumber = suspect, suspectNo
		case *domain.Charge:
			v.SuspectID, v.ArticleCode = suspect, article
		case *domain.Sentence:
			v.SuspectID = suspect
		case *domain.Participation:
			v.CaseID, v.CaseNumber = caseID, caseNo
		}
		out = append(out, s)
	}
	return out, classify(rows.Err(), "reading steps")
}

// stepsQuery reads the steps matching where, oldest first.
func stepsQuery(where string) string {
	return `SELECT j.id, j.proceeding_id, j.kind, j.data, j.version, j.created_at, j.updated_at, COALESCE(CAST(j.suspect_id AS TEXT), ''), COALESCE(s.number, ''), COALESCE(a.code, ''), COALESCE(c.number, ''), COALESCE(CAST(j.case_id AS TEXT), '')
		FROM justice_steps j LEFT JOIN suspects s ON s.id = j.suspect_id LEFT JOIN law_articles a ON a.id = j.article_id LEFT JOIN cases c ON c.id = j.case_id
		WHERE ` + where + ` ORDER BY j.id`
}

// refreshStage recomputes the stored stage after a step changed.
func (t *tx) refreshStage(ctx context.Context, id string) error {
	pr, _, err := t.proceeding(ctx, id)
	if err != nil {
		return err
	}
	if err := t.loadSteps(ctx, pr); err != nil {
		return err
	}
	_, err = t.exec(ctx, `UPDATE proceedings SET stage = ? WHERE id = ?`, pr.Stage(), id)
	return classify(err, "updating the proceeding's stage")
}

// classifyStep names the duplicates the unique indexes refuse.
func classifyStep(err error, kind domain.StepKind) error {
	err = classify(err, "saving "+stepWhat(kind))
	if domain.KindOf(err) != domain.KindConflict {
		return err
	}
	switch kind {
	case domain.StepDefendant:
		return domain.Errorf(domain.KindConflict, "this suspect is already a defendant in this proceeding")
	case domain.StepVictim:
		return domain.Errorf(domain.KindConflict, "this victim already takes part in this proceeding")
	}
	return err
}

func stepWhat(k domain.StepKind) string {
	switch k {
	case domain.StepDefendant:
		return "defendant"
	case domain.StepCharge:
		return "charge"
	case domain.StepHearing:
		return "hearing"
	case domain.StepSentence:
		return "sentence"
	case domain.StepAppeal:
		return "appeal"
	case domain.StepVictim:
		return "victim's participation"
	}
	return fmt.Sprintf("step %q", string(k))
}

func stepCount(pr *domain.Proceeding) int {
	return len(pr.Defendants) + len(pr.Charges) + len(pr.Hearings) + len(pr.Sentences) + len(pr.Appeals) + len(pr.Victims)
}
