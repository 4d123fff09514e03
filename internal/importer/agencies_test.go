// SPDX-License-Identifier: AGPL-3.0-or-later

package importer_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/importer"
)

func TestCheckAgencies(t *testing.T) {
	ctx := context.Background()
	db := mustDB(t) // has agency CTDC
	cases := func() importer.Next {
		agencies := []string{"CTDC", "GOM", "GOM"}
		i := 0
		return func() (int, *domain.Case, []domain.RowError, error) {
			if i == len(agencies) {
				return 0, nil, nil, io.EOF
			}
			i++
			return i + 1, &domain.Case{Agency: agencies[i-1]}, nil, nil
		}
	}
	t.Run("ErrUnknownAgencyRejectedWithHint", func(t *testing.T) {
		next := importer.CheckAgencies(ctx, db, cases(), false)
		var kept, rejected int
		for {
			_, c, rejects, err := next()
			if err == io.EOF {
				break
			}
			if c != nil {
				kept++
			}
			for _, r := range rejects {
				rejected++
				// --agency names the agency of the rows that name
				// none: advising it for a row that names one sent
				// the user round in a circle (acceptance pass).
				if r.Column != "agency" || !strings.Contains(r.Reason, "--create-agencies") || !strings.Contains(r.Reason, "vigie agency add GOM") ||
					strings.Contains(r.Reason, "pass --agency") || !strings.Contains(r.Reason, "rows that name none") {
					t.Errorf("reject %+v", r)
				}
			}
		}
		if kept != 1 || rejected != 2 {
			t.Fatalf("kept %d, rejected %d", kept, rejected)
		}
		if _, err := db.Agency(ctx, "GOM"); domain.KindOf(err) != domain.KindNotFound {
			t.Fatalf("agency created without --create-agencies: %v", err)
		}
	})
	t.Run("CreateAgencies", func(t *testing.T) {
		next := importer.CheckAgencies(ctx, db, cases(), true)
		for {
			_, c, rejects, err := next()
			if err == io.EOF {
				break
			}
			if c == nil || len(rejects) > 0 {
				t.Fatalf("record refused: %v", rejects)
			}
		}
		if _, err := db.Agency(ctx, "GOM"); err != nil {
			t.Fatal(err)
		}
	})
}
