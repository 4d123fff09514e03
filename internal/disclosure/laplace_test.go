// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func seeded(seed byte) Source {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}

// chiSquareCritical is the 0.999 quantile of χ² with k degrees of
// freedom (Wilson–Hilferty approximation, good to a few percent here).
func chiSquareCritical(k int) float64 {
	z := 3.090 // one-sided 0.999
	f := float64(k)
	c := 1 - 2/(9*f) + z*math.Sqrt(2/(9*f))
	return f * c * c * c
}

// TestLaplaceDistribution compares draws from a fixed-seed source with the
// exact pmf: a χ² test on bins holding at least 5 expected draws (tails
// pooled) and a Kolmogorov–Smirnov distance on the whole range.
func TestLaplaceDistribution(t *testing.T) {
	const draws = 200_000
	for i, tc := range []struct {
		milli int64
		delta int
	}{{100, 1}, {500, 1}, {1000, 1}, {2000, 1}, {1000, 3}, {4000, 1}} {
		t.Run(fmt.Sprintf("eps%.1f_delta%d", float64(tc.milli)/1000, tc.delta), func(t *testing.T) {
			l := NewLaplace(tc.milli, tc.delta)
			src := seeded(byte(i + 1))
			hist := map[int64]int{}
			for range draws {
				hist[l.Sample(src)]++
			}
			// Bins: |z| ≤ m, with m the last value expected at least 5 times
			// on each side; the two tails pooled.
			m := int64(0)
			for draws*l.PMF(m+1) >= 5 {
				m++
			}
			var chi float64
			var inside int
			for z := -m; z <= m; z++ {
				e := draws * l.PMF(z)
				o := float64(hist[z])
				chi += (o - e) * (o - e) / e
				inside += hist[z]
			}
			eTail := draws * 2 * l.Tail(m+1)
			oTail := float64(draws - inside)
			chi += (oTail - eTail) * (oTail - eTail) / eTail
			if crit := chiSquareCritical(int(2*m + 1)); chi > crit {
				t.Fatalf("χ² = %.1f over %d bins, critical %.1f: the draws do not follow the pmf", chi, 2*m+2, crit)
			}
			// KS: the largest gap between the empirical and exact CDFs.
			var cum, exact, ks float64
			for z := -m - 50; z <= m+50; z++ {
				cum += float64(hist[z]) / draws
				exact += l.PMF(z)
				ks = math.Max(ks, math.Abs(cum-exact))
			}
			if lim := 1.95 / math.Sqrt(draws); ks > lim {
				t.Fatalf("KS distance %.5f > %.5f", ks, lim)
			}
		})
	}
}

// TestLaplaceDetectsWrongScale makes sure the χ² test above can fail:
// draws at ε = 1 judged against the pmf of ε = 1.2 must be rejected.
func TestLaplaceDetectsWrongScale(t *testing.T) {
	const draws = 200_000
	got, want := NewLaplace(1000, 1), NewLaplace(1200, 1)
	src := seeded(99)
	hist := map[int64]int{}
	for range draws {
		hist[got.Sample(src)]++
	}
	var chi float64
	for z := int64(-6); z <= 6; z++ {
		e := draws * want.PMF(z)
		chi += (float64(hist[z]) - e) * (float64(hist[z]) - e) / e
	}
	if chi < chiSquareCritical(12) {
		t.Fatalf("χ² = %.1f: a wrong scale went unnoticed", chi)
	}
}

// TestLaplaceSecureSourceMoments draws from crypto/rand: the mean must
// be near 0 and the variance near 2α/(1−α)².
func TestLaplaceSecureSourceMoments(t *testing.T) {
	const draws = 100_000
	for _, milli := range []int64{500, 1000} {
		l := NewLaplace(milli, 1)
		src := NewSecureSource()
		var sum, sq float64
		for range draws {
			z := float64(l.Sample(src))
			sum += z
			sq += z * z
		}
		mean, variance := sum/draws, sq/draws-(sum/draws)*(sum/draws)
		if se := math.Sqrt(l.Variance() / draws); math.Abs(mean) > 5*se {
			t.Errorf("ε %d‰: mean %.4f, more than 5 standard errors (%.4f) from 0", milli, mean, se)
		}
		if r := variance / l.Variance(); r < 0.95 || r > 1.05 {
			t.Errorf("ε %d‰: variance %.3f, want %.3f ± 5%%", milli, variance, l.Variance())
		}
	}
}

func TestBernoulliExp(t *testing.T) {
	const draws = 200_000
	src := seeded(7)
	for _, g := range [][2]uint64{{0, 1}, {3, 10}, {1, 1}, {5, 2}, {7, 1000}} {
		n := 0
		for range draws {
			if bernoulliExp(src, g[0], g[1]) {
				n++
			}
		}
		p := math.Exp(-float64(g[0]) / float64(g[1]))
		if se := math.Sqrt(p * (1 - p) / draws); math.Abs(float64(n)/draws-p) > 5*se+1e-9 {
			t.Errorf("Bernoulli(exp(−%d/%d)): frequency %.4f, want %.4f", g[0], g[1], float64(n)/draws, p)
		}
	}
}

func TestUniformUnbiased(t *testing.T) {
	src := seeded(3)
	const n, draws = 7, 140_000
	var hist [n]int
	for range draws {
		hist[uniform(src, n)]++
	}
	var chi float64
	for _, o := range hist {
		e := float64(draws) / n
		chi += (float64(o) - e) * (float64(o) - e) / e
	}
	if chi > chiSquareCritical(n-1) {
		t.Fatalf("χ² = %.1f for a uniform on 7 values", chi)
	}
}

// TestLaplaceNeighbours is the sensitivity test: the noisy count of a
// cell holding c people and of the same cell with one more person must
// have output frequencies within a factor e^ε of each other wherever
// both are measured with enough draws.
func TestLaplaceNeighbours(t *testing.T) {
	const draws = 400_000
	l := NewLaplace(1000, 1)
	src := seeded(11)
	a, b := map[int64]int{}, map[int64]int{}
	for range draws {
		a[20+l.Sample(src)]++
		b[21+l.Sample(src)]++
	}
	bound := math.E
	checked := 0
	for v := int64(10); v <= 31; v++ {
		if a[v] < 2000 || b[v] < 2000 {
			continue
		}
		checked++
		r := float64(a[v]) / float64(b[v])
		// 2000 draws: relative error ~2.2 % each; allow 12 %.
		if r > bound*1.12 || 1/r > bound*1.12 {
			t.Errorf("output %d: frequencies %d and %d, ratio %.3f beyond e^ε = %.3f", v, a[v], b[v], r, bound)
		}
	}
	if checked < 4 {
		t.Fatalf("only %d outputs measured", checked)
	}
}
