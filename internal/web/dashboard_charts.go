// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"cmp"
	"context"
	"errors"
	"html/template"
	"slices"
	"strconv"
	"sync"

	"vigie/internal/chart"
	"vigie/internal/domain"
	"vigie/internal/geo"
	"vigie/internal/i18n"
)

// Bounds of the charts: how many citizenships have their own bar, how
// many forms of exploitation their own small chart, and how long a
// period is drawn month by month (longer ones go year by year).
const (
	topCitizenships = 10
	topForms        = 6
	maxMonths       = 60
)

// dashStore is what the dashboard reads: the shared cube of the period's
// cases, and the counts by month and form of exploitation (the cube has
// months only by the day, far finer than a chart needs).
type dashStore interface {
	domain.CubeService
	MonthCounts(ctx context.Context, f domain.StatsFilter) (byMonth, byForm []domain.StatsRow, err error)
}

// dashBuilder reads the period's counts once and draws the charts.
type dashBuilder struct {
	ctx      context.Context
	st       dashStore
	f        dashFilter
	l        *i18n.Localizer
	national bool // every agency: the chart by agency is drawn
	// cube is the period's counts by every dimension but the month;
	// months and monthForms its counts by month, and by month and form
	// of exploitation.
	cube               []domain.CubeRow
	months, monthForms []domain.StatsRow
}

// load reads the two sets of counts, side by side: each walks the
// report's index once, and the read pool serves both at once.
func (b *dashBuilder) load() error {
	var errCube, errMonths error
	var wg sync.WaitGroup
	wg.Go(func() { b.cube, errCube = b.st.CaseCube(b.ctx, b.f.stats(), false) })
	wg.Go(func() { b.months, b.monthForms, errMonths = b.st.MonthCounts(b.ctx, b.f.stats()) })
	wg.Wait()
	return errors.Join(errCube, errMonths)
}

// count sums the cube by the dimensions (not the month).
func (b *dashBuilder) count(by ...domain.StatsDim) ([]domain.StatsRow, error) {
	return domain.Marginal(b.cube, by, nil), nil
}

// fig is a figure with the page's words and number format.
func (b *dashBuilder) fig(id, title, desc, labelHead string, kv ...any) chart.Figure {
	f := chart.Figure{ID: id, Title: b.l.T(title, pairs(kv)), Desc: b.l.T(desc, pairs(kv)), LabelHead: b.l.T(labelHead),
		ValueHead: b.l.T("dashboard.victims"), Empty: b.l.T("dashboard.none"), Format: b.l.Number}
	if b.l.Lang() == i18n.EN {
		f.Sep = ": "
	}
	return f
}

// label names a value of a dimension in the page's language.
func (b *dashBuilder) label(field, v string) string {
	if v == "" {
		return b.l.T("dashboard.unknown")
	}
	return b.l.Enum(field, v)
}

// victims draws the victims' charts and maps, and sets the total.
func (b *dashBuilder) victims(d *dashboardData) error {
	sexAge := func() (template.HTML, error) {
		rows, err := b.count(domain.StatsGender, domain.StatsAgeGroup)
		for _, r := range rows {
			d.Total += r.N // written by this step only, read after all ended
		}
		return b.sexAge(rows), err
	}
	steps := []func() (template.HTML, error){b.series, sexAge, b.exploitation, b.exploitationTrend, b.citizenship}
	if b.national {
		steps = append(steps, b.byAgency)
	}
	maps := []func() (template.HTML, error){b.provinceMap, b.citizenshipMap, b.exploitationMap}
	out, err := parallel(append(steps, maps...))
	if err != nil {
		return err
	}
	d.Victims, d.Maps = out[:len(steps)], out[len(steps):]
	return nil
}

// parallel runs the steps at once and returns their HTML in order. Each
// sums the cube read by load and draws (a cube of a million cases has
// tens of thousands of rows): the cores share the work.
func parallel(steps []func() (template.HTML, error)) ([]template.HTML, error) {
	out := make([]template.HTML, len(steps))
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Go(func() { out[i], errs[i] = step() })
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// timeRows counts by period (and form of exploitation when byForm): by
// month when the months with a count span at most maxMonths and few
// cases lack their month, otherwise by year, which counts the cases
// registered with a year only too (imported CTDC records have none). Values[0] of the
// rows is then "2026-03" or "2026"; from and to bound the period drawn
// (the filter's ends, else the first and last with a count).
func (b *dashBuilder) timeRows(byForm bool) (rows []domain.StatsRow, from, to month, yearly bool, err error) {
	rows = b.months
	if byForm {
		rows = b.monthForms
	}
	var known, unknown int64
	from, to = b.f.from, b.f.to
	for _, r := range rows {
		m, ok := parseMonthKey(r.Values[0])
		if !ok {
			unknown += r.N
			continue
		}
		known += r.N
		from, to = widen(from, to, m, b.f)
	}
	if known > 0 && unknown*10 <= known+unknown && monthsBetween(from, to) <= maxMonths {
		return rows, from, to, false, nil
	}
	by := []domain.StatsDim{domain.StatsYear}
	if byForm {
		by = append(by, domain.StatsExploitation)
	}
	if rows, err = b.count(by...); err != nil {
		return nil, month{}, month{}, false, err
	}
	from, to = b.f.from, b.f.to
	for _, r := range rows {
		if y, err := strconv.Atoi(r.Values[0]); err == nil {
			from, to = widen(from, to, month{y, 1}, b.f)
		}
	}
	return rows, from, to, true, nil
}

// widen stretches [from, to] to m on the ends the filter leaves open.
func widen(from, to, m month, f dashFilter) (month, month) {
	if f.from.zero() && (from.zero() || m.before(from)) {
		from = m
	}
	if f.to.zero() && (to.zero() || to.before(m)) {
		to = m
	}
	return from, to
}

// monthLabel is "mars 2026" / "Mar 2026".
func (b *dashBuilder) monthLabel(m month) string {
	return b.l.T("dashboard.month."+strconv.Itoa(m.m)) + " " + strconv.Itoa(m.y)
}

// timeline turns rows keyed by month (first value) into one item per
// month of the period, zeros included, or per year when the period is
// long; rows whose month is unknown are left out.
func (b *dashBuilder) timeline(rows []domain.StatsRow, from, to month, yearly bool) []chart.Item {
	byKey := map[string]int64{}
	for _, r := range rows {
		k := r.Values[0]
		if yearly && len(k) >= 4 {
			k = k[:4]
		}
		byKey[k] += r.N
	}
	var items []chart.Item
	if yearly {
		for y := from.y; y <= to.y; y++ {
			k := strconv.Itoa(y)
			items = append(items, chart.Item{Label: k, Value: byKey[k]})
		}
		return items
	}
	for m := from; !to.before(m); m = m.next() {
		items = append(items, chart.Item{Label: b.monthLabel(m), Value: byKey[m.String()]})
	}
	return items
}

// series is the victims registered per month (or year).
func (b *dashBuilder) series() (template.HTML, error) {
	rows, from, to, yearly, err := b.timeRows(false)
	if err != nil {
		return "", err
	}
	if from.zero() || to.zero() {
		return chart.TimeSeries(b.fig("by-month", "dashboard.by_month.title", "dashboard.by_month.desc", "dashboard.month_col"), nil), nil
	}
	if yearly {
		f := b.fig("by-year", "dashboard.by_year.title", "dashboard.by_year.desc", "dashboard.year_col", "From", strconv.Itoa(from.y), "To", strconv.Itoa(to.y))
		return chart.TimeSeries(f, b.timeline(rows, from, to, true)), nil
	}
	f := b.fig("by-month", "dashboard.by_month.title", "dashboard.by_month.desc", "dashboard.month_col", "From", b.monthLabel(from), "To", b.monthLabel(to))
	return chart.TimeSeries(f, b.timeline(rows, from, to, false)), nil
}

// sexAge is the stacked bars of sex by age group.
func (b *dashBuilder) sexAge(rows []domain.StatsRow) template.HTML {
	groups := []string{"Child", "Adult", "Unknown"}
	var series []string
	for _, g := range groups {
		series = append(series, b.l.Enum("vig_AgeGroup", g))
	}
	var stacks []chart.Stack
	index := map[string]int{}
	for _, r := range rows {
		i, ok := index[r.Values[0]]
		if !ok {
			i = len(stacks)
			index[r.Values[0]] = i
			stacks = append(stacks, chart.Stack{Label: b.label("prs_Gender", r.Values[0]), Values: make([]int64, len(groups))})
		}
		g := slices.Index(groups, r.Values[1])
		if g < 0 {
			g = len(groups) - 1 // an empty age group is unknown too
		}
		stacks[i].Values[g] += r.N
	}
	sortStacks(stacks)
	f := b.fig("sex-age", "dashboard.sex_age.title", "dashboard.sex_age.desc", "dashboard.sex")
	return chart.Stacked(f, series, b.l.T("dashboard.total_col"), stacks)
}

// sortStacks puts the largest totals first.
func sortStacks(stacks []chart.Stack) {
	total := func(s chart.Stack) (n int64) {
		for _, v := range s.Values {
			n += v
		}
		return n
	}
	slices.SortStableFunc(stacks, func(a, c chart.Stack) int { return cmp.Compare(total(c), total(a)) })
}

// items turns one-dimension rows into items, largest first, named by
// field's labels.
func (b *dashBuilder) items(rows []domain.StatsRow, field string) []chart.Item {
	items := make([]chart.Item, 0, len(rows))
	for _, r := range rows {
		items = append(items, chart.Item{Label: b.label(field, r.Values[0]), Value: r.N})
	}
	slices.SortStableFunc(items, func(a, c chart.Item) int { return cmp.Compare(c.Value, a.Value) })
	return items
}

func (b *dashBuilder) exploitation() (template.HTML, error) {
	rows, err := b.count(domain.StatsExploitation)
	if err != nil {
		return "", err
	}
	f := b.fig("exploitation", "dashboard.exploitation.title", "dashboard.exploitation.desc", "dashboard.exploitation")
	return chart.Bars(f, b.items(rows, "vic_TypeOfExploitation")), nil
}

// exploitationTrend is a small chart per main form of exploitation.
func (b *dashBuilder) exploitationTrend() (template.HTML, error) {
	rows, from, to, yearly, err := b.timeRows(true)
	if err != nil {
		return "", err
	}
	f := b.fig("exploitation-trend", "dashboard.exploitation_trend.title", "dashboard.exploitation_trend.desc", "dashboard.month_col")
	if yearly {
		f.LabelHead = b.l.T("dashboard.year_col")
	}
	if from.zero() || to.zero() {
		return chart.SmallMultiples(f, nil), nil
	}
	byForm := map[string][]domain.StatsRow{}
	totals := map[string]int64{}
	for _, r := range rows {
		if r.Values[1] == "" {
			continue
		}
		byForm[r.Values[1]] = append(byForm[r.Values[1]], domain.StatsRow{Values: r.Values[:1], N: r.N})
		totals[r.Values[1]] += r.N
	}
	forms := make([]string, 0, len(byForm))
	for k := range byForm {
		forms = append(forms, k)
	}
	slices.SortFunc(forms, func(a, c string) int {
		return cmp.Or(cmp.Compare(totals[c], totals[a]), cmp.Compare(a, c))
	})
	var panels []chart.Panel
	for _, form := range forms[:min(len(forms), topForms)] {
		panels = append(panels, chart.Panel{Label: b.label("vic_TypeOfExploitation", form), Items: b.timeline(byForm[form], from, to, yearly)})
	}
	return chart.SmallMultiples(f, panels), nil
}

// countryName names a country in the page's language, from the world
// map's names (French from i18n-iso-countries, English from Natural
// Earth), then the domain's list.
func (b *dashBuilder) countryName(code string) string {
	if code == "" || code == "ZZ" {
		return b.l.T("dashboard.unknown")
	}
	if s, ok := geo.World().Shape(code); ok {
		if b.l.Lang() == i18n.FR {
			return s.NameFR
		}
		return s.Name
	}
	if n, ok := domain.CountryName(code); ok {
		return n
	}
	return code
}

func (b *dashBuilder) citizenship() (template.HTML, error) {
	rows, err := b.count(domain.StatsCitizenship)
	if err != nil {
		return "", err
	}
	items := make([]chart.Item, 0, len(rows))
	for _, r := range rows {
		items = append(items, chart.Item{Label: b.countryName(r.Values[0]), Value: r.N})
	}
	slices.SortStableFunc(items, func(a, c chart.Item) int { return cmp.Compare(c.Value, a.Value) })
	if len(items) > topCitizenships {
		var rest int64
		for _, it := range items[topCitizenships:] {
			rest += it.Value
		}
		items = append(items[:topCitizenships], chart.Item{Label: b.l.T("dashboard.others"), Value: rest})
	}
	f := b.fig("citizenship", "dashboard.citizenship.title", "dashboard.citizenship.desc", "dashboard.country", "Count", topCitizenships)
	return chart.Bars(f, items), nil
}

func (b *dashBuilder) byAgency() (template.HTML, error) {
	rows, err := b.count(domain.StatsAgency)
	if err != nil {
		return "", err
	}
	items := make([]chart.Item, 0, len(rows))
	for _, r := range rows {
		items = append(items, chart.Item{Label: r.Values[0], Value: r.N})
	}
	slices.SortStableFunc(items, func(a, c chart.Item) int { return cmp.Compare(c.Value, a.Value) })
	return chart.Bars(b.fig("agency", "dashboard.agency.title", "dashboard.agency.desc", "dashboard.agency"), items), nil
}

// countsByValue maps the first value of rows to their counts.
func countsByValue(rows []domain.StatsRow) map[string]int64 {
	m := make(map[string]int64, len(rows))
	for _, r := range rows {
		m[r.Values[0]] += r.N
	}
	return m
}

func (b *dashBuilder) provinceMap() (template.HTML, error) {
	rows, err := b.count(domain.StatsProvince)
	if err != nil {
		return "", err
	}
	f := b.fig("map-provinces", "dashboard.map_provinces.title", "dashboard.map_provinces.desc", "dashboard.province")
	return geo.DRC().Choropleth(geo.Choropleth{Figure: f, Values: countsByValue(rows), Credit: geo.CreditDRC, Caption: b.l.T("dashboard.credit_drc"),
		Labels: -1, AllRows: true, Name: func(code string) string { return b.label("vig_Province", code) }}), nil
}

func (b *dashBuilder) worldMap(dim domain.StatsDim, id, title, desc string) (template.HTML, error) {
	rows, err := b.count(dim)
	if err != nil {
		return "", err
	}
	f := b.fig(id, title, desc, "dashboard.country")
	return geo.World().Choropleth(geo.Choropleth{Figure: f, Values: countsByValue(rows), Credit: geo.CreditWorld, Caption: b.l.T("dashboard.credit_world"),
		Labels: 5, Name: b.countryName}), nil
}

func (b *dashBuilder) citizenshipMap() (template.HTML, error) {
	return b.worldMap(domain.StatsCitizenship, "map-citizenship", "dashboard.map_citizenship.title", "dashboard.map_citizenship.desc")
}

func (b *dashBuilder) exploitationMap() (template.HTML, error) {
	return b.worldMap(domain.StatsExploitationCountry, "map-exploitation", "dashboard.map_exploitation.title", "dashboard.map_exploitation.desc")
}
