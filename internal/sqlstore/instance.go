// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"vigie/internal/domain"
)

// Instance modes: a database holds either real cases or demonstration
// data, for its whole life.
const (
	ModeReal = "real"
	ModeDemo = "demo"
)

// InstanceMode returns the database's recorded mode, or "" while none is.
func (db *DB) InstanceMode(ctx context.Context) (string, error) {
	var mode string
	err := db.read(ctx, func(t *tx) error {
		return t.instanceMode(ctx, &mode)
	})
	return mode, err
}

// ClaimInstanceMode records mode if the database has none yet and
// returns the mode it has afterwards. A database without a mode that
// already holds agencies, users or cases (created before modes were
// recorded) is real, whatever is asked: only an empty database can
// become a demo.
func (db *DB) ClaimInstanceMode(ctx context.Context, mode string) (string, error) {
	if mode != ModeReal && mode != ModeDemo {
		return "", domain.Errorf(domain.KindInternal, "unknown instance mode %q", mode)
	}
	if got, err := db.InstanceMode(ctx); err != nil || got != "" {
		return got, err
	}
	var got string
	err := db.write(ctx, func(t *tx) error {
		if err := t.instanceMode(ctx, &got); err != nil || got != "" {
			return err
		}
		got = mode
		if mode == ModeDemo {
			var n int
			q := `SELECT (SELECT count(*) FROM agencies) + (SELECT count(*) FROM users) + (SELECT count(*) FROM cases)`
			if err := t.queryRow(ctx, q).Scan(&n); err != nil {
				return classify(err, "counting records")
			}
			if n > 0 {
				got = ModeReal
			}
		}
		_, err := t.exec(ctx, `INSERT INTO instance_mode (id, mode, created_at) VALUES (1, ?, ?)`, got, t.now.Format(timeLayout))
		return classify(err, "recording the instance mode")
	})
	return got, err
}

func (t *tx) instanceMode(ctx context.Context, mode *string) error {
	err := t.queryRow(ctx, `SELECT mode FROM instance_mode WHERE id = 1`).Scan(mode)
	if errors.Is(err, sql.ErrNoRows) {
		*mode = ""
		return nil
	}
	return classify(err, "reading the instance mode")
}
