// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestProceedingRoundTrip: what GET answers can be sent back with PUT —
// the timeline, stage and warnings are read only and ignored (the
// timeline was refused as an unknown field though the document names
// it) — while steps inside the body are refused, each under its own
// field, until they are left out.
func TestProceedingRoundTrip(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		jus := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "procureur@kin.example", "KIN", domain.RoleJustice)}
		var pr map[string]any
		json.Unmarshal(do(t, srv, "POST", "/api/v1/proceedings", proceedingBody, jus, 201), &pr)
		base := "/api/v1/proceedings/" + pr["number"].(string)
		do(t, srv, "POST", base+"/hearings", hearingBody, jus, 201)

		json.Unmarshal(do(t, srv, "GET", base, "", jus, 200), &pr)
		if pr["timeline"] == nil || pr["hearings"] == nil {
			t.Fatalf("GET without timeline or hearings: %v", pr)
		}
		pr["investigation"].(map[string]any)["unit"] = "Brigade des mines"
		b, _ := json.Marshal(pr)
		p := string(do(t, srv, "PUT", base, string(b), jus, 422))
		if !strings.Contains(p, `"field":"hearings","code":"validation.justice_read_only"`) || strings.Contains(p, `"field":"timeline"`) || strings.Contains(p, `"field":"defendants"`) {
			t.Fatalf("steps in the body: %s", p)
		}
		delete(pr, "hearings")
		b, _ = json.Marshal(pr)
		do(t, srv, "PUT", base, string(b), jus, 200)
		got, err := db.Proceeding(context.Background(), pr["number"].(string))
		if err != nil || got.Investigation.Unit != "Brigade des mines" || len(got.Hearings) != 1 {
			t.Fatalf("after the round trip: %v %+v", err, got)
		}
	})
}
