// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"maps"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
)

// Localizer renders the messages of one language. Its state is fixed
// when the package initialises, so one value serves every request.
type Localizer struct {
	lang Lang
	loc  *goi18n.Localizer
	ids  map[string]bool
}

var localizers = func() map[Lang]*Localizer {
	m := make(map[Lang]*Localizer, len(Langs))
	for _, l := range Langs {
		m[l] = &Localizer{lang: l, loc: goi18n.NewLocalizer(messages.bundle, string(l)), ids: messages.ids[l]}
	}
	return m
}()

// For returns the localizer of l, or the French one for a language that
// is not an interface language, so that callers never get nil.
func For(l Lang) *Localizer {
	if x, ok := localizers[l]; ok {
		return x
	}
	return localizers[FR]
}

// Lang is the localizer's language, for <html lang="…">.
func (l *Localizer) Lang() Lang { return l.lang }

// strict makes a placeholder without data an error rather than the text
// "<no value>", so that it shows as the same "⟦id⟧" as a missing message.
// Without Funcs the parser is cacheable: each message is parsed once.
var strict = &template.TextParser{Option: "missingkey=error"}

// T returns the message id filled with data (several maps are merged, the
// later winning). A message that this language lacks, or whose
// placeholders the data does not fill, gives "⟦id⟧".
func (l *Localizer) T(id string, data ...map[string]any) string {
	return l.localize(id, nil, merge(data))
}

// N returns the plural form of message id for count. Unless the data sets
// it, {{.Count}} is count formatted for the language ("1 047 102").
func (l *Localizer) N(id string, count int, data ...map[string]any) string {
	d := merge(data)
	if _, ok := d["Count"]; !ok {
		d["Count"] = l.Number(int64(count))
	}
	return l.localize(id, count, d)
}

// Enum returns the label of a picklist value ("prs_Gender", "Feminine"),
// or the value itself when it has none: an unexpected value stays
// readable, as data, rather than turning into a marker.
func (l *Localizer) Enum(field, value string) string {
	id := "enum." + field + "." + value
	if !l.ids[id] {
		return value
	}
	return l.T(id)
}

func (l *Localizer) localize(id string, count any, data map[string]any) string {
	// go-i18n would fall back to the default language; a page in one
	// language with a French sentence in it hides the gap, so a message
	// this language lacks is reported as missing instead.
	if !l.ids[id] {
		return missing(id)
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count, TemplateParser: strict})
	if err != nil {
		return missing(id)
	}
	return s
}

func missing(id string) string { return "⟦" + id + "⟧" }

// merge copies the maps into a new one, so that N never writes into the
// caller's map and a template always has a map to read.
func merge(data []map[string]any) map[string]any {
	out := map[string]any{}
	for _, d := range data {
		maps.Copy(out, d)
	}
	return out
}
