// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"encoding/json"
	"strconv"
	"strings"

	"vigie/internal/anonymize"
	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/publish"
)

// metric is one figure of a manifest with what it means, in words: the
// reviewers are not statisticians.
type metric struct {
	Label, Help string // message IDs
	Value       string
	Bad         bool // the figure fails its target (shown as a warning)
}

// tableMetrics are the figures of one aggregate table.
type tableMetrics struct {
	Name    string
	Dims    string
	Metrics []metric
}

// manifestView turns a release's manifest into figures to show.
type manifestView struct {
	Summary []metric
	Tables  []tableMetrics
}

func decimal(l i18n.Lang, v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if l == i18n.FR {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func percent(l i18n.Lang, v float64) string {
	if l == i18n.FR {
		return decimal(l, v, 2) + "\u202f%" // French puts a narrow no-break space before %
	}
	return decimal(l, v, 2) + "%"
}

// readManifest decodes the manifest of rel for the page; a manifest that
// cannot be read gives no figures (the file is still what was made).
func readManifest(l i18n.Lang, rel *domain.Release) manifestView {
	var v manifestView
	num := func(n int) string { return strconv.Itoa(n) }
	switch rel.Kind {
	case domain.ReleaseRecords:
		var m anonymize.Manifest
		if json.Unmarshal(rel.Manifest, &m) != nil {
			return v
		}
		x := m.Metrics
		leak := 0
		for _, n := range x.Leakage {
			leak += n
		}
		v.Summary = []metric{
			{"publish.m.k", "publish.m.k.help", num(m.K), false},
			{"publish.m.quasi", "publish.m.quasi.help", strings.Join(m.QuasiIdentifiers, ", "), false},
			{"publish.m.records", "publish.m.records.help", num(m.ReleasedRecords) + " / " + num(m.InputRecords), false},
			{"publish.m.at_risk", "publish.m.at_risk.help", percent(l, 100*x.RecordsAtRiskShare), x.RecordsAtRisk > 0},
			{"publish.m.smallest", "publish.m.smallest.help", num(x.SmallestClass), x.SmallestClass > 0 && x.SmallestClass < m.K},
			{"publish.m.suppressed_records", "publish.m.suppressed_records.help", percent(l, 100*x.SuppressedRecordsShare), false},
			{"publish.m.suppressed_cells", "publish.m.suppressed_cells.help", percent(l, 100*x.SuppressedCellsShare), false},
			{"publish.m.granularity", "publish.m.granularity.help", decimal(l, x.Granularity, 3), false},
			{"publish.m.leakage", "publish.m.leakage.help", num(leak), leak > 0},
			{"publish.m.suppressed_combinations", "publish.m.suppressed_combinations.help", percent(l, x.SuppressedCombinationsPct), false},
			{"publish.m.mae", "publish.m.mae.help", decimal(l, x.MAE, 2), false},
		}
	case domain.ReleaseTables:
		var m publish.TablesManifest
		if json.Unmarshal(rel.Manifest, &m) != nil {
			return v
		}
		v.Summary = append(v.Summary, metric{"publish.m.rows", "publish.m.rows.help", num(int(m.Rows)), false})
		if m.Threshold > 0 {
			v.Summary = append(v.Summary, metric{"publish.m.threshold", "publish.m.threshold.help", num(m.Threshold), false})
		}
		if m.Protection > 1 {
			v.Summary = append(v.Summary, metric{"publish.m.protection", "publish.m.protection.help", num(m.Protection), false})
		}
		if m.Epsilon > 0 {
			v.Summary = append(v.Summary, metric{"publish.m.epsilon", "publish.m.epsilon.help", decimal(l, m.Epsilon, 3), false})
		}
		for _, t := range m.Tables {
			tm := tableMetrics{Name: t.Name, Dims: strings.Join(t.Dimensions, " × ")}
			if s := t.Suppression; s != nil {
				tm.Metrics = []metric{
					{"publish.m.cells", "publish.m.cells.help", num(s.Cells), false},
					{"publish.m.primary", "publish.m.primary.help", num(s.Primary) + " (" + percent(l, s.PrimaryPct) + ")", false},
					{"publish.m.secondary", "publish.m.secondary.help", num(s.Secondary), false},
					{"publish.m.suppressed_pct", "publish.m.suppressed_pct.help", percent(l, s.SuppressedPct), false},
					{"publish.m.count_hidden", "publish.m.count_hidden.help", percent(l, s.CountHiddenPct), false},
				}
			}
			if d := t.DP; d != nil {
				tm.Metrics = []metric{
					{"publish.m.table_epsilon", "publish.m.table_epsilon.help", decimal(l, d.Epsilon, 3), false},
					{"publish.m.expected_error", "publish.m.expected_error.help", decimal(l, d.ExpectedAbsError, 2), false},
					{"publish.m.released", "publish.m.released.help", num(d.Released) + " / " + num(d.Candidates), false},
					{"publish.m.dp_mae", "publish.m.dp_mae.help", decimal(l, d.MAE, 2), false},
				}
				if d.Threshold > 0 {
					tm.Metrics = append(tm.Metrics, metric{"publish.m.selection", "publish.m.selection.help", strconv.FormatInt(d.Threshold, 10), false})
				}
			}
			if t.Pooled > 0 {
				tm.Metrics = append(tm.Metrics, metric{"publish.m.pooled", "publish.m.pooled.help", strconv.Itoa(t.Pooled), true})
			}
			if t.Unlisted > 0 {
				tm.Metrics = append(tm.Metrics, metric{"publish.m.unlisted", "publish.m.unlisted.help", strconv.FormatInt(t.Unlisted, 10), true})
			}
			v.Tables = append(v.Tables, tm)
		}
	}
	return v
}
