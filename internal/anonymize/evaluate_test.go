// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func mustTable(t *testing.T, hdr []string, rows ...[]string) *Table {
	t.Helper()
	tab, err := NewTable(hdr)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := tab.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	return tab
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func equal[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

var genderAge = []QI{{ColGender, GenderHierarchy()}, {ColAge, AgeHierarchy()}}

// The four-row example worked out by hand: a release that is NOT
// 2-anonymous (the man aged 18–20 stays alone); the evaluator must say so.
func TestEvaluateNotKAnonymous(t *testing.T) {
	hdr := []string{"gender", "ageBroad"}
	sens := mustTable(t, hdr, []string{"Female", "18--20"}, []string{"Female", "18--20"}, []string{"Female", "21--23"}, []string{"Male", "18--20"})
	rel := mustTable(t, hdr, []string{"Female", "18--23"}, []string{"Female", "18--23"}, []string{"Female", "18--23"}, []string{"Male", "18--20"})
	m, err := Evaluate(Release{Sensitive: sens, Released: rel, RowOf: []int32{0, 1, 2, 3}, QIs: genderAge}, EvalOptions{K: 2, Length: 2})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "classes", m.Classes, 2)
	equal(t, "smallest class", m.SmallestClass, 1)
	equal(t, "records at risk", m.RecordsAtRisk, 1)
	near(t, "R_k", m.RecordsAtRiskShare, 0.25)
	equal(t, "uniques", m.Uniques, 1)
	near(t, "highest prosecutor risk", m.HighestProsecutorRisk, 1)
	near(t, "average prosecutor risk", m.AverageProsecutorRisk, 0.5)
	near(t, "records at highest risk", m.RecordsAtHighestRisk, 0.25)
	near(t, "discernibility", m.Discernibility, 3*3+1*1)
	near(t, "C_AVG", m.CAvg, 1)
	equal(t, "suppressed records", m.SuppressedRecords, 0)
	equal(t, "generalised cells", m.GeneralisedCells, 3)
	equal(t, "inconsistent cells", m.InconsistentCells, 0)
	// Age "18--23" covers both ages present: loss 1 on 3 of 8 cells.
	near(t, "loss", m.GeneralisationLoss, 3.0/8)
	near(t, "granularity", m.Granularity, 5.0/8)
	// −log2 P(orig | released): 2 × −log2(3/4) + −log2(1/4), over the
	// same with every cell suppressed: 2 columns × (3 × −log2(3/4) + 2).
	l34 := -math.Log2(0.75)
	near(t, "non-uniform entropy", m.NonUniformEntropy, (2*l34+2)/(2*(3*l34+2)))

	// Combinations (gender, age; length ≤ 2), sensitive: F 3, M 1, 18–20 3,
	// 21–23 1, F·18–20 2, F·21–23 1, M·18–20 1 — 4 of 7 rarer than 2.
	// Released: F 3, M 1, 18–20 1, M·18–20 1.
	equal(t, "combinations", m.Combinations, 7)
	near(t, "rare %", m.RareCombinationsPct, 100*4.0/7)
	near(t, "suppressed %", m.SuppressedCombinationsPct, 100*3.0/7)
	near(t, "fabricated %", m.FabricatedCombinationsPct, 0)
	near(t, "MAE", m.MAE, 2.0/4)
	if !slices.Equal(m.MAEByLength, []float64{2.0 / 3, 0}) {
		t.Errorf("MAE by length = %v, want [0.667 0]", m.MAEByLength)
	}
	if !slices.Equal(m.Leakage, []int{1, 1}) {
		t.Errorf("leakage = %v, want [1 1] (M, M·18–20 released once)", m.Leakage)
	}
	near(t, "records with a rare combination %", m.RecordsWithRareCombPct, 50)
	// One bucket (counts ≤ 10): F 0, M 0, 18–20 2/3, F·18–20 1, M·18–20 0.
	near(t, "mean proportional error", m.MeanProportionalError, 1.0/3)
}

// Suppressed rows and cells: the woman aged 21–23 is not released and
// gender is suppressed ("-99") for the others, which are then 3-anonymous.
func TestEvaluateSuppression(t *testing.T) {
	hdr := []string{"gender", "ageBroad"}
	sens := mustTable(t, hdr, []string{"Female", "18--20"}, []string{"Female", "18--20"}, []string{"Female", "21--23"}, []string{"Male", "18--20"})
	rel := mustTable(t, hdr, []string{"-99", "18--20"}, []string{"-99", "18--20"}, []string{"-99", "18--20"})
	m, err := Evaluate(Release{Sensitive: sens, Released: rel, RowOf: []int32{0, 1, 3}, QIs: genderAge}, EvalOptions{K: 3, Length: 2})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "records at risk", m.RecordsAtRisk, 0)
	equal(t, "smallest class", m.SmallestClass, 3)
	equal(t, "suppressed records", m.SuppressedRecords, 1)
	near(t, "suppressed records share", m.SuppressedRecordsShare, 0.25)
	equal(t, "suppressed cells", m.SuppressedCells, 3)
	near(t, "suppressed cells share", m.SuppressedCellsShare, 3.0/8) // over the 4 input rows' 8 cells
	near(t, "discernibility", m.Discernibility, 9+1*4)
	near(t, "C_AVG", m.CAvg, 1)
	// Loss: 3 gender cells at 1, 0 for ages, the suppressed row 2 cells.
	near(t, "loss", m.GeneralisationLoss, 5.0/8)
	// Combinations: only 18–20 (3) survives; 18–20 matches exactly.
	near(t, "MAE", m.MAE, 0)
	near(t, "suppressed %", m.SuppressedCombinationsPct, 100*6.0/7)
	if !slices.Equal(m.Leakage, []int{0, 0}) {
		t.Errorf("leakage = %v, want none", m.Leakage)
	}
}

// A release whose cell does not cover the original value is caught, and
// a value the sensitive data never had is a fabricated combination.
func TestEvaluateInconsistentAndFabricated(t *testing.T) {
	hdr := []string{"gender", "ageBroad"}
	sens := mustTable(t, hdr, []string{"Female", "18--20"}, []string{"Female", "18--20"})
	rel := mustTable(t, hdr, []string{"Male", "18--20"}, []string{"Female", "0--17"})
	m, err := Evaluate(Release{Sensitive: sens, Released: rel, RowOf: []int32{0, 1}, QIs: genderAge}, EvalOptions{K: 1, Length: 1})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "inconsistent cells", m.InconsistentCells, 2)
	// Sensitive: F 2, 18–20 2. Released: M 1 (fabricated), F 1, 18–20 1.
	near(t, "fabricated %", m.FabricatedCombinationsPct, 50)
	near(t, "MAE", m.MAE, 1)
}

func TestEvaluateRefusesBadInput(t *testing.T) {
	hdr := []string{"gender", "ageBroad"}
	sens := mustTable(t, hdr, []string{"Female", "18--20"})
	for name, tc := range map[string]struct {
		rel Release
		opt EvalOptions
	}{
		"no k":           {Release{Sensitive: sens, Released: sens, QIs: genderAge}, EvalOptions{}},
		"length 5":       {Release{Sensitive: sens, Released: sens, QIs: genderAge}, EvalOptions{K: 2, Length: 5}},
		"missing QI":     {Release{Sensitive: sens, Released: sens, QIs: []QI{{ColYear, YearHierarchy()}}}, EvalOptions{K: 2}},
		"missing column": {Release{Sensitive: sens, Released: sens, QIs: genderAge}, EvalOptions{K: 2, Columns: []string{"isForcedLabour"}}},
		"row count":      {Release{Sensitive: sens, Released: sens, RowOf: []int32{0, 0}, QIs: genderAge}, EvalOptions{K: 2}},
		"no sensitive":   {Release{Released: sens, QIs: genderAge}, EvalOptions{K: 2}},
	} {
		if _, err := Evaluate(tc.rel, tc.opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// The manifest's figures can be recomputed from the published file alone
// (no row numbers): risk and combination metrics come out the same.
func TestEvaluatePublishedFile(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	tab := randomTable(t, rng, 2500)
	cfg := DefaultConfig()
	cfg.K = 7
	res, err := Run(tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want, err := res.Evaluate(EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteCTDC(&out, res, HeaderHTCDS); err != nil {
		t.Fatal(err)
	}
	published, err := ReadCSV(&out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Evaluate(Release{Sensitive: tab, Released: published, QIs: DefaultConfig().QIs}, EvalOptions{K: 7})
	if err != nil {
		t.Fatal(err)
	}
	if got.Classes != want.Classes || got.SmallestClass != want.SmallestClass || got.RecordsAtRisk != 0 ||
		got.SuppressedRecords != want.SuppressedRecords || got.SuppressedCombinationsPct != want.SuppressedCombinationsPct ||
		got.MAE != want.MAE || got.MeanProportionalError != want.MeanProportionalError || !slices.Equal(got.Leakage, want.Leakage) {
		t.Errorf("from the file: %+v\nfrom the run: %+v", got, want)
	}
	if want.GeneralisedCells == 0 || want.MAE == 0 {
		t.Fatal("the table needed no anonymisation: the comparison proves nothing")
	}
}

// Homogeneity: the two women aged 18–20 were both sexually exploited —
// knowing a woman of 18–20 is in the release tells it; a mixed class and
// a class sharing only a missing value tell nothing.
func TestEvaluateHomogeneity(t *testing.T) {
	hdr := []string{"gender", "ageBroad", "isSexualExploit"}
	tab := mustTable(t, hdr,
		[]string{"Female", "18--20", "1"}, []string{"Female", "18--20", "1"},
		[]string{"Male", "18--20", "0"}, []string{"Male", "18--20", "-99"},
		[]string{"Female", "21--23", "-99"}, []string{"Female", "21--23", "-99"})
	m, err := Evaluate(Release{Sensitive: tab, Released: tab, QIs: genderAge}, EvalOptions{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Homogeneity{{"isSexualExploit", 1, 2}}; !slices.Equal(m.Homogeneity, want) {
		t.Errorf("homogeneity %+v, want %+v", m.Homogeneity, want)
	}
	// A quasi-identifier is not a sensitive column.
	m, err = Evaluate(Release{Sensitive: tab, Released: tab, QIs: genderAge}, EvalOptions{K: 2, Sensitive: []string{"gender", "isSexualExploit"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Homogeneity) != 1 || m.Homogeneity[0].Column != "isSexualExploit" {
		t.Errorf("homogeneity %+v", m.Homogeneity)
	}
}
