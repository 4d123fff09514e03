// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"vigie/internal/domain"
)

var _ domain.PreventionService = (*DB)(nil)

// CreateProvider adds a provider to the directory. A provider that names
// an agency code must name an existing agency.
func (db *DB) CreateProvider(ctx context.Context, p *domain.Provider) error {
	if err := p.Validate(db.Now.Today()); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		p.ID, p.Version = newID(), 1
		p.CreatedAt, p.UpdatedAt = t.now, t.now
		agency, err := providerAgency(ctx, t, p.AgencyCode)
		if err != nil {
			return err
		}
		data, err := json.Marshal(p)
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding provider")
		}
		_, err = t.exec(ctx, `INSERT INTO providers (id, name, name_key, agency_id, services, provinces, data, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.Name, prevNameKey(p.Name), nullString(agency), prevListColumn(p.Services), prevListColumn(p.Provinces), data, p.Version, t.d.ts(t.now), t.d.ts(t.now))
		if err != nil {
			return classify(err, "creating provider")
		}
		return t.audit(ctx, preventionAudit(ctx, domain.AuditCreate, domain.ResProvider, p.ID, agency))
	})
}

// UpdateProvider replaces a provider; p.Version must be the current one.
func (db *DB) UpdateProvider(ctx context.Context, p *domain.Provider) error {
	if err := p.Validate(db.Now.Today()); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, err := providerByID(ctx, t, p.ID)
		if err != nil {
			return err
		}
		if cur.Version != p.Version {
			return staleVersion("provider "+cur.Name, p.Version, cur.Version)
		}
		agency, err := providerAgency(ctx, t, p.AgencyCode)
		if err != nil {
			return err
		}
		p.Version, p.CreatedAt, p.UpdatedAt = cur.Version+1, cur.CreatedAt, t.now
		data, err := json.Marshal(p)
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding provider")
		}
		res, err := t.exec(ctx, `UPDATE providers SET name = ?, name_key = ?, agency_id = ?, services = ?, provinces = ?, data = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			p.Name, prevNameKey(p.Name), nullString(agency), prevListColumn(p.Services), prevListColumn(p.Provinces), data, p.Version, t.d.ts(t.now), p.ID, cur.Version)
		if err := prevOneRow(res, err, "provider "+cur.Name); err != nil {
			return err
		}
		e := preventionAudit(ctx, domain.AuditUpdate, domain.ResProvider, p.ID, agency)
		e.Detail = map[string]any{"version": p.Version}
		return t.audit(ctx, e)
	})
}

// DeleteProvider removes a provider of this version from the directory.
// Referrals that named it keep its name (cas_ReferredOrganisation).
func (db *DB) DeleteProvider(ctx context.Context, id string, version int64) error {
	return db.write(ctx, func(t *tx) error {
		cur, err := providerByID(ctx, t, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return staleVersion("provider "+cur.Name, version, cur.Version)
		}
		res, err := t.exec(ctx, `DELETE FROM providers WHERE id = ? AND version = ?`, id, version)
		if err := prevOneRow(res, err, "provider "+cur.Name); err != nil {
			return err
		}
		return t.audit(ctx, preventionAudit(ctx, domain.AuditDelete, domain.ResProvider, id, ""))
	})
}

// Provider returns one provider.
func (db *DB) Provider(ctx context.Context, id string) (*domain.Provider, error) {
	var p *domain.Provider
	err := db.read(ctx, func(t *tx) error {
		var err error
		p, err = providerByID(ctx, t, id)
		return err
	})
	return p, err
}

// Providers returns a page of the directory by name, and the total.
func (db *DB) Providers(ctx context.Context, f domain.ProviderFilter) ([]*domain.Provider, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	q := `SELECT id, data, version, created_at, updated_at, COUNT(*) OVER () FROM providers WHERE 1 = 1`
	var args []any
	if f.Service != "" {
		q += ` AND services LIKE ?`
		args = append(args, "%,"+f.Service+",%")
	}
	if f.Province != "" {
		q += ` AND provinces LIKE ?`
		args = append(args, "%,"+f.Province+",%")
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		q += ` AND name_key LIKE ? ESCAPE '\'`
		args = append(args, "%"+prevLikeEscape(prevNameKey(s))+"%")
	}
	q += ` ORDER BY name_key, id LIMIT ? OFFSET ?`
	args = append(args, f.Limit, f.Offset)
	var (
		out   []*domain.Provider
		total int
	)
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return classify(err, "listing providers")
		}
		defer rows.Close()
		for rows.Next() {
			p, n, err := scanProvider(rows)
			if err != nil {
				return err
			}
			out, total = append(out, p), n
		}
		return classify(rows.Err(), "listing providers")
	})
	return out, total, err
}

func providerByID(ctx context.Context, t *tx, id string) (*domain.Provider, error) {
	notFound := domain.Errorf(domain.KindNotFound, "provider %s does not exist", prevTruncID(id))
	if !isUUID(id) {
		return nil, notFound
	}
	rows, err := t.query(ctx, `SELECT id, data, version, created_at, updated_at, 1 FROM providers WHERE id = ?`, id)
	if err != nil {
		return nil, classify(err, "reading provider")
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, classify(err, "reading provider")
		}
		return nil, notFound
	}
	p, _, err := scanProvider(rows)
	return p, err
}

func scanProvider(rows *sql.Rows) (*domain.Provider, int, error) {
	var (
		p          domain.Provider
		id         string
		data       []byte
		version    int64
		created, u dbTime
		total      int
	)
	if err := rows.Scan(&id, &data, &version, &created, &u, &total); err != nil {
		return nil, 0, classify(err, "reading provider")
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, 0, domain.Wrap(domain.KindInternal, err, "decoding provider")
	}
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, version, created.t, u.t
	return &p, total, nil
}

// providerAgency returns the ID of the provider's agency, "" for none.
func providerAgency(ctx context.Context, t *tx, code string) (string, error) {
	if code == "" {
		return "", nil
	}
	id, err := agencyID(ctx, t, code)
	var e *domain.Error
	if errors.As(err, &e) && e.Kind == domain.KindInvalid {
		return "", &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "agency_code", Code: "validation.unknown_agency", Message: "agency " + code + " does not exist"}}}
	}
	return id, err
}

// CreateAwareness records an awareness activity of its agency.
func (db *DB) CreateAwareness(ctx context.Context, a *domain.Awareness) error {
	if err := a.Validate(db.Now.Today()); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		agency, err := agencyID(ctx, t, a.Agency)
		if err != nil {
			return err
		}
		a.ID, a.Version = newID(), 1
		a.CreatedAt, a.UpdatedAt = t.now, t.now
		data, err := json.Marshal(a)
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding awareness activity")
		}
		r := a.Reached
		_, err = t.exec(ctx, `INSERT INTO awareness_activities (id, agency_id, type, date, province, female_children, female_adults, male_children, male_adults, data, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, agency, a.Type, t.d.date(a.Date), a.Province, r.FemaleChildren, r.FemaleAdults, r.MaleChildren, r.MaleAdults, data, a.Version, t.d.ts(t.now), t.d.ts(t.now))
		if err != nil {
			return classify(err, "creating awareness activity")
		}
		return t.audit(ctx, preventionAudit(ctx, domain.AuditCreate, domain.ResAwareness, a.ID, agency))
	})
}

// UpdateAwareness replaces an activity; a.Version must be the current
// one. The organiser agency does not change.
func (db *DB) UpdateAwareness(ctx context.Context, a *domain.Awareness) error {
	if err := a.Validate(db.Now.Today()); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, agency, err := awarenessByID(ctx, t, a.ID)
		if err != nil {
			return err
		}
		if cur.Version != a.Version {
			return staleVersion("awareness activity", a.Version, cur.Version)
		}
		if a.Agency != cur.Agency {
			return &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{Field: "agency", Code: "validation.forbidden_agency", Message: "the organiser agency of an activity does not change"}}}
		}
		a.Version, a.CreatedAt, a.UpdatedAt = cur.Version+1, cur.CreatedAt, t.now
		data, err := json.Marshal(a)
		if err != nil {
			return domain.Wrap(domain.KindInternal, err, "encoding awareness activity")
		}
		r := a.Reached
		res, err := t.exec(ctx, `UPDATE awareness_activities SET type = ?, date = ?, province = ?, female_children = ?, female_adults = ?, male_children = ?, male_adults = ?, data = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			a.Type, t.d.date(a.Date), a.Province, r.FemaleChildren, r.FemaleAdults, r.MaleChildren, r.MaleAdults, data, a.Version, t.d.ts(t.now), a.ID, cur.Version)
		if err := prevOneRow(res, err, "awareness activity"); err != nil {
			return err
		}
		e := preventionAudit(ctx, domain.AuditUpdate, domain.ResAwareness, a.ID, agency)
		e.Detail = map[string]any{"version": a.Version}
		return t.audit(ctx, e)
	})
}

// DeleteAwareness removes an activity of this version.
func (db *DB) DeleteAwareness(ctx context.Context, id string, version int64) error {
	return db.write(ctx, func(t *tx) error {
		cur, agency, err := awarenessByID(ctx, t, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return staleVersion("awareness activity", version, cur.Version)
		}
		res, err := t.exec(ctx, `DELETE FROM awareness_activities WHERE id = ? AND version = ?`, id, version)
		if err := prevOneRow(res, err, "awareness activity"); err != nil {
			return err
		}
		return t.audit(ctx, preventionAudit(ctx, domain.AuditDelete, domain.ResAwareness, id, agency))
	})
}

// Awareness returns one activity.
func (db *DB) Awareness(ctx context.Context, id string) (*domain.Awareness, error) {
	var a *domain.Awareness
	err := db.read(ctx, func(t *tx) error {
		var err error
		a, _, err = awarenessByID(ctx, t, id)
		return err
	})
	return a, err
}

// Awarenesses returns a page of activities, newest first, and the total.
func (db *DB) Awarenesses(ctx context.Context, f domain.AwarenessFilter) ([]*domain.Awareness, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var (
		out   []*domain.Awareness
		total int
	)
	err := db.read(ctx, func(t *tx) error {
		where, args, err := awarenessWhere(ctx, t, f)
		if err != nil {
			return err
		}
		q := `SELECT a.id, a.data, a.version, a.created_at, a.updated_at, COUNT(*) OVER () FROM awareness_activities a WHERE ` + where + ` ORDER BY a.date DESC, a.id DESC LIMIT ? OFFSET ?`
		rows, err := t.query(ctx, q, append(args, f.Limit, f.Offset)...)
		if err != nil {
			return classify(err, "listing awareness activities")
		}
		defer rows.Close()
		for rows.Next() {
			a, n, err := scanAwareness(rows)
			if err != nil {
				return err
			}
			out, total = append(out, a), n
		}
		return classify(rows.Err(), "listing awareness activities")
	})
	return out, total, err
}

// AwarenessSummary sums the activities of the filter (its page bounds
// are ignored) per province and type.
func (db *DB) AwarenessSummary(ctx context.Context, f domain.AwarenessFilter) (*domain.AwarenessSummary, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	s := &domain.AwarenessSummary{From: f.From, To: f.To, Agency: f.Agency, Rows: []domain.AwarenessTotal{}}
	err := db.read(ctx, func(t *tx) error {
		where, args, err := awarenessWhere(ctx, t, f)
		if err != nil {
			return err
		}
		q := `SELECT a.province, a.type, COUNT(*), SUM(a.female_children), SUM(a.female_adults), SUM(a.male_children), SUM(a.male_adults)
			FROM awareness_activities a WHERE ` + where + ` GROUP BY a.province, a.type ORDER BY a.province, a.type`
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return classify(err, "summing awareness activities")
		}
		defer rows.Close()
		for rows.Next() {
			var r domain.AwarenessTotal
			if err := rows.Scan(&r.Province, &r.Type, &r.Activities, &r.Reached.FemaleChildren, &r.Reached.FemaleAdults, &r.Reached.MaleChildren, &r.Reached.MaleAdults); err != nil {
				return classify(err, "summing awareness activities")
			}
			r.Total = r.Reached.Total()
			s.Rows = append(s.Rows, r)
			s.Activities += r.Activities
			s.Reached.Add(r.Reached)
		}
		return classify(rows.Err(), "summing awareness activities")
	})
	s.Total = s.Reached.Total()
	return s, err
}

// awarenessWhere is the WHERE clause of a filter. An unknown agency
// code matches nothing.
func awarenessWhere(ctx context.Context, t *tx, f domain.AwarenessFilter) (string, []any, error) {
	where := []string{"1 = 1"}
	var args []any
	if !f.From.IsZero() {
		where, args = append(where, "a.date >= ?"), append(args, t.d.date(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "a.date <= ?"), append(args, t.d.date(f.To))
	}
	if f.Province != "" {
		where, args = append(where, "a.province = ?"), append(args, f.Province)
	}
	if f.Type != "" {
		where, args = append(where, "a.type = ?"), append(args, f.Type)
	}
	if f.Agency != "" {
		var id string
		err := t.queryRow(ctx, `SELECT id FROM agencies WHERE code = ?`, f.Agency).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return "1 = 0", nil, nil
		}
		if err != nil {
			return "", nil, classify(err, "reading agency")
		}
		where, args = append(where, "a.agency_id = ?"), append(args, id)
	}
	return strings.Join(where, " AND "), args, nil
}

func awarenessByID(ctx context.Context, t *tx, id string) (*domain.Awareness, string, error) {
	notFound := domain.Errorf(domain.KindNotFound, "awareness activity %s does not exist", prevTruncID(id))
	if !isUUID(id) {
		return nil, "", notFound
	}
	rows, err := t.query(ctx, `SELECT id, data, version, created_at, updated_at, agency_id FROM awareness_activities WHERE id = ?`, id)
	if err != nil {
		return nil, "", classify(err, "reading awareness activity")
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, "", classify(err, "reading awareness activity")
		}
		return nil, "", notFound
	}
	var (
		a          domain.Awareness
		data       []byte
		version    int64
		created, u dbTime
		agency     string
	)
	if err := rows.Scan(&a.ID, &data, &version, &created, &u, &agency); err != nil {
		return nil, "", classify(err, "reading awareness activity")
	}
	id = a.ID
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, "", domain.Wrap(domain.KindInternal, err, "decoding awareness activity")
	}
	a.ID, a.Version, a.CreatedAt, a.UpdatedAt = id, version, created.t, u.t
	return &a, agency, nil
}

func scanAwareness(rows *sql.Rows) (*domain.Awareness, int, error) {
	var (
		a          domain.Awareness
		id         string
		data       []byte
		version    int64
		created, u dbTime
		total      int
	)
	if err := rows.Scan(&id, &data, &version, &created, &u, &total); err != nil {
		return nil, 0, classify(err, "reading awareness activity")
	}
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, 0, domain.Wrap(domain.KindInternal, err, "decoding awareness activity")
	}
	a.ID, a.Version, a.CreatedAt, a.UpdatedAt = id, version, created.t, u.t
	return &a, total, nil
}

func preventionAudit(ctx context.Context, action string, res domain.Resource, id, agency string) *domain.AuditEntry {
	e := domain.NewAuditEntry(ctx, action)
	e.Resource, e.RecordID, e.AgencyID = string(res), id, agency
	return e
}

// prevOneRow turns an update or delete that changed no row into a conflict:
// the version checked in the same transaction moved meanwhile.
func prevOneRow(res sql.Result, err error, what string) error {
	if err != nil {
		return classify(err, "saving "+what)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return staleVersion(what, 0, -1)
	}
	return nil
}

// prevListColumn writes values between commas, so that LIKE '%,v,%' finds v.
func prevListColumn(vs []string) string { return "," + strings.Join(vs, ",") + "," }

// prevNameKey is the form of a name that lists sort and search on.
func prevNameKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func prevLikeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// prevTruncID keeps a hostile ID out of long messages.
func prevTruncID(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
