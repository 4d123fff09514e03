// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"strings"
	"sync"
	"vigie/internal/i18n"

	"vigie/internal/domain"
)

// kind says how a column's cells are read on import. Export is driven by
// the Go type of the field instead (see encodeCell).
type kind uint8

const (
	kText      kind = iota // free text, kept exactly
	kToken                 // identifier-like text: trimmed
	kPhone                 // E.164 phone number: separators removed
	kEnum                  // one picklist value
	kEnums                 // several picklist values joined with ";"
	kCountry               // ISO 3166-1 alpha-2 code
	kCountries             // several country codes joined with ";"
	kLanguage              // ISO 639-2 code
	kDate                  // YYYY-MM-DD
	kBool                  // checkbox
	kInt                   // whole number
	kFloat                 // decimal number
	kTime                  // RFC 3339 timestamp
	kJSON                  // compact JSON of domain types
)

// Column is one column of the flat form.
type Column struct {
	Name  string // field identifier, the header of the column
	Label string // English label, row 2 of an XLSX export
	kind  kind
	enum  *domain.Enum
	// field returns a pointer to the value in the flat case: *string,
	// *[]string, *domain.Date, **bool, **int, *int, *int64, **float64 or
	// *time.Time.
	field func(*flat) any
}

// flat is a case spread over the flat columns: the case itself plus the
// parts that have HTCDS columns of their own, and the JSON text of the
// vig_ list columns.
type flat struct {
	c       *domain.Case
	event   domain.Event    // hte_ columns: the first event
	in, out domain.Referral // cas_ referral columns: first incoming, first outgoing
	consent *bool           // con_Consent: the latest consent

	eventMeta, events, consents, referrals, supportPlans, comments, perpetrators string
}

func col(name, label string, k kind, field func(*flat) any) Column {
	return Column{Name: name, Label: label, kind: k, field: field}
}

func enumCol(name, label string, k kind, e *domain.Enum, field func(*flat) any) Column {
	return Column{Name: name, Label: label, kind: k, enum: e, field: field}
}

// columns is the flat form, in export order. Names are unique, and so are
// labels (tests check both).
var columns = []Column{
	// The Core columns of the IOM templates, in the templates' order.
	col("cas_CaseOwner", "Case Owner", kText, func(f *flat) any { return &f.c.CaseOwner }),
	col("prs_Salutation", "Salutation", kText, func(f *flat) any { return &f.c.Person.Salutation }),
	col("prs_FirstName", "First Name", kText, func(f *flat) any { return &f.c.Person.FirstName }),
	col("prs_SecondName", "Second Name", kText, func(f *flat) any { return &f.c.Person.SecondName }),
	col("con_Consent", "Consent", kBool, func(f *flat) any { return &f.consent }),
	col("prs_Birthdate", "Birthdate", kDate, func(f *flat) any { return &f.c.Person.Birthdate }),
	enumCol("prs_Gender", "Gender", kEnum, domain.Gender, func(f *flat) any { return &f.c.Person.Gender }),
	col("prs_Citizenship", "Citizenship", kCountries, func(f *flat) any { return &f.c.Person.Citizenship }),
	col("prs_Title", "Title", kText, func(f *flat) any { return &f.c.Person.Title }),
	col("prs_Email", "Email", kToken, func(f *flat) any { return &f.c.Person.Email }),
	col("prs_HomePhone", "Home Phone", kPhone, func(f *flat) any { return &f.c.Person.HomePhone }),
	col("prs_MobilePhone", "Mobile Phone", kPhone, func(f *flat) any { return &f.c.Person.MobilePhone }),
	col("prs_MailingCity", "Mailing City", kText, func(f *flat) any { return &f.c.Person.MailingCity }),
	col("prs_MailingCountry", "Mailing Country", kCountry, func(f *flat) any { return &f.c.Person.MailingCountry }),
	col("prs_MailingState", "Mailing State/Province", kText, func(f *flat) any { return &f.c.Person.MailingState }),
	col("prs_MailingStreet", "Mailing Street", kText, func(f *flat) any { return &f.c.Person.MailingStreet }),
	col("prs_MailingPostalCode", "Mailing Zip/Postal Code", kToken, func(f *flat) any { return &f.c.Person.MailingPostalCode }),
	enumCol("vic_TraffickingStatus", "Trafficking Status", kEnum, domain.TraffickingStatus, func(f *flat) any { return &f.c.Victim.TraffickingStatus }),
	enumCol("vic_TraffickingStatusDecisionMakingOrg", "Trafficking Status Decision Making Organization", kEnum, domain.DecisionMakingOrg, func(f *flat) any { return &f.c.Victim.TraffickingStatusDecisionOrg }),
	enumCol("vic_MethodOfRecruitment", "Method of Recruitment", kEnums, domain.MethodOfRecruitment, func(f *flat) any { return &f.c.Victim.MethodOfRecruitment }),
	col("vic_LocationOfRecruitment", "Location of Recruitment", kText, func(f *flat) any { return &f.c.Victim.LocationOfRecruitment }),
	enumCol("vic_MethodsOfControl", "Methods of Control", kEnums, domain.MethodsOfControl, func(f *flat) any { return &f.c.Victim.MethodsOfControl }),
	enumCol("vic_TypeOfExploitation", "Type of Exploitation", kEnums, domain.TypeOfExploitation, func(f *flat) any { return &f.c.Victim.TypeOfExploitation }),
	enumCol("vic_ForcedLabourIndustry", "Forced Labour Industry", kEnum, domain.ForcedLabourIndustry, func(f *flat) any { return &f.c.Victim.ForcedLabourIndustry }),
	enumCol("vic_TypeOfSexExploitation", "Type of Sex Exploitation", kEnums, domain.TypeOfSexExploitation, func(f *flat) any { return &f.c.Victim.TypeOfSexExploitation }),
	col("vic_LocationOfExploitation", "Location of Exploitation", kText, func(f *flat) any { return &f.c.Victim.LocationOfExploitation }),
	enumCol("cas_Status", "Status", kEnum, domain.CaseStatus, func(f *flat) any { return &f.c.Status }),
	col("cas_ReferringOrganisation", "Referring Organisation", kText, func(f *flat) any { return &f.in.ReferringOrganisation }),
	col("cas_IncomingReferralDate", "Incoming Referral Date", kDate, func(f *flat) any { return &f.in.IncomingReferralDate }),
	col("cas_ReferringPrimaryCaseWorker", "Referring Primary Case Worker", kText, func(f *flat) any { return &f.in.ReferringPrimaryCaseWorker }),
	enumCol("cas_ReasonForIncomingReferral", "Reason for Incoming Referral", kEnum, domain.ReasonForIncomingReferral, func(f *flat) any { return &f.in.ReasonForIncomingReferral }),
	col("cas_IncomingReferralDetails", "Incoming Referral Details", kText, func(f *flat) any { return &f.in.IncomingReferralDetails }),
	col("cas_ReferredOrganisation", "Referred Organisation", kText, func(f *flat) any { return &f.out.ReferredOrganisation }),
	col("cas_ReferredPrimaryCaseWorker", "Referred Primary Case Worker", kText, func(f *flat) any { return &f.out.ReferredPrimaryCaseWorker }),
	enumCol("cas_ReasonForOutgoingReferral", "Reason for Outgoing Referral", kEnum, domain.ReasonForOutgoingReferral, func(f *flat) any { return &f.out.ReasonForOutgoingReferral }),
	col("cas_OutgoingReferralDate", "Outgoing Referral Date", kDate, func(f *flat) any { return &f.out.OutgoingReferralDate }),
	col("cas_OutgoingReferralDetails", "Outgoing Referral Details", kText, func(f *flat) any { return &f.out.OutgoingReferralDetails }),
	col("cas_ReasonForCaseClosure", "Reason for Case Closure", kText, func(f *flat) any { return &f.c.ReasonForCaseClosure }),

	// The other HTCDS 2.0 fields of the person, victim context and case.
	col("prs_MiddleName", "Middle Name", kText, func(f *flat) any { return &f.c.Person.MiddleName }),
	col("prs_Deceased", "Deceased", kBool, func(f *flat) any { return &f.c.Person.Deceased }),
	enumCol("prs_MaritalStatus", "Marital Status", kEnum, domain.MaritalStatus, func(f *flat) any { return &f.c.Person.MaritalStatus }),
	col("prs_NumberOfChildren", "Number of Children", kInt, func(f *flat) any { return &f.c.Person.NumberOfChildren }),
	col("prs_PrimaryLanguage", "Primary Language", kLanguage, func(f *flat) any { return &f.c.Person.PrimaryLanguage }),
	col("prs_SecondaryLanguage", "Secondary Language", kLanguage, func(f *flat) any { return &f.c.Person.SecondaryLanguage }),
	enumCol("prs_HighestLevelOfEducation", "Highest Level of Education", kEnum, domain.Education, func(f *flat) any { return &f.c.Person.HighestLevelOfEducation }),
	col("prs_IdentityNumber", "Identity Number", kToken, func(f *flat) any { return &f.c.Person.IdentityNumber }),
	col("prs_MailingLongitude", "Longitude", kFloat, func(f *flat) any { return &f.c.Person.MailingLongitude }),
	col("prs_MailingLatitude", "Latitude", kFloat, func(f *flat) any { return &f.c.Person.MailingLatitude }),
	col("vic_AgreementToManagePersonalData", "Agreement to Manage Personal Data", kBool, func(f *flat) any { return &f.c.Victim.AgreementToManagePersonalData }),
	enumCol("vic_RelationshipToTrafficker", "Relationship to Trafficker", kEnum, domain.RelationshipToTrafficker, func(f *flat) any { return &f.c.Victim.RelationshipToTrafficker }),
	col("vic_AgeWhenTrafficked", "Age when Trafficked", kInt, func(f *flat) any { return &f.c.Victim.AgeWhenTrafficked }),
	enumCol("vic_RecruitmentWebsitesAndApps", "Recruitment Websites and Apps", kEnums, domain.RecruitmentWebsitesAndApps, func(f *flat) any { return &f.c.Victim.RecruitmentWebsitesAndApps }),
	enumCol("vic_ExploitationWebsitesAndApps", "Exploitation Websites and Apps", kEnums, domain.ExploitationWebsitesAndApps, func(f *flat) any { return &f.c.Victim.ExploitationWebsitesAndApps }),
	enumCol("vic_Vulnerabilities", "Vulnerabilities", kEnums, domain.Vulnerabilities, func(f *flat) any { return &f.c.Victim.Vulnerabilities }),
	col("vic_DetailsOfVulnerabilities", "Details Of Vulnerabilities", kText, func(f *flat) any { return &f.c.Victim.DetailsOfVulnerabilities }),

	// Vigie: record metadata, registration and source.
	col("id", "Case ID", kToken, func(f *flat) any { return &f.c.ID }),
	col("case_number", "Case Number", kToken, func(f *flat) any { return &f.c.Number }),
	col("agency", "Agency", kToken, func(f *flat) any { return &f.c.Agency }),
	col("version", "Version", kInt, func(f *flat) any { return &f.c.Version }),
	col("created_at", "Created At", kTime, func(f *flat) any { return &f.c.CreatedAt }),
	col("updated_at", "Updated At", kTime, func(f *flat) any { return &f.c.UpdatedAt }),
	col("situation_id", "Situation ID", kToken, func(f *flat) any { return &f.c.SituationID }),
	col("vig_RegistrationDate", "Registration Date", kDate, func(f *flat) any { return &f.c.RegistrationDate }),
	col("vig_RegistrationYear", "Registration Year", kInt, func(f *flat) any { return &f.c.RegistrationYear }),
	col("vig_RegistrationPeriod", "Registration Period", kToken, func(f *flat) any { return &f.c.RegistrationPeriod }),
	enumCol("vig_DataSource", "Data Source", kEnum, domain.DataSource, func(f *flat) any { return &f.c.DataSource }),
	col("vig_SourceKey", "Source Key", kToken, func(f *flat) any { return &f.c.SourceKey }),
	enumCol("vig_Province", "Province", kEnum, domain.Province, func(f *flat) any { return &f.c.Province }),
	col("vig_Repatriated", "Repatriated", kBool, func(f *flat) any { return &f.c.Repatriated }),

	// Vigie extensions of the victim context.
	enumCol("vig_AgeBand", "Age Band", kEnum, domain.AgeBand, func(f *flat) any { return &f.c.Victim.AgeBand }),
	enumCol("vig_MajorityStatus", "Majority Status", kEnum, domain.MajorityStatus, func(f *flat) any { return &f.c.Victim.MajorityStatus }),
	enumCol("vig_MajorityStatusAtExploit", "Majority Status at Exploitation", kEnum, domain.MajorityStatus, func(f *flat) any { return &f.c.Victim.MajorityStatusAtExploit }),
	enumCol("vig_MajorityEntry", "Majority Status at Entry", kEnum, domain.MajorityStatus, func(f *flat) any { return &f.c.Victim.MajorityEntry }),
	enumCol("vig_RecruiterRelation", "Recruiter Relation", kEnums, domain.RecruiterRelation, func(f *flat) any { return &f.c.Victim.RecruiterRelation }),
	enumCol("vig_LabourSector", "Labour Sector", kEnums, domain.LabourSector, func(f *flat) any { return &f.c.Victim.LabourSectors }),
	col("vig_Abduction", "Abduction", kBool, func(f *flat) any { return &f.c.Victim.Abduction }),
	enumCol("vig_CitizenshipRegion", "Citizenship Region", kEnum, domain.UNRegion, func(f *flat) any { return &f.c.Victim.CitizenshipRegion }),
	enumCol("vig_ExploitationRegion", "Exploitation Region", kEnum, domain.UNRegion, func(f *flat) any { return &f.c.Victim.ExploitationRegion }),
	col("vig_TraffickingStatusDate", "Trafficking Status Date", kDate, func(f *flat) any { return &f.c.Victim.TraffickingStatusDate }),

	// The first historic trafficking event.
	enumCol("hte_Type", "Event Type", kEnum, domain.EventType, func(f *flat) any { return &f.event.Type }),
	col("hte_Date", "Event Date", kDate, func(f *flat) any { return &f.event.Date }),
	col("hte_Country", "Event Country", kCountry, func(f *flat) any { return &f.event.Country }),
	col("hte_State", "Event State", kText, func(f *flat) any { return &f.event.State }),
	col("hte_City", "Event City", kText, func(f *flat) any { return &f.event.City }),
	col("hte_Street", "Event Street", kText, func(f *flat) any { return &f.event.Street }),
	col("hte_PostalCode", "Event Postal Code", kToken, func(f *flat) any { return &f.event.PostalCode }),
	col("hte_Latitude", "Event Latitude", kFloat, func(f *flat) any { return &f.event.Latitude }),
	col("hte_Longitude", "Event Longitude", kFloat, func(f *flat) any { return &f.event.Longitude }),
	col("hte_Description", "Event Description", kText, func(f *flat) any { return &f.event.Description }),

	// The lists, as compact JSON.
	col("vig_EventMeta", "First Event Record", kJSON, func(f *flat) any { return &f.eventMeta }),
	col("vig_Events", "Further Events", kJSON, func(f *flat) any { return &f.events }),
	col("vig_Consents", "Consents", kJSON, func(f *flat) any { return &f.consents }),
	col("vig_Referrals", "Referrals", kJSON, func(f *flat) any { return &f.referrals }),
	col("vig_SupportPlans", "Support Plans", kJSON, func(f *flat) any { return &f.supportPlans }),
	col("vig_Comments", "Case Comments", kJSON, func(f *flat) any { return &f.comments }),
	col("vig_Perpetrators", "Perpetrators", kJSON, func(f *flat) any { return &f.perpetrators }),
}

// templateColumns is the number of leading columns that the IOM templates
// have (the Core fields).
const templateColumns = 38

// Columns returns the flat columns in export order.
func Columns() []Column { return append([]Column(nil), columns...) }

// columnByName maps a lower-case column name to its index in columns.
var columnByName = func() map[string]int {
	m := make(map[string]int, len(columns))
	for i, c := range columns {
		m[strings.ToLower(c.Name)] = i
	}
	return m
}()

// columnLabels maps a folded label to its index in columns, and counts
// the columns of each label. The labels are the
// standard's English labels, and the labels Vigie's pages show in French
// and English ("Prénom", "Ville"), as a caseworker translating the
// template's label row writes them — a translated label was unknown, and
// the column fell back on the template's row 1, which for columns N–R
// names other fields. A page label that names several columns, or another
// column's standard label, is left out.
//
// Built at first use, not when the program starts: the catalogs of the
// pages' labels are read then, by the commands that import.
var columnLabels = sync.OnceValue(buildLabels)

// labelIndex is what columnLabels builds: byLabel and count (above), and
// shared, the columns of each page label that names several ("Ville":
// the victim's city and an event's), for a header or a label row to tell
// them apart (lookupColumn, labelColumnIn).
type labelIndex struct {
	byLabel, count map[string]int
	shared         map[string][]int
}

func buildLabels() *labelIndex {
	x := &labelIndex{byLabel: make(map[string]int, len(columns)), count: make(map[string]int, len(columns)), shared: map[string][]int{}}
	for i, c := range columns {
		x.byLabel[fold(c.Label)] = i
		x.count[fold(c.Label)]++
	}
	pages := map[string]map[int]bool{}
	for _, l := range i18n.Langs {
		loc := i18n.For(l)
		for i, c := range columns {
			label := loc.T("field." + c.Name)
			if strings.HasPrefix(label, "⟦") {
				continue
			}
			k := fold(label)
			if pages[k] == nil {
				pages[k] = map[int]bool{}
			}
			pages[k][i] = true
		}
	}
	for k, cols := range pages {
		if k == "" {
			continue
		}
		if len(cols) > 1 {
			for i := range cols {
				x.shared[k] = append(x.shared[k], i)
			}
			continue
		}
		if _, taken := x.byLabel[k]; !taken { // a standard label wins
			for i := range cols {
				x.byLabel[k], x.count[k] = i, 1
			}
		}
	}
	return x
}

// pageLabelColumns are the columns of a page label that names several.
func pageLabelColumns(k string) []int { return columnLabels().shared[k] }

// columnByLabelOf is the column of a folded label.
func columnByLabelOf(k string) (int, bool) {
	i, ok := columnLabels().byLabel[k]
	return i, ok
}

// labelCountOf counts the columns of a folded label: a label that several
// columns share (Longitude, Latitude) names none of them alone.
func labelCountOf(k string) int { return columnLabels().count[k] }

// headerAliases are other spellings of column names found in the wild.
var headerAliases = map[string]string{
	// The IOM templates misspell this one.
	"vic_traffickinstatusdecisionmakingorg": "vic_TraffickingStatusDecisionMakingOrg",
}

// lookupColumn finds a column by name (any case), alias or label.
func lookupColumn(name string) (int, bool) {
	k := strings.ToLower(name)
	if i, ok := columnByName[k]; ok {
		return i, true
	}
	if a, ok := headerAliases[k]; ok {
		return columnByName[strings.ToLower(a)], true
	}
	if i, ok := columnByLabelOf(fold(name)); ok && fold(name) != "" {
		return i, true
	}
	// A page label two columns share ("Ville": the victim's city and an
	// event's) names, in a case sheet, the victim's: the person's column
	// when only one of them is.
	person, n := 0, 0
	for _, ci := range pageLabelColumns(fold(name)) {
		if strings.HasPrefix(columns[ci].Name, "prs_") {
			person, n = ci, n+1
		}
	}
	if n == 1 {
		return person, true
	}
	return 0, false
}

func columnIndex(name string) int {
	i, ok := columnByName[strings.ToLower(name)]
	if !ok {
		panic("htcds: no column " + name)
	}
	return i
}

// Indexes of the columns that the reader treats specially.
var (
	colAgency       = columnIndex("agency")
	colID           = columnIndex("id")
	colTrafficking  = columnIndex("vic_TraffickingStatus")
	colReasonOut    = columnIndex("cas_ReasonForOutgoingReferral")
	colReferredCW   = columnIndex("cas_ReferredPrimaryCaseWorker")
	colOutgoingDate = columnIndex("cas_OutgoingReferralDate")
	// The registration: a file with none of these columns (the IOM
	// template has none) registers its cases on the day of the import.
	colRegistration = []int{columnIndex("vig_RegistrationDate"), columnIndex("vig_RegistrationYear"), columnIndex("vig_RegistrationPeriod")}
)
