// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"vigie/internal/domain"
)

// checkBatchSituations refuses, before a batch's cases are written, a
// case that names a situation of another agency — the foreign key only
// checks that the situation exists, and the other agency would see the
// case's number in it (the API refuses such a link; an import or
// "vigie case add" did not) — and a situation id that is not one. An
// unknown situation is created if the import allowed it, else left to
// the foreign key, which refuses it.
func checkBatchSituations(ctx context.Context, t *tx, cases []*domain.Case, agencyIDs map[string]string) error {
	owner := map[string]string{}    // situation ID -> agency ID, as the batch names them
	agencyOf := map[string]string{} // situation ID -> agency code
	var order []string
	for _, c := range cases {
		if c.SituationID == "" {
			continue
		}
		if !isUUID(c.SituationID) {
			return situationProblem("validation.identifier", "%q is not the ID of a trafficking situation", truncateText(c.SituationID, 40))
		}
		aid := agencyIDs[c.Agency]
		if prev, ok := owner[c.SituationID]; ok {
			if prev != aid {
				return situationProblem("import.situation_agency", "%s is named by cases of two agencies; a situation belongs to one agency", c.SituationID)
			}
			continue
		}
		owner[c.SituationID], agencyOf[c.SituationID] = aid, c.Agency
		order = append(order, c.SituationID)
	}
	for _, id := range order {
		var stored string
		err := t.queryRow(ctx, `SELECT agency_id FROM situations WHERE id = ?`, id).Scan(&stored)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			// Created if the import allowed it (AllowImportedSituation);
			// else the foreign key refuses the case.
			if err := t.createImportedSituation(ctx, id, owner[id], agencyOf[id]); err != nil {
				return err
			}
		case err != nil:
			return classify(err, "reading a situation")
		case stored != owner[id]:
			return situationProblem("import.situation_agency", "%s is a situation of another agency", id)
		}
	}
	return nil
}

// situationProblem is an error on a case's situation_id, with the field
// and code a reject file shows.
func situationProblem(code, format string, args ...any) error {
	var p domain.Problems
	p.Add("situation_id", code, format, args...)
	return p.Err()
}

// truncateText shortens s to n bytes for a message, on a rune boundary.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// ImportedSituationTitle is the title of a situation that an import
// creates: an HTCDS export carries each case's situation_id, not the
// situation (its title is sealed and stays in the database it came from).
const ImportedSituationTitle = "Situation importée / imported situation"

// AllowImportedSituation lets the imports of this DB create situation id
// for agency, in the transaction that writes the first case naming it, if
// the database does not have it: re-importing an export into another
// database then keeps the victims of one situation linked instead of
// rejecting them. Without it an unknown situation is refused. (Created in
// the import's own transaction: the reader that calls this runs while a
// group of batches holds SQLite's one writer connection.)
func (db *DB) AllowImportedSituation(id, agency string) {
	db.importSituations.LoadOrStore(id, agency)
}

// createImportedSituation creates situation id for the agency if an
// import allowed it; otherwise it does nothing and the foreign key
// refuses the case that names it.
func (t *tx) createImportedSituation(ctx context.Context, id, agencyID, agency string) error {
	if allowed, ok := t.db.importSituations.Load(id); !ok || allowed.(string) != agency {
		return nil
	}
	return t.insertSituation(ctx, id, agencyID, ImportedSituationTitle)
}
