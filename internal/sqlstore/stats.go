// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

// The shared statistics query: counts of cases by any dimensions, read
// from the plain columns only. A period's counts are one GROUP BY over
// cases_report_idx, a covering index that holds every column grouped or
// filtered here (migration 0014), so the sealed columns are never read.
// Multi-valued dimensions are grouped by their joined column
// ("ForcedLabour;SexualExploitation") and split here, so that a case
// counts once under each of its values without a join.

var _ domain.StatsService = (*DB)(nil)

// statsExpr is the SQL of each dimension, the same in both dialects.
var statsExpr = map[domain.StatsDim]string{
	domain.StatsYear:                "COALESCE(c.reg_year, 0)",
	domain.StatsMonth:               "CASE WHEN length(c.reg_key) = 10 THEN substr(c.reg_key, 1, 7) ELSE '' END",
	domain.StatsGender:              "c.gender",
	domain.StatsAgeGroup:            "c.age_group",
	domain.StatsAgeBand:             "c.age_band",
	domain.StatsExploitation:        "c.exploitation",
	domain.StatsCitizenship:         "c.citizenship",
	domain.StatsExploitationCountry: "c.exploitation_country",
	domain.StatsProvince:            "c.province",
	domain.StatsAgency:              "c.agency_id",
	domain.StatsStatus:              "c.status",
	domain.StatsTraffickingStatus:   "c.trafficking_status",
	domain.StatsAssistance:          "c.services",
	domain.StatsRepatriated:         "c.repatriated",
	// domain.IdentifiedWhere, in SQL.
	domain.StatsIdentified: "CASE WHEN c.province <> '' OR c.exploitation_country = '" + domain.NationalCountry +
		"' THEN 'Country' WHEN c.exploitation_country <> '' THEN 'Abroad' ELSE '' END",
}

// multiTable is the link table of a multi-valued dimension.
var multiTable = map[domain.StatsDim][2]string{
	domain.StatsExploitation: {"case_exploitation", "type"},
	domain.StatsCitizenship:  {"case_citizenships", "country"},
}

// statsWhere builds the filter's WHERE clause. agencies maps codes to IDs.
func statsWhere(f *domain.StatsFilter, agencies map[string]string) (string, []any) {
	var conds []string
	var args []any
	if f.YearFrom != 0 {
		conds, args = append(conds, "c.reg_year >= ?"), append(args, f.YearFrom)
	}
	if f.YearTo != 0 {
		conds, args = append(conds, "c.reg_year <= ?"), append(args, f.YearTo)
	}
	if f.Agency != "" {
		conds, args = append(conds, "c.agency_id = ?"), append(args, agencies[f.Agency])
	}
	if f.Province != "" {
		conds, args = append(conds, "c.province = ?"), append(args, f.Province)
	}
	if f.Victims {
		conds = append(conds, "c.trafficking_status <> 'NotAVictimOfTrafficking'")
	}
	dims := make([]domain.StatsDim, 0, len(f.In))
	for d := range f.In {
		dims = append(dims, d)
	}
	slices.Sort(dims) // a stable statement text, for the plan cache and tests
	for _, d := range dims {
		c, a := inCond(d, f.In[d], agencies)
		conds, args = append(conds, c), append(args, a...)
	}
	dims = dims[:0]
	for d := range f.Not {
		dims = append(dims, d)
	}
	slices.Sort(dims)
	for _, d := range dims {
		c, a := inCond(d, f.Not[d], agencies)
		conds, args = append(conds, "NOT "+c), append(args, a...)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// inCond is the condition "the case's value of d is one of vs".
func inCond(d domain.StatsDim, vs []string, agencies map[string]string) (string, []any) {
	var known []any
	unknown := false
	for _, v := range vs {
		switch {
		case v == "":
			unknown = true
		case d == domain.StatsYear:
			if y, err := strconv.Atoi(v); err == nil {
				known = append(known, y)
			}
		case d == domain.StatsAgency:
			if id, ok := agencies[v]; ok {
				known = append(known, id)
			}
		default:
			known = append(known, v)
		}
	}
	var ors []string
	if len(known) > 0 {
		in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(known)), ",") + ")"
		switch {
		case d == domain.StatsAssistance:
			// No link table: services are few per case and the column
			// is in the report's index. Service types are codes without
			// LIKE wildcards; a value with one matches nothing.
			var pats []any
			for _, v := range known {
				if !strings.ContainsAny(v.(string), "%_;") {
					ors = append(ors, "';' || c.services || ';' LIKE ?")
					pats = append(pats, "%;"+v.(string)+";%")
				}
			}
			known = pats
		case d.MultiValued():
			t := multiTable[d]
			ors = append(ors, "c.id IN (SELECT case_id FROM "+t[0]+" WHERE "+t[1]+" IN "+in+")")
		case d == domain.StatsYear:
			ors = append(ors, "c.reg_year IN "+in)
		default:
			ors = append(ors, statsExpr[d]+" IN "+in)
		}
	}
	if unknown {
		switch d {
		case domain.StatsYear:
			ors = append(ors, "c.reg_year IS NULL")
		case domain.StatsAgency:
		default:
			ors = append(ors, statsExpr[d]+" = ''")
		}
	}
	if len(ors) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(ors, " OR ") + ")", known
}

// StatsQueries returns the statement CaseCounts runs for q, rewritten for
// the database, so that a benchmark or a test can EXPLAIN it.
func (db *DB) StatsQueries(ctx context.Context, q domain.StatsQuery) (string, []any, error) {
	if err := q.Validate(); err != nil {
		return "", nil, err
	}
	var sql string
	var args []any
	err := db.read(ctx, func(t *tx) error {
		codes, err := agencyCodes(ctx, t)
		if err != nil {
			return err
		}
		sql, args = countsSQL(&q, invert(codes))
		sql = t.d.rebind(sql)
		return nil
	})
	return sql, args, err
}

func invert(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

func countsSQL(q *domain.StatsQuery, agencies map[string]string) (string, []any) {
	where, args := statsWhere(&q.Filter, agencies)
	if len(q.By) == 0 {
		return "SELECT count(*) FROM cases c" + where, args
	}
	cols := make([]string, len(q.By))
	for i, d := range q.By {
		cols[i] = statsExpr[d]
	}
	list := strings.Join(cols, ", ")
	return "SELECT " + list + ", count(*) FROM cases c" + where + " GROUP BY " + list, args
}

// CaseCounts counts the cases of q.Filter per combination of q.By.
func (db *DB) CaseCounts(ctx context.Context, q domain.StatsQuery) ([]domain.StatsRow, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	var out []domain.StatsRow
	err := db.read(ctx, func(t *tx) error {
		codes, err := agencyCodes(ctx, t)
		if err != nil {
			return err
		}
		if q.Filter.Agency != "" && !slices.Contains(mapValues(codes), q.Filter.Agency) {
			out = []domain.StatsRow{} // an unknown agency has no cases
			return nil
		}
		sql, args := countsSQL(&q, invert(codes))
		rows, err := t.query(ctx, sql, args...)
		if err != nil {
			return classify(err, "counting cases")
		}
		defer rows.Close()
		acc := newStatsAcc(&q, codes)
		raw := make([]any, len(q.By)+1)
		vals := make([]string, len(q.By))
		var year int64
		var n int64
		for i, d := range q.By {
			if d == domain.StatsYear {
				raw[i] = &year
			} else {
				raw[i] = &vals[i]
			}
		}
		raw[len(q.By)] = &n
		for rows.Next() {
			if err := rows.Scan(raw...); err != nil {
				return classify(err, "counting cases")
			}
			for i, d := range q.By {
				if d == domain.StatsYear {
					vals[i] = ""
					if year != 0 {
						vals[i] = strconv.FormatInt(year, 10)
					}
				}
			}
			acc.add(vals, n)
		}
		if err := rows.Err(); err != nil {
			return classify(err, "counting cases")
		}
		out = acc.rows()
		return nil
	})
	return out, err
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// statsAcc adds grouped rows up after splitting the multi-valued columns
// and turning agency IDs into codes.
type statsAcc struct {
	by    []domain.StatsDim
	keep  map[domain.StatsDim]map[string]bool // listed values of multi-valued filters
	codes map[string]string
	sums  map[string]int64
	order []string
}

func newStatsAcc(q *domain.StatsQuery, codes map[string]string) *statsAcc {
	a := &statsAcc{by: q.By, codes: codes, sums: map[string]int64{}, keep: map[domain.StatsDim]map[string]bool{}}
	for d, vs := range q.Filter.In {
		if d.MultiValued() {
			a.keep[d] = map[string]bool{}
			for _, v := range vs {
				a.keep[d][v] = true
			}
		}
	}
	return a
}

func (a *statsAcc) add(vals []string, n int64) {
	choices := make([][]string, len(vals))
	for i, d := range a.by {
		v := vals[i]
		switch {
		case d == domain.StatsAgency:
			choices[i] = []string{a.codes[v]}
		case d.MultiValued():
			parts := []string{""}
			if v != "" {
				parts = strings.Split(v, ";")
			}
			if keep, ok := a.keep[d]; ok {
				parts = slices.DeleteFunc(parts, func(p string) bool { return !keep[p] })
			}
			choices[i] = parts
		default:
			choices[i] = []string{v}
		}
	}
	// Every combination of the split values (a case with two forms of
	// exploitation and two citizenships counts in four rows).
	key := make([]string, len(vals))
	var walk func(i int)
	walk = func(i int) {
		if i == len(choices) {
			k := strings.Join(key, "\x00")
			if _, ok := a.sums[k]; !ok {
				a.order = append(a.order, k)
			}
			a.sums[k] += n
			return
		}
		for _, v := range choices[i] {
			key[i] = v
			walk(i + 1)
		}
	}
	walk(0)
}

func (a *statsAcc) rows() []domain.StatsRow {
	slices.Sort(a.order)
	out := make([]domain.StatsRow, 0, len(a.order))
	for _, k := range a.order {
		if n := a.sums[k]; n != 0 {
			vals := []string{}
			if len(a.by) > 0 {
				vals = strings.Split(k, "\x00")
			}
			out = append(out, domain.StatsRow{Values: vals, N: n})
		}
	}
	return out
}

// StatsCases lists, by creation order, the de-identified summaries of the
// cases f counts: the records behind a figure. The caller has checked that
// the reader may list those cases (the filter's agency is the reader's
// own unless the reader may list every agency's cases).
func (db *DB) StatsCases(ctx context.Context, f domain.StatsFilter, cur string, limit int) (*domain.StatsCasePage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if limit < 1 || limit > domain.MaxPageSize {
		limit = domain.DefaultPageSize
	}
	after := ""
	if cur != "" {
		c, err := decodeCursor(cur, "stats")
		if err != nil {
			return nil, err
		}
		after = c.ID
	}
	page := &domain.StatsCasePage{Items: []domain.CaseSummary{}}
	err := db.read(ctx, func(t *tx) error {
		codes, err := agencyCodes(ctx, t)
		if err != nil {
			return err
		}
		if f.Agency != "" && !slices.Contains(mapValues(codes), f.Agency) {
			return nil
		}
		where, args := statsWhere(&f, invert(codes))
		if err := t.queryRow(ctx, "SELECT count(*) FROM cases c"+where, args...).Scan(&page.Total); err != nil {
			return classify(err, "counting cases")
		}
		q := "SELECT " + summaryColumns + ", '' FROM cases c" + where
		if after != "" {
			if where == "" {
				q += " WHERE c.id > ?"
			} else {
				q += " AND c.id > ?"
			}
			args = append(args, after)
		}
		rows, err := t.query(ctx, q+" ORDER BY c.id LIMIT ?", append(args, limit+1)...)
		if err != nil {
			return classify(err, "listing cases")
		}
		items, _, err := scanSummaries(rows)
		if err != nil {
			return err
		}
		if len(items) > limit {
			items = items[:limit]
			page.NextCursor = encodeCursor(cursor{Sort: "stats", ID: items[limit-1].ID})
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
