// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import "context"

// RewindAgeBandsForTest puts the database back as the versions before
// migration 0025 left it: each case's column, list counts and report cube
// hold its vig_AgeBand as written (none for a case registered with a
// birth date only), and the migration is not recorded (its queue gone).
func RewindAgeBandsForTest(ctx context.Context, db *DB) error {
	return db.write(ctx, func(t *tx) error {
		ids, err := t.stringList(ctx, `SELECT id FROM cases ORDER BY id`)
		if err != nil {
			return err
		}
		for _, id := range ids {
			c, err := loadCase(ctx, t, id, true)
			if err != nil {
				return err
			}
			derived, written := c.AgeBandOf(), c.Victim.AgeBand
			if derived == written {
				continue
			}
			aid, err := agencyID(ctx, t, c.Agency)
			if err != nil {
				return err
			}
			counts := countDeltas{}
			counts.band(c, aid, derived, written)
			if err := counts.apply(ctx, t); err != nil {
				return err
			}
			to := cubeKeyOf(c, aid)
			to.ageBand = written
			cube := cubeDeltas{}
			cube.move(cubeKeyOf(c, aid), to)
			if err := cube.apply(ctx, t); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `UPDATE cases SET age_band = ? WHERE id = ?`, written, id); err != nil {
				return err
			}
		}
		for _, q := range []string{`DROP TABLE age_band_pending`, `DELETE FROM schema_migrations WHERE number = 25`} {
			if _, err := t.exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}
