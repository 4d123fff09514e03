// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"vigie/internal/domain"
	"vigie/internal/strictjson"
)

// The bounds and forms of a record's text fields live in the domain's
// checks (checkText with a limit, checkCountry, checkPhone…), not in its
// types. addTextRules asks those checks, once, when the document is built:
// for each string field of a record schema, which lengths it refuses and
// which code a plain word gets. The document then says what the server
// refuses (maxLength, pattern, format) and cannot drift from it.

// textLimits are the limits the domain's checks use, smallest first.
var textLimits = []int{40, domain.MaxShortText, 254, domain.MaxNoteText, domain.MaxLongText}

// codePatterns are the forms the domain's checks require, by the code of
// their refusal.
var codePatterns = map[string]map[string]any{
	"validation.country":  {"pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 country code (ZZ: unknown, XK: Kosovo)"},
	"validation.language": {"pattern": "^[a-z]{3}$", "description": "ISO 639-2 language code"},
	"validation.phone":    {"pattern": domain.PhonePattern, "description": "E.164 phone number, e.g. +243812345678"},
	"validation.email":    {"format": "email"},
	// An agency's code, and a case's "agency" (blank is the caller's).
	"validation.agency_code": {"pattern": domain.AgencyCodePattern, "description": "an agency's code: 2 to 10 capital letters or digits"},
}

// addTextRules writes the rules into the schemas of a document being built.
func addTextRules(schemas map[string]any) {
	for name, fields := range textRules() {
		props, _ := schemas[name].(map[string]any)["properties"].(map[string]any)
		for field, rule := range fields {
			target, _ := props[field].(map[string]any)
			if items, ok := target["items"].(map[string]any); ok {
				target = items
			}
			for k, v := range rule {
				target[k] = v
			}
		}
	}
}

// textRules are the rules of every string field of the record schemas, by
// schema and field: asked of the domain's checks once (about 10 ms), not
// for every server a test starts.
var textRules = sync.OnceValue(func() map[string]map[string]map[string]any {
	out := map[string]map[string]map[string]any{}
	for name, t := range schemaTypes {
		if !validates(t) {
			continue
		}
		props := structSchema(t)["properties"].(map[string]any)
		for field, ft := range stringFields(t) {
			prop, ok := props[field].(map[string]any)
			if !ok || prop["enum"] != nil || prop["format"] != nil {
				continue
			}
			if ft.Kind() == reflect.Slice {
				if items, ok := prop["items"].(map[string]any); !ok || items["enum"] != nil {
					continue
				}
			}
			rule := map[string]any{}
			for _, n := range textLimits {
				if refusedAs(t, field, ft, strings.Repeat("a", n+1), "validation.too_long") && !refusedAs(t, field, ft, strings.Repeat("a", n), "validation.too_long") {
					rule["maxLength"] = n
					break
				}
			}
			for code, r := range codePatterns {
				if refusedAs(t, field, ft, "a", code) {
					maps.Copy(rule, r)
				}
			}
			if len(rule) > 0 {
				if out[name] == nil {
					out[name] = map[string]map[string]any{}
				}
				out[name][field] = rule
			}
		}
	}
	return out
})

// validates tells whether the record type has one of the domain's checks.
func validates(t reflect.Type) bool {
	switch reflect.New(t).Interface().(type) {
	case interface{ Validate(domain.Date) error }, interface {
		Validate(domain.Date) domain.Problems
	}, interface{ Validate() error }:
		return true
	}
	return false
}

// stringFields are the JSON names of t's fields of type string or
// []string (those of embedded structs included).
func stringFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for name, ft := range strictjson.FieldTypes(t) {
		if ft.Kind() == reflect.String || ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String {
			out[name] = ft
		}
	}
	return out
}

// refusedAs tells whether a record of type t whose field holds value (or
// a list of that one value) is refused with code on that field.
func refusedAs(t reflect.Type, field string, ft reflect.Type, value string, code string) bool {
	v := reflect.New(t)
	f := fieldByJSONName(v.Elem(), field)
	if !f.IsValid() || !f.CanSet() {
		return false
	}
	if ft.Kind() == reflect.Slice {
		list := reflect.MakeSlice(ft, 1, 1)
		list.Index(0).SetString(value)
		f.Set(list)
	} else {
		f.SetString(value)
	}
	return slices.ContainsFunc(domain.FieldErrors(recordRules(v.Interface())), func(fe domain.FieldError) bool {
		return fe.Code == code && (fe.Field == field || strings.HasPrefix(fe.Field, field+"["))
	})
}

func fieldByJSONName(v reflect.Value, name string) reflect.Value {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			if r := fieldByJSONName(v.Field(i), name); r.IsValid() {
				return r
			}
			continue
		}
		if strings.Split(f.Tag.Get("json"), ",")[0] == name {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}
