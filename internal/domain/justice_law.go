// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"regexp"
	"strings"
)

// LawArticle is one offence of national law that charges cite. The list
// is configurable because laws change and Vigie may serve more than one
// country: it ships empty, and the national committee (coordinators)
// loads the articles from the official text (`vigie law add`, the API or
// the page). No article is invented here: a wrong article number in a
// charge is worse than an empty list.
type LawArticle struct {
	Meta
	// Code is a short stable key, e.g. "L22-067-A12" (capital letters,
	// digits, dashes and dots).
	Code string `json:"code"`
	// Law names the text, e.g. "Loi n° 22/067 du 26 décembre 2022".
	Law string `json:"law"`
	// Article is the article's number in that text, e.g. "12".
	Article string `json:"article"`
	TitleFR string `json:"title_fr"`
	TitleEN string `json:"title_en,omitempty"`
	// Active articles are offered for new charges; an article is never
	// deleted (charges cite it), it is retired.
	Active bool `json:"active"`
}

var lawCodePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9.\-]{0,39}$`)

// Validate checks the article.
func (a *LawArticle) Validate() error {
	var p Problems
	a.Code = strings.ToUpper(strings.TrimSpace(a.Code))
	if !lawCodePattern.MatchString(a.Code) {
		p.Add("code", "validation.justice_law_code", "%q must be 1 to 40 capital letters, digits, dots or dashes", truncate(a.Code, 40))
	}
	for _, f := range []struct {
		name string
		v    *string
		req  bool
	}{{"law", &a.Law, true}, {"article", &a.Article, true}, {"title_fr", &a.TitleFR, true}, {"title_en", &a.TitleEN, false}} {
		checkLine(&p, f.name, f.v)
		if f.req && *f.v == "" {
			p.Add(f.name, "validation.required", "is required")
		}
	}
	return p.Err()
}

// Title is the article's title in lang, French when there is no English.
func (a *LawArticle) Title(lang string) string {
	if lang == "en" && a.TitleEN != "" {
		return a.TitleEN
	}
	return a.TitleFR
}
