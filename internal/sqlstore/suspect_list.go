// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"

	"vigie/internal/domain"
)

// reachedSuspects is the condition keeping the suspects an agency
// reaches: registered by it, or linked to a case it owns or that is
// actively referred to it. Its three arguments are the agency's ID.
const reachedSuspects = `(s.agency_id = ? OR s.id IN (
	SELECT l.suspect_id FROM suspect_links l JOIN cases c ON c.id = l.case_id WHERE c.agency_id = ?
	UNION SELECT l.suspect_id FROM suspect_links l JOIN case_access x ON x.case_id = l.case_id WHERE x.agency_id = ?))`

// suspectFilter turns a filter into a WHERE clause and its arguments.
func suspectFilter(ctx context.Context, t *tx, f *domain.SuspectFilter) (string, []any, error) {
	where, args := `WHERE 1 = 1`, []any{}
	add := func(cond string, a ...any) {
		where += ` AND ` + cond
		args = append(args, a...)
	}
	if f.Reach != "" {
		add(reachedSuspects, f.Reach, f.Reach, f.Reach)
	}
	if f.Agency != "" {
		aid, err := agencyID(ctx, t, f.Agency)
		if err != nil {
			return "", nil, err
		}
		add(`s.agency_id = ?`, aid)
	}
	for _, x := range []struct{ col, v string }{{"s.gender", f.Gender}, {"s.age_group", f.AgeGroup}, {"s.citizenship", f.Citizenship}} {
		if x.v != "" {
			add(x.col+` = ?`, x.v)
		}
	}
	if f.CaseID != "" {
		add(`s.id IN (SELECT suspect_id FROM suspect_links WHERE case_id = ?)`, validOrNone(f.CaseID))
	}
	if f.SituationID != "" {
		add(`s.id IN (SELECT suspect_id FROM suspect_links WHERE situation_id = ?)`, validOrNone(f.SituationID))
	}
	return where, args, nil
}

// validOrNone passes a UUID through and anything else as a UUID no row
// has: PostgreSQL refuses to compare a UUID column with malformed text.
func validOrNone(id string) string {
	if isUUID(id) {
		return id
	}
	return "00000000-0000-0000-0000-000000000000"
}

// suspectListSQL is a page of suspects with the total the filter selects.
func suspectListSQL(where string) string {
	return `SELECT s.id, s.agency_id, a.code, s.number, s.gender, s.age_group, s.age_band, s.citizenship,
		s.sealed, s.dek, s.key_id, s.version, s.created_at, s.updated_at, COUNT(*) OVER()
		FROM suspects s JOIN agencies a ON a.id = s.agency_id ` + where + ` ORDER BY s.id DESC LIMIT ? OFFSET ?`
}

// FindSuspects returns a page of suspects, newest first, with their
// identities (the surfaces decide whether to show them) but without
// links, and the number the filter selects.
func (db *DB) FindSuspects(ctx context.Context, f domain.SuspectFilter) ([]*domain.Suspect, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var (
		out   []*domain.Suspect
		total int
	)
	err := db.read(ctx, func(t *tx) error {
		where, args, err := suspectFilter(ctx, t, &f)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, suspectListSQL(where), append(args, f.Limit, f.Offset)...)
		if err != nil {
			return classify(err, "listing suspects")
		}
		list, err := scanSuspectRows(rows, &total)
		if err != nil {
			return err
		}
		for _, r := range list {
			s, err := t.openSuspect(r)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		if len(out) == 0 && f.Offset > 0 {
			// A page past the end still tells how many there are.
			return t.queryRow(ctx, `SELECT count(*) FROM suspects s `+where, args...).Scan(&total)
		}
		return nil
	})
	return out, total, err
}

// CountSuspects counts the suspects the filter selects by gender, age
// group and citizenship, without opening any identity.
func (db *DB) CountSuspects(ctx context.Context, f domain.SuspectFilter) (*domain.SuspectCounts, error) {
	f.Offset, f.Limit = 0, 0
	if err := f.Validate(); err != nil {
		return nil, err
	}
	c := &domain.SuspectCounts{ByGender: map[string]int{}, ByAgeGroup: map[string]int{}, ByCitizenship: map[string]int{}}
	err := db.read(ctx, func(t *tx) error {
		where, args, err := suspectFilter(ctx, t, &f)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT s.gender, s.age_group, s.citizenship, count(*) FROM suspects s `+where+
			` GROUP BY s.gender, s.age_group, s.citizenship`, args...)
		if err != nil {
			return classify(err, "counting suspects")
		}
		defer rows.Close()
		for rows.Next() {
			var g, a, cit string
			var n int
			if err := rows.Scan(&g, &a, &cit, &n); err != nil {
				return classify(err, "counting suspects")
			}
			if g == "" {
				g = "NonSpecifiedUnknown"
			}
			if cit == "" {
				cit = "Unknown"
			}
			c.Total += n
			c.ByGender[g] += n
			c.ByAgeGroup[a] += n
			c.ByCitizenship[cit] += n
		}
		return classify(rows.Err(), "counting suspects")
	})
	return c, err
}
