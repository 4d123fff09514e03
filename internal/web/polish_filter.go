// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// filterFields maps the fields the case filter's errors name (the
// domain's HTCDS names, the form's own names) to the form's input and its
// label; a field the form does not show has no input.
var filterFields = map[string]struct{ input, label string }{
	domain.CaseStatus.Field:         {"status", "case.list.filter.status"},
	"status":                        {"status", "case.list.filter.status"},
	domain.Gender.Field:             {"gender", "case.list.filter.gender"},
	"gender":                        {"gender", "case.list.filter.gender"},
	domain.AgeGroup.Field:           {"age_group", "case.list.filter.age_group"},
	"age_group":                     {"age_group", "case.list.filter.age_group"},
	domain.TypeOfExploitation.Field: {"exploitation", "case.list.filter.exploitation"},
	"exploitation":                  {"exploitation", "case.list.filter.exploitation"},
	"citizenship":                   {"citizenship", "case.list.filter.citizenship"},
	"province":                      {"province", "field.vig_Province"},
	"year_from":                     {"year_from", "case.list.filter.year_from"},
	"year_to":                       {"year_to", "case.list.filter.year_to"},
	"sort":                          {"sort", "case.list.sort"},
	"cursor":                        {"", "polish.filter.cursor"},
}

// filterProblem is an error of the case filter as the page shows it: the
// filter it is about named, linked to its input.
type filterProblem struct {
	Input string // the input's id, "" when the form has none
	Text  string
}

// FilterErrors names, in the page's language, the filter each error is
// about (the list page's template calls it).
func (d listData) FilterErrors(lang i18n.Lang) []filterProblem {
	l := i18n.For(lang)
	out := make([]filterProblem, 0, len(d.Errors))
	for _, fe := range d.Errors {
		msg := l.T(fe.Code)
		f, ok := filterFields[fe.Field]
		if !ok {
			out = append(out, filterProblem{Text: msg})
			continue
		}
		out = append(out, filterProblem{Input: f.input,
			Text: l.T("polish.filter.error", map[string]any{"Field": l.T(f.label), "Message": msg})})
	}
	return out
}

// ErrorLine is the audit trail filter's error as the page shows it: the
// filter it is about named and linked to its input (the admin_audit
// template calls it).
func (d auditData) ErrorLine(lang i18n.Lang) filterProblem {
	l := i18n.For(lang)
	msg := l.T(d.Error)
	var input, lbl string
	switch d.Error {
	case "validation.enum":
		input, lbl = "action", "audit.col.action"
	case "validation.date":
		input, lbl = "to", "admin.audit.to"
		if _, ok := day(d.Q.Get("from")); !ok {
			input, lbl = "from", "admin.audit.from"
		}
	case "validation.range":
		input, lbl = "from", "admin.audit.from"
	}
	if input == "" {
		return filterProblem{Text: msg}
	}
	return filterProblem{Input: input, Text: l.T("polish.filter.error", map[string]any{"Field": l.T(lbl), "Message": msg})}
}
