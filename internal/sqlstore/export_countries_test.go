// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"strings"
)

// RewindExploitationCountriesForTest puts the database back as the
// versions before migration 0022 left it: each case's column, list counts
// and report cube hold its first country of exploitation only, and the
// migration is not recorded (its tables gone, the old index back).
func RewindExploitationCountriesForTest(ctx context.Context, db *DB) error {
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
			aid, err := agencyID(ctx, t, c.Agency)
			if err != nil {
				return err
			}
			full := c.ExploitationCountries()
			first := full[:min(1, len(full))]
			counts := countDeltas{}
			counts.countries(c, aid, full, first)
			if err := counts.apply(ctx, t); err != nil {
				return err
			}
			to := cubeKeyOf(c, aid)
			to.country = strings.Join(first, ";")
			cube := cubeDeltas{}
			cube.move(cubeKeyOf(c, aid), to)
			if err := cube.apply(ctx, t); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `UPDATE cases SET exploitation_country = ? WHERE id = ?`, to.country, id); err != nil {
				return err
			}
		}
		for _, q := range []string{`DROP TABLE case_exploitation_countries`, `DROP TABLE exploitation_countries_pending`,
			`CREATE INDEX cases_country_idx ON cases (exploitation_country, id)`, `DELETE FROM schema_migrations WHERE number = 22`} {
			if _, err := t.exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}
