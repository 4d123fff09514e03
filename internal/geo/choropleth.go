// SPDX-License-Identifier: AGPL-3.0-or-later

package geo

import (
	"cmp"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"vigie/internal/chart"
)

// Credits, to show with the maps. The province boundaries are under the
// ODbL, whose attribution is due wherever the map is shown.
const (
	CreditDRC   = "© OpenStreetMap contributors, geoBoundaries (ODbL)"
	CreditWorld = "Natural Earth"
)

// Sequential palette (ColorBrewer YlGnBu, 5 classes): light to dark, told
// apart by people with the common forms of colour blindness and in grey
// print. Zero has its own grey, outside the scale.
var palette = []string{"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"}

const (
	zeroFill = "#e4e4e4"
	border   = "#ffffff"
)

// Choropleth is a map's data and words.
type Choropleth struct {
	chart.Figure
	// Values are counts by code; a code the map does not have is listed
	// in the table only.
	Values map[string]int64
	// Name gives a code's name in the page's language; the shape's own
	// name when nil or when it answers "".
	Name func(code string) string
	// Credit is the source line drawn on the map (CreditDRC or
	// CreditWorld); Caption, when set, says it under the map in the
	// page's language (Credit itself otherwise).
	Credit, Caption string
	// Labels is how many shapes get their name written on the map: the
	// ones with the largest values (-1: all).
	Labels int
	// AllRows lists every shape in the table, zeros too (the DRC's
	// provinces); otherwise only the codes with a count.
	AllRows bool
}

// class is one step of the legend: counts from Lo to Hi.
type class struct {
	Lo, Hi int64
	Fill   string
}

// classes splits the positive counts into up to len(palette) steps of
// about as many shapes each (quantiles): counts of victims are skewed
// (the capital has most), and equal steps would paint every other
// province the same pale colour.
func classes(values []int64) []class {
	var pos []int64
	for _, v := range values {
		if v > 0 {
			pos = append(pos, v)
		}
	}
	if len(pos) == 0 {
		return nil
	}
	slices.Sort(pos)
	k := min(len(palette), len(slices.Compact(slices.Clone(pos))))
	var out []class
	lo := int64(1)
	for i := 1; i <= k; i++ {
		hi := pos[(i*len(pos)+k-1)/k-1]
		if i == k {
			hi = pos[len(pos)-1]
		}
		if hi < lo {
			continue
		}
		out = append(out, class{Lo: lo, Hi: hi})
		lo = hi + 1
	}
	for i := range out {
		out[i].Fill = palette[len(palette)-len(out)+i]
	}
	return out
}

func fill(cs []class, v int64) string {
	for _, c := range cs {
		if v >= c.Lo && v <= c.Hi {
			return c.Fill
		}
	}
	return zeroFill
}

func (c *Choropleth) name(s Shape) string {
	if c.Name != nil {
		if n := c.Name(s.Code); n != "" {
			return n
		}
	}
	return s.Name
}

// Choropleth draws the map with each shape coloured by its count, a hover
// title per shape, the names of the Labels largest, a legend and the
// credit line, followed by the counts as a table.
func (m *Map) Choropleth(c Choropleth) template.HTML {
	vals := make([]int64, 0, len(c.Values))
	for _, v := range c.Values {
		vals = append(vals, v)
	}
	cs := classes(vals)
	const legendH, creditH = 28.0, 18.0
	fs := strconv.FormatFloat(m.Width/60, 'f', 0, 64) // about 11–17 px as shown
	size, _ := strconv.ParseFloat(fs, 64)
	h := m.Height + legendH + creditH
	id := c.Ident()
	var b strings.Builder
	b.WriteString(`<figure class="chart map" id="` + id + `"><figcaption>` + chart.Escape(c.Title) + `</figcaption>`)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 ` + ftoa(m.Width) + ` ` + ftoa(h) +
		`" aria-labelledby="` + id + `-t ` + id + `-d" font-family="system-ui,sans-serif" font-size="` + fs + `" fill="#1a1a1a">`)
	b.WriteString(`<title id="` + id + `-t">` + chart.Escape(c.Title) + `</title><desc id="` + id + `-d">` + chart.Escape(c.Desc) + `</desc>`)
	b.WriteString(`<g stroke="` + border + `" stroke-width="0.6" stroke-linejoin="round">`)
	for _, s := range m.Shapes {
		v := c.Values[s.Code]
		f := zeroFill
		if s.Code != "" {
			f = fill(cs, v)
		}
		if s.Dot {
			b.WriteString(`<circle cx="` + ftoa(s.LabelX) + `" cy="` + ftoa(s.LabelY) + `" r="2.5" fill="` + f + `" stroke="#767676">`)
		} else {
			b.WriteString(`<path d="` + s.Path + `" fill="` + f + `">`)
		}
		if s.Code != "" {
			b.WriteString(`<title>` + chart.Escape(c.Tip(c.name(s), v)) + `</title>`)
		}
		if s.Dot {
			b.WriteString(`</circle>`)
		} else {
			b.WriteString(`</path>`)
		}
	}
	b.WriteString(`</g>`)
	m.labels(&b, &c, size)
	legend(&b, &c, cs, m.Height+6, size)
	b.WriteString(`<text x="` + ftoa(m.Width-4) + `" y="` + ftoa(h-5) + `" text-anchor="end" font-size="` + ftoa(size*0.85) + `" fill="#4a4a4a">` + chart.Escape(c.Credit) + `</text>`)
	caption := c.Caption
	if caption == "" {
		caption = c.Credit
	}
	b.WriteString(`</svg><p class="credit"><small>` + chart.Escape(caption) + `</small></p>`)
	b.WriteString(chart.Table(c.Figure, m.rows(&c)))
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}

// labels writes the names of the shapes with the largest counts (all
// when Labels is -1), white-haloed to read over any colour.
func (m *Map) labels(b *strings.Builder, c *Choropleth, size float64) {
	if c.Labels == 0 {
		return
	}
	var list []Shape
	for _, s := range m.Shapes {
		if s.Code != "" && (c.Labels < 0 || c.Values[s.Code] > 0) {
			list = append(list, s)
		}
	}
	slices.SortStableFunc(list, func(a, b Shape) int { return cmp.Compare(c.Values[b.Code], c.Values[a.Code]) })
	if c.Labels > 0 && len(list) > c.Labels {
		list = list[:c.Labels]
	}
	b.WriteString(`<g text-anchor="middle" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke" aria-hidden="true">`)
	var placed [][4]float64
	for _, s := range list {
		name := c.name(s)
		w := float64(len([]rune(name))) * size * 0.6
		box := [4]float64{s.LabelX - w/2, s.LabelY - size/2, s.LabelX + w/2, s.LabelY + size/2}
		// With a chosen few (the largest counts), a name that would
		// cover a larger one's is left to the hover title and the table.
		if c.Labels > 0 && slices.ContainsFunc(placed, func(p [4]float64) bool {
			return box[0] < p[2] && p[0] < box[2] && box[1] < p[3] && p[1] < box[3]
		}) {
			continue
		}
		placed = append(placed, box)
		b.WriteString(`<text x="` + ftoa(s.LabelX) + `" y="` + ftoa(s.LabelY+size/3) + `">` + chart.Escape(name) + `</text>`)
	}
	b.WriteString(`</g>`)
}

// legend writes the classes as coloured boxes with their ranges, zero
// first.
func legend(b *strings.Builder, c *Choropleth, cs []class, y, size float64) {
	x := 4.0
	item := func(fill, label string) {
		b.WriteString(`<rect x="` + ftoa(x) + `" y="` + ftoa(y) + `" width="` + ftoa(size*1.4) + `" height="` + ftoa(size) + `" fill="` + fill + `" stroke="#767676" stroke-width="0.5"/>`)
		b.WriteString(`<text x="` + ftoa(x+size*1.4+4) + `" y="` + ftoa(y+size*0.85) + `">` + chart.Escape(label) + `</text>`)
		x += size*1.4 + 4 + float64(len([]rune(label)))*size*0.6 + 12
	}
	item(zeroFill, c.Num(0))
	for _, cl := range cs {
		label := c.Num(cl.Lo)
		if cl.Hi != cl.Lo {
			label += "–" + c.Num(cl.Hi)
		}
		item(cl.Fill, label)
	}
}

// rows are the table's: by count, largest first, then by name; codes
// missing from the map (unknown, ZZ) too, named by Name.
func (m *Map) rows(c *Choropleth) []chart.Item {
	var items []chart.Item
	seen := map[string]bool{}
	for _, s := range m.Shapes {
		if s.Code == "" || seen[s.Code] {
			continue
		}
		seen[s.Code] = true
		if v := c.Values[s.Code]; v > 0 || c.AllRows {
			items = append(items, chart.Item{Label: c.name(s), Value: v})
		}
	}
	for code, v := range c.Values {
		if !seen[code] && v > 0 {
			items = append(items, chart.Item{Label: c.name(Shape{Code: code, Name: code}), Value: v})
		}
	}
	slices.SortStableFunc(items, func(a, b chart.Item) int {
		if a.Value != b.Value {
			return cmp.Compare(b.Value, a.Value)
		}
		return strings.Compare(a.Label, b.Label)
	})
	return items
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
