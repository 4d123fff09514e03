// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"

	"vigie/internal/domain"
)

// A proceeding's free text — units, courts, dockets, arrest places,
// hearing outcomes, confiscated assets, protection measures, notes — may
// name or point to people, so proceedings.data and justice_steps.data are
// sealed whole with a data key per proceeding (proceedings.dek, wrapped by
// the master key and re-wrapped by key rotation); a proceeding's steps use
// its key. Sealed, field by field:
//
//   - header: complaint source and received_by, investigation unit and
//     closing date, court, docket and filing date, closing date, notes;
//   - defendant: arrest place, notes;
//   - charge: acts, means, purposes;
//   - hearing: court, outcome, notes;
//   - sentence: prison term, suspension, fine, compensation, confiscated;
//   - appeal: party, court, outcome, decision date;
//   - victim: witness, protection measures, notes.
//
// In clear stay only the columns lists, joins and figures need, which
// 0013 already kept apart: the number, agency, situation, stage, complaint
// and opening dates of a proceeding; a step's kind, date, suspect,
// defendant, case, article, verdict and verdict date. Figures that need
// a sealed value (the sentences' terms and amounts) open it.

// proceedingAAD binds a proceeding's sealed header to its row.
func proceedingAAD(id string) string { return "proceeding/" + id + "/data" }

// stepAAD binds a step's sealed data to its row and kind, so that a step
// copied to another row or relabelled as another kind cannot be opened.
func stepAAD(kind domain.StepKind, id string) string {
	return "justice_step/" + string(kind) + "/" + id
}

// proceedingKey unwraps a proceeding's data key, once per transaction,
// and keeps it for its steps. A proceeding without a key is refused with
// a message that says why, never read as if it were clear text.
func (t *tx) proceedingKey(id, number string, wrapped []byte) ([]byte, error) {
	if k, ok := t.keys[id]; ok && bytes.Equal(k.wrapped, wrapped) {
		return k.dek, nil
	}
	if len(wrapped) == 0 {
		return nil, domain.Errorf(domain.KindInternal, "proceeding %s has no data key: it was altered, or is still waiting to be sealed (migration 0017, done when Vigie starts with its key file)", number)
	}
	dek, err := t.db.unwrap(wrapped, "proceeding "+number)
	if err != nil {
		return nil, err
	}
	t.setKey(id, recordKey{dek: dek, wrapped: wrapped})
	return dek, nil
}

// sealBatch is how many proceedings one transaction seals at start.
const sealBatch = 100

// SealProceedings seals the proceedings that earlier versions wrote in
// clear: migration 0017 queued every existing proceeding in
// justice_seal_pending, and only the key file can seal them, so this runs
// when the store is next opened with its keys (as RebuildNameIndex does
// for the name index). Each proceeding gets a data key; its header and
// its steps are sealed with it, and it leaves the queue in the same
// transaction, so an interruption leaves nothing half done. Nothing is
// queued on an up-to-date database. It returns how many it sealed.
func (db *DB) SealProceedings(ctx context.Context) (int, error) {
	return db.drainQueue(ctx, "sealing proceedings", `SELECT proceeding_id FROM justice_seal_pending ORDER BY proceeding_id LIMIT ?`, sealBatch,
		func(t *tx, ids []string) (int, error) {
			for _, id := range ids {
				if err := db.sealProceeding(ctx, t, id); err != nil {
					return 0, err
				}
			}
			return len(ids), nil
		})
}

// sealProceeding seals one queued proceeding and its steps.
func (db *DB) sealProceeding(ctx context.Context, t *tx, id string) error {
	var (
		number  string
		data    []byte
		wrapped []byte
	)
	if err := t.queryRow(ctx, `SELECT number, data, dek FROM proceedings WHERE id = ?`, id).Scan(&number, &data, &wrapped); err != nil {
		return classify(err, "reading a proceeding to seal")
	}
	// A queued proceeding with a key was sealed by this version already
	// (a queue left by a crash between two statements cannot happen, as
	// both are in one transaction; this is only a guard).
	if len(wrapped) == 0 {
		if !json.Valid(data) {
			return domain.Errorf(domain.KindInternal, "proceeding %s is queued for sealing but its data is not the clear JSON of an earlier version", number)
		}
		k, err := db.newRecordKey()
		if err != nil {
			return err
		}
		sealed, err := sealBytes(k.dek, data, proceedingAAD(id))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE proceedings SET data = ?, dek = ?, key_id = ? WHERE id = ?`, sealed, k.wrapped, k.keyID, id); err != nil {
			return classify(err, "sealing a proceeding")
		}
		if err := t.sealSteps(ctx, id, number, k.dek); err != nil {
			return err
		}
	}
	_, err := t.exec(ctx, `DELETE FROM justice_seal_pending WHERE proceeding_id = ?`, id)
	return classify(err, "sealing a proceeding")
}

// sealSteps seals the clear steps of a proceeding being sealed.
func (t *tx) sealSteps(ctx context.Context, id, number string, dek []byte) error {
	rows, err := t.query(ctx, `SELECT id, kind, data FROM justice_steps WHERE proceeding_id = ?`, id)
	if err != nil {
		return classify(err, "reading steps to seal")
	}
	type step struct {
		id, kind string
		data     []byte
	}
	var list []step
	for rows.Next() {
		var s step
		if err := rows.Scan(&s.id, &s.kind, &s.data); err != nil {
			rows.Close()
			return classify(err, "reading steps to seal")
		}
		list = append(list, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return classify(err, "reading steps to seal")
	}
	for _, s := range list {
		if !json.Valid(s.data) {
			return domain.Errorf(domain.KindInternal, "a step of proceeding %s is not the clear JSON of an earlier version", number)
		}
		sealed, err := sealBytes(dek, s.data, stepAAD(domain.StepKind(s.kind), s.id))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE justice_steps SET data = ? WHERE id = ?`, sealed, s.id); err != nil {
			return classify(err, "sealing a step")
		}
	}
	return nil
}

// ProceedingsToSeal counts the proceedings still waiting to be sealed
// (written in clear before migration 0017), so that a command that
// migrates without the key file can say what the next start will do.
func (db *DB) ProceedingsToSeal(ctx context.Context) (int, error) {
	var n int
	err := db.read(ctx, func(t *tx) error {
		return classify(t.queryRow(ctx, `SELECT count(*) FROM justice_seal_pending`).Scan(&n), "counting proceedings to seal")
	})
	return n, err
}
