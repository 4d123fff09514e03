// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// WriteCSV writes every figure of the report, totals included, one per
// line: section, table, row, column, figure, and the row and column keys
// (stable across languages, for programs). UTF-8 with a byte-order mark so
// that spreadsheet programs read the accents.
func WriteCSV(w io.Writer, l *i18n.Localizer, r *Report) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return domain.Wrap(domain.KindInternal, err, "writing the report")
	}
	cw := csv.NewWriter(w)
	head := []string{l.T("report.csv.section"), l.T("report.csv.table"), l.T("report.csv.row"), l.T("report.csv.column"),
		l.T("report.csv.value"), "period", "scope", "table_id", "row_key", "col_key"}
	if err := cw.Write(head); err != nil {
		return domain.Wrap(domain.KindInternal, err, "writing the report")
	}
	total := l.T("report.total")
	for _, t := range r.Tables {
		title := t.Title(l)
		line := func(row, col string, n int64, rk, ck string) error {
			return cw.Write([]string{l.T("report.section." + t.Section), safeCell(title), safeCell(row), safeCell(col),
				strconv.FormatInt(n, 10), r.Period.String(), r.Agency, t.ID, rk, ck})
		}
		for i, rk := range t.RowKeys {
			row := t.Rows[i].String(l)
			for j, ck := range t.ColKeys {
				if err := line(row, t.Cols[j].String(l), t.Cells[i][j], rk, ck); err != nil {
					return domain.Wrap(domain.KindInternal, err, "writing the report")
				}
			}
			if len(t.ColKeys) > 1 {
				if err := line(row, total, t.RowTotals[i], rk, All); err != nil {
					return domain.Wrap(domain.KindInternal, err, "writing the report")
				}
			}
		}
		if t.ColTotals != nil {
			for j, ck := range t.ColKeys {
				if err := line(total, t.Cols[j].String(l), t.ColTotals[j], All, ck); err != nil {
					return domain.Wrap(domain.KindInternal, err, "writing the report")
				}
			}
			if err := line(total, total, t.Total, All, All); err != nil {
				return domain.Wrap(domain.KindInternal, err, "writing the report")
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return domain.Wrap(domain.KindInternal, err, "writing the report")
	}
	return nil
}

// safeCell keeps a spreadsheet from reading a label (a ministry's name as
// typed) as a formula.
func safeCell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
