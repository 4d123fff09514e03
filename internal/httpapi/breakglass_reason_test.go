// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestBreakGlassReasonNotBlank: breaking the glass on another agency's
// case needs a reason of 10 to 500 characters, which the owning agency's
// supervisors read in the audit trail — ten spaces passed, and so did a
// reason with control characters (acceptance pass).
func TestBreakGlassReasonNotBlank(t *testing.T) {
	eachServer(t, testBreakGlassReasonNotBlank)
}

func testBreakGlassReasonNotBlank(t *testing.T, srv *httptest.Server) {
	for _, reason := range []string{`"          "`, `"\t\t\t\t\t\n\n\n\n\n\n"`, `"  urgence  \u0000\u0000\u0000\u0000  "`} {
		run(t, srv, []scenario{{name: reason, method: "POST", path: "/api/v1/cases/GOM-2026-000001/break-glass",
			body: `{"reason":` + reason + `}`, status: 422, contains: []string{`"field":"reason","code":"validation.reason"`}}})
	}
	// A reason with ten characters once trimmed goes on to the case
	// (which does not exist here).
	run(t, srv, []scenario{{name: "Reason", method: "POST", path: "/api/v1/cases/GOM-2026-000001/break-glass",
		body: `{"reason":"  victime hospitalisée  "}`, status: 404}})
	// hours: 1 to 24; 0 was taken as the default 3 hours.
	for _, h := range []string{"0", "-1", "25"} {
		run(t, srv, []scenario{{name: "Hours" + h, method: "POST", path: "/api/v1/cases/GOM-2026-000001/break-glass",
			body: `{"reason":"victime hospitalisée","hours":` + h + `}`, status: 422, contains: []string{`"field":"hours","code":"validation.range"`}}})
	}
	run(t, srv, []scenario{{name: "Hours24", method: "POST", path: "/api/v1/cases/GOM-2026-000001/break-glass",
		body: `{"reason":"victime hospitalisée","hours":24}`, status: 404}})
}

// TestDeleteNamesWhereTheVersionGoes: a DELETE with its version in a body
// (which a DELETE does not read) is told to send ?version= or If-Match.
func TestDeleteNamesWhereTheVersionGoes(t *testing.T) {
	eachServer(t, func(t *testing.T, srv *httptest.Server) {
		do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201)
		var p struct {
			ID string `json:"id"`
		}
		b := do(t, srv, "POST", "/api/v1/cases/KIN-2026-000001/comments", `{"cco_CaseComment":"Vue au centre"}`, nil, 201)
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		run(t, srv, []scenario{{name: "BodyVersion", method: "DELETE", path: "/api/v1/cases/KIN-2026-000001/comments/" + p.ID, body: `{"version":1}`,
			status: 422, contains: []string{`"field":"version","code":"validation.required"`, "?version=", "If-Match"}}})
	})
}

// TestBodyWithByteOrderMark: a body saved as "UTF-8 with BOM" is read (it
// was refused as "invalid character 'ï'"), and the checks that read the
// body again see the same document — a consent without its answer is
// still refused, not let through by a second reading that failed.
func TestBodyWithByteOrderMark(t *testing.T) {
	eachServer(t, func(t *testing.T, srv *httptest.Server) {
		run(t, srv, []scenario{
			{name: "Case", method: "POST", path: "/api/v1/cases", body: "\ufeff" + validCase, status: 201, contains: []string{`"case_number":"KIN-2026-000001"`}},
			{name: "ConsentWithoutAnswer", method: "POST", path: "/api/v1/cases", body: "\ufeff" + strings.Replace(validCase, `"con_Consent":true,`, ``, 1), status: 422, contains: []string{`"field":"consents[0].con_Consent","code":"validation.required"`}},
			{name: "Part", method: "POST", path: "/api/v1/cases/KIN-2026-000001/consents", body: "\ufeff" + `{"vig_ConsentDate":"2026-03-14"}`, status: 422, contains: []string{`"field":"con_Consent","code":"validation.required"`}},
		})
	})
}

// TestNullBodyChangesNothing: PUT of a perpetrator with the body null and
// If-Match answered 200 and emptied the record — name, gender, role gone.
func TestNullBodyChangesNothing(t *testing.T) {
	eachServer(t, func(t *testing.T, srv *httptest.Server) {
		do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201)
		var p struct {
			ID string `json:"id"`
		}
		b := do(t, srv, "POST", "/api/v1/cases/KIN-2026-000001/perpetrators", `{"person":{"prs_FirstName":"Kasongo","prs_Gender":"Masculine"},"per_RoleDetails":"recruteur"}`, nil, 201)
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/cases/KIN-2026-000001/perpetrators/" + p.ID
		run(t, srv, []scenario{
			{name: "PutNull", method: "PUT", path: path, body: "null", header: map[string]string{"If-Match": `"1"`}, status: 422, contains: []string{`"field":"(document)","code":"validation.type"`}},
			{name: "PostNull", method: "POST", path: "/api/v1/cases", body: " null ", status: 422, contains: []string{`"field":"(document)"`}},
			{name: "Kept", method: "GET", path: "/api/v1/cases/KIN-2026-000001/perpetrators", status: 200, contains: []string{`"prs_FirstName":"Kasongo"`, `"version":1`}},
		})
	})
}
