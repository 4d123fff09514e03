// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"fmt"
	"math"
	"strings"

	"vigie/internal/i18n"
	"vigie/internal/reach"
)

// notARef is what the trail keeps of a reference that was no case number
// nor record ID (reach.Ref).
var notARef = reach.Ref("")

// detailValues says where a detail's values find their labels; the
// other keys' values look under "audit.detail.KEY.VALUE". A value with
// no label is shown as it is (a code added later stays readable).
var detailValues = map[string]string{"roles": "role.", "fields": "field.", "mode": "search.mode."}

// detailLine is one detail of an audit entry in the page's language: the
// key labelled ("audit.detail.ACTION.KEY" when the same key means
// something else for that action, else "audit.detail.KEY"), the values
// labelled, numbers formatted, yes/no for booleans.
func detailLine(l *i18n.Localizer, action, key string, v any) string {
	name := key
	switch {
	case messageIDs["audit.detail."+action+"."+key]:
		name = l.T("audit.detail." + action + "." + key)
	case messageIDs["audit.detail."+key]:
		name = l.T("audit.detail." + key)
	}
	return l.T("audit.detail_line", map[string]any{"Key": name, "Value": detailText(l, key, v)})
}

func detailText(l *i18n.Localizer, key string, v any) string {
	switch x := v.(type) {
	case []any:
		out := make([]string, len(x))
		for i, y := range x {
			out[i] = detailText(l, key, y)
		}
		return strings.Join(out, ", ")
	case bool:
		if x {
			return l.T("common.yes")
		}
		return l.T("common.no")
	case float64: // numbers come back from JSON as float64
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return l.Number(int64(x))
		}
		return fmt.Sprint(x)
	case string:
		if key == "ref" && x == notARef {
			return l.T("audit.detail.ref.none")
		}
		prefix, ok := detailValues[key]
		if !ok {
			prefix = "audit.detail." + key + "."
		}
		if key == "fields" {
			// A changed field is named by its path in the record
			// (person.prs_FirstName); its label is the field's.
			x = x[strings.LastIndex(x, ".")+1:]
		}
		return label(l, prefix, x)
	}
	return detailValue(v)
}
