// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"crypto/rand"
	"encoding/binary"
	"math"
)

// Source gives uniformly random 64-bit words. Releases use SecureSource;
// tests use a seeded generator (math/rand/v2's ChaCha8 has this method)
// so that a distribution test fails the same way every time.
type Source interface {
	Uint64() uint64
}

// SecureSource reads the operating system's random generator
// (crypto/rand), 512 bytes at a time. Not safe for concurrent use.
type SecureSource struct {
	buf [512]byte
	off int
}

// NewSecureSource returns a source over crypto/rand.
func NewSecureSource() *SecureSource { return &SecureSource{off: 512} }

// Uint64 returns the next random word. crypto/rand.Read does not fail
// (since Go 1.24 the program stops rather than return weak randomness).
func (s *SecureSource) Uint64() uint64 {
	if s.off == len(s.buf) {
		_, _ = rand.Read(s.buf[:])
		s.off = 0
	}
	v := binary.LittleEndian.Uint64(s.buf[s.off:])
	s.off += 8
	return v
}

// uniform is uniform in [0, n), n > 0, without modulo bias: words under
// 2⁶⁴ mod n are drawn again.
func uniform(src Source, n uint64) uint64 {
	reject := -n % n
	for {
		if x := src.Uint64(); x >= reject {
			return x % n
		}
	}
}

// bernoulli is true with probability num/den (0 ≤ num ≤ den).
func bernoulli(src Source, num, den uint64) bool { return uniform(src, den) < num }

// bernoulliExp is true with probability exp(−num/den), computed with
// integers only (Canonne, Kamath, Steinke 2020, "The Discrete Gaussian
// for Differential Privacy", algorithm 1): no floating point, so no
// rounding that an attacker could exploit (Mironov 2012).
func bernoulliExp(src Source, num, den uint64) bool {
	for num > den {
		// exp(−γ) = exp(−1)·exp(−(γ−1)).
		if !bernoulliExp(src, 1, 1) {
			return false
		}
		num -= den
	}
	// γ ∈ [0, 1]: the index of the first failure of Bernoulli(γ/k),
	// k = 1, 2, …, is odd with probability exp(−γ).
	k := uint64(1)
	for bernoulli(src, num, den*k) {
		k++
	}
	return k%2 == 1
}

// Laplace is the discrete Laplace (two-sided geometric) distribution on
// the integers, P(z) ∝ α^|z| with α = exp(−S/T): scale T/S = Δ/ε.
type Laplace struct {
	S, T uint64
}

// NewLaplace is the noise for ε = milliEps/1000 and sensitivity delta:
// scale Δ/ε = 1000·Δ/milliEps, an exact fraction.
func NewLaplace(milliEps int64, sensitivity int) Laplace {
	return Laplace{S: uint64(milliEps), T: 1000 * uint64(sensitivity)}
}

// Sample draws one value (Canonne, Kamath, Steinke 2020, algorithm 2):
// X = U + T·V is geometric with P(X = x) ∝ exp(−x/T) (U uniform below T
// kept with probability exp(−U/T), V geometric with exp(−1)); Y = ⌊X/S⌋
// is geometric with exp(−S/T); a random sign, with −0 rejected so that
// zero is not counted twice.
func (l Laplace) Sample(src Source) int64 {
	for {
		u := uniform(src, l.T)
		if !bernoulliExp(src, u, l.T) {
			continue
		}
		v := uint64(0)
		for bernoulliExp(src, 1, 1) {
			v++
		}
		y := int64((u + l.T*v) / l.S)
		neg := uniform(src, 2) == 1
		if neg && y == 0 {
			continue
		}
		if neg {
			return -y
		}
		return y
	}
}

// Alpha is exp(−ε/Δ).
func (l Laplace) Alpha() float64 { return math.Exp(-float64(l.S) / float64(l.T)) }

// PMF is P(Z = z) = (1−α)/(1+α)·α^|z|.
func (l Laplace) PMF(z int64) float64 {
	a := l.Alpha()
	return (1 - a) / (1 + a) * math.Pow(a, math.Abs(float64(z)))
}

// Tail is P(Z ≥ k) = α^k/(1+α) for k ≥ 1.
func (l Laplace) Tail(k int64) float64 {
	a := l.Alpha()
	return math.Pow(a, float64(k)) / (1 + a)
}

// ExpectedAbs is E|Z| = 2α/(1−α²): the mean error of a released count.
func (l Laplace) ExpectedAbs() float64 {
	a := l.Alpha()
	return 2 * a / (1 - a*a)
}

// Variance is E Z² = 2α/(1−α)².
func (l Laplace) Variance() float64 {
	a := l.Alpha()
	return 2 * a / ((1 - a) * (1 - a))
}
