// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"

	"vigie/internal/domain"
)

const caseSelect = `SELECT c.id, a.code, c.number, c.situation_id, c.status, c.reg_year, c.reg_date, c.source_key,
	c.person, c.victim, c.fields, c.version, c.created_at, c.updated_at, c.dek, c.key_id, c.province, c.repatriated
	FROM cases c JOIN agencies a ON a.id = c.agency_id `

// Case returns a case with its parts, by ID or by case number.
func (db *DB) Case(ctx context.Context, ref string) (*domain.Case, error) {
	var c *domain.Case
	err := db.read(ctx, func(t *tx) error {
		var err error
		c, err = loadCase(ctx, t, ref, true)
		return err
	})
	return c, err
}

// loadCase reads one case by ID or number, with its parts if asked.
func loadCase(ctx context.Context, t *tx, ref string, withParts bool) (*domain.Case, error) {
	where := `WHERE c.number = ?`
	if isUUID(ref) {
		where = `WHERE c.id = ?`
	}
	if t.write && t.d == postgresDialect {
		// A write reads the case, changes it and moves the counts and
		// the report cube from what it read: two writers on one case
		// must not both start from the same state. PostgreSQL (read
		// committed) would let them; the row lock makes the second
		// wait and read what the first committed. SQLite has one
		// writer at a time already.
		where += ` FOR UPDATE OF c`
	}
	rows, err := t.query(ctx, caseSelect+where, ref)
	if err != nil {
		return nil, classify(err, "reading case")
	}
	list, err := t.scanCases(rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, domain.Errorf(domain.KindNotFound, "le dossier %[1]s n'existe pas / case %[1]s does not exist", truncateText(ref, 60))
	}
	if withParts {
		if err := loadParts(ctx, t, list); err != nil {
			return nil, err
		}
	}
	return list[0], nil
}

// scanCases reads case rows, unwrapping each case's data key (kept in the
// transaction for its parts) and opening its sealed columns.
func (t *tx) scanCases(rows *sql.Rows) ([]*domain.Case, error) {
	defer rows.Close()
	var out []*domain.Case
	for rows.Next() {
		var (
			c                    domain.Case
			situation, source    sql.NullString
			regYear              sql.NullInt64
			regDate              dbDate
			person, victim, flds []byte
			created, updated     dbTime
			wrapped              []byte
			keyID                sql.NullString
			repatriated          string
		)
		if err := rows.Scan(&c.ID, &c.Agency, &c.Number, &situation, &c.Status, &regYear, &regDate, &source,
			&person, &victim, &flds, &c.Version, &created, &updated, &wrapped, &keyID, &c.Province, &repatriated); err != nil {
			return nil, classify(err, "reading case")
		}
		dek, err := t.db.unwrap(wrapped, "case "+c.Number)
		if err != nil {
			return nil, err
		}
		t.setKey(c.ID, recordKey{dek: dek, wrapped: wrapped, keyID: keyID.String})
		c.SituationID, c.SourceKey = situation.String, source.String
		c.Repatriated, _ = domain.ParseYesNo(repatriated)
		c.RegistrationYear, c.RegistrationDate = int(regYear.Int64), regDate.d
		c.CreatedAt, c.UpdatedAt = created.t, updated.t
		var f caseFields
		for _, x := range []struct {
			col string
			b   []byte
			v   any
		}{{"person", person, &c.Person}, {"victim", victim, &c.Victim}, {"fields", flds, &f}} {
			if err := openJSON(dek, x.b, caseAAD(c.ID, x.col), x.v); err != nil {
				return nil, err
			}
		}
		c.ReasonForCaseClosure, c.CaseOwner, c.DataSource, c.RegistrationPeriod = f.ReasonForCaseClosure, f.CaseOwner, f.DataSource, f.RegistrationPeriod
		out = append(out, &c)
	}
	return out, classify(rows.Err(), "reading cases")
}

// loadParts reads the parts of several cases: one query per kind of part,
// whatever the number of cases.
func loadParts(ctx context.Context, t *tx, cases []*domain.Case) error {
	if len(cases) == 0 {
		return nil
	}
	byID := make(map[string]*domain.Case, len(cases))
	ids := make([]any, 0, len(cases))
	for _, c := range cases {
		byID[c.ID] = c
		ids = append(ids, c.ID)
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
	for _, kind := range domain.PartKinds {
		rows, err := t.query(ctx, `SELECT id, case_id, data, version, created_at, updated_at FROM `+string(kind)+
			` WHERE case_id IN `+in+` ORDER BY case_id, id`, ids...)
		if err != nil {
			return classify(err, "reading "+string(kind))
		}
		if err := t.scanParts(rows, kind, byID); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) scanParts(rows *sql.Rows, kind domain.PartKind, byID map[string]*domain.Case) error {
	defer rows.Close()
	for rows.Next() {
		var (
			id, caseID string
			data       []byte
			version    int64
			c, u       dbTime
		)
		if err := rows.Scan(&id, &caseID, &data, &version, &c, &u); err != nil {
			return classify(err, "reading "+string(kind))
		}
		p, _ := domain.NewPart(kind)
		key, ok := t.keys[caseID]
		if !ok {
			return domain.Errorf(domain.KindInternal, "%s %s: its case's key was not read", kind, id)
		}
		if err := openJSON(key.dek, data, partAAD(kind, id), p); err != nil {
			return err
		}
		m := p.PartMeta()
		m.ID, m.Version, m.CreatedAt, m.UpdatedAt = id, version, c.t, u.t
		if cs := byID[caseID]; cs != nil {
			cs.AddPart(p)
		}
	}
	return classify(rows.Err(), "reading "+string(kind))
}

// Situation returns a trafficking situation with the numbers of its cases.
func (db *DB) Situation(ctx context.Context, id string) (*domain.Situation, error) {
	if !isUUID(id) {
		return nil, domain.Errorf(domain.KindNotFound, "situation %s does not exist", id)
	}
	var s domain.Situation
	err := db.read(ctx, func(t *tx) error {
		var title, wrapped []byte
		var c, u dbTime
		err := t.queryRow(ctx, `SELECT s.id, a.code, s.title, s.version, s.created_at, s.updated_at, s.dek
			FROM situations s JOIN agencies a ON a.id = s.agency_id WHERE s.id = ?`, id).
			Scan(&s.ID, &s.Agency, &title, &s.Version, &c, &u, &wrapped)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.KindNotFound, "situation %s does not exist", id)
		}
		if err != nil {
			return classify(err, "reading situation")
		}
		dek, err := t.db.unwrap(wrapped, "situation "+s.ID)
		if err != nil {
			return err
		}
		plain, err := openBytes(dek, title, "situation/"+s.ID+"/title")
		if err != nil {
			return err
		}
		s.Title, s.CreatedAt, s.UpdatedAt = string(plain), c.t, u.t
		rows, err := t.query(ctx, `SELECT number FROM cases WHERE situation_id = ?`, id)
		if err != nil {
			return classify(err, "reading situation cases")
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return classify(err, "reading situation cases")
			}
			s.CaseNumbers = append(s.CaseNumbers, n)
		}
		sort.Strings(s.CaseNumbers)
		return classify(rows.Err(), "reading situation cases")
	})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// CreateSituation stores a new trafficking situation.
func (db *DB) CreateSituation(ctx context.Context, s *domain.Situation) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		aid, err := agencyID(ctx, t, s.Agency)
		if err != nil {
			return err
		}
		s.ID, s.Version, s.CreatedAt, s.UpdatedAt = newID(), 1, t.now, t.now
		return t.insertSituation(ctx, s.ID, aid, s.Title)
	})
}

// insertSituation writes a new situation at version 1, its title sealed
// under a key of its own.
func (t *tx) insertSituation(ctx context.Context, id, agencyID, title string) error {
	key, err := t.db.newRecordKey()
	if err != nil {
		return err
	}
	sealed, err := sealBytes(key.dek, []byte(title), "situation/"+id+"/title")
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO situations (id, agency_id, title, version, created_at, updated_at, dek, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, agencyID, sealed, 1, t.d.ts(t.now), t.d.ts(t.now), key.wrapped, key.keyID)
	return classify(err, "creating situation")
}
