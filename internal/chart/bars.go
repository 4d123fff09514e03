// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"html/template"
	"math"
	"strings"
)

// Layout of the horizontal bar charts, in viewBox units (about pixels on
// a laptop; the chart scales to the page's width).
const (
	width   = 640.0
	rowH    = 22.0
	barH    = 14.0
	pad     = 6.0
	maxLabW = width * 0.38
)

// Bars draws one horizontal bar per item, in the order given, its value
// written at its end: long labels (forms of exploitation, countries) read
// better beside a bar than under it. The longest bar is the largest value;
// every bar's length is proportional to its value from zero.
func Bars(f Figure, items []Item) template.HTML {
	items = counts(items)
	if len(items) == 0 {
		return empty(&f)
	}
	var max float64
	var labW, valW float64
	for _, it := range items {
		max = math.Max(max, nonNeg(it.Value))
		labW = math.Max(labW, textWidth(it.Label, 12))
		valW = math.Max(valW, textWidth(f.num(it.Value), 12))
	}
	labW = math.Min(labW, maxLabW)
	x0 := labW + 2*pad
	area := width - x0 - valW - 2*pad
	h := float64(len(items))*rowH + pad
	var b strings.Builder
	open(&b, &f, width, h)
	for i, it := range items {
		y := pad/2 + float64(i)*rowH
		text(&b, labW+pad, y+barH-2, "end", clip(it.Label, labW, 12), "")
		w := scale(nonNeg(it.Value), max, area)
		rect(&b, x0, y+(rowH-barH)/2-2, w, barH, barFill, f.tip(it.Label, it.Value))
		text(&b, x0+w+4, y+barH-2, "", f.num(it.Value), ` fill="`+muted+`"`)
	}
	b.WriteString(`</svg>`)
	itemTable(&b, &f, items)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}

// scale maps v in [0, max] to [0, length].
func scale(v, max, length float64) float64 {
	if max <= 0 {
		return 0
	}
	return v / max * length
}
