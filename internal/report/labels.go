// SPDX-License-Identifier: AGPL-3.0-or-later

package report

import (
	"strings"

	"vigie/internal/i18n"
)

// String is the label in the localizer's language.
func (lb Label) String(l *i18n.Localizer) string {
	switch {
	case lb.Msg == "report.composite":
		var parts []string
		for _, p := range strings.Split(lb.Text, "\x1f") {
			switch {
			case strings.HasPrefix(p, "enum:"):
				field, value, _ := strings.Cut(p[len("enum:"):], ":")
				parts = append(parts, l.Enum(field, value))
			case strings.HasPrefix(p, "msg:"):
				parts = append(parts, l.T(p[len("msg:"):]))
			default:
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, " · ")
	case lb.Enum != "":
		return l.Enum(lb.Enum, lb.Text)
	case lb.Msg != "" && lb.Text != "":
		return l.T(lb.Msg, map[string]any{"Value": lb.Text})
	case lb.Msg != "":
		return l.T(lb.Msg)
	}
	return lb.Text
}

// Title is the table's title.
func (t *Table) Title(l *i18n.Localizer) string { return l.T("report.table." + t.ID) }

// Scope names the report's scope.
func (r *Report) Scope(l *i18n.Localizer) string {
	if r.Agency == "" {
		return l.T("report.scope.national")
	}
	return l.T("report.scope.agency", map[string]any{"Agency": r.Agency})
}
