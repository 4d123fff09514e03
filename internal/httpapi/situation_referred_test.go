// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestReferredAgencyCannotRelinkSituation: an agency a case is referred to
// works on the case but may not take it out of the owning agency's
// trafficking situation, nor move it to another of that agency's
// situations — situations are the owning agency's own, as the case page
// says (it refuses the situation form to a referred agency). Through PUT
// /api/v1/cases/{ref} the referred caseworker could set situation_id to
// null (200) and so unlink the victim from the owner's situation, which
// it cannot even read. A body that keeps the link is accepted.
func TestReferredAgencyCannotRelinkSituation(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		if _, err := db.EnsureAgency(context.Background(), "GOM", "Centre de transit et d'orientation, Goma"); err != nil {
			t.Fatal(err)
		}
		gom := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "cw@gom.example", "GOM", domain.RoleCaseworker)}
		situation := func(title string) string {
			var s struct{ ID string }
			if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/situations", fmt.Sprintf(`{"title":%q}`, title), nil, 201), &s); err != nil {
				t.Fatal(err)
			}
			return s.ID
		}
		first, second := situation("Réseau de Kolwezi"), situation("Réseau de Likasi")
		body := strings.Replace(validCase, `"cas_Status":"Active",`, fmt.Sprintf(`"cas_Status":"Active","situation_id":%q,"referrals":[{"direction":"outgoing","cas_ReferredOrganisation":"Centre de transit","vig_ReferredAgency":"GOM"}],`, first), 1)
		do(t, srv, "POST", "/api/v1/cases", body, nil, 201)
		const ref = "/api/v1/cases/KIN-2026-000001"
		asGOM := func(situationID any) string {
			var c map[string]any
			if err := json.Unmarshal(do(t, srv, "GET", ref, "", gom, 200), &c); err != nil {
				t.Fatal(err)
			}
			c["situation_id"] = situationID
			c["person"].(map[string]any)["prs_FirstName"] = "Mbuyi"
			b, _ := json.Marshal(c)
			return string(b)
		}
		tests := []struct {
			name   string
			to     any
			status int
		}{
			{"ErrForbidden/Unlink", nil, 403},
			{"ErrForbidden/Empty", "", 403},
			{"ErrForbidden/OtherSituationOfOwner", second, 403},
			{"OK/Kept", first, 200},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				do(t, srv, "PUT", ref, asGOM(tt.to), gom, tt.status)
				if b := do(t, srv, "GET", ref, "", nil, 200); !strings.Contains(string(b), `"situation_id":"`+first+`"`) {
					t.Fatalf("the case left its situation: %s", b)
				}
			})
		}
		// The owning agency still moves it.
		do(t, srv, "PUT", ref, asGOM(second), nil, 200)
	})
}
