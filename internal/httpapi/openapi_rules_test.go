// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"vigie/internal/domain"
)

// TestOpenAPITextRules: the document gave no bound and no form for any
// text field, while the server refuses a name over 200 characters, a
// phone that is not E.164, a country that is not two capital letters. It
// now says so (addTextRules), every free-text field of a record has a
// maxLength, and the server refuses one character more under that field's
// name, as the document says.
func TestOpenAPITextRules(t *testing.T) {
	eachServer(t, testOpenAPITextRules)
}

func testOpenAPITextRules(t *testing.T, srv *httptest.Server) {
	schemas := apiSchemas(t, srv)
	prop := func(schema, field string) map[string]any {
		p := schemas[schema].Properties[field]
		if items, ok := p["items"].(map[string]any); ok {
			return items
		}
		return p
	}
	for _, tt := range []struct {
		schema, field, key string
		want               any
	}{
		{"Person", "prs_FirstName", "maxLength", float64(domain.MaxShortText)},
		{"Comment", "cco_CaseComment", "maxLength", float64(domain.MaxLongText)},
		{"Person", "prs_MobilePhone", "pattern", domain.PhonePattern},
		{"Person", "prs_Citizenship", "pattern", "^[A-Z]{2}$"},
		{"Event", "hte_Country", "pattern", "^[A-Z]{2}$"},
		{"Person", "prs_PrimaryLanguage", "pattern", "^[a-z]{3}$"},
		{"Person", "prs_Email", "format", "email"},
		{"Agency", "code", "pattern", domain.AgencyCodePattern},
	} {
		if got := prop(tt.schema, tt.field)[tt.key]; got != tt.want {
			t.Errorf("%s.%s %s = %v, want %v", tt.schema, tt.field, tt.key, got, tt.want)
		}
	}
	// Every free-text field of the case's records is bounded (ids,
	// codes and dates have their own forms).
	notText := map[string]bool{"id": true, "agency": true, "case_number": true, "situation_id": true, "created_at": true, "updated_at": true,
		"vig_RegistrationPeriod": true, "vig_ReferredAgency": true}
	for _, schema := range []string{"Case", "Person", "Victim", "Event", "SupportPlan", "Consent", "Comment", "Referral", "Perpetrator"} {
		for field, p := range schemas[schema].Properties {
			if p["type"] != "string" || p["enum"] != nil || p["format"] != nil || p["pattern"] != nil || notText[field] {
				continue
			}
			if p["maxLength"] == nil {
				t.Errorf("%s.%s: a text field without maxLength", schema, field)
			}
		}
	}
	// And the server refuses one character more, under the field's name.
	for _, f := range []string{"prs_FirstName", "prs_MailingStreet", "prs_IdentityNumber"} {
		n := int(prop("Person", f)["maxLength"].(float64))
		body := strings.Replace(validCase, `"prs_FirstName":"Mbuyi"`, fmt.Sprintf(`"prs_FirstName":"Mbuyi",%q:%q`, f, strings.Repeat("é", n+1)), 1)
		if f == "prs_FirstName" {
			body = strings.Replace(validCase, `"prs_FirstName":"Mbuyi"`, fmt.Sprintf(`"prs_FirstName":%q`, strings.Repeat("é", n+1)), 1)
		}
		b := do(t, srv, "POST", "/api/v1/cases", body, nil, 422)
		if !strings.Contains(string(b), `"field":"person.`+f+`","code":"validation.too_long"`) {
			t.Errorf("%s of %d characters: %s", f, n+1, b)
		}
	}
}

// apiSchema is a schema of the server's OpenAPI document, as the tests
// read it.
type apiSchema struct {
	Required   []string                  `json:"required"`
	Properties map[string]map[string]any `json:"properties"`
}

// apiSchemas are the schemas of the OpenAPI document srv serves.
func apiSchemas(t *testing.T, srv *httptest.Server) map[string]apiSchema {
	t.Helper()
	var doc struct {
		Components struct {
			Schemas map[string]apiSchema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(do(t, srv, "GET", "/api/v1/openapi.json", "", nil, 200), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Components.Schemas
}
