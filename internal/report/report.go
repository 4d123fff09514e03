// SPDX-License-Identifier: AGPL-3.0-or-later

// Package report builds the annual national report: the tables of
// victims detected (by sex, age, form of exploitation, citizenship,
// province, place of identification, assistance and repatriation), the
// criminal-justice figures, the officials trained and the people reached
// by awareness work, for a period and one agency or the whole country;
// and writes it as XLSX, CSV, HTML and PDF. The victims' tables come from
// one read of the cases' de-identified columns (domain.CubeService); the
// other sections from their areas' figures. Figures are exact: the
// report is internal, not a public release.
package report

import (
	"context"
	"strconv"

	"vigie/internal/domain"
)

// Period is a span of registration years, inclusive.
type Period struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// String is "2026" or "2024-2026": the period's key in locks and files.
func (p Period) String() string {
	if p.From == p.To {
		return strconv.Itoa(p.From)
	}
	return strconv.Itoa(p.From) + "-" + strconv.Itoa(p.To)
}

// Validate checks the period.
func (p Period) Validate() error {
	var probs domain.Problems
	if p.From < domain.MinRegistrationYear || p.From > 9999 {
		probs.Add("year", "validation.range", "%d is not a year between %d and 9999", p.From, domain.MinRegistrationYear)
	}
	if p.To < p.From || p.To > 9999 {
		probs.Add("to", "validation.range", "%d is not a year between %d and 9999", p.To, p.From)
	}
	return probs.Err()
}

// Report is the annual report of a period and scope ("" is the whole
// country, else an agency code).
type Report struct {
	Period Period   `json:"period"`
	Agency string   `json:"agency,omitempty"`
	Tables []*Table `json:"tables"`
}

// Table is one table of figures. Cells[r][c] counts the cases (or
// persons, activities…) under row r and column c. Overlap says that a
// case may count in several rows (forms of exploitation, citizenships,
// services), so that the rows add up to more than the total; columns
// never overlap, so a row's total is the sum of its cells.
type Table struct {
	ID        string    `json:"id"`
	Section   string    `json:"section"` // victims, justice, training, awareness
	RowDim    string    `json:"row_dim"` // message IDs of the headings
	ColDim    string    `json:"col_dim"`
	RowKeys   []string  `json:"row_keys"`
	ColKeys   []string  `json:"col_keys"`
	Rows      []Label   `json:"rows"`
	Cols      []Label   `json:"cols"`
	Cells     [][]int64 `json:"cells"`
	RowTotals []int64   `json:"row_totals"`
	ColTotals []int64   `json:"col_totals"`
	Total     int64     `json:"total"`
	Overlap   bool      `json:"overlap,omitempty"`
	// Drill is whether each figure links to the cases behind it.
	Drill bool `json:"drill,omitempty"`
	// Detail tables are long lists for the spreadsheet and CSV files.
	Detail bool `json:"detail,omitempty"`
	// Unit is the message ID of what the figures count.
	Unit string `json:"unit"`
	// Note is the message ID of a remark printed under the table.
	Note string `json:"note,omitempty"`
}

// Table returns the table with this ID, or nil.
func (r *Report) Table(id string) *Table {
	for _, t := range r.Tables {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Sources are where the figures come from.
type Sources struct {
	Cube      domain.CubeService
	Justice   func(ctx context.Context, f domain.FiguresFilter) (*domain.JusticeFigures, error)
	Training  func(ctx context.Context, from, to domain.Date) (*domain.TrainingSummary, error)
	Awareness func(ctx context.Context, f domain.AwarenessFilter) (*domain.AwarenessSummary, error)
}

// BaseFilter is the stats filter of the victims' tables: the period's
// registration years, the scope's agency, and victims only (screenings
// decided "not a victim" are not victims detected).
func BaseFilter(p Period, agency string) domain.StatsFilter {
	return domain.StatsFilter{YearFrom: p.From, YearTo: p.To, Agency: agency, Victims: true}
}

// Build computes the report of a period for one agency ("" the country).
// The caller has checked that the reader may see that scope.
func Build(ctx context.Context, src Sources, p Period, agency string) (*Report, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	cube, err := src.Cube.CaseCube(ctx, BaseFilter(p, agency), false)
	if err != nil {
		return nil, err
	}
	r := &Report{Period: p, Agency: agency}
	for _, def := range victimTables {
		r.Tables = append(r.Tables, def.build(cube))
	}
	from, to := domain.NewDate(p.From, 1, 1), domain.NewDate(p.To, 12, 31)
	if src.Justice != nil {
		jf, err := src.Justice(ctx, domain.FiguresFilter{From: from, To: to, Agency: agency})
		if err != nil {
			return nil, err
		}
		r.Tables = append(r.Tables, justiceTables(jf)...)
	}
	if src.Training != nil {
		ts, err := src.Training(ctx, from, to)
		if err != nil {
			return nil, err
		}
		r.Tables = append(r.Tables, trainingTables(ts)...)
	}
	if src.Awareness != nil {
		as, err := src.Awareness(ctx, domain.AwarenessFilter{From: from, To: to, Agency: agency})
		if err != nil {
			return nil, err
		}
		r.Tables = append(r.Tables, awarenessTables(as)...)
	}
	return r, nil
}
