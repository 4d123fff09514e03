// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

// Screening is the identification questionnaire: the indicators of the
// three elements of trafficking (the Palermo Protocol's act, means and
// purpose), asked with the HTCDS victim-context picklists, and the
// decision it led to. For a child, the means are not needed: any act for
// the purpose of exploitation is trafficking.
//
// The decision is stored where HTCDS 2.0 puts it, on the victim context of
// a case (vic_TraffickingStatus, vic_TraffickingStatusDecisionMakingOrg):
// a screening that ends in "not a victim" is registered too, as a case
// with that status and no identity, so that the statistics (which count
// cases by trafficking status) see every screening, and no name of a
// person who is not a victim is kept.
type Screening struct {
	// Majority is vig_MajorityStatus: Minor, Adult or Unknown.
	Majority string
	// Acts: how the person was recruited (vic_MethodOfRecruitment).
	Acts []string
	// Means: how the person was controlled (vic_MethodsOfControl).
	Means []string
	// Purposes: what the person was exploited for (vic_TypeOfExploitation).
	Purposes []string

	Decision  string // vic_TraffickingStatus
	DecidedBy string // vic_TraffickingStatusDecisionMakingOrg
	DecidedOn Date   // vig_TraffickingStatusDate
}

// Indicators of the elements present, and what they suggest.
const (
	SuggestVictim     = "victim"     // act, means (or a child) and purpose
	SuggestAssess     = "assess"     // some elements: assess further
	SuggestNotAVictim = "not_victim" // no indicator at all
)

// Suggest says what the answers point to. The decision stays the
// screener's: indicators are not proof, and their absence in one
// interview is not proof either.
func (s *Screening) Suggest() string {
	act, means, purpose := len(s.Acts) > 0, len(s.Means) > 0 || s.Majority == "Minor", len(s.Purposes) > 0
	switch {
	case act && means && purpose:
		return SuggestVictim
	case !act && len(s.Means) == 0 && !purpose:
		return SuggestNotAVictim
	}
	return SuggestAssess
}

// Validate checks the answers and requires a decision, who took it and
// when (not in the future).
func (s *Screening) Validate(today Date) Problems {
	var p Problems
	checkEnum(&p, MajorityStatus, s.Majority)
	checkEnums(&p, MethodOfRecruitment, s.Acts)
	checkEnums(&p, MethodsOfControl, s.Means)
	checkEnums(&p, TypeOfExploitation, s.Purposes)
	if s.Decision == "" {
		p.Add(TraffickingStatus.Field, "validation.required", "is required")
	}
	checkEnum(&p, TraffickingStatus, s.Decision)
	if s.DecidedBy == "" {
		p.Add(DecisionMakingOrg.Field, "validation.required", "is required")
	}
	checkEnum(&p, DecisionMakingOrg, s.DecidedBy)
	if s.DecidedOn.IsZero() {
		p.Add("vig_TraffickingStatusDate", "validation.required", "is required")
	}
	checkPastDate(&p, "vig_TraffickingStatusDate", s.DecidedOn, today)
	return p
}

// Apply writes the screening into a case's victim context.
func (s *Screening) Apply(c *Case) {
	v := &c.Victim
	v.MajorityStatus = s.Majority
	v.MethodOfRecruitment, v.MethodsOfControl, v.TypeOfExploitation = s.Acts, s.Means, s.Purposes
	v.TraffickingStatus, v.TraffickingStatusDecisionOrg, v.TraffickingStatusDate = s.Decision, s.DecidedBy, s.DecidedOn
}
