// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import "fmt"

// DPParams are one table's share of a release's differential privacy.
type DPParams struct {
	MilliEpsilon  int64   // ε of this table, in thousandths
	Delta         float64 // δ of this table (partition selection only)
	Contributions int     // Δ: how many rows one person may have
}

// DPInfo describes a noisy table. The parameters and ExpectedAbsError
// derive from the config only and may be published; Released and
// Candidates count cells and are public in the table anyway; MAE compares
// with the true counts and is for the reviewers' eyes only (it is not
// differentially private).
type DPInfo struct {
	Epsilon          float64 `json:"epsilon"`
	Delta            float64 `json:"delta,omitempty"`
	Scale            float64 `json:"scale"`
	Threshold        int64   `json:"threshold,omitempty"` // partition selection: least noisy count released
	ExpectedAbsError float64 `json:"expected_abs_error"`
	Candidates       int     `json:"candidates"`
	Released         int     `json:"released"`
	ReleasedPct      float64 `json:"released_pct"`
	MAE              float64 `json:"mae"`
}

// Noisy publishes t under differential privacy: every inner cell gets its
// own discrete Laplace noise, negative counts become 0, and the margins
// are the sums of the published cells (post-processing: no budget spent,
// and the table adds up). When every dimension's values were fixed in
// advance, every cell is released; otherwise only cells present in the
// data are candidates, and one is released only if its noisy count
// reaches the selection threshold.
func Noisy(t *Table, prm DPParams, src Source) (*Published, DPInfo, error) {
	if prm.MilliEpsilon < 1 || prm.Contributions < 1 {
		return nil, DPInfo{}, fmt.Errorf("table %q: ε %d‰ and Δ %d must be positive", t.Name, prm.MilliEpsilon, prm.Contributions)
	}
	if !t.Fixed && !(prm.Delta > 0 && prm.Delta < 1) {
		return nil, DPInfo{}, fmt.Errorf("table %q: δ %g must be in (0, 1) for categories found in the data", t.Name, prm.Delta)
	}
	lap := NewLaplace(prm.MilliEpsilon, prm.Contributions)
	info := DPInfo{Epsilon: float64(prm.MilliEpsilon) / 1000, Scale: float64(lap.T) / float64(lap.S),
		ExpectedAbsError: lap.ExpectedAbs()}
	tau := int64(0)
	if !t.Fixed {
		tau = SelectionThreshold(lap, prm.Delta, prm.Contributions)
		info.Threshold, info.Delta = tau, prm.Delta
	}
	p := newPublished(t)
	var absErr float64
	for i, n := range t.Counts {
		if !t.IsInterior(i) {
			continue
		}
		if !t.Fixed && n == 0 {
			p.Status[i] = Withheld // not a candidate: the data has no such cell
			continue
		}
		info.Candidates++
		v := n + lap.Sample(src)
		if !t.Fixed && v < tau {
			p.Status[i] = Withheld
			continue
		}
		v = max(v, 0)
		p.Counts[i] = v
		info.Released++
		absErr += float64(abs(v - n))
	}
	if info.Candidates > 0 {
		info.ReleasedPct = 100 * float64(info.Released) / float64(info.Candidates)
	}
	if info.Released > 0 {
		info.MAE = absErr / float64(info.Released)
	}
	p.sumMargins()
	return p, info, nil
}

// sumMargins sets every margin to the sum of the shown inner cells it
// covers; a margin covering no shown cell is withheld.
func (p *Published) sumMargins() {
	shown := &Table{Dims: p.Dims, Counts: make([]int64, len(p.Counts))}
	has := &Table{Dims: p.Dims, Counts: make([]int64, len(p.Counts))}
	for i := range p.Counts {
		if p.layout.IsInterior(i) && !p.Status[i].Hidden() {
			shown.Counts[i] = p.Counts[i]
			has.Counts[i] = 1
		}
	}
	shown.fillMargins()
	has.fillMargins()
	for i := range p.Counts {
		if p.layout.IsInterior(i) {
			continue
		}
		p.Counts[i] = shown.Counts[i]
		p.Status[i] = Shown
		if has.Counts[i] == 0 {
			p.Counts[i], p.Status[i] = 0, Withheld
		}
	}
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
