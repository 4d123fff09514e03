// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"io"

	"vigie/internal/domain"
	"vigie/internal/htcds"
	"vigie/internal/importer"
)

// htcdsSource adapts the HTCDS readers (flat CSV/XLSX, or Vigie's JSON
// export) to the importer.
func htcdsSource(r io.Reader, _ int64, format string, opt htcds.Options) (importer.Next, func() int, error) {
	type nexter interface {
		Next() (*htcds.Record, []domain.RowError, error)
	}
	var rd nexter
	var blank func() int
	if format == "json" {
		jr, err := htcds.NewJSONReader(r, opt)
		if err != nil {
			return nil, nil, err
		}
		rd = jr
	} else {
		cr, err := htcds.NewReader(r, format, opt)
		if err != nil {
			return nil, nil, err
		}
		rd, blank = cr, cr.Blank
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
	}, blank, nil
}
