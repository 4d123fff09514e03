// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestSuspectUpdateKeepsAgency: an update that names another agency —
// existing or not — is refused with a problem on the agency field and
// changes nothing, instead of being accepted with the agency silently
// kept; leaving the agency out or repeating it is accepted. Refusals
// first.
func TestSuspectUpdateKeepsAgency(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		ctx := context.Background()
		if _, err := db.EnsureAgency(ctx, "GOM", "Centre de transit, Goma"); err != nil {
			t.Fatal(err)
		}
		sup := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "sup-agency@kin.example", "KIN", domain.RoleSupervisor)}
		s, _ := newSuspect(t, db, "KIN", "")
		ref := "/api/v1/suspects/" + s.Number
		withAgency := func(code string) string {
			if code == "" {
				return suspectBody
			}
			return strings.Replace(suspectBody, `{"gender"`, `{"agency":"`+code+`","gender"`, 1)
		}
		version := 1
		for _, tc := range []struct {
			name, agency string
			status       int
		}{
			{"ErrOtherAgency", "GOM", 422},
			{"ErrUnknownAgency", "ZZZ", 422},
			{"ErrLowerCase", "kin", 422},
			{"OK_Same", "KIN", 200},
			{"OK_Omitted", "", 200},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b := do(t, srv, "PUT", ref, versioned(withAgency(tc.agency), version), sup, tc.status)
				if tc.status == 422 && (!strings.Contains(string(b), `"field":"agency"`) || !strings.Contains(string(b), "does not change")) {
					t.Errorf("the refusal does not name the agency: %s", b)
				}
				if tc.status == 200 {
					version++
				}
				got, err := db.Suspect(ctx, s.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Agency != "KIN" || got.Version != int64(version) {
					t.Errorf("after %s: agency %s, version %d; want KIN, %d", tc.name, got.Agency, got.Version, version)
				}
			})
		}
	})
}
