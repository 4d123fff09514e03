// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestSelectionThreshold(t *testing.T) {
	for _, tc := range []struct {
		milli int64
		delta float64
		contr int
	}{{1000, 1e-5, 1}, {100, 1e-6, 1}, {4000, 1e-5, 1}, {1000, 1e-6, 3}, {500, 1e-9, 2}} {
		l := NewLaplace(tc.milli, tc.contr)
		tau := SelectionThreshold(l, tc.delta, tc.contr)
		d := int64(tc.contr)
		// τ is enough: a cell of Δ rows is released with probability ≤ δ/Δ…
		if p := l.Tail(tau - d); p > tc.delta/float64(tc.contr) {
			t.Errorf("%+v: τ = %d releases a lone person's cell with probability %g", tc, tau, p)
		}
		// …and the least such integer.
		if p := l.Tail(tau - 1 - d); tau-1-d >= 1 && p <= tc.delta/float64(tc.contr) {
			t.Errorf("%+v: τ = %d is not the least threshold (τ−1 gives %g)", tc, tau, p)
		}
	}
	// Google's library at ε = 1, δ = 1e-5 uses about 1 + ln(1/(2δ))/ε ≈ 11.8.
	if tau := SelectionThreshold(NewLaplace(1000, 1), 1e-5, 1); tau < 11 || tau > 13 {
		t.Errorf("ε 1, δ 1e-5: τ = %d, want about 12", tau)
	}
}

// TestSelectionReleasesLoneCellRarely measures it: a cell of one person,
// with δ large enough to count, is released at most δ of the time.
func TestSelectionReleasesLoneCellRarely(t *testing.T) {
	const draws, delta = 200_000, 0.01
	l := NewLaplace(1000, 1)
	tau := SelectionThreshold(l, delta, 1)
	src := seeded(5)
	n := 0
	for range draws {
		if 1+l.Sample(src) >= tau {
			n++
		}
	}
	if f := float64(n) / draws; f > delta*1.1 {
		t.Fatalf("a lone person's cell released %.4f of the time, δ = %g (τ = %d)", f, delta, tau)
	}
}

func rowsTable(t *testing.T, spec TableSpec, rows [][]string) *Table {
	t.Helper()
	var cols []string
	for _, d := range spec.Dims {
		cols = append(cols, d.Column)
	}
	c, err := NewCounter(spec, cols)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		c.Add(r)
	}
	tab, err := c.Table()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestNoisyFixedDomain(t *testing.T) {
	spec := TableSpec{Name: "sex_age", Dims: []Dim{{Column: "sex", Values: []string{"F", "M"}}, {Column: "age", Values: []string{"child", "adult"}}}}
	var rows [][]string
	for range 3 {
		rows = append(rows, []string{"F", "child"})
	}
	for range 500 {
		rows = append(rows, []string{"M", "adult"})
	}
	tab := rowsTable(t, spec, rows)
	negatives := 0
	for seed := range byte(50) {
		p, info, err := Noisy(tab, DPParams{MilliEpsilon: 500, Contributions: 1}, seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		if info.Released != 4 || info.Threshold != 0 {
			t.Fatalf("fixed domain: %+v; every cell must be released without selection", info)
		}
		// Empty cells get noise too (clamped at 0), so zeros are not
		// told apart from small counts.
		for i, v := range p.Counts {
			if v < 0 {
				t.Fatalf("negative count %d at %d", v, i)
			}
		}
		if p.Counts[tab.Index([]int{1, 0})] == 0 {
			negatives++
		}
		checkMarginsAddUp(t, p)
	}
	if negatives == 0 {
		t.Fatal("an empty cell was never clamped to 0 in 50 draws: clamping untested")
	}
}

// checkMarginsAddUp checks every margin is the sum of the shown cells.
func checkMarginsAddUp(t *testing.T, p *Published) {
	t.Helper()
	want := &Table{Dims: p.Dims, Counts: make([]int64, len(p.Counts))}
	for i := range p.Counts {
		if p.IsInterior(i) && !p.Status[i].Hidden() {
			want.Counts[i] = p.Counts[i]
		}
	}
	want.fillMargins()
	for i := range p.Counts {
		if !p.IsInterior(i) && !p.Status[i].Hidden() && p.Counts[i] != want.Counts[i] {
			t.Fatalf("margin %v is %d, the shown cells add up to %d", p.Key(i), p.Counts[i], want.Counts[i])
		}
	}
}

func TestNoisyPartitionSelection(t *testing.T) {
	spec := TableSpec{Name: "cit", Dims: []Dim{{Column: "citizenship"}}}
	var rows [][]string
	for range 1000 {
		rows = append(rows, []string{"CD"})
	}
	rows = append(rows, []string{"XK"}) // one person from a rare country
	tab := rowsTable(t, spec, rows)
	leaked := 0
	for seed := range byte(200) {
		p, info, err := Noisy(tab, DPParams{MilliEpsilon: 1000, Delta: 1e-5, Contributions: 1}, seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		if info.Threshold < 11 || info.Candidates != 2 {
			t.Fatalf("%+v", info)
		}
		if !p.Status[tab.Index([]int{1})].Hidden() {
			leaked++
		}
		if p.Status[tab.Index([]int{0})].Hidden() {
			t.Fatal("a cell of 1000 was withheld")
		}
		checkMarginsAddUp(t, p)
	}
	if leaked > 0 {
		t.Fatalf("the lone person's country was released %d times in 200", leaked)
	}
}

// TestNoisyNeighbouringTables: a table and the same table with one more
// row differ in one inner cell by one (Δ = 1): the sensitivity the noise
// is scaled for.
func TestNoisyNeighbouringTables(t *testing.T) {
	spec := TableSpec{Name: "x", Dims: []Dim{{Column: "a"}, {Column: "b", Values: []string{"1", "2", "3"}}}}
	r := rand.New(rand.NewPCG(9, 9))
	for range 100 {
		var rows [][]string
		for range 1 + r.IntN(200) {
			rows = append(rows, []string{fmt.Sprint("v", r.IntN(4)), fmt.Sprint(1 + r.IntN(3))})
		}
		extra := []string{rows[r.IntN(len(rows))][0], fmt.Sprint(1 + r.IntN(3))}
		a, b := rowsTable(t, spec, rows), rowsTable(t, spec, append(rows, extra))
		diff := 0
		for i := range a.Counts {
			if a.IsInterior(i) {
				d := b.Counts[i] - a.Counts[i]
				if d < 0 || d > 1 {
					t.Fatalf("cell %v changed by %d", a.Key(i), d)
				}
				diff += int(d)
			}
		}
		if diff != 1 {
			t.Fatalf("one more row changed the inner cells by %d in all", diff)
		}
	}
}

func TestCheckBudget(t *testing.T) {
	spent := []Spend{{2023, 2024, 1000}, {2024, 2024, 500}}
	if err := CheckBudget(2000, spent, Spend{2025, 2025, 2000}); err != nil {
		t.Fatalf("a fresh year refused: %v", err)
	}
	if err := CheckBudget(2000, spent, Spend{2023, 2023, 1000}); err != nil {
		t.Fatalf("2023 has 1.0 left: %v", err)
	}
	err := CheckBudget(2000, spent, Spend{2022, 2025, 600})
	if b, ok := err.(*ErrBudget); !ok || b.Year != 2024 || b.Spent != 1500 {
		t.Fatalf("2024 holds 1.5 + 0.6 > 2: got %v", err)
	}
}

// TestBudgetNeverExceeded is a property test: random releases charged
// through CheckBudget never leave any year over the budget, and a refused
// one always had a year that would have passed it.
func TestBudgetNeverExceeded(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 200 {
		maxMilli := int64(1000 + r.IntN(5000))
		var spent []Spend
		for range 50 {
			from := 2015 + r.IntN(10)
			next := Spend{from, from + r.IntN(4), int64(1 + r.IntN(1500))}
			err := CheckBudget(maxMilli, spent, next)
			over := false
			for y := next.From; y <= next.To; y++ {
				sum := next.Milli
				for _, s := range spent {
					if s.From <= y && y <= s.To {
						sum += s.Milli
					}
				}
				over = over || sum > maxMilli
			}
			if over != (err != nil) {
				t.Fatalf("spent %v, next %v, max %d: over %v but err %v", spent, next, maxMilli, over, err)
			}
			if err == nil {
				spent = append(spent, next)
			}
		}
	}
}
