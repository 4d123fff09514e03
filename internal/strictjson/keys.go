// SPDX-License-Identifier: AGPL-3.0-or-later

package strictjson

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"vigie/internal/textdist"

	"vigie/internal/domain"
)

// encoding/json matches object keys to fields case-insensitively, so
// "prs_firstname" would silently fill prs_FirstName. HTCDS identifiers are
// case-sensitive, and a near-miss must be refused by name; keyProblems walks
// the raw JSON against the target type first and reports every key that
// is not exactly a field, with its path.
func keyProblems(raw []byte, t reflect.Type) domain.Problems {
	v, err := decodeAny(raw)
	if err != nil {
		return nil // syntax errors are reported by the real decode
	}
	var p domain.Problems
	walkKeys(&p, v, t, "")
	return p
}

func walkKeys(p *domain.Problems, v any, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	// A value of the wrong type is reported here with the others, every
	// one by its path: encoding/json stops at the first (a body with five
	// wrong types got one entry) and only after every key was known.
	if path != "" {
		if kind, bad := wrongType(v, t); bad {
			p.Add(strings.TrimSuffix(path, "."), "validation.type", "must be %s, not a JSON %s", typeName(t.String()), kind)
			return
		}
	}
	switch x := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct || t == dateType || t == timeType {
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys) // the problems in a stable order
		for _, k := range keys {
			sub := x[k]
			ft, ok := fields[k]
			if !ok {
				msg := "is not a field of this record"
				if near := nearest(k, fields); near != "" {
					msg += "; did you mean " + strconv.Quote(near) + "? (field names are case-sensitive)"
				}
				p.Add(path+k, "validation.unknown_field", "%s", msg)
				continue
			}
			walkKeys(p, sub, ft, path+k+".")
		}
	case string:
		// time.Time's own decoding error names no field ("parsing time
		// \"x\" as …"), and would end the decoding there.
		if t == timeType {
			if badTime(x) {
				p.Add(strings.TrimSuffix(path, "."), "validation.time_format", "%q is not an RFC 3339 time (e.g. 2026-01-31T09:00:00Z)", truncate(x, 40))
			}
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return
		}
		prefix := strings.TrimSuffix(path, ".")
		for i, sub := range x {
			// null in a list of text or numbers decoded as "" or 0,
			// reported as an empty country or an unknown value.
			if sub == nil && scalar(t.Elem()) {
				p.Add(prefix+"["+strconv.Itoa(i)+"]", "validation.type", "must be %s, not null", typeName(t.Elem().String()))
				continue
			}
			walkKeys(p, sub, t.Elem(), prefix+"["+strconv.Itoa(i)+"].")
		}
	}
}

func badTime(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err != nil
}

// scalar reports a type that null cannot stand for in a list: text, a
// number, true or false (not a type that decodes itself, as dates do).
func scalar(t reflect.Type) bool {
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return false
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Float64:
		return true
	}
	return false
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// wrongType tells whether the JSON value v cannot decode into t, and the
// JSON kind of v. null decodes into anything; types that decode
// themselves (Date, time) and values of any type are not judged here.
func wrongType(v any, t reflect.Type) (string, bool) {
	if v == nil || t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return "", false
	}
	var kind string
	var num float64
	var numErr error
	switch x := v.(type) {
	case string:
		kind = "string"
	case bool:
		kind = "bool"
	case json.Number:
		kind = "number"
		num, numErr = strconv.ParseFloat(string(x), 64)
	case float64:
		kind, num = "number", x
	case []any:
		kind = "array"
	case map[string]any:
		kind = "object"
	default:
		return "", false
	}
	ok := true
	switch t.Kind() {
	case reflect.String:
		ok = kind == "string"
	case reflect.Bool:
		ok = kind == "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		ok = kind == "number" && numErr == nil && num == math.Trunc(num) && math.Abs(num) < 1<<63
	case reflect.Float32, reflect.Float64:
		ok = kind == "number" && numErr == nil // 1e400 is beyond a float
	case reflect.Slice, reflect.Array:
		ok = kind == "array" || t.Elem().Kind() == reflect.Uint8 // json.RawMessage, []byte
	case reflect.Struct, reflect.Map:
		ok = kind == "object"
	}
	return kind, !ok
}

// FieldTypes maps the JSON names of struct type t's fields (those of its
// embedded structs included) to their types, as encoding/json reads them.
// The map is shared: do not change it.
func FieldTypes(t reflect.Type) map[string]reflect.Type { return jsonFields(t) }

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	var add func(reflect.Type)
	add = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous {
				add(f.Type)
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if f.IsExported() && name != "" && name != "-" {
				m[name] = f.Type
			}
		}
	}
	add(t)
	fieldCache.Store(t, m)
	return m
}

// truncate shortens s to n runes for a message.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// nearest suggests the field whose name differs only by case, or by at
// most two edits.
func nearest(k string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	for name := range fields {
		if strings.EqualFold(name, k) {
			return name
		}
		if d := textdist.Levenshtein(strings.ToLower(k), strings.ToLower(name)); d < bestD {
			best, bestD = name, d
		}
	}
	return best
}
