// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"sort"

	"vigie/internal/domain"
	"vigie/internal/names"
)

// suspectNameTag is the blind index's domain separation tag for suspects'
// names and aliases: the same name hashes to different keys for a victim
// and for a suspect, so neither index can answer for the other.
const suspectNameTag = "suspect-name"

// SuspectDuplicateScore is the score from which a registered suspect is
// offered as a possible duplicate (the victims' threshold).
const SuspectDuplicateScore = 0.75

// suspectSearchKeys are the search keys of one name: its pairs of tokens
// (the most specific evidence) then its tokens, exact and phonetic.
func suspectSearchKeys(name string) []string {
	toks := names.Keys(name)
	if len(toks) == 0 {
		return nil
	}
	return append(names.PairKeys(name), toks...)
}

// blindKeysTagged hashes search keys with the blind-index key under tag.
func (db *DB) blindKeysTagged(tag string, ks []string) ([][]byte, error) {
	if len(ks) == 0 {
		return nil, nil
	}
	k, err := db.keyring()
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(ks))
	for i, s := range ks {
		out[i] = k.BlindIndex(tag, s)
	}
	return out, nil
}

// SuspectDuplicates ranks the registered suspects whose name or one alias
// may be the query's name or one of its aliases. Candidates come from the
// blind index alone; only they are decrypted, to be scored. reachAgency
// limits them to the suspects that agency reaches: those it registered
// and those linked to a case it reaches ("" for every agency).
func (db *DB) SuspectDuplicates(ctx context.Context, q domain.SuspectQuery, reachAgency string, limit int) ([]domain.SuspectMatch, error) {
	if err := q.Validate(db.Now.Today()); err != nil {
		return nil, err
	}
	queries := append([]string{q.Name}, q.Aliases...)
	var ks []string
	for _, n := range queries {
		ks = append(ks, suspectSearchKeys(n)...)
	}
	keys, err := db.blindKeysTagged(suspectNameTag, dedupe(ks))
	if err != nil || len(keys) == 0 {
		return nil, err
	}
	if limit <= 0 || limit > 50 {
		limit = 10
	}
	var out []domain.SuspectMatch
	err = db.read(ctx, func(t *tx) error {
		ids, err := t.suspectCandidates(ctx, keys, reachAgency)
		if err != nil || len(ids) == 0 {
			return err
		}
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		rows, err := t.query(ctx, suspectSelect+`WHERE s.id IN `+inList(len(ids)), args...)
		if err != nil {
			return classify(err, "reading candidates")
		}
		list, err := scanSuspectRows(rows)
		if err != nil {
			return err
		}
		for _, r := range list {
			s, err := t.openSuspect(r)
			if err != nil {
				return err
			}
			score := bestSimilarity(queries, append([]string{s.Identity.Name()}, s.Identity.Aliases...))
			same := !q.Birthdate.IsZero() && q.Birthdate.String() == s.Identity.Birthdate.String()
			if same {
				// The same birth date makes a close spelling far more
				// likely the same person; it never makes a stranger one.
				score = min(1, score+0.1)
			}
			if score >= SuspectDuplicateScore {
				out = append(out, domain.SuspectMatch{SuspectID: s.ID, Number: s.Number, Agency: s.Agency,
					Name: s.Identity.Name(), Score: score, SameBirthdate: same})
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Number < out[j].Number
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// bestSimilarity is the best score of any of a's names against any of b's.
func bestSimilarity(a, b []string) float64 {
	best := 0.0
	for _, x := range a {
		for _, y := range b {
			if names.Keys(x) == nil || names.Keys(y) == nil {
				continue
			}
			best = max(best, names.Similarity(x, y))
		}
	}
	return best
}

// suspectCandidates returns at most searchCandidates suspect IDs sharing
// most rare keys with the query, as the victims' search does (a key
// shared by more than rareKeyLimit suspects is left to the others).
func (t *tx) suspectCandidates(ctx context.Context, keys [][]byte, reachAgency string) ([]string, error) {
	found := map[string]int{}
	lookup := `SELECT suspect_id FROM suspect_name_index WHERE key = ? LIMIT ?`
	if reachAgency != "" {
		lookup = `SELECT suspect_id FROM suspect_name_index WHERE agency_id = ? AND key = ? LIMIT ?`
	}
	for _, k := range keys {
		args := []any{k, rareKeyLimit + 1}
		if reachAgency != "" {
			args = []any{reachAgency, k, rareKeyLimit + 1}
		}
		ids, err := t.caseIDs(ctx, "searching suspects", lookup, args...)
		if err != nil {
			return nil, err
		}
		if len(ids) > rareKeyLimit {
			continue
		}
		for _, id := range ids {
			found[id]++
		}
	}
	if reachAgency != "" {
		// Suspects registered elsewhere but linked to a case the agency
		// reaches: few, so matched on every key.
		args := []any{reachAgency, reachAgency}
		for _, k := range keys {
			args = append(args, k)
		}
		ids, err := t.caseIDs(ctx, "searching suspects", `SELECT n.suspect_id FROM suspect_name_index n WHERE n.suspect_id IN (
			SELECT l.suspect_id FROM suspect_links l JOIN cases c ON c.id = l.case_id WHERE c.agency_id = ?
			UNION SELECT l.suspect_id FROM suspect_links l JOIN case_access x ON x.case_id = l.case_id WHERE x.agency_id = ?)
			AND n.key IN `+inList(len(keys)), args...)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			found[id]++
		}
	}
	out := make([]string, 0, len(found))
	for id := range found {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool {
		if found[out[i]] != found[out[j]] {
			return found[out[i]] > found[out[j]]
		}
		return out[i] < out[j]
	})
	if len(out) > searchCandidates {
		out = out[:searchCandidates]
	}
	return out, nil
}
