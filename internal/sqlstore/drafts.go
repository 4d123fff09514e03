// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"vigie/internal/domain"
)

// draftAAD binds a draft's sealed values to its row.
func draftAAD(id string) string { return "draft/" + id + "/data" }

func missingDraft(id string) error {
	return domain.Errorf(domain.KindNotFound, "draft %s does not exist", id)
}

// SaveDraft creates the draft d.ID for its owner, or replaces its step and
// values. The values are sealed with a fresh data key at every save: a
// draft is written a handful of times, and a new key costs one wrap.
func (db *DB) SaveDraft(ctx context.Context, d *domain.Draft) error {
	if !isUUID(d.ID) {
		return missingDraft(d.ID)
	}
	n := 0
	for _, v := range d.Values {
		n += len(v)
	}
	if n > domain.MaxDraftValues {
		return domain.Errorf(domain.KindTooLarge, "a draft keeps at most %d values", domain.MaxDraftValues)
	}
	key, err := db.newRecordKey()
	if err != nil {
		return err
	}
	data, err := sealJSON(key.dek, d.Values, draftAAD(d.ID))
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, err := t.draft(ctx, d.ID, d.OwnerID)
		switch {
		case domain.KindOf(err) == domain.KindNotFound && cur == nil:
			aid, err := agencyID(ctx, t, d.Agency)
			if err != nil {
				return err
			}
			// Drafts left untouched for DraftLifetime hold typed personal
			// data that never became a case: an owner's new draft takes
			// their stale ones away.
			if _, err := t.exec(ctx, `DELETE FROM drafts WHERE owner_id = ? AND case_id IS NULL AND case_number IS NULL AND updated_at < ?`,
				d.OwnerID, t.d.ts(t.now.Add(-domain.DraftLifetime))); err != nil {
				return classify(err, "removing stale drafts")
			}
			d.CreatedAt, d.UpdatedAt = t.now, t.now
			_, err = t.exec(ctx, `INSERT INTO drafts (id, owner_id, agency_id, step, data, dek, key_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, d.OwnerID, aid, d.Step, data, key.wrapped, key.keyID, t.d.ts(t.now), t.d.ts(t.now))
			// A primary-key clash here is someone else's draft: the
			// same answer as a missing one.
			if domain.KindOf(classify(err, "")) == domain.KindConflict {
				return missingDraft(d.ID)
			}
			return classify(err, "saving a draft")
		case err != nil:
			return err
		case cur.Registered():
			d.CaseID, d.CaseNumber = cur.CaseID, cur.CaseNumber
			return domain.Errorf(domain.KindConflict, "draft %s is already registered as %s", d.ID, cur.CaseNumber)
		}
		d.CreatedAt, d.UpdatedAt = cur.CreatedAt, t.now
		_, err = t.exec(ctx, `UPDATE drafts SET step = ?, data = ?, dek = ?, key_id = ?, updated_at = ? WHERE id = ? AND owner_id = ?`,
			d.Step, data, key.wrapped, key.keyID, t.d.ts(t.now), d.ID, d.OwnerID)
		return classify(err, "saving a draft")
	})
}

// draft reads a draft's row without its values. A draft of another owner
// is "not found" (and nil), as a missing one; a row that exists for
// someone else is reported with a nil draft too, so that callers cannot
// tell the two apart.
func (t *tx) draft(ctx context.Context, id, ownerID string) (*domain.Draft, error) {
	d, _, _, err := t.draftRow(ctx, id, ownerID)
	return d, err
}

// draftRow is draft with the sealed values and their wrapped key, read in
// the same statement: under PostgreSQL's READ COMMITTED two statements
// may see two states, and a draft seen open with the values of its
// registered state (cleared) would look empty.
func (t *tx) draftRow(ctx context.Context, id, ownerID string) (*domain.Draft, []byte, []byte, error) {
	d := &domain.Draft{ID: id}
	var caseID, number sql.NullString
	var created, updated dbTime
	var data, wrapped []byte
	err := t.queryRow(ctx, `SELECT d.owner_id, a.code, d.step, d.case_id, d.case_number, d.created_at, d.updated_at, d.data, d.dek
		FROM drafts d JOIN agencies a ON a.id = d.agency_id WHERE d.id = ?`, id).
		Scan(&d.OwnerID, &d.Agency, &d.Step, &caseID, &number, &created, &updated, &data, &wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil, missingDraft(id)
	}
	if err != nil {
		return nil, nil, nil, classify(err, "reading a draft")
	}
	if d.OwnerID != ownerID {
		return nil, nil, nil, domain.Wrap(domain.KindNotFound, errOtherOwner, "draft %s does not exist", id)
	}
	d.CaseID, d.CaseNumber, d.CreatedAt, d.UpdatedAt = caseID.String, number.String, created.t, updated.t
	return d, data, wrapped, nil
}

// errOtherOwner is the internal cause of a "not found" for a draft that
// exists for another user; it never reaches a user.
var errOtherOwner = errors.New("the draft belongs to another user")

// Draft returns the owner's draft with its values.
func (db *DB) Draft(ctx context.Context, id, ownerID string) (*domain.Draft, error) {
	if !isUUID(id) {
		return nil, missingDraft(id)
	}
	var d *domain.Draft
	err := db.read(ctx, func(t *tx) error {
		var data, wrapped []byte
		var err error
		if d, data, wrapped, err = t.draftRow(ctx, id, ownerID); err != nil {
			return err
		}
		if len(data) == 0 {
			return nil // registered: the values live in the case now
		}
		dek, err := db.unwrap(wrapped, "draft "+id)
		if err != nil {
			return err
		}
		return openJSON(dek, data, draftAAD(id), &d.Values)
	})
	return d, err
}

// draftListSize bounds the list of one user's drafts.
const draftListSize = 50

// Drafts lists the owner's open drafts, newest first, without values.
func (db *DB) Drafts(ctx context.Context, ownerID string) ([]*domain.Draft, error) {
	if !isUUID(ownerID) {
		return nil, nil
	}
	var out []*domain.Draft
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT d.id, a.code, d.step, d.created_at, d.updated_at FROM drafts d
			JOIN agencies a ON a.id = d.agency_id
			WHERE d.owner_id = ? AND d.case_id IS NULL AND d.case_number IS NULL
			ORDER BY d.updated_at DESC, d.id DESC LIMIT ?`, ownerID, draftListSize)
		if err != nil {
			return classify(err, "listing drafts")
		}
		defer rows.Close()
		for rows.Next() {
			d := &domain.Draft{OwnerID: ownerID}
			var created, updated dbTime
			if err := rows.Scan(&d.ID, &d.Agency, &d.Step, &created, &updated); err != nil {
				return classify(err, "listing drafts")
			}
			d.CreatedAt, d.UpdatedAt = created.t, updated.t
			out = append(out, d)
		}
		return classify(rows.Err(), "listing drafts")
	})
	return out, err
}

// DeleteDraft discards an open draft with what was typed in it. A
// registered draft is kept: it is what makes a resubmission find its case.
func (db *DB) DeleteDraft(ctx context.Context, id, ownerID string) error {
	if !isUUID(id) {
		return missingDraft(id)
	}
	return db.write(ctx, func(t *tx) error {
		d, err := t.draft(ctx, id, ownerID)
		if err != nil {
			return err
		}
		if d.Registered() {
			return domain.Errorf(domain.KindConflict, "draft %s is already registered as %s", id, d.CaseNumber)
		}
		_, err = t.exec(ctx, `DELETE FROM drafts WHERE id = ? AND owner_id = ?`, id, ownerID)
		return classify(err, "discarding a draft")
	})
}

// RegisterDraft creates c from the draft, once. The draft's row is locked
// first (the UPDATE holds PostgreSQL's row lock until commit; SQLite has a
// single writer), so that a second submission running at the same time
// waits, then finds the case the first one created.
func (db *DB) RegisterDraft(ctx context.Context, id, ownerID string, c *domain.Case) (string, bool, error) {
	if !isUUID(id) {
		return "", false, missingDraft(id)
	}
	today := db.Now.Today()
	c.Normalize(today)
	// Validated before looking at the draft, as CreateCase does; a
	// registered draft is answered below before this error matters.
	invalid := c.Validate(today)
	number, created := "", false
	err := db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE drafts SET updated_at = updated_at WHERE id = ? AND owner_id = ?`, id, ownerID)
		if err != nil {
			return classify(err, "locking a draft")
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return missingDraft(id)
		}
		d, err := t.draft(ctx, id, ownerID)
		if err != nil {
			return err
		}
		if d.Registered() {
			number = d.CaseNumber
			return nil
		}
		if invalid != nil {
			return invalid
		}
		// The same steps as CreateCase: insert with its number, audit.
		aid, err := agencyID(ctx, t, c.Agency)
		if err != nil {
			return err
		}
		if err := insertCases(ctx, t, []*domain.Case{c}, map[string]string{c.Agency: aid}); err != nil {
			return err
		}
		if err := t.audit(ctx, caseEntry(ctx, domain.AuditCreate, c, aid)); err != nil {
			return err
		}
		// The values now live in the case: the draft keeps only its link.
		_, err = t.exec(ctx, `UPDATE drafts SET step = ?, data = NULL, dek = NULL, key_id = NULL, case_id = ?, case_number = ?, updated_at = ? WHERE id = ?`,
			"registered", c.ID, c.Number, t.d.ts(t.now), id)
		if err != nil {
			return classify(err, "linking a draft to its case")
		}
		number, created = c.Number, true
		return nil
	})
	return number, created, err
}
