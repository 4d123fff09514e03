// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"html/template"
	"math"
	"strings"
)

// Stack is one bar made of one segment per series (Values[i] belongs to
// the i-th series).
type Stack struct {
	Label  string
	Values []int64
}

// Stacked draws one horizontal bar per stack, its segments in the order
// of series and coloured as the legend above says, its total at its end.
// The table adds a total column. TotalHead heads that column.
func Stacked(f Figure, series []string, totalHead string, stacks []Stack) template.HTML {
	if len(stacks) == 0 || len(series) == 0 {
		return empty(&f)
	}
	totals := make([]int64, len(stacks))
	var max, labW, valW float64
	for i, s := range stacks {
		var sum float64
		for j := range series {
			v := value(s.Values, j)
			sum += nonNeg(v)
			totals[i] = satAdd(totals[i], v)
		}
		max = math.Max(max, sum)
		labW = math.Max(labW, textWidth(s.Label, 12))
		valW = math.Max(valW, textWidth(f.num(totals[i]), 12))
	}
	labW = math.Min(labW, maxLabW)
	x0 := labW + 2*pad
	area := width - x0 - valW - 2*pad
	top := legend(nil, series, width) + pad
	h := top + float64(len(stacks))*rowH + pad
	var b strings.Builder
	open(&b, &f, width, h)
	legend(&b, series, width)
	for i, s := range stacks {
		y := top + float64(i)*rowH
		text(&b, labW+pad, y+barH-2, "end", clip(s.Label, labW, 12), "")
		x := x0
		for j, name := range series {
			v := value(s.Values, j)
			w := scale(nonNeg(v), max, area)
			if w > 0 {
				rect(&b, x, y+(rowH-barH)/2-2, w, barH, Colour(j), f.tip(s.Label+", "+name, v))
			}
			x += w
		}
		text(&b, x+4, y+barH-2, "", f.num(totals[i]), ` fill="`+muted+`"`)
	}
	b.WriteString(`</svg>`)
	rows := make([]string, len(stacks))
	cells := make([][]int64, len(stacks))
	for i, s := range stacks {
		rows[i] = s.Label
		for j := range series {
			cells[i] = append(cells[i], value(s.Values, j))
		}
		cells[i] = append(cells[i], totals[i])
	}
	table(&b, &f, append(append([]string{f.LabelHead}, series...), totalHead), rows, cells)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}

// value is the i-th count of vs: zero when missing or below zero.
func value(vs []int64, i int) int64 {
	if i < len(vs) {
		return max(vs[i], 0)
	}
	return 0
}

// legend writes (when b is not nil) a row of coloured squares and series
// names, wrapping at width, and returns its height.
func legend(b *strings.Builder, series []string, width float64) float64 {
	x, y := pad, pad
	for i, name := range series {
		w := 14 + textWidth(name, 12) + 16
		if x > pad && x+w > width {
			x, y = pad, y+18
		}
		if b != nil {
			rect(b, x, y, 10, 10, Colour(i), "")
			text(b, x+14, y+9.5, "", name, "")
		}
		x += w
	}
	return y + 14
}
