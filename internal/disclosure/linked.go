// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"fmt"
	"strings"
)

// SuppressLinked suppresses the tables of one release together. Tables
// that share columns share margins: the citizenship totals of a
// citizenship × exploitation table are those of a citizenship × sex
// table, and every table shows the grand total. Suppressed one by one, a
// margin hidden in one table (a secondary suppression protecting a small
// cell) may be shown by the other, and the small cell is then worked out
// from the first table's rows. So a count hidden in one table is hidden
// in every table that holds it, and each table is suppressed again with
// those counts protected like its own small ones, until no table shows a
// count another hides (τ-ARGUS's approach to linked tables). Hiding only
// grows, so the rounds end.
func SuppressLinked(tables []*Table, threshold, protection int) ([]*Published, error) {
	forced := make([][]bool, len(tables))
	for i, t := range tables {
		forced[i] = make([]bool, len(t.Counts))
	}
	shared := linkedPositions(tables)
	pubs := make([]*Published, len(tables))
	for {
		for i, t := range tables {
			p, err := suppressForced(t, threshold, protection, forced[i])
			if err != nil {
				return nil, err
			}
			pubs[i] = p
		}
		changed := false
		for _, l := range shared {
			a, b := pubs[l.a].Status[l.pa].Hidden(), pubs[l.b].Status[l.pb].Hidden()
			if a && !b && !forced[l.b][l.pb] {
				forced[l.b][l.pb], changed = true, true
			}
			if b && !a && !forced[l.a][l.pa] {
				forced[l.a][l.pa], changed = true, true
			}
		}
		if !changed {
			break
		}
	}
	if bad := linkedShown(pubs, shared); bad != "" {
		return nil, fmt.Errorf("linked tables: %s", bad)
	}
	return pubs, nil
}

// link is one count held by two tables: position pa of table a and pb of
// table b.
type link struct{ a, pa, b, pb int }

// linkedPositions lists the counts two tables both hold: the margins over
// the columns they share (the grand total when they share none), matched
// by the values' labels. A value one table has and the other has not (a
// fixed domain without it) links nothing.
func linkedPositions(tables []*Table) []link {
	var out []link
	for a := range tables {
		for b := a + 1; b < len(tables); b++ {
			ta, tb := tables[a], tables[b]
			// The columns shared, as dimension indexes in each table.
			var da, db []int
			for i, d := range ta.Dims {
				for j, e := range tb.Dims {
					if d.Column == e.Column {
						da, db = append(da, i), append(db, j)
					}
				}
			}
			// Every position of a whose dimensions outside the shared ones
			// are Total, keyed by the labels of the shared ones.
			at := map[string]int{}
			for p := range ta.Counts {
				if k, ok := sharedKey(ta, p, da); ok {
					at[k] = p
				}
			}
			for p := range tb.Counts {
				if k, ok := sharedKey(tb, p, db); ok {
					if pa, ok := at[k]; ok {
						out = append(out, link{a, pa, b, p})
					}
				}
			}
		}
	}
	return out
}

// sharedKey is the labels of position p on the dimensions dims, if every
// other dimension of p is Total.
func sharedKey(t *Table, p int, dims []int) (string, bool) {
	key := t.Key(p)
	labels := make([]string, len(dims))
	for d, k := range key {
		i := -1
		for j, s := range dims {
			if s == d {
				i = j
			}
		}
		switch {
		case i < 0 && k != Total:
			return "", false
		case i >= 0 && k == Total:
			labels[i] = "\x00Total"
		case i >= 0:
			labels[i] = t.Dims[d].Values[k]
		}
	}
	return strings.Join(labels, "\x01"), true
}

// linkedShown describes a count one table hides and another shows, or
// is empty.
func linkedShown(pubs []*Published, shared []link) string {
	for _, l := range shared {
		if pubs[l.a].Status[l.pa].Hidden() != pubs[l.b].Status[l.pb].Hidden() {
			return fmt.Sprintf("%s %v and %s %v hold the same count, hidden in one only",
				pubs[l.a].Name, pubs[l.a].Labels(pubs[l.a].Key(l.pa)), pubs[l.b].Name, pubs[l.b].Labels(pubs[l.b].Key(l.pb)))
		}
	}
	return ""
}
