// SPDX-License-Identifier: AGPL-3.0-or-later

package geo

import "math"

// Projection maps a longitude and latitude in degrees to plane
// coordinates on the unit sphere, y growing northwards.
type Projection func(lon, lat float64) (x, y float64)

// Mercator keeps shapes true locally: right for one country near the
// equator (the DRC spans 13.5° S to 5.4° N, where its areas are
// stretched by at most 3 %).
func Mercator(lon, lat float64) (x, y float64) {
	phi := clampLat(lat) * math.Pi / 180
	return lon * math.Pi / 180, math.Log(math.Tan(math.Pi/4 + phi/2))
}

func clampLat(lat float64) float64 { return math.Max(-85, math.Min(85, lat)) }

// Equal Earth's constants (Šavrič, Patterson and Jenny, 2018).
const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
)

// EqualEarth is an equal-area projection for world maps: a country's
// area on the map is in proportion to its real area, so that a
// choropleth does not make Russia or Canada look more important than
// they are, while the continents keep a familiar shape.
func EqualEarth(lon, lat float64) (x, y float64) {
	m := math.Sqrt(3) / 2
	lambda, phi := lon*math.Pi/180, lat*math.Pi/180
	theta := math.Asin(m * math.Sin(phi))
	t2 := theta * theta
	t6 := t2 * t2 * t2
	x = lambda * math.Cos(theta) / (m * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)))
	y = theta * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return x, y
}

// Frame places projected coordinates in a map's viewBox: (x−X0)·Scale
// across, (Y0−y)·Scale down.
type Frame struct {
	X0, Y0, Scale float64
}

// Point returns where lon, lat falls in the viewBox.
func (f Frame) Point(p Projection, lon, lat float64) (x, y float64) {
	px, py := p(lon, lat)
	return (px - f.X0) * f.Scale, (f.Y0 - py) * f.Scale
}
