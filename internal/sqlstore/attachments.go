// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"vigie/internal/domain"
)

// Attachments are sealed with their case's data key, like the case's
// parts: a key rotation re-wraps that one key and never touches the
// files, and deleting the case (ON DELETE CASCADE) deletes them.

// attachmentAAD binds a sealed column to its attachment, so that a name
// or a content copied to another row (or swapped with each other) cannot
// be opened there. The content is also bound to its content type, the one
// clear column that decides how the file is served: altering it in the
// database makes the file unreadable instead of serving it as something
// else.
func attachmentAAD(id, column string) string { return "attachment/" + id + "/" + column }

func attachmentDataAAD(id, contentType string) string {
	return attachmentAAD(id, "data") + ";" + contentType
}

func noAttachment(c *domain.Case, id string) error {
	return domain.Errorf(domain.KindNotFound, "case %s has no attachment %s", c.Number, id)
}

// AddAttachment validates and seals a file and its name, and stores them
// with the case, with the audit entry in the same transaction. The name
// is stored cleaned (domain.CleanAttachmentName). It does not sniff the
// content: callers that receive files from outside check it first
// (domain.CheckAttachmentType).
func (db *DB) AddAttachment(ctx context.Context, caseRef string, name, contentType string, data []byte) (*domain.Attachment, error) {
	name, contentType, err := domain.ValidateAttachment(name, contentType, int64(len(data)))
	if err != nil {
		return nil, err
	}
	var a *domain.Attachment
	err = db.write(ctx, func(t *tx) error {
		c, err := loadCase(ctx, t, caseRef, false)
		if err != nil {
			return err
		}
		aid, err := agencyID(ctx, t, c.Agency)
		if err != nil {
			return err
		}
		e := domain.NewAuditEntry(ctx, domain.AuditCreate)
		id := newID()
		dek := t.keyOf(c.ID).dek
		sealedName, err := sealBytes(dek, []byte(name), attachmentAAD(id, "name"))
		if err != nil {
			return err
		}
		sealedData, err := sealBytes(dek, data, attachmentDataAAD(id, contentType))
		if err != nil {
			return err
		}
		// Who added it: the user's ID (stable, unlike an e-mail address),
		// or "cli:USER" / "system" for an operator or an import.
		by := e.ActorID
		if by == "" {
			by = e.Actor
		}
		if _, err := t.exec(ctx, `INSERT INTO attachments (id, case_id, name, content_type, size, data, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			id, c.ID, sealedName, contentType, int64(len(data)), sealedData, t.d.ts(t.now), by); err != nil {
			return classify(err, "storing the attachment")
		}
		a = &domain.Attachment{ID: id, CaseID: c.ID, Name: name, ContentType: contentType, Size: int64(len(data)), CreatedAt: t.now, CreatedBy: by}
		e.Resource, e.RecordID, e.CaseID, e.CaseNumber, e.AgencyID = string(domain.ResAttachments), id, c.ID, c.Number, aid
		// Size and type only: the file name may hold a victim's name, and
		// the log holds no personal data.
		e.Detail = map[string]any{"size": len(data), "content_type": contentType}
		return t.audit(ctx, e)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Attachments lists a case's files, oldest first (IDs are time-ordered),
// with their names opened and without their contents.
func (db *DB) Attachments(ctx context.Context, caseRef string) ([]*domain.Attachment, error) {
	out := []*domain.Attachment{}
	err := db.read(ctx, func(t *tx) error {
		c, err := loadCase(ctx, t, caseRef, false)
		if err != nil {
			return err
		}
		dek := t.keyOf(c.ID).dek
		rows, err := t.query(ctx, `SELECT id, name, content_type, size, created_at, created_by FROM attachments WHERE case_id = ? ORDER BY id`, c.ID)
		if err != nil {
			return classify(err, "reading attachments")
		}
		defer rows.Close()
		for rows.Next() {
			a := &domain.Attachment{CaseID: c.ID}
			var name []byte
			var created dbTime
			if err := rows.Scan(&a.ID, &name, &a.ContentType, &a.Size, &created, &a.CreatedBy); err != nil {
				return classify(err, "reading attachments")
			}
			plain, err := openBytes(dek, name, attachmentAAD(a.ID, "name"))
			if err != nil {
				return err
			}
			a.Name, a.CreatedAt = string(plain), created.t
			out = append(out, a)
		}
		return classify(rows.Err(), "reading attachments")
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Attachment returns one file of a case with its content opened. An ID
// of another case's file is not found.
func (db *DB) Attachment(ctx context.Context, caseRef, id string) (*domain.Attachment, []byte, error) {
	var (
		a    *domain.Attachment
		data []byte
	)
	err := db.read(ctx, func(t *tx) error {
		c, err := loadCase(ctx, t, caseRef, false)
		if err != nil {
			return err
		}
		if !isUUID(id) {
			return noAttachment(c, id)
		}
		a = &domain.Attachment{CaseID: c.ID}
		var name, sealed []byte
		var created dbTime
		err = t.queryRow(ctx, `SELECT id, name, content_type, size, data, created_at, created_by FROM attachments WHERE id = ? AND case_id = ?`,
			strings.ToLower(id), c.ID).Scan(&a.ID, &name, &a.ContentType, &a.Size, &sealed, &created, &a.CreatedBy)
		if errors.Is(err, sql.ErrNoRows) {
			return noAttachment(c, id)
		}
		if err != nil {
			return classify(err, "reading the attachment")
		}
		dek := t.keyOf(c.ID).dek
		plain, err := openBytes(dek, name, attachmentAAD(a.ID, "name"))
		if err != nil {
			return err
		}
		if data, err = openBytes(dek, sealed, attachmentDataAAD(a.ID, a.ContentType)); err != nil {
			return err
		}
		// size is in clear: a value altered in the database must not
		// reach a Content-Length header.
		if int64(len(data)) != a.Size {
			return domain.Errorf(domain.KindInternal, "attachment %s: stored size %d, content %d bytes (altered?)", a.ID, a.Size, len(data))
		}
		a.Name, a.CreatedAt = string(plain), created.t
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return a, data, nil
}

// DeleteAttachment removes a file of a case, with the audit entry in the
// same transaction.
func (db *DB) DeleteAttachment(ctx context.Context, caseRef, id string) error {
	return db.write(ctx, func(t *tx) error {
		c, err := loadCase(ctx, t, caseRef, false)
		if err != nil {
			return err
		}
		if !isUUID(id) {
			return noAttachment(c, id)
		}
		aid, err := agencyID(ctx, t, c.Agency)
		if err != nil {
			return err
		}
		var size int64
		var contentType string
		err = t.queryRow(ctx, `DELETE FROM attachments WHERE id = ? AND case_id = ? RETURNING size, content_type`,
			strings.ToLower(id), c.ID).Scan(&size, &contentType)
		if errors.Is(err, sql.ErrNoRows) {
			return noAttachment(c, id)
		}
		if err != nil {
			return classify(err, "deleting the attachment")
		}
		e := domain.NewAuditEntry(ctx, domain.AuditDelete)
		e.Resource, e.RecordID, e.CaseID, e.CaseNumber, e.AgencyID = string(domain.ResAttachments), strings.ToLower(id), c.ID, c.Number, aid
		e.Detail = map[string]any{"size": size, "content_type": contentType}
		return t.audit(ctx, e)
	})
}
