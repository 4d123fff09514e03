// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"sort"
	"strings"

	"vigie/internal/domain"
)

// The counts cube (table case_counts) answers the total of a filtered list
// with a sum over few rows. Its base key holds the single-valued filters;
// dim/value add up to two of the filters a case can match several times
// (forms of exploitation, citizenships) or that have many values
// (country of exploitation).
const (
	dimExploitation = "exploitation"
	dimCitizenship  = "citizenship"
	dimCountry      = "country"
)

// countKey is one row of case_counts.
type countKey struct {
	dim, value, agencyID, status, tstatus, gender, ageGroup, ageBand string
	year                                                             int
}

// countDeltas accumulates changes to case_counts within a transaction.
type countDeltas map[countKey]int64

// dimValues lists, for each cube dimension, the case's values.
func dimValues(c *domain.Case) map[string][]string {
	return map[string][]string{dimExploitation: c.Victim.TypeOfExploitation, dimCitizenship: c.Person.Citizenship,
		dimCountry: c.ExploitationCountries()}
}

// cubeDims are the dimensions and pairs the cube holds, in the order
// their names are joined.
var cubeDims = [][]string{
	{dimExploitation}, {dimCitizenship}, {dimCountry},
	{dimExploitation, dimCitizenship}, {dimExploitation, dimCountry}, {dimCitizenship, dimCountry},
}

// add counts c (sign +1) or uncounts it (-1) in every cube row it belongs to.
func (d countDeltas) add(c *domain.Case, agencyID string, sign int64) {
	d.addWith(c, agencyID, dimValues(c), sign)
}

func (d countDeltas) addWith(c *domain.Case, agencyID string, values map[string][]string, sign int64) {
	d.addKey(countKey{agencyID: agencyID, status: c.Status, tstatus: c.Victim.TraffickingStatus,
		gender: c.Person.Gender, ageGroup: c.AgeGroup(), ageBand: c.AgeBandOf(), year: c.RegistrationYear}, values, sign)
}

// addKey counts one case (sign +1, or -1 to uncount it) given its base key
// and its values in each dimension.
func (d countDeltas) addKey(base countKey, values map[string][]string, sign int64) {
	d[base] += sign
	for _, dims := range cubeDims {
		if len(dims) == 1 {
			for _, v := range values[dims[0]] {
				k := base
				k.dim, k.value = dims[0], v
				d[k] += sign
			}
			continue
		}
		for _, a := range values[dims[0]] {
			for _, b := range values[dims[1]] {
				k := base
				k.dim, k.value = dims[0]+"+"+dims[1], a+"|"+b
				d[k] += sign
			}
		}
	}
}

// countries moves c between two lists of countries of exploitation (when
// a part changed the events; either may be empty): the case is uncounted
// with the old list and counted with the new one, so that only the rows
// that involve the countries change.
func (d countDeltas) countries(c *domain.Case, agencyID string, from, to []string) {
	with := func(countries []string) map[string][]string {
		v := dimValues(c)
		v[dimCountry] = countries
		return v
	}
	d.addWith(c, agencyID, with(from), -1)
	d.addWith(c, agencyID, with(to), 1)
	for k, n := range d {
		if n == 0 {
			delete(d, k)
		}
	}
}

// band moves c from one age band to another in every row it counts in
// (RecountAgeBands: the stored band was written before the birth date's
// band was derived).
func (d countDeltas) band(c *domain.Case, agencyID, from, to string) {
	base := countKey{agencyID: agencyID, status: c.Status, tstatus: c.Victim.TraffickingStatus,
		gender: c.Person.Gender, ageGroup: c.AgeGroup(), year: c.RegistrationYear}
	values := dimValues(c)
	old, now := base, base
	old.ageBand, now.ageBand = from, to
	d.addKey(old, values, -1)
	d.addKey(now, values, 1)
}

// apply writes the deltas, in key order so that concurrent writers on
// PostgreSQL lock rows in the same order.
func (d countDeltas) apply(ctx context.Context, t *tx) error {
	keys := make([]countKey, 0, len(d))
	for k, n := range d {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keyLess(keys[i], keys[j]) })
	const ncol = 10
	const cols = "dim, value, agency_id, status, trafficking_status, gender, age_group, age_band, reg_year, n"
	per := 30000 / ncol
	for start := 0; start < len(keys); start += per {
		end := min(start+per, len(keys))
		var b strings.Builder
		b.WriteString("INSERT INTO case_counts (" + cols + ") VALUES ")
		args := make([]any, 0, (end-start)*ncol)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?,?,?,?,?,?)")
			k := keys[i]
			args = append(args, k.dim, k.value, k.agencyID, k.status, k.tstatus, k.gender, k.ageGroup, k.ageBand, k.year, d[k])
		}
		b.WriteString(` ON CONFLICT (dim, value, agency_id, status, trafficking_status, gender, age_group, age_band, reg_year)
			DO UPDATE SET n = case_counts.n + excluded.n`)
		if _, err := t.exec(ctx, b.String(), args...); err != nil {
			return classify(err, "updating case counts")
		}
	}
	return nil
}

func keyLess(a, b countKey) bool {
	for _, p := range [][2]string{{a.dim, b.dim}, {a.value, b.value}, {a.agencyID, b.agencyID}, {a.status, b.status}, {a.tstatus, b.tstatus}, {a.gender, b.gender}, {a.ageGroup, b.ageGroup}, {a.ageBand, b.ageBand}} {
		if p[0] != p[1] {
			return p[0] < p[1]
		}
	}
	return a.year < b.year
}

// cubeSelector returns the dim and value of case_counts that hold the
// filter's multi-valued filters, or ok=false when there are more than two.
func cubeSelector(f *domain.CaseFilter) (dim, value string, ok bool) {
	var dims, values []string
	for _, x := range []struct{ dim, v string }{{dimExploitation, f.Exploitation}, {dimCitizenship, f.Citizenship}, {dimCountry, f.ExploitationCountry}} {
		if x.v != "" {
			dims, values = append(dims, x.dim), append(values, x.v)
		}
	}
	if len(dims) > 2 {
		return "", "", false
	}
	return strings.Join(dims, "+"), strings.Join(values, "|"), true
}

// cubeCountQuery returns the query that sums case_counts for f per
// registration year (rows of reg_year and count; 0 is unknown), or
// ok=false when f uses a filter the cube does not hold (then the cases
// themselves are counted). The years tell a list sorted by registration
// where its matches lie.
func cubeCountQuery(f *domain.CaseFilter, agencyID string) (q string, args []any, ok bool) {
	if f.SituationID != "" || f.Province != "" || !f.RegisteredFrom.IsZero() || !f.RegisteredTo.IsZero() ||
		!f.UpdatedFrom.IsZero() || !f.UpdatedTo.IsZero() {
		return "", nil, false
	}
	dim, value, ok := cubeSelector(f)
	if !ok {
		return "", nil, false
	}
	conds := []string{"dim = ?", "value = ?"}
	args = []any{dim, value}
	eq := func(col, v string) {
		if v != "" {
			conds = append(conds, col+" = ?")
			args = append(args, v)
		}
	}
	if f.Agency != "" {
		eq("agency_id", agencyID)
	}
	eq("status", f.Status)
	eq("trafficking_status", f.TraffickingStatus)
	eq("gender", f.Gender)
	eq("age_group", f.AgeGroup)
	eq("age_band", f.AgeBand)
	if f.YearFrom != 0 || f.YearTo != 0 {
		conds = append(conds, "reg_year > 0")
	}
	if f.YearFrom != 0 {
		conds = append(conds, "reg_year >= ?")
		args = append(args, f.YearFrom)
	}
	if f.YearTo != 0 {
		conds = append(conds, "reg_year <= ?")
		args = append(args, f.YearTo)
	}
	return `SELECT reg_year, CAST(SUM(n) AS BIGINT) FROM case_counts WHERE ` + strings.Join(conds, " AND ") + ` GROUP BY reg_year`, args, true
}

// VerifyCounts recomputes case_counts from the cases and reports any
// difference. It reads every case: for tests and for an administrator's
// check, not for a request path.
func (db *DB) VerifyCounts(ctx context.Context) error {
	return db.read(ctx, func(t *tx) error {
		want := countDeltas{}
		rows, err := t.query(ctx, `SELECT agency_id, status, trafficking_status, gender, age_group, age_band, COALESCE(reg_year, 0),
			exploitation_country, citizenship, exploitation FROM cases`)
		if err != nil {
			return classify(err, "verifying counts")
		}
		for rows.Next() {
			var (
				c                    domain.Case
				agency, group, cntry string
				cit, expl            string
			)
			if err := rows.Scan(&agency, &c.Status, &c.Victim.TraffickingStatus, &c.Person.Gender, &group, &c.Victim.AgeBand,
				&c.RegistrationYear, &cntry, &cit, &expl); err != nil {
				rows.Close()
				return classify(err, "verifying counts")
			}
			values := map[string][]string{}
			for dim, list := range map[string]string{dimCitizenship: cit, dimExploitation: expl, dimCountry: cntry} {
				if list != "" {
					values[dim] = strings.Split(list, ";")
				}
			}
			k := countKey{agencyID: agency, status: c.Status, tstatus: c.Victim.TraffickingStatus, gender: c.Person.Gender,
				ageGroup: group, ageBand: c.Victim.AgeBand, year: c.RegistrationYear}
			want.addKey(k, values, 1)
		}
		rows.Close()
		rows, err = t.query(ctx, `SELECT dim, value, agency_id, status, trafficking_status, gender, age_group, age_band, reg_year, n FROM case_counts`)
		if err != nil {
			return classify(err, "verifying counts")
		}
		defer rows.Close()
		got := countDeltas{}
		for rows.Next() {
			var k countKey
			var n int64
			if err := rows.Scan(&k.dim, &k.value, &k.agencyID, &k.status, &k.tstatus, &k.gender, &k.ageGroup, &k.ageBand, &k.year, &n); err != nil {
				return classify(err, "verifying counts")
			}
			if n != 0 {
				got[k] = n
			}
		}
		for k, n := range want {
			if got[k] != n {
				return domain.Errorf(domain.KindInternal, "case_counts %+v holds %d, the cases say %d", k, got[k], n)
			}
		}
		for k, n := range got {
			if want[k] != n {
				return domain.Errorf(domain.KindInternal, "case_counts %+v holds %d, the cases say %d", k, n, want[k])
			}
		}
		return classify(rows.Err(), "verifying counts")
	})
}
