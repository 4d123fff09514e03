// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchTable is a 2-D table of 40 × 30 skewed cells (a citizenship ×
// province kind of table) counting a million rows: most cells small.
func benchTable(b *testing.B) *Table {
	r := rand.New(rand.NewPCG(1, 1))
	spec := TableSpec{Name: "b", Dims: []Dim{{Column: "a"}, {Column: "b"}}}
	c, err := NewCounter(spec, []string{"a", "b"})
	if err != nil {
		b.Fatal(err)
	}
	row := make([]string, 2)
	as, bs := make([]string, 40), make([]string, 30)
	for i := range as {
		as[i] = fmt.Sprint("c", i)
	}
	for i := range bs {
		bs[i] = fmt.Sprint("p", i)
	}
	for range 1_000_000 {
		// Zipf-like: a few large categories, a long tail.
		row[0] = as[min(39, int(r.ExpFloat64()*4))]
		row[1] = bs[min(29, int(r.ExpFloat64()*3))]
		c.Add(row)
	}
	t, err := c.Table()
	if err != nil {
		b.Fatal(err)
	}
	return t
}

func BenchmarkSuppress(b *testing.B) {
	t := benchTable(b)
	var m SuppressionMetrics
	for b.Loop() {
		p, err := Suppress(t, 11)
		if err != nil {
			b.Fatal(err)
		}
		m = p.SuppressionMetrics(t)
	}
	b.ReportMetric(m.SuppressedPct, "suppressed%")
	b.ReportMetric(float64(m.Primary), "primary")
	b.ReportMetric(float64(m.Secondary), "secondary")
}

func BenchmarkNoisy(b *testing.B) {
	t := benchTable(b)
	src := NewSecureSource()
	for b.Loop() {
		if _, _, err := Noisy(t, DPParams{MilliEpsilon: 1000, Delta: 1e-6, Contributions: 1}, src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLaplaceSample(b *testing.B) {
	src := NewSecureSource()
	l := NewLaplace(1000, 1)
	for b.Loop() {
		l.Sample(src)
	}
}

func BenchmarkCount1M(b *testing.B) {
	for b.Loop() {
		benchTable(b)
	}
}

// BenchmarkDPLikeGoogle is PRIVACY.md's comparison point: 5,000 rows,
// citizenship (12) × exploitation type (3) = 36 cells, categories found
// in the data (partition selection, δ = 1e-5), ε = 1 and 4. It reports
// the cells released and the mean absolute error over many draws.
func BenchmarkDPLikeGoogle(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 7))
	spec := TableSpec{Name: "g", Dims: []Dim{{Column: "cit"}, {Column: "expl"}}}
	c, _ := NewCounter(spec, []string{"cit", "expl"})
	weights := []float64{30, 15, 10, 8, 7, 6, 5, 5, 4, 4, 3, 3}
	for range 5000 {
		x := r.Float64() * 100
		i := 0
		for x > weights[i] && i < len(weights)-1 {
			x -= weights[i]
			i++
		}
		c.Add([]string{fmt.Sprint("c", i), fmt.Sprint("e", r.IntN(3))})
	}
	t, _ := c.Table()
	for _, eps := range []int64{1000, 4000} {
		b.Run(fmt.Sprintf("eps%d", eps/1000), func(b *testing.B) {
			src := NewSecureSource()
			var released, mae float64
			n := 0
			for b.Loop() {
				_, info, err := Noisy(t, DPParams{MilliEpsilon: eps, Delta: 1e-5, Contributions: 1}, src)
				if err != nil {
					b.Fatal(err)
				}
				released += float64(info.Released)
				mae += info.MAE
				n++
			}
			b.ReportMetric(released/float64(n), "cells/36")
			b.ReportMetric(mae/float64(n), "MAE")
		})
	}
}

// BenchmarkSuppress3D: a 20 × 15 × 10 table of 1M skewed rows.
func BenchmarkSuppress3D(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	spec := TableSpec{Name: "b3", Dims: []Dim{{Column: "a"}, {Column: "b"}, {Column: "c"}}}
	c, _ := NewCounter(spec, []string{"a", "b", "c"})
	row := make([]string, 3)
	for range 1_000_000 {
		row[0] = fmt.Sprint("a", min(19, int(r.ExpFloat64()*3)))
		row[1] = fmt.Sprint("b", min(14, int(r.ExpFloat64()*3)))
		row[2] = fmt.Sprint("c", min(9, int(r.ExpFloat64()*2)))
		c.Add(row)
	}
	t, err := c.Table()
	if err != nil {
		b.Fatal(err)
	}
	var m SuppressionMetrics
	for b.Loop() {
		p, err := Suppress(t, 11)
		if err != nil {
			b.Fatal(err)
		}
		m = p.SuppressionMetrics(t)
	}
	b.ReportMetric(float64(m.Cells), "cells")
	b.ReportMetric(float64(m.Primary), "primary")
	b.ReportMetric(float64(m.Secondary), "secondary")
	b.ReportMetric(m.CountHiddenPct, "hidden%")
}
