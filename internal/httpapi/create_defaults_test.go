// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"net/http/httptest"
	"testing"
)

// TestCreateWithSourceKeyIsRegisteredToday: a client's own key
// (vig_SourceKey, for its retries) left a case created without a
// registration date undated — out of every year filter and yearly figure —
// while the same body without the key was registered today. And the
// warnings of an answer sent back in a new case's body were dropped
// unsaid, while every other value Vigie assigns is refused by name.
func TestCreateWithSourceKeyIsRegisteredToday(t *testing.T) {
	eachServer(t, func(t *testing.T, srv *httptest.Server) {
		y := testNow.Format("2006")
		run(t, srv, []scenario{
			{name: "SourceKeyDated", method: "POST", path: "/api/v1/cases",
				body:   `{"vig_SourceKey":"client-42","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}}`,
				status: 201, contains: []string{`"vig_RegistrationDate":"` + testNow.Format("2006-01-02") + `"`, `"vig_RegistrationYear":` + y}},
			{name: "ListedInTheYear", method: "GET", path: "/api/v1/cases?year_from=" + y + "&year_to=" + y, status: 200, contains: []string{`"total":1`}},
			{name: "ErrWarningsSent", method: "POST", path: "/api/v1/cases",
				body:   `{"warnings":[{"code":"x"}],"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}}`,
				status: 422, contains: []string{`"field":"warnings","code":"validation.assigned"`}},
		})
	})
}
