// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import "strings"

// Victim holds the HTCDS victim context (vic_): how a presumed or
// identified victim relates to the case, plus the Vigie extensions (vig_)
// that CTDC data carries and HTCDS 2.0 lacks.
type Victim struct {
	AgreementToManagePersonalData *bool    `json:"vic_AgreementToManagePersonalData,omitempty"` // deprecated in HTCDS 2.0
	TraffickingStatus             string   `json:"vic_TraffickingStatus,omitempty"`
	TraffickingStatusDecisionOrg  string   `json:"vic_TraffickingStatusDecisionMakingOrg,omitempty"`
	RelationshipToTrafficker      string   `json:"vic_RelationshipToTrafficker,omitempty"`
	AgeWhenTrafficked             *int     `json:"vic_AgeWhenTrafficked,omitempty"`
	RecruitmentWebsitesAndApps    []string `json:"vic_RecruitmentWebsitesAndApps,omitempty"`
	MethodOfRecruitment           []string `json:"vic_MethodOfRecruitment,omitempty"`
	LocationOfRecruitment         string   `json:"vic_LocationOfRecruitment,omitempty"`
	MethodsOfControl              []string `json:"vic_MethodsOfControl,omitempty"`
	TypeOfExploitation            []string `json:"vic_TypeOfExploitation,omitempty"`
	ForcedLabourIndustry          string   `json:"vic_ForcedLabourIndustry,omitempty"`
	TypeOfSexExploitation         []string `json:"vic_TypeOfSexExploitation,omitempty"`
	LocationOfExploitation        string   `json:"vic_LocationOfExploitation,omitempty"`
	ExploitationWebsitesAndApps   []string `json:"vic_ExploitationWebsitesAndApps,omitempty"`
	Vulnerabilities               []string `json:"vic_Vulnerabilities,omitempty"`          // deprecated in HTCDS 2.0
	DetailsOfVulnerabilities      string   `json:"vic_DetailsOfVulnerabilities,omitempty"` // deprecated in HTCDS 2.0

	AgeBand                 string   `json:"vig_AgeBand,omitempty"`
	MajorityStatus          string   `json:"vig_MajorityStatus,omitempty"`
	MajorityStatusAtExploit string   `json:"vig_MajorityStatusAtExploit,omitempty"`
	MajorityEntry           string   `json:"vig_MajorityEntry,omitempty"`
	RecruiterRelation       []string `json:"vig_RecruiterRelation,omitempty"`
	LabourSectors           []string `json:"vig_LabourSector,omitempty"`
	Abduction               *bool    `json:"vig_Abduction,omitempty"`
	CitizenshipRegion       string   `json:"vig_CitizenshipRegion,omitempty"`
	ExploitationRegion      string   `json:"vig_ExploitationRegion,omitempty"`

	// TraffickingStatusDate is when the status was decided (the
	// screening's decision); HTCDS records who decides, not when.
	TraffickingStatusDate Date `json:"vig_TraffickingStatusDate,omitzero"`
}

// Validate checks the victim context against the standard's code lists;
// the decision's date may not lie after today.
func (v *Victim) Validate(today Date) Problems {
	var p Problems
	checkEnum(&p, TraffickingStatus, v.TraffickingStatus)
	checkEnum(&p, DecisionMakingOrg, v.TraffickingStatusDecisionOrg)
	checkPastDate(&p, "vig_TraffickingStatusDate", v.TraffickingStatusDate, today)
	checkEnum(&p, RelationshipToTrafficker, v.RelationshipToTrafficker)
	if v.AgeWhenTrafficked != nil && (*v.AgeWhenTrafficked < 0 || *v.AgeWhenTrafficked > 120) {
		p.Add("vic_AgeWhenTrafficked", "validation.range", "must be between 0 and 120")
	}
	checkEnums(&p, RecruitmentWebsitesAndApps, v.RecruitmentWebsitesAndApps)
	checkEnums(&p, MethodOfRecruitment, v.MethodOfRecruitment)
	checkText(&p, "vic_LocationOfRecruitment", v.LocationOfRecruitment, MaxShortText)
	checkEnums(&p, MethodsOfControl, v.MethodsOfControl)
	checkEnums(&p, TypeOfExploitation, v.TypeOfExploitation)
	checkEnum(&p, ForcedLabourIndustry, v.ForcedLabourIndustry)
	checkEnums(&p, TypeOfSexExploitation, v.TypeOfSexExploitation)
	checkText(&p, "vic_LocationOfExploitation", v.LocationOfExploitation, MaxShortText)
	checkEnums(&p, ExploitationWebsitesAndApps, v.ExploitationWebsitesAndApps)
	checkEnums(&p, Vulnerabilities, v.Vulnerabilities)
	checkText(&p, "vic_DetailsOfVulnerabilities", v.DetailsOfVulnerabilities, MaxLongText)
	checkEnum(&p, AgeBand, v.AgeBand)
	checkEnum(&p, MajorityStatus, v.MajorityStatus)
	if v.MajorityStatusAtExploit != "" && !MajorityStatus.Valid(v.MajorityStatusAtExploit) {
		p.Add("vig_MajorityStatusAtExploit", "validation.enum", "%q is not one of: Minor, Adult, Unknown", v.MajorityStatusAtExploit)
	}
	if v.MajorityEntry != "" && !MajorityStatus.Valid(v.MajorityEntry) {
		p.Add("vig_MajorityEntry", "validation.enum", "%q is not one of: Minor, Adult, Unknown", v.MajorityEntry)
	}
	checkEnums(&p, RecruiterRelation, v.RecruiterRelation)
	checkEnums(&p, LabourSector, v.LabourSectors)
	if v.CitizenshipRegion != "" && !UNRegion.Valid(v.CitizenshipRegion) {
		p.Add("vig_CitizenshipRegion", "validation.enum", "%q is not one of: %s", v.CitizenshipRegion, strings.Join(UNRegion.Values, ", "))
	}
	if v.ExploitationRegion != "" && !UNRegion.Valid(v.ExploitationRegion) {
		p.Add("vig_ExploitationRegion", "validation.enum", "%q is not one of: %s", v.ExploitationRegion, strings.Join(UNRegion.Values, ", "))
	}
	return p
}
