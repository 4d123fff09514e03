// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"vigie/internal/domain"
)

// sortSpec says how a list sort maps to SQL: the column compared by the
// cursor (always followed by id as the tie-breaker).
type sortSpec struct {
	col  string // "" when id alone orders
	desc bool
}

var sorts = map[string]sortSpec{
	"-created":    {"", true},
	"created":     {"", false},
	"-updated":    {"c.updated_at", true},
	"updated":     {"c.updated_at", false},
	"-registered": {"c.reg_key", true},
	"registered":  {"c.reg_key", false},
	"number":      {"c.number", false},
	"-number":     {"c.number", true},
}

// cursor is the position after the last row of a page.
type cursor struct {
	Sort string `json:"s"`
	Key  string `json:"k,omitempty"`
	ID   string `json:"i"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sort string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Sort != sort || !isUUID(c.ID) {
		return c, &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{
			Field: "cursor", Code: "validation.cursor", Message: "is not a cursor of this list (it must come from next_cursor of the same sort); start again without it"}}}
	}
	return c, nil
}

// filterClause builds the filter's WHERE clause (without the cursor).
func filterClause(t *tx, f *domain.CaseFilter, agencyID string) (string, []any) {
	var conds []string
	var args []any
	eq := func(col, v string) {
		if v != "" {
			conds = append(conds, col+" = ?")
			args = append(args, v)
		}
	}
	if f.Agency != "" {
		conds = append(conds, "c.agency_id = ?")
		args = append(args, agencyID)
	}
	eq("c.status", f.Status)
	eq("c.trafficking_status", f.TraffickingStatus)
	eq("c.gender", f.Gender)
	eq("c.age_group", f.AgeGroup)
	eq("c.age_band", f.AgeBand)
	eq("c.exploitation_country", f.ExploitationCountry)
	eq("c.situation_id", f.SituationID)
	if f.Exploitation != "" {
		conds = append(conds, "c.id IN (SELECT case_id FROM case_exploitation WHERE type = ?)")
		args = append(args, f.Exploitation)
	}
	if f.Citizenship != "" {
		conds = append(conds, "c.id IN (SELECT case_id FROM case_citizenships WHERE country = ?)")
		args = append(args, f.Citizenship)
	}
	if f.YearFrom != 0 {
		conds = append(conds, "c.reg_year >= ?")
		args = append(args, f.YearFrom)
	}
	if f.YearTo != 0 {
		conds = append(conds, "c.reg_year <= ?")
		args = append(args, f.YearTo)
	}
	if !f.RegisteredFrom.IsZero() {
		conds = append(conds, "c.reg_date >= ?")
		args = append(args, t.d.date(f.RegisteredFrom))
	}
	if !f.RegisteredTo.IsZero() {
		conds = append(conds, "c.reg_date <= ?")
		args = append(args, t.d.date(f.RegisteredTo))
	}
	if !f.UpdatedFrom.IsZero() {
		conds = append(conds, "c.updated_at >= ?")
		args = append(args, t.d.ts(f.UpdatedFrom))
	}
	if !f.UpdatedTo.IsZero() {
		conds = append(conds, "c.updated_at < ?")
		args = append(args, t.d.ts(f.UpdatedTo))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// FindCases returns one page of case summaries and the total number of
// cases that match the filter.
func (db *DB) FindCases(ctx context.Context, f domain.CaseFilter) (*domain.CasePage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	spec := sorts[f.Sort]
	var cur *cursor
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, f.Sort)
		if err != nil {
			return nil, err
		}
		cur = &c
	}
	page := &domain.CasePage{Items: []domain.CaseSummary{}}
	err := db.read(ctx, func(t *tx) error {
		var aid string
		if f.Agency != "" {
			var err error
			if aid, err = agencyID(ctx, t, f.Agency); err != nil {
				if domain.KindOf(err) == domain.KindInvalid {
					return nil // an unknown agency has no cases
				}
				return err
			}
		}
		where, args := filterClause(t, &f, aid)
		n, ok, err := countFromCube(ctx, t, &f, aid)
		if err != nil {
			return err
		}
		page.Total = n
		if !ok {
			if err := t.queryRow(ctx, `SELECT count(*) FROM cases c`+where, args...).Scan(&page.Total); err != nil {
				return classify(err, "counting cases")
			}
		}
		q, qargs := pageQuery(where, args, spec, cur, f.Limit+1)
		rows, err := t.query(ctx, q, qargs...)
		if err != nil {
			return classify(err, "listing cases")
		}
		items, keys, err := scanSummaries(rows)
		if err != nil {
			return err
		}
		codes, err := agencyCodes(ctx, t)
		if err != nil {
			return err
		}
		if len(items) > f.Limit {
			items, keys = items[:f.Limit], keys[:f.Limit]
			last := items[len(items)-1]
			page.NextCursor = encodeCursor(cursor{Sort: f.Sort, Key: keys[len(keys)-1], ID: last.ID})
		}
		for i := range items {
			items[i].Agency = codes[items[i].Agency]
		}
		if items != nil {
			page.Items = items
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

const summaryColumns = `c.id, c.agency_id, c.number, c.status, c.trafficking_status, c.gender, c.age_group, c.age_band,
	c.citizenship, c.exploitation, c.exploitation_country, c.reg_year, c.reg_date, c.version, c.created_at, c.updated_at`

func pageQuery(where string, args []any, spec sortSpec, cur *cursor, limit int) (string, []any) {
	dir, cmp := "ASC", ">"
	if spec.desc {
		dir, cmp = "DESC", "<"
	}
	keyCol := spec.col
	if keyCol == "" {
		keyCol = "''"
	}
	q := `SELECT ` + summaryColumns + `, ` + keyCol + ` FROM cases c` + where
	args = append([]any{}, args...)
	if cur != nil {
		join := " WHERE "
		if where != "" {
			join = " AND "
		}
		if spec.col == "" {
			q += join + "c.id " + cmp + " ?"
			args = append(args, cur.ID)
		} else {
			q += join + "(" + spec.col + " " + cmp + " ? OR (" + spec.col + " = ? AND c.id " + cmp + " ?))"
			args = append(args, cur.Key, cur.Key, cur.ID)
		}
	}
	if spec.col != "" {
		q += " ORDER BY " + spec.col + " " + dir + ", c.id " + dir
	} else {
		q += " ORDER BY c.id " + dir
	}
	q += " LIMIT ?"
	return q, append(args, limit)
}

func scanSummaries(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) ([]domain.CaseSummary, []string, error) {
	defer rows.Close()
	var items []domain.CaseSummary
	var keys []string
	for rows.Next() {
		var (
			s                domain.CaseSummary
			cit, expl        string
			regYear          *int64
			regDate          dbDate
			created, updated dbTime
			key              any
		)
		if err := rows.Scan(&s.ID, &s.Agency, &s.Number, &s.Status, &s.TraffickingStatus, &s.Gender, &s.AgeGroup, &s.AgeBand,
			&cit, &expl, &s.ExploitationCountry, &regYear, &regDate, &s.Version, &created, &updated, &key); err != nil {
			return nil, nil, classify(err, "listing cases")
		}
		if cit != "" {
			s.Citizenship = strings.Split(cit, ";")
		}
		if expl != "" {
			s.TypeOfExploitation = strings.Split(expl, ";")
		}
		if regYear != nil {
			s.RegistrationYear = int(*regYear)
		}
		s.RegistrationDate, s.CreatedAt, s.UpdatedAt = regDate.d, created.t, updated.t
		items = append(items, s)
		keys = append(keys, keyString(key))
	}
	return items, keys, classify(rows.Err(), "listing cases")
}

// keyString turns the scanned sort key into the cursor's text form, in the
// encoding the dialect stores, so that comparisons stay exact.
func keyString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format(timeLayout)
	}
	return ""
}
