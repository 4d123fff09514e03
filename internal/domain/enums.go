// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"slices"
	"strings"
)

// Enum is a picklist of the HTCDS standard (or a Vigie extension). Values
// are the standard's "Value Names", spelled exactly as the standard spells
// them (including its misspelling "Unaquainted"); they are what Vigie
// stores and what its API and exports use. Labels are translated by the
// web layer, keyed by Field and value.
type Enum struct {
	Field  string
	Values []string
	// aliases maps other spellings (older HTCDS versions, CTDC names) to
	// the value to store. Lookup is case-insensitive.
	aliases map[string]string
	lower   map[string]string
}

func newEnum(field string, values []string, aliases map[string]string) *Enum {
	e := &Enum{Field: field, Values: values, aliases: map[string]string{}, lower: map[string]string{}}
	for _, v := range values {
		e.lower[strings.ToLower(v)] = v
	}
	for k, v := range aliases {
		if !slices.Contains(values, v) {
			panic("enum " + field + ": alias " + k + " points to unknown value " + v)
		}
		e.aliases[strings.ToLower(k)] = v
	}
	registry[field] = e
	return e
}

// Valid reports whether v is one of the values, exactly as spelled.
func (e *Enum) Valid(v string) bool { return slices.Contains(e.Values, v) }

// Normalize maps v (trimmed, any case, or an alias) to the stored value.
// The standard's own files carry stray spaces ("DebtBondage ") and
// non-breaking spaces, so both are trimmed.
func (e *Enum) Normalize(v string) (string, bool) {
	k := strings.ToLower(strings.Trim(v, " \t\u00a0\r\n"))
	if s, ok := e.lower[k]; ok {
		return s, true
	}
	if s, ok := e.aliases[k]; ok {
		return s, true
	}
	return "", false
}

// registry holds every enum by its HTCDS field identifier.
var registry = map[string]*Enum{}

// EnumFor returns the enum of a field identifier such as "prs_Gender".
func EnumFor(field string) (*Enum, bool) {
	e, ok := registry[field]
	return e, ok
}

// Enums returns all registered enums, sorted by field.
func Enums() []*Enum {
	out := make([]*Enum, 0, len(registry))
	for _, e := range registry {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *Enum) int { return strings.Compare(a.Field, b.Field) })
	return out
}

var websitesAndApps = []string{"Facebook", "Instagram", "WhatsApp", "Telegram", "FacebookMessenger", "Viber", "SnapChat", "Line", "4Sale", "WeChat", "QQ", "QZone", "TikTok", "Twitter", "Other"}

var referralReasons = []string{"AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other"}

// The HTCDS 2.0 picklists.
var (
	OrgType = newEnum("org_Type", []string{"NGO", "LawEnforcement", "HealthServiceOrganisation", "CentralGovernmentOrganisation", "LocalGovernmentOrganisation", "ImmigrationService", "LegalService", "CorporateBusiness", "SchoolOrCollege"}, nil)

	Gender = newEnum("prs_Gender", []string{"Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine", "NonConforming", "NonSpecifiedUnknown"},
		// Earlier HTCDS versions and CTDC files say Female/Male/Unknown.
		map[string]string{"Female": "Feminine", "Male": "Masculine", "Unknown": "NonSpecifiedUnknown", "Transgender/NonConforming": "NonConforming", "Non-Conforming": "NonConforming", "Woman": "Feminine", "Man": "Masculine", "F": "Feminine", "M": "Masculine"})

	MaritalStatus = newEnum("prs_MaritalStatus", []string{"Single", "Married", "Widowed", "Divorced", "Separated", "RegisteredPartnership"}, nil)

	Education = newEnum("prs_HighestLevelOfEducation", []string{"EarlyChildhoodEducation", "PrimaryEducation", "LowerSecondaryEducation", "UpperSecondaryEducation", "PostSecondaryNonTertiaryEducation", "ShortCycleTertiaryEducation", "BachelorsOrEquivalentLevel", "MastersOrEquivalentLevel", "DoctoralOrEquivalentLevel"}, nil)

	TraffickingStatus = newEnum("vic_TraffickingStatus", []string{"PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"}, nil)

	DecisionMakingOrg = newEnum("vic_TraffickingStatusDecisionMakingOrg", []string{"Police", "NGO", "CourtOrProsecution", "NonPoliceGovernmentalOrganization", "Other"}, nil)

	RelationshipToTrafficker = newEnum("vic_RelationshipToTrafficker", []string{"Familial", "Acquainted", "Unaquainted"},
		map[string]string{"Unacquainted": "Unaquainted"})

	RecruitmentWebsitesAndApps = newEnum("vic_RecruitmentWebsitesAndApps", websitesAndApps, nil)

	MethodOfRecruitment = newEnum("vic_MethodOfRecruitment", []string{"AtAPlaceOfBusiness", "AtAnEducationalInstitution", "AtWork", "ThroughOnlineSocialNetworks", "ThroughAnOnlineAdvertisement", "ThroughATelevisionAdvert", "ThroughANewspaperAdvert", "ThroughFamilyOrFamilyEvents", "ThroughFriendsOrSocialEvents", "Other"}, nil)

	// MethodsOfControl keeps RestrictsMovement as a Vigie extension: HTCDS
	// 2.0 dropped it but CTDC (and its reporting) still needs it. The v0.1
	// and CTDC spellings are accepted and mapped to the 2.0 names.
	MethodsOfControl = newEnum("vic_MethodsOfControl", []string{"PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily", "DebtBondage", "FalsePromises", "PhysicalAbuse", "SexualAbuse", "TakesEarnings", "RestrictsFinancialAccess", "RestrictsMedicalCare", "WithholdsNecessities", "PsychologicalAbuse", "PsychoactiveSubstance", "ExcessiveWorkingHours", "WithholdsDocuments", "Other", "RestrictsMovement"},
		map[string]string{"Threats": "PhysicalThreats", "ThreatOfLawEnforcement": "ThreatsLawEnforcement", "UsesChildren": "ThreatensChildrenFamily", "PsychoactiveSubstances": "PsychoactiveSubstance"})

	TypeOfExploitation = newEnum("vic_TypeOfExploitation", []string{"ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Servitude", "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging", "ForcedAdoption", "Surrogacy", "Other"},
		map[string]string{"ForcedMilitaryService": "ForcedMilitaryByNonStateActors", "ForcedMilitary": "ForcedMilitaryByNonStateActors", "IllegalAdoption": "ForcedAdoption"})

	ForcedLabourIndustry = newEnum("vic_ForcedLabourIndustry", []string{"A_AgricultureForestryAndFishing", "B_MiningAndQuarrying", "C_Manufacturing", "D_ElectricityGasSteamAndAirConditioningSupply", "E_WaterSupplySewerageWasteManagement", "F_Construction", "G_WholesaleAndRetailTradeRepairOfMotorVehicles", "H_TransportationAndStorage", "I_AccommodationAndFoodServiceActivities", "J_InformationAndCommunication", "K_FinancialAndInsuranceActivities", "L_RealEstateActivities", "M_ProfessionalScientificAndTechnicalActivities", "N_AdministrativeAndSupportServiceActivities", "O_PublicAdministrationAndDefence", "P_Education", "Q_HumanHealthAndSocialWorkActivities", "R_ArtsEntertainmentAndRecreation", "S_OtherServiceActivities", "T_ActivitiesOfHouseholdsAsEmployers", "U_ActivitiesOfExtraterritorialOrganizations"}, nil)

	TypeOfSexExploitation = newEnum("vic_TypeOfSexExploitation", []string{"Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices"}, nil)

	ExploitationWebsitesAndApps = newEnum("vic_ExploitationWebsitesAndApps", websitesAndApps, nil)

	// Vulnerabilities is deprecated in HTCDS 2.0; it is kept so that older
	// data can be imported and exported without loss.
	Vulnerabilities = newEnum("vic_Vulnerabilities", []string{"Addiction", "SocialGroup", "Discrimination", "Poverty", "DisabilityAndPhysicalHealth", "MentalHealth", "Migration", "Homelessness", "AbuseSocialMedia", "AbusePhysical", "Education", "WorkEnvironment"}, nil)

	RoleInProcess = newEnum("per_RoleInProcess", []string{"TravellingPartner", "Transporter", "RecruiterOrIntermediary", "BrokerTravelAgent", "TransferredIndividual", "HarbouredIndividual", "SoldIndividual", "BoughtIndividual", "ReceivedIndividual", "ControlledIndividual", "Smuggler", "Abuser", "Kidnapper", "Exploiter", "Other"}, nil)

	CaseStatus = newEnum("cas_Status", []string{"Active", "FollowUp", "Closed", "ClosedReferred"},
		map[string]string{"Follow Up": "FollowUp", "Closed Referred": "ClosedReferred"})

	ReasonForIncomingReferral = newEnum("cas_ReasonForIncomingReferral", referralReasons, map[string]string{"Additional Services Required": "AdditionalServicesRequired", "Migration Or Change Of Location": "MigrationOrChangeOfLocation"})
	ReasonForOutgoingReferral = newEnum("cas_ReasonForOutgoingReferral", referralReasons, map[string]string{"Additional Services Required": "AdditionalServicesRequired", "Migration Or Change Of Location": "MigrationOrChangeOfLocation"})

	EventType = newEnum("hte_Type", []string{"Recruitment", "Transit", "Exploitation"}, nil)

	SupportPlanType = newEnum("spl_Type", []string{"Education", "Financial", "Health", "LabourExploitationRehabilitation", "Legal", "Livelihood", "RightsBasedTraining", "SexualExploitationRehabilitation", "SocialCare"}, nil)
)

// Vigie extensions (prefix vig_): fields that CTDC data and national
// reporting need and HTCDS 2.0 does not have. The standard allows
// organisations to add fields.
var (
	// AgeBand uses the CTDC Global Dataset's bands, spelled as CTDC does.
	AgeBand = newEnum("vig_AgeBand", []string{"0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+", "Unknown"}, nil)

	MajorityStatus = newEnum("vig_MajorityStatus", []string{"Minor", "Adult", "Unknown"}, nil)

	DataSource = newEnum("vig_DataSource", []string{"CaseManagement", "Hotline"},
		map[string]string{"Case Management": "CaseManagement"})

	RecruiterRelation = newEnum("vig_RecruiterRelation", []string{"IntimatePartner", "Friend", "Family", "Other", "Unknown"}, nil)

	// LabourSector keeps CTDC's forced-labour sectors, finer than (and not
	// always mappable to) the single ISIC section of vic_ForcedLabourIndustry.
	LabourSector = newEnum("vig_LabourSector", []string{"Agriculture", "Aquafarming", "Begging", "Construction", "DomesticWork", "Hospitality", "IllicitActivities", "Manufacturing", "MiningOrDrilling", "Peddling", "Transportation", "Other"}, nil)

	// UNRegion is the UN geoscheme region; CTDC merges the Americas and
	// Oceania in its synthetic data.
	UNRegion = newEnum("vig_UNRegion", []string{"Africa", "Americas", "Asia", "Europe", "Oceania", "AmericasOceania"},
		map[string]string{"Americas/Oceania": "AmericasOceania"})

	// The CTDC victim–perpetrator dataset's perpetrator attributes.
	PerpetratorAgeBand  = newEnum("vig_PerpetratorAgeBand", []string{"0--29", "30--38", "39--47", "48+"}, nil)
	PerpetratorRelation = newEnum("vig_PerpetratorRelation", []string{"StrangerUnknownOther", "FriendAcquaintance", "FamilyIntimatePartner"}, nil)
	YesNo               = newEnum("vig_YesNo", []string{"Yes", "No"}, nil)
	CTDCRole            = newEnum("vig_CTDCRole", []string{"RecruiterBroker", "Exploiter", "TransactionProcess", "ControlAbuseKidnap"}, nil)

	// AgeGroup is the coarse filter of lists and statistics.
	AgeGroup = newEnum("vig_AgeGroup", []string{"Child", "Adult", "Unknown"}, nil)
)
