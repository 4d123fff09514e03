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
// reaches a batch: it creates it when asked to, else rejects the row with
// what to do, instead of failing whole batches.
func CheckAgencies(ctx context.Context, db AgencyStore, next Next, create bool) Next {
	known := map[string]error{}
	return func() (int, *domain.Case, []domain.RowError, error) {
		row, c, rejects, err := next()
		if c == nil || err != nil {
			return row, c, rejects, err
		}
		aerr, seen := known[c.Agency]
		if !seen {
			if create && domain.ValidAgencyCode(c.Agency) {
				_, aerr = db.EnsureAgency(ctx, c.Agency, "Import "+c.Agency)
			} else {
				_, aerr = db.Agency(ctx, c.Agency)
			}
			if aerr != nil && domain.KindOf(aerr) != domain.KindNotFound {
				return row, nil, nil, aerr
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
	EnsureAgency(ctx context.Context, code, name string) (*domain.Agency, error)
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
