// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import "vigie/internal/domain"

// grid builds a table from keyed counts; rows and columns follow their
// order, then any other key met, sorted.
type grid struct {
	t      *Table
	rowOrd []string
	colOrd []string
	rowLbl func(string) Label
	colLbl func(string) Label
	counts map[[2]string]int64
}

func newGrid(id, section, rowDim, colDim, unit string) *grid {
	return &grid{t: &Table{ID: id, Section: section, RowDim: rowDim, ColDim: colDim, Unit: unit}, counts: map[[2]string]int64{}}
}

func (g *grid) add(row, col string, n int64) { g.counts[[2]string{row, col}] += n }

// done lays the counts out. Column totals are the sums of the columns
// unless the rows overlap (a person at several stages), when there are none.
func (g *grid) done() *Table {
	rows, cols := map[string]bool{}, map[string]bool{}
	for k := range g.counts {
		rows[k[0]], cols[k[1]] = true, true
	}
	t := g.t
	t.RowKeys, t.ColKeys = keysInOrder(g.rowOrd, rows), keysInOrder(g.colOrd, cols)
	t.Cells = make([][]int64, len(t.RowKeys))
	t.RowTotals = make([]int64, len(t.RowKeys))
	t.ColTotals = make([]int64, len(t.ColKeys))
	for r, rk := range t.RowKeys {
		t.Cells[r] = make([]int64, len(t.ColKeys))
		for c, ck := range t.ColKeys {
			n := g.counts[[2]string{rk, ck}]
			t.Cells[r][c], t.RowTotals[r], t.ColTotals[c] = n, t.RowTotals[r]+n, t.ColTotals[c]+n
		}
		t.Rows = append(t.Rows, g.rowLbl(rk))
		if !t.Overlap {
			t.Total += t.RowTotals[r]
		}
	}
	for _, ck := range t.ColKeys {
		t.Cols = append(t.Cols, g.colLbl(ck))
	}
	if t.Overlap {
		t.ColTotals, t.Total = nil, 0
	}
	return t
}

func msgLabel(prefix string) func(string) Label {
	return func(k string) Label {
		if k == "" {
			return Label{Msg: "report.unknown"}
		}
		return Label{Msg: prefix + k}
	}
}

var stages = []string{"investigated", "prosecuted", "convicted"}

func nationalityOf(country string) string {
	switch country {
	case "":
		return ""
	case domain.NationalCountry:
		return "national"
	}
	return "foreign"
}

// justiceTables are persons investigated, prosecuted and convicted (a
// person counts once per stage) by sex, age group and nationality; the
// offences charged by verdict; the sentences pronounced.
func justiceTables(f *domain.JusticeFigures) []*Table {
	persons := func(id, colDim string, colOrd []string, colLbl func(string) Label, group func(map[string]int, func(string, int))) *Table {
		g := newGrid(id, "justice", "report.dim.stage", colDim, "report.unit.persons")
		g.t.Overlap = true
		g.rowOrd, g.colOrd, g.rowLbl, g.colLbl = stages, colOrd, msgLabel("report.stage."), colLbl
		for i, pc := range []domain.PersonCounts{f.Investigated, f.Prosecuted, f.Convicted} {
			stage := stages[i]
			group(pcMap(pc, id), func(k string, n int) { g.add(stage, k, int64(n)) })
			if pc.Total == 0 {
				g.add(stage, colOrd[0], 0)
			}
		}
		return g.done()
	}
	each := func(key func(string) string) func(map[string]int, func(string, int)) {
		return func(m map[string]int, add func(string, int)) {
			for k, n := range m {
				add(key(k), n)
			}
		}
	}
	out := []*Table{
		persons("justice_persons_sex", "report.dim.sex", sexDim.order, sexDim.label, each(sexOf)),
		persons("justice_persons_age", "report.dim.age_group", ageGroupDim.order, ageGroupDim.label, each(func(k string) string {
			if k == "" {
				return "Unknown"
			}
			return k
		})),
		persons("justice_persons_nationality", "report.dim.nationality", nationalityDim.order, nationalityDim.label, each(nationalityOf)),
	}
	g := newGrid("justice_offences", "justice", "report.dim.offence", "report.dim.verdict", "report.unit.charges")
	g.colOrd = []string{"Convicted", "Acquitted", "Dismissed", "Withdrawn", "Pending"}
	g.colLbl = msgLabel("report.verdict.")
	names := map[string]string{}
	for _, o := range f.Offences {
		names[o.ArticleCode] = o.Law + " " + o.Article
		for v, n := range o.Verdicts {
			g.add(o.ArticleCode, v, int64(n))
		}
		if len(o.Verdicts) == 0 {
			g.add(o.ArticleCode, "Pending", 0)
		}
	}
	g.rowLbl = func(k string) Label { return Label{Text: k + " — " + names[k]} }
	out = append(out, g.done())

	s := f.Sentences
	g = newGrid("justice_sentences", "justice", "report.dim.sentence", "report.dim.count", "report.unit.sentences")
	g.t.Overlap = true // a sentence can be suspended and carry a fine
	g.rowOrd = []string{"sentences", "suspended", "prison:0", "prison:1-12", "prison:13-60", "prison:61-120", "prison:121+", "confiscations"}
	g.colOrd = []string{"n"}
	g.add("sentences", "n", int64(s.Count))
	g.add("suspended", "n", int64(s.Suspended))
	for b, n := range s.PrisonMonths {
		g.add("prison:"+b, "n", int64(n))
	}
	g.add("confiscations", "n", int64(s.Confiscations))
	for cur, n := range s.Fines {
		g.add("fines:"+cur, "n", n)
	}
	for cur, n := range s.Compensation {
		g.add("compensation:"+cur, "n", n)
	}
	g.rowLbl = sentenceLabel
	g.colLbl = func(string) Label { return Label{Msg: "report.dim.count"} }
	return append(out, g.done())
}

func pcMap(pc domain.PersonCounts, id string) map[string]int {
	switch id {
	case "justice_persons_sex":
		return pc.ByGender
	case "justice_persons_age":
		return pc.ByAgeGroup
	}
	return pc.ByCitizenship
}

// sentenceLabel names a sentence row: "prison:13-60" is a prison term of
// 13 to 60 months, "fines:CDF" the fines in Congolese francs.
func sentenceLabel(k string) Label {
	for _, p := range []string{"prison:", "fines:", "compensation:"} {
		if len(k) > len(p) && k[:len(p)] == p {
			return Label{Msg: "report.sentence." + p[:len(p)-1], Text: k[len(p):]}
		}
	}
	return Label{Msg: "report.sentence." + k}
}

// trainingTables are the officials trained in the period by ministry and
// by province, each by sex.
func trainingTables(s *domain.TrainingSummary) []*Table {
	sexLbl := func(k string) Label {
		if k == "" {
			return Label{Msg: "report.unknown"}
		}
		return Label{Enum: "vig_TrainingSex", Text: k}
	}
	by := func(id, rowDim string, key func(domain.ReachCount) string, rowLbl func(string) Label, rowOrd []string) *Table {
		g := newGrid(id, "training", rowDim, "report.dim.sex", "report.unit.officials")
		// Sessions of every organiser: an agency's report shows them too.
		g.t.Note = "report.note.training_national"
		g.rowOrd, g.colOrd, g.rowLbl, g.colLbl = rowOrd, domain.TrainingSex.Values, rowLbl, sexLbl
		for _, c := range s.Groups {
			g.add(key(c), c.Sex, int64(c.Count))
		}
		return g.done()
	}
	ministries := func(k string) Label {
		if k == "" {
			return Label{Msg: "report.unknown"}
		}
		return Label{Text: k}
	}
	return []*Table{
		by("training_ministry_sex", "report.dim.ministry", func(c domain.ReachCount) string { return c.Ministry }, ministries, nil),
		by("training_province_sex", "report.dim.province", func(c domain.ReachCount) string { return c.Province }, provinceDim.label, nil),
	}
}

var reachedCols = []string{"female_children", "female_adults", "male_children", "male_adults"}

// awarenessTables are the people reached by awareness activities, by
// province and by type of activity, and the number of activities.
func awarenessTables(s *domain.AwarenessSummary) []*Table {
	reached := func(id, rowDim string, key func(domain.AwarenessTotal) string, rowLbl func(string) Label) *Table {
		g := newGrid(id, "awareness", rowDim, "report.dim.audience", "report.unit.people")
		g.colOrd, g.rowLbl, g.colLbl = reachedCols, rowLbl, msgLabel("report.audience.")
		for _, r := range s.Rows {
			k := key(r)
			for i, n := range []int{r.Reached.FemaleChildren, r.Reached.FemaleAdults, r.Reached.MaleChildren, r.Reached.MaleAdults} {
				g.add(k, reachedCols[i], int64(n))
			}
		}
		return g.done()
	}
	typeLbl := enumLabel("vig_AwarenessType")
	g := newGrid("awareness_activities", "awareness", "report.dim.activity", "report.dim.count", "report.unit.activities")
	g.colOrd, g.rowLbl, g.colLbl = []string{"n"}, typeLbl, func(string) Label { return Label{Msg: "report.dim.count"} }
	g.rowOrd = domain.AwarenessType.Values
	for _, r := range s.Rows {
		g.add(r.Type, "n", int64(r.Activities))
	}
	return []*Table{
		reached("awareness_province", "report.dim.province", func(r domain.AwarenessTotal) string { return r.Province }, provinceDim.label),
		reached("awareness_type", "report.dim.activity", func(r domain.AwarenessTotal) string { return r.Type }, typeLbl),
		g.done(),
	}
}
