// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"regexp"
	"strings"
	"sync"
	"unicode"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// fold reduces a label or value name to lower-case letters and digits, so
// that "Debt bondage ", "debt-bondage" and "DebtBondage" compare equal.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// trim removes surrounding white space, non-breaking spaces included, and
// stray byte-order marks and zero-width spaces.
func trim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
	})
}

// valueLabels are the English labels of picklist values that do not fold
// to their value name. All the other labels of the standard and of the IOM
// validation sheet fold to the value name (tests check this against the
// standard's own files).
var valueLabels = map[string]map[string]string{
	"prs_Gender": {
		"Not Specified/Unknown": "NonSpecifiedUnknown",
	},
	"vic_MethodsOfControl": {
		"Threats of law enforcement": "ThreatsLawEnforcement",
	},
	"vic_ForcedLabourIndustry": {
		"Water supply; sewerage, waste management and remediation":                                                                    "E_WaterSupplySewerageWasteManagement",
		"Wholesale and retail trade; repair of motor vehicles and motorcycles":                                                        "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
		"Public administration and defence; compulsory social security":                                                               "O_PublicAdministrationAndDefence",
		"Activities of households as employers; undifferentiated goods- and services- producing activities of households for own use": "T_ActivitiesOfHouseholdsAsEmployers",
		"Activities of extraterritorial organizations and bodies":                                                                     "U_ActivitiesOfExtraterritorialOrganizations",
	},
}

// templateCountryNames are the names of the IOM template's country list
// (validation sheet, column Country) that do not fold to the English name
// Vigie knows for their code (ISO 3166 as Debian's iso-codes spells it).
var templateCountryNames = map[string]string{
	"Congo, Democratic Republic of the": "CD",
	"Holy See":                          "VA",
	"Turkey":                            "TR",
	"United Kingdom of Great Britain and Northern Ireland": "GB",
	"United States of America":                             "US",
}

// countriesByName maps folded country names to their codes: ISO 3166's
// English names and the IOM template's.
var countriesByName = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, code := range domain.CountryCodes() {
		name, _ := domain.CountryName(code)
		m[fold(name)] = code
	}
	for name, code := range templateCountryNames {
		m[fold(name)] = code
	}
	// "Congo" alone is the Republic of the Congo (CG) in ISO 3166 and in
	// the template, but many write it for the Democratic Republic (CD):
	// it is refused, so that whoever typed it writes the code.
	delete(m, fold("Congo"))
	return m
})

// ambiguousCountry reports whether v is "Congo" alone, which names two
// countries (see countriesByName).
func ambiguousCountry(v string) bool { return fold(v) == fold("Congo") }

// ambiguousCongo is the reason given for "Congo" alone.
const ambiguousCongo = "%q names two countries: write CG for the Republic of the Congo (Brazzaville) or CD for the Democratic Republic of the Congo (Kinshasa)"

// countryCode reads a country cell: an ISO 3166-1 alpha-2 code in any
// case, or a country's English name as the IOM template's drop-down list
// writes it ("Congo, Democratic Republic of the": its citizenship column
// offers names, not codes) or as ISO 3166 spells it, "Congo" alone
// excepted. Anything else is returned as written, for validation to
// refuse.
func countryCode(v string) string {
	if len(v) <= 2 {
		return strings.ToUpper(v)
	}
	if code, ok := countriesByName()[fold(v)]; ok {
		return code
	}
	return v
}

var (
	foldedMu sync.Mutex
	folded   = map[*domain.Enum]map[string]string{}
)

// sectionPrefix matches the ISIC section letter of forced-labour industry
// value names (A_AgricultureForestryAndFishing).
var sectionPrefix = regexp.MustCompile(`^[A-Z]_`)

// foldedValues returns the lookup table from folded value names and labels
// to value names for one enum.
func foldedValues(e *domain.Enum) map[string]string {
	foldedMu.Lock()
	defer foldedMu.Unlock()
	if m, ok := folded[e]; ok {
		return m
	}
	m := map[string]string{}
	for _, v := range e.Values {
		m[fold(v)] = v
		if sectionPrefix.MatchString(v) {
			m[fold(v[2:])] = v
		}
	}
	for label, v := range valueLabels[e.Field] {
		m[fold(label)] = v
	}
	// The labels Vigie's pages show, French and English ("Masculin",
	// "Actif", "Travail forcé"), as a caseworker copies them into a
	// template; a label that folds like another value's name or label
	// is left out rather than read as either.
	uiLabels := map[string]string{}
	ambiguous := map[string]bool{}
	for _, l := range i18n.Langs {
		loc := i18n.For(l)
		for _, v := range e.Values {
			k := fold(loc.Enum(e.Field, v))
			if other, ok := uiLabels[k]; ok && other != v {
				ambiguous[k] = true
			}
			uiLabels[k] = v
		}
	}
	for k, v := range uiLabels {
		if other, ok := m[k]; !ambiguous[k] && (!ok || other == v) {
			m[k] = v
		}
	}
	delete(m, "")
	folded[e] = m
	return m
}

// normalizeValue maps a value name, alias or English label to the value
// name of e.
func normalizeValue(e *domain.Enum, s string) (string, bool) {
	if v, ok := e.Normalize(s); ok {
		return v, true
	}
	v, ok := foldedValues(e)[fold(s)]
	return v, ok
}

// phoneSeparators are removed from phone numbers on import.
var phoneSeparators = strings.NewReplacer(" ", "", "\u00a0", "", "-", "", ".", "", "(", "", ")", "", "/", "")

// splitList splits a multi-select cell on ";", trimming the items and
// dropping empty ones.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ";") {
		if item = trim(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// parseBool reads a checkbox.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "y", "1", "oui", "vrai":
		return true, true
	case "false", "no", "n", "0", "non", "faux":
		return false, true
	}
	return false, false
}

var (
	isoDate      = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	isoDateTime  = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$`)
	slashDate    = regexp.MustCompile(`^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$`)
	yearFirst    = regexp.MustCompile(`^\d{4}[/.-]`)
	plainNumber  = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
	excelNumber  = regexp.MustCompile(`^-?\d+(\.\d+)?([eE][+-]?\d+)?$`)
	decimalComma = regexp.MustCompile(`^-?\d+,\d+$`)
	dangerPrefix = "=+-@\t\r'"
)

// needsQuote reports whether a cell must be prefixed with a single quote
// so that a spreadsheet shows it as text instead of running it as a
// formula (OWASP "CSV injection"). Plain numbers are safe and left alone.
// A leading quote is itself quoted so that import, which strips one
// quote, gives the value back.
func needsQuote(s string) bool {
	return s != "" && strings.IndexByte(dangerPrefix, s[0]) >= 0 && !plainNumber.MatchString(s)
}

// quoteCell applies needsQuote.
func quoteCell(s string) string {
	if needsQuote(s) {
		return "'" + s
	}
	return s
}

// unquoteCell removes the prefix that quoteCell adds: a quote before a
// character that needs it. Any other leading quote is the cell's own
// ('Quoted stayed Quoted; an apostrophe is text in a CSV file).
func unquoteCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(dangerPrefix, s[1]) >= 0 {
		return s[1:]
	}
	return s
}
