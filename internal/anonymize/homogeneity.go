// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import "slices"

// Homogeneity is the attribute disclosure of one sensitive column:
// k-anonymity hides who is who in a class, not what the whole class
// shares. A class whose released records all carry the same known value
// (say isSexualExploit = 1) tells it about anyone known to be in it.
type Homogeneity struct {
	Column  string `json:"column"`
	Classes int    `json:"classes"` // classes of one known value
	Records int    `json:"records"` // released records in them
}

// defaultSensitive are the columns checked when EvalOptions.Sensitive is
// nil: the forms of exploitation.
var defaultSensitive = []string{"isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour",
	"isForcedMarriage", "isForcedMilitary", "isOrganRemoval", "typeOfExploitConcatenated"}

// homogeneity counts, for each sensitive column of the release that is
// not a quasi-identifier, the classes whose rows all share one value that
// is not absent and not "0" (a form of exploitation that did not occur
// tells little; one that did is what must not be inferred).
func (e *evaluator) homogeneity(m *Metrics, keys []classKey) {
	rel := e.rel.Released
	cols := e.opt.Sensitive
	if cols == nil {
		cols = defaultSensitive
	}
	absent := map[string]bool{}
	for _, v := range e.opt.Absent {
		absent[v] = true
	}
	class := map[classKey]int32{}
	of := make([]int32, len(keys))
	var size []int
	for row, k := range keys {
		c, ok := class[k]
		if !ok {
			c = int32(len(size))
			class[k] = c
			size = append(size, 0)
		}
		of[row] = c
		size[c]++
	}
	m.Homogeneity = []Homogeneity{}
	for _, name := range cols {
		rc := column(rel, name)
		if rc < 0 || slices.Contains(e.rq, rc) {
			continue
		}
		const mixed = -1
		value := make([]int32, len(size))
		for i := range value {
			value[i] = -2 // no row seen yet
		}
		for row, c := range of {
			v := int32(rel.codes[rc][row])
			switch value[c] {
			case -2:
				value[c] = v
			case v, mixed:
			default:
				value[c] = mixed
			}
		}
		h := Homogeneity{Column: rel.columns[rc]}
		for c, v := range value {
			if v >= 0 && !absent[rel.dict[rc][v]] && rel.dict[rc][v] != "0" {
				h.Classes++
				h.Records += size[c]
			}
		}
		m.Homogeneity = append(m.Homogeneity, h)
	}
}
