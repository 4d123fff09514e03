// SPDX-License-Identifier: AGPL-3.0-or-later

package importer

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"

	"vigie/internal/domain"
)

// CheckAgencies makes sure the agency of every record exists before it
// reaches a batch, else rejects the row with what to do, instead of
// failing whole batches. When the import creates agencies
// (domain.WithImportAgencies: --create-agencies), a record of an agency
// that does not exist passes: the store creates the agency in the
// transaction that writes the record. (Created here, beside that open
// transaction, it waited forever for SQLite's one writer.)
func CheckAgencies(ctx context.Context, db AgencyStore, next Next) Next {
	create := domain.ImportCreatesAgencies(ctx)
	known := map[string]error{}
	return func() (int, *domain.Case, []domain.RowError, error) {
		row, c, rejects, err := next()
		if c == nil || err != nil {
			return row, c, rejects, err
		}
		aerr, seen := known[c.Agency]
		if !seen {
			_, aerr = db.Agency(ctx, c.Agency)
			if aerr != nil && domain.KindOf(aerr) != domain.KindNotFound {
				return row, nil, nil, aerr
			}
			if aerr != nil && create && domain.ValidAgencyCode(c.Agency) {
				aerr = nil
			}
			known[c.Agency] = aerr
		}
		if aerr != nil {
			return row, nil, []domain.RowError{{Row: row, Column: "agency", Value: c.Agency, Code: "validation.unknown_agency",
				Reason: fmt.Sprintf("agency %s does not exist: create it (vigie agency add %s NAME) or re-run with --create-agencies (--agency names the agency of the rows that name none)", c.Agency, c.Agency)}}, nil
		}
		return row, c, nil, nil
	}
}

// AgencyStore is what CheckAgencies needs from storage.
type AgencyStore interface {
	Agency(ctx context.Context, code string) (*domain.Agency, error)
}

// CountingReader counts the bytes read from R, for a progress bar.
type CountingReader struct {
	R io.Reader
	N atomic.Int64
}

func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N.Add(int64(n))
	return n, err
}
