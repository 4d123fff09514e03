// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import "strings"

// table writes a chart's numbers: a header row, then one row per label.
// It is what screen readers read and what shows when SVG does not.
// tabindex lets a keyboard scroll it when it is wider than the screen.
func table(b *strings.Builder, f *Figure, heads []string, rows []string, cells [][]int64) {
	b.WriteString(`<table class="chart-data" tabindex="0"><caption>` + esc(f.Title) + `</caption><thead><tr>`)
	for _, h := range heads {
		b.WriteString(`<th scope="col">` + esc(h) + `</th>`)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for i, r := range rows {
		b.WriteString(`<tr><th scope="row">` + esc(r) + `</th>`)
		for _, v := range cells[i] {
			b.WriteString(`<td class="num">` + esc(f.num(v)) + `</td>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
}

// Table writes the data table of a list of items, as the charts do
// after their SVG: a caption, the figure's column heads, a row per item.
func Table(f Figure, items []Item) string {
	var b strings.Builder
	itemTable(&b, &f, counts(items))
	return b.String()
}

// itemTable is the table of a list of items.
func itemTable(b *strings.Builder, f *Figure, items []Item) {
	rows := make([]string, len(items))
	cells := make([][]int64, len(items))
	for i, it := range items {
		rows[i], cells[i] = it.Label, []int64{it.Value}
	}
	table(b, f, []string{f.LabelHead, f.ValueHead}, rows, cells)
}
