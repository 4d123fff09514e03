// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"vigie/internal/domain"
)

// diskFull is the message of a write refused for want of space.
const diskFull = "%s: the disk of the database is full: free some space and try again (nothing of this change was saved)"

// readOnly is the message of a write the database refuses because it may
// only be read: file or folder permissions, a read-only disk, a PostgreSQL
// standby, or a role that may not write.
const readOnly = "%s: the database is read-only for Vigie (permissions of the data folder and of vigie.db, a read-only disk, or a PostgreSQL standby or role that may not write): nothing of this change was saved"

// classify turns a driver error into a domain error by its code, never by
// its text: unique violations are conflicts, foreign-key violations are
// invalid references; anything else stays internal.
func classify(err error, what string) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return domain.Wrap(domain.KindUnavailable, err, "%s: the request was cancelled or timed out", what)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return domain.Wrap(domain.KindConflict, err, "%s: a record with the same key already exists", what)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return domain.Wrap(domain.KindInvalid, err, "%s: refers to a record that does not exist", what)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return domain.Wrap(domain.KindUnavailable, err, "%s: the database is busy, try again", what)
		case sqlite3.SQLITE_FULL:
			return domain.Wrap(domain.KindUnavailable, err, diskFull, what)
		}
		if se.Code()&0xff == sqlite3.SQLITE_READONLY { // and its extended codes
			return domain.Wrap(domain.KindUnavailable, err, readOnly, what)
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return domain.Wrap(domain.KindConflict, err, "%s: a record with the same key already exists", what)
		case "23503":
			return domain.Wrap(domain.KindInvalid, err, "%s: refers to a record that does not exist", what)
		case "40001", "40P01", "55P03":
			// A serialization failure, a deadlock or a lock not
			// available: the server was busy with other writes, as
			// SQLite's BUSY, not a stale version (409 told the client
			// that someone else had changed the record, even on a GET,
			// which writes its audit entry). 503 with Retry-After.
			return domain.Wrap(domain.KindUnavailable, err, "%s: the database is busy with other changes, try again", what)
		case "53100": // disk_full
			return domain.Wrap(domain.KindUnavailable, err, diskFull, what)
		case "25006", "42501": // read_only_sql_transaction, insufficient_privilege
			return domain.Wrap(domain.KindUnavailable, err, readOnly, what)
		case "3F000":
			// invalid_schema_name: the URL's search_path names no schema
			// that exists, so there is nowhere to create the tables.
			return domain.Wrap(domain.KindInvalid, err, "%s: the search_path of --db names no existing schema; create it first (CREATE SCHEMA name;) or fix the URL", what)
		}
	}
	return domain.Wrap(domain.KindInternal, err, "%s failed", what)
}
