// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"slices"
	"strings"

	"vigie/internal/domain"
)

// A dim classifies the cube's rows into the rows or columns of a table:
// the keys a row of the cube falls under, their order and labels, and the
// filter that selects the cases under one key (for the drill-down), so
// that the list behind a figure counts exactly what the figure counts.
type dim struct {
	id      string // in figure keys and URLs
	heading string // message ID of the heading
	// keys of a cube row; a multi-valued dim may give several.
	keys  func(r *domain.CubeRow) []string
	order []string // keys always shown, in this order; others follow
	label func(key string) Label
	cond  func(key string) cond
	multi bool
	parts []*dim // of a composite
}

// valid reports whether key is one d gives: one of its keys in order, or
// for a composite a combination of its parts' keys.
func (d *dim) valid(key string) bool {
	if len(d.parts) == 0 {
		return slices.Contains(d.order, key)
	}
	keys := strings.Split(key, "~")
	if len(keys) != len(d.parts) {
		return false
	}
	for i, p := range d.parts {
		if !p.valid(keys[i]) {
			return false
		}
	}
	return true
}

// cond is the part of a stats filter that selects one key's cases.
type cond struct {
	in, not map[domain.StatsDim][]string
}

func inCond(d domain.StatsDim, vs ...string) cond {
	return cond{in: map[domain.StatsDim][]string{d: vs}}
}

// and combines two conditions: listed values of the same dimension are
// intersected, left-out values added up.
func (c cond) and(o cond) cond {
	out := cond{in: map[domain.StatsDim][]string{}, not: map[domain.StatsDim][]string{}}
	for _, m := range []map[domain.StatsDim][]string{c.in, o.in} {
		for d, vs := range m {
			if cur, ok := out.in[d]; ok {
				vs = slices.DeleteFunc(slices.Clone(vs), func(v string) bool { return !slices.Contains(cur, v) })
			}
			out.in[d] = vs
		}
	}
	for _, m := range []map[domain.StatsDim][]string{c.not, o.not} {
		for d, vs := range m {
			out.not[d] = append(out.not[d], vs...)
		}
	}
	return out
}

// Label is a heading or a row's name, translated when rendered: an enum
// value's label, a message, or a text as it is.
type Label struct {
	Enum string `json:"enum,omitempty"` // field whose value Key is
	Msg  string `json:"msg,omitempty"`
	Text string `json:"text,omitempty"`
}

func enumLabel(field string) func(string) Label {
	return func(k string) Label {
		if k == "" {
			return Label{Msg: "report.unknown"}
		}
		return Label{Enum: field, Text: k}
	}
}

func one(s string) []string { return []string{s} }

// Sex: the two most frequent genders, the others together, and unknown.
var sexDim = &dim{id: "sex", heading: "report.dim.sex",
	keys:  func(r *domain.CubeRow) []string { return one(sexOf(r.Gender)) },
	order: []string{"Feminine", "Masculine", "Other", ""},
	label: func(k string) Label {
		switch k {
		case "Other":
			return Label{Msg: "report.sex.other"}
		case "":
			return Label{Msg: "report.unknown"}
		}
		return Label{Enum: "prs_Gender", Text: k}
	},
	cond: func(k string) cond {
		switch k {
		case "Other":
			return inCond(domain.StatsGender, "TransgenderFeminine", "TransgenderMasculine", "NonConforming")
		case "":
			return inCond(domain.StatsGender, "NonSpecifiedUnknown", "")
		}
		return inCond(domain.StatsGender, k)
	}}

func sexOf(g string) string {
	switch g {
	case "Feminine", "Masculine":
		return g
	case "TransgenderFeminine", "TransgenderMasculine", "NonConforming":
		return "Other"
	}
	return ""
}

var ageGroupDim = &dim{id: "age", heading: "report.dim.age_group",
	keys:  func(r *domain.CubeRow) []string { return one(r.AgeGroup) },
	order: []string{"Child", "Adult", "Unknown"},
	label: enumLabel("vig_AgeGroup"),
	cond:  func(k string) cond { return inCond(domain.StatsAgeGroup, k) }}

var ageBandDim = &dim{id: "band", heading: "report.dim.age_band",
	keys:  func(r *domain.CubeRow) []string { return one(r.AgeBand) },
	order: append(slices.Clone(domain.AgeBand.Values), ""),
	label: enumLabel("vig_AgeBand"),
	cond:  func(k string) cond { return inCond(domain.StatsAgeBand, k) }}

var exploitationDim = &dim{id: "form", heading: "report.dim.exploitation", multi: true,
	keys:  func(r *domain.CubeRow) []string { return r.Values(domain.StatsExploitation) },
	order: append(slices.Clone(domain.TypeOfExploitation.Values), ""),
	label: enumLabel("vic_TypeOfExploitation"),
	cond:  func(k string) cond { return inCond(domain.StatsExploitation, k) }}

var regions = []string{"Africa", "Americas", "Asia", "Europe", "Oceania"}

// unknownCountry is the code CTDC and Vigie give an unknown citizenship.
const unknownCountry = domain.UnknownCountry

// noRegion are the country codes of no UN region (Antarctica…).
var noRegion = func() []string {
	var out []string
	for _, c := range domain.CountryCodes() {
		if domain.RegionOf(c) == "" && c != unknownCountry {
			out = append(out, c)
		}
	}
	return out
}()

// citizenshipDim: nationals (a victim holding the national citizenship,
// whatever else they hold), then foreigners by the UN region of each of
// their citizenships (a victim of two regions counts in both).
var citizenshipDim = &dim{id: "cit", heading: "report.dim.citizenship", multi: true,
	keys:  citizenshipGroups,
	order: append(append([]string{"national"}, regions...), "other", ""),
	label: func(k string) Label {
		switch k {
		case "national", "other":
			return Label{Msg: "report.citizenship." + k}
		case "":
			return Label{Msg: "report.unknown"}
		}
		return Label{Msg: "report.region." + k}
	},
	cond: func(k string) cond {
		switch k {
		case "national":
			return inCond(domain.StatsCitizenship, domain.NationalCountry)
		case "":
			return inCond(domain.StatsCitizenship, "", unknownCountry)
		}
		list := noRegion
		if k != "other" {
			list = domain.RegionCountries(k)
		}
		list = slices.DeleteFunc(slices.Clone(list), func(c string) bool { return c == domain.NationalCountry })
		return cond{in: map[domain.StatsDim][]string{domain.StatsCitizenship: list},
			not: map[domain.StatsDim][]string{domain.StatsCitizenship: {domain.NationalCountry}}}
	}}

func citizenshipGroups(r *domain.CubeRow) []string {
	if knownCitizenships(r) == 0 {
		return one("")
	}
	if slices.Contains(r.Citizenship, domain.NationalCountry) {
		return one("national")
	}
	var out []string
	for _, c := range r.Citizenship {
		if c == unknownCountry {
			continue
		}
		g := domain.RegionOf(c)
		if g == "" {
			g = "other"
		}
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// knownCitizenships counts the row's citizenships other than "unknown".
func knownCitizenships(r *domain.CubeRow) int {
	n := 0
	for _, c := range r.Citizenship {
		if c != unknownCountry {
			n++
		}
	}
	return n
}

// nationalityDim is national, foreign or unknown: one key per victim.
var nationalityDim = &dim{id: "nat", heading: "report.dim.nationality",
	keys: func(r *domain.CubeRow) []string {
		switch {
		case knownCitizenships(r) == 0:
			return one("")
		case slices.Contains(r.Citizenship, domain.NationalCountry):
			return one("national")
		}
		return one("foreign")
	},
	order: []string{"national", "foreign", ""},
	label: func(k string) Label {
		if k == "" {
			return Label{Msg: "report.unknown"}
		}
		return Label{Msg: "report.citizenship." + k}
	},
	cond: func(k string) cond {
		switch k {
		case "national":
			return inCond(domain.StatsCitizenship, domain.NationalCountry)
		case "foreign":
			return cond{not: map[domain.StatsDim][]string{domain.StatsCitizenship: {domain.NationalCountry, "", unknownCountry}}}
		}
		return inCond(domain.StatsCitizenship, "", unknownCountry)
	}}

var provinceDim = &dim{id: "prov", heading: "report.dim.province",
	keys:  func(r *domain.CubeRow) []string { return one(r.Province) },
	order: append(slices.Clone(domain.Province.Values), ""),
	label: func(k string) Label {
		if k == "" {
			return Label{Msg: "report.province.none"}
		}
		return Label{Enum: "vig_Province", Text: k}
	},
	cond: func(k string) cond { return inCond(domain.StatsProvince, k) }}

var identifiedDim = &dim{id: "where", heading: "report.dim.identified",
	keys:  func(r *domain.CubeRow) []string { return r.Values(domain.StatsIdentified) },
	order: []string{"Country", "Abroad", ""},
	label: func(k string) Label {
		if k == "" {
			return Label{Msg: "report.unknown"}
		}
		return Label{Msg: "report.identified." + k}
	},
	cond: func(k string) cond { return inCond(domain.StatsIdentified, k) }}

var serviceDim = &dim{id: "svc", heading: "report.dim.service", multi: true,
	keys:  func(r *domain.CubeRow) []string { return r.Values(domain.StatsAssistance) },
	order: append(slices.Clone(domain.SupportPlanType.Values), ""),
	label: func(k string) Label {
		if k == "" {
			return Label{Msg: "report.service.none"}
		}
		return Label{Enum: "spl_Type", Text: k}
	},
	cond: func(k string) cond { return inCond(domain.StatsAssistance, k) }}

var repatriatedDim = &dim{id: "rep", heading: "report.dim.repatriated",
	keys:  func(r *domain.CubeRow) []string { return one(r.Repatriated) },
	order: []string{"Yes", "No", ""},
	label: enumLabel("vig_YesNo"),
	cond:  func(k string) cond { return inCond(domain.StatsRepatriated, k) }}

// totalDim is the one column of a list of figures.
var totalDim = &dim{id: "n", heading: "report.dim.victims",
	keys:  func(*domain.CubeRow) []string { return one("n") },
	order: []string{"n"},
	label: func(string) Label { return Label{Msg: "report.dim.victims"} },
	cond:  func(string) cond { return cond{} }}
