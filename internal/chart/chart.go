// SPDX-License-Identifier: AGPL-3.0-or-later

// Package chart draws the dashboard's charts as SVG on the server: bars,
// stacked bars, a time series and small multiples. No script runs in the
// browser; every chart is an <svg role="img"> with a <title> and a <desc>,
// each bar or point has a hover <title>, and every chart is followed by
// its numbers as an HTML table — what a screen reader reads, and what a
// browser without SVG shows.
//
// Labels are text, never markup: every one is escaped (and stripped of
// the control characters XML forbids), so a label such as "<script>"
// shows as typed. A count below zero (which no query should give) is
// taken as zero, in the chart and its table alike.
package chart

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Item is one labelled count: a bar, or a point of a series.
type Item struct {
	Label string
	Value int64
}

// Figure is what every chart needs besides its data.
type Figure struct {
	// ID is unique in the page; the <title> and <desc> ids derive from it.
	ID    string
	Title string
	// Desc says in a sentence what the chart shows, for screen readers.
	Desc string
	// LabelHead and ValueHead head the data table's columns.
	LabelHead, ValueHead string
	// Empty is said instead of a chart when there is nothing to draw.
	Empty string
	// Format writes a count; FormatFR when nil.
	Format func(int64) string
	// Sep goes between a label and its value in hover titles: French
	// typography's no-break space and colon when "", ": " in English.
	Sep string
}

func (f *Figure) num(n int64) string {
	if f.Format == nil {
		return FormatFR(n)
	}
	return f.Format(n)
}

// FormatFR writes n the French way: digits grouped by three with narrow
// no-break spaces (U+202F, as the pages' other numbers), which never
// break a number across lines: 1 234 567.
func FormatFR(n int64) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = -u
	}
	d := strconv.FormatUint(u, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(d) {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteByte(d[i])
	}
	return b.String()
}

// Okabe–Ito colours: told apart by people with any common form of colour
// blindness, and dark enough (except the yellow, not used for text) to
// read on white.
var categorical = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

// Num writes a count with the figure's format.
func (f *Figure) Num(n int64) string { return f.num(n) }

// Tip is a hover title: the label, the separator and the count.
func (f *Figure) Tip(label string, v int64) string { return f.tip(label, v) }

// Ident is f.ID reduced to the characters safe in an id.
func (f *Figure) Ident() string { return ident(f.ID) }

// Colour returns the i-th categorical colour (cycling).
func Colour(i int) string { return categorical[i%len(categorical)] }

const (
	ink     = "#1a1a1a"
	muted   = "#4a4a4a"
	grid    = "#d0d0d0"
	barFill = "#0072B2"
	font    = `font-family="system-ui,sans-serif"`
)

// Escape makes s safe as XML (and HTML) text or attribute value: invalid
// UTF-8 becomes U+FFFD, the control characters XML 1.0 forbids are
// dropped, then <>&'" are escaped.
func Escape(s string) string { return esc(s) }

func esc(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF) {
			return -1
		}
		return r
	}, s)
	return html.EscapeString(s)
}

// ident keeps only the characters safe in an id: letters, digits and '-'.
func ident(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			return r
		}
		return -1
	}, s)
	if s == "" || s[0] < 'A' {
		s = "c" + s
	}
	return s
}

// fmtf writes a coordinate with at most one decimal.
func fmtf(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = 0
	}
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// nonNeg is v as drawn: a count below zero is drawn as zero.
func nonNeg(v int64) float64 {
	if v < 0 {
		return 0
	}
	return float64(v)
}

// counts returns items with every count below zero set to zero.
func counts(items []Item) []Item {
	out := make([]Item, len(items))
	for i, it := range items {
		out[i] = Item{it.Label, max(it.Value, 0)}
	}
	return out
}

// niceScale returns the top of an axis for values up to max and its tick
// step (1, 2 or 5 times a power of ten), with about n ticks.
func niceScale(max float64, n int) (top, step float64) {
	if max <= 0 || math.IsNaN(max) {
		return 1, 1
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	// The nice number nearest the raw step (Heckbert's rounding), so
	// that the axis ends close above the largest value.
	switch r := raw / mag; {
	case r < 1.5:
		step = mag
	case r < 3:
		step = 2 * mag
	case r < 7:
		step = 5 * mag
	default:
		step = 10 * mag
	}
	if step < 1 {
		step = 1 // counts: no tick between two integers
	}
	top = math.Ceil(max/step) * step
	return top, step
}

// textWidth guesses the width of s in font-size units: SVG has no text
// measurement on the server, and a rough average keeps labels clear.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.66
}

// clip shortens s to fit width (the full label stays in the hover title
// and the table).
func clip(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	max := int(width/(size*0.66)) - 1
	if max < 1 {
		return "…"
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// satAdd adds without wrapping around: a total of huge counts stays huge.
func satAdd(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	if b < 0 && a < math.MinInt64-b {
		return math.MinInt64
	}
	return a + b
}

// open writes the <figure>, its caption and the <svg> opening with its
// accessible name and description.
func open(b *strings.Builder, f *Figure, w, h float64) string {
	id := ident(f.ID)
	b.WriteString(`<figure class="chart" id="` + id + `"><figcaption>` + esc(f.Title) + `</figcaption>`)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 ` + fmtf(w) + ` ` + fmtf(h) +
		`" aria-labelledby="` + id + `-t ` + id + `-d" ` + font + ` font-size="12" fill="` + ink + `">`)
	b.WriteString(`<title id="` + id + `-t">` + esc(f.Title) + `</title><desc id="` + id + `-d">` + esc(f.Desc) + `</desc>`)
	return id
}

// empty writes a figure that says there is nothing to draw, with no
// chart and no table.
func empty(f *Figure) template.HTML {
	id := ident(f.ID)
	return template.HTML(`<figure class="chart" id="` + id + `"><figcaption>` + esc(f.Title) + `</figcaption><p>` + esc(f.Empty) + `</p></figure>`)
}

// text writes an SVG <text>.
func text(b *strings.Builder, x, y float64, anchor, s string, extra string) {
	b.WriteString(`<text x="` + fmtf(x) + `" y="` + fmtf(y) + `"`)
	if anchor != "" {
		b.WriteString(` text-anchor="` + anchor + `"`)
	}
	b.WriteString(extra + `>` + esc(s) + `</text>`)
}

// rect writes an SVG <rect> with a hover title (none when tip is "").
func rect(b *strings.Builder, x, y, w, h float64, fill, tip string) {
	b.WriteString(`<rect x="` + fmtf(x) + `" y="` + fmtf(y) + `" width="` + fmtf(math.Max(w, 0)) + `" height="` + fmtf(math.Max(h, 0)) + `" fill="` + fill + `"`)
	if tip == "" {
		b.WriteString(`/>`)
		return
	}
	b.WriteString(`><title>` + esc(tip) + `</title></rect>`)
}

// tip is a hover title: "label : value".
func (f *Figure) tip(label string, v int64) string {
	sep := f.Sep
	if sep == "" {
		sep = "\u00a0: "
	}
	return label + sep + f.num(v)
}
