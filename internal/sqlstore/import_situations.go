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
// unknown situation is left to the foreign key, which refuses it.
func checkBatchSituations(ctx context.Context, t *tx, cases []*domain.Case, agencyIDs map[string]string) error {
	owner := map[string]string{} // situation ID -> agency ID, as the batch names them
	var order []string
	for _, c := range cases {
		if c.SituationID == "" {
			continue
		}
		if !isUUID(c.SituationID) {
			return domain.Errorf(domain.KindInvalid, "situation_id %q is not a situation's id", truncateText(c.SituationID, 40))
		}
		aid := agencyIDs[c.Agency]
		if prev, ok := owner[c.SituationID]; ok {
			if prev != aid {
				return domain.Errorf(domain.KindInvalid, "situation_id %s is named by cases of two agencies; a situation belongs to one agency", c.SituationID)
			}
			continue
		}
		owner[c.SituationID] = aid
		order = append(order, c.SituationID)
	}
	for _, id := range order {
		var stored string
		err := t.queryRow(ctx, `SELECT agency_id FROM situations WHERE id = ?`, id).Scan(&stored)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			// The foreign key refuses the case.
		case err != nil:
			return classify(err, "reading a situation")
		case stored != owner[id]:
			return domain.Errorf(domain.KindInvalid, "situation_id %s is a situation of another agency", id)
		}
	}
	return nil
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
