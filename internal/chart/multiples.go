// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"html/template"
	"math"
	"strings"
)

// Panel is one small chart of a set: a series over the same periods as
// the others.
type Panel struct {
	Label string
	Items []Item
}

// SmallMultiples draws one small time series per panel, in a grid, all on
// the same value scale so that their heights compare. The table has a row
// per period and a column per panel; periods are the first panel's labels.
func SmallMultiples(f Figure, panels []Panel) template.HTML {
	if len(panels) == 0 {
		return empty(&f)
	}
	panels = append([]Panel(nil), panels...)
	for i := range panels {
		panels[i].Items = counts(panels[i].Items)
	}
	var max float64
	for _, p := range panels {
		for _, it := range p.Items {
			max = math.Max(max, nonNeg(it.Value))
		}
	}
	const cols = 3
	const cellH = 130.0
	cellW := width / cols
	rows := (len(panels) + cols - 1) / cols
	var b strings.Builder
	open(&b, &f, width, float64(rows)*cellH)
	for i, pn := range panels {
		x, y := float64(i%cols)*cellW, float64(i/cols)*cellH
		text(&b, x+pad, y+14, "", clip(pn.Label, cellW-2*pad, 12), ` font-weight="bold"`)
		if len(pn.Items) == 0 {
			continue
		}
		p := newPlot(&f, x, y+20, cellW, cellH-20, max, 10, 2)
		p.axes(&b, &f, 10)
		p.series(&b, &f, pn.Items, barFill, false)
		first, last := pn.Items[0], pn.Items[len(pn.Items)-1]
		text(&b, p.x0, p.y0+p.h+14, "start", first.Label, ` fill="`+muted+`" font-size="10"`)
		if len(pn.Items) > 1 {
			text(&b, p.x0+p.w, p.y0+p.h+14, "end", last.Label, ` fill="`+muted+`" font-size="10"`)
		}
	}
	b.WriteString(`</svg>`)
	heads := []string{f.LabelHead}
	for _, pn := range panels {
		heads = append(heads, pn.Label)
	}
	periods := panels[0].Items
	labels := make([]string, len(periods))
	cells := make([][]int64, len(periods))
	for i, it := range periods {
		labels[i] = it.Label
		for _, pn := range panels {
			var v int64
			if i < len(pn.Items) {
				v = pn.Items[i].Value
			}
			cells[i] = append(cells[i], v)
		}
	}
	table(&b, &f, heads, labels, cells)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}
