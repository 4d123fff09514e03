// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "vigie/internal/domain"

// withoutRedundantRequired drops "this field is required" for a field the
// user did fill in but that could not be read (a date in the wrong
// format, a word for a number): the parsed value is empty, so the
// domain's rules call it missing, yet the user typed something, and the
// format message alone says what to fix.
func withoutRedundantRequired(in []domain.FieldError) []domain.FieldError {
	unreadable := map[string]bool{}
	for _, f := range in {
		if f.Code == "validation.date_format" || f.Code == "validation.number" {
			unreadable[f.Field] = true
		}
	}
	out := make([]domain.FieldError, 0, len(in))
	for _, f := range in {
		if f.Code != "validation.required" || !unreadable[f.Field] {
			out = append(out, f)
		}
	}
	return out
}
