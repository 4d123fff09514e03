// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestEveryMistakeInOneAnswer: a body with values of the wrong type and
// values that break the record's rules (an unknown enum, a country that is
// not ISO, a phone that is not E.164) is answered once, with every field.
// The type mistakes came alone, and the others only on the next try.
func TestEveryMistakeInOneAnswer(t *testing.T) {
	eachServer(t, testEveryMistakeInOneAnswer)
}

func testEveryMistakeInOneAnswer(t *testing.T, srv *httptest.Server) {
	body := strings.NewReplacer(
		`"prs_Gender":"Feminine"`, `"prs_Gender":"Femme"`,
		`"prs_MobilePhone":"+243812345678"`, `"prs_MobilePhone":12345`,
		`"hte_Country":"CD"`, `"hte_Country":"Congo"`,
		`"vic_TypeOfExploitation":["ForcedLabour"]`, `"vic_TypeOfExploitation":"ForcedLabour"`,
	).Replace(validCase)
	run(t, srv, []scenario{
		{name: "CaseTypesAndRules", method: "POST", path: "/api/v1/cases", body: body, status: 422, contains: []string{
			`"field":"person.prs_MobilePhone","code":"validation.type"`,
			`"field":"victim.vic_TypeOfExploitation","code":"validation.type"`,
			`"field":"person.prs_Gender","code":"validation.enum"`,
			`"field":"events[0].hte_Country"`,
		}},
		// The field of the wrong type is reported once: leaving its value
		// out does not add "is required" to it.
		{name: "NoRepeatOfTheTypedField", method: "POST", path: "/api/v1/cases",
			body: strings.Replace(validCase, `"cas_Status":"Active"`, `"cas_Status":7`, 1), status: 422,
			contains: []string{`"field":"cas_Status","code":"validation.type"`}, absent: []string{`"code":"validation.required"`}},
	})
}
