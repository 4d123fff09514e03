// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCaseUpdateAcceptance holds what the acceptance pass found through
// PUT /api/v1/cases/{ref} and the list's query: an update whose body
// carried new parts answered 200 and dropped them without a word; one
// that left the registration date out moved the case to today; filter
// errors named the HTCDS field instead of the parameter sent, or named a
// parameter twice; a date given as updated_to left that whole day out; a
// version given twice to a delete was taken as the first.
func TestCaseUpdateAcceptance(t *testing.T) {
	eachServer(t, testCaseUpdateAcceptance)
}

func testCaseUpdateAcceptance(t *testing.T, srv *httptest.Server) {
	var c struct {
		Number  string `json:"case_number"`
		Version int64  `json:"version"`
		Events  []struct {
			ID string `json:"id"`
		} `json:"events"`
	}
	body := strings.Replace(validCase, `"2026-03-14",`, `"2024-02-29",`, 1)
	if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", body, nil, 201), &c); err != nil {
		t.Fatal(err)
	}
	got := string(do(t, srv, "GET", "/api/v1/cases/"+c.Number, "", nil, 200))
	with := func(old, new string) string { return strings.Replace(body, old, new, 1) }
	noDate := with(`"vig_RegistrationDate":"2024-02-29",`, ``)
	stored := strings.TrimSpace(got) // the case as read, for a read-modify-write
	path := "/api/v1/cases/" + c.Number
	run(t, srv, []scenario{
		// Parts in the body: as read (ids, versions and all) or as created
		// are accepted unchanged; anything else is refused by name.
		{name: "ErrNewEvent", method: "PUT", path: path, header: ifMatch(1),
			body:   with(`"events":[{`, `"events":[{"hte_Type":"Transit","hte_Country":"RW"},{`),
			status: 422, contains: []string{`"field":"events"`, "validation.read_only", "/events"}},
		{name: "ErrChangedEvent", method: "PUT", path: path, header: ifMatch(1),
			body: with(`"hte_State":"Lualaba"`, `"hte_State":"Katanga"`), status: 422, contains: []string{`"field":"events"`}},
		{name: "ErrNewComment", method: "PUT", path: path, header: ifMatch(1),
			body: with(`"consents":[`, `"comments":[{"cco_CaseComment":"x"}],"consents":[`), status: 422, contains: []string{`"field":"comments"`}},
		{name: "ErrDroppedConsent", method: "PUT", path: path, header: ifMatch(1),
			body: with(`"consents":[{"con_Consent":true,"vig_ConsentDate":"2026-03-14"}]`, `"consents":[]`), status: 422, contains: []string{`"field":"consents"`}},
		{name: "PartsAsCreated", method: "PUT", path: path, header: ifMatch(1), body: body, status: 200, contains: []string{`"version":2`}},
		{name: "PartsAsRead", method: "PUT", path: path, header: ifMatch(2),
			body: strings.Replace(stored, `"version":1,`, `"version":2,`, 1), status: 200, contains: []string{`"version":3`}},
		{name: "PartsLeftOut", method: "PUT", path: path, header: ifMatch(3), body: with(`"events":[{"hte_Type":"Exploitation","hte_Country":"CD","hte_State":"Lualaba"}],`, ``),
			status: 200, contains: []string{`"version":4`, `"hte_State":"Lualaba"`, `"vig_RegistrationDate":"2024-02-29"`}},
		// A wrong id is named with the other values an update may not
		// change (the case number came in a second answer).
		{name: "ErrIDAndNumber", method: "PUT", path: path, header: ifMatch(4),
			body:   with(`{`, `{"id":"0190f6a0-0000-7000-8000-000000000099","case_number":"KIN-2020-000001",`),
			status: 422, contains: []string{`"field":"id","code":"validation.mismatch"`, `"field":"case_number","code":"validation.immutable"`}},
		// The registration date left out stays as stored.
		{name: "RegistrationKept", method: "PUT", path: path, header: ifMatch(4), body: noDate, status: 200,
			contains: []string{`"version":5`, `"vig_RegistrationDate":"2024-02-29"`, `"vig_RegistrationYear":2024`}},
		{name: "RegistrationListed", method: "GET", path: "/api/v1/cases?year_from=2024&year_to=2024", status: 200, contains: []string{`"total":1`, c.Number}},
		// Filter errors: one per parameter, under the parameter's name.
		{name: "ErrStatusNamed", method: "GET", path: "/api/v1/cases?status=active", status: 422, contains: []string{`"field":"status"`}, absent: []string{"cas_Status"}},
		{name: "ErrGenderNamed", method: "GET", path: "/api/v1/cases?gender=female", status: 422, contains: []string{`"field":"gender"`}, absent: []string{"prs_Gender"}},
		{name: "ErrAgeGroupNamed", method: "GET", path: "/api/v1/cases?age_group=adult", status: 422, contains: []string{`"field":"age_group"`}},
		{name: "ErrExploitationNamed", method: "GET", path: "/api/v1/cases?exploitation=Sexual", status: 422, contains: []string{`"field":"exploitation"`}},
		{name: "ErrLimitOnce", method: "GET", path: "/api/v1/cases?limit=abc", status: 422, contains: []string{`"field":"limit"`, "validation.integer"}, absent: []string{"validation.range"}},
		{name: "ErrLimitDecimalOnce", method: "GET", path: "/api/v1/cases?limit=1.5", status: 422, absent: []string{"validation.range"}},
		// updated_to as a date includes that day, as registered_to does.
		{name: "UpdatedToday", method: "GET", path: "/api/v1/cases?updated_to=2026-11-27", status: 200, contains: []string{`"total":1`}},
		{name: "UpdatedFromToday", method: "GET", path: "/api/v1/cases?updated_from=2026-11-27&updated_to=2026-11-27", status: 200, contains: []string{`"total":1`}},
		{name: "UpdatedBeforeToday", method: "GET", path: "/api/v1/cases?updated_to=2026-11-26", status: 200, contains: []string{`"total":0`}},
		{name: "UpdatedToAnInstant", method: "GET", path: "/api/v1/cases?updated_to=2026-11-27T00:00:00Z", status: 200, contains: []string{`"total":0`}},
		// A delete's version given twice is refused, not read as the first.
		{name: "ErrDeleteTwoVersions", method: "DELETE", path: path + "/events/" + c.Events[0].ID + "?version=2&version=1", status: 422,
			contains: []string{`"field":"version"`, "validation.repeated_parameter"}},
		{name: "DeleteOneVersion", method: "DELETE", path: path + "/events/" + c.Events[0].ID + "?version=1", status: 204},
	})
}

func ifMatch(v int) map[string]string {
	return map[string]string{"If-Match": `"` + string(rune('0'+v)) + `"`}
}
