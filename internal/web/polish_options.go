// SPDX-License-Identifier: AGPL-3.0-or-later

package web

// catchAll are the code lists' values that mean "none of the above":
// a list reads best with them last, whatever order the standard gives
// (vic_MethodsOfControl has Other before RestrictsMovement,
// vig_PerpetratorRelation starts with StrangerUnknownOther).
var catchAll = map[string]bool{"Other": true, "Unknown": true, "NonSpecifiedUnknown": true, "StrangerUnknownOther": true}

// optionOrder is the order a form offers an enum's values in: the
// standard's order, the catch-all values moved last (in their own order).
// Only the order changes, never a value; the same in every language.
func optionOrder(values []string) []string {
	out := make([]string, 0, len(values))
	var last []string
	for _, v := range values {
		if catchAll[v] {
			last = append(last, v)
		} else {
			out = append(out, v)
		}
	}
	return append(out, last...)
}
