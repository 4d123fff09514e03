// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"vigie/internal/domain"
)

// sortSpec says how a list sort maps to SQL: the column compared by the
// cursor (always followed by id as the tie-breaker).
type sortSpec struct {
	col    string // "" when id alone orders
	desc   bool
	unique bool // col is unique: it orders alone
}

var sorts = map[string]sortSpec{
	"-created":    {"", true, false},
	"created":     {"", false, false},
	"-updated":    {"c.updated_at", true, false},
	"updated":     {"c.updated_at", false, false},
	"-registered": {"c.reg_key", true, false},
	"registered":  {"c.reg_key", false, false},
	"number":      {"c.number", false, true},
	"-number":     {"c.number", true, true},
}

// cursor is the position after the last row of a page, in the list of one
// sort and one filter (a digest of it), so that a cursor sent with another
// filter is refused rather than starting that list at a foreign position.
type cursor struct {
	Sort   string `json:"s"`
	Key    string `json:"k,omitempty"`
	ID     string `json:"i"`
	Filter string `json:"f,omitempty"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CaseCursor is the next_cursor FindCases gives after the case of this
// sort key (in the cursor's text form) and ID in f's list, for a benchmark
// that times the page after a chosen case.
func CaseCursor(f domain.CaseFilter, key, id string) string {
	_ = f.Validate() // the sort's default, as FindCases sees it
	return encodeCursor(cursor{Sort: f.Sort, Key: key, ID: id, Filter: filterDigest(f)})
}

// filterDigest identifies the list a cursor belongs to: the validated
// filter without its cursor and page size (a client may change the page
// size between pages).
func filterDigest(f domain.CaseFilter) string {
	f.Cursor, f.Limit = "", 0
	return digestOf(f)
}

// digestOf is a short digest of v's JSON.
func digestOf(v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

// decodeCursor reads a cursor of the list of this sort and filter digest
// ("" for lists that bind no filter).
func decodeCursor(s, sort, digest string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Sort != sort || !isUUID(c.ID) || c.Filter != digest || !cursorKeyValid(sorts[sort], c.Key) {
		return c, &domain.Error{Kind: domain.KindInvalid, Message: "invalid data", Fields: []domain.FieldError{{
			Field: "cursor", Code: "validation.cursor", Message: "is not a cursor of this list (it must come from next_cursor of the same sort and filters); start again without it"}}}
	}
	return c, nil
}

// cursorKeyValid reports whether key can be compared with the sort's
// column: the update sorts compare a time, which PostgreSQL refuses to
// read from any other text (the text columns compare any string).
func cursorKeyValid(spec sortSpec, key string) bool {
	if spec.col != "c.updated_at" {
		return true
	}
	_, err := time.Parse(timeLayout, key)
	return err == nil
}

// filterClause builds the filter's WHERE clause (without the cursor).
//
// walk asks for a plan that walks the sort order's index and tests each
// row, instead of collecting every match through a filter's index and
// sorting them: much faster when matches are many (FindCases decides).
// SQLite's planner, even with statistics, prefers the filter index, so its
// index use is switched off on the filter terms with a unary "+";
// PostgreSQL's cost-based planner chooses well by itself.
func filterClause(t *tx, f *domain.CaseFilter, agencyID string, walk bool) (string, []any) {
	return filterTerms(t, f, agencyID, walk, walk, false, nil)
}

// filterTerms is filterClause; regScoped leaves out the reg_key range of a
// year filter, which a list sorted by registration puts in its scope
// instead (see listScope), with the cursor. idCursor, the cursor of a
// creation sort, also bounds the link tables' case_id, so that a plan that
// merges their (value, case_id) index with the cases starts at the cursor
// instead of reading the value's entries from the start.
//
// rowCountry tests the country of exploitation on the case's own list
// (the row) rather than through the link table: for a walk, and on
// PostgreSQL for a common country (see rowCountryTest).
func filterTerms(t *tx, f *domain.CaseFilter, agencyID string, walk, rowCountry, regScoped bool, idCursor []any) (string, []any) {
	var conds []string
	var args []any
	col := func(name string) string {
		// The sort column's own index must stay usable: a range on it
		// becomes the start and end of the walk.
		if walk && t.d == sqliteDialect && name != sorts[f.Sort].col {
			return "+" + name
		}
		return name
	}
	eq := func(name, v string) {
		if v != "" {
			conds = append(conds, col(name)+" = ?")
			args = append(args, v)
		}
	}
	multi := func(table, column, v string) {
		if v == "" {
			return
		}
		if walk {
			// A scalar subquery, not EXISTS: SQLite turns EXISTS into a
			// join that first reads every link row of the value (a Bloom
			// filter), which costs more than the walk it should speed up.
			conds = append(conds, "(SELECT 1 FROM "+table+" x WHERE x.case_id = c.id AND x."+column+" = ? LIMIT 1) IS NOT NULL")
			args = append(args, v)
			return
		}
		if len(idCursor) == 2 {
			conds = append(conds, "c.id IN (SELECT case_id FROM "+table+" WHERE "+column+" = ? AND case_id "+idCursor[0].(string)+" ?)")
			args = append(args, v, idCursor[1])
			return
		}
		conds = append(conds, "c.id IN (SELECT case_id FROM "+table+" WHERE "+column+" = ?)")
		args = append(args, v)
	}
	if f.Agency != "" {
		conds = append(conds, col("c.agency_id")+" = ?")
		args = append(args, agencyID)
	}
	eq("c.status", f.Status)
	eq("c.trafficking_status", f.TraffickingStatus)
	eq("c.gender", f.Gender)
	eq("c.age_group", f.AgeGroup)
	eq("c.age_band", f.AgeBand)
	eq("c.situation_id", f.SituationID)
	eq("c.province", f.Province)
	multi("case_exploitation", "type", f.Exploitation)
	multi("case_citizenships", "country", f.Citizenship)
	switch {
	case f.ExploitationCountry == "":
	case rowCountry:
		// The row's own list (most cases have one country: the equality
		// decides) rather than a probe of the link table for every row
		// a walk passes, which cost twice as much: 40 ms instead of
		// under 20 for country=US sorted by number, which passes the
		// CTDC cases first. Country codes hold no LIKE wildcard.
		// (Each column name is followed by a space: boundedWalkQuery
		// renames them so.)
		c := col("c.exploitation_country")
		conds = append(conds, "("+c+" = ? OR ("+c+" LIKE '%;%' AND ';' || "+c+" || ';' LIKE ?))")
		args = append(args, f.ExploitationCountry, "%;"+f.ExploitationCountry+";%")
	default:
		multi("case_exploitation_countries", "country", f.ExploitationCountry)
	}
	// Years are also a range of reg_key (which starts with the year), so
	// that a list sorted by registration seeks to the first year.
	if f.YearFrom != 0 {
		conds = append(conds, col("c.reg_year")+" >= ?")
		args = append(args, f.YearFrom)
		if k, ok := yearKey(f.YearFrom); ok && !regScoped {
			conds = append(conds, col("c.reg_key")+" >= ?")
			args = append(args, k)
		}
	}
	if f.YearTo != 0 {
		conds = append(conds, col("c.reg_year")+" <= ?")
		args = append(args, f.YearTo)
		if k, ok := yearKey(f.YearTo + 1); ok && !regScoped {
			conds = append(conds, col("c.reg_key")+" < ?")
			args = append(args, k)
		}
	}
	// Registration dates are compared through reg_key, which is indexed
	// (it holds the date when known; year-only records are left out by
	// reg_date IS NOT NULL).
	if !f.RegisteredFrom.IsZero() || !f.RegisteredTo.IsZero() {
		conds = append(conds, "c.reg_date IS NOT NULL")
	}
	if !f.RegisteredFrom.IsZero() {
		conds = append(conds, col("c.reg_key")+" >= ?")
		args = append(args, f.RegisteredFrom.String())
	}
	if !f.RegisteredTo.IsZero() {
		conds = append(conds, col("c.reg_key")+" <= ?")
		args = append(args, f.RegisteredTo.String())
	}
	if !f.UpdatedFrom.IsZero() {
		conds = append(conds, col("c.updated_at")+" >= ?")
		args = append(args, t.d.ts(f.UpdatedFrom))
	}
	if !f.UpdatedTo.IsZero() {
		conds = append(conds, col("c.updated_at")+" < ?")
		args = append(args, t.d.ts(f.UpdatedTo))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// yearKey is the start of the reg_key range of year y, when y has four
// digits: keys are compared as text, so "5" or "100000" would cut the
// range wrongly (year_from=5 listed no case of 2015, year_to=99999 none
// at all, under a total that counted them). Other years bound reg_year
// only.
func yearKey(y int) (string, bool) {
	if y < 1000 || y > 9999 {
		return "", false
	}
	return strconv.Itoa(y), true
}

// FindCases returns one page of case summaries and the total number of
// cases that match the filter.
func (db *DB) FindCases(ctx context.Context, f domain.CaseFilter) (*domain.CasePage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	spec := sorts[f.Sort]
	digest := filterDigest(f)
	var cur *cursor
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, f.Sort, digest)
		if err != nil {
			return nil, err
		}
		cur = &c
	}
	page := &domain.CasePage{Items: []domain.CaseSummary{}}
	err := db.read(ctx, func(t *tx) error {
		if t.d == postgresDialect {
			// pgx prepares and caches each statement; after five runs
			// PostgreSQL may plan it once for any values, and that generic
			// plan does not know which agency or year range it serves:
			// measured, it sorted the 25,552 matches of an agency and two
			// years (40–60 ms) where the plan for the values walks an index
			// (0.1 ms). A list is planned for its values, every time.
			if _, err := t.exec(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
				return classify(err, "listing cases")
			}
		}
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
		plan, err := planList(ctx, t, &f, aid, spec, cur)
		if err != nil {
			return err
		}
		page.Total = plan.total
		items, keys, cut, err := runArms(ctx, t, &plan, spec, f.Limit+1)
		if err != nil {
			return err
		}
		if cut {
			if items, keys, err = runPage(ctx, t, collectPlan(t, &f, aid, spec, cur)); err != nil {
				return err
			}
		}
		if plan.periods.SQL != "" {
			got, gk, err := runPage(ctx, t, plan.periods)
			if err != nil {
				return err
			}
			items, keys = mergeSorted(items, keys, got, gk, spec.desc, f.Limit+1)
		}
		codes, err := agencyCodes(ctx, t)
		if err != nil {
			return err
		}
		if len(items) > f.Limit {
			items, keys = items[:f.Limit], keys[:f.Limit]
			last := items[len(items)-1]
			page.NextCursor = encodeCursor(cursor{Sort: f.Sort, Key: keys[len(keys)-1], ID: last.ID, Filter: digest})
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

// ListQuery is one SQL statement of a list, as FindCases sends it (before
// placeholder rewriting).
type ListQuery struct {
	Name string // "count" or "page"
	SQL  string
	Args []any
}

type listPlan struct {
	total int64
	count ListQuery
	// arms are the page's statements, in the sort order: their rows
	// follow one another (one statement, or one per agency range of a
	// number sort; see case_list_ranges.go).
	arms []arm
	// moved, when its SQL is set, is the statement of the matches the
	// ranges of a number sort miss, merged in by number.
	moved ListQuery
	walk  bool
	// periodCount and periods, when their SQL is set, count and list
	// the cases registered with a span inside the filter's years (see
	// case_list_periods.go), merged into the page in the sort order.
	periodCount, periods ListQuery
	// rowCountry: the page tests the country of exploitation on the
	// row (PostgreSQL, a common country).
	rowCountry bool
	bound      int
}

// runArms runs the page's statements in order until limit rows are read,
// then merges in the moved cases. cut reports that a walk stopped at its
// bound before the page was full: the page must be collected instead.
func runArms(ctx context.Context, t *tx, plan *listPlan, spec sortSpec, limit int) (items []domain.CaseSummary, keys []string, cut bool, err error) {
	for _, a := range plan.arms {
		got, gk, err := runPage(ctx, t, a.page)
		if err != nil {
			return nil, nil, false, err
		}
		items, keys = append(items, got...), append(keys, gk...)
		if len(items) >= limit {
			items, keys = items[:limit], keys[:limit]
			break
		}
		if plan.walk && len(got) < limit {
			// A short arm: its end, or the walk's bound.
			if cut, err := boundReached(ctx, t, spec, a.scope, plan.bound); err != nil || cut {
				return nil, nil, cut, err
			}
		}
	}
	if plan.moved.SQL != "" {
		got, gk, err := runPage(ctx, t, plan.moved)
		if err != nil {
			return nil, nil, false, err
		}
		items, keys = mergeSorted(items, keys, got, gk, spec.desc, limit)
	}
	return items, keys, false, nil
}

// planList counts the matches (from the cube when it can) and builds the
// page query for that number of matches.
func planList(ctx context.Context, t *tx, f *domain.CaseFilter, aid string, spec sortSpec, cur *cursor) (listPlan, error) {
	var p listPlan
	q, args, cube := cubeCountQuery(f, aid)
	if !cube {
		where, wargs := filterClause(t, f, aid, false)
		q, args = `SELECT count(*) FROM cases c`+where, wargs
	}
	p.count = ListQuery{"count", q, args}
	var years map[int]int64 // matches per registration year, from the cube
	if cube {
		var err error
		if years, err = cubeYears(ctx, t, q, args); err != nil {
			return p, err
		}
		for _, n := range years {
			p.total += n
		}
	} else if err := t.queryRow(ctx, q, args...).Scan(&p.total); err != nil {
		return p, classify(err, "counting cases")
	}
	if c, pg, ok := periodQueries(t, f, aid, spec, cur); ok {
		var n int64
		if err := t.queryRow(ctx, c.SQL, c.Args...).Scan(&n); err != nil {
			return p, classify(err, "counting cases")
		}
		p.periodCount = c
		if n > 0 {
			p.total += n
			p.periods = pg
		}
	}
	dom, collect, err := chooseDomain(ctx, t, f, aid, spec, p.total)
	if err != nil {
		return p, err
	}
	walk, err := shouldWalk(ctx, t, p.total, f.Limit, dom.n)
	if err != nil {
		return p, err
	}
	p.walk = walk
	if p.rowCountry, err = rowCountryTest(ctx, t, f); err != nil {
		return p, err
	}
	// The walk may read as many rows as the fallback would (the matches,
	// or the cases of the filter value whose index the fallback reads
	// when there are more: three common filters whose combination is
	// rare), so that a bad walk costs at most about twice the better plan.
	p.bound = t.db.walkBound
	if p.bound >= defaultWalkBound {
		p.bound = int(max(int64(p.bound), p.total, collect))
	}
	if !walk {
		dom = walkDomain{}
	}
	codes, err := useNumberArms(ctx, t, f, spec, walk, p.total)
	if err != nil {
		return p, err
	}
	scopes := []scope{listScope(t, f, aid, spec, cur, years, dom, walk)}
	if codes != nil {
		scopes = scopes[:0]
		for _, r := range numberRanges(f, codes, spec.desc) {
			if s, ok := rangeScope(r, spec, cur); ok {
				scopes = append(scopes, s)
			}
		}
		if f.YearFrom != 0 || f.YearTo != 0 {
			p.moved = movedArm(t, f, aid, spec, cur)
		}
	}
	// A range of numbers holds one agency's cases of the years' numbers:
	// the agency and the years' reg_key range (which the registration
	// year implies) are not tested again. PostgreSQL multiplied their
	// selectivities with the range's, expected 283 of CTDC's 25,552 Active
	// cases of 2015–2016 and sorted them all instead of reading the range.
	g, gaid, regScoped := *f, aid, spec.col == "c.reg_key"
	if codes != nil {
		g.Agency, gaid, regScoped = "", "", true
	}
	for _, sc := range scopes {
		if walk {
			// The domain's own filter is the scope's condition: the walk
			// does not test it again.
			g := dom.without(&g)
			where, wargs := filterTerms(t, &g, gaid, walk, walk, regScoped, nil)
			q, args = boundedWalkQuery(where, wargs, walkColumns(&g, gaid, spec), dom, spec, sc, f.Limit+1, p.bound)
		} else {
			where, wargs := filterTerms(t, &g, gaid, walk, p.rowCountry, regScoped, idCursor(spec, cur))
			q, args = pageQuery(where, wargs, spec, sc, f.Limit+1)
		}
		p.arms = append(p.arms, arm{ListQuery{"page", q, args}, sc})
	}
	return p, nil
}

// cubeYears runs a cubeCountQuery: the matches per registration year
// (0 = unknown), without the years that have none.
func cubeYears(ctx context.Context, t *tx, q string, args []any) (map[int]int64, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, classify(err, "counting cases")
	}
	defer rows.Close()
	years := map[int]int64{}
	for rows.Next() {
		var y int
		var n int64
		if err := rows.Scan(&y, &n); err != nil {
			return nil, classify(err, "counting cases")
		}
		if n != 0 {
			years[y] = n
		}
	}
	return years, classify(rows.Err(), "counting cases")
}

// scope is where a page's rows lie along the sort order: after the
// cursor, within the agency's own index range, within the registration
// years that hold matches. Its conditions are ranges of the index that
// orders the page, so they start (and end) the walk instead of filtering
// the rows it reads; they never leave out a match.
type scope struct {
	conds []string
	args  []any
	// link is the link table ("case_citizenships x") whose index
	// (value, case_id) a walk in creation order reads instead of the
	// cases (the domain of a multi-valued filter); its conditions name
	// x.case_id instead of c.id.
	link string
}

func (s *scope) add(cond string, args ...any) {
	s.conds = append(s.conds, cond)
	s.args = append(s.args, args...)
}

// listScope builds the scope of a page. walk says that the page walks the
// sort's index (SQLite); on SQLite a page that collects its matches keeps
// the cursor (and a year filter's range) only, so that the filter indexes
// stay the planner's choice.
func listScope(t *tx, f *domain.CaseFilter, aid string, spec sortSpec, cur *cursor, years map[int]int64, dom walkDomain, walk bool) scope {
	var s scope
	wide := walk || t.d != sqliteDialect
	switch {
	case dom.link != "":
		s.link = dom.link + " x"
		s.add("x."+dom.linkCol+" = ?", dom.arg)
		if c, a := cursorClause(spec, cur); c != "" {
			s.add(strings.Replace(c, "c.id", "x.case_id", 1), a...)
		}
		return s
	case dom.col != "" && dom.col != "c.agency_id":
		// (col, id) orders the filter's cases by creation.
		s.add(dom.col+" = ?", dom.arg)
	}
	if aid != "" && wide {
		switch {
		case spec.col == "c.number":
			// Numbers are AGENCY-YEAR-SEQ: the agency's own range of the
			// number index (the agency test stays: the range is a seek).
			// On the cursor's side only the tighter of the range's end
			// and the cursor is written, as for registration below.
			lo, hi := f.Agency+"-", f.Agency+"."
			switch {
			case cur == nil:
				s.add("c.number >= ?", lo)
				s.add("c.number < ?", hi)
			case spec.desc && cur.Key <= hi:
				s.add("c.number >= ?", lo)
				s.add("c.number < ?", cur.Key)
			case spec.desc:
				s.add("c.number >= ?", lo)
				s.add("c.number < ?", hi)
			case cur.Key >= lo:
				s.add("c.number > ?", cur.Key)
				s.add("c.number < ?", hi)
			default:
				s.add("c.number >= ?", lo)
				s.add("c.number < ?", hi)
			}
			if walk && t.d == sqliteDialect {
				s.add("+c.agency_id = ?", aid)
			}
			return s
		case dom.col == "c.agency_id":
			// (agency_id, id), (agency_id, updated_at, id) and
			// (agency_id, reg_key, id) order the agency's cases.
			s.add("c.agency_id = ?", aid)
		}
	}
	if spec.col != "c.reg_key" {
		if c, a := cursorClause(spec, cur); c != "" {
			s.add(c, a...)
		}
		return s
	}
	// Sorted by registration: reg_key starts with the registration year
	// (it is the date, or the year alone; an unknown year gives the
	// period or ""), so years bound it. The first is a year filter's;
	// the tighter is the cube's first and last year with matches, usable
	// when no match has an unknown year.
	var lo, hi string // reg_key >= lo, reg_key < hi
	if k, ok := yearKey(f.YearFrom); ok {
		lo = k
	}
	if k, ok := yearKey(f.YearTo + 1); ok && f.YearTo != 0 {
		hi = k
	}
	if wide && len(years) > 0 && years[0] == 0 {
		first, last := 0, 0
		for y := range years {
			if first == 0 || y < first {
				first = y
			}
			last = max(last, y)
		}
		if k := strconv.Itoa(first); k > lo {
			lo = k
		}
		if k := strconv.Itoa(last + 1); hi == "" || k < hi {
			hi = k
		}
	}
	// The cursor and the bound on its side: only the larger (ascending;
	// the smaller descending) is written, since it implies the other, so
	// that SQLite seeks to it rather than to the bound that comes first.
	start, end, startOp, endOp := lo, hi, ">=", "<"
	if spec.desc {
		start, end, startOp, endOp = hi, lo, "<", ">="
	}
	switch {
	case cur != nil && (start == "" || (!spec.desc && cur.Key >= start) || (spec.desc && cur.Key < start)):
		c, a := cursorClause(spec, cur)
		s.add(c, a...)
	case start != "":
		s.add("c.reg_key "+startOp+" ?", start)
	}
	if end != "" {
		s.add("c.reg_key "+endOp+" ?", end)
	}
	return s
}

// rowCountryTest reports whether PostgreSQL's page should test a country
// of exploitation on the case's own list: when the country is common
// enough that walking the sort's index finds a page sooner than joining
// the country's link rows (the rule of shouldWalk, on the country's own
// cases). PostgreSQL hash-joined the 238,635 link rows of US before
// walking the number index (32–36 ms for page 1 at 1M cases); a rare
// country keeps the link table's index. SQLite decides by its walk.
func rowCountryTest(ctx context.Context, t *tx, f *domain.CaseFilter) (bool, error) {
	if t.d != postgresDialect || f.ExploitationCountry == "" {
		return false, nil
	}
	var n int64
	var all float64
	err := t.queryRow(ctx, `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_counts WHERE dim = ? AND value = ?`, dimCountry, f.ExploitationCountry).Scan(&n)
	if err != nil {
		return false, classify(err, "sizing the list")
	}
	// The planner's own estimate of the table's rows: no count.
	if err := t.queryRow(ctx, `SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = 'cases'::regclass`).Scan(&all); err != nil {
		return false, classify(err, "sizing the list")
	}
	return float64(n)*float64(n) >= float64(f.Limit+1)*all && all > 0, nil
}

// walkDomain is where a walk on SQLite reads its rows, in the sort order:
// every case (the sort's own index), or the cases of one filter's value
// through an index that orders them the same way — an agency's indexes,
// which end with every sort column but the number; for the creation
// sorts, an equality filter's (col, id) index or a multi-valued filter's
// (value, case_id) link index. The walk then passes only the cases of
// that value, not every case: citizenship=UA newest first reads UA's
// link entries instead of the 23,000 newest cases, of which a few hold UA.
type walkDomain struct {
	col     string // "c.agency_id", "c.gender", …: the scope adds col = arg
	link    string // or a link table and its value column: case_citizenships, country
	linkCol string
	arg     any
	n       int64 // cases in the domain; 0 = every case
}

// without returns f without the domain's own filter, which the walk's
// scope holds. The agency stays (the number sort's scope is a range of
// numbers, not of the agency).
func (d walkDomain) without(f *domain.CaseFilter) domain.CaseFilter {
	g := *f
	switch d.col + d.link {
	case "c.status":
		g.Status = ""
	case "c.gender":
		g.Gender = ""
	case "c.age_group":
		g.AgeGroup = ""
	case "case_exploitation_countries":
		g.ExploitationCountry = ""
	case "case_citizenships":
		g.Citizenship = ""
	case "case_exploitation":
		g.Exploitation = ""
	}
	return g
}

// chooseDomain picks the walk's domain with the fewest cases, counted by
// the cube (SQLite only: PostgreSQL's planner chooses its own path).
// collect is the fewest cases of any one filter value with an index
// (whatever the sort): about what collecting the matches reads at least.
func chooseDomain(ctx context.Context, t *tx, f *domain.CaseFilter, aid string, spec sortSpec, total int64) (best walkDomain, collect int64, err error) {
	if t.d != sqliteDialect || total == 0 {
		return best, 0, nil
	}
	type candidate struct {
		d      walkDomain
		q      string
		qargs  []any
		orders bool // the filter's index orders its cases as the sort does
	}
	base := `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_counts WHERE dim = '' AND value = '' AND `
	dim := `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_counts WHERE dim = ? AND value = ?`
	creation := spec.col == ""
	var cands []candidate
	add := func(c candidate, used bool) {
		if used {
			cands = append(cands, c)
		}
	}
	add(candidate{walkDomain{col: "c.agency_id", arg: aid}, base + "agency_id = ?", []any{aid}, true}, aid != "")
	add(candidate{walkDomain{col: "c.status", arg: f.Status}, base + "status = ?", []any{f.Status}, creation}, f.Status != "")
	add(candidate{walkDomain{col: "c.gender", arg: f.Gender}, base + "gender = ?", []any{f.Gender}, creation}, f.Gender != "")
	add(candidate{walkDomain{col: "c.age_group", arg: f.AgeGroup}, base + "age_group = ?", []any{f.AgeGroup}, creation}, f.AgeGroup != "")
	add(candidate{walkDomain{link: "case_exploitation_countries", linkCol: "country", arg: f.ExploitationCountry}, dim, []any{dimCountry, f.ExploitationCountry}, creation}, f.ExploitationCountry != "")
	add(candidate{walkDomain{link: "case_citizenships", linkCol: "country", arg: f.Citizenship}, dim, []any{dimCitizenship, f.Citizenship}, creation}, f.Citizenship != "")
	add(candidate{walkDomain{link: "case_exploitation", linkCol: "type", arg: f.Exploitation}, dim, []any{dimExploitation, f.Exploitation}, creation}, f.Exploitation != "")
	for _, c := range cands {
		if err := t.queryRow(ctx, c.q, c.qargs...).Scan(&c.d.n); err != nil {
			return best, 0, classify(err, "sizing the list")
		}
		if collect == 0 || c.d.n < collect {
			collect = c.d.n
		}
		if c.orders && (best.n == 0 || c.d.n < best.n) {
			best = c.d
		}
	}
	return best, collect, nil
}

// collectPlan is the page query that collects every match through the
// filter indexes and sorts them: the fallback of a bounded walk.
func collectPlan(t *tx, f *domain.CaseFilter, aid string, spec sortSpec, cur *cursor) ListQuery {
	where, wargs := filterTerms(t, f, aid, false, false, spec.col == "c.reg_key", idCursor(spec, cur))
	q, args := pageQuery(where, wargs, spec, listScope(t, f, aid, spec, cur, nil, walkDomain{}, false), f.Limit+1)
	return ListQuery{"page", q, args}
}

// ListQueries returns the statements FindCases runs for f, rewritten for
// the database, so that a benchmark can EXPLAIN exactly them: "count",
// "page" (several for a number sort read in ranges, in the order they run,
// then the moved cases' statement; FindCases stops at the one that fills
// the page), and "collect", the page that collects every match through
// the filter indexes and sorts them (a bounded walk's fallback; it reads
// every match, wherever the walk's bound stops).
func (db *DB) ListQueries(ctx context.Context, f domain.CaseFilter) ([]ListQuery, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var cur *cursor
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, f.Sort, filterDigest(f))
		if err != nil {
			return nil, err
		}
		cur = &c
	}
	var out []ListQuery
	err := db.read(ctx, func(t *tx) error {
		var aid string
		if f.Agency != "" {
			var err error
			if aid, err = agencyID(ctx, t, f.Agency); err != nil {
				return err
			}
		}
		p, err := planList(ctx, t, &f, aid, sorts[f.Sort], cur)
		collect := collectPlan(t, &f, aid, sorts[f.Sort], cur)
		collect.Name = "collect"
		qs := []ListQuery{p.count}
		for _, a := range p.arms {
			qs = append(qs, a.page)
		}
		if p.moved.SQL != "" {
			qs = append(qs, p.moved)
		}
		if p.periodCount.SQL != "" {
			// Listed whether or not the database holds a span now.
			_, pg, _ := periodQueries(t, &f, aid, sorts[f.Sort], cur)
			qs = append(qs, p.periodCount, pg)
		}
		for _, q := range append(qs, collect) {
			q.SQL = t.d.rebind(q.SQL)
			out = append(out, q)
		}
		return err
	})
	return out, err
}

// shouldWalk decides between the two plans of a page: walking the sort
// index until the page is full visits about limit×all/matches rows;
// collecting the matches and sorting them visits about matches rows. The
// two are equal when matches² = limit×all. all is the cases of the walk's
// domain (see walkDomain), or every case when domain is 0.
func shouldWalk(ctx context.Context, t *tx, matches int64, limit int, domain int64) (bool, error) {
	if t.d != sqliteDialect || matches == 0 {
		return false, nil
	}
	all := domain
	if all == 0 {
		// max(rowid) is an O(log n) stand-in for the number of cases.
		if err := t.queryRow(ctx, `SELECT COALESCE(max(rowid), 0) FROM cases`).Scan(&all); err != nil {
			return false, classify(err, "sizing the list")
		}
	}
	return float64(matches)*float64(matches) >= float64(limit+1)*float64(all), nil
}

const summaryColumns = `c.id, c.agency_id, c.number, c.status, c.trafficking_status, c.gender, c.age_group, c.age_band,
	c.citizenship, c.exploitation, c.exploitation_country, c.reg_year, c.reg_date, c.version, c.created_at, c.updated_at, c.province, c.reg_key`

// walkSummary is summaryColumns read from cs, the cases a walk's page
// joins again by id once its rows are found.
var walkSummary = strings.ReplaceAll(summaryColumns, "c.", "cs.")

func pageQuery(where string, args []any, spec sortSpec, sc scope, limit int) (string, []any) {
	keyCol := spec.col
	if keyCol == "" {
		keyCol = "''"
	}
	q := `SELECT ` + summaryColumns + `, ` + keyCol + ` FROM cases c` + where
	args = append([]any{}, args...)
	if len(sc.conds) > 0 {
		if where != "" {
			q += " AND "
		} else {
			q += " WHERE "
		}
		q += strings.Join(sc.conds, " AND ")
		args = append(args, sc.args...)
	}
	q += orderBy(spec) + " LIMIT ?"
	return q, append(args, limit)
}

// boundedWalkQuery is the walk plan with a bound: it examines at most
// walkBound cases of the scope (after the cursor), in the sort order, so
// that a filter whose matches sit far down the order (a country that
// appears only in recent years, under an "oldest first" sort) cannot read
// half the table. FindCases falls back to the other plan when the bound
// cuts a page short.
//
// The walk reads the index that orders it, not the table: the inner
// query selects the id, the sort key and the domain's column, the
// link-table tests run on the id, and only the rows that pass them are
// read from the table (cs) for the tests of the other columns (cols) and
// the page. A walk that read every column of each case it passed took
// three times as long; gender+exploitation+citizenship PH by
// registration tests two link tables on ~31,000 index entries and reads
// the table for the few that hold both.
func boundedWalkQuery(where string, args []any, cols []string, dom walkDomain, spec sortSpec, sc scope, limit, bound int) (string, []any) {
	keyCol := spec.col
	if keyCol == "" {
		keyCol = "''"
	}
	inner, join := []string{"c.id"}, "cs.rowid = c.rid"
	if sc.link != "" {
		inner, join = []string{"x.case_id AS id"}, "cs.id = c.id"
	} else {
		inner = append(inner, "c.rowid AS rid")
	}
	for _, col := range cols {
		if col == spec.col || col == dom.col {
			inner = append(inner, col) // in the walk's index
			continue
		}
		where = strings.ReplaceAll(where, col+" ", "cs."+strings.TrimPrefix(col, "c.")+" ")
	}
	q := `SELECT ` + walkSummary + `, ` + keyCol + ` FROM (` + scopeRows(strings.Join(inner, ", "), sc, spec) + `) c CROSS JOIN cases cs ON ` + join +
		where + orderBy(spec) + " LIMIT ?"
	out := append(append([]any{}, sc.args...), bound)
	out = append(out, args...)
	return q, append(out, limit)
}

// walkColumns lists the columns of the cases a walk's filter terms and
// sort key read.
func walkColumns(f *domain.CaseFilter, aid string, spec sortSpec) []string {
	var cols []string
	add := func(col string, used bool) {
		if used && !slices.Contains(cols, col) {
			cols = append(cols, col)
		}
	}
	add(spec.col, spec.col != "")
	add("c.agency_id", aid != "")
	add("c.status", f.Status != "")
	add("c.trafficking_status", f.TraffickingStatus != "")
	add("c.gender", f.Gender != "")
	add("c.age_group", f.AgeGroup != "")
	add("c.age_band", f.AgeBand != "")
	add("c.exploitation_country", f.ExploitationCountry != "")
	add("c.situation_id", f.SituationID != "")
	add("c.province", f.Province != "")
	years := f.YearFrom != 0 || f.YearTo != 0
	dates := !f.RegisteredFrom.IsZero() || !f.RegisteredTo.IsZero()
	add("c.reg_year", years)
	add("c.reg_key", years || dates)
	add("c.reg_date", dates)
	add("c.updated_at", !f.UpdatedFrom.IsZero() || !f.UpdatedTo.IsZero())
	return cols
}

// scopeRows selects cols of the first rows of the scope in the sort
// order; the caller appends the bound as the last argument.
func scopeRows(cols string, sc scope, spec sortSpec) string {
	from, order := " FROM cases c", orderBy(spec)
	if sc.link != "" {
		from = " FROM " + sc.link
		order = strings.Replace(order, "c.id", "x.case_id", 1)
	}
	q := `SELECT ` + cols + from
	if len(sc.conds) > 0 {
		q += " WHERE " + strings.Join(sc.conds, " AND ")
	}
	return q + order + " LIMIT ?"
}

// defaultWalkBound is the least number of cases a bounded walk examines
// (about ten milliseconds of row reads); it grows to the number of
// matches. Tests lower DB.walkBound to force the fallback.
const defaultWalkBound = 5000

// boundReached reports whether at least bound cases lie in the scope,
// i.e. whether a short page from a bounded walk was cut by the bound
// rather than by the end of the list. It reads only an index.
func boundReached(ctx context.Context, t *tx, spec sortSpec, sc scope, bound int) (bool, error) {
	q := `SELECT count(*) FROM (` + scopeRows("1", sc, spec) + `) w`
	var n int
	if err := t.queryRow(ctx, q, append(append([]any{}, sc.args...), bound)...).Scan(&n); err != nil {
		return false, classify(err, "listing cases")
	}
	return n >= bound, nil
}

// idCursor is the comparison and id that start a page of a creation sort
// after its cursor (nil for other sorts, or without a cursor).
func idCursor(spec sortSpec, cur *cursor) []any {
	if cur == nil || spec.col != "" {
		return nil
	}
	if spec.desc {
		return []any{"<", cur.ID}
	}
	return []any{">", cur.ID}
}

// cursorClause is the condition that starts a page after the cursor.
func cursorClause(spec sortSpec, cur *cursor) (string, []any) {
	if cur == nil {
		return "", nil
	}
	cmp := ">"
	if spec.desc {
		cmp = "<"
	}
	switch {
	case spec.col == "":
		return "c.id " + cmp + " ?", []any{cur.ID}
	case spec.unique:
		return spec.col + " " + cmp + " ?", []any{cur.Key}
	}
	// A row value, which both databases turn into an index seek (the OR
	// form makes them read every row before the cursor).
	return "(" + spec.col + ", c.id) " + cmp + " (?, ?)", []any{cur.Key, cur.ID}
}

func orderBy(spec sortSpec) string {
	dir := " ASC"
	if spec.desc {
		dir = " DESC"
	}
	switch {
	case spec.col == "":
		return " ORDER BY c.id" + dir
	case spec.unique:
		// The column is unique: no tie-breaker, so its index alone orders.
		return " ORDER BY " + spec.col + dir
	}
	return " ORDER BY " + spec.col + dir + ", c.id" + dir
}

func runPage(ctx context.Context, t *tx, q ListQuery) ([]domain.CaseSummary, []string, error) {
	rows, err := t.query(ctx, q.SQL, q.Args...)
	if err != nil {
		return nil, nil, classify(err, "listing cases")
	}
	return scanSummaries(rows)
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
			countries        string
			regYear          *int64
			regDate          dbDate
			created, updated dbTime
			key              any
			regKey           *string
		)
		if err := rows.Scan(&s.ID, &s.Agency, &s.Number, &s.Status, &s.TraffickingStatus, &s.Gender, &s.AgeGroup, &s.AgeBand,
			&cit, &expl, &countries, &regYear, &regDate, &s.Version, &created, &updated, &s.Province, &regKey, &key); err != nil {
			return nil, nil, classify(err, "listing cases")
		}
		if cit != "" {
			s.Citizenship = strings.Split(cit, ";")
		}
		if expl != "" {
			s.TypeOfExploitation = strings.Split(expl, ";")
		}
		if countries != "" {
			s.ExploitationCountries = strings.Split(countries, ";")
			s.ExploitationCountry = s.ExploitationCountries[0]
		}
		if regYear != nil {
			s.RegistrationYear = int(*regYear)
		}
		s.RegistrationDate, s.CreatedAt, s.UpdatedAt = regDate.d, created.t, updated.t
		if regYear == nil && s.RegistrationDate.IsZero() && regKey != nil && spanCode(*regKey) != 0 {
			s.RegistrationPeriod = *regKey
		}
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
