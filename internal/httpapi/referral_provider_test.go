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

// TestReferralProvider: a referral naming a provider of the directory
// must name one that exists — refusals first, nothing stored — and a
// referral keeps the provider it named when the provider is deleted
// since.
func TestReferralProvider(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		ctx := context.Background()
		total, free := 10, 0
		shelter := &domain.Provider{Name: "Foyer Plein", Type: "NGO", Provinces: []string{"CD-KN"}, Services: []string{"Shelter"}, BedsTotal: &total, BedsFree: &free}
		if err := db.CreateProvider(ctx, shelter); err != nil {
			t.Fatal(err)
		}
		var c struct {
			Number string `json:"case_number"`
		}
		json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c)
		base := "/api/v1/cases/" + c.Number + "/referrals"
		body := func(provider string) string {
			return fmt.Sprintf(`{"direction":"outgoing","cas_ReferredOrganisation":"Foyer","vig_ReferredProvider":%q}`, provider)
		}
		for _, tc := range []struct{ name, provider string }{
			{"ErrUnknown", "00000000-0000-4000-8000-000000000000"},
			{"ErrNotAnID", "not-a-uuid"},
			{"ErrBracedID", "{" + shelter.ID + "}"},
			{"ErrInjection", "' OR 1=1 --"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b := do(t, srv, "POST", base, body(tc.provider), nil, 422)
				if !strings.Contains(string(b), `"field":"vig_ReferredProvider","code":"validation.unknown_provider"`) {
					t.Fatalf("problem: %s", b)
				}
			})
		}
		var got struct {
			Items []map[string]any `json:"items"`
		}
		json.Unmarshal(do(t, srv, "GET", base, "", nil, 200), &got)
		if len(got.Items) != 0 {
			t.Fatalf("%d referrals stored by refused requests", len(got.Items))
		}

		var ref struct {
			ID      string `json:"id"`
			Version int64  `json:"version"`
		}
		json.Unmarshal(do(t, srv, "POST", base, body(shelter.ID), nil, 201), &ref)
		if err := db.DeleteProvider(ctx, shelter.ID, shelter.Version); err != nil {
			t.Fatal(err)
		}
		upd := strings.Replace(body(shelter.ID), `{"direction"`, fmt.Sprintf(`{"version":%d,"direction"`, ref.Version), 1)
		do(t, srv, "PUT", base+"/"+ref.ID, strings.Replace(upd, `"Foyer"`, `"Foyer (fermé)"`, 1), nil, 200)
		upd = strings.Replace(body("00000000-0000-4000-8000-000000000000"), `{"direction"`, fmt.Sprintf(`{"version":%d,"direction"`, ref.Version+1), 1)
		do(t, srv, "PUT", base+"/"+ref.ID, upd, nil, 422)
	})
}

// TestReferralToAProviderThatIsAnAgency: a referral through the API to a
// provider of the directory that is another Vigie agency opens the case to
// that agency, as the pages' referral does — and so needs the victim's
// consent first. It was stored as a referral to an outside organisation:
// the agency never reached the case, consent or not.
func TestReferralToAProviderThatIsAnAgency(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		ctx := context.Background()
		if _, err := db.EnsureAgency(ctx, "GOM", "Centre de transit et d'orientation, Goma"); err != nil {
			t.Fatal(err)
		}
		gom := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "cw@gom.example", "GOM", domain.RoleCaseworker)}
		centre := &domain.Provider{Name: "CTO Goma", Type: "NGO", Provinces: []string{"CD-NK"}, Services: []string{"Shelter"}, AgencyCode: "GOM"}
		if err := db.CreateProvider(ctx, centre); err != nil {
			t.Fatal(err)
		}
		noConsent := strings.Replace(validCase, `,
 "consents":[{"con_Consent":true,"vig_ConsentDate":"2026-03-14"}]`, "", 1)
		if noConsent == validCase {
			t.Fatal("validCase has no consent to take out")
		}
		var c, bare struct {
			Number string `json:"case_number"`
		}
		json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", noConsent, nil, 201), &bare)
		json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c)
		ref := "/api/v1/cases/" + c.Number
		body := func(agency string) string {
			extra := ""
			if agency != "" {
				extra = fmt.Sprintf(`,"vig_ReferredAgency":%q`, agency)
			}
			return fmt.Sprintf(`{"direction":"outgoing","cas_ReferredOrganisation":"CTO Goma","vig_ReferredProvider":%q%s}`, centre.ID, extra)
		}
		do(t, srv, "GET", ref, "", gom, 404)
		b := do(t, srv, "POST", "/api/v1/cases/"+bare.Number+"/referrals", body(""), nil, 422)
		if !strings.Contains(string(b), "validation.consent_required") {
			t.Fatalf("a referral to an agency without consent: %s", b)
		}
		b = do(t, srv, "POST", ref+"/referrals", body("KIN2"), nil, 422)
		if !strings.Contains(string(b), `"field":"vig_ReferredAgency"`) {
			t.Fatalf("another agency than the provider's: %s", b)
		}
		b = do(t, srv, "POST", ref+"/referrals", body(""), nil, 201)
		if !strings.Contains(string(b), `"vig_ReferredAgency":"GOM"`) {
			t.Fatalf("the referral does not name the provider's agency: %s", b)
		}
		do(t, srv, "GET", ref, "", gom, 200)
	})
}
