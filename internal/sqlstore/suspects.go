// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"vigie/internal/domain"
)

var _ domain.SuspectService = (*DB)(nil)

// suspectAAD binds a suspect's sealed identity to its row.
func suspectAAD(id string) string { return "suspect/" + id + "/sealed" }

// suspectEntry is the audit entry of a change to a suspect: its number
// and changed field names, never a name.
func suspectEntry(ctx context.Context, action string, s *domain.Suspect, agencyID string) *domain.AuditEntry {
	e := domain.NewAuditEntry(ctx, action)
	e.Resource, e.RecordID, e.AgencyID = string(domain.ResSuspect), s.ID, agencyID
	e.Detail = map[string]any{"number": s.Number}
	return e
}

// CreateSuspect registers a suspect for s.Agency, numbered per agency and
// year, with a data key of their own and their names in the suspects'
// blind index.
func (db *DB) CreateSuspect(ctx context.Context, s *domain.Suspect) error {
	if err := s.Validate(db.Now.Today()); err != nil {
		return err
	}
	k, err := db.newRecordKey()
	if err != nil {
		return err
	}
	keys, err := db.suspectNameKeys(s.Identity)
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		aid, err := agencyID(ctx, t, s.Agency)
		if err != nil {
			return err
		}
		year := t.now.Year()
		var last int64
		if err := t.queryRow(ctx, `INSERT INTO suspect_sequences (agency_id, year, last) VALUES (?, ?, 1)
			ON CONFLICT (agency_id, year) DO UPDATE SET last = suspect_sequences.last + 1
			RETURNING last`, aid, year).Scan(&last); err != nil {
			return classify(err, "numbering suspects")
		}
		s.ID, s.Version, s.CreatedAt, s.UpdatedAt = newID(), 1, t.now, t.now
		s.Number, s.Links = domain.FormatSuspectNumber(s.Agency, year, last), nil
		sealed, err := sealJSON(k.dek, s.Identity, suspectAAD(s.ID))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO suspects (id, agency_id, number, gender, age_group, age_band, citizenship, sealed, dek, key_id, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, aid, s.Number, s.Gender, s.AgeGroup, s.AgeBand, s.Citizenship,
			sealed, k.wrapped, k.keyID, s.Version, t.d.ts(t.now), t.d.ts(t.now)); err != nil {
			return classify(err, "registering suspect")
		}
		if err := t.insertSuspectNames(ctx, s.ID, aid, keys); err != nil {
			return err
		}
		return t.audit(ctx, suspectEntry(ctx, domain.AuditCreate, s, aid))
	})
}

// suspectRow is a suspect as stored, before its identity is opened.
type suspectRow struct {
	s        domain.Suspect
	agencyID string
	sealed   []byte
	wrapped  []byte
	keyID    sql.NullString
}

const suspectSelect = `SELECT s.id, s.agency_id, a.code, s.number, s.gender, s.age_group, s.age_band, s.citizenship,
	s.sealed, s.dek, s.key_id, s.version, s.created_at, s.updated_at
	FROM suspects s JOIN agencies a ON a.id = s.agency_id `

func scanSuspectRows(rows *sql.Rows, extra ...any) ([]*suspectRow, error) {
	defer rows.Close()
	var out []*suspectRow
	for rows.Next() {
		r := &suspectRow{}
		var c, u dbTime
		dest := append([]any{&r.s.ID, &r.agencyID, &r.s.Agency, &r.s.Number, &r.s.Gender, &r.s.AgeGroup, &r.s.AgeBand, &r.s.Citizenship,
			&r.sealed, &r.wrapped, &r.keyID, &r.s.Version, &c, &u}, extra...)
		if err := rows.Scan(dest...); err != nil {
			return nil, classify(err, "reading suspects")
		}
		r.s.CreatedAt, r.s.UpdatedAt = c.t, u.t
		out = append(out, r)
	}
	return out, classify(rows.Err(), "reading suspects")
}

// open unwraps the suspect's key and opens the identity; the key is kept
// in the transaction for the links' sealed data.
func (t *tx) openSuspect(r *suspectRow) (*domain.Suspect, error) {
	dek, err := t.db.unwrap(r.wrapped, "suspect "+r.s.Number)
	if err != nil {
		return nil, err
	}
	t.setKey(r.s.ID, recordKey{dek: dek, wrapped: r.wrapped, keyID: r.keyID.String})
	var id domain.SuspectIdentity
	if err := openJSON(dek, r.sealed, suspectAAD(r.s.ID), &id); err != nil {
		return nil, err
	}
	s := r.s
	s.Identity = &id
	return &s, nil
}

// suspectWhere is the condition that selects a suspect by ID or number.
func suspectWhere(ref string) (string, bool) {
	switch {
	case isUUID(ref):
		return `s.id = ?`, true
	case domain.ValidSuspectNumber(ref):
		return `s.number = ?`, true
	}
	return "", false
}

func missingSuspect(ref string) error {
	if !isUUID(ref) && !domain.ValidSuspectNumber(ref) {
		ref = "(not a suspect reference)"
	}
	return domain.Errorf(domain.KindNotFound, "suspect %s does not exist", truncateText(ref, 60))
}

// loadSuspect reads one suspect with their identity and links.
func loadSuspect(ctx context.Context, t *tx, ref string) (*domain.Suspect, string, error) {
	where, ok := suspectWhere(ref)
	if !ok {
		return nil, "", missingSuspect(ref)
	}
	rows, err := t.query(ctx, suspectSelect+`WHERE `+where, ref)
	if err != nil {
		return nil, "", classify(err, "reading suspect")
	}
	list, err := scanSuspectRows(rows)
	if err != nil {
		return nil, "", err
	}
	if len(list) == 0 {
		return nil, "", missingSuspect(ref)
	}
	s, err := t.openSuspect(list[0])
	if err != nil {
		return nil, "", err
	}
	if s.Links, err = t.suspectLinks(ctx, `l.suspect_id = ?`, s.ID); err != nil {
		return nil, "", err
	}
	return s, list[0].agencyID, nil
}

// Suspect reads a suspect, by ID or number, with their links.
func (db *DB) Suspect(ctx context.Context, ref string) (*domain.Suspect, error) {
	var s *domain.Suspect
	err := db.read(ctx, func(t *tx) error {
		var err error
		s, _, err = loadSuspect(ctx, t, ref)
		return err
	})
	return s, err
}

// UpdateSuspect replaces a suspect's details if s.Version is still the
// stored one; the number, agency and links stay.
func (db *DB) UpdateSuspect(ctx context.Context, s *domain.Suspect) error {
	if err := s.Validate(db.Now.Today()); err != nil {
		return err
	}
	keys, err := db.suspectNameKeys(s.Identity)
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, aid, err := loadSuspect(ctx, t, s.ID)
		if err != nil {
			return err
		}
		if cur.Version != s.Version {
			return staleVersion("suspect "+cur.Number, s.Version, cur.Version)
		}
		k := t.keyOf(cur.ID)
		sealed, err := sealJSON(k.dek, s.Identity, suspectAAD(cur.ID))
		if err != nil {
			return err
		}
		s.Version, s.Number, s.Agency, s.CreatedAt, s.UpdatedAt, s.Links = cur.Version+1, cur.Number, cur.Agency, cur.CreatedAt, t.now, cur.Links
		res, err := t.exec(ctx, `UPDATE suspects SET gender = ?, age_group = ?, age_band = ?, citizenship = ?, sealed = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`, s.Gender, s.AgeGroup, s.AgeBand, s.Citizenship, sealed, s.Version, t.d.ts(t.now), cur.ID, cur.Version)
		if err != nil {
			return classify(err, "updating suspect")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion("suspect "+cur.Number, cur.Version, -1)
		}
		if _, err := t.exec(ctx, `DELETE FROM suspect_name_index WHERE suspect_id = ?`, cur.ID); err != nil {
			return classify(err, "updating the suspects' name index")
		}
		if err := t.insertSuspectNames(ctx, cur.ID, aid, keys); err != nil {
			return err
		}
		e := suspectEntry(ctx, domain.AuditUpdate, s, aid)
		e.Detail["fields"] = domain.ChangedFields(suspectFields(cur), suspectFields(s))
		e.Detail["version"] = s.Version
		return t.audit(ctx, e)
	})
}

// suspectFields is what of a suspect UpdateSuspect may change, for the
// audit log's list of changed field names.
func suspectFields(s *domain.Suspect) any {
	x := *s
	x.Meta, x.Links, x.Number, x.Agency = domain.Meta{}, nil, "", ""
	return &x
}

// DeleteSuspect removes a suspect registered by mistake, if version is
// still the stored one. A suspect still linked to a case or a situation
// (or, later, named in a prosecution) is refused: unlink first, so that
// nothing a victim's case relies on disappears by accident.
func (db *DB) DeleteSuspect(ctx context.Context, id string, version int64) error {
	return db.write(ctx, func(t *tx) error {
		cur, aid, err := loadSuspect(ctx, t, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return staleVersion("suspect "+cur.Number, version, cur.Version)
		}
		if len(cur.Links) > 0 {
			return domain.Errorf(domain.KindConflict, "suspect %s is linked to %d cases or situations; unlink them first", cur.Number, len(cur.Links))
		}
		if _, err := t.exec(ctx, `DELETE FROM suspect_name_index WHERE suspect_id = ?`, cur.ID); err != nil {
			return classify(err, "deleting suspect")
		}
		res, err := t.exec(ctx, `DELETE FROM suspects WHERE id = ? AND version = ?`, cur.ID, version)
		if domain.KindOf(classify(err, "")) == domain.KindInvalid {
			return domain.Errorf(domain.KindConflict, "suspect %s is referred to by other records (a prosecution?); it cannot be deleted", cur.Number)
		}
		if err != nil {
			return classify(err, "deleting suspect")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion("suspect "+cur.Number, version, -1)
		}
		return t.audit(ctx, suspectEntry(ctx, domain.AuditDelete, cur, aid))
	})
}

// SuspectAccess returns what decides who reaches a suspect: the agency
// that registered them and the agencies reaching one of their linked
// cases (owning it, or through an active referral).
func (db *DB) SuspectAccess(ctx context.Context, ref string) (domain.SuspectAccess, error) {
	var a domain.SuspectAccess
	where, ok := suspectWhere(ref)
	if !ok {
		return a, missingSuspect(ref)
	}
	err := db.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT s.id, s.number, s.agency_id FROM suspects s WHERE `+where, ref).Scan(&a.SuspectID, &a.Number, &a.AgencyID)
		if errors.Is(err, sql.ErrNoRows) {
			return missingSuspect(ref)
		}
		if err != nil {
			return classify(err, "reading suspect")
		}
		rows, err := t.query(ctx, `SELECT c.agency_id FROM suspect_links l JOIN cases c ON c.id = l.case_id WHERE l.suspect_id = ?
			UNION SELECT x.agency_id FROM suspect_links l JOIN case_access x ON x.case_id = l.case_id WHERE l.suspect_id = ?`, a.SuspectID, a.SuspectID)
		if err != nil {
			return classify(err, "reading suspect access")
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return classify(err, "reading suspect access")
			}
			a.CaseAgencies = append(a.CaseAgencies, id)
		}
		return classify(rows.Err(), "reading suspect access")
	})
	return a, err
}

// suspectNameKeys are the blind-index keys of a suspect's name and of
// each alias, under the suspects' own tag.
func (db *DB) suspectNameKeys(id *domain.SuspectIdentity) ([][]byte, error) {
	var ks []string
	for _, n := range append([]string{id.Name()}, id.Aliases...) {
		ks = append(ks, suspectSearchKeys(n)...)
	}
	return db.blindKeysTagged(suspectNameTag, dedupe(ks))
}

func dedupe(ks []string) []string {
	seen := make(map[string]bool, len(ks))
	out := ks[:0]
	for _, k := range ks {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func (t *tx) insertSuspectNames(ctx context.Context, suspectID, agencyID string, keys [][]byte) error {
	rows := make([][]any, len(keys))
	for i, k := range keys {
		rows[i] = []any{k, suspectID, agencyID}
	}
	return t.insertRows(ctx, "suspect_name_index", []string{"key", "suspect_id", "agency_id"}, rows)
}

// inList is "(?,?,…)" for n values.
func inList(n int) string { return "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")" }
