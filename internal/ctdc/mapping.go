// SPDX-License-Identifier: AGPL-3.0-or-later

// Package ctdc reads the public datasets of the Counter Trafficking Data
// Collaborative (CTDC) into Vigie cases (HTCDS 2.0 plus vig_ extensions),
// one case per row, streaming, rejecting bad rows with every problem named.
//
// Two formats are recognised from the header (the columns may come in any
// order; names are case-sensitive, surrounding spaces are ignored; the
// file is UTF-8 with or without a byte-order mark, separated by commas, or
// by semicolons or tabs when the header line has no comma, as a
// spreadsheet may save it):
//
//   - global2017: "The Global Dataset 27 Nov 2017" (k-anonymised, 58
//     columns). Missing is -99 (an empty cell is read as missing too),
//     booleans are 0, 1 or -99.
//   - vpsynthetic: the victim–perpetrator synthetic dataset of December
//     2022 (16 columns). Missing is an empty cell, indicators are 1 or
//     empty (0 is accepted as "not 1"), multi-valued cells use ";".
//
// # Global Dataset 2017
//
//	yearOfRegistration          Case.RegistrationYear; required, a 4-digit year 1990..this year
//	Datasource                  Case.DataSource: "Case Management" → CaseManagement, "Hotline" → Hotline;
//	                            required. It also sets Victim.TraffickingStatus: CaseManagement →
//	                            ActualVictimOfTrafficking (identified, assisted victims); Hotline →
//	                            PossibleVictimOfTrafficking (HTCDS: "possible" = e.g. helpline calls)
//	gender                      Person.Gender: Female → Feminine, Male → Masculine,
//	                            Unknown → NonSpecifiedUnknown (other spellings via domain.Gender.Normalize)
//	ageBroad                    Victim.AgeBand (CTDC bands kept as spelled: 0--8 … 48+, Unknown)
//	majorityStatus              Victim.MajorityStatus (Minor, Adult, Unknown)
//	majorityStatusAtExploit     Victim.MajorityStatusAtExploit (same values)
//	majorityEntry               Victim.MajorityEntry (same values)
//	citizenship                 Person.Citizenship = [code]: ISO 3166-1 alpha-2, ZZ = unknown. The CTDC data
//	                            dictionary's own codes are translated: Y1 → XK (Kosovo), Y2 → ME
//	                            (Montenegro), 00 → ZZ (unknown), ZR → CD (Zaire = DR Congo)
//	meansOfControl<X> = 1       Victim.MethodsOfControl, HTCDS 2.0 names: DebtBondage, TakesEarnings,
//	                            RestrictsFinancialAccess, Threats → PhysicalThreats, PsychologicalAbuse,
//	                            PhysicalAbuse, SexualAbuse, FalsePromises, PsychoactiveSubstances →
//	                            PsychoactiveSubstance, RestrictsMovement (Vigie extension),
//	                            RestrictsMedicalCare, ExcessiveWorkingHours, UsesChildren →
//	                            ThreatensChildrenFamily, ThreatOfLawEnforcement → ThreatsLawEnforcement,
//	                            WithholdsNecessities, WithholdsDocuments, Other
//	meansOfControlNotSpecified  checked (boolean), maps to nothing
//	isForcedLabour = 1          Victim.TypeOfExploitation += ForcedLabour
//	isSexualExploit = 1         … += SexualExploitation
//	isOtherExploit = 1          … += Other
//	isForcedMarriage = 1        … += ForcedMarriage
//	isForcedMilitary = 1        … += ForcedMilitaryByNonStateActors
//	isOrganRemoval = 1          … += OrganRemoval
//	isSexAndLabour              derived by CTDC: 1 adds ForcedLabour and SexualExploitation (when their own
//	                            columns are -99); it contradicts isForcedLabour = 0 or isSexualExploit = 0,
//	                            and 0 contradicts both being 1: a contradiction rejects the row
//	typeOfLabour<X> = 1         Victim.LabourSectors: Agriculture, Aquafarming, Begging, Construction,
//	                            DomesticWork, Hospitality, IllicitActivities, Manufacturing,
//	                            MiningOrDrilling, Peddling, Transportation, Other.
//	                            Victim.ForcedLabourIndustry (one ISIC section) is set only when every
//	                            flagged sector maps to the same section: Agriculture, Aquafarming → A;
//	                            Construction → F; DomesticWork → T; Hospitality → I; Manufacturing → C;
//	                            MiningOrDrilling → B; Peddling → G; Transportation → H. Begging,
//	                            IllicitActivities and Other have no section, so any of them (or two
//	                            different sections) leaves the industry empty.
//	typeOfLabourNotSpecified    checked (boolean), maps to nothing
//	typeOfSex<X> = 1            Victim.TypeOfSexExploitation: Prostitution, Pornography,
//	                            RemoteInteractiveServices, PrivateSexualServices
//	isAbduction                 Victim.Abduction: 1 → true, 0 → false, -99 → nil
//	RecruiterRelationship       Victim.RecruiterRelation, "; "-separated: "Intimate Partner" →
//	                            IntimatePartner, Friend, "Family/Relative" → Family, Other, Unknown
//	recruiterRelation<X>        the same relations as flags; the result is the union of the text and the
//	                            flags. Where both are known they must agree (a flag 0 for a relation the
//	                            text names, or 1 for one it does not, rejects the row). CTDC sets
//	                            recruiterRelationUnknown = 1 when the text is -99, so those rows get
//	                            [Unknown]. Victim.RelationshipToTrafficker = Familial when the relation
//	                            is Family only, Acquainted when it is Friend and/or IntimatePartner only,
//	                            empty otherwise (Unknown, Other or a mix).
//	CountryOfExploitation       one Event{Type: Exploitation, Country: code} (codes as citizenship; ZZ
//	                            gives an event with an unknown country; -99 gives no event)
//
// # Victim–perpetrator synthetic dataset
//
//	yearRegister                "2019" → Case.RegistrationYear; "2014-2018" → Case.RegistrationPeriod
//	                            (both years 1990..this year, first ≤ last); empty → neither
//	gender, majorityStatus      as in the Global Dataset (empty = missing)
//	isForcedLabour = 1          Victim.TypeOfExploitation += ForcedLabour
//	isSexualExploit = 1         … += SexualExploitation
//	UN_COO_Region               Victim.CitizenshipRegion (domain.UNRegion: Americas/Oceania → AmericasOceania)
//	UN_COE_Region               Victim.ExploitationRegion
//	(no column)                 Case.DataSource empty; Victim.TraffickingStatus = ActualVictimOfTrafficking
//	IP_*                        one Perpetrator, only when some IP_ column is not empty. The row describes
//	                            all the victim's perpetrators together, so Perpetrator.Person stays empty
//	                            and the group attributes are lists (";" cells, duplicates dropped, in the
//	                            order of the domain enum):
//	IP_Gender                   Perpetrator.Genders (Female → Feminine, Male → Masculine, Unknown)
//	IP_ageBroad                 Perpetrator.AgeBands (0--29, 30--38, 39--47, 48+)
//	IP_citizen_UNRegion         Perpetrator.CitizenshipRegion (UN regions)
//	IP_Relation                 Perpetrator.Relation (StrangerUnknownOther, FriendAcquaintance,
//	                            FamilyIntimatePartner)
//	IP_PayMoney                 Perpetrator.VictimPaid (Yes, No)
//	IP_RecruiterBroker = 1      Perpetrator.CTDCRoles += RecruiterBroker; RoleInProcess += RecruiterOrIntermediary
//	IP_Exploiter = 1            CTDCRoles += Exploiter; RoleInProcess += Exploiter
//	IP_TransactionProcess = 1   CTDCRoles += TransactionProcess (no single per_RoleInProcess value)
//	IP_ControlAbuseKidnap = 1   CTDCRoles += ControlAbuseKidnap (no single per_RoleInProcess value)
//
// # Every case
//
// Agency = Options.Agency. Status = Active: statistical imports carry no
// case status (CTDC publishes records, not case files), and Active is the
// domain's default for a case whose status is not known to be otherwise.
// SourceKey = Options.Source + ":" + the first 16 hex digits of the SHA-256
// of the row's fields in the format's canonical column order joined by
// U+001F + ":" + the occurrence number of that content in the file (1, 2,
// …), so that re-importing a file is idempotent while identical
// k-anonymised or synthetic rows stay distinct records. The canonical order
// is the order of the published header, so a file whose columns were
// reordered yields the same keys.
//
// Every cell is read without surrounding spaces, a whole number written as a
// decimal (2015.0, 1.0, -99.0) as the integer, and a country code in any case
// (ph is PH), as the HTCDS import reads its cells; rejects show the cell as
// written.
//
// Values are matched exactly against the CTDC spellings first, then through
// the domain enum's Normalize (any case, HTCDS aliases); anything else
// rejects the row. Finally every case passes (*domain.Case).Validate; a row
// that fails is rejected, never half-imported.
//
// # Rejects
//
// A rejected row yields one domain.RowError per problem, in column order:
// Row is the file line where the row starts (the header is line 1);
// Column is the CTDC column (for too few fields, the first one without a
// value; for too many, "column N" of the first field beyond the header),
// empty for broken CSV quoting, or the domain field name when
// Validate flags a field that no column fed; Value is the cell, cut to 100
// characters with invalid bytes and control characters written as Go
// escapes (\x00); Code is one of ctdc.required, ctdc.year, ctdc.value,
// ctdc.boolean, ctdc.country, ctdc.contradiction, ctdc.field_count,
// ctdc.csv, ctdc.header_repeated (a row that repeats the header, as files
// joined together do), or the domain's validation.* code. A quoted field left open to
// the end of the file is a fatal error naming its row, since the rows it
// swallowed cannot be read.
package ctdc

import (
	"math/bits"
	"slices"
	"strings"

	"vigie/internal/domain"
)

// Format names a CTDC file layout.
type Format string

const (
	FormatGlobal2017  Format = "global2017"
	FormatVPSynthetic Format = "vpsynthetic"
)

// Columns of the Global Dataset 2017, in the published order.
const (
	gYearOfRegistration = iota
	gDatasource
	gGender
	gAgeBroad
	gMajorityStatus
	gMajorityStatusAtExploit
	gMajorityEntry
	gCitizenship
	gMeansDebtBondage
	gMeansTakesEarnings
	gMeansRestrictsFinancialAccess
	gMeansThreats
	gMeansPsychologicalAbuse
	gMeansPhysicalAbuse
	gMeansSexualAbuse
	gMeansFalsePromises
	gMeansPsychoactiveSubstances
	gMeansRestrictsMovement
	gMeansRestrictsMedicalCare
	gMeansExcessiveWorkingHours
	gMeansUsesChildren
	gMeansThreatOfLawEnforcement
	gMeansWithholdsNecessities
	gMeansWithholdsDocuments
	gMeansOther
	gMeansNotSpecified
	gIsForcedLabour
	gIsSexualExploit
	gIsOtherExploit
	gIsSexAndLabour
	gIsForcedMarriage
	gIsForcedMilitary
	gIsOrganRemoval
	gLabourAgriculture
	gLabourAquafarming
	gLabourBegging
	gLabourConstruction
	gLabourDomesticWork
	gLabourHospitality
	gLabourIllicitActivities
	gLabourManufacturing
	gLabourMiningOrDrilling
	gLabourPeddling
	gLabourTransportation
	gLabourOther
	gLabourNotSpecified
	gSexProstitution
	gSexPornography
	gSexRemoteInteractiveServices
	gSexPrivateSexualServices
	gIsAbduction
	gRecruiterRelationship
	gCountryOfExploitation
	gRelIntimatePartner
	gRelFriend
	gRelFamily
	gRelOther
	gRelUnknown
	gNumColumns
)

var globalColumns = [gNumColumns]string{
	gYearOfRegistration:            "yearOfRegistration",
	gDatasource:                    "Datasource",
	gGender:                        "gender",
	gAgeBroad:                      "ageBroad",
	gMajorityStatus:                "majorityStatus",
	gMajorityStatusAtExploit:       "majorityStatusAtExploit",
	gMajorityEntry:                 "majorityEntry",
	gCitizenship:                   "citizenship",
	gMeansDebtBondage:              "meansOfControlDebtBondage",
	gMeansTakesEarnings:            "meansOfControlTakesEarnings",
	gMeansRestrictsFinancialAccess: "meansOfControlRestrictsFinancialAccess",
	gMeansThreats:                  "meansOfControlThreats",
	gMeansPsychologicalAbuse:       "meansOfControlPsychologicalAbuse",
	gMeansPhysicalAbuse:            "meansOfControlPhysicalAbuse",
	gMeansSexualAbuse:              "meansOfControlSexualAbuse",
	gMeansFalsePromises:            "meansOfControlFalsePromises",
	gMeansPsychoactiveSubstances:   "meansOfControlPsychoactiveSubstances",
	gMeansRestrictsMovement:        "meansOfControlRestrictsMovement",
	gMeansRestrictsMedicalCare:     "meansOfControlRestrictsMedicalCare",
	gMeansExcessiveWorkingHours:    "meansOfControlExcessiveWorkingHours",
	gMeansUsesChildren:             "meansOfControlUsesChildren",
	gMeansThreatOfLawEnforcement:   "meansOfControlThreatOfLawEnforcement",
	gMeansWithholdsNecessities:     "meansOfControlWithholdsNecessities",
	gMeansWithholdsDocuments:       "meansOfControlWithholdsDocuments",
	gMeansOther:                    "meansOfControlOther",
	gMeansNotSpecified:             "meansOfControlNotSpecified",
	gIsForcedLabour:                "isForcedLabour",
	gIsSexualExploit:               "isSexualExploit",
	gIsOtherExploit:                "isOtherExploit",
	gIsSexAndLabour:                "isSexAndLabour",
	gIsForcedMarriage:              "isForcedMarriage",
	gIsForcedMilitary:              "isForcedMilitary",
	gIsOrganRemoval:                "isOrganRemoval",
	gLabourAgriculture:             "typeOfLabourAgriculture",
	gLabourAquafarming:             "typeOfLabourAquafarming",
	gLabourBegging:                 "typeOfLabourBegging",
	gLabourConstruction:            "typeOfLabourConstruction",
	gLabourDomesticWork:            "typeOfLabourDomesticWork",
	gLabourHospitality:             "typeOfLabourHospitality",
	gLabourIllicitActivities:       "typeOfLabourIllicitActivities",
	gLabourManufacturing:           "typeOfLabourManufacturing",
	gLabourMiningOrDrilling:        "typeOfLabourMiningOrDrilling",
	gLabourPeddling:                "typeOfLabourPeddling",
	gLabourTransportation:          "typeOfLabourTransportation",
	gLabourOther:                   "typeOfLabourOther",
	gLabourNotSpecified:            "typeOfLabourNotSpecified",
	gSexProstitution:               "typeOfSexProstitution",
	gSexPornography:                "typeOfSexPornography",
	gSexRemoteInteractiveServices:  "typeOfSexRemoteInteractiveServices",
	gSexPrivateSexualServices:      "typeOfSexPrivateSexualServices",
	gIsAbduction:                   "isAbduction",
	gRecruiterRelationship:         "RecruiterRelationship",
	gCountryOfExploitation:         "CountryOfExploitation",
	gRelIntimatePartner:            "recruiterRelationIntimatePartner",
	gRelFriend:                     "recruiterRelationFriend",
	gRelFamily:                     "recruiterRelationFamily",
	gRelOther:                      "recruiterRelationOther",
	gRelUnknown:                    "recruiterRelationUnknown",
}

// Columns of the victim–perpetrator synthetic dataset, in the published order.
const (
	vYearRegister = iota
	vGender
	vMajorityStatus
	vIsForcedLabour
	vIsSexualExploit
	vCOORegion
	vCOERegion
	vIPExploiter
	vIPGender
	vIPAgeBroad
	vIPCitizenRegion
	vIPRelation
	vIPPayMoney
	vIPRecruiterBroker
	vIPTransactionProcess
	vIPControlAbuseKidnap
	vNumColumns
)

var vpColumns = [vNumColumns]string{
	vYearRegister:         "yearRegister",
	vGender:               "gender",
	vMajorityStatus:       "majorityStatus",
	vIsForcedLabour:       "isForcedLabour",
	vIsSexualExploit:      "isSexualExploit",
	vCOORegion:            "UN_COO_Region",
	vCOERegion:            "UN_COE_Region",
	vIPExploiter:          "IP_Exploiter",
	vIPGender:             "IP_Gender",
	vIPAgeBroad:           "IP_ageBroad",
	vIPCitizenRegion:      "IP_citizen_UNRegion",
	vIPRelation:           "IP_Relation",
	vIPPayMoney:           "IP_PayMoney",
	vIPRecruiterBroker:    "IP_RecruiterBroker",
	vIPTransactionProcess: "IP_TransactionProcess",
	vIPControlAbuseKidnap: "IP_ControlAbuseKidnap",
}

// formatSpec describes one layout: its columns and, for turning validation
// problems into row rejects, which column fed which domain field.
type formatSpec struct {
	format  Format
	title   string
	columns []string
	index   map[string]int
	fields  map[string]int
	// missing reports whether a cell means "not known".
	missing func(string) bool
	// countries are the columns of country codes, read in capitals.
	countries []int
}

var globalSpec = &formatSpec{
	format:  FormatGlobal2017,
	title:   "CTDC Global Dataset 2017",
	columns: globalColumns[:],
	fields: map[string]int{
		"vig_RegistrationYear":                gYearOfRegistration,
		"vig_DataSource":                      gDatasource,
		"victim.vic_TraffickingStatus":        gDatasource,
		"person.prs_Gender":                   gGender,
		"victim.vig_AgeBand":                  gAgeBroad,
		"victim.vig_MajorityStatus":           gMajorityStatus,
		"victim.vig_MajorityStatusAtExploit":  gMajorityStatusAtExploit,
		"victim.vig_MajorityEntry":            gMajorityEntry,
		"person.prs_Citizenship":              gCitizenship,
		"victim.vig_RecruiterRelation":        gRecruiterRelationship,
		"victim.vic_RelationshipToTrafficker": gRecruiterRelationship,
		"events[0].hte_Country":               gCountryOfExploitation,
	},
	missing:   func(v string) bool { return v == "-99" || v == "" },
	countries: []int{gCitizenship, gCountryOfExploitation},
}

var vpSpec = &formatSpec{
	format:  FormatVPSynthetic,
	title:   "CTDC victim–perpetrator synthetic dataset",
	columns: vpColumns[:],
	fields: map[string]int{
		"vig_RegistrationYear":                    vYearRegister,
		"vig_RegistrationPeriod":                  vYearRegister,
		"person.prs_Gender":                       vGender,
		"victim.vig_MajorityStatus":               vMajorityStatus,
		"victim.vig_CitizenshipRegion":            vCOORegion,
		"victim.vig_ExploitationRegion":           vCOERegion,
		"perpetrators[0].vig_Genders":             vIPGender,
		"perpetrators[0].vig_PerpetratorAgeBands": vIPAgeBroad,
		"perpetrators[0].vig_CitizenshipRegions":  vIPCitizenRegion,
		"perpetrators[0].vig_PerpetratorRelation": vIPRelation,
		"perpetrators[0].vig_VictimPaid":          vIPPayMoney,
	},
	missing: func(v string) bool { return v == "" },
}

var specs = []*formatSpec{globalSpec, vpSpec}

func init() {
	for _, s := range specs {
		s.index = make(map[string]int, len(s.columns))
		for i, c := range s.columns {
			s.index[c] = i
		}
	}
}

// enumTable maps the spellings of one column to a domain enum's values.
type enumTable struct {
	enum   *domain.Enum
	exact  map[string]int // spelling → index in enum.Values
	expect string         // the accepted spellings, for messages
}

// newTable builds a table from the CTDC spellings (spelling → stored
// value). Each stored value must be one of the enum's values.
func newTable(e *domain.Enum, spellings []string, stored []string) *enumTable {
	t := &enumTable{enum: e, exact: make(map[string]int, len(e.Values)+len(spellings))}
	for i, v := range e.Values {
		t.exact[v] = i
	}
	for i, s := range spellings {
		j := slices.Index(e.Values, stored[i])
		if j < 0 {
			panic("ctdc: " + stored[i] + " is not a " + e.Field + " value")
		}
		t.exact[s] = j
	}
	t.expect = strings.Join(spellings, ", ")
	return t
}

// index returns the index of v in the enum's values, or -1.
func (t *enumTable) index(v string) int {
	if i, ok := t.exact[v]; ok {
		return i
	}
	if s, ok := t.enum.Normalize(v); ok {
		return slices.Index(t.enum.Values, s)
	}
	return -1
}

// list returns the values of t whose bits are set, in the enum's order.
func (s *rowState) list(t *enumTable, mask uint64) []string {
	if mask == 0 {
		return nil
	}
	out := s.strings(bits.OnesCount64(mask))
	for i, v := range t.enum.Values {
		if mask&(1<<i) != 0 {
			out = append(out, v)
		}
	}
	return out
}

// strings returns an empty slice of capacity n, carved from the row's
// backing array while it lasts. Its capacity is exactly n, so appending to
// it later never overwrites a neighbour.
func (s *rowState) strings(n int) []string {
	if n <= len(s.spare) {
		out := s.spare[:0:n]
		s.spare = s.spare[n:]
		return out
	}
	return make([]string, 0, n)
}

var (
	genderTable = newTable(domain.Gender,
		[]string{"Female", "Male", "Unknown"},
		[]string{"Feminine", "Masculine", "NonSpecifiedUnknown"})
	dataSourceTable = newTable(domain.DataSource,
		[]string{"Case Management", "Hotline"},
		[]string{"CaseManagement", "Hotline"})
	ageBandTable  = newTable(domain.AgeBand, domain.AgeBand.Values, domain.AgeBand.Values)
	majorityTable = newTable(domain.MajorityStatus, domain.MajorityStatus.Values, domain.MajorityStatus.Values)
	relationTable = newTable(domain.RecruiterRelation,
		[]string{"Intimate Partner", "Friend", "Family/Relative", "Other", "Unknown"},
		[]string{"IntimatePartner", "Friend", "Family", "Other", "Unknown"})
	regionTable = newTable(domain.UNRegion,
		[]string{"Africa", "Americas/Oceania", "Asia", "Europe", "Americas", "Oceania"},
		[]string{"Africa", "AmericasOceania", "Asia", "Europe", "Americas", "Oceania"})
	perpAgeTable      = newTable(domain.PerpetratorAgeBand, domain.PerpetratorAgeBand.Values, domain.PerpetratorAgeBand.Values)
	perpRelationTable = newTable(domain.PerpetratorRelation, domain.PerpetratorRelation.Values, domain.PerpetratorRelation.Values)
	yesNoTable        = newTable(domain.YesNo, domain.YesNo.Values, domain.YesNo.Values)
)

// Bits of relationTable (the order of domain.RecruiterRelation.Values).
var (
	relIntimatePartner = relationTable.exact["IntimatePartner"]
	relFriend          = relationTable.exact["Friend"]
	relFamily          = relationTable.exact["Family"]
)

// globalRelationFlags pairs each recruiterRelation column with its bit.
var globalRelationFlags = [...]struct{ col, bit int }{
	{gRelIntimatePartner, relationTable.exact["IntimatePartner"]},
	{gRelFriend, relationTable.exact["Friend"]},
	{gRelFamily, relationTable.exact["Family"]},
	{gRelOther, relationTable.exact["Other"]},
	{gRelUnknown, relationTable.exact["Unknown"]},
}

// flagValue is a boolean column that adds one value to a list when 1.
type flagValue struct {
	col   int
	value string
}

// globalMeans maps the meansOfControl columns to HTCDS 2.0 values through
// domain.MethodsOfControl.Normalize, which knows the v0.1/CTDC spellings.
var globalMeans = func() []flagValue {
	var out []flagValue
	for col := gMeansDebtBondage; col <= gMeansOther; col++ {
		name := strings.TrimPrefix(globalColumns[col], "meansOfControl")
		v, ok := domain.MethodsOfControl.Normalize(name)
		if !ok {
			panic("ctdc: no vic_MethodsOfControl value for " + name)
		}
		out = append(out, flagValue{col, v})
	}
	return out
}()

var globalExploitation = []flagValue{
	{gIsForcedLabour, "ForcedLabour"},
	{gIsSexualExploit, "SexualExploitation"},
	{gIsOtherExploit, "Other"},
	{gIsForcedMarriage, "ForcedMarriage"},
	{gIsForcedMilitary, "ForcedMilitaryByNonStateActors"},
	{gIsOrganRemoval, "OrganRemoval"},
}

// labourSector is a typeOfLabour column, its vig_LabourSector value and its
// ISIC section in vic_ForcedLabourIndustry ("" when none fits).
type labourSector struct {
	col          int
	sector, isic string
}

var globalLabour = []labourSector{
	{gLabourAgriculture, "Agriculture", "A_AgricultureForestryAndFishing"},
	{gLabourAquafarming, "Aquafarming", "A_AgricultureForestryAndFishing"},
	{gLabourBegging, "Begging", ""},
	{gLabourConstruction, "Construction", "F_Construction"},
	{gLabourDomesticWork, "DomesticWork", "T_ActivitiesOfHouseholdsAsEmployers"},
	{gLabourHospitality, "Hospitality", "I_AccommodationAndFoodServiceActivities"},
	{gLabourIllicitActivities, "IllicitActivities", ""},
	{gLabourManufacturing, "Manufacturing", "C_Manufacturing"},
	{gLabourMiningOrDrilling, "MiningOrDrilling", "B_MiningAndQuarrying"},
	{gLabourPeddling, "Peddling", "G_WholesaleAndRetailTradeRepairOfMotorVehicles"},
	{gLabourTransportation, "Transportation", "H_TransportationAndStorage"},
	{gLabourOther, "Other", ""},
}

var globalSex = []flagValue{
	{gSexProstitution, "Prostitution"},
	{gSexPornography, "Pornography"},
	{gSexRemoteInteractiveServices, "RemoteInteractiveServices"},
	{gSexPrivateSexualServices, "PrivateSexualServices"},
}

// countryCodes maps every accepted code to the stored code (a static
// string, so that cases do not keep the CSV line alive).
var countryCodes = func() map[string]string {
	m := map[string]string{}
	for _, c := range domain.CountryCodes() {
		m[c] = c
	}
	// Codes of the CTDC data dictionary (version 28 11 2017) that are not
	// ISO 3166-1 alpha-2.
	for k, v := range map[string]string{"Y1": "XK", "Y2": "ME", "00": "ZZ", "ZR": "CD"} {
		m[k] = v
	}
	return m
}()

const eventExploitation = "Exploitation"

func init() {
	check := func(e *domain.Enum, v string) {
		if !e.Valid(v) {
			panic("ctdc: " + v + " is not a " + e.Field + " value")
		}
	}
	for _, f := range globalExploitation {
		check(domain.TypeOfExploitation, f.value)
	}
	for _, f := range globalSex {
		check(domain.TypeOfSexExploitation, f.value)
	}
	for _, l := range globalLabour {
		check(domain.LabourSector, l.sector)
		if l.isic != "" {
			check(domain.ForcedLabourIndustry, l.isic)
		}
	}
	check(domain.EventType, eventExploitation)
	for _, v := range []string{"RecruiterOrIntermediary", "Exploiter"} {
		check(domain.RoleInProcess, v)
	}
	for _, v := range []string{"RecruiterBroker", "Exploiter", "TransactionProcess", "ControlAbuseKidnap"} {
		check(domain.CTDCRole, v)
	}
	for _, v := range []string{"ActualVictimOfTrafficking", "PossibleVictimOfTrafficking"} {
		check(domain.TraffickingStatus, v)
	}
	check(domain.CaseStatus, statusActive)
}

const (
	statusActive   = "Active"
	victimActual   = "ActualVictimOfTrafficking"
	victimPossible = "PossibleVictimOfTrafficking"
)

// globalRow holds everything one Global Dataset row becomes, allocated at
// once: the record, its case and the case's small parts.
type globalRow struct {
	rec  Record
	c    domain.Case
	ev   domain.Event
	evs  [1]*domain.Event
	cit  [1]string
	ab   bool
	strs [8]string // backing of the case's short lists
}

// mapGlobal fills a from a Global Dataset 2017 row.
func (s *rowState) mapGlobal(a *globalRow) {
	c := &a.c
	// Registration year: required.
	if v := s.get(gYearOfRegistration); s.spec.missing(v) {
		s.bad(gYearOfRegistration, "ctdc.required", "is required (the year the victim was registered)")
	} else {
		c.RegistrationYear = s.year(gYearOfRegistration, v)
	}

	// Data source and, from it, the trafficking status.
	if v := s.get(gDatasource); s.spec.missing(v) {
		s.bad(gDatasource, "ctdc.required", "is required (Case Management or Hotline)")
	} else if ds := s.enum(gDatasource, dataSourceTable); ds != "" {
		c.DataSource = ds
		if ds == "Hotline" {
			c.Victim.TraffickingStatus = victimPossible
		} else {
			c.Victim.TraffickingStatus = victimActual
		}
	}

	c.Person.Gender = s.enum(gGender, genderTable)
	v := &c.Victim
	v.AgeBand = s.enum(gAgeBroad, ageBandTable)
	v.MajorityStatus = s.enum(gMajorityStatus, majorityTable)
	v.MajorityStatusAtExploit = s.enum(gMajorityStatusAtExploit, majorityTable)
	v.MajorityEntry = s.enum(gMajorityEntry, majorityTable)
	if code := s.country(gCitizenship); code != "" {
		a.cit[0] = code
		c.Person.Citizenship = a.cit[:]
	}

	// Methods of control.
	v.MethodsOfControl = s.flagList(globalMeans)
	s.flag(gMeansNotSpecified)

	// Types of exploitation; isSexAndLabour is derived from two of them.
	v.TypeOfExploitation = s.flagList(globalExploitation)
	labour, sexual := rawFlag(s.get(gIsForcedLabour)), rawFlag(s.get(gIsSexualExploit))
	switch s.flag(gIsSexAndLabour) {
	case 1:
		if labour == 0 || sexual == 0 {
			s.bad(gIsSexAndLabour, "ctdc.contradiction", "is 1 but isForcedLabour is %s and isSexualExploit is %s", s.get(gIsForcedLabour), s.get(gIsSexualExploit))
		}
		if !slices.Contains(v.TypeOfExploitation, "ForcedLabour") {
			v.TypeOfExploitation = append(v.TypeOfExploitation, "ForcedLabour")
		}
		if !slices.Contains(v.TypeOfExploitation, "SexualExploitation") {
			v.TypeOfExploitation = append(v.TypeOfExploitation, "SexualExploitation")
		}
	case 0:
		if labour == 1 && sexual == 1 {
			s.bad(gIsSexAndLabour, "ctdc.contradiction", "is 0 but isForcedLabour and isSexualExploit are both 1")
		}
	}

	// Forced-labour sectors and, when they agree on one, the ISIC section.
	var n int
	isic, mixed := "", false
	for _, l := range globalLabour {
		if s.flag(l.col) != 1 {
			continue
		}
		n++
		switch {
		case l.isic == "" || isic != "" && isic != l.isic:
			mixed = true
		default:
			isic = l.isic
		}
	}
	if n > 0 {
		v.LabourSectors = s.strings(n)
		for _, l := range globalLabour {
			if s.get(l.col) == "1" {
				v.LabourSectors = append(v.LabourSectors, l.sector)
			}
		}
		if !mixed {
			v.ForcedLabourIndustry = isic
		}
	}
	s.flag(gLabourNotSpecified)

	v.TypeOfSexExploitation = s.flagList(globalSex)

	if ab := s.flag(gIsAbduction); ab >= 0 {
		a.ab = ab == 1
		v.Abduction = &a.ab
	}

	s.recruiter(v)

	if code := s.country(gCountryOfExploitation); code != "" {
		a.ev = domain.Event{Type: eventExploitation, Country: code}
		a.evs[0] = &a.ev
		c.Events = a.evs[:]
	}
}

// recruiter merges RecruiterRelationship and the recruiterRelation flags.
func (s *rowState) recruiter(v *domain.Victim) {
	text, textKnown := uint64(0), false
	if cell := s.get(gRecruiterRelationship); !s.spec.missing(cell) {
		text, textKnown = s.enumList(gRecruiterRelationship, relationTable), true
	}
	mask := text
	for _, f := range globalRelationFlags {
		bit := uint64(1) << f.bit
		switch s.flag(f.col) {
		case 1:
			if textKnown && text&bit == 0 {
				s.bad(f.col, "ctdc.contradiction", "is 1 but RecruiterRelationship (%s) does not name %s", quote(s.get(gRecruiterRelationship)), relationTable.enum.Values[f.bit])
			}
			mask |= bit
		case 0:
			if textKnown && text&bit != 0 {
				s.bad(f.col, "ctdc.contradiction", "is 0 but RecruiterRelationship (%s) names %s", quote(s.get(gRecruiterRelationship)), relationTable.enum.Values[f.bit])
			}
		}
	}
	v.RecruiterRelation = s.list(relationTable, mask)
	acquainted := uint64(1)<<relFriend | uint64(1)<<relIntimatePartner
	switch {
	case mask == 1<<relFamily:
		v.RelationshipToTrafficker = "Familial"
	case mask != 0 && mask&^acquainted == 0:
		v.RelationshipToTrafficker = "Acquainted"
	}
}

// vpRow holds everything one victim–perpetrator row becomes.
type vpRow struct {
	rec  Record
	c    domain.Case
	p    domain.Perpetrator
	ps   [1]*domain.Perpetrator
	strs [12]string // backing of the case's short lists
}

// mapVP fills a from a victim–perpetrator synthetic row.
func (s *rowState) mapVP(a *vpRow) {
	c := &a.c
	if y := s.get(vYearRegister); y != "" {
		s.yearOrPeriod(c, vYearRegister, y)
	}
	c.Person.Gender = s.enum(vGender, genderTable)
	v := &c.Victim
	v.TraffickingStatus = victimActual
	v.MajorityStatus = s.enum(vMajorityStatus, majorityTable)
	labour, sexual := s.flag(vIsForcedLabour) == 1, s.flag(vIsSexualExploit) == 1
	if n := btoi(labour) + btoi(sexual); n > 0 {
		v.TypeOfExploitation = s.strings(n)
		if labour {
			v.TypeOfExploitation = append(v.TypeOfExploitation, "ForcedLabour")
		}
		if sexual {
			v.TypeOfExploitation = append(v.TypeOfExploitation, "SexualExploitation")
		}
	}
	v.CitizenshipRegion = s.enum(vCOORegion, regionTable)
	v.ExploitationRegion = s.enum(vCOERegion, regionTable)

	hasIP := false
	for col := vIPExploiter; col <= vIPControlAbuseKidnap; col++ {
		hasIP = hasIP || s.get(col) != ""
	}
	if !hasIP {
		return
	}
	p := &a.p
	p.Genders = s.list(genderTable, s.enumList(vIPGender, genderTable))
	p.AgeBands = s.list(perpAgeTable, s.enumList(vIPAgeBroad, perpAgeTable))
	p.CitizenshipRegion = s.list(regionTable, s.enumList(vIPCitizenRegion, regionTable))
	p.Relation = s.list(perpRelationTable, s.enumList(vIPRelation, perpRelationTable))
	p.VictimPaid = s.list(yesNoTable, s.enumList(vIPPayMoney, yesNoTable))
	recruiter, exploiter := s.flag(vIPRecruiterBroker) == 1, s.flag(vIPExploiter) == 1
	transaction, control := s.flag(vIPTransactionProcess) == 1, s.flag(vIPControlAbuseKidnap) == 1
	if n := btoi(recruiter) + btoi(exploiter) + btoi(transaction) + btoi(control); n > 0 {
		p.CTDCRoles = s.strings(n)
		if recruiter {
			p.CTDCRoles = append(p.CTDCRoles, "RecruiterBroker")
		}
		if exploiter {
			p.CTDCRoles = append(p.CTDCRoles, "Exploiter")
		}
		if transaction {
			p.CTDCRoles = append(p.CTDCRoles, "TransactionProcess")
		}
		if control {
			p.CTDCRoles = append(p.CTDCRoles, "ControlAbuseKidnap")
		}
	}
	if n := btoi(recruiter) + btoi(exploiter); n > 0 {
		p.RoleInProcess = s.strings(n)
		if recruiter {
			p.RoleInProcess = append(p.RoleInProcess, "RecruiterOrIntermediary")
		}
		if exploiter {
			p.RoleInProcess = append(p.RoleInProcess, "Exploiter")
		}
	}
	a.ps[0] = p
	c.Perpetrators = a.ps[:]
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
