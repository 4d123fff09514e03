// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"slices"
	"strings"

	"vigie/internal/domain"
)

// The report's cube (table report_cube, migration 0016) holds the number
// of cases per combination of the columns the statistics group by. It is
// changed in the transactions that change cases — creation and import
// (writeBatch), update (updateCase) and parts (changePart) — so that
// CaseCube reads it instead of the cases.

// cubeKey is one row of report_cube.
type cubeKey struct {
	year                                                           int
	province, gender, ageGroup, ageBand, tstatus, status, agencyID string
	country, cit, expl, services, repatriated                      string
}

// cubeKeyOf is the row a case counts in, from the same derivations as the
// cases' own plain columns (caseValues).
func cubeKeyOf(c *domain.Case, agencyID string) cubeKey {
	return cubeKey{year: cubeYear(c), province: c.Province, gender: c.Person.Gender, ageGroup: c.AgeGroup(),
		ageBand: c.AgeBandOf(), tstatus: c.Victim.TraffickingStatus, status: c.Status, agencyID: agencyID,
		country: strings.Join(c.ExploitationCountries(), ";"), cit: strings.Join(c.Person.Citizenship, ";"),
		expl: strings.Join(c.Victim.TypeOfExploitation, ";"), services: strings.Join(c.ServiceTypes(), ";"),
		repatriated: domain.YesNoOf(c.Repatriated)}
}

func (k cubeKey) values() []any {
	return []any{k.year, k.province, k.gender, k.ageGroup, k.ageBand, k.tstatus, k.status, k.agencyID, k.country, k.cit,
		k.expl, k.services, k.repatriated}
}

// cubeDeltas accumulates changes to report_cube within a transaction.
type cubeDeltas map[cubeKey]int64

// move records that one case left a row for another (nothing when equal).
func (d cubeDeltas) move(from, to cubeKey) {
	if from != to {
		d[from]--
		d[to]++
	}
}

const cubeTableColumns = `reg_year, province, gender, age_group, age_band, trafficking_status, status, agency_id,
	exploitation_country, citizenship, exploitation, services, repatriated`

// apply writes the deltas in key order, so that concurrent writers on
// PostgreSQL lock rows in the same order.
func (d cubeDeltas) apply(ctx context.Context, t *tx) error {
	keys := make([]cubeKey, 0, len(d))
	for k, n := range d {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b cubeKey) int {
		if a.year != b.year {
			return a.year - b.year
		}
		return strings.Compare(strings.Join(strs(a), "\x00"), strings.Join(strs(b), "\x00"))
	})
	const ncol = 14
	per := 30000 / ncol
	for start := 0; start < len(keys); start += per {
		end := min(start+per, len(keys))
		var b strings.Builder
		b.WriteString("INSERT INTO report_cube (" + cubeTableColumns + ", n) VALUES ")
		args := make([]any, 0, (end-start)*ncol)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
			args = append(append(args, keys[i].values()...), d[keys[i]])
		}
		b.WriteString(` ON CONFLICT (` + cubeTableColumns + `) DO UPDATE SET n = report_cube.n + excluded.n`)
		if _, err := t.exec(ctx, b.String(), args...); err != nil {
			return classify(err, "updating the report cube")
		}
	}
	return nil
}

func strs(k cubeKey) []string {
	return []string{k.province, k.gender, k.ageGroup, k.ageBand, k.tstatus, k.status, k.agencyID, k.country, k.cit, k.expl, k.services, k.repatriated}
}

// cubeFromTable reads the cube of f from report_cube: possible when f
// lists no values (In, Not) and months are not asked for. ok is false
// otherwise, and the cases themselves are grouped.
func (t *tx) cubeFromTable(ctx context.Context, f *domain.StatsFilter, months bool, codes map[string]string) (rows []domain.CubeRow, ok bool, err error) {
	q, args, ok := cubeTableSQL(f, months, codes)
	if !ok {
		return nil, false, nil
	}
	res, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, false, classify(err, "reading the report cube")
	}
	defer res.Close()
	out := []domain.CubeRow{}
	var (
		r                           domain.CubeRow
		agency, cit, ex, svc, cntry string
	)
	dest := []any{&r.Year, &r.Province, &r.Gender, &r.AgeGroup, &r.AgeBand, &r.TraffickingStatus, &r.Status, &agency,
		&cntry, &cit, &ex, &svc, &r.Repatriated, &r.N}
	for res.Next() {
		if err := res.Scan(dest...); err != nil {
			return nil, false, classify(err, "reading the report cube")
		}
		row := r
		if row.Year >= spanFloor {
			row.Year = 0 // a span of years: unknown in a breakdown by year
		}
		row.Agency = codes[agency]
		row.Citizenship, row.Exploitation, row.Services = splitList(cit), splitList(ex), splitList(svc)
		row.ExploitationCountries = splitList(cntry)
		out = append(out, row)
	}
	return out, true, classify(res.Err(), "reading the report cube")
}

// cubeTableSQL is the query of report_cube for f, or ok=false when f
// needs the cases themselves.
func cubeTableSQL(f *domain.StatsFilter, months bool, codes map[string]string) (string, []any, bool) {
	if months || len(f.In) > 0 || len(f.Not) > 0 {
		return "", nil, false
	}
	conds, args := []string{"n <> 0"}, []any{}
	if f.YearFrom != 0 || f.YearTo != 0 {
		c, a := cubeYearCond(f.YearFrom, f.YearTo)
		conds, args = append(conds, c), append(args, a...)
	}
	if f.Agency != "" {
		conds, args = append(conds, "agency_id = ?"), append(args, invert(codes)[f.Agency])
	}
	if f.Province != "" {
		conds, args = append(conds, "province = ?"), append(args, f.Province)
	}
	if f.Victims {
		conds = append(conds, "trafficking_status <> 'NotAVictimOfTrafficking'")
	}
	return "SELECT " + cubeTableColumns + ", n FROM report_cube WHERE " + strings.Join(conds, " AND "), args, true
}

// countFromCube is the number of cases f selects: the report cube's rows
// of f's period, agency and province, kept when their values match f's
// listed values (the same rule as the SQL of inCond, applied to each
// row's values), so that the total of a drill-down reads the cube rather
// than every case of a large figure.
//
// spans is spansIn(f), which the caller has asked already.
func (t *tx) countFromCube(ctx context.Context, f *domain.StatsFilter, codes map[string]string, spans bool) (int64, error) {
	base := *f
	base.In, base.Not = nil, nil
	rows, ok, err := t.cubeFromTable(ctx, &base, false, codes)
	if err != nil {
		return 0, err
	}
	if !ok || f.In[domain.StatsMonth] != nil || f.Not[domain.StatsMonth] != nil {
		var sum int64
		for _, arm := range statsArms(f, invert(codes), spans) {
			var n int64
			if err := t.queryRow(ctx, "SELECT count(*) FROM cases c"+arm.where, arm.args...).Scan(&n); err != nil {
				return 0, classify(err, "counting cases")
			}
			sum += n
		}
		return sum, nil
	}
	var n int64
	for i := range rows {
		if cubeRowMatches(&rows[i], f) {
			n += rows[i].N
		}
	}
	return n, nil
}

// cubeRowMatches applies a filter's listed values to a cube row: every In
// dimension has a value among its list, no Not dimension has one.
func cubeRowMatches(r *domain.CubeRow, f *domain.StatsFilter) bool {
	has := func(d domain.StatsDim, vs []string) bool {
		for _, v := range r.Values(d) {
			if slices.Contains(vs, v) {
				return true
			}
		}
		return false
	}
	for d, vs := range f.In {
		if !has(d, vs) {
			return false
		}
	}
	for d, vs := range f.Not {
		if has(d, vs) {
			return false
		}
	}
	return true
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// RebuildReportCube recounts report_cube from the cases, in one
// transaction: for a database whose cases were changed by hand in SQL (a
// repair, a benchmark's spread of provinces), never on a request path.
func (db *DB) RebuildReportCube(ctx context.Context) error {
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM report_cube`); err != nil {
			return classify(err, "rebuilding the report cube")
		}
		_, err := t.exec(ctx, `INSERT INTO report_cube (`+cubeTableColumns+`, n)
			SELECT `+cubeYearSQL+`, province, gender, age_group, age_band, trafficking_status, status, agency_id,
				exploitation_country, citizenship, exploitation, services, repatriated, count(*)
			FROM cases GROUP BY `+cubeYearSQL+`, province, gender, age_group, age_band, trafficking_status, status,
				agency_id, exploitation_country, citizenship, exploitation, services, repatriated`)
		return classify(err, "rebuilding the report cube")
	})
}
