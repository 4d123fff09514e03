// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"testing"
	"time"

	"vigie/internal/domain"
)

// TestConsentOnRecordIsTheLatestAnswer: the victim's latest answer counts,
// by the day it was given (vig_ConsentDate), then by recording, then by
// order: a refusal dated after a yes, in the same body, withheld nothing
// (the yes was listed second, and both had the same creation time).
func TestConsentOnRecordIsTheLatestAnswer(t *testing.T) {
	at := func(day int) time.Time { return time.Date(2026, 11, day, 10, 0, 0, 0, time.UTC) }
	consent := func(yes bool, date domain.Date, created time.Time) *domain.Consent {
		c := &domain.Consent{Consent: yes, Date: date}
		c.CreatedAt = created
		return c
	}
	nov := func(d int) domain.Date { return domain.NewDate(2026, 11, d) }
	tests := []struct {
		name     string
		consents []*domain.Consent
		want     bool
	}{
		{"None", nil, false},
		{"Yes", []*domain.Consent{consent(true, domain.Date{}, time.Time{})}, true},
		{"LaterRefusalListedFirst", []*domain.Consent{consent(false, nov(2), time.Time{}), consent(true, nov(1), time.Time{})}, false},
		{"LaterYesListedFirst", []*domain.Consent{consent(true, nov(2), time.Time{}), consent(false, nov(1), time.Time{})}, true},
		{"SameDayLastListedWins", []*domain.Consent{consent(true, nov(2), time.Time{}), consent(false, nov(2), time.Time{})}, false},
		{"UndatedByRecording", []*domain.Consent{consent(false, domain.Date{}, at(5)), consent(true, domain.Date{}, at(3))}, false},
		{"DatedRefusalRecordedLaterButAnsweredBefore", []*domain.Consent{consent(true, nov(20), at(21)), consent(false, nov(10), at(22))}, true},
		{"UndatedRecordedAfterADatedAnswer", []*domain.Consent{consent(true, nov(3), at(4)), consent(false, domain.Date{}, at(6))}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &domain.Case{Consents: tt.consents}
			if got := c.ConsentOnRecord(); got != tt.want {
				t.Fatalf("ConsentOnRecord = %v, want %v", got, tt.want)
			}
		})
	}
}
