// SPDX-License-Identifier: AGPL-3.0-or-later

package anonymize

import "strconv"

// ctdcColumns is the allow-list of released columns: the CTDC Global
// Dataset's columns (Nov 2017 release, in its order, then the columns the
// 2020 release added) with the HTCDS identifier each is written under in
// the HTCDS header mode. A column not listed here is never written,
// whatever the input or the configuration: names, birth dates, free text,
// case numbers and every other direct identifier are dropped by
// construction. Flag columns become "field:value" of the HTCDS picklist
// they come from; cells keep the CTDC coding in both modes.
var ctdcColumns = []struct{ ctdc, htcds string }{
	{"yearOfRegistration", "vig_RegistrationYear"},
	{"Datasource", "vig_DataSource"},
	{"gender", "prs_Gender"},
	{"ageBroad", "vig_AgeBand"},
	{"majorityStatus", "vig_MajorityStatus"},
	{"majorityStatusAtExploit", "vig_MajorityStatusAtExploit"},
	{"majorityEntry", "vig_MajorityEntry"},
	{"citizenship", "prs_Citizenship"},
	{"meansOfControlDebtBondage", "vic_MethodsOfControl:DebtBondage"},
	{"meansOfControlTakesEarnings", "vic_MethodsOfControl:TakesEarnings"},
	{"meansOfControlRestrictsFinancialAccess", "vic_MethodsOfControl:RestrictsFinancialAccess"},
	{"meansOfControlThreats", "vic_MethodsOfControl:PhysicalThreats"},
	{"meansOfControlPsychologicalAbuse", "vic_MethodsOfControl:PsychologicalAbuse"},
	{"meansOfControlPhysicalAbuse", "vic_MethodsOfControl:PhysicalAbuse"},
	{"meansOfControlSexualAbuse", "vic_MethodsOfControl:SexualAbuse"},
	{"meansOfControlFalsePromises", "vic_MethodsOfControl:FalsePromises"},
	{"meansOfControlPsychoactiveSubstances", "vic_MethodsOfControl:PsychoactiveSubstance"},
	{"meansOfControlRestrictsMovement", "vic_MethodsOfControl:RestrictsMovement"},
	{"meansOfControlRestrictsMedicalCare", "vic_MethodsOfControl:RestrictsMedicalCare"},
	{"meansOfControlExcessiveWorkingHours", "vic_MethodsOfControl:ExcessiveWorkingHours"},
	{"meansOfControlUsesChildren", "vic_MethodsOfControl:ThreatensChildrenFamily"},
	{"meansOfControlThreatOfLawEnforcement", "vic_MethodsOfControl:ThreatsLawEnforcement"},
	{"meansOfControlWithholdsNecessities", "vic_MethodsOfControl:WithholdsNecessities"},
	{"meansOfControlWithholdsDocuments", "vic_MethodsOfControl:WithholdsDocuments"},
	{"meansOfControlOther", "vic_MethodsOfControl:Other"},
	{"meansOfControlNotSpecified", "vic_MethodsOfControl:NotSpecified"},
	{"isForcedLabour", "vic_TypeOfExploitation:ForcedLabour"},
	{"isSexualExploit", "vic_TypeOfExploitation:SexualExploitation"},
	{"isOtherExploit", "vic_TypeOfExploitation:Other"},
	{"isSexAndLabour", "vic_TypeOfExploitation:SexAndLabour"},
	{"isForcedMarriage", "vic_TypeOfExploitation:ForcedMarriage"},
	{"isForcedMilitary", "vic_TypeOfExploitation:ForcedMilitaryByNonStateActors"},
	{"isOrganRemoval", "vic_TypeOfExploitation:OrganRemoval"},
	{"typeOfLabourAgriculture", "vig_LabourSector:Agriculture"},
	{"typeOfLabourAquafarming", "vig_LabourSector:Aquafarming"},
	{"typeOfLabourBegging", "vig_LabourSector:Begging"},
	{"typeOfLabourConstruction", "vig_LabourSector:Construction"},
	{"typeOfLabourDomesticWork", "vig_LabourSector:DomesticWork"},
	{"typeOfLabourHospitality", "vig_LabourSector:Hospitality"},
	{"typeOfLabourIllicitActivities", "vig_LabourSector:IllicitActivities"},
	{"typeOfLabourManufacturing", "vig_LabourSector:Manufacturing"},
	{"typeOfLabourMiningOrDrilling", "vig_LabourSector:MiningOrDrilling"},
	{"typeOfLabourPeddling", "vig_LabourSector:Peddling"},
	{"typeOfLabourTransportation", "vig_LabourSector:Transportation"},
	{"typeOfLabourOther", "vig_LabourSector:Other"},
	{"typeOfLabourNotSpecified", "vig_LabourSector:NotSpecified"},
	{"typeOfSexProstitution", "vic_TypeOfSexExploitation:Prostitution"},
	{"typeOfSexPornography", "vic_TypeOfSexExploitation:Pornography"},
	{"typeOfSexRemoteInteractiveServices", "vic_TypeOfSexExploitation:RemoteInteractiveServices"},
	{"typeOfSexPrivateSexualServices", "vic_TypeOfSexExploitation:PrivateSexualServices"},
	{"isAbduction", "vig_Abduction"},
	{"RecruiterRelationship", "vic_RelationshipToTrafficker"},
	{"CountryOfExploitation", "hte_Country"},
	{"recruiterRelationIntimatePartner", "vig_RecruiterRelation:IntimatePartner"},
	{"recruiterRelationFriend", "vig_RecruiterRelation:Friend"},
	{"recruiterRelationFamily", "vig_RecruiterRelation:Family"},
	{"recruiterRelationOther", "vig_RecruiterRelation:Other"},
	{"recruiterRelationUnknown", "vig_RecruiterRelation:Unknown"},
	// Added by the April 2020 release.
	{"isSlaveryAndPractices", "vic_TypeOfExploitation:SlaveryAndPractices"},
	{"meansOfControlConcatenated", "vic_MethodsOfControl"},
	{"typeOfExploitConcatenated", "vic_TypeOfExploitation"},
	{"typeOfLabourConcatenated", "vig_LabourSector"},
	{"typeOfSexConcatenated", "vic_TypeOfSexExploitation"},
}

// allowed maps every accepted input column name (CTDC or HTCDS) to its
// position in ctdcColumns.
var allowed = func() map[string]int {
	m := map[string]int{}
	for i, c := range ctdcColumns {
		m[c.ctdc] = i
		m[c.htcds] = i
	}
	return m
}()

// AllowedColumn reports whether a column may be released, and under which
// CTDC name.
func AllowedColumn(name string) (ctdc string, ok bool) {
	i, ok := allowed[name]
	if !ok {
		return "", false
	}
	return ctdcColumns[i].ctdc, true
}

// The default quasi-identifiers of issue 6: what an attacker who knows a
// victim is likely to know.
const (
	ColYear        = "yearOfRegistration"
	ColGender      = "gender"
	ColAge         = "ageBroad"
	ColCitizenship = "citizenship"
	ColCountry     = "CountryOfExploitation"
	// ColMajority follows ColAge: it is a quasi-identifier whenever the
	// age band is one (Result.followAge).
	ColMajority = "majorityStatus"
)

// majorityColumns say whether the victim is a minor (now, when exploited,
// on entry): what knowing the age band tells, in part.
var majorityColumns = []string{ColMajority, "majorityStatusAtExploit", "majorityEntry"}

// DefaultK is CTDC's k for its record-level Global Dataset.
const DefaultK = 11

// GenderHierarchy: gender → "-99".
func GenderHierarchy() *Hierarchy {
	return MustHierarchy(ColGender, Group("-99", Leaf("Female"), Leaf("Male"), Leaf("Unknown"), Leaf("-99")))
}

// AgeHierarchy: CTDC's age bands, ordered (merged bands are written as
// ranges: "18--26", "39+"), grouped into Child and Adult, then "-99";
// "Unknown" and "-99" (missing) sit under the root.
func AgeHierarchy() *Hierarchy {
	ranges := []Range{
		{"0--8", "0", "8"}, {"9--17", "9", "17"},
		{"18--20", "18", "20"}, {"21--23", "21", "23"}, {"24--26", "24", "26"}, {"27--29", "27", "29"},
		{"30--38", "30", "38"}, {"39--47", "39", "47"}, {"48+", "48", ""},
	}
	var child, adult []*Node
	for i, r := range ranges {
		if i < 2 {
			child = append(child, Leaf(r.Value))
		} else {
			adult = append(adult, Leaf(r.Value))
		}
	}
	root := Group("-99", Group("Child", child...), Group("Adult", adult...), Leaf("Unknown"), Leaf("-99"))
	h, err := NewOrdered(ColAge, "--", ranges, root)
	if err != nil {
		panic(err)
	}
	return h
}

// YearHierarchy: registration years 1990–2099, ordered (merged years are
// written "2014-2016"), then "-99".
func YearHierarchy() *Hierarchy {
	var ranges []Range
	var leaves []*Node
	for y := 1990; y <= 2099; y++ {
		s := strconv.Itoa(y)
		ranges = append(ranges, Range{s, s, s})
		leaves = append(leaves, Leaf(s))
	}
	root := Group("-99", append(leaves, Leaf("-99"))...)
	h, err := NewOrdered(ColYear, "-", ranges, root)
	if err != nil {
		panic(err)
	}
	return h
}

// CitizenshipHierarchy and CountryHierarchy: country → UN sub-region →
// UN region → "-99".
func CitizenshipHierarchy() *Hierarchy { return countryHierarchy(ColCitizenship) }

// CountryHierarchy is the hierarchy of the country of exploitation.
func CountryHierarchy() *Hierarchy { return countryHierarchy(ColCountry) }

// DefaultConfig is issue 6's default release: k = 11 on gender, age band,
// citizenship, country of exploitation and year of registration. The
// method is the hybrid (one suppressed cell where it is enough, Mondrian
// for the rest): on the generated and CTDC files it keeps combination
// counts nearly as well as pure local suppression (MAE 17 against 15 on
// 100,000 rows, pure Mondrian 25) while suppressing no record and fewer
// cells (BENCHMARKS.md).
func DefaultConfig() Config {
	return Config{
		K:      DefaultK,
		Method: MethodHybrid,
		QIs: []QI{
			{ColGender, GenderHierarchy()},
			{ColAge, AgeHierarchy()},
			{ColCitizenship, CitizenshipHierarchy()},
			{ColCountry, CountryHierarchy()},
			{ColYear, YearHierarchy()},
		},
	}
}

// HierarchyFor returns the built-in hierarchy of a CTDC column, or a flat
// one (every value directly under "-99") for other columns.
func HierarchyFor(column string) *Hierarchy {
	switch column {
	case ColGender:
		return GenderHierarchy()
	case ColAge:
		return AgeHierarchy()
	case ColCitizenship:
		return CitizenshipHierarchy()
	case ColCountry:
		return CountryHierarchy()
	case ColYear:
		return YearHierarchy()
	}
	return MustHierarchy(column, Group("-99"))
}
