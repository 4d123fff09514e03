// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import "math"

// simplify is Douglas–Peucker on a closed ring: the points that stray
// less than tol from the line between those kept are dropped. The first
// and the farthest point from it anchor the ring, so that a closed ring
// is not flattened onto its own start.
func simplify(r []pt, tol float64) []pt {
	if len(r) < 4 {
		return r
	}
	far := 0
	var best float64
	for i, p := range r {
		if d := math.Hypot(p.x-r[0].x, p.y-r[0].y); d > best {
			far, best = i, d
		}
	}
	keep := make([]bool, len(r))
	keep[0], keep[far], keep[len(r)-1] = true, true, true
	dp(r, 0, far, tol, keep)
	dp(r, far, len(r)-1, tol, keep)
	var out []pt
	for i, k := range keep {
		if k {
			out = append(out, r[i])
		}
	}
	return out
}

func dp(r []pt, a, b int, tol float64, keep []bool) {
	if b <= a+1 {
		return
	}
	idx, best := -1, tol
	for i := a + 1; i < b; i++ {
		if d := segDist(r[i], r[a], r[b]); d > best {
			idx, best = i, d
		}
	}
	if idx < 0 {
		return
	}
	keep[idx] = true
	dp(r, a, idx, tol, keep)
	dp(r, idx, b, tol, keep)
}

// segDist is the distance from p to the segment ab.
func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	if dx == 0 && dy == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}

// round moves every point to whole units and drops the repeats that
// makes.
func round(r []pt) []pt {
	var out []pt
	for _, p := range r {
		q := pt{math.Round(p.x), math.Round(p.y)}
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	return out
}

// area is the ring's signed area (shoelace).
func area(r []pt) float64 {
	var s float64
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i].x*r[j].y - r[j].x*r[i].y
	}
	return s / 2
}

func mean(r []pt) pt {
	var m pt
	for _, p := range r {
		m.x += p.x
		m.y += p.y
	}
	return pt{m.x / float64(len(r)), m.y / float64(len(r))}
}

// inside reports whether p is inside ring r (even–odd rule).
func inside(p pt, r []pt) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a.y > p.y) != (b.y > p.y) && p.x < (b.x-a.x)*(p.y-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	return in
}

// edgeDist is the distance from p to the ring's nearest edge.
func edgeDist(p pt, r []pt) float64 {
	best := math.Inf(1)
	for i := range r {
		best = math.Min(best, segDist(p, r[i], r[(i+1)%len(r)]))
	}
	return best
}

// polylabel finds a point well inside the ring, far from its edges (the
// "pole of inaccessibility", by a grid search refined three times): the
// place for a label, which a centroid is not for a curved shape.
func polylabel(r []pt) pt {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range r {
		minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
		minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
	}
	best, bestD := mean(r), -1.0
	cx, cy, w, h := (minX+maxX)/2, (minY+maxY)/2, maxX-minX, maxY-minY
	const n = 24
	for range 4 {
		for i := 0; i <= n; i++ {
			for j := 0; j <= n; j++ {
				p := pt{cx - w/2 + w*float64(i)/n, cy - h/2 + h*float64(j)/n}
				if !inside(p, r) {
					continue
				}
				if d := edgeDist(p, r); d > bestD {
					best, bestD = p, d
				}
			}
		}
		cx, cy, w, h = best.x, best.y, w/4, h/4
	}
	return best
}
