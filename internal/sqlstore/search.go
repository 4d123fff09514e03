// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"sort"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/names"
)

// searchCandidates bounds the cases whose names are decrypted to rank a
// search: the blind index narrows a million persons to these, ordered by
// how many keys they share with the query.
const searchCandidates = 200

// SearchNames finds cases whose victim's name may be name, through the
// blind index (no name is decrypted to find them; only the candidates are,
// to rank them). agencyID limits the search to the cases an agency
// reaches (its own and those actively referred to it); empty searches
// every agency. Matches scoring under minScore are left out.
func (db *DB) SearchNames(ctx context.Context, name, agencyID string, minScore float64, limit int) ([]domain.NameMatch, error) {
	keys, err := db.nameKeys(&domain.Person{FirstName: name})
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, nil
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	var out []domain.NameMatch
	err = db.read(ctx, func(t *tx) error {
		q, args := candidateQuery(keys, agencyID)
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return classify(err, "searching names")
		}
		var ids []string
		for rows.Next() {
			var id string
			var m int
			if err := rows.Scan(&id, &m); err != nil {
				rows.Close()
				return classify(err, "searching names")
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return classify(err, "searching names")
		}
		if len(ids) == 0 {
			return nil
		}
		idArgs := make([]any, len(ids))
		for i, id := range ids {
			idArgs[i] = id
		}
		crow, err := t.query(ctx, caseSelect+`WHERE c.id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, idArgs...)
		if err != nil {
			return classify(err, "reading candidates")
		}
		cases, err := t.scanCases(crow)
		if err != nil {
			return err
		}
		for _, c := range cases {
			s := names.Similarity(name, fullName(&c.Person))
			if s >= minScore {
				out = append(out, domain.NameMatch{CaseID: c.ID, CaseNumber: c.Number, Agency: c.Agency, Score: s})
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].CaseNumber < out[j].CaseNumber
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// candidateQuery is the grouped query over the blind index that finds
// the cases sharing most keys with a search (placeholders "?").
func candidateQuery(keys [][]byte, agencyID string) (string, []any) {
	args := make([]any, 0, len(keys)+3)
	for _, k := range keys {
		args = append(args, k)
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(keys)), ",") + ")"
	q := `SELECT n.case_id, count(*) AS m FROM name_index n WHERE n.key IN ` + in
	if agencyID != "" {
		q = `SELECT n.case_id, count(*) AS m FROM name_index n JOIN cases c ON c.id = n.case_id
				WHERE n.key IN ` + in + ` AND (c.agency_id = ? OR EXISTS (SELECT 1 FROM case_access x WHERE x.case_id = n.case_id AND x.agency_id = ?))`
		args = append(args, agencyID, agencyID)
	}
	q += ` GROUP BY n.case_id ORDER BY m DESC, n.case_id LIMIT ?`
	return q, append(args, searchCandidates)
}

// NameSearchQuery returns the candidate query SearchNames runs for a name
// and scope, in the database's own placeholders, so that benchmarks time
// and EXPLAIN exactly that SQL (nil when the name has no key).
func (db *DB) NameSearchQuery(name, agencyID string) (string, []any, error) {
	keys, err := db.nameKeys(&domain.Person{FirstName: name})
	if err != nil || len(keys) == 0 {
		return "", nil, err
	}
	q, args := candidateQuery(keys, agencyID)
	return db.dialect.rebind(q), args, nil
}

// IncomingReferrals lists the cases actively referred to an agency.
func (db *DB) IncomingReferrals(ctx context.Context, agencyID string) ([]domain.ReferredCase, error) {
	var out []domain.ReferredCase
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT c.number, a.code, x.referral_id FROM case_access x
			JOIN cases c ON c.id = x.case_id JOIN agencies a ON a.id = c.agency_id
			WHERE x.agency_id = ? ORDER BY c.number LIMIT 1000`, agencyID)
		if err != nil {
			return classify(err, "listing referrals")
		}
		defer rows.Close()
		for rows.Next() {
			var r domain.ReferredCase
			if err := rows.Scan(&r.CaseNumber, &r.From, &r.ReferralID); err != nil {
				return classify(err, "listing referrals")
			}
			out = append(out, r)
		}
		return classify(rows.Err(), "listing referrals")
	})
	return out, err
}
