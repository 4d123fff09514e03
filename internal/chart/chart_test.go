// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"encoding/xml"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// element is an XML element of a chart's output, flattened.
type element struct {
	name  string
	attrs map[string]string
	text  string // its direct character data
}

// parse reads out as XML (the figure is well-formed XML as well as HTML)
// and returns every element, failing the test if it is not well-formed.
func parse(t testing.TB, out template.HTML) []element {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(out)))
	d.Strict = true
	var els []element
	var stack []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			e := element{name: x.Name.Local, attrs: map[string]string{}}
			for _, a := range x.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			els = append(els, e)
			stack = append(stack, len(els)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				els[stack[len(stack)-1]].text += string(x)
			}
		}
	}
	if len(els) == 0 || els[0].name != "figure" {
		t.Fatalf("output does not start with a <figure>:\n%s", out)
	}
	return els
}

func find(els []element, name string) []element {
	var out []element
	for _, e := range els {
		if e.name == name {
			out = append(out, e)
		}
	}
	return out
}

func num(t testing.TB, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return f
}

// checkGeometry fails on any negative size, non-finite or negative
// coordinate: counts are never drawn below zero.
func checkGeometry(t testing.TB, els []element) {
	t.Helper()
	for _, e := range els {
		for _, a := range []string{"x", "y", "width", "height", "cx", "cy", "r"} {
			v, ok := e.attrs[a]
			if !ok || (a == "width" && v == "100%") {
				continue
			}
			if f := num(t, v); f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
				t.Errorf("<%s %s=%q>: negative or not finite", e.name, a, v)
			}
		}
		if d, ok := e.attrs["d"]; ok && (strings.Contains(d, "NaN") || strings.Contains(d, "Inf")) {
			t.Errorf("<%s d=%q>: not finite", e.name, d)
		}
	}
}

// checkAccessible: one svg with role=img named by its title and desc,
// and a data table after it.
func checkAccessible(t testing.TB, els []element) {
	t.Helper()
	svgs := find(els, "svg")
	if len(svgs) != 1 || svgs[0].attrs["role"] != "img" {
		t.Fatalf("want one <svg role=img>, got %v", svgs)
	}
	ids := strings.Fields(svgs[0].attrs["aria-labelledby"])
	titles, descs := find(els, "title"), find(els, "desc")
	if len(ids) != 2 || len(titles) == 0 || titles[0].attrs["id"] != ids[0] || len(descs) != 1 || descs[0].attrs["id"] != ids[1] {
		t.Errorf("svg not named by its <title> and <desc>: %v %v %v", ids, titles, descs)
	}
	if len(find(els, "table")) != 1 {
		t.Error("no data table after the chart")
	}
}

func fig(id string) Figure {
	return Figure{ID: id, Title: "Victimes", Desc: "Une description", LabelHead: "Libellé", ValueHead: "Nombre", Empty: "Aucune donnée"}
}

// tips returns each hover title's text of the rects, by order.
func barRects(els []element) []element {
	var out []element
	for i, e := range els {
		if e.name == "rect" && i+1 < len(els) && els[i+1].name == "title" && e.attrs["fill-opacity"] == "" {
			out = append(out, e)
		}
	}
	return out
}

func TestBarsScale(t *testing.T) {
	items := []Item{{"Travail forcé", 200}, {"Exploitation sexuelle", 50}, {"Mendicité", 100}, {"Aucun", 0}}
	els := parse(t, Bars(fig("b"), items))
	checkAccessible(t, els)
	checkGeometry(t, els)
	rects := barRects(els)
	if len(rects) != 4 {
		t.Fatalf("%d bars, want 4", len(rects))
	}
	full := num(t, rects[0].attrs["width"])
	for i, it := range items {
		w := num(t, rects[i].attrs["width"])
		if want := full * float64(it.Value) / 200; math.Abs(w-want) > 0.15 {
			t.Errorf("bar %q: width %v, want %v (proportional to its value)", it.Label, w, want)
		}
	}
	if full < 200 || full > width {
		t.Errorf("the longest bar is %v wide", full)
	}
	rows := find(els, "tr")
	if len(rows) != 5 {
		t.Errorf("table: %d rows, want a header and 4", len(rows))
	}
}

func TestEscapesHostileLabels(t *testing.T) {
	hostile := `<script>alert("x")</script>&amp;'` + "\x00\x1b\xff"
	f := fig(`"><script>`)
	f.Title, f.Desc, f.LabelHead = hostile, hostile, hostile
	outs := []template.HTML{
		Bars(f, []Item{{hostile, 3}}),
		Stacked(f, []string{hostile}, hostile, []Stack{{hostile, []int64{1}}}),
		TimeSeries(f, []Item{{hostile, 1}, {hostile, 2}}),
		SmallMultiples(f, []Panel{{hostile, []Item{{hostile, 1}}}}),
	}
	for i, out := range outs {
		els := parse(t, out)
		if strings.Contains(string(out), "<script") || strings.Contains(string(out), "\x00") {
			t.Errorf("chart %d: a label came out as markup:\n%s", i, out)
		}
		if !strings.Contains(string(out), "&lt;script&gt;") {
			t.Errorf("chart %d: the label is not shown as typed", i)
		}
		if id := els[0].attrs["id"]; strings.ContainsAny(id, `"<>`) {
			t.Errorf("chart %d: id %q", i, id)
		}
	}
}

func TestEmpty(t *testing.T) {
	for i, out := range []template.HTML{Bars(fig("e"), nil), Stacked(fig("e"), []string{"a"}, "Total", nil),
		TimeSeries(fig("e"), nil), SmallMultiples(fig("e"), nil)} {
		els := parse(t, out)
		if len(find(els, "svg")) != 0 || len(find(els, "table")) != 0 || !strings.Contains(string(out), "Aucune donnée") {
			t.Errorf("chart %d: empty data should say so, with no chart:\n%s", i, out)
		}
	}
}

func TestOneValue(t *testing.T) {
	els := parse(t, TimeSeries(fig("t"), []Item{{"janv. 2026", 7}}))
	checkAccessible(t, els)
	checkGeometry(t, els)
	if c := find(els, "circle"); len(c) != 1 {
		t.Errorf("one point: %d dots", len(c))
	}
	els = parse(t, Bars(fig("b"), []Item{{"Kinshasa", 1}}))
	if r := barRects(els); len(r) != 1 || num(t, r[0].attrs["width"]) < 100 {
		t.Errorf("one bar: %v", r)
	}
}

func TestHugeAndNegativeValues(t *testing.T) {
	huge := []Item{{"a", math.MaxInt64}, {"b", math.MaxInt64 - 1}, {"c", -5}, {"d", math.MinInt64}}
	outs := []template.HTML{
		Bars(fig("h"), huge),
		Stacked(fig("h"), []string{"x", "y"}, "Total", []Stack{{"a", []int64{math.MaxInt64, math.MaxInt64}}, {"b", []int64{-3, 4}}}),
		TimeSeries(fig("h"), huge),
		SmallMultiples(fig("h"), []Panel{{"p", huge}, {"q", []Item{{"a", -1}}}}),
	}
	for i, out := range outs {
		els := parse(t, out)
		checkGeometry(t, els)
		if svg, _, _ := strings.Cut(string(out), "</svg>"); strings.Contains(svg, "-9") {
			t.Errorf("chart %d: an overflowed (negative) number drawn", i)
		}
	}
	// A total of huge counts saturates rather than wrapping below zero.
	if !strings.Contains(string(outs[1]), FormatFR(math.MaxInt64)) {
		t.Error("the total of two huge counts is not the largest count")
	}
}

func TestStackedSegments(t *testing.T) {
	els := parse(t, Stacked(fig("s"), []string{"Enfants", "Adultes", "Inconnu"}, "Total",
		[]Stack{{"Femmes", []int64{30, 60, 10}}, {"Hommes", []int64{10, 40}}}))
	checkAccessible(t, els)
	checkGeometry(t, els)
	rects := barRects(els)
	if len(rects) != 5 { // 3 + 2 non-zero segments
		t.Fatalf("%d segments, want 5", len(rects))
	}
	// Femmes' bar (100) is the longest; Hommes' (50) half of it.
	var fem, hom float64
	for i, r := range rects {
		if i < 3 {
			fem += num(t, r.attrs["width"])
		} else {
			hom += num(t, r.attrs["width"])
		}
	}
	if math.Abs(hom*2-fem) > 0.5 {
		t.Errorf("bars of 100 and 50: %v and %v wide", fem, hom)
	}
	if x0, x1 := num(t, rects[0].attrs["x"])+num(t, rects[0].attrs["width"]), num(t, rects[1].attrs["x"]); math.Abs(x0-x1) > 0.15 {
		t.Errorf("segments do not follow each other: %v then %v", x0, x1)
	}
	ths := find(els, "th")
	if ths[len(ths)-3].text != "Total" && ths[4].text != "Total" {
		t.Errorf("no total column: %v", ths)
	}
}

func TestTimeSeriesAxis(t *testing.T) {
	var items []Item
	for i := range 24 {
		items = append(items, Item{Label: "m" + strconv.Itoa(i), Value: int64(i * 10)})
	}
	out := TimeSeries(fig("ts"), items)
	els := parse(t, out)
	checkAccessible(t, els)
	checkGeometry(t, els)
	// 230 rounds up to 250 with a tick every 50 (about 4 ticks).
	var ticks []string
	for _, e := range find(els, "text") {
		if e.attrs["text-anchor"] == "end" {
			ticks = append(ticks, e.text)
		}
	}
	if strings.Join(ticks, ",") != "0,50,100,150,200,250" {
		t.Errorf("value axis ticks %v", ticks)
	}
	if n := len(find(els, "circle")); n != 24 {
		t.Errorf("%d dots, want 24", n)
	}
}

func TestNiceScale(t *testing.T) {
	for _, c := range []struct{ max, top, step float64 }{
		{0, 1, 1}, {1, 1, 1}, {3, 3, 1}, {7, 8, 2}, {230, 250, 50}, {1000, 1000, 200}, {0.5, 1, 1},
	} {
		top, step := niceScale(c.max, 4)
		if top != c.top || step != c.step {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", c.max, top, step, c.top, c.step)
		}
	}
}

func TestFormatFR(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1\u202f000", 1234567: "1\u202f234\u202f567", -4500: "-4\u202f500",
		math.MinInt64: "-9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f808"} {
		if got := FormatFR(n); got != want {
			t.Errorf("FormatFR(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSmallMultiplesShareScale(t *testing.T) {
	els := parse(t, SmallMultiples(fig("m"), []Panel{
		{"Kinshasa", []Item{{"2025", 10}, {"2026", 100}}},
		{"Nord-Kivu", []Item{{"2025", 50}, {"2026", 5}}},
	}))
	checkAccessible(t, els)
	checkGeometry(t, els)
	var lines []string
	for _, e := range find(els, "path") {
		if e.attrs["stroke-width"] == "2" {
			lines = append(lines, e.attrs["d"])
		}
	}
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2", len(lines))
	}
	// Both panels' tick labels are the same: one scale.
	var ticks []string
	for _, e := range find(els, "text") {
		if e.attrs["text-anchor"] == "end" && e.attrs["font-size"] == "10" && !strings.HasPrefix(e.text, "20") {
			ticks = append(ticks, e.text)
		}
	}
	if strings.Join(ticks, ",") != "0,50,100,0,50,100" {
		t.Errorf("ticks %v: panels should share one scale", ticks)
	}
	if len(find(els, "tr")) != 3 {
		t.Error("table: want a header row and a row per period")
	}
}

// FuzzBars: whatever the labels and values, the output is well-formed,
// says no label as markup and draws nothing below zero.
func FuzzBars(f *testing.F) {
	f.Add("Kinshasa", int64(3), "<script>", int64(-1))
	f.Add("\x00&\"'", int64(math.MaxInt64), "é", int64(math.MinInt64))
	f.Fuzz(func(t *testing.T, a string, va int64, b string, vb int64) {
		for _, out := range []template.HTML{
			Bars(fig(a), []Item{{a, va}, {b, vb}}),
			Stacked(fig(b), []string{a, b}, a, []Stack{{a, []int64{va, vb}}}),
			TimeSeries(fig(a), []Item{{a, va}, {b, vb}}),
		} {
			els := parse(t, out)
			checkGeometry(t, els)
			if strings.Contains(string(out), "<script") {
				t.Fatalf("markup from a label: %s", out)
			}
		}
	})
}
