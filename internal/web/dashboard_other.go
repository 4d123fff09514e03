// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"html/template"
	"maps"
	"slices"

	"vigie/internal/chart"
	"vigie/internal/domain"
)

// justice draws the persons investigated, prosecuted and convicted in
// the period, by sex.
func (b *dashBuilder) justice(j *domain.JusticeFigures) template.HTML {
	stages := []struct {
		id string
		c  domain.PersonCounts
	}{{"investigated", j.Investigated}, {"prosecuted", j.Prosecuted}, {"convicted", j.Convicted}}
	genders := map[string]bool{}
	for _, s := range stages {
		for g := range s.c.ByGender {
			genders[g] = true
		}
	}
	keys := slices.Sorted(maps.Keys(genders))
	series := make([]string, len(keys))
	for i, g := range keys {
		series[i] = b.label("prs_Gender", g)
	}
	var stacks []chart.Stack
	total := 0
	for _, s := range stages {
		st := chart.Stack{Label: b.l.T("dashboard.justice." + s.id)}
		for _, g := range keys {
			st.Values = append(st.Values, int64(s.c.ByGender[g]))
		}
		stacks = append(stacks, st)
		total += s.c.Total
	}
	f := b.fig("justice", "dashboard.justice.title", "dashboard.justice.desc", "dashboard.justice.stage")
	if total == 0 {
		stacks = nil
	}
	return chart.Stacked(f, series, b.l.T("dashboard.total_col"), stacks)
}

// training draws the officials trained in the period by ministry and sex.
func (b *dashBuilder) training(t *domain.TrainingSummary) template.HTML {
	sexes := []string{}
	for _, g := range t.Groups {
		if !slices.Contains(sexes, g.Sex) {
			sexes = append(sexes, g.Sex)
		}
	}
	slices.Sort(sexes)
	series := make([]string, len(sexes))
	for i, s := range sexes {
		series[i] = b.label("vig_TrainingSex", s)
	}
	index := map[string]int{}
	var stacks []chart.Stack
	for _, g := range t.Groups {
		i, ok := index[g.Ministry]
		if !ok {
			i = len(stacks)
			index[g.Ministry] = i
			label := g.Ministry
			if label == "" {
				label = b.l.T("dashboard.unknown")
			}
			stacks = append(stacks, chart.Stack{Label: label, Values: make([]int64, len(sexes))})
		}
		stacks[i].Values[slices.Index(sexes, g.Sex)] += int64(g.Count)
	}
	sortStacks(stacks)
	f := b.fig("training", "dashboard.training.title", "dashboard.training.desc", "dashboard.training.ministry")
	return chart.Stacked(f, series, b.l.T("dashboard.total_col"), stacks)
}

// awareness draws the people reached in the period by province, by sex
// and age.
func (b *dashBuilder) awareness(a *domain.AwarenessSummary) template.HTML {
	parts := []string{"female_children", "female_adults", "male_children", "male_adults"}
	series := make([]string, len(parts))
	for i, p := range parts {
		series[i] = b.l.T("dashboard.awareness." + p)
	}
	index := map[string]int{}
	var stacks []chart.Stack
	for _, r := range a.Rows {
		i, ok := index[r.Province]
		if !ok {
			i = len(stacks)
			index[r.Province] = i
			stacks = append(stacks, chart.Stack{Label: b.label("vig_Province", r.Province), Values: make([]int64, len(parts))})
		}
		for j, n := range []int{r.Reached.FemaleChildren, r.Reached.FemaleAdults, r.Reached.MaleChildren, r.Reached.MaleAdults} {
			stacks[i].Values[j] += int64(n)
		}
	}
	sortStacks(stacks)
	f := b.fig("awareness", "dashboard.awareness.title", "dashboard.awareness.desc", "dashboard.province")
	return chart.Stacked(f, series, b.l.T("dashboard.total_col"), stacks)
}
