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

// TestReferralAnsweredThroughTheAPI: the agency a case is referred to
// accepts or declines it through the API, as on the pages (an API client
// had no way to). Only that agency answers, once; the sending agency
// reads the answer; a decline needs its reason and ends the access.
func TestReferralAnsweredThroughTheAPI(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		ctx := context.Background()
		for _, code := range []string{"GOM", "BUK"} {
			if _, err := db.EnsureAgency(ctx, code, "Agence "+code); err != nil {
				t.Fatal(err)
			}
		}
		bearer := func(email, agency string, role domain.Role) map[string]string {
			return map[string]string{"Authorization": "Bearer " + newUserToken(t, db, email, agency, role)}
		}
		gom, buk, kinCW := bearer("cw@gom.example", "GOM", domain.RoleCaseworker), bearer("cw@buk.example", "BUK", domain.RoleCaseworker), bearer("cw@kin.example", "KIN", domain.RoleCaseworker)
		referred := strings.Replace(validCase, `"cas_Status":"Active",`, `"cas_Status":"Active","referrals":[{"direction":"outgoing","cas_ReferredOrganisation":"Centre de transit","vig_ReferredAgency":"GOM"}],`, 1)
		referralOf := func(number string) string {
			var list struct {
				Items []struct {
					ID string `json:"id"`
				} `json:"items"`
			}
			if err := json.Unmarshal(do(t, srv, "GET", "/api/v1/cases/"+number+"/referrals", "", nil, 200), &list); err != nil || len(list.Items) != 1 {
				t.Fatalf("referrals of %s: %v %+v", number, err, list)
			}
			return list.Items[0].ID
		}
		do(t, srv, "POST", "/api/v1/cases", referred, nil, 201)
		do(t, srv, "POST", "/api/v1/cases", referred, nil, 201)
		first, second := referralOf("KIN-2026-000001"), referralOf("KIN-2026-000002")
		answer := "/api/v1/cases/KIN-2026-000001/referrals/" + first + "/answer"
		answer2 := "/api/v1/cases/KIN-2026-000002/referrals/" + second + "/answer"
		run(t, srv, []scenario{
			{name: "WaitingInTheInbox", method: "GET", path: "/api/v1/referrals/incoming", header: gom, status: 200,
				contains: []string{`"referral_id":"` + first + `","answer":""`}},
			{name: "NoAnswerYet", method: "GET", path: answer, status: 404},
			// The sending agency, another agency, a referral of another
			// case: none of them answers it.
			{name: "SenderCannotAnswer", method: "POST", path: answer, body: `{"answer":"accepted"}`, header: kinCW, status: 404},
			{name: "OtherAgencyCannotReach", method: "POST", path: answer, body: `{"answer":"accepted"}`, header: buk, status: 404},
			{name: "WrongCase", method: "POST", path: "/api/v1/cases/KIN-2026-000002/referrals/" + first + "/answer", body: `{"answer":"accepted"}`, header: gom, status: 404},
			{name: "UnknownAnswer", method: "POST", path: answer, body: `{"answer":"maybe"}`, header: gom, status: 422, contains: []string{`"field":"answer"`}},
			{name: "UnknownField", method: "POST", path: answer, body: `{"answer":"accepted","note":"x"}`, header: gom, status: 422, contains: []string{`"field":"note"`}},
			{name: "DeclineNeedsReason", method: "POST", path: answer, body: `{"answer":"declined","reason":"  "}`, header: gom, status: 422, contains: []string{`"field":"reason"`}},
			{name: "Accept", method: "POST", path: answer, body: `{"answer":"accepted"}`, header: gom, status: 201,
				contains: []string{`"answer":"accepted"`, `"agency":"GOM"`, `"answered_by":"cw@gom.example"`}},
			{name: "Once", method: "POST", path: answer, body: `{"answer":"declined","reason":"Plus de place"}`, header: gom, status: 409},
			{name: "SenderReadsIt", method: "GET", path: answer, header: kinCW, status: 200, contains: []string{`"answer":"accepted"`}},
			{name: "OtherAgencyCannotRead", method: "GET", path: answer, header: buk, status: 404},
			{name: "AnsweredInTheInbox", method: "GET", path: "/api/v1/referrals/incoming", header: gom, status: 200,
				contains: []string{`"referral_id":"` + first + `","answer":"accepted"`}},
			{name: "AcceptedCaseStillOpenToIt", method: "GET", path: "/api/v1/cases/KIN-2026-000001", header: gom, status: 200},
			{name: "Decline", method: "POST", path: answer2, body: `{"answer":"declined","reason":"Plus de place au centre"}`, header: gom, status: 201,
				contains: []string{`"answer":"declined"`, `"reason":"Plus de place au centre"`}},
			{name: "DeclinedCaseClosedToIt", method: "GET", path: "/api/v1/cases/KIN-2026-000002", header: gom, status: 404},
			{name: "SenderReadsTheReason", method: "GET", path: answer2, header: kinCW, status: 200, contains: []string{"Plus de place au centre"}},
			{name: "ReferralClosed", method: "GET", path: "/api/v1/cases/KIN-2026-000002/referrals", header: kinCW, status: 200, contains: []string{`"vig_ReferralStatus":"Closed"`}},
		})
	})
}
