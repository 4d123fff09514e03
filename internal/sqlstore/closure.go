// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"vigie/internal/domain"
)

var _ domain.CaseworkService = (*DB)(nil)

func closureAAD(id, column string) string { return "closure/" + id + "/" + column }

// actorEmail is who the context says acts, for the records that name
// their author (the audit entry names them too).
func actorEmail(ctx context.Context) string {
	if p := domain.ActorFrom(ctx); p != nil && p.Email != "" {
		return p.Email
	}
	return "system"
}

// RequestClosure records a pending closure request with its reason,
// sealed with the case's key. A second request while one waits, or a
// request on a closed case, is a conflict.
func (db *DB) RequestClosure(ctx context.Context, caseRef, reason string) (*domain.ClosureRequest, error) {
	if err := domain.ValidateClosureText("reason", reason, true); err != nil {
		return nil, err
	}
	var out *domain.ClosureRequest
	err := db.write(ctx, func(t *tx) error {
		c, err := loadCase(ctx, t, caseRef, false)
		if err != nil {
			return err
		}
		if domain.IsClosedStatus(c.Status) {
			return domain.Errorf(domain.KindConflict, "case %s is already closed", c.Number)
		}
		aid, err := agencyID(ctx, t, c.Agency)
		if err != nil {
			return err
		}
		r := &domain.ClosureRequest{ID: newID(), CaseID: c.ID, CaseNumber: c.Number, Status: domain.ClosurePending,
			Reason: reason, RequestedBy: actorEmail(ctx), RequestedAt: t.now}
		sealed, err := sealBytes(t.keyOf(c.ID).dek, []byte(reason), closureAAD(r.ID, "reason"))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO closure_requests (id, case_id, agency_id, status, reason, requested_by, requested_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ID, c.ID, aid, r.Status, sealed, r.RequestedBy, t.d.ts(t.now)); err != nil {
			if domain.KindOf(classify(err, "")) == domain.KindConflict {
				return domain.Errorf(domain.KindConflict, "a closure request of case %s is already waiting", c.Number)
			}
			return classify(err, "requesting closure")
		}
		e := caseEntry(ctx, domain.AuditCreate, c, aid)
		e.RecordID, e.Detail = r.ID, map[string]any{"closure": domain.ClosurePending}
		out = r
		return t.audit(ctx, e)
	})
	return out, err
}

// DecideClosure approves or rejects the pending request id of a case. An
// approval closes the case with the request's reason in the same
// transaction (its own audit entry lists the changed fields); who may
// decide is the caller's check (domain.ActClose).
func (db *DB) DecideClosure(ctx context.Context, caseRef, id string, approve bool, note string) error {
	if err := domain.ValidateClosureText("note", note, false); err != nil {
		return err
	}
	today := db.Now.Today()
	return db.write(ctx, func(t *tx) error {
		c, err := loadCase(ctx, t, caseRef, true)
		if err != nil {
			return err
		}
		if !isUUID(id) {
			return domain.Errorf(domain.KindNotFound, "case %s has no closure request %s", c.Number, id)
		}
		var status string
		var sealed []byte
		err = t.queryRow(ctx, `SELECT status, reason FROM closure_requests WHERE id = ? AND case_id = ?`, id, c.ID).Scan(&status, &sealed)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.KindNotFound, "case %s has no closure request %s", c.Number, id)
		}
		if err != nil {
			return classify(err, "reading closure request")
		}
		if status != domain.ClosurePending {
			return domain.Errorf(domain.KindConflict, "this closure request was already %s", status)
		}
		decision := domain.ClosureRejected
		if approve {
			decision = domain.ClosureApproved
			reason, err := openBytes(t.keyOf(c.ID).dek, sealed, closureAAD(id, "reason"))
			if err != nil {
				return err
			}
			if !domain.IsClosedStatus(c.Status) {
				c.Status, c.ReasonForCaseClosure = "Closed", string(reason)
				c.Normalize(today)
				if err := t.updateCase(ctx, c, today); err != nil {
					return err
				}
			}
		}
		var sealedNote []byte
		if note != "" {
			if sealedNote, err = sealBytes(t.keyOf(c.ID).dek, []byte(note), closureAAD(id, "note")); err != nil {
				return err
			}
		}
		res, err := t.exec(ctx, `UPDATE closure_requests SET status = ?, decided_by = ?, decided_at = ?, note = ?
			WHERE id = ? AND status = ?`, decision, actorEmail(ctx), t.d.ts(t.now), sealedNote, id, domain.ClosurePending)
		if err != nil {
			return classify(err, "deciding closure")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.Errorf(domain.KindConflict, "this closure request was decided meanwhile")
		}
		aid, err := agencyID(ctx, t, c.Agency)
		if err != nil {
			return err
		}
		e := caseEntry(ctx, domain.AuditUpdate, c, aid)
		e.RecordID, e.Detail = id, map[string]any{"closure": decision}
		return t.audit(ctx, e)
	})
}

// ClosureRequests lists a case's closure requests, newest first, with
// their reasons and notes opened.
func (db *DB) ClosureRequests(ctx context.Context, caseRef string) ([]*domain.ClosureRequest, error) {
	var out []*domain.ClosureRequest
	err := db.read(ctx, func(t *tx) error {
		c, err := loadCase(ctx, t, caseRef, false)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT id, status, reason, requested_by, requested_at, decided_by, decided_at, note
			FROM closure_requests WHERE case_id = ? ORDER BY requested_at DESC, id DESC LIMIT 100`, c.ID)
		if err != nil {
			return classify(err, "reading closure requests")
		}
		defer rows.Close()
		dek := t.keyOf(c.ID).dek
		for rows.Next() {
			r := &domain.ClosureRequest{CaseID: c.ID, CaseNumber: c.Number}
			var reason, note []byte
			var by sql.NullString
			var at, decided dbTime
			if err := rows.Scan(&r.ID, &r.Status, &reason, &r.RequestedBy, &at, &by, &decided, &note); err != nil {
				return classify(err, "reading closure requests")
			}
			r.RequestedAt, r.DecidedBy, r.DecidedAt = at.t, by.String, decided.t
			if r.Reason, err = openText(dek, reason, closureAAD(r.ID, "reason")); err != nil {
				return err
			}
			if r.Note, err = openText(dek, note, closureAAD(r.ID, "note")); err != nil {
				return err
			}
			out = append(out, r)
		}
		return classify(rows.Err(), "reading closure requests")
	})
	return out, err
}

// openText opens a sealed text column; NULL is "".
func openText(dek, sealed []byte, aad string) (string, error) {
	if sealed == nil {
		return "", nil
	}
	b, err := openBytes(dek, sealed, aad)
	return string(b), err
}

// PendingClosures lists the closure requests waiting in an agency,
// oldest first, without their reasons (no case key is opened).
func (db *DB) PendingClosures(ctx context.Context, agencyID string, limit int) ([]*domain.ClosureRequest, error) {
	var out []*domain.ClosureRequest
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT r.id, r.case_id, c.number, r.requested_by, r.requested_at
			FROM closure_requests r JOIN cases c ON c.id = r.case_id
			WHERE r.agency_id = ? AND r.status = 'pending' ORDER BY r.requested_at, r.id LIMIT ?`, agencyID, limit)
		if err != nil {
			return classify(err, "listing closure requests")
		}
		defer rows.Close()
		for rows.Next() {
			r := &domain.ClosureRequest{Status: domain.ClosurePending}
			var at dbTime
			if err := rows.Scan(&r.ID, &r.CaseID, &r.CaseNumber, &r.RequestedBy, &at); err != nil {
				return classify(err, "listing closure requests")
			}
			r.RequestedAt = at.t
			out = append(out, r)
		}
		return classify(rows.Err(), "listing closure requests")
	})
	return out, err
}
