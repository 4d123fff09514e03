// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"database/sql"
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

var (
	_ domain.StatsService = (*DB)(nil)
	_ domain.CubeService  = (*DB)(nil)
)

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
	// exploitation_country is the list joined with ";": the national
	// country anywhere in it, or any country but the unknown one.
	domain.StatsIdentified: "CASE WHEN c.province <> '' OR ';' || c.exploitation_country || ';' LIKE '%;" + domain.NationalCountry +
		";%' THEN 'Country' WHEN c.exploitation_country NOT IN ('', '" + domain.UnknownCountry + "') THEN 'Abroad' ELSE '' END",
}

// multiTable is the link table of a multi-valued dimension.
var multiTable = map[domain.StatsDim][2]string{
	domain.StatsExploitation:        {"case_exploitation", "type"},
	domain.StatsCitizenship:         {"case_citizenships", "country"},
	domain.StatsExploitationCountry: {"case_exploitation_countries", "country"},
}

// statsWhere builds the filter's WHERE clause. agencies maps codes to IDs.
// spans includes the cases registered with a span inside f's years
// (statsYearCond).
func statsWhere(f *domain.StatsFilter, agencies map[string]string, spans bool) (string, []any) {
	c, a := statsYearCond(f, spans)
	return statsWhereWith(f, agencies, c, a)
}

// statsWhereWith is statsWhere with the condition on years given.
func statsWhereWith(f *domain.StatsFilter, agencies map[string]string, years string, yearArgs []any) (string, []any) {
	var conds []string
	var args []any
	if years != "" {
		conds, args = append(conds, years), append(args, yearArgs...)
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

// cubeColumns are the columns of cases_report_idx in its order, so that
// grouping by them walks the index without sorting (SQLite) and reads no
// table row.
const cubeColumns = `c.reg_year, c.province, c.gender, c.age_group, c.age_band, c.trafficking_status,
	c.status, c.agency_id, c.exploitation_country, c.citizenship, c.exploitation, c.services, c.repatriated`

// StatsQueries returns the statement CaseCube runs for f (on report_cube
// when it can, else on the cases), rewritten for
// the database, so that a benchmark or a test can EXPLAIN it.
func (db *DB) StatsQueries(ctx context.Context, f domain.StatsFilter, months bool) (string, []any, error) {
	if err := f.Validate(); err != nil {
		return "", nil, err
	}
	var q string
	var args []any
	err := db.read(ctx, func(t *tx) error {
		codes, err := agencyCodes(ctx, t)
		if err != nil {
			return err
		}
		var ok bool
		if q, args, ok = cubeTableSQL(&f, months, codes); !ok {
			spans, err := t.spansIn(ctx, &f)
			if err != nil {
				return err
			}
			q, args = cubeSQL(&f, invert(codes), months, spans)
		}
		q = t.d.rebind(q)
		return nil
	})
	return q, args, err
}

func invert(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

func cubeSQL(f *domain.StatsFilter, agencies map[string]string, months, spans bool) (string, []any) {
	cols := cubeColumns
	if months {
		// reg_key itself (the next column of the index), cut to the month here.
		cols += ", c.reg_key"
	}
	var qs []string
	var args []any
	for _, arm := range statsArms(f, agencies, spans) {
		qs = append(qs, "SELECT "+cols+", count(*) FROM cases c"+arm.where+" GROUP BY "+cols)
		args = append(args, arm.args...)
	}
	return strings.Join(qs, " UNION ALL "), args
}

// CaseCube returns the finest counts of the cases f selects.
func (db *DB) CaseCube(ctx context.Context, f domain.StatsFilter, months bool) ([]domain.CubeRow, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var out []domain.CubeRow
	err := db.read(ctx, func(t *tx) error {
		var err error
		out, err = t.cube(ctx, &f, months)
		return err
	})
	return out, err
}

func (t *tx) cube(ctx context.Context, f *domain.StatsFilter, months bool) ([]domain.CubeRow, error) {
	codes, err := agencyCodes(ctx, t)
	if err != nil {
		return nil, err
	}
	out := []domain.CubeRow{}
	if f.Agency != "" && !slices.Contains(mapValues(codes), f.Agency) {
		return out, nil // an unknown agency has no cases
	}
	if rows, ok, err := t.cubeFromTable(ctx, f, months, codes); ok || err != nil {
		return rows, err
	}
	return t.cubeFromCases(ctx, f, months, codes)
}

// cubeFromCases groups the cases themselves: one walk of cases_report_idx.
func (t *tx) cubeFromCases(ctx context.Context, f *domain.StatsFilter, months bool, codes map[string]string) ([]domain.CubeRow, error) {
	out := []domain.CubeRow{}
	spans, err := t.spansIn(ctx, f)
	if err != nil {
		return nil, err
	}
	q, args := cubeSQL(f, invert(codes), months, spans)
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err, "counting cases")
	}
	defer rows.Close()
	var (
		r                           domain.CubeRow
		agency, cit, ex, svc, cntry string
		regKey                      string
		year                        sql.NullInt64
	)
	dest := []any{&year, &r.Province, &r.Gender, &r.AgeGroup, &r.AgeBand, &r.TraffickingStatus, &r.Status, &agency,
		&cntry, &cit, &ex, &svc, &r.Repatriated}
	if months {
		dest = append(dest, &regKey)
	}
	dest = append(dest, &r.N)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, classify(err, "counting cases")
		}
		row := r
		row.Year, row.Agency = int(year.Int64), codes[agency]
		row.Citizenship, row.Exploitation, row.Services = splitList(cit), splitList(ex), splitList(svc)
		row.ExploitationCountries = splitList(cntry)
		if months && len(regKey) == 10 {
			row.Month = regKey[:7]
		}
		out = append(out, row)
	}
	return out, classify(rows.Err(), "counting cases")
}

// CaseCounts counts the cases of q.Filter per combination of q.By: the
// cube's rows summed (one read of the index, whatever the dimensions).
func (db *DB) CaseCounts(ctx context.Context, q domain.StatsQuery) ([]domain.StatsRow, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	rows, err := db.CaseCube(ctx, q.Filter, slices.Contains(q.By, domain.StatsMonth))
	if err != nil {
		return nil, err
	}
	keep := map[domain.StatsDim][]string{}
	for d, vs := range q.Filter.In {
		if d.MultiValued() {
			keep[d] = vs
		}
	}
	return domain.Marginal(rows, q.By, keep), nil
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// statsDigest binds a cursor of StatsCases to its filter, as filterDigest
// does for FindCases: sent with other filters it would skip cases.
func statsDigest(f domain.StatsFilter) string {
	return digestOf(f) // maps are written in key order
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
		c, err := decodeCursor(cur, "stats", statsDigest(f))
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
		spans, err := t.spansIn(ctx, &f)
		if err != nil {
			return err
		}
		where, args := statsWhere(&f, invert(codes), spans)
		total, err := t.countFromCube(ctx, &f, codes, spans)
		if err != nil {
			return err
		}
		page.Total = total
		if total == 0 {
			return nil
		}
		from := " FROM cases c"
		// Many matches: walking the cases in id order finds a page at once,
		// where SQLite would otherwise collect every match through the
		// report index and sort them (1.3 s for 400,000). Few matches:
		// collect and sort (see shouldWalk). PostgreSQL chooses by itself.
		walk, err := shouldWalk(ctx, t, total, limit, 0)
		if err != nil {
			return err
		}
		if walk {
			from += " INDEXED BY sqlite_autoindex_cases_1" // the primary key (id), created first
		}
		q := "SELECT " + summaryColumns + ", ''" + from + where
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
			page.NextCursor = encodeCursor(cursor{Sort: "stats", ID: items[limit-1].ID, Filter: statsDigest(f)})
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
