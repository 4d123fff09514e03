// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// WritePDF writes the printable report (landscape A4): every table but
// the detail ones, with totals, and the note that figures are exact.
// fpdf's core fonts speak cp1252, which covers French; other characters
// become "?" (as on the training certificates).
func WritePDF(w io.Writer, l *i18n.Localizer, r *Report, generated string) error {
	pdf := fpdf.New("L", "mm", "A4", "")
	title := l.T("report.title") + " " + r.Period.String()
	pdf.SetTitle(title, true)
	pdf.SetCreator("Vigie", true)
	pdf.SetAutoPageBreak(true, 12)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-10)
		pdf.SetFont("Helvetica", "I", 8)
		pdf.CellFormat(0, 5, tr(title+" — "+r.Scope(l)+" — "+itoa(int64(pdf.PageNo()))), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 18)
	pdf.MultiCell(0, 9, tr(title), "", "L", false)
	pdf.SetFont("Helvetica", "", 11)
	pdf.MultiCell(0, 6, tr(r.Scope(l)+" · "+generated), "", "L", false)
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(0, 5, tr(l.T("report.exact_note")), "", "L", false)
	total := l.T("report.total")
	const width = 277.0
	for _, s := range Sections {
		pdf.Ln(4)
		pdf.SetFont("Helvetica", "B", 14)
		pdf.MultiCell(0, 8, tr(l.T("report.section."+s)), "", "L", false)
		for _, t := range r.Tables {
			if t.Detail || t.Section != s {
				continue
			}
			cols := len(t.Cols)
			if cols > 1 {
				cols++
			}
			first := 80.0
			cw := (width - first) / float64(max(cols, 4))
			// Keep a table's caption with its first rows.
			if pdf.GetY() > 170 {
				pdf.AddPage()
			}
			pdf.SetFont("Helvetica", "B", 10)
			pdf.MultiCell(0, 6, tr(t.Title(l)), "", "L", false)
			pdf.SetFont("Helvetica", "B", 8)
			pdf.SetFillColor(235, 235, 235)
			pdf.CellFormat(first, 6, tr(clip(l.T(t.RowDim), 48)), "1", 0, "L", true, 0, "")
			for _, c := range t.Cols {
				pdf.CellFormat(cw, 6, tr(clip(c.String(l), 22)), "1", 0, "C", true, 0, "")
			}
			if len(t.Cols) > 1 {
				pdf.CellFormat(cw, 6, tr(total), "1", 0, "C", true, 0, "")
			}
			pdf.Ln(-1)
			line := func(label string, cells []int64, sum int64, style string) {
				pdf.SetFont("Helvetica", style, 8)
				pdf.CellFormat(first, 5, tr(clip(label, 60)), "1", 0, "L", false, 0, "")
				for _, n := range cells {
					pdf.CellFormat(cw, 5, pdfNumber(l, n), "1", 0, "R", false, 0, "")
				}
				if len(t.Cols) > 1 {
					pdf.CellFormat(cw, 5, pdfNumber(l, sum), "1", 0, "R", false, 0, "")
				}
				pdf.Ln(-1)
			}
			for i := range t.RowKeys {
				line(t.Rows[i].String(l), t.Cells[i], t.RowTotals[i], "")
			}
			if t.ColTotals != nil {
				line(total, t.ColTotals, t.Total, "B")
			}
			notes := []string{t.Note}
			if t.Overlap {
				notes = append(notes, "report.overlap_note")
			}
			for _, note := range notes {
				if note != "" {
					pdf.SetFont("Helvetica", "I", 7)
					pdf.MultiCell(0, 4, tr(l.T(note)), "", "L", false)
				}
			}
			pdf.Ln(3)
		}
	}
	if err := pdf.Output(w); err != nil {
		return domain.Wrap(domain.KindInternal, err, "writing the report PDF")
	}
	return nil
}

// pdfNumber is l.Number with plain spaces: cp1252 has no narrow no-break
// space, the French thousands separator.
func pdfNumber(l *i18n.Localizer, n int64) string {
	return strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(l.Number(n))
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
