// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

type openAPIDoc struct {
	Paths      map[string]map[string]openAPIOp `json:"paths"`
	Components struct {
		Schemas map[string]map[string]any `json:"schemas"`
	} `json:"components"`
}

type openAPIOp struct {
	Responses   map[string]any `json:"responses"`
	RequestBody any            `json:"requestBody"`
}

// openAPIAreaBodies are the request bodies of other areas' operations
// (prevention, training…), added from their own test files' init.
var openAPIAreaBodies = map[string]string{}

// TestOpenAPIMatchesRoutes calls every documented operation on a live
// server: each must be routed (not answered by the catch-all) and answer
// with one of its documented statuses; documented responses must use only
// documented properties.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	eachServer(t, testOpenAPIMatchesRoutes)
}

func testOpenAPIMatchesRoutes(t *testing.T, srv *httptest.Server) {
	var c struct {
		Number string `json:"case_number"`
		Events []struct {
			ID string `json:"id"`
		} `json:"events"`
	}
	json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c)
	var s struct {
		ID string `json:"id"`
	}
	json.Unmarshal(do(t, srv, "POST", "/api/v1/situations", `{"agency":"KIN","title":"Réseau de Kolwezi"}`, nil, 201), &s)
	var att struct {
		ID string `json:"id"`
	}
	json.Unmarshal(do(t, srv, "POST", "/api/v1/cases/"+c.Number+"/attachments?name=scan.pdf", testPDF, map[string]string{"Content-Type": "application/pdf"}, 201), &att)

	var doc openAPIDoc
	if err := json.Unmarshal(do(t, srv, "GET", "/api/v1/openapi.json", "", nil, 200), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths) < 10 {
		t.Fatalf("the document has only %d paths", len(doc.Paths))
	}
	bodies := map[string]string{
		"POST /api/v1/agencies":                `{"code":"GOM","org_Name":"Centre de Goma"}`,
		"POST /api/v1/cases":                   validCase,
		"PUT /api/v1/cases/{ref}":              strings.Replace(validCase, `"agency":"KIN"`, `"agency":"KIN","version":1`, 1),
		"POST /api/v1/cases/{ref}/{part}":      `{"hte_Type":"Transit","hte_Country":"ZM"}`,
		"PUT /api/v1/cases/{ref}/{part}/{id}":  `{"hte_Type":"Transit","hte_Country":"AO","version":1}`,
		"POST /api/v1/situations":              `{"agency":"KIN","title":"Autre"}`,
		"POST /api/v1/auth/sign-in":            `{"email":"nobody@example.org","password":"not the right one"}`,
		"POST /api/v1/auth/second-factor":      `{"code":"123456"}`,
		"POST /api/v1/auth/totp/confirm":       `{"code":"000000"}`,
		"POST /api/v1/auth/password":           `{"current_password":"wrong","new_password":"x"}`,
		"POST /api/v1/tokens":                  `{"name":"x"}`,
		"POST /api/v1/users":                   `{"email":"new@kin.example","agency":"KIN","roles":["caseworker"],"password":"cheval batterie agrafe correct"}`,
		"PUT /api/v1/users/{id}":               `{"agency":"KIN","roles":["caseworker"],"version":1}`,
		"POST /api/v1/cases/{ref}/break-glass": `{"reason":"victime hospitalisée, équipe de garde"}`,
		"POST /api/v1/cases/{ref}/attachments": testPDF,
		// {id} is an event's: no such referral (404, documented).
		"POST /api/v1/cases/{ref}/referrals/{id}/answer": `{"answer":"accepted"}`,
	}
	for k, v := range openAPIAreaBodies {
		bodies[k] = v
	}
	// Uploads are the raw file, not JSON, with the name in the query.
	rawBodies := map[string]struct{ contentType, query string }{
		"POST /api/v1/cases/{ref}/attachments": {"application/pdf", "?name=autre.pdf"},
	}
	fill := strings.NewReplacer("{ref}", c.Number, "{part}", "events", "{id}", c.Events[0].ID, "{code}", "KIN")
	order := []string{"GET", "POST", "PUT", "DELETE"} // delete last: it removes the event
	for _, method := range order {
		for path, ops := range doc.Paths {
			op, ok := ops[strings.ToLower(method)]
			if !ok {
				continue
			}
			key := method + " " + path
			t.Run(key, func(t *testing.T) {
				url := fill.Replace(path)
				if strings.Contains(path, "situations/{id}") {
					url = strings.Replace(path, "{id}", s.ID, 1)
				}
				if strings.Contains(path, "attachments/{id}") {
					url = strings.NewReplacer("{ref}", c.Number, "{id}", att.ID).Replace(path)
				}
				url += rawBodies[key].query
				if method == "DELETE" {
					url += "?version=2"
				}
				req, _ := http.NewRequest(method, srv.URL+url, strings.NewReader(bodies[key]))
				if op.RequestBody != nil && bodies[key] == "" {
					t.Fatalf("no test body for %s", key)
				}
				req.Header.Set("Content-Type", "application/json")
				if raw, ok := rawBodies[key]; ok {
					req.Header.Set("Content-Type", raw.contentType)
				}
				if tok, ok := tokens.Load(srv.URL); ok {
					req.Header.Set("Authorization", "Bearer "+tok.(string))
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if strings.Contains(string(b), "no API route") {
					t.Fatalf("documented but not routed: %s", b)
				}
				r, ok := op.Responses[strconv.Itoa(resp.StatusCode)]
				if !ok {
					t.Fatalf("status %d is not documented (%v); body %s", resp.StatusCode, op.Responses, b)
				}
				if schema := responseSchema(r); schema != "" && len(b) > 0 {
					var v any
					if err := json.Unmarshal(b, &v); err != nil {
						t.Fatal(err)
					}
					if err := conforms(doc, v, map[string]any{"$ref": schema}, "$"); err != nil {
						t.Fatalf("response does not match %s: %v", schema, err)
					}
				}
			})
		}
	}
	// A route that is not documented is answered by the catch-all: 405
	// on a path that is served with other methods, 404 elsewhere.
	do(t, srv, "PATCH", "/api/v1/cases/"+c.Number, "{}", nil, 405)
	do(t, srv, "PATCH", "/api/v1/victims/"+c.Number, "{}", nil, 404)
}

func responseSchema(r any) string {
	m, _ := r.(map[string]any)
	content, _ := m["content"].(map[string]any)
	for _, ct := range content {
		s, _ := ct.(map[string]any)["schema"].(map[string]any)
		ref, _ := s["$ref"].(string)
		return ref
	}
	return ""
}

// conforms checks v against the subset of JSON Schema the document uses.
func conforms(doc openAPIDoc, v any, s map[string]any, path string) error {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		sub, ok := doc.Components.Schemas[name]
		if !ok {
			return fmt.Errorf("%s: unknown schema %s", path, name)
		}
		return conforms(doc, v, sub, path)
	}
	if alts, ok := s["oneOf"].([]any); ok {
		for _, a := range alts {
			if conforms(doc, v, a.(map[string]any), path) == nil {
				return nil
			}
		}
		return fmt.Errorf("%s: matches none of oneOf", path)
	}
	if typ, ok := s["type"]; ok && !typeMatches(v, typ) {
		return fmt.Errorf("%s: %s is not of the documented type %v", path, jsonKind(v), typ)
	}
	switch x := v.(type) {
	case map[string]any:
		if req, ok := s["required"].([]any); ok {
			for _, k := range req {
				if _, ok := x[k.(string)]; !ok {
					return fmt.Errorf("%s: required property %q is missing", path, k)
				}
			}
		}
		props, _ := s["properties"].(map[string]any)
		for k, sub := range x {
			ps, ok := props[k].(map[string]any)
			if !ok {
				switch extra := s["additionalProperties"].(type) {
				case bool:
					if !extra {
						return fmt.Errorf("%s: property %q is not documented", path, k)
					}
				case map[string]any:
					if err := conforms(doc, sub, extra, path+"."+k); err != nil {
						return err
					}
				}
				continue
			}
			if err := conforms(doc, sub, ps, path+"."+k); err != nil {
				return err
			}
		}
	case []any:
		items, _ := s["items"].(map[string]any)
		for i, sub := range x {
			if err := conforms(doc, sub, items, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case string:
		if enum, ok := s["enum"].([]any); ok {
			for _, e := range enum {
				if e == x {
					return nil
				}
			}
			return fmt.Errorf("%s: %q is not in the documented enum", path, x)
		}
	}
	return nil
}

// jsonKind names the JSON type of a decoded value as JSON Schema does.
func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// typeMatches reports whether v is of the schema's type: one name or a
// list of names; an integer is also a number.
func typeMatches(v any, typ any) bool {
	var names []string
	switch t := typ.(type) {
	case string:
		names = []string{t}
	case []any:
		for _, n := range t {
			s, _ := n.(string)
			names = append(names, s)
		}
	default:
		return false
	}
	k := jsonKind(v)
	for _, n := range names {
		if n == k || (n == "number" && k == "integer") {
			return true
		}
	}
	return false
}
