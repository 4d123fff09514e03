// SPDX-License-Identifier: AGPL-3.0-or-later

package ctdc

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
)

var testOpt = Options{Agency: "CTDC", Source: "test.csv"}

// csvLine writes one CSV line (quoted where needed, no line end).
func csvLine(vals []string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(vals); err != nil {
		panic(err)
	}
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

func globalHeader() string { return strings.Join(globalColumns[:], ",") }
func vpHeader() string     { return strings.Join(vpColumns[:], ",") }

// globalLine is a valid Global Dataset row, changed by set (column → value).
func globalLine(set map[string]string) string {
	vals := make([]string, len(globalColumns))
	for i := range vals {
		vals[i] = "-99"
	}
	def := map[string]string{
		"yearOfRegistration": "2016", "Datasource": "Case Management", "gender": "Female",
		"ageBroad": "18--20", "majorityStatus": "Adult", "citizenship": "PH",
	}
	for _, m := range []map[string]string{def, set} {
		for k, v := range m {
			i, ok := globalSpec.index[k]
			if !ok {
				panic("no column " + k)
			}
			vals[i] = v
		}
	}
	return csvLine(vals)
}

// globalWant is the case globalLine(nil) becomes, without source key.
func globalWant() *domain.Case {
	return &domain.Case{
		Agency: "CTDC", Status: "Active", RegistrationYear: 2016, DataSource: "CaseManagement",
		Person: domain.Person{Gender: "Feminine", Citizenship: []string{"PH"}},
		Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking", AgeBand: "18--20", MajorityStatus: "Adult"},
	}
}

// vpLine is a valid victim–perpetrator row, changed by set.
func vpLine(set map[string]string) string {
	vals := make([]string, len(vpColumns))
	def := map[string]string{
		"yearRegister": "2019", "gender": "Female", "majorityStatus": "Adult", "isForcedLabour": "1",
		"UN_COO_Region": "Europe", "UN_COE_Region": "Asia",
	}
	for _, m := range []map[string]string{def, set} {
		for k, v := range m {
			i, ok := vpSpec.index[k]
			if !ok {
				panic("no column " + k)
			}
			vals[i] = v
		}
	}
	return csvLine(vals)
}

func vpWant() *domain.Case {
	return &domain.Case{
		Agency: "CTDC", Status: "Active", RegistrationYear: 2019,
		Person: domain.Person{Gender: "Feminine"},
		Victim: domain.Victim{
			TraffickingStatus: "ActualVictimOfTrafficking", MajorityStatus: "Adult",
			TypeOfExploitation: []string{"ForcedLabour"}, CitizenshipRegion: "Europe", ExploitationRegion: "Asia",
		},
	}
}

type result struct {
	recs    []*Record
	rejects [][]domain.RowError
	err     error // the fatal error, if any (not io.EOF)
}

func readAll(t *testing.T, input string, opt Options) (*Reader, result) {
	t.Helper()
	r, err := NewReader(strings.NewReader(input), opt)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var res result
	for {
		rec, rej, err := r.Next()
		if err == io.EOF {
			return r, res
		}
		if err != nil {
			res.err = err
			return r, res
		}
		switch {
		case rec != nil && rej == nil:
			res.recs = append(res.recs, rec)
		case rec == nil && len(rej) > 0:
			res.rejects = append(res.rejects, rej)
		default:
			t.Fatalf("Next returned record %v and rejects %v", rec, rej)
		}
	}
}

// one reads a file of one data row and returns its case.
func one(t *testing.T, header, line string) *domain.Case {
	t.Helper()
	_, res := readAll(t, header+"\n"+line+"\n", testOpt)
	if res.err != nil || len(res.rejects) > 0 || len(res.recs) != 1 {
		t.Fatalf("want one record, got %d records, rejects %v, error %v", len(res.recs), res.rejects, res.err)
	}
	c := res.recs[0].Case
	if err := c.Validate(domain.DateOf(time.Now().UTC())); err != nil {
		t.Fatalf("returned case is invalid: %v", err)
	}
	if res.recs[0].Row != 2 {
		t.Errorf("Row = %d, want 2", res.recs[0].Row)
	}
	if !strings.HasPrefix(c.SourceKey, testOpt.Source+":") {
		t.Errorf("SourceKey = %q", c.SourceKey)
	}
	return c
}

func checkCase(t *testing.T, got, want *domain.Case) {
	t.Helper()
	g := *got
	g.SourceKey = ""
	if !reflect.DeepEqual(&g, want) {
		t.Errorf("case differs\n got: %+v\n      %+v\nwant: %+v\n      %+v", g.Person, g.Victim, want.Person, want.Victim)
		if !reflect.DeepEqual(g.Events, want.Events) || !reflect.DeepEqual(g.Perpetrators, want.Perpetrators) {
			t.Errorf("parts differ\n got: %v %v\nwant: %v %v", g.Events, g.Perpetrators, want.Events, want.Perpetrators)
		}
		g.Person, g.Victim, g.Events, g.Perpetrators = want.Person, want.Victim, want.Events, want.Perpetrators
		if !reflect.DeepEqual(&g, want) {
			t.Errorf("case fields differ\n got: %+v\nwant: %+v", g, *want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestGlobalMapping(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		want func(c *domain.Case)
	}{
		{"baseline_row_maps_to_the_expected_case", nil, func(*domain.Case) {}},
		{"Hotline_is_a_possible_victim", map[string]string{"Datasource": "Hotline"}, func(c *domain.Case) {
			c.DataSource = "Hotline"
			c.Victim.TraffickingStatus = "PossibleVictimOfTrafficking"
		}},
		{"year_2002_is_kept", map[string]string{"yearOfRegistration": "2002"}, func(c *domain.Case) { c.RegistrationYear = 2002 }},
		{"year_1990_is_the_lower_bound", map[string]string{"yearOfRegistration": "1990"}, func(c *domain.Case) { c.RegistrationYear = 1990 }},
		{"Male_is_Masculine", map[string]string{"gender": "Male"}, func(c *domain.Case) { c.Person.Gender = "Masculine" }},
		{"Unknown_gender_is_NonSpecifiedUnknown", map[string]string{"gender": "Unknown"}, func(c *domain.Case) { c.Person.Gender = "NonSpecifiedUnknown" }},
		{"missing_gender_is_empty", map[string]string{"gender": "-99"}, func(c *domain.Case) { c.Person.Gender = "" }},
		{"lower_case_female_is_normalised", map[string]string{"gender": "female"}, func(*domain.Case) {}},
		{"age_band_48_plus_is_kept", map[string]string{"ageBroad": "48+"}, func(c *domain.Case) { c.Victim.AgeBand = "48+" }},
		{"age_band_Unknown_is_kept", map[string]string{"ageBroad": "Unknown"}, func(c *domain.Case) { c.Victim.AgeBand = "Unknown" }},
		{"missing_age_band_is_empty", map[string]string{"ageBroad": "-99"}, func(c *domain.Case) { c.Victim.AgeBand = "" }},
		{"majority_columns_are_kept", map[string]string{"majorityStatus": "Minor", "majorityStatusAtExploit": "Minor", "majorityEntry": "Unknown"}, func(c *domain.Case) {
			c.Victim.MajorityStatus, c.Victim.MajorityStatusAtExploit, c.Victim.MajorityEntry = "Minor", "Minor", "Unknown"
		}},
		{"missing_majority_is_empty", map[string]string{"majorityStatus": "-99"}, func(c *domain.Case) { c.Victim.MajorityStatus = "" }},
		{"citizenship_ZZ_is_unknown_country", map[string]string{"citizenship": "ZZ"}, func(c *domain.Case) { c.Person.Citizenship = []string{"ZZ"} }},
		{"missing_citizenship_is_empty", map[string]string{"citizenship": "-99"}, func(c *domain.Case) { c.Person.Citizenship = nil }},
		{"empty_citizenship_is_missing", map[string]string{"citizenship": ""}, func(c *domain.Case) { c.Person.Citizenship = nil }},
		{"CTDC_code_Y1_is_Kosovo", map[string]string{"citizenship": "Y1"}, func(c *domain.Case) { c.Person.Citizenship = []string{"XK"} }},
		{"CTDC_code_ZR_is_DR_Congo", map[string]string{"citizenship": "ZR"}, func(c *domain.Case) { c.Person.Citizenship = []string{"CD"} }},
		{"means_of_control_not_specified_adds_nothing", map[string]string{"meansOfControlNotSpecified": "1"}, func(*domain.Case) {}},
		{"means_of_control_0_adds_nothing", map[string]string{"meansOfControlThreats": "0"}, func(*domain.Case) {}},
		{"all_means_of_control_in_column_order", func() map[string]string {
			m := map[string]string{}
			for col := gMeansDebtBondage; col <= gMeansOther; col++ {
				m[globalColumns[col]] = "1"
			}
			return m
		}(), func(c *domain.Case) {
			c.Victim.MethodsOfControl = []string{"DebtBondage", "TakesEarnings", "RestrictsFinancialAccess", "PhysicalThreats",
				"PsychologicalAbuse", "PhysicalAbuse", "SexualAbuse", "FalsePromises", "PsychoactiveSubstance", "RestrictsMovement",
				"RestrictsMedicalCare", "ExcessiveWorkingHours", "ThreatensChildrenFamily", "ThreatsLawEnforcement",
				"WithholdsNecessities", "WithholdsDocuments", "Other"}
		}},
		{"sex_and_labour_adds_both_types", map[string]string{"isSexAndLabour": "1"}, func(c *domain.Case) {
			c.Victim.TypeOfExploitation = []string{"ForcedLabour", "SexualExploitation"}
		}},
		{"sex_and_labour_adds_the_missing_type", map[string]string{"isSexAndLabour": "1", "isSexualExploit": "1"}, func(c *domain.Case) {
			c.Victim.TypeOfExploitation = []string{"SexualExploitation", "ForcedLabour"}
		}},
		{"sex_and_labour_0_adds_nothing", map[string]string{"isSexAndLabour": "0", "isForcedLabour": "1"}, func(c *domain.Case) {
			c.Victim.TypeOfExploitation = []string{"ForcedLabour"}
		}},
		{"all_exploitation_flags_in_column_order", map[string]string{
			"isForcedLabour": "1", "isSexualExploit": "1", "isOtherExploit": "1", "isForcedMarriage": "1", "isForcedMilitary": "1", "isOrganRemoval": "1",
		}, func(c *domain.Case) {
			c.Victim.TypeOfExploitation = []string{"ForcedLabour", "SexualExploitation", "Other", "ForcedMarriage", "ForcedMilitaryByNonStateActors", "OrganRemoval"}
		}},
		{"two_sectors_of_section_A_give_industry_A", map[string]string{"typeOfLabourAgriculture": "1", "typeOfLabourAquafarming": "1"}, func(c *domain.Case) {
			c.Victim.LabourSectors = []string{"Agriculture", "Aquafarming"}
			c.Victim.ForcedLabourIndustry = "A_AgricultureForestryAndFishing"
		}},
		{"sectors_of_two_sections_give_no_industry", map[string]string{"typeOfLabourDomesticWork": "1", "typeOfLabourConstruction": "1"}, func(c *domain.Case) {
			c.Victim.LabourSectors = []string{"Construction", "DomesticWork"}
		}},
		{"a_sector_without_section_gives_no_industry", map[string]string{"typeOfLabourDomesticWork": "1", "typeOfLabourBegging": "1"}, func(c *domain.Case) {
			c.Victim.LabourSectors = []string{"Begging", "DomesticWork"}
		}},
		{"labour_not_specified_adds_nothing", map[string]string{"typeOfLabourNotSpecified": "1"}, func(*domain.Case) {}},
		{"abduction_1_is_true", map[string]string{"isAbduction": "1"}, func(c *domain.Case) { c.Victim.Abduction = ptr(true) }},
		{"abduction_0_is_false", map[string]string{"isAbduction": "0"}, func(c *domain.Case) { c.Victim.Abduction = ptr(false) }},
		{"family_only_is_familial", map[string]string{"RecruiterRelationship": "Family/Relative", "recruiterRelationFamily": "1"}, func(c *domain.Case) {
			c.Victim.RecruiterRelation = []string{"Family"}
			c.Victim.RelationshipToTrafficker = "Familial"
		}},
		{"intimate_partner_only_is_acquainted", map[string]string{"RecruiterRelationship": "Intimate Partner"}, func(c *domain.Case) {
			c.Victim.RecruiterRelation = []string{"IntimatePartner"}
			c.Victim.RelationshipToTrafficker = "Acquainted"
		}},
		{"friend_and_partner_is_acquainted", map[string]string{
			"RecruiterRelationship": "Friend; Intimate Partner", "recruiterRelationFriend": "1", "recruiterRelationIntimatePartner": "1",
			"recruiterRelationFamily": "0", "recruiterRelationOther": "0", "recruiterRelationUnknown": "0",
		}, func(c *domain.Case) {
			c.Victim.RecruiterRelation = []string{"IntimatePartner", "Friend"}
			c.Victim.RelationshipToTrafficker = "Acquainted"
		}},
		{"family_and_friend_has_no_relationship", map[string]string{"RecruiterRelationship": "Family/Relative; Friend"}, func(c *domain.Case) {
			c.Victim.RecruiterRelation = []string{"Friend", "Family"}
		}},
		{"family_and_unknown_has_no_relationship", map[string]string{"RecruiterRelationship": "Family/Relative; Unknown"}, func(c *domain.Case) {
			c.Victim.RecruiterRelation = []string{"Family", "Unknown"}
		}},
		{"other_has_no_relationship", map[string]string{"RecruiterRelationship": "Other"}, func(c *domain.Case) {
			c.Victim.RecruiterRelation = []string{"Other"}
		}},
		{"unknown_flag_without_text_is_unknown", map[string]string{"recruiterRelationUnknown": "1", "recruiterRelationFriend": "0"}, func(c *domain.Case) {
			c.Victim.RecruiterRelation = []string{"Unknown"}
		}},
		{"friend_flag_without_text_is_acquainted", map[string]string{"recruiterRelationFriend": "1"}, func(c *domain.Case) {
			c.Victim.RecruiterRelation = []string{"Friend"}
			c.Victim.RelationshipToTrafficker = "Acquainted"
		}},
		{"country_of_exploitation_is_an_event", map[string]string{"CountryOfExploitation": "US"}, func(c *domain.Case) {
			c.Events = []*domain.Event{{Type: "Exploitation", Country: "US"}}
		}},
		{"unknown_country_of_exploitation_is_an_event_with_ZZ", map[string]string{"CountryOfExploitation": "ZZ"}, func(c *domain.Case) {
			c.Events = []*domain.Event{{Type: "Exploitation", Country: "ZZ"}}
		}},
	}
	// One subtest per flag column with a single value.
	single := func(prefix string, cols []int, values []string, set func(c *domain.Case, v string)) {
		for i, col := range cols {
			v := values[i]
			tests = append(tests, struct {
				name string
				set  map[string]string
				want func(c *domain.Case)
			}{prefix + "_" + globalColumns[col] + "_gives_" + v, map[string]string{globalColumns[col]: "1"}, func(c *domain.Case) { set(c, v) }})
		}
	}
	single("means", []int{gMeansThreats, gMeansThreatOfLawEnforcement, gMeansUsesChildren, gMeansPsychoactiveSubstances, gMeansRestrictsMovement, gMeansDebtBondage},
		[]string{"PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily", "PsychoactiveSubstance", "RestrictsMovement", "DebtBondage"},
		func(c *domain.Case, v string) { c.Victim.MethodsOfControl = []string{v} })
	single("exploitation", []int{gIsForcedLabour, gIsSexualExploit, gIsOtherExploit, gIsForcedMarriage, gIsForcedMilitary, gIsOrganRemoval},
		[]string{"ForcedLabour", "SexualExploitation", "Other", "ForcedMarriage", "ForcedMilitaryByNonStateActors", "OrganRemoval"},
		func(c *domain.Case, v string) { c.Victim.TypeOfExploitation = []string{v} })
	single("sex", []int{gSexProstitution, gSexPornography, gSexRemoteInteractiveServices, gSexPrivateSexualServices},
		[]string{"Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices"},
		func(c *domain.Case, v string) { c.Victim.TypeOfSexExploitation = []string{v} })
	industry := map[string]string{
		"Agriculture": "A_AgricultureForestryAndFishing", "Aquafarming": "A_AgricultureForestryAndFishing",
		"Construction": "F_Construction", "DomesticWork": "T_ActivitiesOfHouseholdsAsEmployers",
		"Hospitality": "I_AccommodationAndFoodServiceActivities", "Manufacturing": "C_Manufacturing",
		"MiningOrDrilling": "B_MiningAndQuarrying", "Peddling": "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
		"Transportation": "H_TransportationAndStorage",
	}
	var labourCols []int
	var sectors []string
	for col := gLabourAgriculture; col <= gLabourOther; col++ {
		labourCols = append(labourCols, col)
		sectors = append(sectors, strings.TrimPrefix(globalColumns[col], "typeOfLabour"))
	}
	single("sector", labourCols, sectors, func(c *domain.Case, v string) {
		c.Victim.LabourSectors = []string{v}
		c.Victim.ForcedLabourIndustry = industry[v]
	})

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := one(t, globalHeader(), globalLine(tt.set))
			want := globalWant()
			tt.want(want)
			checkCase(t, got, want)
		})
	}
}

func TestVPMapping(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		want func(c *domain.Case)
	}{
		{"baseline_row_has_no_perpetrator", nil, func(*domain.Case) {}},
		{"year_band_is_a_registration_period", map[string]string{"yearRegister": "2014-2018"}, func(c *domain.Case) {
			c.RegistrationYear, c.RegistrationPeriod = 0, "2014-2018"
		}},
		{"empty_year_gives_neither_year_nor_period", map[string]string{"yearRegister": ""}, func(c *domain.Case) { c.RegistrationYear = 0 }},
		{"empty_gender_and_majority_are_missing", map[string]string{"gender": "", "majorityStatus": ""}, func(c *domain.Case) {
			c.Person.Gender, c.Victim.MajorityStatus = "", ""
		}},
		{"Male_Minor_are_mapped", map[string]string{"gender": "Male", "majorityStatus": "Minor"}, func(c *domain.Case) {
			c.Person.Gender, c.Victim.MajorityStatus = "Masculine", "Minor"
		}},
		{"both_exploitation_flags", map[string]string{"isSexualExploit": "1"}, func(c *domain.Case) {
			c.Victim.TypeOfExploitation = []string{"ForcedLabour", "SexualExploitation"}
		}},
		{"no_exploitation_flag", map[string]string{"isForcedLabour": ""}, func(c *domain.Case) { c.Victim.TypeOfExploitation = nil }},
		{"zero_is_not_1", map[string]string{"isForcedLabour": "0"}, func(c *domain.Case) { c.Victim.TypeOfExploitation = nil }},
		{"Americas_Oceania_is_AmericasOceania", map[string]string{"UN_COO_Region": "Americas/Oceania", "UN_COE_Region": ""}, func(c *domain.Case) {
			c.Victim.CitizenshipRegion, c.Victim.ExploitationRegion = "AmericasOceania", ""
		}},
		{"all_perpetrator_columns", map[string]string{
			"IP_Exploiter": "1", "IP_Gender": "Female;Male", "IP_ageBroad": "30--38;39--47", "IP_citizen_UNRegion": "Europe;Americas/Oceania",
			"IP_Relation": "StrangerUnknownOther", "IP_PayMoney": "No;Yes", "IP_RecruiterBroker": "1", "IP_TransactionProcess": "1", "IP_ControlAbuseKidnap": "1",
		}, func(c *domain.Case) {
			c.Perpetrators = []*domain.Perpetrator{{
				RoleInProcess: []string{"RecruiterOrIntermediary", "Exploiter"},
				Genders:       []string{"Feminine", "Masculine"}, AgeBands: []string{"30--38", "39--47"},
				CitizenshipRegion: []string{"Europe", "AmericasOceania"}, Relation: []string{"StrangerUnknownOther"},
				VictimPaid: []string{"Yes", "No"}, CTDCRoles: []string{"RecruiterBroker", "Exploiter", "TransactionProcess", "ControlAbuseKidnap"},
			}}
		}},
		{"transaction_role_only_has_no_role_in_process", map[string]string{"IP_TransactionProcess": "1"}, func(c *domain.Case) {
			c.Perpetrators = []*domain.Perpetrator{{CTDCRoles: []string{"TransactionProcess"}}}
		}},
		{"recruiter_is_RecruiterOrIntermediary", map[string]string{"IP_RecruiterBroker": "1", "IP_Relation": "FriendAcquaintance;FamilyIntimatePartner"}, func(c *domain.Case) {
			c.Perpetrators = []*domain.Perpetrator{{
				RoleInProcess: []string{"RecruiterOrIntermediary"}, CTDCRoles: []string{"RecruiterBroker"},
				Relation: []string{"FriendAcquaintance", "FamilyIntimatePartner"},
			}}
		}},
		{"repeated_values_are_dropped", map[string]string{"IP_Gender": "Male;Male; Male"}, func(c *domain.Case) {
			c.Perpetrators = []*domain.Perpetrator{{Genders: []string{"Masculine"}}}
		}},
		// (A row of empty cells only is a blank row: TestVPBlankRows.)
		{"a_row_with_one_cell_is_a_victim_without_other_attributes", map[string]string{
			"yearRegister": "", "gender": "Female", "majorityStatus": "", "isForcedLabour": "", "UN_COO_Region": "", "UN_COE_Region": "",
		}, func(c *domain.Case) {
			*c = domain.Case{Agency: "CTDC", Status: "Active", Person: domain.Person{Gender: "Feminine"}, Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := one(t, vpHeader(), vpLine(tt.set))
			want := vpWant()
			tt.want(want)
			checkCase(t, got, want)
		})
	}
}

// Each bad row sits between two good ones: it is rejected with exactly
// the listed problems, and the good rows are imported untouched.
func TestRowRejects(t *testing.T) {
	nextYear := strconv.Itoa(time.Now().UTC().Year() + 1)
	thisYear := time.Now().UTC().Year()
	long := strings.Repeat("x", 10240)
	type rej = domain.RowError
	tests := []struct {
		name   string
		header string
		good   string
		bad    string
		want   []rej
	}{
		{"too_few_fields_rejects_the_row", globalHeader(), globalLine(nil), "2016,Hotline",
			[]rej{{Row: 3, Column: "gender", Code: "ctdc.field_count", Reason: "has 2 fields; the header has 58: gender and the columns after it have no value"}}},
		// Two files joined together: the second header is one reject
		// that says so (it was one reject per column, 58 lines).
		{"repeated_header_is_one_reject", globalHeader(), globalLine(nil), strings.ReplaceAll(globalHeader(), ",", " , "),
			[]rej{{Row: 3, Code: "ctdc.header_repeated", Reason: "repeats the header line (files joined together?): it is not a case"}}},
		{"vp_repeated_header_is_one_reject", vpHeader(), vpLine(nil), vpHeader(),
			[]rej{{Row: 3, Code: "ctdc.header_repeated", Reason: "repeats the header line (files joined together?): it is not a case"}}},
		{"too_many_fields_rejects_the_row", globalHeader(), globalLine(nil), globalLine(nil) + ",extra",
			[]rej{{Row: 3, Column: "column 59", Value: "extra", Code: "ctdc.field_count", Reason: "has 59 fields; the header has 58"}}},
		{"boolean_2_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"isForcedLabour": "2"}),
			[]rej{{Row: 3, Column: "isForcedLabour", Value: "2", Code: "ctdc.boolean", Reason: `"2" is not a boolean: expected 0, 1 or -99 (missing)`}}},
		{"boolean_yes_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"meansOfControlThreats": "yes"}),
			[]rej{{Row: 3, Column: "meansOfControlThreats", Value: "yes", Code: "ctdc.boolean", Reason: `"yes" is not a boolean: expected 0, 1 or -99 (missing)`}}},
		{"boolean_in_a_not_specified_column_is_checked", globalHeader(), globalLine(nil), globalLine(map[string]string{"typeOfLabourNotSpecified": "true"}),
			[]rej{{Row: 3, Column: "typeOfLabourNotSpecified", Value: "true", Code: "ctdc.boolean", Reason: `"true" is not a boolean: expected 0, 1 or -99 (missing)`}}},
		{"country_XX1_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"citizenship": "XX1"}),
			[]rej{{Row: 3, Column: "citizenship", Value: "XX1", Code: "ctdc.country", Reason: `"XX1" is not an ISO 3166-1 alpha-2 country code (two capital letters such as CD; ZZ = unknown), or -99 when missing`}}},
		{"unknown_lower_case_country_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"CountryOfExploitation": "xq"}),
			[]rej{{Row: 3, Column: "CountryOfExploitation", Value: "xq", Code: "ctdc.country", Reason: `"XQ" is not an ISO 3166-1 alpha-2 country code (two capital letters such as CD; ZZ = unknown), or -99 when missing`}}},
		{"year_20x5_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"yearOfRegistration": "20x5"}),
			[]rej{{Row: 3, Column: "yearOfRegistration", Value: "20x5", Code: "ctdc.year", Reason: `"20x5" is not a year (four digits, e.g. 2016)`}}},
		{"year_1850_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"yearOfRegistration": "1850"}),
			[]rej{{Row: 3, Column: "yearOfRegistration", Value: "1850", Code: "ctdc.year", Reason: "1850 is not between 1990 and " + strconv.Itoa(thisYear)}}},
		{"next_year_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"yearOfRegistration": nextYear}),
			[]rej{{Row: 3, Column: "yearOfRegistration", Value: nextYear, Code: "ctdc.year", Reason: nextYear + " is not between 1990 and " + strconv.Itoa(thisYear)}}},
		{"missing_year_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"yearOfRegistration": "-99"}),
			[]rej{{Row: 3, Column: "yearOfRegistration", Value: "-99", Code: "ctdc.required", Reason: "is required (the year the victim was registered)"}}},
		{"missing_datasource_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"Datasource": ""}),
			[]rej{{Row: 3, Column: "Datasource", Value: "", Code: "ctdc.required", Reason: "is required (Case Management or Hotline)"}}},
		{"unknown_datasource_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"Datasource": "Police"}),
			[]rej{{Row: 3, Column: "Datasource", Value: "Police", Code: "ctdc.value", Reason: `"Police" is not one of: Case Management, Hotline, or -99 when missing`}}},
		{"unknown_age_band_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"ageBroad": "18-20"}),
			[]rej{{Row: 3, Column: "ageBroad", Value: "18-20", Code: "ctdc.value", Reason: `"18-20" is not one of: 0--8, 9--17, 18--20, 21--23, 24--26, 27--29, 30--38, 39--47, 48+, Unknown, or -99 when missing`}}},
		{"unknown_recruiter_relation_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"RecruiterRelationship": "Friend; Enemy"}),
			[]rej{{Row: 3, Column: "RecruiterRelationship", Value: "Friend; Enemy", Code: "ctdc.value", Reason: `"Enemy" (in "Friend; Enemy") is not one of: Intimate Partner, Friend, Family/Relative, Other, Unknown; several values are separated by ";"`}}},
		{"sex_and_labour_contradicting_labour_0_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"isSexAndLabour": "1", "isForcedLabour": "0"}),
			[]rej{{Row: 3, Column: "isSexAndLabour", Value: "1", Code: "ctdc.contradiction", Reason: "is 1 but isForcedLabour is 0 and isSexualExploit is -99"}}},
		{"sex_and_labour_0_contradicting_both_flags_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"isSexAndLabour": "0", "isForcedLabour": "1", "isSexualExploit": "1"}),
			[]rej{{Row: 3, Column: "isSexAndLabour", Value: "0", Code: "ctdc.contradiction", Reason: "is 0 but isForcedLabour and isSexualExploit are both 1"}}},
		{"relation_flag_0_contradicting_text_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"RecruiterRelationship": "Friend", "recruiterRelationFriend": "0"}),
			[]rej{{Row: 3, Column: "recruiterRelationFriend", Value: "0", Code: "ctdc.contradiction", Reason: `is 0 but RecruiterRelationship ("Friend") names Friend`}}},
		{"relation_flag_1_missing_from_text_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"RecruiterRelationship": "Friend", "recruiterRelationOther": "1"}),
			[]rej{{Row: 3, Column: "recruiterRelationOther", Value: "1", Code: "ctdc.contradiction", Reason: `is 1 but RecruiterRelationship ("Friend") does not name Other`}}},
		{"every_problem_of_a_row_is_listed_in_column_order", globalHeader(), globalLine(nil), globalLine(map[string]string{"isOrganRemoval": "x", "gender": "F?", "citizenship": "XX1"}),
			[]rej{
				{Row: 3, Column: "gender", Value: "F?", Code: "ctdc.value", Reason: `"F?" is not one of: Female, Male, Unknown, or -99 when missing`},
				{Row: 3, Column: "citizenship", Value: "XX1", Code: "ctdc.country", Reason: `"XX1" is not an ISO 3166-1 alpha-2 country code (two capital letters such as CD; ZZ = unknown), or -99 when missing`},
				{Row: 3, Column: "isOrganRemoval", Value: "x", Code: "ctdc.boolean", Reason: `"x" is not a boolean: expected 0, 1 or -99 (missing)`},
			}},
		{"script_tag_is_rejected", globalHeader(), globalLine(nil), globalLine(map[string]string{"gender": "<script>alert(1)</script>"}),
			[]rej{{Row: 3, Column: "gender", Value: "<script>alert(1)</script>", Code: "ctdc.value", Reason: `"<script>alert(1)</script>" is not one of: Female, Male, Unknown, or -99 when missing`}}},
		{"NUL_byte_is_rejected_and_escaped", globalHeader(), globalLine(nil), globalLine(map[string]string{"citizenship": "P\x00H"}),
			[]rej{{Row: 3, Column: "citizenship", Value: `P\x00H`, Code: "ctdc.country", Reason: `"P\x00H" is not an ISO 3166-1 alpha-2 country code (two capital letters such as CD; ZZ = unknown), or -99 when missing`}}},
		{"10_KB_cell_is_rejected_and_cut", globalHeader(), globalLine(nil), globalLine(map[string]string{"ageBroad": long}),
			[]rej{{Row: 3, Column: "ageBroad", Value: long[:100] + "… (10240 bytes)", Code: "ctdc.value", Reason: `"` + long[:100] + `… (10240 bytes)" is not one of: 0--8, 9--17, 18--20, 21--23, 24--26, 27--29, 30--38, 39--47, 48+, Unknown, or -99 when missing`}}},
		{"invalid_UTF8_is_rejected_and_escaped", globalHeader(), globalLine(nil), globalLine(map[string]string{"Datasource": "Hot\x81line"}),
			[]rej{{Row: 3, Column: "Datasource", Value: `Hot\x81line`, Code: "ctdc.value", Reason: `"Hot\x81line" is not one of: Case Management, Hotline, or -99 when missing`}}},
		{"bare_quote_is_a_csv_reject", globalHeader(), globalLine(nil), strings.Replace(globalLine(nil), "Case Management", `Case "Management`, 1),
			[]rej{{Row: 3, Code: "ctdc.csv", Reason: `is not valid CSV: a quote (") inside a cell that is not quoted (line 3, character 11); quote the whole cell and double the quote`}}},
		{"text_after_closing_quote_is_a_csv_reject", globalHeader(), globalLine(nil), strings.Replace(globalLine(nil), "Case Management", `"Case Management"x`, 1),
			[]rej{{Row: 3, Code: "ctdc.csv", Reason: `is not valid CSV: a quoted cell is followed by other characters (line 3, character 22)`}}},

		{"VP_year_20x5_is_rejected", vpHeader(), vpLine(nil), vpLine(map[string]string{"yearRegister": "20x5"}),
			[]rej{{Row: 3, Column: "yearRegister", Value: "20x5", Code: "ctdc.year", Reason: `"20x5" is not a year (four digits, e.g. 2016)`}}},
		{"VP_period_ending_next_year_is_rejected", vpHeader(), vpLine(nil), vpLine(map[string]string{"yearRegister": "2020-" + nextYear}),
			[]rej{{Row: 3, Column: "yearRegister", Value: "2020-" + nextYear, Code: "ctdc.year", Reason: `"2020-` + nextYear + `" is not within 1990-` + strconv.Itoa(thisYear)}}},
		{"VP_reversed_period_is_rejected", vpHeader(), vpLine(nil), vpLine(map[string]string{"yearRegister": "2018-2014"}),
			[]rej{{Row: 3, Column: "yearRegister", Value: "2018-2014", Code: "ctdc.year", Reason: `"2018-2014" ends before it starts`}}},
		{"VP_odd_year_text_is_rejected", vpHeader(), vpLine(nil), vpLine(map[string]string{"yearRegister": "2014 to 2018"}),
			[]rej{{Row: 3, Column: "yearRegister", Value: "2014 to 2018", Code: "ctdc.year", Reason: `"2014 to 2018" is not a year (e.g. 2019) or a span of years (e.g. 2014-2018)`}}},
		{"VP_minus_99_is_not_missing", vpHeader(), vpLine(nil), vpLine(map[string]string{"IP_Exploiter": "-99"}),
			[]rej{{Row: 3, Column: "IP_Exploiter", Value: "-99", Code: "ctdc.boolean", Reason: `"-99" is not a valid indicator: expected 1, 0 or empty (this dataset leaves missing values empty)`}}},
		{"VP_indicator_yes_is_rejected", vpHeader(), vpLine(nil), vpLine(map[string]string{"isSexualExploit": "yes"}),
			[]rej{{Row: 3, Column: "isSexualExploit", Value: "yes", Code: "ctdc.boolean", Reason: `"yes" is not a valid indicator: expected 1, 0 or empty`}}},
		{"VP_unknown_region_is_rejected", vpHeader(), vpLine(nil), vpLine(map[string]string{"UN_COE_Region": "Atlantis"}),
			[]rej{{Row: 3, Column: "UN_COE_Region", Value: "Atlantis", Code: "ctdc.value", Reason: `"Atlantis" is not one of: Africa, Americas/Oceania, Asia, Europe, Americas, Oceania, or empty when missing`}}},
		{"VP_unknown_perpetrator_gender_is_rejected", vpHeader(), vpLine(nil), vpLine(map[string]string{"IP_Gender": "Female;<b>"}),
			[]rej{{Row: 3, Column: "IP_Gender", Value: "Female;<b>", Code: "ctdc.value", Reason: `"<b>" (in "Female;<b>") is not one of: Female, Male, Unknown; several values are separated by ";"`}}},
		{"VP_unknown_payment_is_rejected", vpHeader(), vpLine(nil), vpLine(map[string]string{"IP_PayMoney": "Maybe"}),
			[]rej{{Row: 3, Column: "IP_PayMoney", Value: "Maybe", Code: "ctdc.value", Reason: `"Maybe" is not one of: Yes, No, or empty when missing`}}},
		{"VP_too_few_fields_rejects_the_row", vpHeader(), vpLine(nil), "2019,Female",
			[]rej{{Row: 3, Column: "majorityStatus", Code: "ctdc.field_count", Reason: "has 2 fields; the header has 16: majorityStatus and the columns after it have no value"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := tt.header + "\n" + tt.good + "\n" + tt.bad + "\n" + tt.good + "\n"
			r, res := readAll(t, input, testOpt)
			if res.err != nil {
				t.Fatalf("fatal error: %v", res.err)
			}
			if len(res.rejects) != 1 {
				t.Fatalf("got %d rejected rows, want 1: %v", len(res.rejects), res.rejects)
			}
			if !reflect.DeepEqual(res.rejects[0], tt.want) {
				t.Errorf("rejects:\n got %#v\nwant %#v", res.rejects[0], tt.want)
			}
			if len(res.recs) != 2 || res.recs[0].Row != 2 || res.recs[1].Row != 4 {
				t.Fatalf("good rows: got %d records", len(res.recs))
			}
			// Both good rows are identical: same content, occurrences 1 and 2.
			k1, k2 := res.recs[0].Case.SourceKey, res.recs[1].Case.SourceKey
			if !strings.HasSuffix(k1, ":1") || k2 != strings.TrimSuffix(k1, "1")+"2" {
				t.Errorf("source keys of the good rows: %s, %s", k1, k2)
			}
			if r.Rows() != 3 {
				t.Errorf("Rows() = %d, want 3", r.Rows())
			}
		})
	}
}

// A quote left open swallows the rest of the file: that is fatal, and the
// error names the row; the rows before it were returned.
func TestUnclosedQuoteIsFatal(t *testing.T) {
	input := globalHeader() + "\n" + globalLine(nil) + "\n" +
		strings.Replace(globalLine(nil), "Case Management", `"Case Management`, 1) + "\n" + globalLine(nil) + "\n"
	_, res := readAll(t, input, testOpt)
	if len(res.recs) != 1 || len(res.rejects) != 0 {
		t.Fatalf("got %d records and %d rejects, want 1 and 0", len(res.recs), len(res.rejects))
	}
	want := "row 3: a quoted field opened on line 3 is not closed before the end of the file (line 4), so the rows after it cannot be read; fix the quotes and import again"
	// French first, the English beside it.
	if res.err == nil || !strings.HasSuffix(res.err.Error(), " / "+want) || !strings.HasPrefix(res.err.Error(), "ligne 3") || domain.KindOf(res.err) != domain.KindInvalid {
		t.Fatalf("error:\n got %v\nwant %s", res.err, want)
	}
}

// A quote error after a field that legitimately spans two lines: the row
// is rejected and the reader goes on with the next row.
func TestQuoteErrorAfterMultilineFieldIsARowReject(t *testing.T) {
	bad := strings.Replace(globalLine(nil), "Case Management", "\"Case\nManagement\"x", 1)
	input := globalHeader() + "\n" + globalLine(nil) + "\n" + bad + "\n" + globalLine(map[string]string{"gender": "Male"}) + "\n"
	_, res := readAll(t, input, testOpt)
	if res.err != nil || len(res.recs) != 2 || len(res.rejects) != 1 {
		t.Fatalf("got %d records, rejects %v, error %v", len(res.recs), res.rejects, res.err)
	}
	// Rows are numbered as a spreadsheet shows them, as in the HTCDS
	// import: the broken record spans lines 3 and 4 but is row 3, so the
	// next record, on line 5, is row 4.
	if res.recs[1].Row != 4 || res.recs[1].Case.Person.Gender != "Masculine" {
		t.Errorf("row after the reject: %d %+v", res.recs[1].Row, res.recs[1].Case.Person)
	}
	want := []domain.RowError{{Row: 3, Code: "ctdc.csv", Reason: "is not valid CSV: a quoted cell is followed by other characters (line 4, character 11)"}}
	if !reflect.DeepEqual(res.rejects[0], want) {
		t.Errorf("rejects: %#v", res.rejects[0])
	}
}

// A reader that fails in the middle: the error is fatal and says where.
type failingReader struct{ r io.Reader }

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestReadErrorIsFatal(t *testing.T) {
	input := globalHeader() + "\n" + globalLine(nil) + "\n" + globalLine(nil)[:20]
	r, err := NewReader(&failingReader{r: strings.NewReader(input)}, testOpt)
	if err != nil {
		t.Fatal(err)
	}
	if rec, _, err := r.Next(); rec == nil || err != nil {
		t.Fatalf("first row: %v %v", rec, err)
	}
	_, _, err = r.Next()
	if err == nil || !strings.Contains(err.Error(), "cannot read the CTDC file after line 2") || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("error = %v", err)
	}
	if _, _, again := r.Next(); again != err {
		t.Fatalf("the error is not sticky: %v", again)
	}
}

func TestLineEndsBOMAndBlankLines(t *testing.T) {
	lf := vpHeader() + "\n" + vpLine(nil) + "\n" + vpLine(map[string]string{"gender": "Male"}) + "\n"
	_, base := readAll(t, lf, testOpt)
	if len(base.recs) != 2 {
		t.Fatalf("LF file: %d records, %v", len(base.recs), base.rejects)
	}
	tests := []struct {
		name  string
		input string
		rows  []int
	}{
		{"LF_without_final_newline", strings.TrimSuffix(lf, "\n"), []int{2, 3}},
		{"CRLF", strings.ReplaceAll(lf, "\n", "\r\n"), []int{2, 3}},
		{"BOM_and_CRLF", "\uFEFF" + strings.ReplaceAll(lf, "\n", "\r\n"), []int{2, 3}},
		{"BOM", "\uFEFF" + lf, []int{2, 3}},
		{"trailing_empty_lines", lf + "\n\n\r\n", []int{2, 3}},
		{"blank_line_inside_keeps_file_line_numbers", strings.Replace(lf, "\n", "\n\n", 2), []int{3, 5}},
		// A spreadsheet's trailing separators: unnamed empty columns at
		// the end of the header (the file was refused as a whole), on
		// every line or on the header alone. Same cases, same keys.
		{"trailing_separators_on_every_line", strings.ReplaceAll(lf, "\n", ",,\n"), []int{2, 3}},
		{"trailing_separator_on_the_header_only", strings.Replace(lf, "\n", ",\n", 1), []int{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, res := readAll(t, tt.input, testOpt)
			if res.err != nil || len(res.rejects) != 0 || len(res.recs) != 2 {
				t.Fatalf("got %d records, rejects %v, error %v", len(res.recs), res.rejects, res.err)
			}
			for i, rec := range res.recs {
				if rec.Row != tt.rows[i] {
					t.Errorf("record %d: Row %d, want %d", i, rec.Row, tt.rows[i])
				}
				if !reflect.DeepEqual(rec.Case, base.recs[i].Case) {
					t.Errorf("record %d differs from the LF file's: %+v", i, rec.Case)
				}
			}
		})
	}
}

func TestEmptyInputs(t *testing.T) {
	if _, err := NewReader(strings.NewReader(""), testOpt); err == nil || domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("empty file: %v", err)
	}
	if _, err := NewReader(strings.NewReader("\uFEFF"), testOpt); err == nil {
		t.Errorf("BOM only: no error")
	}
	r, res := readAll(t, vpHeader()+"\n", testOpt)
	if len(res.recs)+len(res.rejects) != 0 || res.err != nil || r.Format() != FormatVPSynthetic {
		t.Errorf("header only: %+v", res)
	}
	if _, _, err := r.Next(); err != io.EOF {
		t.Errorf("Next after EOF: %v", err)
	}
}

func TestFormatDetection(t *testing.T) {
	for _, tt := range []struct {
		name   string
		header string
		want   Format
	}{
		{"global_header", globalHeader(), FormatGlobal2017},
		{"vp_header", vpHeader(), FormatVPSynthetic},
		{"spaces_around_names_are_ignored", strings.ReplaceAll(vpHeader(), ",", " , "), FormatVPSynthetic},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.header+"\n"), testOpt)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format() != tt.want {
				t.Errorf("Format() = %s, want %s", r.Format(), tt.want)
			}
		})
	}
}

func TestHeaderErrors(t *testing.T) {
	cols := func(f func([]string) []string) string {
		return strings.Join(f(slices.Clone(globalColumns[:])), ",")
	}
	expected := "; expected header: " + globalHeader()
	prefix := "the header does not match the CTDC Global Dataset 2017 (format global2017): "
	tests := []struct {
		name   string
		header string
		want   string
		codes  []string
	}{
		{"missing_column_is_named", cols(func(c []string) []string { return slices.Delete(c, 6, 7) }),
			prefix + `line 1: column "majorityEntry" is missing (expected as column 7)` + expected,
			[]string{"ctdc.missing_column", "ctdc.expected_header"}},
		{"misspelt_column_gets_a_suggestion", cols(func(c []string) []string { c[7] = "citizenshp"; return c }),
			prefix + `line 1: column 8 "citizenshp" is not a CTDC column; did you mean "citizenship"?` + expected,
			[]string{"ctdc.unknown_column", "ctdc.expected_header"}},
		{"wrong_case_gets_a_suggestion", cols(func(c []string) []string { c[1] = "DataSource"; return c }),
			prefix + `line 1: column 2 "DataSource" is not a CTDC column; did you mean "Datasource"? (column names are case-sensitive)` + expected,
			[]string{"ctdc.unknown_column", "ctdc.expected_header"}},
		{"extra_column_is_named", cols(func(c []string) []string { return append(c, "notes") }),
			prefix + `line 1: column 59 "notes" is not a CTDC column` + expected,
			[]string{"ctdc.unknown_column", "ctdc.expected_header"}},
		{"duplicate_column_is_named", cols(func(c []string) []string { return append(c, "gender") }),
			prefix + `line 1: column 59 "gender" repeats column 3` + expected,
			[]string{"ctdc.duplicate_column", "ctdc.expected_header"}},
		{"column_of_the_other_dataset_is_named", cols(func(c []string) []string { return append(c, "IP_Gender") }),
			prefix + `line 1: column 59 "IP_Gender" is a column of the CTDC victim–perpetrator synthetic dataset, not of the CTDC Global Dataset 2017` + expected,
			[]string{"ctdc.unknown_column", "ctdc.expected_header"}},
		{"several_problems_are_all_named", cols(func(c []string) []string {
			c[2] = "gendre"
			return append(slices.Delete(c, 57, 58), "citizenship")
		}),
			prefix + `line 1: column 58 "citizenship" repeats column 8; line 1: column 3 "gendre" is not a CTDC column; did you mean "gender"?; line 1: column "recruiterRelationUnknown" is missing (expected as column 58)` + expected,
			[]string{"ctdc.duplicate_column", "ctdc.unknown_column", "ctdc.missing_column", "ctdc.expected_header"}},
		{"unrelated_header_is_not_CTDC", "name,age,city",
			"the first line is not a CTDC header: it has none of the columns of the known CTDC datasets: expected header: " + globalHeader() + " (CTDC Global Dataset 2017); expected header: " + vpHeader() + " (CTDC victim–perpetrator synthetic dataset)",
			[]string{"ctdc.expected_header", "ctdc.expected_header"}},
		{"hostile_header_name_is_escaped", strings.Replace(vpHeader(), "gender", "gen\x00<script>", 1),
			`the header does not match the CTDC victim–perpetrator synthetic dataset (format vpsynthetic): line 1: column 2 "gen\x00<script>" is not a CTDC column; line 1: column "gender" is missing (expected as column 2); expected header: ` + vpHeader(),
			[]string{"ctdc.unknown_column", "ctdc.missing_column", "ctdc.expected_header"}},
	}
	many := vpHeader()
	for i := range 30 {
		many += ",extra" + strconv.Itoa(i)
	}
	tests = append(tests, struct {
		name   string
		header string
		want   string
		codes  []string
	}{"many_problems_are_cut_at_20", many,
		"the header does not match the CTDC victim–perpetrator synthetic dataset (format vpsynthetic): line 1: column 17 \"extra0\" is not a CTDC column; " +
			func() string {
				var b []string
				for i := 1; i < 20; i++ {
					b = append(b, "line 1: column "+strconv.Itoa(17+i)+` "extra`+strconv.Itoa(i)+`" is not a CTDC column`)
				}
				return strings.Join(b, "; ")
			}() + "; line 1: and 10 more problems; expected header: " + vpHeader(),
		append(slices.Repeat([]string{"ctdc.unknown_column"}, 20), "ctdc.more_problems", "ctdc.expected_header")})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tt.header+"\n"+"1,2,3\n"), testOpt)
			var de *domain.Error
			if !errors.As(err, &de) || de.Kind != domain.KindInvalid {
				t.Fatalf("want a *domain.Error of KindInvalid, got %T %v", err, err)
			}
			// French first, then the English that is checked here.
			if fr, en, ok := strings.Cut(err.Error(), " / "); !ok || en != tt.want || !strings.HasPrefix(fr, "l") {
				t.Errorf("error:\n got %s\nwant … / %s", err, tt.want)
			}
			var codes []string
			for _, f := range de.Fields {
				codes = append(codes, f.Code)
			}
			if !slices.Equal(codes, tt.codes) {
				t.Errorf("codes = %v, want %v", codes, tt.codes)
			}
		})
	}
}

func TestOptionsAreChecked(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  Options
		want string
	}{
		{"missing_agency_is_rejected", Options{Source: "x"}, `invalid CTDC import options: agency: "" must be 2 to 10 capital letters or digits (e.g. CTDC)`},
		{"lower_case_agency_is_rejected", Options{Agency: "ctdc", Source: "x"}, `invalid CTDC import options: agency: "ctdc" must be 2 to 10 capital letters or digits (e.g. CTDC)`},
		{"missing_source_is_rejected", Options{Agency: "CTDC"}, "invalid CTDC import options: source: is required (e.g. the file's base name): it prefixes the source keys"},
		{"long_source_is_rejected", Options{Agency: "CTDC", Source: strings.Repeat("a", 161)}, "invalid CTDC import options: source: is longer than 160 characters"},
		{"control_character_in_source_is_rejected", Options{Agency: "CTDC", Source: "a\nb"}, "invalid CTDC import options: source: must be UTF-8 text without control characters"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(vpHeader()+"\n"), tt.opt)
			if err == nil || err.Error() != tt.want || domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
	// The longest source still gives valid keys.
	_, res := readAll(t, vpHeader()+"\n"+vpLine(nil)+"\n", Options{Agency: "CTDC", Source: strings.Repeat("é", 160)})
	if len(res.recs) != 1 {
		t.Fatalf("longest source: %v", res.rejects)
	}
}

func TestSourceKeys(t *testing.T) {
	a, b := vpLine(nil), vpLine(map[string]string{"gender": "Male"})
	input := vpHeader() + "\n" + a + "\n" + b + "\n" + a + "\n" + a + "\n"
	keys := func(input string, opt Options) []string {
		_, res := readAll(t, input, opt)
		var out []string
		for _, r := range res.recs {
			out = append(out, r.Case.SourceKey)
		}
		return out
	}
	k := keys(input, testOpt)
	if len(k) != 4 {
		t.Fatalf("%d keys", len(k))
	}
	t.Run("same_file_read_twice_gives_identical_keys", func(t *testing.T) {
		if again := keys(input, testOpt); !slices.Equal(k, again) {
			t.Errorf("%v != %v", k, again)
		}
	})
	t.Run("identical_rows_get_distinct_keys_numbered_by_occurrence", func(t *testing.T) {
		hash := strings.TrimSuffix(k[0], ":1")
		want := []string{hash + ":1", "", hash + ":2", hash + ":3"}
		for i, w := range want {
			if w != "" && k[i] != w {
				t.Errorf("key %d = %s, want %s", i, k[i], w)
			}
		}
		if strings.HasPrefix(k[1], hash) || !strings.HasSuffix(k[1], ":1") {
			t.Errorf("key of the different row = %s", k[1])
		}
	})
	t.Run("key_is_source_sha256_prefix_and_occurrence", func(t *testing.T) {
		// yearRegister…IP_ControlAbuseKidnap joined by U+001F.
		fields := []string{"2019", "Female", "Adult", "1", "", "Europe", "Asia", "", "", "", "", "", "", "", "", ""}
		want := "test.csv:" + sha16(strings.Join(fields, "\x1f")) + ":1"
		if k[0] != want {
			t.Errorf("key = %s, want %s", k[0], want)
		}
	})
	t.Run("rejected_rows_do_not_shift_occurrences", func(t *testing.T) {
		bad := vpLine(map[string]string{"gender": "??"})
		got := keys(vpHeader()+"\n"+bad+"\n"+a+"\n"+bad+"\n"+a+"\n", testOpt)
		if !slices.Equal(got, []string{k[0], k[2]}) {
			t.Errorf("%v", got)
		}
	})
	t.Run("reordered_columns_give_the_same_keys", func(t *testing.T) {
		rev := func(line string) string {
			f, _ := csv.NewReader(strings.NewReader(line)).Read()
			slices.Reverse(f)
			return csvLine(f)
		}
		got := keys(rev(vpHeader())+"\n"+rev(a)+"\n"+rev(b)+"\n"+rev(a)+"\n"+rev(a)+"\n", testOpt)
		if !slices.Equal(got, k) {
			t.Errorf("%v != %v", got, k)
		}
	})
	t.Run("another_source_changes_only_the_prefix", func(t *testing.T) {
		got := keys(input, Options{Agency: "CTDC", Source: "other.csv"})
		for i := range got {
			if strings.TrimPrefix(got[i], "other.csv") != strings.TrimPrefix(k[i], "test.csv") {
				t.Errorf("%s vs %s", got[i], k[i])
			}
		}
	})
}

// Validation problems are reported on the CTDC column that fed the field.
func TestFieldErrorsNameTheColumn(t *testing.T) {
	rec := strings.Split(strings.ReplaceAll(globalLine(map[string]string{"CountryOfExploitation": "US"}), `"`, ""), ",")
	pos := make([]int, len(globalColumns))
	for i := range pos {
		pos[i] = i
	}
	s := &rowState{spec: globalSpec, pos: pos, row: 7, rec: rec, raw: rec}
	s.addFieldError(domain.FieldError{Field: "events[0].hte_Country", Code: "validation.country", Message: "bad"})
	s.addFieldError(domain.FieldError{Field: "vig_SourceKey", Code: "validation.too_long", Message: "too long"})
	want := []domain.RowError{
		{Row: 7, Column: "CountryOfExploitation", Value: "US", Code: "validation.country", Reason: "bad"},
		{Row: 7, Column: "vig_SourceKey", Code: "validation.too_long", Reason: "too long"},
	}
	if got := s.rejects(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v", got)
	}
	// Every field named in the tables is one Validate can report.
	for _, spec := range specs {
		for f, col := range spec.fields {
			if col < 0 || col >= len(spec.columns) || f == "" {
				t.Errorf("%s: bad field entry %q", spec.format, f)
			}
		}
	}
}

func TestColumnTables(t *testing.T) {
	for _, spec := range specs {
		seen := map[string]bool{}
		for i, c := range spec.columns {
			if c == "" || seen[c] {
				t.Errorf("%s: column %d is %q", spec.format, i, c)
			}
			seen[c] = true
		}
	}
	if got := strings.Join(globalColumns[:], ","); !strings.HasPrefix(got, "yearOfRegistration,Datasource,gender,ageBroad,majorityStatus,majorityStatusAtExploit,majorityEntry,citizenship,meansOfControlDebtBondage,") || !strings.HasSuffix(got, ",recruiterRelationOther,recruiterRelationUnknown") {
		t.Errorf("global columns: %s", got)
	}
}

func TestClip(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Female", "Female"},
		{"a\x00b", `a\x00b`},
		{"\xff", `\xff`},
		{"tab\there", `tab\there`},
		{"é" + strings.Repeat("é", 150), strings.Repeat("é", 100) + "… (302 bytes)"},
		{`quote"d`, `quote"d`},
	} {
		if got := clip(tt.in); got != tt.want {
			t.Errorf("clip(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func sha16(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// TestValueInUnnamedColumn: a header may end with unnamed columns, whose
// cells must then be empty; a row with a value there is rejected, naming
// the column and its value, and the others are read.
func TestValueInUnnamedColumn(t *testing.T) {
	input := vpHeader() + ",,\n" + vpLine(nil) + ",,\n" + vpLine(nil) + ",,lost\n" + vpLine(nil) + ",,,\n"
	_, res := readAll(t, input, testOpt)
	if res.err != nil || len(res.recs) != 1 || len(res.rejects) != 2 {
		t.Fatalf("got %d records, rejects %v, error %v", len(res.recs), res.rejects, res.err)
	}
	got := res.rejects[0][0]
	if got.Row != 3 || got.Code != "ctdc.field_count" || got.Column != "column 18" || got.Value != "lost" || !strings.Contains(got.Reason, "no name in the header") {
		t.Errorf("reject %+v", got)
	}
	if got := res.rejects[1][0]; got.Row != 4 || got.Code != "ctdc.field_count" || !strings.Contains(got.Reason, "the header has 16") {
		t.Errorf("a row longer than the header: %+v", got)
	}
}

// TestVPBlankRows: rows of separators only, which a spreadsheet leaves
// after the data, are blank rows in the victim–perpetrator dataset too:
// each was imported as a victim of whom nothing is known.
func TestVPBlankRows(t *testing.T) {
	empty := strings.Repeat(",", strings.Count(vpHeader(), ","))
	data := vpHeader() + "\n" + vpLine(map[string]string{}) + "\n" + empty + "\n" + empty + "\n\n" + empty + "\n"
	r, err := NewReader(strings.NewReader(data), testOpt)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		rec, rej, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil || len(rej) > 0 {
			t.Fatalf("%v %v", rej, err)
		}
		if rec != nil {
			n++
		}
	}
	if n != 1 || r.Blank() != 4 {
		t.Fatalf("%d records, %d blank rows; want 1 and 4", n, r.Blank())
	}
}

// TestWindows1252Cells: a CTDC file saved by Excel in Windows-1252 (its
// "CSV" without UTF-8) reads as the UTF-8 file: a value followed by a
// no-break space (0xA0) was rejected ("Hotline\xa0" is not one of…).
func TestWindows1252Cells(t *testing.T) {
	utf := vpHeader() + "\n" + vpLine(map[string]string{"gender": "Female\u00a0"}) + "\n"
	cp := strings.Replace(utf, "\u00a0", "\xa0", 1)
	for name, data := range map[string]string{"UTF-8": utf, "Windows-1252": cp} {
		r, err := NewReader(strings.NewReader(data), testOpt)
		if err != nil {
			t.Fatal(err)
		}
		rec, rej, err := r.Next()
		if err != nil || len(rej) > 0 || rec == nil || rec.Case.Person.Gender != "Feminine" {
			t.Fatalf("%s: %+v %v %v", name, rec, rej, err)
		}
	}
}
