// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestSituationCases: a situation's cases are read only in its body —
// sending them is refused under their field, nothing created, as is a
// key sent twice — and a case
// joins a situation through its own situation_id, after which the
// situation lists it.
func TestSituationCases(t *testing.T) {
	eachServer(t, func(t *testing.T, srv *httptest.Server) {
		var c map[string]any
		json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c)
		number := c["case_number"].(string)
		for _, tc := range []struct{ name, body, field string }{
			{"ErrCaseNumbers", `{"agency":"KIN","title":"Réseau","case_numbers":["` + number + `"]}`, "case_numbers"},
			{"ErrUnknownField", `{"agency":"KIN","title":"Réseau","cases":["` + number + `"]}`, "cases"},
			{"ErrOtherAgency", `{"agency":"GOM","title":"Réseau"}`, "agency"},
			{"ErrDuplicateKey", `{"agency":"KIN","title":"Réseau","title":"Autre"}`, "title"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b := do(t, srv, "POST", "/api/v1/situations", tc.body, nil, 422)
				if !strings.Contains(string(b), `"field":"`+tc.field+`"`) {
					t.Fatalf("problem without the field %q: %s", tc.field, b)
				}
			})
		}
		var s struct {
			ID          string   `json:"id"`
			CaseNumbers []string `json:"case_numbers"`
		}
		json.Unmarshal(do(t, srv, "POST", "/api/v1/situations", `{"agency":"KIN","title":"Réseau"}`, nil, 201), &s)
		c["situation_id"] = s.ID
		body, _ := json.Marshal(c)
		do(t, srv, "PUT", "/api/v1/cases/"+number, string(body), nil, 200)
		json.Unmarshal(do(t, srv, "GET", "/api/v1/situations/"+s.ID, "", nil, 200), &s)
		if !slices.Equal(s.CaseNumbers, []string{number}) {
			t.Fatalf("situation's cases %v, want [%s]", s.CaseNumbers, number)
		}
	})
}
