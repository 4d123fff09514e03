// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// A consent without its answer (con_Consent absent or null) is refused by
// name: Go would read it as false, a refusal nobody gave. An explicit
// false is a real answer and is kept.
func TestConsentNeedsItsAnswer(t *testing.T) {
	eachServer(t, testConsentNeedsItsAnswer)
}

func testConsentNeedsItsAnswer(t *testing.T, srv *httptest.Server) {
	var c struct {
		Number string `json:"case_number"`
	}
	if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/cases/" + c.Number + "/consents"
	withConsents := func(list string) string {
		return strings.Replace(validCase, `"consents":[{"con_Consent":true,"vig_ConsentDate":"2026-03-14"}]`, `"consents":`+list, 1)
	}
	if withConsents("[]") == validCase {
		t.Fatal("validCase no longer holds the consent this test replaces")
	}
	run(t, srv, []scenario{
		{name: "ErrPartEmpty", method: "POST", path: base, body: `{}`, status: 422, contains: []string{`"field":"con_Consent"`, `"code":"validation.required"`}},
		{name: "ErrPartNull", method: "POST", path: base, body: `{"con_Consent":null,"vig_ConsentDate":"2026-03-14"}`, status: 422, contains: []string{`"field":"con_Consent"`}},
		{name: "PartFalseIsAnAnswer", method: "POST", path: base, body: `{"con_Consent":false,"vig_ConsentDate":"2026-03-14"}`, status: 201, contains: []string{`"con_Consent":false`}},
		{name: "PartTrue", method: "POST", path: base, body: `{"con_Consent":true}`, status: 201, contains: []string{`"con_Consent":true`}},
		{name: "ErrCaseSecondConsent", method: "POST", path: "/api/v1/cases",
			body:   withConsents(`[{"con_Consent":true},{"vig_ConsentDate":"2026-03-14"}]`),
			status: 422, contains: []string{`"field":"consents[1].con_Consent"`}, absent: []string{`consents[0]`}},
		{name: "CaseWithFalse", method: "POST", path: "/api/v1/cases", body: withConsents(`[{"con_Consent":false}]`), status: 201},
	})
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(do(t, srv, "GET", base, "", nil, 200), &list); err != nil || len(list.Items) == 0 {
		t.Fatalf("consents: %+v %v", list, err)
	}
	run(t, srv, []scenario{
		{name: "ErrUpdateWithoutAnswer", method: "PUT", path: base + "/" + list.Items[0].ID, body: `{"vig_ConsentDate":"2026-03-15","version":1}`, status: 422, contains: []string{`"field":"con_Consent"`}},
	})
}
