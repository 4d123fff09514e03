// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ImportSource records that a file whose content has this digest is being
// imported under source, unless a file of the same content was imported
// before: it returns the source name recorded first for the digest and
// when, so that a renamed copy of a file can be imported under the same
// source keys. Two imports of the same content at once agree on one name.
func (db *DB) ImportSource(ctx context.Context, digest, source string) (string, time.Time, error) {
	var first, at string
	err := db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO imported_files (digest, source, imported_at) VALUES (?, ?, ?)
			ON CONFLICT (digest) DO NOTHING`, digest, source, t.now.Format(timeLayout)); err != nil {
			return classify(err, "recording the imported file")
		}
		err := t.queryRow(ctx, `SELECT source, imported_at FROM imported_files WHERE digest = ?`, digest).Scan(&first, &at)
		return classify(err, "reading the imported file")
	})
	if err != nil {
		return "", time.Time{}, err
	}
	when, _ := time.Parse(timeLayout, at)
	return first, when, nil
}

// ForgetImportSource removes the record of digest under source when no
// case carries a source key of that source: the file was refused as a
// whole (its header, its format) or none of its rows was imported, and a
// later import of the same content, in another format or after a fix,
// was told "same content as … imported on …" of an import that stored
// nothing. Keys are "SOURCE:…", so the range [SOURCE:, SOURCE;) of the
// unique source_key index holds them all.
func (db *DB) ForgetImportSource(ctx context.Context, digest, source string) error {
	return db.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DELETE FROM imported_files WHERE digest = ? AND source = ?
			AND NOT EXISTS (SELECT 1 FROM cases WHERE source_key >= ? AND source_key < ?)`,
			digest, source, source+":", source+";")
		return classify(err, "forgetting the imported file")
	})
}

// SourceUsedBy reports when a file of other content than digest was first
// imported under source: rows of this file identical to rows of that one
// get the same source keys, and count as already imported.
func (db *DB) SourceUsedBy(ctx context.Context, source, digest string) (time.Time, bool, error) {
	var at string
	err := db.r.QueryRowContext(ctx, db.dialect.rebind(`SELECT imported_at FROM imported_files WHERE source = ? AND digest <> ? ORDER BY imported_at LIMIT 1`), source, digest).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, classify(err, "reading the imported files")
	}
	when, _ := time.Parse(timeLayout, at)
	return when, true, nil
}

// ImportDigest returns the source name a file of this content was first
// imported under, and when; ok is false when none was.
func (db *DB) ImportDigest(ctx context.Context, digest string) (source string, at time.Time, ok bool, err error) {
	var when string
	err = db.r.QueryRowContext(ctx, db.dialect.rebind(`SELECT source, imported_at FROM imported_files WHERE digest = ?`), digest).Scan(&source, &when)
	if errors.Is(err, sql.ErrNoRows) {
		return "", time.Time{}, false, nil
	}
	if err != nil {
		return "", time.Time{}, false, classify(err, "reading the imported files")
	}
	at, _ = time.Parse(timeLayout, when)
	return source, at, true, nil
}

// ImportSources lists the source names under which files were imported.
func (db *DB) ImportSources(ctx context.Context) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT DISTINCT source FROM imported_files ORDER BY source`)
	if err != nil {
		return nil, classify(err, "reading the imported files")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, classify(err, "reading the imported files")
		}
		out = append(out, s)
	}
	return out, classify(rows.Err(), "reading the imported files")
}

// FoundSourceKeys returns those of keys that stored cases carry as their
// source key.
func (db *DB) FoundSourceKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	found := map[string]bool{}
	err := db.read(ctx, func(t *tx) error { return t.storedSourceKeys(ctx, keys, found) })
	return found, err
}
