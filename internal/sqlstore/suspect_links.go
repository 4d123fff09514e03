// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"vigie/internal/domain"
)

// linkAAD binds a link's sealed data (organisation) to its row; it is
// sealed with its suspect's data key.
func linkAAD(id string) string { return "suspect_link/" + id }

// linkSecret is what of a link is sealed.
type linkSecret struct {
	Organisation string `json:"organisation,omitempty"`
}

const linkSelect = `SELECT l.id, l.suspect_id, l.case_id, c.number, l.situation_id, COALESCE(c.agency_id, st.agency_id),
	l.roles, l.relation, l.data, l.version, l.created_at, l.updated_at
	FROM suspect_links l LEFT JOIN cases c ON c.id = l.case_id LEFT JOIN situations st ON st.id = l.situation_id `

// suspectLinks reads links, opening their sealed data with the keys of
// their suspects, read earlier in the transaction.
func (t *tx) suspectLinks(ctx context.Context, where string, args ...any) ([]*domain.SuspectLink, error) {
	rows, err := t.query(ctx, linkSelect+`WHERE `+where+` ORDER BY l.id`, args...)
	if err != nil {
		return nil, classify(err, "reading suspect links")
	}
	defer rows.Close()
	var out []*domain.SuspectLink
	for rows.Next() {
		var (
			l                   domain.SuspectLink
			caseID, number, sit sql.NullString
			owner, roles        string
			data                []byte
			c, u                dbTime
		)
		if err := rows.Scan(&l.ID, &l.SuspectID, &caseID, &number, &sit, &owner, &roles, &l.Relation, &data, &l.Version, &c, &u); err != nil {
			return nil, classify(err, "reading suspect links")
		}
		k, ok := t.keys[l.SuspectID]
		if !ok {
			return nil, domain.Errorf(domain.KindInternal, "suspect link %s: its suspect's key was not read", l.ID)
		}
		var sec linkSecret
		if err := openJSON(k.dek, data, linkAAD(l.ID), &sec); err != nil {
			return nil, err
		}
		l.CaseID, l.CaseNumber, l.SituationID, l.Organisation = caseID.String, number.String, sit.String, sec.Organisation
		l.Roles, l.Reach = splitRoles(roles), []string{owner}
		l.CreatedAt, l.UpdatedAt = c.t, u.t
		out = append(out, &l)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(err, "reading suspect links")
	}
	rows.Close()
	return out, t.referredReach(ctx, out)
}

// referredReach adds to each case link the agencies the case is actively
// referred to.
func (t *tx) referredReach(ctx context.Context, links []*domain.SuspectLink) error {
	byCase := map[string][]*domain.SuspectLink{}
	var args []any
	for _, l := range links {
		if l.CaseID != "" {
			if byCase[l.CaseID] == nil {
				args = append(args, l.CaseID)
			}
			byCase[l.CaseID] = append(byCase[l.CaseID], l)
		}
	}
	if len(args) == 0 {
		return nil
	}
	rows, err := t.query(ctx, `SELECT case_id, agency_id FROM case_access WHERE case_id IN `+inList(len(args)), args...)
	if err != nil {
		return classify(err, "reading referral access")
	}
	defer rows.Close()
	for rows.Next() {
		var c, a string
		if err := rows.Scan(&c, &a); err != nil {
			return classify(err, "reading referral access")
		}
		for _, l := range byCase[c] {
			l.Reach = append(l.Reach, a)
		}
	}
	return classify(rows.Err(), "reading referral access")
}

func splitRoles(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// linkTarget resolves a link's case (by number or ID) or situation,
// which must exist; surfaces have checked that the caller reaches it.
func linkTarget(ctx context.Context, t *tx, l *domain.SuspectLink) (caseID, situationID any, err error) {
	if l.SituationID != "" {
		missing := domain.Errorf(domain.KindNotFound, "situation %s does not exist", l.SituationID)
		if !isUUID(l.SituationID) {
			return nil, nil, missing
		}
		var id string
		err = t.queryRow(ctx, `SELECT id FROM situations WHERE id = ?`, l.SituationID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, missing
		}
		if err != nil {
			return nil, nil, classify(err, "reading situation")
		}
		return nil, id, nil
	}
	ref := l.CaseNumber
	if ref == "" {
		ref = l.CaseID
	}
	c, err := loadCase(ctx, t, ref, false)
	if err != nil {
		return nil, nil, err
	}
	l.CaseID, l.CaseNumber = c.ID, c.Number
	return c.ID, nil, nil
}

// linkEntry is the audit entry of a link's change, in the suspect's
// agency's trail, naming the case it concerns.
func linkEntry(ctx context.Context, action string, s *domain.Suspect, agencyID string, l *domain.SuspectLink) *domain.AuditEntry {
	e := suspectEntry(ctx, action, s, agencyID)
	e.CaseID, e.CaseNumber = l.CaseID, l.CaseNumber
	e.Detail["record"] = "link"
	e.Detail["link"] = l.ID
	if l.SituationID != "" {
		e.Detail["situation"] = l.SituationID
	}
	return e
}

// LinkSuspect links a suspect to a victim's case or a situation; a
// suspect is linked once to each (conflict otherwise).
func (db *DB) LinkSuspect(ctx context.Context, l *domain.SuspectLink) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		s, aid, err := loadSuspect(ctx, t, l.SuspectID)
		if err != nil {
			return err
		}
		caseID, sitID, err := linkTarget(ctx, t, l)
		if err != nil {
			return err
		}
		l.ID, l.SuspectID, l.Version, l.CreatedAt, l.UpdatedAt = newID(), s.ID, 1, t.now, t.now
		data, err := sealJSON(t.keyOf(s.ID).dek, linkSecret{l.Organisation}, linkAAD(l.ID))
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `INSERT INTO suspect_links (id, suspect_id, case_id, situation_id, roles, relation, data, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, s.ID, caseID, sitID, strings.Join(l.Roles, ","), l.Relation, data, l.Version, t.d.ts(t.now), t.d.ts(t.now))
		if domain.KindOf(classify(err, "")) == domain.KindConflict {
			return domain.Errorf(domain.KindConflict, "suspect %s is already linked to it; edit that link instead", s.Number)
		}
		if err != nil {
			return classify(err, "linking suspect")
		}
		return t.audit(ctx, linkEntry(ctx, domain.AuditCreate, s, aid, l))
	})
}

// findLink returns the link id of the suspect, read in the transaction.
func findLink(s *domain.Suspect, id string) (*domain.SuspectLink, error) {
	i := slices.IndexFunc(s.Links, func(l *domain.SuspectLink) bool { return l.ID == id })
	if i < 0 {
		return nil, domain.Errorf(domain.KindNotFound, "link %s of suspect %s does not exist", id, s.Number)
	}
	return s.Links[i], nil
}

// UpdateSuspectLink changes a link's roles, relation and organisation if
// l.Version is still the stored one; its case or situation stays.
func (db *DB) UpdateSuspectLink(ctx context.Context, l *domain.SuspectLink) error {
	return db.write(ctx, func(t *tx) error {
		s, aid, err := loadSuspect(ctx, t, l.SuspectID)
		if err != nil {
			return err
		}
		cur, err := findLink(s, l.ID)
		if err != nil {
			return err
		}
		if cur.Version != l.Version {
			return staleVersion("this link", l.Version, cur.Version)
		}
		l.SuspectID, l.CaseID, l.CaseNumber, l.SituationID = s.ID, cur.CaseID, cur.CaseNumber, cur.SituationID
		if err := l.Validate(); err != nil {
			return err
		}
		data, err := sealJSON(t.keyOf(s.ID).dek, linkSecret{l.Organisation}, linkAAD(l.ID))
		if err != nil {
			return err
		}
		l.Version, l.CreatedAt, l.UpdatedAt = cur.Version+1, cur.CreatedAt, t.now
		res, err := t.exec(ctx, `UPDATE suspect_links SET roles = ?, relation = ?, data = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			strings.Join(l.Roles, ","), l.Relation, data, l.Version, t.d.ts(t.now), l.ID, cur.Version)
		if err != nil {
			return classify(err, "updating link")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion("this link", cur.Version, -1)
		}
		e := linkEntry(ctx, domain.AuditUpdate, s, aid, l)
		e.Detail["fields"] = domain.ChangedFields(cur, l)
		return t.audit(ctx, e)
	})
}

// UnlinkSuspect removes a link if version is still the stored one.
func (db *DB) UnlinkSuspect(ctx context.Context, suspectID, linkID string, version int64) error {
	return db.write(ctx, func(t *tx) error {
		s, aid, err := loadSuspect(ctx, t, suspectID)
		if err != nil {
			return err
		}
		cur, err := findLink(s, linkID)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return staleVersion("this link", version, cur.Version)
		}
		res, err := t.exec(ctx, `DELETE FROM suspect_links WHERE id = ? AND version = ?`, linkID, version)
		if err != nil {
			return classify(err, "removing link")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion("this link", version, -1)
		}
		return t.audit(ctx, linkEntry(ctx, domain.AuditDelete, s, aid, cur))
	})
}

// CaseSuspects lists the suspects linked to a case, each with that one
// link, in the order they were linked.
func (db *DB) CaseSuspects(ctx context.Context, caseID string) ([]*domain.Suspect, error) {
	var out []*domain.Suspect
	if !isUUID(caseID) {
		return nil, nil
	}
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, suspectSelect+`JOIN suspect_links l ON l.suspect_id = s.id WHERE l.case_id = ? ORDER BY l.id`, caseID)
		if err != nil {
			return classify(err, "reading the case's suspects")
		}
		list, err := scanSuspectRows(rows)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return nil
		}
		// The links are read for the suspects just read only: on
		// PostgreSQL each statement sees its own snapshot, and a link
		// made in between would name a suspect whose key is not here.
		args := []any{caseID}
		for _, r := range list {
			s, err := t.openSuspect(r)
			if err != nil {
				return err
			}
			out = append(out, s)
			args = append(args, s.ID)
		}
		links, err := t.suspectLinks(ctx, `l.case_id = ? AND l.suspect_id IN `+inList(len(out)), args...)
		if err != nil {
			return err
		}
		for _, s := range out {
			for _, l := range links {
				if l.SuspectID == s.ID {
					s.Links = []*domain.SuspectLink{l}
				}
			}
		}
		return nil
	})
	return out, err
}
