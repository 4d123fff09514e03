// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"vigie/internal/geo"
)

// spec says how one map is made.
type spec struct {
	file, source string
	projName     string
	proj         geo.Projection
	// width of the viewBox; the height follows from the shape.
	width float64
	// tol is the Douglas–Peucker tolerance and minArea the smallest ring
	// kept (besides each shape's largest), in viewBox units.
	tol, minArea float64
	// code, name and nameFR are the GeoJSON properties read.
	code, name, nameFR string
	// skip lists the codes left off the map.
	skip map[string]bool
}

var maps = []spec{
	{file: "drc.tsv", source: "cod-adm1.geojson", projName: "mercator", proj: geo.Mercator,
		width: 800, tol: 0.7, minArea: 6, code: "iso_3166_2", name: "name", nameFR: "name"},
	// Antarctica is left off: no one's citizenship nor anyone's place of
	// exploitation, and a fifth of the map's height.
	{file: "world.tsv", source: "world-countries-50m.geojson", projName: "equal-earth", proj: geo.EqualEarth,
		width: 1000, tol: 0.8, minArea: 3, code: "iso_a2", name: "name", nameFR: "name_fr", skip: map[string]bool{"AQ": true}},
}

type feature struct {
	Properties map[string]any `json:"properties"`
	Geometry   struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

type pt struct{ x, y float64 }

// shape is one line of the output: a code with its polygons' rings.
type shape struct {
	code, name, nameFR string
	polys              [][][]pt // polygons, each an exterior ring then holes
}

func (s spec) build(src, out string) error {
	b, err := os.ReadFile(filepath.Join(src, s.source))
	if err != nil {
		return err
	}
	var fc struct {
		Features []feature `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return err
	}
	shapes, err := s.shapes(fc.Features)
	if err != nil {
		return err
	}
	f := s.frame(shapes)
	height := 0.0
	for _, sh := range shapes {
		for _, poly := range sh.polys {
			for _, ring := range poly {
				for _, p := range ring {
					height = math.Max(height, (f.Y0-p.y)*f.Scale)
				}
			}
		}
	}
	height = math.Ceil(height + 2)
	w, err := os.Create(filepath.Join(out, s.file))
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "#projection=%s width=%g height=%g x0=%.9g y0=%.9g scale=%.9g\n", s.projName, s.width, height, f.X0, f.Y0, f.Scale)
	for _, sh := range shapes {
		if l := s.line(sh, f); l != "" {
			fmt.Fprintln(bw, l)
		}
	}
	if err := bw.Flush(); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// shapes reads the features, projected, merged by code (Australia's
// Ashmore and Cartier Islands share its codes), in code order; shapes
// without a code keep their own line, after the others.
func (s spec) shapes(fs []feature) ([]*shape, error) {
	byCode := map[string]*shape{}
	var out []*shape
	for _, f := range fs {
		code, _ := f.Properties[s.code].(string)
		if s.skip[code] {
			continue
		}
		name, _ := f.Properties[s.name].(string)
		nameFR, _ := f.Properties[s.nameFR].(string)
		if nameFR == "" {
			nameFR = name
		}
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, err
			}
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%s: geometry %q", code, f.Geometry.Type)
		}
		sh := byCode[code]
		if sh == nil || code == "" {
			sh = &shape{code: code, name: name, nameFR: nameFR}
			out = append(out, sh)
			if code != "" {
				byCode[code] = sh
			}
		}
		for _, poly := range polys {
			var rings [][]pt
			for _, ring := range poly {
				r := make([]pt, len(ring))
				for i, c := range ring {
					r[i].x, r[i].y = s.proj(c[0], c[1])
				}
				rings = append(rings, r)
			}
			sh.polys = append(sh.polys, rings)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].code, out[j].code
		if (a == "") != (b == "") {
			return b == ""
		}
		return a < b
	})
	return out, nil
}

// frame fits every shape in the viewBox's width, with a unit of margin.
func (s spec) frame(shapes []*shape) geo.Frame {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, sh := range shapes {
		for _, poly := range sh.polys {
			for _, p := range poly[0] {
				minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
				minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
			}
		}
	}
	scale := (s.width - 2) / (maxX - minX)
	return geo.Frame{X0: minX - 1/scale, Y0: maxY + 1/scale, Scale: scale}
}

// line writes a shape: code, names, label point, whether it is drawn as
// a dot (too small to see), and its SVG path data.
func (s spec) line(sh *shape, f geo.Frame) string {
	var path strings.Builder
	var largest []pt
	var largestArea float64
	var centre pt
	var centreArea float64
	type ringOut struct {
		pts  []pt
		area float64
		ext  bool
	}
	var rings []ringOut
	for _, poly := range sh.polys {
		for i, ring := range poly {
			view := make([]pt, len(ring))
			for j, p := range ring {
				view[j] = pt{(p.x - f.X0) * f.Scale, (f.Y0 - p.y) * f.Scale}
			}
			if a := math.Abs(area(view)); i == 0 && a >= centreArea {
				centre, centreArea = mean(view), a
			}
			r := round(simplify(view, s.tol))
			a := math.Abs(area(r))
			rings = append(rings, ringOut{r, a, i == 0})
			if i == 0 && len(r) >= 4 && a > largestArea {
				largest, largestArea = r, a
			}
		}
	}
	// Rings under minArea go (islets, specks), except a shape's largest
	// if it is still a shape at all; a shape left with nothing is drawn
	// as a dot at its centre, so that every country can be found.
	for _, r := range rings {
		if len(r.pts) < 4 || (r.area < s.minArea && !(r.ext && r.area == largestArea && r.area >= 1.5)) {
			continue
		}
		writeRing(&path, r.pts)
	}
	dot := 0
	lx, ly := centre.x, centre.y
	if path.Len() == 0 {
		if sh.code == "" {
			return "" // a speck with no code: nothing to show or colour
		}
		dot = 1
	} else {
		l := polylabel(largest)
		lx, ly = l.x, l.y
	}
	return strings.Join([]string{sh.code, sh.name, sh.nameFR, strconv.FormatFloat(math.Round(lx), 'f', -1, 64),
		strconv.FormatFloat(math.Round(ly), 'f', -1, 64), strconv.Itoa(dot), path.String()}, "\t")
}

// writeRing writes a closed ring as "M x y l dx dy … z", relative moves
// being shorter; a minus sign is its own separator.
func writeRing(b *strings.Builder, r []pt) {
	n := len(r)
	if r[0] == r[n-1] {
		n--
	}
	b.WriteString("M" + itoa(r[0].x) + " " + itoa(r[0].y) + "l")
	for i := 1; i < n; i++ {
		dx, dy := r[i].x-r[i-1].x, r[i].y-r[i-1].y
		if i > 1 && dx >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString(itoa(dx))
		if dy >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString(itoa(dy))
	}
	b.WriteByte('z')
}

func itoa(f float64) string { return strconv.Itoa(int(f)) }
