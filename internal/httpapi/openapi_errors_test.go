// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"vigie/internal/httpapi"
)

// TestOpenAPIErrorAnswers sends every documented operation the requests a
// client gets wrong — no credentials, a query string that does not decode,
// a malformed, oversized or gzip-compressed body — and checks each answer
// against the document: its status is declared for that operation, its
// Content-Type is the declared one, and a problem carries type, title and
// its own status. TestOpenAPIMatchesRoutes checks the answers to requests
// that are right.
func TestOpenAPIErrorAnswers(t *testing.T) {
	eachServer(t, testOpenAPIErrorAnswers)
}

func testOpenAPIErrorAnswers(t *testing.T, srv *httptest.Server) {
	var c struct {
		Number string `json:"case_number"`
		Events []struct {
			ID string `json:"id"`
		} `json:"events"`
	}
	json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c)
	var doc openAPIDoc
	raw := do(t, srv, "GET", "/api/v1/openapi.json", "", nil, 200)
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var full struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]any `json:"content"`
			} `json:"requestBody"`
			Responses map[string]struct {
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &full); err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer("{ref}", c.Number, "{part}", "events", "{id}", c.Events[0].ID, "{aid}", c.Events[0].ID,
		"{code}", "KIN", "{kind}", "charges")
	oversized := `{"x":"` + strings.Repeat("a", httpapi.MaxBodyBytes) + `"}`
	tok, _ := tokens.Load(srv.URL)
	type attempt struct {
		name, query, body string
		header            map[string]string
		auth              bool
	}
	for path, ops := range full.Paths {
		for method, op := range ops {
			method = strings.ToUpper(method)
			key := method + " " + path
			_, jsonBody := op.RequestBody.Content["application/json"]
			attempts := []attempt{{name: "NoCredentials"}, {name: "BadQuery", query: "?%zz=1", auth: true}}
			if jsonBody {
				attempts = append(attempts,
					attempt{name: "MalformedBody", body: `{"version":`, auth: true},
					attempt{name: "OversizedBody", body: oversized, auth: true},
					attempt{name: "GzipBody", body: "\x1f\x8b\x08\x00\x00\x00\x00\x00", header: map[string]string{"Content-Encoding": "gzip"}, auth: true},
					attempt{name: "TextBody", body: `{}`, header: map[string]string{"Content-Type": "text/plain"}, auth: true})
			}
			for _, a := range attempts {
				t.Run(key+"/"+a.name, func(t *testing.T) {
					url := srv.URL + fill.Replace(path) + a.query
					if method == "DELETE" && a.query == "" {
						url += "?version=1"
					}
					req, _ := http.NewRequest(method, url, strings.NewReader(a.body))
					if a.body != "" {
						req.Header.Set("Content-Type", "application/json")
					}
					for k, v := range a.header {
						req.Header.Set(k, v)
					}
					if a.auth {
						req.Header.Set("Authorization", "Bearer "+tok.(string))
					}
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					declared, ok := op.Responses[strconv.Itoa(resp.StatusCode)]
					if !ok {
						t.Fatalf("status %d is not documented; body %.300s", resp.StatusCode, b)
					}
					ct := resp.Header.Get("Content-Type")
					if len(declared.Content) > 0 {
						if _, ok := declared.Content[strings.Split(ct, ";")[0]]; !ok {
							t.Fatalf("status %d answered in %q, documented as %v", resp.StatusCode, ct, declared.Content)
						}
					}
					if resp.StatusCode < 400 {
						return
					}
					if ct != "application/problem+json" {
						t.Fatalf("status %d answered in %q, not application/problem+json: %.300s", resp.StatusCode, ct, b)
					}
					var p map[string]any
					if err := json.Unmarshal(b, &p); err != nil {
						t.Fatalf("problem is not JSON: %v: %.300s", err, b)
					}
					if err := conforms(doc, p, map[string]any{"$ref": "#/components/schemas/Problem"}, "$"); err != nil {
						t.Fatal(err)
					}
					if p["type"] == nil || p["title"] == nil || p["status"] != float64(resp.StatusCode) {
						t.Fatalf("problem lacks type, title or its status %d: %s", resp.StatusCode, b)
					}
					switch a.name {
					case "BadQuery":
						if resp.StatusCode == 422 && !strings.Contains(string(b), "validation.query_encoding") {
							t.Fatalf("a query that does not decode is refused for another reason: %s", b)
						}
						if resp.StatusCode == 200 || resp.StatusCode == 201 || resp.StatusCode == 204 {
							t.Fatalf("a query that does not decode was obeyed without it: %s", b)
						}
					case "TextBody":
						if resp.StatusCode < 300 || resp.StatusCode == 422 {
							t.Fatalf("a body sent as text/plain got %d, want 415: %s", resp.StatusCode, b)
						}
					case "GzipBody":
						if resp.StatusCode == 422 && !strings.Contains(string(b), "Content-Encoding") {
							t.Fatalf("a gzip body is refused for another reason: %s", b)
						}
					}
				})
			}
		}
	}
}

// TestRequestsNoRouteServes: a path the API serves, asked with another
// method, answers 405 with Allow in problem+json (it answered 404 "no API
// route", and POST /healthz text/plain); a query string that net/url
// cannot decode is refused by name instead of dropped — GET
// /api/v1/cases?status=Closed%zz listed every case, the filter gone.
func TestRequestsNoRouteServes(t *testing.T) {
	eachServer(t, testRequestsNoRouteServes)
}

func testRequestsNoRouteServes(t *testing.T, srv *httptest.Server) {
	do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201)
	for _, tt := range []struct {
		method, path, allow string
		status              int
		contains            string
	}{
		{"PATCH", "/api/v1/cases", "GET, HEAD, POST", 405, "method_not_allowed"},
		{"DELETE", "/api/v1/cases/KIN-2026-000001", "GET, HEAD, PUT", 405, "method_not_allowed"},
		{"OPTIONS", "/api/v1/cases/KIN-2026-000001/events", "GET, HEAD, POST", 405, "method_not_allowed"},
		{"POST", "/healthz", "GET, HEAD", 405, "method_not_allowed"},
		{"POST", "/api/v1/openapi.json", "GET, HEAD", 405, "method_not_allowed"},
		{"GET", "/api/v1/victims", "", 404, "no API route"},
		{"GET", "/api/v1/cases?status=Closed%zz", "", 422, `"field":"status","code":"validation.query_encoding"`},
		{"GET", "/api/v1/cases?status=Closed;gender=Masculine", "", 422, `"field":"status","code":"validation.query_encoding"`},
		{"GET", "/api/v1/cases?gender=Feminine&%zz=1", "", 422, `"field":"%zz","code":"validation.query_encoding"`},
		{"GET", "/api/v1/cases?status=%ff", "", 422, `"field":"status","code":"validation.query_encoding"`},
		{"DELETE", "/api/v1/cases/KIN-2026-000001/events/x?version=1%", "", 422, `"field":"version","code":"validation.query_encoding"`},
		{"GET", "/api/v1/cases?status=Closed", "", 200, `"total":0`},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			tok, _ := tokens.Load(srv.URL)
			req.Header.Set("Authorization", "Bearer "+tok.(string))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.contains) {
				t.Fatalf("status %d, want %d with %s: %s", resp.StatusCode, tt.status, tt.contains, b)
			}
			if tt.status >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
			if got := resp.Header.Get("Allow"); got != tt.allow {
				t.Fatalf("Allow %q, want %q", got, tt.allow)
			}
		})
	}
}

// TestRepeatedParametersRefused: the name search, the audit trails and the
// user list refuse a parameter given twice or unknown, as the case list
// does — /persons/search?name=A&name=B searched A alone, /audit?limit=1&limit=500
// read 1, and ?nom= was ignored (acceptance pass).
func TestRepeatedParametersRefused(t *testing.T) {
	eachServer(t, func(t *testing.T, srv *httptest.Server) {
		do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201)
		run(t, srv, []scenario{
			{name: "SearchTwice", method: "GET", path: "/api/v1/persons/search?name=Mbuyi&name=Kabasele", status: 422, contains: []string{`"field":"name","code":"validation.repeated_parameter"`}},
			{name: "SearchUnknown", method: "GET", path: "/api/v1/persons/search?name=Mbuyi&nom=Kabasele", status: 422, contains: []string{`"field":"nom","code":"validation.unknown_parameter"`}},
			{name: "Search", method: "GET", path: "/api/v1/persons/search?name=Mbuyi&mode=exact&limit=5", status: 200, contains: []string{"KIN-2026-000001"}},
			{name: "AuditTwice", method: "GET", path: "/api/v1/audit?limit=1&limit=500", status: 422, contains: []string{`"field":"limit","code":"validation.repeated_parameter"`}},
			{name: "CaseAuditTwice", method: "GET", path: "/api/v1/cases/KIN-2026-000001/audit?before=5&before=9", status: 422, contains: []string{`"field":"before","code":"validation.repeated_parameter"`}},
			{name: "CaseAudit", method: "GET", path: "/api/v1/cases/KIN-2026-000001/audit?limit=2", status: 200, contains: []string{`"items"`}},
			{name: "UsersTwice", method: "GET", path: "/api/v1/users?agency=KIN&agency=GOM", status: 422, contains: []string{`"field":"agency","code":"validation.repeated_parameter"`}},
			{name: "Users", method: "GET", path: "/api/v1/users?agency=KIN", status: 200, contains: []string{"tester@kin.example"}},
		})
	})
}
