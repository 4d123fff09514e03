// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"sort"
	"strings"

	"vigie/internal/domain"
)

// countKey is one row of case_counts.
type countKey struct {
	dim, value, agencyID, status, tstatus, gender, ageGroup string
	year                                                    int
}

// countDeltas accumulates changes to case_counts within a transaction.
type countDeltas map[countKey]int64

// add counts c (sign +1) or uncounts it (-1) in every cube it belongs to.
func (d countDeltas) add(c *domain.Case, agencyID string, sign int64) {
	base := countKey{agencyID: agencyID, status: c.Status, tstatus: c.Victim.TraffickingStatus,
		gender: c.Person.Gender, ageGroup: c.AgeGroup(), year: c.RegistrationYear}
	d[base] += sign
	for _, x := range c.Victim.TypeOfExploitation {
		k := base
		k.dim, k.value = "exploitation", x
		d[k] += sign
	}
	for _, x := range c.Person.Citizenship {
		k := base
		k.dim, k.value = "citizenship", x
		d[k] += sign
	}
	if x := c.ExploitationCountry(); x != "" {
		k := base
		k.dim, k.value = "country", x
		d[k] += sign
	}
}

// country moves c between two countries of exploitation (when a part
// changed the events).
func (d countDeltas) country(c *domain.Case, agencyID, from, to string) {
	base := countKey{agencyID: agencyID, status: c.Status, tstatus: c.Victim.TraffickingStatus,
		gender: c.Person.Gender, ageGroup: c.AgeGroup(), year: c.RegistrationYear, dim: "country"}
	if from != "" {
		k := base
		k.value = from
		d[k]--
	}
	if to != "" {
		k := base
		k.value = to
		d[k]++
	}
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
	rows := make([][]any, 0, len(keys))
	for _, k := range keys {
		rows = append(rows, []any{k.dim, k.value, k.agencyID, k.status, k.tstatus, k.gender, k.ageGroup, k.year, d[k]})
	}
	const cols = "dim, value, agency_id, status, trafficking_status, gender, age_group, reg_year, n"
	per := 30000 / 9
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var b strings.Builder
		b.WriteString("INSERT INTO case_counts (" + cols + ") VALUES ")
		args := make([]any, 0, (end-start)*9)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?,?,?,?,?)")
			args = append(args, rows[i]...)
		}
		b.WriteString(` ON CONFLICT (dim, value, agency_id, status, trafficking_status, gender, age_group, reg_year)
			DO UPDATE SET n = case_counts.n + excluded.n`)
		if _, err := t.exec(ctx, b.String(), args...); err != nil {
			return classify(err, "updating case counts")
		}
	}
	return nil
}

func keyLess(a, b countKey) bool {
	for _, p := range [][2]string{{a.dim, b.dim}, {a.value, b.value}, {a.agencyID, b.agencyID}, {a.status, b.status}, {a.tstatus, b.tstatus}, {a.gender, b.gender}, {a.ageGroup, b.ageGroup}} {
		if p[0] != p[1] {
			return p[0] < p[1]
		}
	}
	return a.year < b.year
}

// countFromCube returns the number of cases matching f from case_counts,
// or ok=false when f uses a filter the cube does not hold (then the caller
// counts the cases themselves).
func countFromCube(ctx context.Context, t *tx, f *domain.CaseFilter, agencyID string) (n int64, ok bool, err error) {
	if f.AgeBand != "" || f.SituationID != "" || !f.RegisteredFrom.IsZero() || !f.RegisteredTo.IsZero() ||
		!f.UpdatedFrom.IsZero() || !f.UpdatedTo.IsZero() {
		return 0, false, nil
	}
	dim, value := "", ""
	extra := 0
	for _, x := range []struct{ dim, v string }{{"exploitation", f.Exploitation}, {"citizenship", f.Citizenship}, {"country", f.ExploitationCountry}} {
		if x.v != "" {
			dim, value = x.dim, x.v
			extra++
		}
	}
	if extra > 1 {
		return 0, false, nil
	}
	conds := []string{"dim = ?", "value = ?"}
	args := []any{dim, value}
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
	err = t.queryRow(ctx, `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_counts WHERE `+strings.Join(conds, " AND "), args...).Scan(&n)
	if err != nil {
		return 0, false, classify(err, "counting cases")
	}
	return n, true, nil
}

// VerifyCounts recomputes case_counts from the cases and reports any
// difference. It reads every case: for tests and for an administrator's
// check, not for a request path.
func (db *DB) VerifyCounts(ctx context.Context) error {
	return db.read(ctx, func(t *tx) error {
		want := countDeltas{}
		rows, err := t.query(ctx, `SELECT agency_id, status, trafficking_status, gender, age_group, COALESCE(reg_year, 0),
			exploitation_country, citizenship, exploitation FROM cases`)
		if err != nil {
			return classify(err, "verifying counts")
		}
		for rows.Next() {
			var k countKey
			var country, cit, expl string
			if err := rows.Scan(&k.agencyID, &k.status, &k.tstatus, &k.gender, &k.ageGroup, &k.year, &country, &cit, &expl); err != nil {
				rows.Close()
				return classify(err, "verifying counts")
			}
			want[k]++
			for dim, list := range map[string]string{"citizenship": cit, "exploitation": expl, "country": country} {
				if list == "" {
					continue
				}
				for _, v := range strings.Split(list, ";") {
					kk := k
					kk.dim, kk.value = dim, v
					want[kk]++
				}
			}
		}
		rows.Close()
		rows, err = t.query(ctx, `SELECT dim, value, agency_id, status, trafficking_status, gender, age_group, reg_year, n FROM case_counts`)
		if err != nil {
			return classify(err, "verifying counts")
		}
		defer rows.Close()
		got := countDeltas{}
		for rows.Next() {
			var k countKey
			var n int64
			if err := rows.Scan(&k.dim, &k.value, &k.agencyID, &k.status, &k.tstatus, &k.gender, &k.ageGroup, &k.year, &n); err != nil {
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
