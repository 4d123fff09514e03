// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// maxSituations bounds the list a case page offers to link a case to.
const maxSituations = 500

// Situations returns an agency's trafficking situations (titles opened,
// case numbers left out), oldest first: the choices for linking one of
// its cases to a situation.
func (db *DB) Situations(ctx context.Context, agency string) ([]*domain.Situation, error) {
	var out []*domain.Situation
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT s.id, s.title, s.version, s.created_at, s.updated_at, s.dek
			FROM situations s JOIN agencies a ON a.id = s.agency_id WHERE a.code = ?
			ORDER BY s.created_at, s.id LIMIT ?`, agency, maxSituations)
		if err != nil {
			return classify(err, "listing situations")
		}
		defer rows.Close()
		for rows.Next() {
			s := &domain.Situation{Agency: agency}
			var title, wrapped []byte
			var c, u dbTime
			if err := rows.Scan(&s.ID, &title, &s.Version, &c, &u, &wrapped); err != nil {
				return classify(err, "listing situations")
			}
			dek, err := t.db.unwrap(wrapped, "situation "+s.ID)
			if err != nil {
				return err
			}
			plain, err := openBytes(dek, title, "situation/"+s.ID+"/title")
			if err != nil {
				return err
			}
			s.Title, s.CreatedAt, s.UpdatedAt = string(plain), c.t, u.t
			out = append(out, s)
		}
		return classify(rows.Err(), "listing situations")
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
