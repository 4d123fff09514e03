// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"strconv"
	"strings"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// regFieldView is one field of a wizard step, ready for the "reg_field"
// template: its typed value(s), its options and its errors (message IDs).
type regFieldView struct {
	Name, ID string
	Kind     regKind
	// Label and Help are message IDs; Enum is the field whose enum
	// labels name the options.
	Label, Help, Enum string
	Value             string
	Options           []regOption
	Errors            []string
	Max               int
	// Slot is the perpetrator a field belongs to (1…), 0 elsewhere.
	Slot int
}

// Grouped reports whether the field is a group of boxes or buttons,
// labelled by a fieldset's legend.
func (f regFieldView) Grouped() bool {
	return f.Kind == regChecks || f.Kind == regRadio || f.Kind == regYesNo
}

type regOption struct {
	Value, Label string // Label is a message ID when Enum is empty
	Checked      bool
}

// regFieldViews lays out a step's fields with the draft's values and the
// problems found in them.
func regFieldViews(step string, v map[string][]string, probs []domain.FieldError) []regFieldView {
	var out []regFieldView
	for _, f := range regFieldsOf(step, v) {
		fv := regFieldView{Name: f.Name, ID: "f-" + regFieldID(f.Name), Kind: f.Kind, Label: "field." + regBaseName(f.Name),
			Help: f.Help, Value: regFirst(v, f.Name), Max: f.Max}
		if n, _, ok := strings.Cut(strings.TrimPrefix(f.Name, "per"), "."); ok {
			fv.Slot, _ = strconv.Atoi(n)
		}
		if f.Enum != nil {
			fv.Enum = f.Enum.Field
			for _, o := range optionOrder(f.Enum.Values) {
				fv.Options = append(fv.Options, regOption{Value: o, Checked: regContains(v[f.Name], o)})
			}
		}
		if f.Kind == regYesNo {
			fv.Options = []regOption{{"yes", "common.yes", fv.Value == "yes"}, {"no", "common.no", fv.Value == "no"}}
		}
		for _, p := range probs {
			if p.Field == f.Name {
				fv.Errors = append(fv.Errors, p.Code)
			}
		}
		out = append(out, fv)
	}
	return out
}

func regContains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// regReviewLine is one answer on the review step, in the page's language.
type regReviewLine struct{ Label, Text string }

type regReviewSection struct {
	Step  string
	Lines []regReviewLine
}

// regReviewSections lists what was typed, step by step, as it will be
// registered: enum values by their labels, empty fields left out.
func regReviewSections(l *i18n.Localizer, v map[string][]string) []regReviewSection {
	var out []regReviewSection
	for _, step := range regSteps[:len(regSteps)-1] {
		sec := regReviewSection{Step: step}
		for _, f := range regFieldsOf(step, v) {
			vals := v[f.Name]
			if len(vals) == 0 || vals[0] == "" {
				continue
			}
			shown := make([]string, len(vals))
			for i, x := range vals {
				switch {
				case f.Enum != nil:
					shown[i] = l.Enum(f.Enum.Field, x)
				case f.Kind == regYesNo && (x == "yes" || x == "no"):
					shown[i] = l.T("common." + x)
				case f.Kind == regDate:
					shown[i] = x
					if d, err := domain.ParseDate(x); err == nil && !d.IsZero() {
						shown[i] = l.Date(d.Time())
					}
				default:
					shown[i] = x
				}
			}
			sec.Lines = append(sec.Lines, regReviewLine{l.T("field." + regBaseName(f.Name)), strings.Join(shown, ", ")})
		}
		out = append(out, sec)
	}
	return out
}

// regBaseName is the HTCDS identifier of a form field ("per2.prs_FirstName"
// → "prs_FirstName"), which names its label.
func regBaseName(name string) string {
	if _, b, ok := strings.Cut(name, "."); ok {
		return b
	}
	return name
}

// regFieldID is the HTML id of a form field, without the dot that CSS
// selectors would need escaped.
func regFieldID(name string) string { return strings.ReplaceAll(name, ".", "-") }
