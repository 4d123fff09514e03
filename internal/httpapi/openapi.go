// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"vigie/internal/domain"
)

// operation documents one route. Every entry of routes must have one and
// every operation must be a route (TestOpenAPIMatchesRoutes).
type operation struct {
	Summary   string
	Request   string         // schema name of the body, if any
	Responses map[int]string // status → schema name ("" for no body)
	Query     []string       // query parameter names
}

var operations = map[string]operation{
	"GET /healthz":                           {"Liveness and database check", "", map[int]string{200: "Health", 503: "Problem"}, nil},
	"GET /api/v1/openapi.json":               {"This document", "", map[int]string{200: ""}, nil},
	"GET /api/v1/agencies":                   {"List agencies", "", map[int]string{200: "AgencyList"}, nil},
	"POST /api/v1/agencies":                  {"Create an agency", "Agency", map[int]string{201: "Agency", 409: "Problem", 422: "Problem"}, nil},
	"GET /api/v1/agencies/{code}":            {"Read an agency", "", map[int]string{200: "Agency", 404: "Problem"}, nil},
	"GET /api/v1/cases":                      {"List cases (summaries without personal data), filtered, sorted, paginated with a cursor, with the total count", "", map[int]string{200: "CasePage", 422: "Problem"}, listParams},
	"POST /api/v1/cases":                     {"Register a case with its parts", "Case", map[int]string{201: "Case", 413: "Problem", 422: "Problem"}, nil},
	"GET /api/v1/cases/{ref}":                {"Read a case by ID or case number", "", map[int]string{200: "Case", 404: "Problem"}, nil},
	"PUT /api/v1/cases/{ref}":                {"Replace a case's own fields (parts are edited separately); needs the edited version (body or If-Match)", "Case", map[int]string{200: "Case", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
	"GET /api/v1/cases/{ref}/{part}":         {"List one kind of part of a case", "", map[int]string{200: "PartList", 404: "Problem"}, nil},
	"POST /api/v1/cases/{ref}/{part}":        {"Add a part to a case", "Part", map[int]string{201: "Part", 404: "Problem", 422: "Problem"}, nil},
	"PUT /api/v1/cases/{ref}/{part}/{id}":    {"Replace a part; needs the edited version", "Part", map[int]string{200: "Part", 404: "Problem", 409: "Problem", 422: "Problem"}, nil},
	"DELETE /api/v1/cases/{ref}/{part}/{id}": {"Delete a part; needs its version (?version= or If-Match)", "", map[int]string{204: "", 404: "Problem", 409: "Problem", 422: "Problem"}, []string{"version"}},
	"POST /api/v1/situations":                {"Create a trafficking situation that links several cases", "Situation", map[int]string{201: "Situation", 422: "Problem"}, nil},
	"GET /api/v1/situations/{id}":            {"Read a trafficking situation and its case numbers", "", map[int]string{200: "Situation", 404: "Problem"}, nil},
}

// schemaTypes are the documented types, generated from the Go types by
// reflection so that a field added to the domain appears here at once.
var schemaTypes = map[string]reflect.Type{
	"Case":        reflect.TypeFor[domain.Case](),
	"Person":      reflect.TypeFor[domain.Person](),
	"Victim":      reflect.TypeFor[domain.Victim](),
	"Event":       reflect.TypeFor[domain.Event](),
	"SupportPlan": reflect.TypeFor[domain.SupportPlan](),
	"Consent":     reflect.TypeFor[domain.Consent](),
	"Comment":     reflect.TypeFor[domain.Comment](),
	"Referral":    reflect.TypeFor[domain.Referral](),
	"Perpetrator": reflect.TypeFor[domain.Perpetrator](),
	"Agency":      reflect.TypeFor[domain.Agency](),
	"Situation":   reflect.TypeFor[domain.Situation](),
	"CaseSummary": reflect.TypeFor[domain.CaseSummary](),
	"CasePage":    reflect.TypeFor[domain.CasePage](),
	"Problem":     reflect.TypeFor[Problem](),
	"FieldError":  reflect.TypeFor[domain.FieldError](),
}

// buildOpenAPI renders the OpenAPI 3.1 document.
func buildOpenAPI(version string) []byte {
	schemas := map[string]any{}
	for name, t := range schemaTypes {
		schemas[name] = structSchema(t)
	}
	schemas["Health"] = map[string]any{"type": "object", "properties": map[string]any{"status": map[string]any{"type": "string"}, "version": map[string]any{"type": "string"}}}
	schemas["AgencyList"] = listOf("Agency")
	var parts []any
	for _, n := range []string{"Event", "SupportPlan", "Consent", "Comment", "Referral", "Perpetrator"} {
		parts = append(parts, ref(n))
	}
	schemas["Part"] = map[string]any{"oneOf": parts, "description": "The record type follows the {part} path segment: events → Event, support_plans → SupportPlan, consents → Consent, comments → Comment, referrals → Referral, perpetrators → Perpetrator."}
	schemas["PartList"] = listOf("Part")

	paths := map[string]map[string]any{}
	for _, rt := range routes {
		op := operations[rt.method+" "+rt.pattern]
		o := map[string]any{"summary": op.Summary, "operationId": operationID(rt.method, rt.pattern)}
		var params []any
		for _, seg := range strings.Split(rt.pattern, "/") {
			if strings.HasPrefix(seg, "{") {
				p := map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": map[string]any{"type": "string"}}
				if seg == "{part}" {
					p["schema"] = map[string]any{"type": "string", "enum": domain.PartKinds}
				}
				params = append(params, p)
			}
		}
		for _, q := range op.Query {
			params = append(params, map[string]any{"name": q, "in": "query", "required": false, "schema": map[string]any{"type": "string"}})
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		if op.Request != "" {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(op.Request)}}}
		}
		resp := map[string]any{}
		for status, schema := range op.Responses {
			r := map[string]any{"description": httpStatusText(status)}
			if schema != "" {
				ct := "application/json"
				if schema == "Problem" {
					ct = "application/problem+json"
				}
				r["content"] = map[string]any{ct: map[string]any{"schema": ref(schema)}}
			}
			resp[itoa(status)] = r
		}
		o["responses"] = resp
		if paths[rt.pattern] == nil {
			paths[rt.pattern] = map[string]any{}
		}
		paths[rt.pattern][strings.ToLower(rt.method)] = o
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Vigie API",
			"version":     version,
			"description": "Counter-trafficking case registry. Field names follow the Human Trafficking Case Data Standard (HTCDS by IOM, github.com/UNMigration/HTCDS, CC BY 4.0); vig_ fields are Vigie extensions. Errors are application/problem+json with one entry per invalid field.",
		},
		"paths":      paths,
		"components": map[string]any{"schemas": schemas},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // the document is built from static data; a failure is a bug found by any test
	}
	return b
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func listOf(name string) map[string]any {
	return map[string]any{"type": "object", "required": []string{"items"}, "properties": map[string]any{"items": map[string]any{"type": "array", "items": ref(name)}}}
}

var (
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[domain.Date]()
)

// structSchema describes a struct by its JSON tags; enum values come from
// the domain's registry, keyed by the field's HTCDS identifier.
func structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	addFields(t, props)
	return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
}

func addFields(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			addFields(f.Type, props)
			continue
		}
		if !f.IsExported() {
			continue
		}
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "-" || name == "" {
			continue
		}
		props[name] = typeSchema(f.Type, name)
	}
}

func typeSchema(t reflect.Type, field string) map[string]any {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == dateType:
		return map[string]any{"type": []string{"string", "null"}, "format": "date"}
	}
	switch t.Kind() {
	case reflect.String:
		s := map[string]any{"type": "string"}
		if e, ok := domain.EnumFor(field); ok {
			s["enum"] = e.Values
		}
		return s
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": typeSchema(t.Elem(), field)}
	case reflect.Struct:
		for name, st := range schemaTypes {
			if st == t {
				return ref(name)
			}
		}
		return structSchema(t)
	}
	return map[string]any{}
}

func operationID(method, pattern string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, seg := range strings.Split(pattern, "/") {
		seg = strings.Trim(seg, "{}")
		if seg == "" || seg == "api" || seg == "v1" {
			continue
		}
		b.WriteString(strings.ToUpper(seg[:1]) + strings.ReplaceAll(seg[1:], ".", ""))
	}
	return b.String()
}
