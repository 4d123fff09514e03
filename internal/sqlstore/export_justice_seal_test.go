// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"vigie/internal/domain"
)

// RawTableForTest returns every column of every row of a table, as the
// database holds it, in one string: what someone reading the database
// file or a dump without the key file sees.
func RawTableForTest(ctx context.Context, db *DB, table string) (string, error) {
	// A unique comment: PostgreSQL's driver caches statements by their
	// text, and SELECT * of a table a migration altered since is refused
	// ("cached plan must not change result type").
	rows, err := db.r.QueryContext(ctx, `SELECT * FROM `+table+` /* `+newID()+` */`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		for _, v := range vals {
			switch x := v.(type) {
			case []byte:
				b.Write(x)
			default:
				fmt.Fprint(&b, x)
			}
			b.WriteByte('|')
		}
		b.WriteByte('\n')
	}
	return b.String(), rows.Err()
}

// MigrateToForTest applies the migrations up to number last, as a
// database left by an earlier version would be.
func MigrateToForTest(ctx context.Context, db *DB, last int) error {
	ms, err := Migrations(db.dialect.String())
	if err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	for _, m := range ms {
		if m.Number > last {
			break
		}
		err := db.write(ctx, func(t *tx) error {
			if _, err := t.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("%s: %w", m.Name, err)
			}
			_, err := t.exec(ctx, `INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)`, m.Number, m.Name, t.now.Format(timeLayout))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// InsertLegacyProceedingForTest writes a proceeding's header as the
// versions before migration 0017 did: clear JSON in data, no data key.
// It fills pr's ID and number.
func InsertLegacyProceedingForTest(ctx context.Context, db *DB, pr *domain.Proceeding) error {
	return db.write(ctx, func(t *tx) error {
		aid, err := agencyID(ctx, t, pr.Agency)
		if err != nil {
			return err
		}
		pr.ID, pr.Version = newID(), 1
		pr.Number = domain.FormatProceedingNumber(pr.Agency, t.now.Year(), 1)
		data, err := json.Marshal(headerOf(pr))
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `INSERT INTO proceedings (id, agency_id, number, situation_id, stage, complaint_date, investigation_opened, data, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			pr.ID, aid, pr.Number, nullString(pr.SituationID), pr.Stage(), t.d.date(pr.Complaint.Date), t.d.date(pr.Investigation.Opened),
			data, 1, t.d.ts(t.now), t.d.ts(t.now))
		return err
	})
}

// AppendLegacyStepsForTest writes steps as the versions before migration
// 0017 did, clear JSON in data, resolving what they refer to as AddStep
// does. It fills their IDs.
func AppendLegacyStepsForTest(ctx context.Context, db *DB, proceedingID string, steps ...domain.Step) error {
	return db.write(ctx, func(t *tx) error {
		for _, s := range steps {
			cols, err := t.resolveStep(ctx, proceedingID, s, "")
			if err != nil {
				return err
			}
			m := s.StepMeta()
			m.ID, m.Version = newID(), 1
			data, err := json.Marshal(s)
			if err != nil {
				return err
			}
			if _, err := t.exec(ctx, `INSERT INTO justice_steps (id, proceeding_id, kind, date, suspect_id, defendant_id, case_id, article_id, verdict, verdict_date, data, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				m.ID, proceedingID, string(s.StepKind()), t.d.date(cols.date), nullString(cols.suspect), nullString(cols.defendant), nullString(cols.caseID),
				nullString(cols.article), cols.verdict, t.d.date(cols.verdictDate), data, 1, t.d.ts(t.now), t.d.ts(t.now)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ProceedingKeyForTest returns a proceeding's wrapped data key as stored.
func ProceedingKeyForTest(ctx context.Context, db *DB, id string) ([]byte, error) {
	var dek []byte
	err := db.r.QueryRowContext(ctx, db.dialect.rebind(`SELECT dek FROM proceedings WHERE id = ?`), id).Scan(&dek)
	return dek, err
}
