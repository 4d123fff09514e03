// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"slices"
	"strings"

	"vigie/internal/domain"
)

// tableDef is a victims' table: rows and columns over the cube.
type tableDef struct {
	id       string
	row, col *dim
	detail   bool
}

// victimTables are the victims' tables, in the report's order.
var victimTables = []tableDef{
	{id: "victims_sex_age", row: sexDim, col: ageGroupDim},
	{id: "victims_band_sex", row: ageBandDim, col: sexDim},
	{id: "victims_form_sex", row: exploitationDim, col: sexDim},
	{id: "victims_form_age", row: exploitationDim, col: ageGroupDim},
	{id: "victims_citizenship_sex", row: citizenshipDim, col: sexDim},
	{id: "victims_province_sex", row: provinceDim, col: sexDim},
	{id: "victims_province_nationality", row: provinceDim, col: nationalityDim},
	{id: "victims_identified_sex", row: identifiedDim, col: sexDim},
	{id: "victims_service_sex", row: serviceDim, col: sexDim},
	{id: "victims_repatriated_nationality", row: repatriatedDim, col: nationalityDim},
	{id: "victims_detail", row: detailDim, col: totalDim, detail: true},
}

// detailDim crosses sex, age group, form of exploitation, citizenship
// and province: one row per combination present, for the files.
var detailDim = composite("detail", "report.dim.detail", sexDim, ageGroupDim, exploitationDim, citizenshipDim, provinceDim)

// composite is the cross of several dims; its keys join theirs with "~".
func composite(id, heading string, parts ...*dim) *dim {
	d := &dim{id: id, heading: heading, parts: parts}
	for _, p := range parts {
		d.multi = d.multi || p.multi
	}
	d.keys = func(r *domain.CubeRow) []string {
		out := []string{""}
		for i, p := range parts {
			var next []string
			for _, prefix := range out {
				for _, k := range p.keys(r) {
					if i == 0 {
						next = append(next, k)
					} else {
						next = append(next, prefix+"~"+k)
					}
				}
			}
			out = next
		}
		return out
	}
	d.label = func(k string) Label {
		keys := strings.Split(k, "~")
		var texts []string
		for i, p := range parts {
			if i < len(keys) {
				texts = append(texts, encodeLabel(p.label(keys[i])))
			}
		}
		return Label{Text: strings.Join(texts, "\x1f"), Msg: "report.composite"}
	}
	d.cond = func(k string) cond {
		keys := strings.Split(k, "~")
		c := cond{}
		for i, p := range parts {
			if i < len(keys) {
				c = c.and(p.cond(keys[i]))
			}
		}
		return c
	}
	return d
}

// encodeLabel packs a part's label into a composite's text
// ("enum:field:value", "msg:id" or the text itself), unpacked when rendered.
func encodeLabel(l Label) string {
	switch {
	case l.Enum != "":
		return "enum:" + l.Enum + ":" + l.Text
	case l.Msg != "":
		return "msg:" + l.Msg
	}
	return l.Text
}

// build counts the cube into the table. Rows and columns are the dims'
// keys in their order (every one, even at zero, so that tables of two
// years compare line by line), then any other key met, sorted; a detail
// table lists only the combinations met.
func (def tableDef) build(cube []domain.CubeRow) *Table {
	t := &Table{ID: def.id, Section: "victims", RowDim: def.row.heading, ColDim: def.col.heading,
		Overlap: def.row.multi, Drill: true, Detail: def.detail, Unit: "report.unit.victims"}
	counts := map[[2]string]int64{}
	rowSeen, colTotals := map[string]bool{}, map[string]int64{}
	for i := range cube {
		row := &cube[i]
		t.Total += row.N
		cols := def.col.keys(row)
		for _, ck := range cols {
			colTotals[ck] += row.N
		}
		for _, rk := range def.row.keys(row) {
			rowSeen[rk] = true
			for _, ck := range cols {
				counts[[2]string{rk, ck}] += row.N
			}
		}
	}
	order := def.row.order
	if def.detail {
		order = nil
	}
	t.RowKeys = keysInOrder(order, rowSeen)
	colSeen := map[string]bool{}
	for k := range colTotals {
		colSeen[k] = true
	}
	t.ColKeys = keysInOrder(def.col.order, colSeen)
	t.Cells = make([][]int64, len(t.RowKeys))
	t.RowTotals = make([]int64, len(t.RowKeys))
	for r, rk := range t.RowKeys {
		t.Cells[r] = make([]int64, len(t.ColKeys))
		for c, ck := range t.ColKeys {
			n := counts[[2]string{rk, ck}]
			t.Cells[r][c] = n
			t.RowTotals[r] += n
		}
		t.Rows = append(t.Rows, def.row.label(rk))
	}
	t.ColTotals = make([]int64, len(t.ColKeys))
	for c, ck := range t.ColKeys {
		t.ColTotals[c] = colTotals[ck]
		t.Cols = append(t.Cols, def.col.label(ck))
	}
	return t
}

// keysInOrder is order, then the other seen keys sorted.
func keysInOrder(order []string, seen map[string]bool) []string {
	out := slices.Clone(order)
	var extra []string
	for k := range seen {
		if !slices.Contains(order, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}
