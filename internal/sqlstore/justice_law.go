// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"

	"vigie/internal/domain"
)

// CreateLawArticle adds an offence to the list; codes are unique.
func (db *DB) CreateLawArticle(ctx context.Context, a *domain.LawArticle) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		a.ID, a.Version, a.CreatedAt, a.UpdatedAt = newID(), 1, t.now, t.now
		if _, err := t.exec(ctx, `INSERT INTO law_articles (id, code, law, article, title_fr, title_en, active, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.Code, a.Law, a.Article, a.TitleFR, a.TitleEN, a.Active, a.Version, t.d.ts(t.now), t.d.ts(t.now)); err != nil {
			if err = classify(err, "adding article"); domain.KindOf(err) == domain.KindConflict {
				return domain.Errorf(domain.KindConflict, "an article with code %s is already listed", a.Code)
			}
			return err
		}
		return t.audit(ctx, lawAudit(ctx, domain.AuditCreate, a))
	})
}

// UpdateLawArticle corrects or retires an article; a.Version must be the
// current one. Its code does not change: charges and figures cite it.
func (db *DB) UpdateLawArticle(ctx context.Context, a *domain.LawArticle) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, err := t.lawArticle(ctx, a.ID)
		if err != nil {
			return err
		}
		if cur.Version != a.Version {
			return staleVersion("article "+cur.Code, a.Version, cur.Version)
		}
		if cur.Code != a.Code {
			return justiceInvalid("code", "validation.justice_law_code_fixed", "the code of an article does not change; retire it and add another")
		}
		a.Version, a.CreatedAt, a.UpdatedAt = cur.Version+1, cur.CreatedAt, t.now
		res, err := t.exec(ctx, `UPDATE law_articles SET law = ?, article = ?, title_fr = ?, title_en = ?, active = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			a.Law, a.Article, a.TitleFR, a.TitleEN, a.Active, a.Version, t.d.ts(t.now), a.ID, cur.Version)
		if err := prevOneRow(res, err, "article "+cur.Code); err != nil {
			return err
		}
		return t.audit(ctx, lawAudit(ctx, domain.AuditUpdate, a))
	})
}

// LawArticles lists the articles by code (the list is short: a few dozen
// offences).
func (db *DB) LawArticles(ctx context.Context, activeOnly bool) ([]*domain.LawArticle, error) {
	q := `SELECT id, code, law, article, title_fr, title_en, active, version, created_at, updated_at FROM law_articles`
	var args []any
	if activeOnly {
		q, args = q+` WHERE active = ?`, append(args, true)
	}
	var out []*domain.LawArticle
	err := db.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q+` ORDER BY code`, args...)
		if err != nil {
			return classify(err, "listing articles")
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanLawArticle(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return classify(rows.Err(), "listing articles")
	})
	return out, err
}

func (t *tx) lawArticle(ctx context.Context, id string) (*domain.LawArticle, error) {
	notFound := domain.Errorf(domain.KindNotFound, "article %s does not exist", prevTruncID(id))
	if !isUUID(id) {
		return nil, notFound
	}
	rows, err := t.query(ctx, `SELECT id, code, law, article, title_fr, title_en, active, version, created_at, updated_at FROM law_articles WHERE id = ?`, id)
	if err != nil {
		return nil, classify(err, "reading article")
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, classify(err, "reading article")
		}
		return nil, notFound
	}
	return scanLawArticle(rows)
}

func scanLawArticle(rows *sql.Rows) (*domain.LawArticle, error) {
	var (
		a          domain.LawArticle
		created, u dbTime
	)
	if err := rows.Scan(&a.ID, &a.Code, &a.Law, &a.Article, &a.TitleFR, &a.TitleEN, &a.Active, &a.Version, &created, &u); err != nil {
		return nil, classify(err, "reading article")
	}
	a.CreatedAt, a.UpdatedAt = created.t, u.t
	return &a, nil
}

func lawAudit(ctx context.Context, action string, a *domain.LawArticle) *domain.AuditEntry {
	e := domain.NewAuditEntry(ctx, action)
	e.Resource, e.RecordID, e.Detail = string(domain.ResLaw), a.ID, map[string]any{"code": a.Code, "active": a.Active}
	return e
}
