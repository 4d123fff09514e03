// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// field is one input of an edit page over a record of type T (a case, an
// event, a perpetrator). Every value travels as a string, so that the
// conflict rule of the case edit page (merged, fieldLabels) applies to
// every page alike; a list is its values joined by commas (no code of
// the standard holds one).
type field[T any] struct {
	name string // the HTCDS name: form name and "field.<name>" label
	// kind is text, textarea, date, number, select (one code), checks
	// (several codes, a checkbox group) or yesno.
	kind     string
	enum     *domain.Enum
	max      int
	help     string // message ID
	required bool
	get      func(*T) string
	set      func(*T, string, *domain.Problems)
}

func fText[T any](name string, max int, p func(*T) *string) field[T] {
	kind := "text"
	if max > domain.MaxShortText {
		kind = "textarea"
	}
	return field[T]{name: name, kind: kind, max: max,
		get: func(x *T) string { return *p(x) },
		set: func(x *T, v string, _ *domain.Problems) { *p(x) = strings.TrimSpace(v) }}
}

// fCode is a code typed as text (a country, a language): trimmed and
// put in the case the standard uses, checked by the domain.
func fCode[T any](name, help string, upper bool, p func(*T) *string) field[T] {
	f := fText(name, 3, p)
	f.help = help
	f.set = func(x *T, v string, _ *domain.Problems) {
		v = strings.TrimSpace(v)
		if upper {
			v = strings.ToUpper(v)
		} else {
			v = strings.ToLower(v)
		}
		*p(x) = v
	}
	return f
}

// fCountries is a list of country codes typed in one input ("CD, RW"):
// about 250 countries make a checkbox group too heavy for a phone.
func fCountries[T any](name string, p func(*T) *[]string) field[T] {
	return field[T]{name: name, kind: "text", max: 200, help: "caseedit.help.countries",
		get: func(x *T) string { return strings.Join(*p(x), ", ") },
		set: func(x *T, v string, _ *domain.Problems) {
			var out []string
			for _, c := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
				out = append(out, strings.ToUpper(c))
			}
			*p(x) = out
		}}
}

func fDate[T any](name string, p func(*T) *domain.Date) field[T] {
	return field[T]{name: name, kind: "date",
		get: func(x *T) string { return dateValue(*p(x)) },
		set: func(x *T, v string, pr *domain.Problems) { *p(x) = parseDay(pr, name, v) }}
}

func fNumber[T any](name string, p func(*T) **int) field[T] {
	return field[T]{name: name, kind: "number",
		get: func(x *T) string {
			if n := *p(x); n != nil {
				return strconv.Itoa(*n)
			}
			return ""
		},
		set: func(x *T, v string, pr *domain.Problems) {
			*p(x) = nil
			if v = strings.TrimSpace(v); v == "" {
				return
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				pr.Add(name, "validation.integer", "is not a whole number")
				return
			}
			*p(x) = &n
		}}
}

func fChoice[T any](e *domain.Enum, p func(*T) *string) field[T] {
	return field[T]{name: e.Field, kind: "select", enum: e,
		get: func(x *T) string { return *p(x) },
		set: func(x *T, v string, _ *domain.Problems) { *p(x) = v }}
}

// fChecks is a list of codes, a checkbox group: works without JavaScript.
func fChecks[T any](e *domain.Enum, p func(*T) *[]string) field[T] {
	return field[T]{name: e.Field, kind: "checks", enum: e,
		get: func(x *T) string { return strings.Join(*p(x), ",") },
		set: func(x *T, v string, _ *domain.Problems) { *p(x) = splitList(v) }}
}

func fYesNo[T any](name string, p func(*T) **bool) field[T] {
	return field[T]{name: name, kind: "yesno",
		get: func(x *T) string {
			if b := *p(x); b != nil {
				return strconv.FormatBool(*b)
			}
			return ""
		},
		set: func(x *T, v string, pr *domain.Problems) {
			*p(x) = nil
			if v == "" {
				return
			}
			b, err := strconv.ParseBool(v)
			if err != nil {
				pr.Add(name, "validation.boolean", "is not yes or no")
				return
			}
			*p(x) = &b
		}}
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// editor is the fields of one edit page.
type editor[T any] []field[T]

func (e editor[T]) values(x *T) map[string]string {
	m := make(map[string]string, len(e))
	for _, f := range e {
		m[f.name] = f.get(x)
	}
	return m
}

// posted reads what the form sent: the typed values and the values the
// form started from ("base."), a checkbox group's ticks joined.
func (e editor[T]) posted(r *http.Request) (typed, base map[string]string) {
	_ = r.ParseForm()
	typed, base = map[string]string{}, map[string]string{}
	for _, f := range e {
		if f.kind == "checks" {
			typed[f.name] = strings.Join(r.PostForm[f.name], ",")
		} else {
			typed[f.name] = r.PostForm.Get(f.name)
		}
		base[f.name] = r.PostForm.Get("base." + f.name)
	}
	return typed, base
}

// apply sets x's fields from typed values; the domain validates them
// when the record is stored.
func (e editor[T]) apply(x *T, typed map[string]string) error {
	var p domain.Problems
	for _, f := range e {
		f.set(x, typed[f.name], &p)
	}
	return p.Err()
}

// names maps the domain's field paths (person.prs_X, victim.vic_X) to
// the form's names.
func (e editor[T]) names() map[string]string {
	m := map[string]string{}
	for _, f := range e {
		m["person."+f.name], m["victim."+f.name] = f.name, f.name
	}
	return m
}

// editInput is one input as the template shows it.
type editInput struct {
	F formField
	// Checked are a checkbox group's ticked values.
	Checked map[string]bool
}

// inputs builds the page's inputs: typed values in them; for the fields
// in theirs, the value saved meanwhile beside the input.
func (e editor[T]) inputs(r *http.Request, typed, cur map[string]string, theirs []string) []editInput {
	l := i18n.For(langOf(r))
	out := make([]editInput, 0, len(e))
	for _, f := range e {
		in := editInput{F: formField{Name: f.name, Label: "field." + f.name, Kind: f.kind, Value: typed[f.name],
			Max: f.max, Help: f.help, Required: f.required}}
		switch f.kind {
		case "select", "checks":
			in.F.Options = enumOptions(r, f.enum)
		case "yesno":
			in.F.Kind, in.F.Options = "select", []option{{"true", l.T("common.yes")}, {"false", l.T("common.no")}}
		case "number":
			in.F.Kind = "text"
		}
		if f.kind == "checks" {
			in.Checked = map[string]bool{}
			for _, v := range splitList(typed[f.name]) {
				in.Checked[v] = true
			}
		}
		if slices.Contains(theirs, f.name) {
			in.F.OtherSet, in.F.Other = true, otherLabel(l, f, cur[f.name])
		}
		out = append(out, in)
	}
	return out
}

// otherLabel is a value saved meanwhile as a reader sees it: codes by
// their labels.
func otherLabel[T any](l *i18n.Localizer, f field[T], v string) string {
	switch {
	case v == "":
		return ""
	case f.kind == "yesno":
		if v == "true" {
			return l.T("common.yes")
		}
		return l.T("common.no")
	case f.enum == nil:
		return v
	}
	vs := splitList(v)
	for i, x := range vs {
		vs[i] = l.Enum(f.enum.Field, x)
	}
	return strings.Join(vs, ", ")
}
