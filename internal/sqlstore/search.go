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
// search: the blind index narrows a million persons to these.
const searchCandidates = 200

// rareKeyLimit is the longest list of cases a search reads for one key.
// A longer list marks a common key (a name like Jean or Mukendi, shared by
// tens of thousands): reading it whole is what made searches slow, and it
// says little about who is meant. Such keys are left to the pair keys and
// to the rarer tokens of the name.
const rareKeyLimit = 1000

// nameIndexColumns are the columns a case's blind-index rows are written
// with.
var nameIndexColumns = []string{"key", "case_id", "agency_id"}

// SearchNames finds cases whose victim's name may be name, through the
// blind index (no name is decrypted to find them; only the candidates are,
// to rank them). agencyID limits the search to the cases an agency
// reaches (its own and those actively referred to it); empty searches
// every agency. Matches scoring under minScore are left out.
func (db *DB) SearchNames(ctx context.Context, name, agencyID string, minScore float64, limit int) ([]domain.NameMatch, error) {
	keys, err := db.searchKeys(name)
	if err != nil || keys == nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	var out []domain.NameMatch
	err = db.read(ctx, func(t *tx) error {
		ids, err := t.nameCandidates(ctx, keys, agencyID)
		if err != nil || len(ids) == 0 {
			return err
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

// searchKeys returns a search's blind-index keys: pairs first (the most
// specific evidence), then tokens; nil when the name has no letter.
func (db *DB) searchKeys(name string) ([][]byte, error) {
	toks := names.Keys(name)
	if len(toks) == 0 {
		return nil, nil
	}
	return db.blindKeys(append(names.PairKeys(name), toks...))
}

// keyLookup is the query that reads one key's cases, at most
// rareKeyLimit+1 of them, scoped to an agency's own cases or not. Both
// forms are answered from one index alone (the primary key, or
// name_index_agency_idx).
func keyLookup(agencyID string) string {
	if agencyID == "" {
		return `SELECT case_id FROM name_index WHERE key = ? LIMIT ?`
	}
	return `SELECT case_id FROM name_index WHERE agency_id = ? AND key = ? LIMIT ?`
}

// referredLookup finds which of a search's keys the cases actively
// referred to an agency carry; there are few such cases, so they are
// matched on every key, common or not.
func referredLookup(n int) string {
	return `SELECT n.case_id FROM case_access x JOIN name_index n ON n.case_id = x.case_id
		WHERE x.agency_id = ? AND n.key IN (` + strings.TrimSuffix(strings.Repeat("?,", n), ",") + `)`
}

// candidate is a case that shares keys with a search.
type candidate struct {
	matched int     // rare keys (and, for referred cases, any keys) shared
	rarity  float64 // sum of 1/len(list) over those keys: rarer evidence first
}

// nameCandidates returns at most searchCandidates case IDs to decrypt
// and rank, best first: the cases sharing most rare keys with the query.
//
// Each key's list is read with a bound, so a search costs at most
// len(keys)×rareKeyLimit index entries however common the name; grouping
// every row of every key (the first design) read up to 190,000 rows for
// common names at a million persons. When every key of the query is
// common, even its pairs, the first searchCandidates cases of the first
// key are taken: such a name matches thousands of persons and the search
// can only show some of them.
func (t *tx) nameCandidates(ctx context.Context, keys [][]byte, agencyID string) ([]string, error) {
	found := map[string]*candidate{}
	var fallback []string
	lookup := keyLookup(agencyID)
	for _, k := range keys {
		args := []any{k, rareKeyLimit + 1}
		if agencyID != "" {
			args = []any{agencyID, k, rareKeyLimit + 1}
		}
		ids, err := t.caseIDs(ctx, "searching names", lookup, args...)
		if err != nil {
			return nil, err
		}
		if len(ids) > rareKeyLimit {
			if fallback == nil {
				fallback = ids[:searchCandidates]
			}
			continue
		}
		w := 1 / float64(len(ids)+1)
		for _, id := range ids {
			c := found[id]
			if c == nil {
				c = &candidate{}
				found[id] = c
			}
			c.matched++
			c.rarity += w
		}
	}
	if agencyID != "" {
		args := make([]any, 0, len(keys)+1)
		args = append(args, agencyID)
		for _, k := range keys {
			args = append(args, k)
		}
		ids, err := t.caseIDs(ctx, "searching names", referredLookup(len(keys)), args...)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			c := found[id]
			if c == nil {
				c = &candidate{}
				found[id] = c
			}
			c.matched++
			c.rarity += 1
		}
	}
	if len(found) == 0 {
		return fallback, nil
	}
	out := make([]string, 0, len(found))
	for id := range found {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := found[out[i]], found[out[j]]
		if a.matched != b.matched {
			return a.matched > b.matched
		}
		if a.rarity != b.rarity {
			return a.rarity > b.rarity
		}
		return out[i] < out[j]
	})
	if len(out) > searchCandidates {
		out = out[:searchCandidates]
	}
	return out, nil
}

// NameCandidates returns the case IDs SearchNames would decrypt and rank
// for name and scope, best first: benchmarks time this step alone and
// check whether the person meant is among them.
func (db *DB) NameCandidates(ctx context.Context, name, agencyID string) ([]string, error) {
	keys, err := db.searchKeys(name)
	if err != nil || keys == nil {
		return nil, err
	}
	var ids []string
	err = db.read(ctx, func(t *tx) error {
		ids, err = t.nameCandidates(ctx, keys, agencyID)
		return err
	})
	return ids, err
}

// caseIDs runs a query whose rows are one case ID each; doing names the
// step in its errors.
func (t *tx) caseIDs(ctx context.Context, doing, q string, args ...any) ([]string, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err, doing)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, classify(err, doing)
		}
		out = append(out, id)
	}
	return out, classify(rows.Err(), doing)
}

// NameSearchQuery returns the per-key lookup SearchNames runs for a name
// and scope, in the database's own placeholders, with the arguments of its
// first key, so that benchmarks EXPLAIN exactly that SQL (nil when the
// name has no key).
func (db *DB) NameSearchQuery(name, agencyID string) (string, []any, error) {
	keys, err := db.searchKeys(name)
	if err != nil || keys == nil {
		return "", nil, err
	}
	args := []any{keys[0], rareKeyLimit + 1}
	if agencyID != "" {
		args = []any{agencyID, keys[0], rareKeyLimit + 1}
	}
	return db.dialect.rebind(keyLookup(agencyID)), args, nil
}

// IncomingReferrals lists the cases actively referred to an agency.
func (db *DB) IncomingReferrals(ctx context.Context, agencyID string) ([]domain.ReferredCase, error) {
	var out []domain.ReferredCase
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT c.number, a.code, x.referral_id, COALESCE(ra.answer, '') FROM case_access x
			JOIN cases c ON c.id = x.case_id JOIN agencies a ON a.id = c.agency_id
			LEFT JOIN referral_answers ra ON ra.referral_id = x.referral_id
			WHERE x.agency_id = ? ORDER BY c.number LIMIT 1000`, agencyID)
		if err != nil {
			return classify(err, "listing referrals")
		}
		defer rows.Close()
		for rows.Next() {
			var r domain.ReferredCase
			if err := rows.Scan(&r.CaseNumber, &r.From, &r.ReferralID, &r.Answer); err != nil {
				return classify(err, "listing referrals")
			}
			out = append(out, r)
		}
		return classify(rows.Err(), "listing referrals")
	})
	return out, err
}
