// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"vigie/internal/domain"
)

var _ domain.AgencyService = (*DB)(nil)

// CreateAgency stores a new agency; its code must be unused.
func (db *DB) CreateAgency(ctx context.Context, a *domain.Agency) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		if err := createAgency(ctx, t, a); err != nil {
			return err
		}
		// An agency is created by an admin (page, API or CLI): the change
		// is in the log like every change of accounts. Imports' implicit
		// agencies (EnsureAgency) are within the import's own entry.
		e := domain.NewAuditEntry(ctx, domain.AuditCreate)
		e.Resource, e.RecordID, e.AgencyID = string(domain.ResAgency), a.ID, a.ID
		e.Detail = map[string]any{"code": a.Code}
		return t.audit(ctx, e)
	})
}

func createAgency(ctx context.Context, t *tx, a *domain.Agency) error {
	err := insertAgency(ctx, t, a, "")
	if domain.KindOf(classify(err, "")) == domain.KindConflict {
		return domain.Errorf(domain.KindConflict, "le code d'agence %[1]s est déjà pris / agency code %[1]s is already used", a.Code)
	}
	return classify(err, "creating agency")
}

// insertAgency gives a its ID, version 1 and the transaction's time and
// inserts its row; onConflict, if any, ends the INSERT.
func insertAgency(ctx context.Context, t *tx, a *domain.Agency, onConflict string) error {
	a.ID, a.Version, a.CreatedAt, a.UpdatedAt = newID(), 1, t.now, t.now
	data, err := json.Marshal(a)
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "encoding agency")
	}
	_, err = t.exec(ctx, `INSERT INTO agencies (id, code, name, data, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`+onConflict,
		a.ID, a.Code, a.Name, data, a.Version, t.d.ts(t.now), t.d.ts(t.now))
	return err
}

// Agency returns the agency with this code.
func (db *DB) Agency(ctx context.Context, code string) (*domain.Agency, error) {
	var a *domain.Agency
	err := db.read(ctx, func(t *tx) error {
		var err error
		a, err = agencyByCode(ctx, t, code)
		return err
	})
	return a, err
}

func agencyByCode(ctx context.Context, t *tx, code string) (*domain.Agency, error) {
	rows, err := t.query(ctx, `SELECT id, data, version, created_at, updated_at FROM agencies WHERE code = ?`, code)
	if err != nil {
		return nil, classify(err, "reading agency")
	}
	list, err := scanAgencies(rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, domain.Errorf(domain.KindNotFound, "agency %s does not exist", code)
	}
	return list[0], nil
}

// Agencies returns every agency, by code.
func (db *DB) Agencies(ctx context.Context) ([]*domain.Agency, error) {
	var out []*domain.Agency
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT id, data, version, created_at, updated_at FROM agencies ORDER BY code`)
		if err != nil {
			return classify(err, "listing agencies")
		}
		out, err = scanAgencies(rows)
		return err
	})
	return out, err
}

func scanAgencies(rows *sql.Rows) ([]*domain.Agency, error) {
	defer rows.Close()
	var out []*domain.Agency
	for rows.Next() {
		var (
			a          domain.Agency
			id         string
			data       []byte
			version    int64
			created, u dbTime
		)
		if err := rows.Scan(&id, &data, &version, &created, &u); err != nil {
			return nil, classify(err, "reading agency")
		}
		if err := json.Unmarshal(data, &a); err != nil {
			return nil, domain.Wrap(domain.KindInternal, err, "decoding agency")
		}
		a.ID, a.Version, a.CreatedAt, a.UpdatedAt = id, version, created.t, u.t
		out = append(out, &a)
	}
	return out, classify(rows.Err(), "reading agencies")
}

// EnsureAgency returns the agency with this code, creating it if absent.
// A conflict is either another process creating the same agency (read
// again: it is there) or, on PostgreSQL, a deadlock or serialization
// failure that rolled the insert back (the agency is still absent: try
// again). After three conflicts the last one is returned as it is,
// rather than a misleading "does not exist".
func (db *DB) EnsureAgency(ctx context.Context, code, name string) (*domain.Agency, error) {
	for attempt := 1; ; attempt++ {
		a, err := db.Agency(ctx, code)
		if err == nil || domain.KindOf(err) != domain.KindNotFound {
			return a, err
		}
		a = &domain.Agency{Code: code, Name: name}
		err = db.CreateAgency(ctx, a)
		if err == nil {
			return a, nil
		}
		if domain.KindOf(err) != domain.KindConflict || attempt == 3 {
			return nil, err
		}
	}
}

// agencyCodes maps agency IDs to codes for one transaction.
func agencyCodes(ctx context.Context, t *tx) (map[string]string, error) {
	rows, err := t.query(ctx, `SELECT id, code FROM agencies`)
	if err != nil {
		return nil, classify(err, "reading agencies")
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var id, code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, classify(err, "reading agencies")
		}
		m[id] = code
	}
	return m, classify(rows.Err(), "reading agencies")
}

func agencyID(ctx context.Context, t *tx, code string) (string, error) {
	var id string
	err := t.queryRow(ctx, `SELECT id FROM agencies WHERE code = ?`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "agency", Code: "validation.unknown_agency", Message: "agency " + code + " does not exist; create it first (vigie agency add)"}}}
	}
	return id, classify(err, "reading agency")
}
