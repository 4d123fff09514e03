// SPDX-License-Identifier: AGPL-3.0-or-later

// Package geo draws the dashboard's maps: the DRC's 26 provinces and the
// world's countries, as choropleths in server-rendered SVG.
//
// The boundaries are embedded, already projected (Mercator for the DRC,
// Equal Earth for the world), simplified to about a pixel and written as
// SVG path data by the generator in gen/ from the files of
// ../shared/data/geo (data/SOURCE.md: their origin and licences). The
// province boundaries are © OpenStreetMap contributors, via geoBoundaries,
// under the ODbL: every DRC map carries that credit. The countries are
// Natural Earth's (public domain), credited too.
package geo

//go:generate go run ./gen -src ../../../shared/data/geo -out data

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/drc.tsv data/world.tsv
var data embed.FS

// Shape is a province or a country, ready to draw.
type Shape struct {
	// Code is the ISO 3166-2:CD code of a province (CD-KN) or the ISO
	// 3166-1 alpha-2 code of a country (CD); "" for a de facto territory
	// with no code of its own, drawn without data.
	Code           string
	Name, NameFR   string
	LabelX, LabelY float64 // a point well inside the shape, for its label
	// Dot: too small to see at the map's scale, drawn as a dot at
	// (LabelX, LabelY) instead of its outline.
	Dot  bool
	Path string // SVG path data in the map's viewBox
}

// Map is a set of shapes in one viewBox.
type Map struct {
	Projection    string
	Width, Height float64
	Frame         Frame
	Shapes        []Shape
	byCode        map[string]int
	proj          Projection
}

var projections = map[string]Projection{"mercator": Mercator, "equal-earth": EqualEarth}

var (
	drc   = sync.OnceValue(func() *Map { return mustLoad("data/drc.tsv") })
	world = sync.OnceValue(func() *Map { return mustLoad("data/world.tsv") })
)

// DRC returns the map of the DRC's 26 provinces (Mercator).
func DRC() *Map { return drc() }

// World returns the map of the world's countries (Equal Earth), without
// Antarctica.
func World() *Map { return world() }

func mustLoad(name string) *Map {
	b, err := data.ReadFile(name)
	if err == nil {
		var m *Map
		if m, err = parse(b); err == nil {
			return m
		}
	}
	panic(fmt.Sprintf("geo: %s: %v", name, err))
}

// Shape returns the shape of a code.
func (m *Map) Shape(code string) (Shape, bool) {
	i, ok := m.byCode[code]
	if !ok || code == "" {
		return Shape{}, false
	}
	return m.Shapes[i], true
}

// Point returns where a longitude and latitude fall on the map.
func (m *Map) Point(lon, lat float64) (x, y float64) { return m.Frame.Point(m.proj, lon, lat) }

// parse reads a generated file: a header line of key=value settings,
// then a line per shape: code, name, French name, label x and y, dot
// (0 or 1), path data, separated by tabs.
func parse(b []byte) (*Map, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "#") {
		return nil, fmt.Errorf("no header line")
	}
	m := &Map{byCode: map[string]int{}}
	nums := map[string]*float64{"width": &m.Width, "height": &m.Height, "x0": &m.Frame.X0, "y0": &m.Frame.Y0, "scale": &m.Frame.Scale}
	for _, kv := range strings.Fields(strings.TrimPrefix(sc.Text(), "#")) {
		k, v, _ := strings.Cut(kv, "=")
		if k == "projection" {
			m.Projection, m.proj = v, projections[v]
			continue
		}
		p, ok := nums[k]
		if !ok {
			return nil, fmt.Errorf("header: unknown setting %q", k)
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("header: %s: %w", k, err)
		}
		*p = f
	}
	if m.proj == nil || m.Width <= 0 || m.Height <= 0 || m.Frame.Scale <= 0 {
		return nil, fmt.Errorf("header: projection %q, size %gx%g, scale %g", m.Projection, m.Width, m.Height, m.Frame.Scale)
	}
	for line := 2; sc.Scan(); line++ {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("line %d: %d fields, want 7", line, len(f))
		}
		s := Shape{Code: f[0], Name: f[1], NameFR: f[2], Dot: f[5] == "1", Path: f[6]}
		var err error
		if s.LabelX, err = strconv.ParseFloat(f[3], 64); err == nil {
			s.LabelY, err = strconv.ParseFloat(f[4], 64)
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: label point: %w", line, err)
		}
		if strings.Trim(s.Path, "MLZmlz0123456789 -.") != "" || (s.Path == "") != s.Dot {
			return nil, fmt.Errorf("line %d: path data", line)
		}
		if _, dup := m.byCode[s.Code]; dup && s.Code != "" {
			return nil, fmt.Errorf("line %d: %s twice", line, s.Code)
		}
		m.byCode[s.Code] = len(m.Shapes)
		m.Shapes = append(m.Shapes, s)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(m.Shapes) == 0 {
		return nil, fmt.Errorf("no shape")
	}
	return m, nil
}
