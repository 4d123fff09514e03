// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"time"

	"vigie/internal/domain"
)

// A bulk import can defer the secondary indexes of the tables it writes:
// drop them, load, and build them again at the end with CREATE INDEX,
// which sorts every row once instead of inserting each row into each
// B-tree. On SQLite most of a large import's writer time is those
// B-trees (measured: copying 347,102 cases rows into the table with its
// indexes 15.1–16.6 s, into the bare table 3.9–5.7 s plus 6.9–7.6 s to
// create the same indexes afterwards).
//
// Only non-unique indexes created by CREATE INDEX are dropped (partial
// ones included): primary keys, UNIQUE constraints and unique indexes,
// partial or not, enforce correctness and are never touched. The list is
// read from the schema (sqlite_master, pg_indexes), not written here, so
// an index a later migration adds is covered.
//
// Crash safety: the DDL of every index dropped is written to
// deferred_indexes in the transaction that drops it, and deleted in the
// transaction that creates the index again, so whatever the moment an
// import dies, the database holds either the index or its DDL. Every open
// (Migrate) rebuilds what is recorded — unless the import that dropped
// it still runs. An import holds a shared lock for as long as its indexes
// are dropped (an flock on DATABASE-import.lock for SQLite, a session
// advisory lock for PostgreSQL, both released by the kernel or the server
// when the process dies); a rebuild needs the exclusive lock. While the
// indexes are dropped other processes may read: their lists are slower,
// not wrong (no query names a non-unique index with INDEXED BY).

// bulkTables are the tables an import writes one row per case (or more).
func bulkTables() []string {
	t := []string{"cases", "name_index"}
	for _, l := range caseLinks {
		t = append(t, l.table)
	}
	for _, k := range domain.PartKinds {
		t = append(t, string(k))
	}
	return t
}

// DeferredIndex is an index a bulk import dropped, with its DDL.
type DeferredIndex struct {
	Name, Table, DDL string
}

// IndexDeferral is a bulk import's hold on its dropped indexes.
type IndexDeferral struct {
	db      *DB
	release func()
	// Dropped are the indexes this import dropped (others may have been
	// dropped by an import still running).
	Dropped []DeferredIndex
}

// DeferIndexes drops the non-unique secondary indexes of the tables an
// import writes, recording their DDL in the same transaction, and holds
// the shared bulk lock until Restore. Indexes already recorded (by an
// import still running, or one that died while a rebuild was refused)
// stay dropped and are rebuilt by Restore too.
func (db *DB) DeferIndexes(ctx context.Context) (*IndexDeferral, error) {
	release, _, err := db.bulkLock(ctx, false)
	if err != nil {
		return nil, err
	}
	d := &IndexDeferral{db: db, release: release}
	err = db.write(ctx, func(t *tx) error {
		idx, err := secondaryIndexes(ctx, t, bulkTables())
		if err != nil {
			return err
		}
		for _, x := range idx {
			if _, err := t.exec(ctx, `INSERT INTO deferred_indexes (name, table_name, ddl, deferred_at) VALUES (?, ?, ?, ?)`,
				x.Name, x.Table, x.DDL, t.now.Format(timeLayout)); err != nil {
				return classify(err, "recording a deferred index")
			}
			if _, err := t.exec(ctx, `DROP INDEX `+quoteIdent(x.Name)); err != nil {
				return classify(err, "dropping index "+x.Name)
			}
		}
		d.Dropped = idx
		return nil
	})
	if err != nil {
		release()
		return nil, err
	}
	return d, nil
}

// Restore releases the lock, then builds every recorded index again and
// deletes its record (one transaction per index, see restoreDeferred).
// It returns the indexes built. When another import holds the lock (its
// indexes, and these, stay dropped until it ends), it builds nothing and
// returns busy = true.
func (d *IndexDeferral) Restore(ctx context.Context) (built []DeferredIndex, busy bool, err error) {
	d.Release()
	built, ok, err := d.db.restoreDeferred(ctx)
	return built, !ok, err
}

// Release lets go of the lock without building anything: the indexes
// stay recorded and the next open of the database builds them.
func (d *IndexDeferral) Release() {
	if d.release != nil {
		d.release()
		d.release = nil
	}
}

// DeferredIndexes returns the indexes recorded as dropped.
func (db *DB) DeferredIndexes(ctx context.Context) ([]DeferredIndex, error) {
	var out []DeferredIndex
	err := db.read(ctx, func(t *tx) error {
		var err error
		out, err = recordedIndexes(ctx, t)
		return err
	})
	return out, err
}

// RestoreDeferredIndexes builds the indexes that an import dropped and
// did not build again (it was killed), unless that import still runs
// (running = true, nothing built). Migrate calls it on every open.
func (db *DB) RestoreDeferredIndexes(ctx context.Context) (built []DeferredIndex, running bool, err error) {
	var n int
	if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM deferred_indexes`).Scan(&n); err != nil {
		return nil, false, classify(err, "reading deferred indexes")
	}
	if n == 0 {
		return nil, false, nil
	}
	built, ok, err := db.restoreDeferred(ctx)
	return built, !ok, err
}

// restoreDeferred takes the exclusive bulk lock without waiting and, if
// it got it, builds the recorded indexes. ok is false when an import
// holds the lock.
func (db *DB) restoreDeferred(ctx context.Context) (built []DeferredIndex, ok bool, err error) {
	release, ok, err := db.bulkLock(ctx, true)
	if err != nil || !ok {
		return nil, ok, err
	}
	defer release()
	if db.dialect == sqliteDialect {
		// CREATE INDEX sorts every row of its table. The writer keeps
		// temporary files in memory (temp_store=MEMORY, db.go), where the
		// sorter's runs of a million cases would be hundreds of MB of
		// resident memory (peak RSS 223 MB for 300,000 cases): its runs
		// go to a temporary file instead, deleted as soon as it is
		// opened, for the rebuild only. They hold the indexed columns
		// (codes, dates, keyed hashes), no names. (The sorter's worker
		// threads, PRAGMA threads, were measured: no gain on 2 cores and
		// more CPU, so the build runs on the writer's thread.)
		if _, err := db.w.ExecContext(ctx, "PRAGMA temp_store = FILE"); err != nil {
			return nil, true, classify(err, "setting up the index build")
		}
		defer db.w.ExecContext(context.WithoutCancel(ctx), "PRAGMA temp_store = MEMORY")
	}
	// One transaction per index, which builds it and deletes its record
	// together: a crash between two leaves the rest recorded, and a
	// writer waiting for the lock (a case saved on a page while a million
	// cases are indexed) waits for one index, a few seconds, not for all
	// of them (38 s at 1M cases), beyond SQLite's busy timeout.
	rec, err := db.DeferredIndexes(ctx)
	if err != nil {
		return nil, true, err
	}
	for _, x := range rec {
		var made bool
		err := db.write(ctx, func(t *tx) error {
			made = false
			exists, err := indexExists(ctx, t, x.Name)
			if err != nil {
				return err
			}
			if !exists {
				if _, err := t.ExecContext(ctx, x.DDL); err != nil {
					return classify(err, "building index "+x.Name)
				}
				made = true
			}
			if _, err := t.exec(ctx, `DELETE FROM deferred_indexes WHERE name = ?`, x.Name); err != nil {
				return classify(err, "deleting a deferred index's record")
			}
			return nil
		})
		if err != nil {
			return built, true, err
		}
		if made {
			built = append(built, x)
		}
	}
	return built, true, nil
}

func recordedIndexes(ctx context.Context, t *tx) ([]DeferredIndex, error) {
	rows, err := t.query(ctx, `SELECT name, table_name, ddl FROM deferred_indexes ORDER BY table_name, name`)
	if err != nil {
		return nil, classify(err, "reading deferred indexes")
	}
	return scanIndexes(rows)
}

func scanIndexes(rows *sql.Rows) ([]DeferredIndex, error) {
	defer rows.Close()
	var out []DeferredIndex
	for rows.Next() {
		var x DeferredIndex
		if err := rows.Scan(&x.Name, &x.Table, &x.DDL); err != nil {
			return nil, classify(err, "reading indexes")
		}
		out = append(out, x)
	}
	return out, classify(rows.Err(), "reading indexes")
}

// secondaryIndexes lists the non-unique indexes created by CREATE INDEX
// on tables, with their DDL, from the schema itself.
func secondaryIndexes(ctx context.Context, t *tx, tables []string) ([]DeferredIndex, error) {
	args := make([]any, len(tables))
	for i, s := range tables {
		args[i] = s
	}
	in := placeholders(len(tables))
	var q string
	if t.d == sqliteDialect {
		// origin 'c' = CREATE INDEX ('u' UNIQUE constraint, 'pk' primary
		// key); sql is NULL for the automatic indexes of constraints.
		q = `SELECT m.name, m.tbl_name, m.sql FROM sqlite_master m
			JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name
			WHERE m.type = 'index' AND m.sql IS NOT NULL AND l."unique" = 0 AND l.origin = 'c'
			AND m.tbl_name IN ` + in + ` ORDER BY m.tbl_name, m.name`
	} else {
		// Neither unique nor primary, nor backing a constraint
		// (an exclusion constraint's index is not unique).
		q = `SELECT i.indexname, i.tablename, i.indexdef FROM pg_indexes i
			JOIN pg_namespace n ON n.nspname = i.schemaname
			JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = n.oid
			JOIN pg_index x ON x.indexrelid = c.oid
			WHERE i.schemaname = current_schema() AND NOT x.indisunique AND NOT x.indisprimary
			AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
			AND i.tablename IN ` + in + ` ORDER BY i.tablename, i.indexname`
	}
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err, "listing indexes")
	}
	return scanIndexes(rows)
}

// SecondaryIndexes lists the indexes DeferIndexes would drop (for tests
// and the bench).
func (db *DB) SecondaryIndexes(ctx context.Context) ([]DeferredIndex, error) {
	var out []DeferredIndex
	err := db.read(ctx, func(t *tx) error {
		var err error
		out, err = secondaryIndexes(ctx, t, bulkTables())
		return err
	})
	return out, err
}

func indexExists(ctx context.Context, t *tx, name string) (bool, error) {
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?`
	if t.d == postgresDialect {
		q = `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?`
	}
	var n int
	err := t.queryRow(ctx, q, name).Scan(&n)
	return n > 0, classify(err, "checking index "+name)
}

// quoteIdent quotes an identifier for both databases.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// bulkLockKey is the PostgreSQL advisory lock of bulk imports (the first
// key; the second is the schema's hash, so that schemas of one server do
// not share it). Migrations use 7462351.
const bulkLockKey = 7462352

// bulkLock takes the bulk lock: shared (an import; waits while a rebuild
// holds it) or exclusive (a rebuild; does not wait: ok is false when an
// import holds it).
func (db *DB) bulkLock(ctx context.Context, exclusive bool) (release func(), ok bool, err error) {
	if db.dialect == sqliteDialect {
		return flockFile(db.path+"-import.lock", exclusive)
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, false, classify(err, "locking the bulk import")
	}
	if exclusive {
		err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, hashtext(current_schema()))`, bulkLockKey).Scan(&ok)
	} else {
		_, err = conn.ExecContext(ctx, `SELECT pg_advisory_lock_shared($1, hashtext(current_schema()))`, bulkLockKey)
		ok = true
	}
	if err != nil || !ok {
		conn.Close()
		return nil, false, classify(err, "locking the bulk import")
	}
	unlock := `SELECT pg_advisory_unlock_shared($1, hashtext(current_schema()))`
	if exclusive {
		unlock = `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`
	}
	return sessionUnlock(conn, unlock, bulkLockKey), true, nil
}

// sessionUnlock returns the release of a PostgreSQL session advisory lock
// that conn holds: unlock runs with args, then conn goes back to the pool.
// A connection that cannot unlock is closed, which unlocks.
func sessionUnlock(conn *sql.Conn, unlock string, args ...any) func() {
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(ctx, unlock, args...); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}
}

// StoredCases counts the cases stored (an import's choice to defer the
// indexes compares it with the file's rows).
func (db *DB) StoredCases(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&n)
	return n, classify(err, "counting cases")
}

// SourceCases counts the cases whose source keys are of source ("SOURCE:…":
// the range [SOURCE:, SOURCE;) of the unique source_key index).
func (db *DB) SourceCases(ctx context.Context, source string) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, db.dialect.rebind(`SELECT count(*) FROM cases WHERE source_key >= ? AND source_key < ?`), source+":", source+";").Scan(&n)
	return n, classify(err, "counting a source's cases")
}
