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

// TestReferredAgencyRecordsWithdrawalsOnly: the agency a case is referred
// to records the victim's withdrawal of consent, not a consent given. It
// recorded a consent after the victim had withdrawn, and the owning
// agency's next referral, refused a moment before, went through. The
// owner records both.
func TestReferredAgencyRecordsWithdrawalsOnly(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		for _, code := range []string{"GOM", "BUK"} {
			if _, err := db.EnsureAgency(context.Background(), code, "Centre "+code); err != nil {
				t.Fatal(err)
			}
		}
		gomCW := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "cw@gom.example", "GOM", domain.RoleCaseworker)}
		body := strings.Replace(validCase, `"cas_Status":"Active",`, `"cas_Status":"Active","referrals":[{"direction":"outgoing","cas_ReferredOrganisation":"Centre GOM","vig_ReferredAgency":"GOM"}],`, 1)
		do(t, srv, "POST", "/api/v1/cases", body, nil, 201)
		const ref = "/api/v1/cases/KIN-2026-000001"
		toBUK := `{"direction":"outgoing","cas_ReferredOrganisation":"Centre BUK","vig_ReferredAgency":"BUK"}`

		do(t, srv, "POST", ref+"/consents", `{"con_Consent":false,"vig_ConsentDate":"2026-03-15"}`, nil, 201) // the owner records the withdrawal
		do(t, srv, "POST", ref+"/referrals", toBUK, nil, 422)
		b := do(t, srv, "POST", ref+"/consents", `{"con_Consent":true,"vig_ConsentDate":"2026-03-16"}`, gomCW, 403)
		if !strings.Contains(string(b), "withdrawal") {
			t.Fatalf("refusal does not say why: %s", b)
		}
		do(t, srv, "POST", ref+"/referrals", toBUK, nil, 422) // still withdrawn
		do(t, srv, "POST", ref+"/consents", `{"con_Consent":false,"vig_ConsentDate":"2026-03-16"}`, gomCW, 201)
		do(t, srv, "POST", ref+"/consents", `{"con_Consent":true,"vig_ConsentDate":"2026-03-17"}`, nil, 201) // the owner, again
		do(t, srv, "POST", ref+"/referrals", toBUK, nil, 201)
	})
}
