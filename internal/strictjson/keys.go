// SPDX-License-Identifier: AGPL-3.0-or-later

package strictjson

import (
	"encoding/json"
	"reflect"
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
// case-sensitive, and a near-miss must be refused by name; checkKeys walks
// the raw JSON against the target type first and reports every key that
// is not exactly a field, with its path.
func checkKeys(raw []byte, t reflect.Type) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil // syntax errors are reported by the real decode
	}
	var p domain.Problems
	walkKeys(&p, v, t, "")
	return p.Err()
}

func walkKeys(p *domain.Problems, v any, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch x := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct || t == dateType || t == timeType {
			return
		}
		fields := jsonFields(t)
		for k, sub := range x {
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
			if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
				p.Add(strings.TrimSuffix(path, "."), "validation.time_format", "%q is not an RFC 3339 time (e.g. 2026-01-31T09:00:00Z)", truncate(x, 40))
			}
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return
		}
		prefix := strings.TrimSuffix(path, ".")
		for i, sub := range x {
			walkKeys(p, sub, t.Elem(), prefix+"["+strconv.Itoa(i)+"].")
		}
	}
}

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
