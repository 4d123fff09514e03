// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"vigie/internal/domain"
)

//go:embed migrations
var migrationFiles embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Number int
	Name   string
	SQL    string
}

// Migrations returns the embedded migrations of a dialect, in order.
func Migrations(dialectName string) ([]Migration, error) {
	dir := path.Join("migrations", dialectName)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", name)
		}
		b, err := migrationFiles.ReadFile(path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Number: num, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out, nil
}

// Migrate applies the migrations not yet recorded, each in its own
// transaction, and returns the names it applied.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	ms, err := Migrations(db.dialect.String())
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "reading migrations")
	}
	if db.dialect == postgresDialect {
		// Two servers starting at once must not both migrate.
		// The advisory lock belongs to one session, so hold a dedicated
		// connection for it. It is taken before the migrations table is
		// created: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe
		// against itself, and one of two processes opening a new schema
		// at once failed with a unique violation.
		conn, err := db.w.Conn(ctx)
		if err != nil {
			return nil, classify(err, "locking migrations")
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7462351)`); err != nil {
			return nil, classify(err, "locking migrations")
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7462351)`)
	}
	create := `CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`
	if _, err := db.w.ExecContext(ctx, create); err != nil {
		return nil, classify(err, "creating the migrations table")
	}
	if err := db.refuseUnknownMigrations(ctx, ms); err != nil {
		return nil, err
	}
	// Indexes an interrupted import left dropped are built before any
	// migration runs (a migration may change them), and after the
	// migrations when the table that records them is new.
	restored, err := db.restoreOnOpen(ctx)
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range ms {
		err := db.write(ctx, func(t *tx) error {
			var n int
			if err := t.queryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE number = ?`, m.Number).Scan(&n); err != nil {
				return classify(err, "reading migrations")
			}
			if n > 0 {
				return nil
			}
			if _, err := t.ExecContext(ctx, m.SQL); err != nil {
				return domain.Wrap(domain.KindInternal, err, "migration %s failed", m.Name)
			}
			if _, err := t.exec(ctx, `INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)`, m.Number, m.Name, t.now.Format(timeLayout)); err != nil {
				return classify(err, "recording migration")
			}
			applied = append(applied, m.Name)
			return nil
		})
		if err != nil {
			return applied, err
		}
	}
	if !restored {
		if _, err := db.restoreOnOpen(ctx); err != nil {
			return applied, err
		}
	}
	return applied, nil
}

// HasMigrations reports whether the database holds Vigie's schema (its
// table of migrations), without creating anything: the commands that only
// read refuse one that does not, rather than create an empty registry.
func (db *DB) HasMigrations(ctx context.Context) (bool, error) {
	return db.tableExists(ctx, db.r, "schema_migrations", "reading migrations")
}

// tableExists reports whether the table name exists in the database (in
// the schema of the search_path on PostgreSQL), reading through conn.
func (db *DB) tableExists(ctx context.Context, conn *sql.DB, name, doing string) (bool, error) {
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if db.dialect == postgresDialect {
		q = `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?`
	}
	var n int
	if err := conn.QueryRowContext(ctx, db.dialect.rebind(q), name).Scan(&n); err != nil {
		return false, classify(err, doing)
	}
	return n > 0, nil
}

// refuseUnknownMigrations refuses a database that records a migration
// this binary does not have: a newer Vigie migrated it, and this one
// would write rows its schema knows nothing of. Nothing is changed.
func (db *DB) refuseUnknownMigrations(ctx context.Context, ms []Migration) error {
	known := make(map[int]bool, len(ms))
	for _, m := range ms {
		known[m.Number] = true
	}
	rows, err := db.w.QueryContext(ctx, `SELECT number, name FROM schema_migrations ORDER BY number`)
	if err != nil {
		return classify(err, "reading migrations")
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var name string
		if err := rows.Scan(&n, &name); err != nil {
			return classify(err, "reading migrations")
		}
		if !known[n] {
			return domain.Errorf(domain.KindUnavailable, "la base %s a été migrée par une version plus récente de Vigie (migration %s, inconnue de celle-ci) : utilisez cette version-là ou une plus récente ; rien n'a été modifié / "+
				"the database %s was migrated by a newer Vigie (migration %s, unknown to this one): run that version or a newer one; nothing was changed", db.Location, name, db.Location, name)
		}
	}
	return classify(rows.Err(), "reading migrations")
}

// restoreOnOpen builds the indexes an interrupted bulk import left
// dropped, saying so through Notice. checked is false when the table of
// deferred indexes does not exist yet.
func (db *DB) restoreOnOpen(ctx context.Context) (checked bool, err error) {
	if ok, err := db.tableExists(ctx, db.w, "deferred_indexes", "reading deferred indexes"); !ok || err != nil {
		return false, err
	}
	start := time.Now()
	built, running, err := db.RestoreDeferredIndexes(ctx)
	if err != nil {
		// The database is right without them, only slower: every
		// command still works, and the next open tries again.
		db.notice("des index de listes supprimés par un import n'ont pas pu être reconstruits (nouvel essai à la prochaine ouverture ; listes plus lentes d'ici là) / " +
			"list indexes dropped by an import could not be rebuilt (tried again at the next open; lists are slower until then): " + domain.SafeMessage(err))
		return true, nil
	}
	switch {
	case running:
		db.notice("un import en cours a supprimé des index de listes, reconstruits à sa fin : listes plus lentes d'ici là / " +
			"an import in progress dropped list indexes, rebuilt when it ends: lists are slower until then")
	case len(built) > 0:
		names := make([]string, len(built))
		for i, x := range built {
			names[i] = x.Name
		}
		secs := time.Since(start).Seconds()
		db.notice(fmt.Sprintf("index supprimés par un import interrompu, reconstruits en %.1f s / indexes dropped by an interrupted import, rebuilt in %.1f s: %s",
			secs, secs, strings.Join(names, ", ")))
	}
	return true, nil
}

func (db *DB) notice(msg string) {
	if db.Notice != nil {
		db.Notice(msg)
	}
}
