// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"vigie/internal/domain"
)

// Every kind of part has its own table with these columns; the part's
// fields (personal data included) are in data.
var partColumns = []string{"id", "case_id", "data", "version", "created_at", "updated_at"}

// newPartRow gives p its ID, version 1 and timestamps and returns its row,
// sealed with the case's data key.
func newPartRow(d dialect, created, updated time.Time, caseID string, dek []byte, kind domain.PartKind, p domain.Part) ([]any, error) {
	m := p.PartMeta()
	// A caller may name the new part (the pages do, with the form's own
	// ID, so that a form sent twice adds one part: the second insert hits
	// the primary key). The API refuses client-chosen IDs before this.
	switch {
	case m.ID == "":
		m.ID = newID()
	case !isUUID(m.ID):
		return nil, domain.Errorf(domain.KindInvalid, "id: %q is not a UUID", m.ID)
	}
	data, err := encodePart(dek, kind, p)
	if err != nil {
		return nil, err
	}
	m.Version, m.CreatedAt, m.UpdatedAt = 1, created, updated
	return []any{m.ID, caseID, data, m.Version, d.ts(created), d.ts(updated)}, nil
}

// encodePart is the part's data column: its fields without the record
// header (which has columns of its own), sealed with the case's key and
// bound to the part's ID.
func encodePart(dek []byte, kind domain.PartKind, p domain.Part) ([]byte, error) {
	m := p.PartMeta()
	saved := *m
	*m = domain.Meta{}
	data, err := json.Marshal(p)
	*m = saved
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "encoding part")
	}
	return sealBytes(dek, data, partAAD(kind, saved.ID))
}

func checkKind(kind domain.PartKind) error {
	if _, ok := domain.NewPart(kind); !ok {
		return domain.Errorf(domain.KindNotFound, "cases have no part called %q", kind)
	}
	return nil
}

// changePart runs change in a transaction on the case as stored, then
// records the change on the case (updated_at, derived country, counts).
func (db *DB) changePart(ctx context.Context, caseRef string, kind domain.PartKind, change func(t *tx, c *domain.Case, e *domain.AuditEntry) error) error {
	if err := checkKind(kind); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		c, err := loadCase(ctx, t, caseRef, true)
		if err != nil {
			return err
		}
		before := c.ExploitationCountries()
		cubeBefore := cubeKeyOf(c, "")
		e := domain.NewAuditEntry(ctx, "")
		if err := change(t, c, e); err != nil {
			return err
		}
		aid, err := agencyID(ctx, t, c.Agency)
		if err != nil {
			return err
		}
		e.Resource, e.CaseID, e.CaseNumber, e.AgencyID = string(domain.PartResource(kind)), c.ID, c.Number, aid
		if err := t.audit(ctx, e); err != nil {
			return err
		}
		if kind == domain.PartReferrals {
			if err := t.syncReferralAccess(ctx, c, false, false); err != nil {
				return err
			}
		}
		if kind == domain.PartSupportPlans {
			if err := t.syncFollowUps(ctx, c); err != nil {
				return err
			}
		}
		if err := touchCase(ctx, t, c, before); err != nil {
			return err
		}
		cubeBefore.agencyID = aid
		cube := cubeDeltas{}
		cube.move(cubeBefore, cubeKeyOf(c, aid))
		return cube.apply(ctx, t)
	})
}

// AddPart validates p and adds it to the case.
func (db *DB) AddPart(ctx context.Context, caseRef string, kind domain.PartKind, p domain.Part) error {
	return db.changePart(ctx, caseRef, kind, func(t *tx, c *domain.Case, e *domain.AuditEntry) error {
		if err := validatePart(c, p, db.Now.Today()); err != nil {
			return err
		}
		row, err := newPartRow(t.d, t.now, t.now, c.ID, t.keyOf(c.ID).dek, kind, p)
		if err != nil {
			return err
		}
		if err := t.insertRows(ctx, string(kind), partColumns, [][]any{row}); err != nil {
			return err
		}
		c.AddPart(p)
		e.Action, e.RecordID = domain.AuditCreate, p.PartMeta().ID
		return nil
	})
}

// UpdatePart replaces a part if its version is still the stored one.
func (db *DB) UpdatePart(ctx context.Context, caseRef string, kind domain.PartKind, p domain.Part) error {
	return db.changePart(ctx, caseRef, kind, func(t *tx, c *domain.Case, e *domain.AuditEntry) error {
		if err := validatePart(c, p, db.Now.Today()); err != nil {
			return err
		}
		m := p.PartMeta()
		cur, err := findPart(c, kind, m.ID)
		if err != nil {
			return err
		}
		cm := cur.PartMeta()
		if m.Version != cm.Version {
			return staleVersion(string(kind)+" "+m.ID+" of case "+c.Number, m.Version, cm.Version)
		}
		data, err := encodePart(t.keyOf(c.ID).dek, kind, p)
		if err != nil {
			return err
		}
		m.Version, m.CreatedAt, m.UpdatedAt = cm.Version+1, cm.CreatedAt, t.now
		res, err := t.exec(ctx, `UPDATE `+string(kind)+` SET data = ?, version = ?, updated_at = ? WHERE id = ? AND case_id = ? AND version = ?`,
			data, m.Version, t.d.ts(t.now), m.ID, c.ID, cm.Version)
		if err != nil {
			return classify(err, "updating "+string(kind))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion(string(kind)+" "+m.ID, cm.Version, -1)
		}
		replacePart(c, kind, p)
		e.Action, e.RecordID = domain.AuditUpdate, m.ID
		e.Detail = map[string]any{"fields": domain.ChangedFields(partFields(cur), partFields(p)), "version": m.Version}
		return nil
	})
}

// DeletePart removes a part if its version is still the stored one.
func (db *DB) DeletePart(ctx context.Context, caseRef string, kind domain.PartKind, id string, version int64) error {
	return db.changePart(ctx, caseRef, kind, func(t *tx, c *domain.Case, e *domain.AuditEntry) error {
		cur, err := findPart(c, kind, id)
		if err != nil {
			return err
		}
		if v := cur.PartMeta().Version; v != version {
			return staleVersion(string(kind)+" "+id+" of case "+c.Number, version, v)
		}
		res, err := t.exec(ctx, `DELETE FROM `+string(kind)+` WHERE id = ? AND case_id = ? AND version = ?`, id, c.ID, version)
		if err != nil {
			return classify(err, "deleting "+string(kind))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion(string(kind)+" "+id, version, -1)
		}
		removePart(c, kind, id)
		e.Action, e.RecordID = domain.AuditDelete, id
		return nil
	})
}

// validatePart checks a part on its own and against the case it joins:
// none of its dates may precede the victim's birth date.
func validatePart(c *domain.Case, p domain.Part, today domain.Date) error {
	pr := p.Validate(today)
	pr = append(pr, domain.PartBeforeBirth(c.Person.Birthdate, p)...)
	return pr.Err()
}

func findPart(c *domain.Case, kind domain.PartKind, id string) (domain.Part, error) {
	for _, p := range c.Parts(kind) {
		if p.PartMeta().ID == id {
			return p, nil
		}
	}
	return nil, domain.Errorf(domain.KindNotFound, "case %s has no %s record %s", c.Number, kind, id)
}

func replacePart(c *domain.Case, kind domain.PartKind, p domain.Part) {
	id := p.PartMeta().ID
	removePart(c, kind, id)
	c.AddPart(p)
}

func removePart(c *domain.Case, kind domain.PartKind, id string) {
	keep := func(m *domain.Meta) bool { return m.ID != id }
	switch kind {
	case domain.PartEvents:
		c.Events = filter(c.Events, func(x *domain.Event) bool { return keep(&x.Meta) })
	case domain.PartSupportPlans:
		c.SupportPlans = filter(c.SupportPlans, func(x *domain.SupportPlan) bool { return keep(&x.Meta) })
	case domain.PartConsents:
		c.Consents = filter(c.Consents, func(x *domain.Consent) bool { return keep(&x.Meta) })
	case domain.PartComments:
		c.Comments = filter(c.Comments, func(x *domain.Comment) bool { return keep(&x.Meta) })
	case domain.PartReferrals:
		c.Referrals = filter(c.Referrals, func(x *domain.Referral) bool { return keep(&x.Meta) })
	case domain.PartPerpetrators:
		c.Perpetrators = filter(c.Perpetrators, func(x *domain.Perpetrator) bool { return keep(&x.Meta) })
	}
}

func filter[T any](xs []T, keep func(T) bool) []T {
	out := xs[:0:0]
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// touchCase records that a part changed: the case's updated_at moves and
// the columns derived from parts are recomputed. The case's version does
// not change, so an edit of the case's own fields is not refused because
// someone added a comment.
func touchCase(ctx context.Context, t *tx, c *domain.Case, countriesBefore []string) error {
	countries := c.ExploitationCountries()
	// updated_at only moves forward: on PostgreSQL a transaction that
	// began before another's commit wrote its own earlier time over the
	// later one, so a client that had read the later one was not told
	// that the parts had changed since (422 validation.read_only instead
	// of 409, 2 to 6 in 360 concurrent updates). SQLite runs one writer
	// at a time; the same rule keeps it from going back there.
	set := "max(?, updated_at)"
	if t.d == postgresDialect {
		set = "GREATEST(?, updated_at + interval '1 microsecond')"
	}
	if _, err := t.exec(ctx, `UPDATE cases SET exploitation_country = ?, services = ?, updated_at = `+set+` WHERE id = ?`,
		strings.Join(countries, ";"), strings.Join(c.ServiceTypes(), ";"), t.d.ts(t.now), c.ID); err != nil {
		return classify(err, "updating case")
	}
	if slices.Equal(countries, countriesBefore) {
		return nil
	}
	if err := t.replaceLink(ctx, countriesLink, c); err != nil {
		return err
	}
	aid, err := agencyID(ctx, t, c.Agency)
	if err != nil {
		return err
	}
	d := countDeltas{}
	d.countries(c, aid, countriesBefore, countries)
	return d.apply(ctx, t)
}

// partFields is a part without its record header, for the audit log's
// list of changed fields.
func partFields(p domain.Part) map[string]any {
	b, err := json.Marshal(p)
	if err != nil {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, k := range []string{"id", "version", "created_at", "updated_at"} {
		delete(m, k)
	}
	return m
}
