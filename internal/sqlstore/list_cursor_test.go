// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestFindCasesRefusesForeignCursor: a cursor is refused as invalid, naming
// the cursor, when it was not made by this list — another filter's, or one
// whose position was edited by hand — instead of listing from somewhere
// else (a page of citizenship=FR after a CD case skipped the FR cases
// before it) or failing inside the database (PostgreSQL could not read a
// hand-written time: 500). The same list with another page size goes on.
func TestFindCasesRefusesForeignCursor(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		seedVaried(t, db, 40)
		first := func(f domain.CaseFilter) string {
			t.Helper()
			f.Limit = 3
			p, err := db.FindCases(ctx, f)
			if err != nil || p.NextCursor == "" {
				t.Fatalf("%+v: %v, cursor %q", f, err, p.NextCursor)
			}
			return p.NextCursor
		}
		// edit rewrites one field of a genuine cursor, as a client would.
		edit := func(cur, field, value string) string {
			b, err := base64.RawURLEncoding.DecodeString(cur)
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]any{}
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			m[field] = value
			b, _ = json.Marshal(m)
			return base64.RawURLEncoding.EncodeToString(b)
		}
		cd := domain.CaseFilter{Citizenship: "CD", Sort: "number"}
		tests := []struct {
			name   string
			filter domain.CaseFilter // the filter the cursor is sent with
			cursor string
		}{
			{"OtherCitizenship", domain.CaseFilter{Citizenship: "AO", Sort: "number"}, first(cd)},
			{"FilterAdded", domain.CaseFilter{Citizenship: "CD", Gender: "Feminine", Sort: "number"}, first(cd)},
			{"FilterDropped", domain.CaseFilter{Sort: "number"}, first(cd)},
			{"OtherAgency", domain.CaseFilter{Agency: "GOM", Sort: "-updated"}, first(domain.CaseFilter{Agency: "KIN", Sort: "-updated"})},
			{"OtherYears", domain.CaseFilter{YearFrom: 2020, Sort: "registered"}, first(domain.CaseFilter{YearFrom: 2021, Sort: "registered"})},
			{"OtherUpdatedRange", domain.CaseFilter{UpdatedFrom: time.Unix(0, 0)}, first(domain.CaseFilter{})},
			{"UpdatedKeyNotATime", domain.CaseFilter{Sort: "-updated"}, edit(first(domain.CaseFilter{Sort: "-updated"}), "k", "garbage")},
			{"UpdatedKeyEmpty", domain.CaseFilter{Sort: "updated"}, edit(first(domain.CaseFilter{Sort: "updated"}), "k", "")},
			{"UpdatedKeyYear", domain.CaseFilter{Sort: "updated"}, edit(first(domain.CaseFilter{Sort: "updated"}), "k", "2016")},
			{"FilterDigestEdited", cd, edit(first(cd), "f", "AAAAAAAAAAAA")},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := tt.filter
				f.Cursor, f.Limit = tt.cursor, 3
				_, err := db.FindCases(ctx, f)
				wantKind(t, err, domain.KindInvalid)
				var e *domain.Error
				if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "cursor" || e.Fields[0].Code != "validation.cursor" {
					t.Fatalf("error %v does not name the cursor", err)
				}
			})
		}
		t.Run("OK/OtherPageSize", func(t *testing.T) {
			f := cd
			f.Cursor, f.Limit = first(cd), 10
			p, err := db.FindCases(ctx, f)
			if err != nil || len(p.Items) == 0 {
				t.Fatalf("%v, %d items", err, len(p.Items))
			}
		})
		t.Run("OK/UpdatedKeyOfAnotherCase", func(t *testing.T) {
			// A well-formed position is a position: it lists from there.
			f := domain.CaseFilter{Sort: "updated", Limit: 3}
			f.Cursor = edit(first(f), "k", "2000-01-01T00:00:00.000000Z")
			if _, err := db.FindCases(ctx, f); err != nil {
				t.Fatal(err)
			}
		})
	})
}
