// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
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
		// Text that is not text (an unpaired surrogate escape, bytes that
		// are not UTF-8) hid every other mistake of the body.
		{name: "SurrogateAndRules", method: "POST", path: "/api/v1/cases",
			body:   `{"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"person":{"prs_FirstName":"a\u0000b","prs_Gender":"X","prs_MailingStreet":"\ud800","prs_SecondName":"\udc00"}}`,
			status: 422, contains: []string{
				`"field":"person.prs_MailingStreet","code":"validation.invalid_utf8"`,
				`"field":"person.prs_SecondName","code":"validation.invalid_utf8"`,
				`"field":"person.prs_FirstName","code":"validation.control_character"`,
				`"field":"person.prs_Gender","code":"validation.enum"`,
			}},
		{name: "BadBytesAndRules", method: "POST", path: "/api/v1/cases",
			body:   "{\"victim\":{\"vic_TraffickingStatus\":\"Nope\"},\"person\":{\"prs_FirstName\":\"a\xffb\",\"prs_Gender\":\"X\"},\"bogus\":1}",
			status: 422, contains: []string{
				`"field":"person.prs_FirstName","code":"validation.invalid_utf8"`,
				`"field":"bogus","code":"validation.unknown_field"`,
				`"field":"person.prs_Gender","code":"validation.enum"`,
				`"field":"victim.vic_TraffickingStatus","code":"validation.enum"`,
			}},
		// An item of the wrong type (or null) in a list is that item's
		// mistake alone: the list's own check saw the item left out as
		// an empty value.
		{name: "ListItemTypes", method: "POST", path: "/api/v1/cases",
			body: strings.NewReplacer(`"prs_Citizenship":["CD"]`, `"prs_Citizenship":[7,"CD",null]`,
				`"vic_TypeOfExploitation":["ForcedLabour"]`, `"vic_TypeOfExploitation":["ForcedLabour",3]`).Replace(validCase),
			status: 422, contains: []string{
				`"field":"person.prs_Citizenship[0]","code":"validation.type"`,
				`"field":"person.prs_Citizenship[2]","code":"validation.type"`,
				`"field":"victim.vic_TypeOfExploitation[1]","code":"validation.type"`,
			}, absent: []string{"empty value", `\"\" (item`}},
		// A number beyond a float failed the reading of the whole body,
		// and with it every other report.
		{name: "NumberBeyondAFloat", method: "POST", path: "/api/v1/cases",
			body:   `{"agency":"KIN","person":{"prs_Gender":"Feminine","prs_NumberOfChildren":1e400,"prs_MailingLatitude":-1e999},"victim":{"vic_TraffickingStatus":"Nope"}}`,
			status: 422, contains: []string{
				`"field":"person.prs_NumberOfChildren","code":"validation.type"`,
				`"field":"person.prs_MailingLatitude","code":"validation.type"`,
				`"field":"victim.vic_TraffickingStatus","code":"validation.enum"`,
			}},
		// A key sent twice hid every other mistake of the body.
		{name: "DuplicateKeyAndRules", method: "POST", path: "/api/v1/cases",
			body:   `{"agency":"KIN","agency":"KIN","bogus":1,"person":{"prs_Gender":"Female"},"victim":{"vic_TraffickingStatus":"Nope"}}`,
			status: 422, contains: []string{
				`"field":"agency","code":"validation.duplicate_key"`,
				`"field":"bogus","code":"validation.unknown_field"`,
				`"field":"victim.vic_TraffickingStatus","code":"validation.enum"`,
			}},
		// The field of the wrong type is reported once: leaving its value
		// out does not add "is required" to it.
		{name: "NoRepeatOfTheTypedField", method: "POST", path: "/api/v1/cases",
			body: strings.Replace(validCase, `"cas_Status":"Active"`, `"cas_Status":7`, 1), status: 422,
			contains: []string{`"field":"cas_Status","code":"validation.type"`}, absent: []string{`"code":"validation.required"`}},
	})
}

// TestMistakesAnsweredInBounds: a list of one bad value 60,000 times got
// 59,999 entries (7 MB for a 1 MiB body); a wrong or repeated value is
// reported once, and an answer lists at most 100 entries and says how
// many more there were. A refused referral of a new case is named by its
// place in the body, as the case's other parts are (it was
// "vig_ReferredAgency", leaving the client to guess which referral).
func TestMistakesAnsweredInBounds(t *testing.T) {
	eachServer(t, testMistakesAnsweredInBounds)
}

func testMistakesAnsweredInBounds(t *testing.T, srv *httptest.Server) {
	repeated := `"ForcedLabour"` + strings.Repeat(`,"ForcedLabour"`, 60000)
	var distinct strings.Builder
	for i := range 300 {
		if i > 0 {
			distinct.WriteByte(',')
		}
		fmt.Fprintf(&distinct, `"Bad%d"`, i)
	}
	run(t, srv, []scenario{
		{name: "RepeatedValueOnce", method: "POST", path: "/api/v1/cases",
			body:   strings.Replace(validCase, `"vic_TypeOfExploitation":["ForcedLabour"]`, `"vic_TypeOfExploitation":[`+repeated+`]`, 1),
			status: 422, contains: []string{`"code":"validation.duplicate_value"`, "items 1 and 2"}, maxBytes: 2000},
		{name: "CappedAt100", method: "POST", path: "/api/v1/cases",
			body:   strings.Replace(validCase, `"vic_TypeOfExploitation":["ForcedLabour"]`, `"vic_TypeOfExploitation":[`+distinct.String()+`]`, 1),
			status: 422, contains: []string{`"code":"validation.too_many_errors"`, "201 more problems"}, maxBytes: 40000},
		{name: "CitizenshipsOnceEach", method: "POST", path: "/api/v1/cases",
			body:   strings.Replace(validCase, `"prs_Citizenship":["CD"]`, `"prs_Citizenship":["CD","XX","CD","XX","cd"]`, 1),
			status: 422, contains: []string{`\"XX\" (item 2)`, "items 1 and 3", `\"cd\" (item 5)`}},
		{name: "ReferralNamedByPlace", method: "POST", path: "/api/v1/cases",
			body:   strings.Replace(validCase, `"cas_Status":"Active",`, `"cas_Status":"Active","referrals":[{"direction":"outgoing","cas_ReferredOrganisation":"B"},{"direction":"outgoing","vig_ReferredAgency":"KIN","cas_ReferredOrganisation":"B"}],`, 1),
			status: 422, contains: []string{`"field":"referrals[1].vig_ReferredAgency","code":"validation.own_agency"`}},
		{name: "UnknownAgencyNamedByPlace", method: "POST", path: "/api/v1/cases",
			body:   strings.Replace(validCase, `"cas_Status":"Active",`, `"cas_Status":"Active","referrals":[{"direction":"outgoing","vig_ReferredAgency":"NOPE","cas_ReferredOrganisation":"B"}],`, 1),
			status: 422, contains: []string{`"field":"referrals[0].vig_ReferredAgency","code":"validation.unknown_agency"`}},
	})
	// A case registered with a span of years only has no year: the list
	// said "vig_RegistrationYear":0.
	do(t, srv, "POST", "/api/v1/cases", strings.Replace(validCase, `"vig_RegistrationDate":"2026-03-14"`, `"vig_RegistrationPeriod":"2014-2018"`, 1), nil, 201)
	b := do(t, srv, "GET", "/api/v1/cases?year_from=2014&year_to=2018", "", nil, 200)
	if !strings.Contains(string(b), `"vig_RegistrationPeriod":"2014-2018"`) || strings.Contains(string(b), `"vig_RegistrationYear":0`) {
		t.Fatalf("list: %s", b)
	}
}

// TestOpenAPIStatesWhatTheServerRequires (the bodies whose rules are not
// in the domain's types): a referral needs its direction (an empty one was
// refused as "validation.enum"), break-the-glass its reason of 10 to 500
// characters and hours from 1 to 24, an answer its answer. The document
// said none of it.
func TestOpenAPIStatesWhatTheServerRequires(t *testing.T) {
	eachServer(t, testOpenAPIStatesWhatTheServerRequires)
}

func testOpenAPIStatesWhatTheServerRequires(t *testing.T, srv *httptest.Server) {
	s := apiSchemas(t, srv)
	for name, want := range map[string]string{"Referral": "direction", "BreakGlassRequest": "reason", "ReferralAnswerRequest": "answer"} {
		if !slices.Contains(s[name].Required, want) {
			t.Errorf("%s does not require %s: %v", name, want, s[name].Required)
		}
	}
	reason, hours := s["BreakGlassRequest"].Properties["reason"], s["BreakGlassRequest"].Properties["hours"]
	if reason["minLength"] != 10.0 || reason["maxLength"] != 500.0 || hours["minimum"] != 1.0 || hours["maximum"] != 24.0 {
		t.Errorf("break-the-glass bounds: reason %v, hours %v", reason, hours)
	}
	var c struct {
		Number string `json:"case_number"`
	}
	if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c); err != nil {
		t.Fatal(err)
	}
	run(t, srv, []scenario{
		{name: "ReferralWithoutDirection", method: "POST", path: "/api/v1/cases/" + c.Number + "/referrals", body: `{}`, status: 422,
			contains: []string{`"field":"direction","code":"validation.required"`}},
		{name: "ReferralOtherDirection", method: "POST", path: "/api/v1/cases/" + c.Number + "/referrals", body: `{"direction":"sideways"}`, status: 422,
			contains: []string{`"field":"direction","code":"validation.enum"`}},
	})
}

// TestEveryMistakeOfTheOtherBodies (second acceptance round): a type
// mistake beside a case or situation without an agency added "agency is
// required" (the server fills it in from the caller); a referral's answer
// and break-the-glass named one mistake at a time, and a missing answer or
// reason as a wrong one; a new case's second refused referral was left
// for the next try; an answer was capped at 101 entries.
func TestEveryMistakeOfTheOtherBodies(t *testing.T) {
	eachServer(t, testEveryMistakeOfTheOtherBodies)
}

func testEveryMistakeOfTheOtherBodies(t *testing.T, srv *httptest.Server) {
	var c struct {
		Number string `json:"case_number"`
	}
	if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c); err != nil {
		t.Fatal(err)
	}
	glass := "/api/v1/cases/" + c.Number + "/break-glass"
	var many strings.Builder
	for i := range 150 {
		fmt.Fprintf(&many, `,"Bad%d"`, i)
	}
	run(t, srv, []scenario{
		{name: "NoAgencyRequiredBesideATypeMistake", method: "POST", path: "/api/v1/cases",
			body:   `{"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"person":{"prs_SecondName":5}}`,
			status: 422, contains: []string{`"field":"person.prs_SecondName","code":"validation.type"`}, absent: []string{`"field":"agency"`}},
		{name: "SituationToo", method: "POST", path: "/api/v1/situations", body: `{"title":5}`,
			status: 422, contains: []string{`"field":"title","code":"validation.type"`}, absent: []string{`"field":"agency"`}},
		{name: "AnswerBoth", method: "POST", path: "/api/v1/cases/" + c.Number + "/referrals/00000000-0000-4000-8000-000000000000/answer",
			body: `{"answer":"maybe","reason":5}`, status: 422,
			contains: []string{`"field":"reason","code":"validation.type"`, `"field":"answer","code":"validation.enum"`}},
		{name: "AnswerMissing", method: "POST", path: "/api/v1/cases/" + c.Number + "/referrals/00000000-0000-4000-8000-000000000000/answer",
			body: `{}`, status: 422, contains: []string{`"field":"answer","code":"validation.required"`}},
		{name: "GlassBoth", method: "POST", path: glass, body: `{"reason":"short","hours":0}`, status: 422,
			contains: []string{`"field":"reason","code":"validation.reason"`, `"field":"hours","code":"validation.range"`}},
		{name: "GlassTypeAndReason", method: "POST", path: glass, body: `{"reason":"short","hours":"3"}`, status: 422,
			contains: []string{`"field":"hours","code":"validation.type"`, `"field":"reason","code":"validation.reason"`}},
		{name: "GlassReasonMissing", method: "POST", path: glass, body: `{}`, status: 422,
			contains: []string{`"field":"reason","code":"validation.required"`}},
		// A bidirectional override in the reason shown to the owning
		// agency made it read as another text.
		{name: "GlassReasonBidi", method: "POST", path: glass, body: "{\"reason\":\"\u202eabcdefghijkl\"}", status: 422,
			contains: []string{`"field":"reason","code":"validation.reason"`}},
		{name: "EveryRefusedReferral", method: "POST", path: "/api/v1/cases",
			body:   strings.Replace(validCase, `"cas_Status":"Active",`, `"cas_Status":"Active","referrals":[{"direction":"outgoing","vig_ReferredAgency":"KIN","cas_ReferredOrganisation":"B"},{"direction":"outgoing","vig_ReferredAgency":"NOPE","cas_ReferredOrganisation":"B"}],`, 1),
			status: 422, contains: []string{`"field":"referrals[0].vig_ReferredAgency","code":"validation.own_agency"`, `"field":"referrals[1].vig_ReferredAgency","code":"validation.unknown_agency"`}},
	})
	b := do(t, srv, "POST", "/api/v1/cases", strings.Replace(validCase, `"vic_TypeOfExploitation":["ForcedLabour"]`, `"vic_TypeOfExploitation":["ForcedLabour"`+many.String()+`]`, 1), nil, 422)
	var p struct {
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(b, &p); err != nil || len(p.Errors) != 100 || !strings.Contains(string(p.Errors[99]), "validation.too_many_errors") {
		t.Fatalf("%d entries (want 100, the last saying how many more): %v", len(p.Errors), err)
	}
}

// TestListBoundsRefused (sixth round): updated_to at Go's zero time was
// read as no bound (every case listed), a date in 9999 listed none on
// SQLite and all on PostgreSQL, and a year past PostgreSQL's integer was
// a 500 there; each is refused, the same on both databases.
func TestListBoundsRefused(t *testing.T) {
	eachServer(t, testListBoundsRefused)
}

func testListBoundsRefused(t *testing.T, srv *httptest.Server) {
	do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201)
	var tests []scenario
	for _, q := range []string{"updated_to=0001-01-01T00:00:00Z", "updated_from=0001-01-01", "updated_to=9999-12-31", "updated_to=9999-12-31T00:00:00Z",
		"year_to=2147483648", "year_from=9223372036854775807", "year_to=100000"} {
		field, _, _ := strings.Cut(q, "=")
		tests = append(tests, scenario{name: q, method: "GET", path: "/api/v1/cases?" + q, status: 422,
			contains: []string{`"field":"` + field + `","code":"validation.`}})
	}
	tests = append(tests, scenario{name: "Year99999Listed", method: "GET", path: "/api/v1/cases?year_to=99999", status: 200, contains: []string{`"total":1`}},
		scenario{name: "Updated1900Listed", method: "GET", path: "/api/v1/cases?updated_from=1900-01-01", status: 200, contains: []string{`"total":1`}})
	run(t, srv, tests)
}
