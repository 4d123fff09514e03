// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"vigie/internal/domain"
)

// TestClassifyPostgresBusy: PostgreSQL's serialization failures, deadlocks
// and unavailable locks are a busy database (503, retry), as SQLite's
// BUSY is, not a version conflict (409 "someone else changed it", seen on
// GET requests under load); unique and foreign-key violations keep their
// kinds.
func TestClassifyPostgresBusy(t *testing.T) {
	for code, want := range map[string]domain.Kind{
		"40001": domain.KindUnavailable, "40P01": domain.KindUnavailable, "55P03": domain.KindUnavailable,
		"23505": domain.KindConflict, "23503": domain.KindInvalid,
	} {
		if got := domain.KindOf(classify(&pgconn.PgError{Code: code}, "test")); got != want {
			t.Errorf("%s: %s, want %s", code, got, want)
		}
	}
}
