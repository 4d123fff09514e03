// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"encoding/json"
	"reflect"
	"sort"
)

// ChangedFields names the fields whose values differ between two
// versions of a record, for the audit log: names only, never values.
func ChangedFields(before, after any) []string {
	a, b := fieldMap(before), fieldMap(after)
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok || !reflect.DeepEqual(v, w) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// fieldMap flattens a record's JSON one level under its objects (person,
// victim), so that "person.prs_FirstName" is named rather than "person".
func fieldMap(v any) map[string]any {
	out := map[string]any{}
	b, err := json.Marshal(v)
	if err != nil {
		return out
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return out
	}
	for k, x := range m {
		if sub, ok := x.(map[string]any); ok {
			for k2, y := range sub {
				out[k+"."+k2] = y
			}
			continue
		}
		out[k] = x
	}
	return out
}
