// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a language of the user interface.
type Lang string

const (
	FR Lang = "fr"
	EN Lang = "en"
)

// Langs lists the interface languages, the default first.
var Langs = []Lang{FR, EN}

// Parse reads a language tag as found in a cookie, a query parameter or a
// form ("fr", "fr-CD", "en_GB", "EN") and reports whether it names one of
// the interface languages. Only the primary language counts: a Congolese
// or Canadian French is French.
func Parse(s string) (Lang, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	t, err := language.Parse(s)
	// A ValueError is a well-formed but unknown subtag ("fr-QQ"); the
	// primary language is still known, so the tag is usable.
	var unknown language.ValueError
	if err != nil && !errors.As(err, &unknown) {
		return "", false
	}
	// Base guesses a language for tags that have none ("und-CD" gives
	// "sw"); only a language the tag actually names is accepted.
	base, conf := t.Base()
	if conf != language.Exact {
		return "", false
	}
	switch base.String() {
	case "fr":
		return FR, true
	case "en":
		return EN, true
	}
	return "", false
}

// FromAcceptLanguage picks the interface language from an Accept-Language
// header: the French or English entry of highest quality, the first on a
// tie, and French when the header names neither or cannot be read.
//
// Each entry is read on its own rather than with
// language.ParseAcceptLanguage, which rejects the whole header for one
// malformed entry: a browser's odd entry should not switch a user who
// also asked for English to French.
func FromAcceptLanguage(h string) Lang {
	best, bestQ := FR, 0.0
	for entry := range strings.SplitSeq(h, ",") {
		tag, params, _ := strings.Cut(entry, ";")
		l, ok := Parse(tag)
		if !ok {
			continue
		}
		q, ok := quality(params)
		if ok && q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// quality reads the weight of an Accept-Language entry from its
// parameters ("q=0.8"); an entry without one weighs 1. Weights outside
// (0, 1] mean "not wanted" or are malformed, and the entry is skipped.
func quality(params string) (float64, bool) {
	for p := range strings.SplitSeq(params, ";") {
		name, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(q) || q <= 0 || q > 1 {
			return 0, false
		}
		return q, true
	}
	return 1, true
}
