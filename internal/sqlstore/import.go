// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"strings"

	"vigie/internal/domain"
)

// ImportCases stores a batch of cases in one transaction, skipping cases
// whose SourceKey is already stored (or repeated within the batch), so
// that running the same import twice creates nothing new and an
// interrupted import can simply be run again.
func (db *DB) ImportCases(ctx context.Context, cases []*domain.Case) (domain.ImportResult, error) {
	var res domain.ImportResult
	today := db.Now.Today()
	for _, c := range cases {
		c.Normalize(today)
		if c.SourceKey == "" {
			return res, domain.Errorf(domain.KindInvalid, "imported cases need a source key")
		}
		if err := c.Validate(today); err != nil {
			return res, domain.Wrap(domain.KindInvalid, err, "case with source key %s is invalid", c.SourceKey)
		}
	}
	if err := db.prepareInserts(ctx); err != nil {
		return res, err
	}
	err := db.write(ctx, func(t *tx) error {
		res = domain.ImportResult{}
		existing, err := existingSourceKeys(ctx, t, cases)
		if err != nil {
			return err
		}
		agencyIDs := map[string]string{}
		fresh := make([]*domain.Case, 0, len(cases))
		for _, c := range cases {
			if existing[c.SourceKey] {
				res.Skipped++
				continue
			}
			existing[c.SourceKey] = true
			if _, ok := agencyIDs[c.Agency]; !ok {
				id, err := agencyID(ctx, t, c.Agency)
				if err != nil {
					return err
				}
				agencyIDs[c.Agency] = id
			}
			fresh = append(fresh, c)
		}
		if err := insertCases(ctx, t, fresh, agencyIDs); err != nil {
			return err
		}
		res.Created = len(fresh)
		return nil
	})
	return res, err
}

func existingSourceKeys(ctx context.Context, t *tx, cases []*domain.Case) (map[string]bool, error) {
	found := make(map[string]bool, len(cases))
	const chunk = 500
	for start := 0; start < len(cases); start += chunk {
		end := min(start+chunk, len(cases))
		args := make([]any, 0, end-start)
		for _, c := range cases[start:end] {
			args = append(args, c.SourceKey)
		}
		rows, err := t.query(ctx, `SELECT source_key FROM cases WHERE source_key IN (`+strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+`)`, args...)
		if err != nil {
			return nil, classify(err, "checking source keys")
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, classify(err, "checking source keys")
			}
			found[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, classify(err, "checking source keys")
		}
	}
	return found, nil
}

// exportPage is how many cases ExportCases reads per query.
const exportPage = 500

// ExportCases calls fn for each case matching f, with its parts, in
// creation order. It reads page by page so memory stays flat.
func (db *DB) ExportCases(ctx context.Context, f domain.CaseFilter, fn func(*domain.Case) error) error {
	f.Sort, f.Cursor, f.Limit = "created", "", exportPage
	if err := f.Validate(); err != nil {
		return err
	}
	after := ""
	for {
		var batch []*domain.Case
		err := db.read(ctx, func(t *tx) error {
			var aid string
			if f.Agency != "" {
				var err error
				if aid, err = agencyID(ctx, t, f.Agency); err != nil {
					return err
				}
			}
			where, args := filterClause(t, &f, aid)
			if after != "" {
				if where == "" {
					where = " WHERE c.id > ?"
				} else {
					where += " AND c.id > ?"
				}
				args = append(args, after)
			}
			rows, err := t.query(ctx, caseSelect+where+` ORDER BY c.id LIMIT ?`, append(args, exportPage)...)
			if err != nil {
				return classify(err, "exporting cases")
			}
			if batch, err = scanCases(rows); err != nil {
				return err
			}
			return loadParts(ctx, t, batch)
		})
		if err != nil {
			return err
		}
		for _, c := range batch {
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(batch) < exportPage {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}
