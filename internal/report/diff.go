// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"encoding/json"
	"slices"

	"vigie/internal/domain"
)

// Figures flattens a report into its figures by key: "table|row|col" for
// a cell, with All for the totals ("table|row|*", "table|*|col",
// "table|*|*").
func (r *Report) Figures() map[string]int64 {
	out := map[string]int64{}
	for _, t := range r.Tables {
		for i, rk := range t.RowKeys {
			for j, ck := range t.ColKeys {
				out[t.ID+"|"+rk+"|"+ck] = t.Cells[i][j]
			}
			out[t.ID+"|"+rk+"|"+All] = t.RowTotals[i]
		}
		for j, ck := range t.ColKeys {
			if t.ColTotals != nil {
				out[t.ID+"|"+All+"|"+ck] = t.ColTotals[j]
			}
		}
		if t.ColTotals != nil {
			out[t.ID+"|"+All+"|"+All] = t.Total
		}
	}
	return out
}

// Change is a figure that differs between a locked version and now.
type Change struct {
	Key string `json:"key"` // table|row|col
	Old int64  `json:"old"`
	New int64  `json:"new"`
}

// Diff lists the figures of now that differ from locked (a figure absent
// from one side counts as zero), sorted by key.
func Diff(locked, now *Report) []Change {
	a, b := locked.Figures(), now.Figures()
	var out []Change
	for k, n := range b {
		if a[k] != n {
			out = append(out, Change{k, a[k], n})
		}
	}
	for k, n := range a {
		if _, ok := b[k]; !ok && n != 0 {
			out = append(out, Change{k, n, 0})
		}
	}
	slices.SortFunc(out, func(x, y Change) int {
		switch {
		case x.Key < y.Key:
			return -1
		case x.Key > y.Key:
			return 1
		}
		return 0
	})
	return out
}

// Encode is the report as a locked version keeps it.
func (r *Report) Encode() ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "encoding the report")
	}
	return b, nil
}

// Decode reads a locked version's report.
func Decode(b []byte) (*Report, error) {
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "reading a locked report")
	}
	return &r, nil
}
