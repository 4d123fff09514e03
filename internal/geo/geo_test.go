// SPDX-License-Identifier: AGPL-3.0-or-later

package geo

import (
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"vigie/internal/chart"
	"vigie/internal/domain"
)

// ring reads the first subpath of path data as the generator writes it
// ("M x y l dx dy … z") into absolute points.
func ring(t *testing.T, d string) [][2]float64 {
	t.Helper()
	d, _, _ = strings.Cut(strings.TrimPrefix(d, "M"), "z")
	start, rel, ok := strings.Cut(d, "l")
	if !ok {
		t.Fatalf("path %q", d)
	}
	nums := func(s string) []float64 {
		s = strings.ReplaceAll(s, "-", " -")
		var out []float64
		for _, f := range strings.Fields(s) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("path number %q", f)
			}
			out = append(out, v)
		}
		return out
	}
	p := nums(start)
	pts := [][2]float64{{p[0], p[1]}}
	r := nums(rel)
	for i := 0; i+1 < len(r); i += 2 {
		last := pts[len(pts)-1]
		pts = append(pts, [2]float64{last[0] + r[i], last[1] + r[i+1]})
	}
	return pts
}

func contains(r [][2]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// subpaths returns each ring of a shape.
func subpaths(t *testing.T, s Shape) [][][2]float64 {
	var out [][][2]float64
	for _, part := range strings.SplitAfter(s.Path, "z") {
		if part != "" {
			out = append(out, ring(t, part))
		}
	}
	return out
}

func inShape(t *testing.T, s Shape, x, y float64) bool {
	for _, r := range subpaths(t, s) {
		if contains(r, x, y) {
			return true
		}
	}
	return false
}

func TestEveryProvinceOnceWithItsCode(t *testing.T) {
	m := DRC()
	if len(m.Shapes) != 26 {
		t.Errorf("%d shapes, want the 26 provinces", len(m.Shapes))
	}
	for _, code := range domain.Province.Values {
		s, ok := m.Shape(code)
		if !ok {
			t.Errorf("province %s missing", code)
			continue
		}
		if s.Dot || s.Path == "" || s.Name == "" {
			t.Errorf("province %s: drawn as a dot or nameless: %+v", code, s)
		}
		// Its label point lies inside it.
		if !inShape(t, s, s.LabelX, s.LabelY) {
			t.Errorf("province %s: label point (%v, %v) outside", code, s.LabelX, s.LabelY)
		}
	}
}

// TestPlacesFallInTheirProvince checks the projection and the data
// together: cities' coordinates land in the right shape.
func TestPlacesFallInTheirProvince(t *testing.T) {
	for _, c := range []struct {
		code     string
		lon, lat float64
	}{
		{"CD-KN", 15.31, -4.33},  // Kinshasa
		{"CD-NK", 29.23, -1.67},  // Goma
		{"CD-SK", 28.86, -2.49},  // Bukavu
		{"CD-HK", 27.48, -11.66}, // Lubumbashi
		{"CD-TO", 25.19, 0.52},   // Kisangani
		{"CD-EQ", 18.26, 0.05},   // Mbandaka
		{"CD-BC", 13.45, -5.82},  // Matadi
	} {
		x, y := DRC().Point(c.lon, c.lat)
		s, _ := DRC().Shape(c.code)
		if !inShape(t, s, x, y) {
			t.Errorf("%v, %v → (%.0f, %.0f): not in %s", c.lon, c.lat, x, y, c.code)
		}
	}
	for _, c := range []struct {
		code     string
		lon, lat float64
	}{{"FR", 2.35, 48.86}, {"BR", -47.9, -15.8}, {"CD", 22.42, -5.9}, {"CN", 116.4, 39.9}, {"US", -98, 39}} {
		x, y := World().Point(c.lon, c.lat)
		s, _ := World().Shape(c.code)
		if !inShape(t, s, x, y) {
			t.Errorf("world: %v, %v → (%.0f, %.0f): not in %s", c.lon, c.lat, x, y, c.code)
		}
	}
}

func TestEqualEarthIsEqualArea(t *testing.T) {
	// A 1°×1° cell at the equator and at 60° N: equal areas on the
	// sphere in proportion to cos(latitude), equal on the map the same.
	cell := func(lat float64) float64 {
		xa, _ := EqualEarth(10, lat+0.5)
		xb, _ := EqualEarth(11, lat+0.5)
		_, ya := EqualEarth(10, lat)
		_, yb := EqualEarth(10, lat+1)
		return math.Abs((xb - xa) * (yb - ya))
	}
	sphere := (math.Sin(61*math.Pi/180) - math.Sin(60*math.Pi/180)) / math.Sin(1*math.Pi/180)
	if r := cell(60) / cell(0); math.Abs(r-sphere) > 0.01 {
		t.Errorf("area ratio 60°/0° = %.4f, sphere says %.4f", r, sphere)
	}
}

// ctdcCodes are the country codes of the CTDC Global Dataset (2017)
// citizenship and CountryOfExploitation columns (without -99 and ZZ).
var ctdcCodes = strings.Fields(`AF AL BD BF BG BO BY CD CI CN CO ER GH GN GW HT ID KG KH KR KZ LA LK MD ML MM MX NE NG NP PH RO SL SN TH TJ TM UA UG US UZ VN
	AE AR AT BA BH CY CZ DK EC EG IT JO JP KW LB LT MK MU MY OM PL QA RU SA SG SY TR TT TW ZA`)

func TestWorldHasEveryCTDCCountry(t *testing.T) {
	codes := map[string]bool{}
	for _, c := range ctdcCodes {
		codes[c] = true
	}
	// Read the file itself where it is, so a code added to it is seen.
	const file = "../../../shared/data/ctdc/The Global Dataset 27 Nov 2017_0 - recovered.csv"
	f, err := os.Open(file)
	switch {
	case err == nil:
		defer f.Close()
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		head, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		cols := map[string]int{}
		for i, h := range head {
			cols[h] = i
		}
		for {
			row, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []string{"citizenship", "CountryOfExploitation"} {
				if v := row[cols[c]]; len(v) == 2 && v != "ZZ" {
					codes[v] = true
				}
			}
		}
	case os.Getenv("CI") == "true":
		t.Fatalf("the CTDC file is needed under CI=true: %v", err)
	default:
		t.Logf("%s: %v; checking the codes listed here only", filepath.Base(file), err)
	}
	for c := range codes {
		if _, ok := World().Shape(c); !ok {
			t.Errorf("country %s (in the CTDC data) is not on the world map", c)
		}
	}
	if _, ok := World().Shape("AQ"); ok {
		t.Error("Antarctica is on the map")
	}
}

func TestClasses(t *testing.T) {
	for _, vals := range [][]int64{{}, {0, 0}, {5}, {1, 1, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 900}, {3, 3, 3, 3, 3, 3, 40}, {math.MaxInt64, 1}} {
		cs := classes(vals)
		if len(cs) > len(palette) {
			t.Errorf("%v: %d classes", vals, len(cs))
		}
		for i, c := range cs {
			if c.Lo > c.Hi || (i > 0 && c.Lo != cs[i-1].Hi+1) {
				t.Errorf("%v: classes %v not contiguous", vals, cs)
			}
		}
		for _, v := range vals {
			if f := fill(cs, v); (v > 0) == (f == zeroFill) {
				t.Errorf("%v: %d painted %s", vals, v, f)
			}
		}
		if len(cs) > 0 && cs[len(cs)-1].Fill != palette[len(palette)-1] {
			t.Errorf("%v: the largest class is not the darkest", vals)
		}
	}
	if cs := classes([]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 900}); len(cs) != 5 || cs[4].Lo != 9 || cs[4].Hi != 900 {
		t.Errorf("quantile classes of a skewed set: %v", cs)
	}
}

func figure() chart.Figure {
	return chart.Figure{ID: "m", Title: "Victimes par province", Desc: "Carte", LabelHead: "Province", ValueHead: "Victimes"}
}

func parseXML(t *testing.T, s string) (titles []string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	var in string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return titles
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			in = x.Name.Local
		case xml.CharData:
			if in == "title" {
				titles = append(titles, string(x))
			}
		}
	}
}

func TestDRCChoropleth(t *testing.T) {
	vals := map[string]int64{"CD-KN": 1200, "CD-NK": 75, "CD-IT": 3, "ZZ": 4}
	out := string(DRC().Choropleth(Choropleth{Figure: figure(), Values: vals, Credit: CreditDRC, Labels: -1, AllRows: true,
		Name: func(code string) string {
			if code == "CD-KN" {
				return "<b>Kinshasa</b>"
			}
			return ""
		}}))
	titles := parseXML(t, out)
	if len(titles) != 27 { // the map's, and one per province
		t.Errorf("%d titles, want 27", len(titles))
	}
	for _, want := range []string{"&lt;b&gt;Kinshasa&lt;/b&gt;\u00a0: 1\u202f200", "Nord-Kivu\u00a0: 75", "Sankuru\u00a0: 0", CreditDRC, `role="img"`} {
		if !strings.Contains(out, want) {
			t.Errorf("map lacks %q", want)
		}
	}
	if strings.Contains(out, "<b>") {
		t.Error("a name came out as markup")
	}
	if strings.Count(out, "<tr>") != 1+26+1 { // head, provinces, ZZ
		t.Errorf("table: %d rows", strings.Count(out, "<tr>"))
	}
	// "A few tens of KB at most" for the 26 provinces.
	if len(out) > 40<<10 {
		t.Errorf("DRC map: %d bytes", len(out))
	}
}

func TestWorldChoropleth(t *testing.T) {
	out := string(World().Choropleth(Choropleth{Figure: figure(), Values: map[string]int64{"CD": 10, "MU": 1}, Credit: CreditWorld, Labels: 3}))
	parseXML(t, out)
	for _, want := range []string{"Mauritius\u00a0: 1", "Dem. Rep. Congo\u00a0: 10", CreditWorld, "<circle"} {
		if !strings.Contains(out, want) {
			t.Errorf("map lacks %q", want)
		}
	}
	if n := strings.Count(out, "<tr>"); n != 3 {
		t.Errorf("table: %d rows, want a head and the 2 countries", n)
	}
	if len(out) > 60<<10 {
		t.Errorf("world map: %d bytes", len(out))
	}
}

func TestEmptyChoropleth(t *testing.T) {
	out := string(DRC().Choropleth(Choropleth{Figure: figure(), Credit: CreditDRC}))
	parseXML(t, out)
	if strings.Contains(out, palette[4]) || !strings.Contains(out, CreditDRC) {
		t.Error("a map with no count should be all grey, and credited")
	}
}

func FuzzParse(f *testing.F) {
	b, _ := data.ReadFile("data/drc.tsv")
	f.Add(b)
	f.Add([]byte("#projection=mercator width=10 height=10 x0=0 y0=0 scale=1\nX\tx\tx\t1\t1\t0\tM1 1l1 0 0 1z\n"))
	f.Add([]byte("#projection=mercator width=10 height=10 x0=0 y0=0 scale=1\nX\tx\tx\t1\t1\t0\tM1 1\"><script>\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parse(b)
		if err != nil {
			return
		}
		for _, s := range m.Shapes {
			if strings.Trim(s.Path, "MLZmlz0123456789 -.") != "" {
				t.Fatalf("path data accepted: %q", s.Path)
			}
		}
	})
}
