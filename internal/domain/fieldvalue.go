// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"encoding/json"
	"strconv"
	"strings"
)

// ValueAt is the value at path ("person.prs_Gender", "events[0].hte_Country")
// of the JSON object raw, for the reject file's value column: a string as
// it is, anything else as JSON; "" when there is none. The CSV and XLSX
// rejects show the cell; the JSON ones showed nothing. (The imports' reject
// files use it, with a case encoded as JSON for the rows the database
// refused.)
func ValueAt(raw []byte, path string) string {
	var v any
	if path == "" || json.Unmarshal(raw, &v) != nil {
		return ""
	}
	for _, seg := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(seg, "[")
		obj, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		if v, ok = obj[name]; !ok {
			return ""
		}
		for rest != "" {
			idx, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(idx)
			list, isList := v.([]any)
			if !ok || err != nil || !isList || i < 0 || i >= len(list) {
				return ""
			}
			v, rest = list[i], strings.TrimPrefix(after, "[")
		}
	}
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}
