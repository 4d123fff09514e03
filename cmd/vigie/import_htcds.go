// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/htcds"
	"vigie/internal/importer"
)

// htcdsSource adapts the HTCDS readers (flat CSV/XLSX, or Vigie's JSON
// export) to the importer.
func htcdsSource(r io.Reader, _ int64, format string, opt htcds.Options) (importer.Next, func() int, func(io.Writer), error) {
	type nexter interface {
		Next() (*htcds.Record, []domain.RowError, error)
		Repeats() ([]htcds.Repeat, int)
	}
	var rd nexter
	var blank func() int
	var hidden func() ([]int, int)
	if format == "json" {
		jr, err := htcds.NewJSONReader(r, opt)
		if err != nil {
			return nil, nil, nil, err
		}
		rd = jr
	} else {
		cr, err := htcds.NewReader(r, format, opt)
		if err != nil {
			return nil, nil, nil, err
		}
		rd, blank, hidden = cr, cr.Blank, cr.Hidden
	}
	return func() (int, *domain.Case, []domain.RowError, error) {
			rec, rejects, err := rd.Next()
			if rec == nil {
				row := 0
				if len(rejects) > 0 {
					row = rejects[0].Row
				}
				return row, nil, rejects, err
			}
			return rec.Row, rec.Case, rejects, err
		}, blank, func(w io.Writer) {
			list, more := rd.Repeats()
			warnRepeats(w, format, list, more)
			if hidden != nil {
				rows, more := hidden()
				warnHidden(w, rows, more)
			}
		}, nil
}

// warnHidden names the rows hidden in the sheet that were imported: a row
// hidden to leave it out was a case like any other, unsaid.
func warnHidden(w io.Writer, rows []int, more int) {
	if len(rows) == 0 {
		return
	}
	const shown = 20
	list := make([]string, 0, shown)
	for i, r := range rows {
		if i == shown {
			more += len(rows) - shown
			break
		}
		list = append(list, strconv.Itoa(r))
	}
	extra := ""
	if more > 0 {
		extra = fmt.Sprintf(" (+%d)", more)
	}
	fmt.Fprintf(w, "vigie: attention, lignes masquées dans la feuille, importées comme les autres : %[1]s%[2]s ; supprimez de la feuille celles qui ne sont pas des dossiers / warning: rows hidden in the sheet, imported as the others: %[1]s%[2]s; delete from the sheet those that are not cases\n", strings.Join(list, ", "), extra)
}

// warnRepeats says which rows repeat an earlier row cell for cell and were
// imported as cases of their own: a row pasted twice by mistake is a
// second victim in every count until one of them is deleted. (Identical
// anonymised rows may be different victims: they are not refused.)
func warnRepeats(w io.Writer, format string, list []htcds.Repeat, more int) {
	if len(list) == 0 {
		return
	}
	what, whatFr := "row", "la ligne"
	if format == "json" {
		what, whatFr = "element", "l'élément"
	}
	const shown = 10
	for i, r := range list {
		if i == shown {
			more += len(list) - shown
			break
		}
		fmt.Fprintf(w, "vigie: attention, %[1]s %[3]d reprend %[1]s %[4]d cellule pour cellule : ce sont deux dossiers ; si c'est la même victime, supprimez-en un / warning: %[2]s %[3]d repeats %[2]s %[4]d cell for cell: they are two cases; if they are the same victim, delete one\n", whatFr, what, r.Row, r.First)
	}
	if more > 0 {
		fmt.Fprintf(w, "vigie: attention, %[1]d autres répétitions de la sorte / warning: %[1]d more such repeats\n", more)
	}
}
