// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"testing"

	"vigie/internal/domain"
)

func TestScreening(t *testing.T) {
	today := domain.NewDate(2026, 11, 27)
	ok := domain.Screening{Acts: []string{"AtWork"}, Means: []string{"DebtBondage"}, Purposes: []string{"ForcedLabour"},
		Decision: "PossibleVictimOfTrafficking", DecidedBy: "NGO", DecidedOn: today}
	for _, tc := range []struct {
		name    string
		edit    func(s *domain.Screening)
		suggest string
		fields  []string
	}{
		{"OK", func(*domain.Screening) {}, domain.SuggestVictim, nil},
		{"ChildNeedsNoMeans", func(s *domain.Screening) { s.Means, s.Majority = nil, "Minor" }, domain.SuggestVictim, nil},
		{"AdultWithoutMeans", func(s *domain.Screening) { s.Means = nil }, domain.SuggestAssess, nil},
		{"NoIndicator", func(s *domain.Screening) { s.Acts, s.Means, s.Purposes = nil, nil, nil }, domain.SuggestNotAVictim, nil},
		{"ErrNoDecision", func(s *domain.Screening) { s.Decision, s.DecidedBy, s.DecidedOn = "", "", domain.Date{} }, domain.SuggestVictim,
			[]string{"vic_TraffickingStatus", "vic_TraffickingStatusDecisionMakingOrg", "vig_TraffickingStatusDate"}},
		{"ErrFuture", func(s *domain.Screening) { s.DecidedOn = domain.NewDate(2027, 1, 1) }, domain.SuggestVictim, []string{"vig_TraffickingStatusDate"}},
		{"ErrEnum", func(s *domain.Screening) { s.Means = []string{"<script>"} }, domain.SuggestVictim, []string{"vic_MethodsOfControl"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			tc.edit(&s)
			if got := s.Suggest(); got != tc.suggest {
				t.Errorf("suggest %q, want %q", got, tc.suggest)
			}
			probs := s.Validate(today)
			if len(probs) != len(tc.fields) {
				t.Fatalf("problems %v, want fields %v", probs, tc.fields)
			}
			for i, f := range tc.fields {
				if probs[i].Field != f {
					t.Errorf("problem %d on %s, want %s", i, probs[i].Field, f)
				}
			}
			var c domain.Case
			s.Apply(&c)
			if c.Victim.TraffickingStatus != s.Decision || c.Victim.TraffickingStatusDate != s.DecidedOn {
				t.Errorf("apply: %+v", c.Victim)
			}
		})
	}
}
