// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import "math"

// SelectionThreshold is the least noisy count at which a cell of a table
// whose categories come from the data is released (DP partition
// selection, as in Google's differential-privacy library).
//
// Derivation. A cell that exists only because of one person holds at
// most Δ of their rows (Δ = contributions), so its noisy count is at most
// Δ + Z with Z discrete Laplace, P(Z = z) = (1−α)/(1+α)·α^|z|, α =
// exp(−ε/Δ). For k ≥ 1, P(Z ≥ k) = Σ_{z≥k} (1−α)/(1+α)·α^z =
// α^k/(1+α). That person may create up to Δ such cells, so each must be
// released with probability at most δ/Δ for the table to be (ε, δ)-DP:
//
//	P(Δ + Z ≥ τ) = α^(τ−Δ)/(1+α) ≤ δ/Δ
//	⟺ τ ≥ Δ + ln(Δ/(δ·(1+α))) / (ε/Δ),
//
// rounded up to an integer. It is the discrete twin of the continuous
// Laplace rule τ = 1 + ln(1/(2δ))/ε (Δ = 1, α → 1 gives 1+α → 2).
// Cells present in both neighbouring tables are covered by the noise
// (ε); a cell's count is never released without its noise.
func SelectionThreshold(l Laplace, delta float64, contributions int) int64 {
	eps := float64(l.S) / float64(l.T) // ε/Δ, the rate of α
	d := float64(contributions)
	k := math.Log(d/(delta*(1+l.Alpha()))) / eps
	return int64(contributions) + int64(math.Ceil(k))
}
