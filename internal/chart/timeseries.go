// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"html/template"
	"math"
	"strings"
)

// plot is the frame of a chart with axes: where the data goes, in
// viewBox units.
type plot struct {
	x0, y0, w, h float64 // left, top, width, height of the data area
	top, step    float64 // the value axis: its top value and tick step
}

// y maps a count to its height on the plot.
func (p plot) y(v float64) float64 { return p.y0 + p.h - scale(v, p.top, p.h) }

// x maps the i-th of n points; a single point sits in the middle.
func (p plot) x(i, n int) float64 {
	if n <= 1 {
		return p.x0 + p.w/2
	}
	return p.x0 + float64(i)*p.w/float64(n-1)
}

// axes writes the horizontal grid lines with their values.
func (p plot) axes(b *strings.Builder, f *Figure, size float64) {
	for v := 0.0; v <= p.top+p.step/2; v += p.step {
		y := p.y(v)
		b.WriteString(`<path d="M` + fmtf(p.x0) + ` ` + fmtf(y) + `H` + fmtf(p.x0+p.w) + `" stroke="` + grid + `"/>`)
		text(b, p.x0-4, y+size/3, "end", f.num(toInt(v)), ` fill="`+muted+`" font-size="`+fmtf(size)+`"`)
	}
}

// series writes a line over a filled area, and a hover strip per point.
func (p plot) series(b *strings.Builder, f *Figure, items []Item, colour string, dots bool) {
	n := len(items)
	var line strings.Builder
	for i, it := range items {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		line.WriteString(cmd + fmtf(p.x(i, n)) + " " + fmtf(p.y(nonNeg(it.Value))))
	}
	if n == 1 {
		// One point has no line: a short flat one shows its level.
		line.WriteString("h0")
	}
	base := fmtf(p.y0 + p.h)
	area := line.String() + "L" + fmtf(p.x(n-1, n)) + " " + base + "L" + fmtf(p.x(0, n)) + " " + base + "Z"
	b.WriteString(`<path d="` + area + `" fill="` + colour + `" fill-opacity="0.15"/>`)
	b.WriteString(`<path d="` + line.String() + `" fill="none" stroke="` + colour + `" stroke-width="2" stroke-linejoin="round"/>`)
	strip := p.w / math.Max(float64(n), 1)
	for i, it := range items {
		x := p.x(i, n)
		if dots || n == 1 {
			b.WriteString(`<circle cx="` + fmtf(x) + `" cy="` + fmtf(p.y(nonNeg(it.Value))) + `" r="2.5" fill="` + colour + `"/>`)
		}
		b.WriteString(`<rect x="` + fmtf(math.Max(x-strip/2, p.x0)) + `" y="` + fmtf(p.y0) + `" width="` + fmtf(math.Min(strip, p.w)) +
			`" height="` + fmtf(p.h) + `" fill="#fff" fill-opacity="0"><title>` + esc(f.tip(it.Label, it.Value)) + `</title></rect>`)
	}
}

// xLabels writes a label under every k-th point so that they do not
// overlap, always including the first.
func (p plot) xLabels(b *strings.Builder, items []Item, size float64) {
	n := len(items)
	var widest float64
	for _, it := range items {
		widest = math.Max(widest, textWidth(it.Label, size))
	}
	// Every k-th point, k the smallest step that leaves a label's width
	// and a gap between two labels' centres; the first label starts at
	// its point and the others centre on theirs, so the first needs a
	// label's width more.
	gap := widest + 12
	k := 1
	for k < n && p.w*float64(k)/math.Max(float64(n-1), 1) < gap {
		k++
	}
	for i := 0; i < n; i += k {
		x, anchor := p.x(i, n), "middle"
		if n > 1 && i == 0 {
			anchor = "start"
		} else if i > 0 && i == k && x-p.x(0, n) < widest+gap/2 {
			continue // would touch the first, which starts at its point
		}
		if x+widest/2 > p.x0+p.w+8 {
			anchor = "end"
		}
		text(b, x, p.y0+p.h+size+4, anchor, items[i].Label, ` fill="`+muted+`" font-size="`+fmtf(size)+`"`)
	}
}

// newPlot lays out a plot of values up to max in a w×h box at (x, y).
func newPlot(f *Figure, x, y, w, h, max, size float64, ticks int) plot {
	top, step := niceScale(max, ticks)
	left := textWidth(f.num(toInt(top)), size) + 8
	return plot{x0: x + left, y0: y + size/2, w: w - left - 8, h: h - size*2 - 8, top: top, step: step}
}

// toInt is v as a count, the largest count for a tick beyond it (an axis
// rounded up past the largest int64).
func toInt(v float64) int64 {
	if v >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(v)
}

// TimeSeries draws counts over time (one item per period, in order) as a
// line over a shaded area, with a value axis from zero.
func TimeSeries(f Figure, items []Item) template.HTML {
	items = counts(items)
	if len(items) == 0 {
		return empty(&f)
	}
	var max float64
	for _, it := range items {
		max = math.Max(max, nonNeg(it.Value))
	}
	const h = 240.0
	var b strings.Builder
	open(&b, &f, width, h)
	p := newPlot(&f, 0, pad, width, h-pad, max, 12, 4)
	p.axes(&b, &f, 12)
	p.series(&b, &f, items, barFill, len(items) <= 36)
	p.xLabels(&b, items, 12)
	b.WriteString(`</svg>`)
	itemTable(&b, &f, items)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}
