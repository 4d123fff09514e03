// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"io"

	"github.com/xuri/excelize/v2"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// WriteXLSX writes the report as a workbook: one sheet per section with
// its tables one under the other (headings, figures, totals), and the
// detail tables on their own sheet.
func WriteXLSX(w io.Writer, l *i18n.Localizer, r *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	fail := func(err error) error { return domain.Wrap(domain.KindInternal, err, "writing the report workbook") }
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fail(err)
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	if err != nil {
		return fail(err)
	}
	sheets := map[string]*excelize.StreamWriter{}
	next := map[string]int{}
	var order []string
	sheet := func(name string) (*excelize.StreamWriter, error) {
		if sw, ok := sheets[name]; ok {
			return sw, nil
		}
		if len(order) == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return nil, err
		}
		if err := sw.SetColWidth(1, 1, 42); err != nil {
			return nil, err
		}
		if err := sw.SetColWidth(2, 16, 14); err != nil {
			return nil, err
		}
		sheets[name], next[name] = sw, 1
		order = append(order, name)
		head := []any{excelize.Cell{StyleID: title, Value: l.T("report.title") + " " + r.Period.String() + " — " + r.Scope(l)}}
		if err := sw.SetRow("A1", head); err != nil {
			return nil, err
		}
		if err := sw.SetRow("A2", []any{l.T("report.exact_note")}); err != nil {
			return nil, err
		}
		next[name] = 4
		return sw, nil
	}
	put := func(name string, cells []any) error {
		sw := sheets[name]
		cell, _ := excelize.CoordinatesToCellName(1, next[name])
		next[name]++
		return sw.SetRow(cell, cells)
	}
	total := l.T("report.total")
	for _, t := range r.Tables {
		name := clipSheet(l.T("report.section." + t.Section))
		if t.Detail {
			name = clipSheet(l.T("report.sheet.detail"))
		}
		if _, err := sheet(name); err != nil {
			return fail(err)
		}
		rows := [][]any{{excelize.Cell{StyleID: bold, Value: t.Title(l)}}}
		head := []any{excelize.Cell{StyleID: bold, Value: l.T(t.RowDim) + " \\ " + l.T(t.ColDim)}}
		for _, c := range t.Cols {
			head = append(head, excelize.Cell{StyleID: bold, Value: c.String(l)})
		}
		if len(t.Cols) > 1 {
			head = append(head, excelize.Cell{StyleID: bold, Value: total})
		}
		rows = append(rows, head)
		for i := range t.RowKeys {
			line := []any{t.Rows[i].String(l)}
			for _, n := range t.Cells[i] {
				line = append(line, n)
			}
			if len(t.Cols) > 1 {
				line = append(line, t.RowTotals[i])
			}
			rows = append(rows, line)
		}
		if t.ColTotals != nil {
			line := []any{excelize.Cell{StyleID: bold, Value: total}}
			for _, n := range t.ColTotals {
				line = append(line, n)
			}
			if len(t.Cols) > 1 {
				line = append(line, t.Total)
			}
			rows = append(rows, line)
		}
		if t.Overlap {
			rows = append(rows, []any{l.T("report.overlap_note")})
		}
		if t.Note != "" {
			rows = append(rows, []any{l.T(t.Note)})
		}
		rows = append(rows, []any{})
		for _, row := range rows {
			if err := put(name, row); err != nil {
				return fail(err)
			}
		}
	}
	for _, name := range order {
		if err := sheets[name].Flush(); err != nil {
			return fail(err)
		}
	}
	if err := f.Write(w); err != nil {
		return fail(err)
	}
	return nil
}

// clipSheet keeps a sheet name within Excel's 31 characters.
func clipSheet(s string) string {
	if r := []rune(s); len(r) > 31 {
		return string(r[:31])
	}
	return s
}
