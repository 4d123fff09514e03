// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import "testing"

// TestPlannedEndDateBounds: a planned end may lie ahead, but not before
// 1900 nor decades away (a typing error that would never fall due).
func TestPlannedEndDateBounds(t *testing.T) {
	today := NewDate(2026, 11, 27)
	tests := []struct {
		date Date
		code string // "" when valid
	}{
		{NewDate(2027, 3, 1), ""},
		{NewDate(2025, 1, 1), ""}, // overdue, still a plan
		{NewDate(2056, 12, 31), ""},
		{NewDate(1800, 1, 1), "validation.date_too_old"},
		{NewDate(2057, 1, 1), "validation.date_too_far"},
		{NewDate(9999, 1, 1), "validation.date_too_far"},
	}
	for _, tt := range tests {
		s := &SupportPlan{Type: "Health", PlannedEndDate: tt.date}
		probs := s.Validate(today)
		got := ""
		for _, pr := range probs {
			if pr.Field == "spl_PlannedEndDate" {
				got = pr.Code
			}
		}
		if got != tt.code {
			t.Errorf("%s: code %q, want %q (%v)", tt.date, got, tt.code, probs)
		}
	}
}
