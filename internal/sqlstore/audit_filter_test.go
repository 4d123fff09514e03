// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// TestAuditFilterActionAndDates: the action and date-range filters of
// AuditEntries (the agency trail's page), alone and with the others, on
// both databases; "at" is compared as stored (fixed-width UTC text).
func TestAuditFilterActionAndDates(t *testing.T) {
	forEachAuditDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
		// Nine entries, one every 8 hours from day-1 00:00: three per day.
		for i := 1; i <= 9; i++ {
			at := day.AddDate(0, 0, -1).Add(time.Duration(i-1) * 8 * time.Hour)
			db.Now = func() time.Time { return at }
			if err := db.Audit(ctx, auditEntry(i)); err != nil {
				t.Fatal(err)
			}
		}
		for name, c := range map[string]struct {
			f    domain.AuditFilter
			want []int64
		}{
			"an action":         {domain.AuditFilter{Action: domain.AuditUpdate}, []int64{7, 4, 1}},
			"a day":             {domain.AuditFilter{From: day, To: day.AddDate(0, 0, 1)}, []int64{6, 5, 4}},
			"from only":         {domain.AuditFilter{From: day.AddDate(0, 0, 1)}, []int64{9, 8, 7}},
			"to only":           {domain.AuditFilter{To: day}, []int64{3, 2, 1}},
			"an instant":        {domain.AuditFilter{From: day.Add(8 * time.Hour), To: day.Add(8*time.Hour + time.Microsecond)}, []int64{5}},
			"action and agency": {domain.AuditFilter{Action: domain.AuditRead, AgencyID: "agency-lub"}, []int64{9, 3}},
			"a page":            {domain.AuditFilter{From: day, Before: 6, Limit: 1}, []int64{5}},
			"an unknown action": {domain.AuditFilter{Action: "nope"}, nil},
			"an empty range":    {domain.AuditFilter{From: day, To: day}, nil},
		} {
			list, err := db.AuditEntries(ctx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var got []int64
			for _, e := range list {
				got = append(got, e.Seq)
			}
			if len(got) != len(c.want) {
				t.Errorf("%s: got %v, want %v", name, got, c.want)
				continue
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("%s: got %v, want %v", name, got, c.want)
					break
				}
			}
		}
	})
}
