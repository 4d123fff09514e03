// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"time"
)

// importsLockKey is the PostgreSQL advisory lock that one import holds
// from the moment it looks at which file it reads until it ends (the
// second key is the schema's hash). Keys 7462351–7462354 are taken.
const importsLockKey = 7462355

// LockImports makes the imports of the database run one after the other:
// an import decides whether its file is a file already imported, another
// version of one or other victims from what the database holds, and two
// imports deciding at once both took themselves for new — the same file
// saved twice, or two files of one name, were both imported, their
// victims counted twice or lost. It waits while another import holds the
// lock (calling waiting once), until ctx ends. The lock goes with the
// process however it ends (a kernel file lock on SQLite, a session lock on
// PostgreSQL).
func (db *DB) LockImports(ctx context.Context, waiting func()) (release func(), err error) {
	said := false
	for {
		release, ok, err := db.tryLockImports(ctx)
		if err != nil || ok {
			return release, err
		}
		if !said && waiting != nil {
			waiting()
			said = true
		}
		select {
		case <-ctx.Done():
			return nil, classify(ctx.Err(), "waiting for another import to end")
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (db *DB) tryLockImports(ctx context.Context) (release func(), ok bool, err error) {
	if db.dialect == sqliteDialect {
		return flockFile(db.path+"-imports.lock", true)
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, false, classify(err, "locking the imports")
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, hashtext(current_schema()))`, importsLockKey).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, false, classify(err, "locking the imports")
	}
	return sessionUnlock(conn, `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, importsLockKey), true, nil
}
