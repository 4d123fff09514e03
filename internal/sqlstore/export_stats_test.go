// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// CubeFromCases groups the cases themselves, for tests that check the
// report cube against them.
func (db *DB) CubeFromCases(ctx context.Context, f domain.StatsFilter) ([]domain.CubeRow, error) {
	var out []domain.CubeRow
	err := db.read(ctx, func(t *tx) error {
		codes, err := agencyCodes(ctx, t)
		if err != nil {
			return err
		}
		out, err = t.cubeFromCases(ctx, &f, false, codes)
		return err
	})
	return out, err
}
