// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// RecountAgeBands gives the cases that migration 0025 queued the age band
// of their birth date (domain.Case.AgeBandOf): before it, a case with a
// birth date and no vig_AgeBand was counted under no band. The birth date
// is sealed, so this runs when the store is next opened with its keys, as
// RecountExploitationCountries does. It returns how many cases changed.
func (db *DB) RecountAgeBands(ctx context.Context) (int, error) {
	return db.recountQueued(ctx, "recounting age bands", "age_band_pending", "age_band",
		func(t *tx, c *domain.Case, aid, stored string) (bool, error) {
			band := c.AgeBandOf()
			if band == stored {
				return false, nil
			}
			if _, err := t.exec(ctx, `UPDATE cases SET age_band = ? WHERE id = ?`, band, c.ID); err != nil {
				return false, classify(err, "recounting a case")
			}
			counts := countDeltas{}
			counts.band(c, aid, stored, band)
			if err := counts.apply(ctx, t); err != nil {
				return false, err
			}
			from := cubeKeyOf(c, aid)
			from.ageBand = stored
			cube := cubeDeltas{}
			cube.move(from, cubeKeyOf(c, aid))
			return true, cube.apply(ctx, t)
		})
}
