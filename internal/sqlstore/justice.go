// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"vigie/internal/domain"
)

var _ domain.JusticeService = (*DB)(nil)

// proceedingHeader is what the proceedings.data column keeps, sealed
// with the proceeding's data key: the header without the steps, which
// live in justice_steps (sealed with the same key). Its free text (units,
// courts, docket, notes) may name people, so none of it is in clear; what
// lists, joins and figures need is in columns of its own (stage, dates,
// situation).
type proceedingHeader struct {
	Agency        string               `json:"agency"`
	SituationID   string               `json:"situation_id,omitempty"`
	Complaint     domain.Complaint     `json:"complaint"`
	Investigation domain.Investigation `json:"investigation"`
	Prosecution   domain.Prosecution   `json:"prosecution"`
	ClosedOn      domain.Date          `json:"closed_on,omitzero"`
	Notes         string               `json:"notes,omitempty"`
}

func headerOf(pr *domain.Proceeding) proceedingHeader {
	return proceedingHeader{Agency: pr.Agency, SituationID: pr.SituationID, Complaint: pr.Complaint,
		Investigation: pr.Investigation, Prosecution: pr.Prosecution, ClosedOn: pr.ClosedOn, Notes: pr.Notes}
}

// CreateProceeding opens a proceeding of its agency and numbers it.
func (db *DB) CreateProceeding(ctx context.Context, pr *domain.Proceeding) error {
	if err := pr.Validate(db.Now.Today()); err != nil {
		return err
	}
	k, err := db.newRecordKey()
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		aid, err := agencyID(ctx, t, pr.Agency)
		if err != nil {
			return err
		}
		if err := justiceSituation(ctx, t, pr.SituationID); err != nil {
			return err
		}
		year := t.now.Year()
		var last int64
		if err := t.queryRow(ctx, `INSERT INTO justice_sequences (agency_id, year, last) VALUES (?, ?, 1)
			ON CONFLICT (agency_id, year) DO UPDATE SET last = justice_sequences.last + 1
			RETURNING last`, aid, year).Scan(&last); err != nil {
			return classify(err, "numbering proceedings")
		}
		pr.ID, pr.Version, pr.CreatedAt, pr.UpdatedAt = newID(), 1, t.now, t.now
		pr.Number = domain.FormatProceedingNumber(pr.Agency, year, last)
		pr.Status = pr.Stage()
		data, err := sealJSON(k.dek, headerOf(pr), proceedingAAD(pr.ID))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO proceedings (id, agency_id, number, situation_id, stage, complaint_date, investigation_opened, data, dek, key_id, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			pr.ID, aid, pr.Number, nullString(pr.SituationID), pr.Status, t.d.date(pr.Complaint.Date), t.d.date(pr.Investigation.Opened),
			data, k.wrapped, k.keyID, pr.Version, t.d.ts(t.now), t.d.ts(t.now)); err != nil {
			return classify(err, "creating proceeding")
		}
		return t.audit(ctx, justiceAudit(ctx, domain.AuditCreate, pr.ID, aid, nil))
	})
}

// UpdateProceeding replaces the header; pr.Version must be the current
// one. The owning agency does not change.
func (db *DB) UpdateProceeding(ctx context.Context, pr *domain.Proceeding) error {
	if err := pr.Validate(db.Now.Today()); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, aid, err := t.proceeding(ctx, pr.ID)
		if err != nil {
			return err
		}
		if cur.Version != pr.Version {
			return staleVersion("proceeding "+cur.Number, pr.Version, cur.Version)
		}
		if pr.Agency != cur.Agency {
			return &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "agency", Code: "validation.forbidden_agency", Message: "the agency of a proceeding does not change"}}}
		}
		if err := justiceSituation(ctx, t, pr.SituationID); err != nil {
			return err
		}
		before := headerOf(cur)
		next := *cur
		next.SituationID, next.Complaint, next.Investigation, next.Prosecution, next.ClosedOn, next.Notes =
			pr.SituationID, pr.Complaint, pr.Investigation, pr.Prosecution, pr.ClosedOn, pr.Notes
		next.Version, next.UpdatedAt = cur.Version+1, t.now
		next.Status = next.Stage()
		data, err := sealJSON(t.keyOf(cur.ID).dek, headerOf(&next), proceedingAAD(cur.ID))
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE proceedings SET situation_id = ?, stage = ?, complaint_date = ?, investigation_opened = ?, data = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			nullString(next.SituationID), next.Status, t.d.date(next.Complaint.Date), t.d.date(next.Investigation.Opened), data, next.Version, t.d.ts(t.now), cur.ID, cur.Version)
		if err := prevOneRow(res, err, "proceeding "+cur.Number); err != nil {
			return err
		}
		*pr = next
		return t.audit(ctx, justiceAudit(ctx, domain.AuditUpdate, pr.ID, aid,
			map[string]any{"version": pr.Version, "fields": domain.ChangedFields(before, headerOf(pr))}))
	})
}

// DeleteProceeding removes a proceeding opened by mistake, with its steps.
func (db *DB) DeleteProceeding(ctx context.Context, id string, version int64) error {
	return db.write(ctx, func(t *tx) error {
		cur, aid, err := t.proceeding(ctx, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return staleVersion("proceeding "+cur.Number, version, cur.Version)
		}
		// Steps first, dependants before defendants: the self reference
		// of justice_steps is checked row by row on SQLite.
		if _, err := t.exec(ctx, `DELETE FROM justice_steps WHERE proceeding_id = ? AND defendant_id IS NOT NULL`, cur.ID); err != nil {
			return classify(err, "deleting proceeding steps")
		}
		if _, err := t.exec(ctx, `DELETE FROM justice_steps WHERE proceeding_id = ?`, cur.ID); err != nil {
			return classify(err, "deleting proceeding steps")
		}
		res, err := t.exec(ctx, `DELETE FROM proceedings WHERE id = ? AND version = ?`, cur.ID, version)
		if err := prevOneRow(res, err, "proceeding "+cur.Number); err != nil {
			return err
		}
		return t.audit(ctx, justiceAudit(ctx, domain.AuditDelete, cur.ID, aid, map[string]any{"number": cur.Number}))
	})
}

// Proceeding reads a proceeding in full, with its steps, stage, warnings
// and timeline sources, and audits the read: who read which proceeding.
func (db *DB) Proceeding(ctx context.Context, ref string) (*domain.Proceeding, error) {
	var (
		pr  *domain.Proceeding
		aid string
	)
	err := db.read(ctx, func(t *tx) error {
		id, err := t.proceedingRef(ctx, ref)
		if err != nil {
			return err
		}
		pr, aid, err = t.proceeding(ctx, id)
		if err != nil {
			return err
		}
		return t.loadSteps(ctx, pr)
	})
	if err != nil {
		return nil, err
	}
	pr.Status, pr.Warnings = pr.Stage(), pr.Check()
	e := justiceAudit(ctx, domain.AuditRead, pr.ID, aid, map[string]any{"number": pr.Number, "steps": stepCount(pr)})
	if err := db.Audit(ctx, e); err != nil {
		return nil, err
	}
	return pr, nil
}

// ProceedingAccess returns what decides who reaches a proceeding.
func (db *DB) ProceedingAccess(ctx context.Context, ref string) (domain.JusticeAccess, error) {
	var a domain.JusticeAccess
	err := db.read(ctx, func(t *tx) error {
		id, err := t.proceedingRef(ctx, ref)
		if err != nil {
			return err
		}
		if err := t.queryRow(ctx, `SELECT id, number, agency_id FROM proceedings WHERE id = ?`, id).Scan(&a.ProceedingID, &a.Number, &a.AgencyID); err != nil {
			return classify(err, "reading proceeding")
		}
		rows, err := t.query(ctx, `SELECT c.agency_id FROM justice_steps j JOIN cases c ON c.id = j.case_id WHERE j.proceeding_id = ? AND j.kind = ?
			UNION SELECT x.agency_id FROM justice_steps j JOIN case_access x ON x.case_id = j.case_id WHERE j.proceeding_id = ? AND j.kind = ?`,
			id, string(domain.StepVictim), id, string(domain.StepVictim))
		if err != nil {
			return classify(err, "reading proceeding access")
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return classify(err, "reading proceeding access")
			}
			a.CaseAgencies = append(a.CaseAgencies, s)
		}
		return classify(rows.Err(), "reading proceeding access")
	})
	return a, err
}

// Proceedings lists proceedings newest first, without their steps (the
// stage comes from its column), and the total.
func (db *DB) Proceedings(ctx context.Context, f domain.ProceedingFilter) ([]*domain.Proceeding, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var (
		out   []*domain.Proceeding
		total int
	)
	q, args, ok := proceedingsQuery(f)
	if !ok {
		return nil, 0, nil
	}
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return classify(err, "listing proceedings")
		}
		defer rows.Close()
		for rows.Next() {
			pr, n, err := t.scanProceeding(rows)
			if err != nil {
				return err
			}
			out, total = append(out, pr), n
		}
		return classify(rows.Err(), "listing proceedings")
	})
	return out, total, err
}

// CaseJustice is the summaries of the proceedings a case's victim takes
// part in, as that case's workers see them; each read is audited with the
// case, as a read of the case's justice summary.
func (db *DB) CaseJustice(ctx context.Context, caseID string) ([]domain.JusticeSummary, error) {
	if !isUUID(caseID) {
		return nil, domain.Errorf(domain.KindNotFound, "case %s does not exist", prevTruncID(caseID))
	}
	var (
		out    []domain.JusticeSummary
		number string
	)
	err := db.read(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT number FROM cases WHERE id = ?`, caseID).Scan(&number); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return domain.Errorf(domain.KindNotFound, "case %s does not exist", caseID)
			}
			return classify(err, "reading case")
		}
		ids, err := t.stringList(ctx, caseProceedingsQuery, caseID, string(domain.StepVictim))
		if err != nil {
			return err
		}
		for _, id := range ids {
			pr, _, err := t.proceeding(ctx, id)
			if err != nil {
				return err
			}
			if err := t.loadSteps(ctx, pr); err != nil {
				return err
			}
			out = append(out, pr.Summary(caseID, db.Now.Today()))
		}
		return nil
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	e := domain.NewAuditEntry(ctx, domain.AuditRead)
	e.Resource, e.CaseID, e.CaseNumber, e.Detail = string(domain.ResJusticeSummary), caseID, number, map[string]any{"proceedings": len(out)}
	return out, db.Audit(ctx, e)
}

// proceedingsQuery is the list query of a filter, newest first; ok is
// false when an ID filter is not an ID (nothing matches).
func proceedingsQuery(f domain.ProceedingFilter) (q string, args []any, ok bool) {
	where := []string{"1 = 1"}
	if f.Agency != "" {
		where, args = append(where, "p.agency_id = (SELECT id FROM agencies WHERE code = ?)"), append(args, f.Agency)
	}
	if f.Status != "" {
		where, args = append(where, "p.stage = ?"), append(args, f.Status)
	}
	if f.SituationID != "" {
		if !isUUID(f.SituationID) {
			return "", nil, false
		}
		where, args = append(where, "p.situation_id = ?"), append(args, f.SituationID)
	}
	for _, c := range []struct{ col, v string }{{"case_id", f.CaseID}, {"suspect_id", f.SuspectID}} {
		if c.v == "" {
			continue
		}
		if !isUUID(c.v) {
			return "", nil, false
		}
		where = append(where, "p.id IN (SELECT proceeding_id FROM justice_steps WHERE "+c.col+" = ?)")
		args = append(args, c.v)
	}
	q = `SELECT p.id, p.number, a.code, p.stage, p.data, p.dek, p.version, p.created_at, p.updated_at, COUNT(*) OVER ()
		FROM proceedings p JOIN agencies a ON a.id = p.agency_id WHERE ` + strings.Join(where, " AND ") + ` ORDER BY p.id DESC LIMIT ? OFFSET ?`
	return q, append(args, f.Limit, f.Offset), true
}

// caseProceedingsQuery lists the proceedings a case's victim takes part in.
const caseProceedingsQuery = `SELECT proceeding_id FROM justice_steps WHERE case_id = ? AND kind = ? ORDER BY proceeding_id`

// proceedingRef resolves an ID or a number to an ID.
func (t *tx) proceedingRef(ctx context.Context, ref string) (string, error) {
	notFound := domain.Errorf(domain.KindNotFound, "proceeding %s does not exist", prevTruncID(ref))
	col := "number"
	switch {
	case isUUID(ref):
		col = "id"
	case !domain.ValidProceedingNumber(ref):
		return "", notFound
	}
	var id string
	err := t.queryRow(ctx, `SELECT id FROM proceedings WHERE `+col+` = ?`, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound
	}
	return id, classify(err, "reading proceeding")
}

// proceeding reads a proceeding's header and its agency ID.
func (t *tx) proceeding(ctx context.Context, id string) (*domain.Proceeding, string, error) {
	notFound := domain.Errorf(domain.KindNotFound, "proceeding %s does not exist", prevTruncID(id))
	if !isUUID(id) {
		return nil, "", notFound
	}
	rows, err := t.query(ctx, `SELECT p.id, p.number, a.code, p.stage, p.data, p.dek, p.version, p.created_at, p.updated_at, p.agency_id
		FROM proceedings p JOIN agencies a ON a.id = p.agency_id WHERE p.id = ?`, id)
	if err != nil {
		return nil, "", classify(err, "reading proceeding")
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, "", classify(err, "reading proceeding")
		}
		return nil, "", notFound
	}
	var aid string
	pr, err := t.scanProceedingInto(rows, &aid)
	return pr, aid, err
}

func (t *tx) scanProceeding(rows *sql.Rows) (*domain.Proceeding, int, error) {
	var n int
	pr, err := t.scanProceedingInto(rows, &n)
	return pr, n, err
}

// scanProceedingInto scans the common columns and one last column, and
// opens the header with the proceeding's data key, which it keeps in the
// transaction for the steps.
func (t *tx) scanProceedingInto(rows *sql.Rows, last any) (*domain.Proceeding, error) {
	var (
		pr            domain.Proceeding
		h             proceedingHeader
		data, wrapped []byte
		created, u    dbTime
	)
	if err := rows.Scan(&pr.ID, &pr.Number, &pr.Agency, &pr.Status, &data, &wrapped, &pr.Version, &created, &u, last); err != nil {
		return nil, classify(err, "reading proceeding")
	}
	dek, err := t.proceedingKey(pr.ID, pr.Number, wrapped)
	if err != nil {
		return nil, err
	}
	if err := openJSON(dek, data, proceedingAAD(pr.ID), &h); err != nil {
		return nil, err
	}
	pr.SituationID, pr.Complaint, pr.Investigation, pr.Prosecution, pr.ClosedOn, pr.Notes =
		h.SituationID, h.Complaint, h.Investigation, h.Prosecution, h.ClosedOn, h.Notes
	pr.CreatedAt, pr.UpdatedAt = created.t, u.t
	return &pr, nil
}

// justiceSituation checks that a linked situation exists.
func justiceSituation(ctx context.Context, t *tx, id string) error {
	if id == "" {
		return nil
	}
	var n int
	if isUUID(id) {
		if err := t.queryRow(ctx, `SELECT count(*) FROM situations WHERE id = ?`, id).Scan(&n); err != nil {
			return classify(err, "reading situation")
		}
	}
	if n == 0 {
		return justiceInvalid("situation_id", "validation.unknown_situation", "situation "+prevTruncID(id)+" does not exist")
	}
	return nil
}

func justiceInvalid(field, code, msg string) error {
	return &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: field, Code: code, Message: msg}}}
}

func justiceAudit(ctx context.Context, action, id, agency string, detail map[string]any) *domain.AuditEntry {
	e := domain.NewAuditEntry(ctx, action)
	e.Resource, e.RecordID, e.AgencyID, e.Detail = string(domain.ResJustice), id, agency, detail
	return e
}

// stringList runs a query of one text column.
func (t *tx) stringList(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err, "reading")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, classify(err, "reading")
		}
		out = append(out, s)
	}
	return out, classify(rows.Err(), "reading")
}
