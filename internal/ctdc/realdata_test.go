// SPDX-License-Identifier: AGPL-3.0-or-later

package ctdc

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
)

// The CTDC files live in the shared folder beside the repository; they are
// never copied into it (see shared/data/ctdc/SOURCE.md for the terms).
const sharedCTDC = "../../../shared/data/ctdc/"

const (
	globalFile = "The Global Dataset 27 Nov 2017_0 - recovered.csv"
	vpFile     = "CTDC_VPsynthetic_condensed.csv"
)

// sharedFile returns the bytes of a shared CTDC file. When it is absent
// the test is skipped, except in CI (CI=true), where it fails.
func sharedFile(tb testing.TB, name string) []byte {
	tb.Helper()
	path := filepath.Join(sharedCTDC, name)
	b, err := os.ReadFile(path)
	if err != nil {
		msg := "CTDC data file not available: " + path + " (" + err.Error() + "); the shared folder must sit beside the repository as ../shared"
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return b
}

// rawColumns reads a CSV file with encoding/csv alone: the header and the
// cells by column name, for counting the input independently of Reader.
func rawColumns(t *testing.T, b []byte) (map[string][]string, int) {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(b))
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string][]string{}
	for i, h := range recs[0] {
		for _, r := range recs[1:] {
			cols[h] = append(cols[h], r[i])
		}
	}
	return cols, len(recs) - 1
}

type counter map[string]int

func (c counter) add(k string) { c[k]++ }

func countRaw(vals []string, f func(string) string) counter {
	c := counter{}
	for _, v := range vals {
		c.add(f(v))
	}
	return c
}

func same(s string) string { return s }

// readFile imports a whole file and logs the rejects by code and column.
func readFile(t *testing.T, b []byte, opt Options) ([]*Record, [][]domain.RowError) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), opt)
	if err != nil {
		t.Fatal(err)
	}
	var recs []*Record
	var rejects [][]domain.RowError
	for {
		rec, rej, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("fatal error after %d rows: %v", r.Rows(), err)
		}
		if rec != nil {
			recs = append(recs, rec)
		} else {
			rejects = append(rejects, rej)
		}
	}
	why := counter{}
	for _, rej := range rejects {
		for _, e := range rej {
			why.add(e.Code + " " + e.Column + ": " + e.Reason)
		}
	}
	t.Logf("%d rows imported, %d rejected", len(recs), len(rejects))
	for k, n := range why {
		t.Logf("  rejected %d× %s", n, k)
	}
	return recs, rejects
}

func checkCounts(t *testing.T, what string, got, want counter) {
	t.Helper()
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	for k := range keys {
		if got[k] != want[k] {
			t.Errorf("%s %q: got %d, want %d", what, k, got[k], want[k])
		}
	}
}

func TestGlobal2017File(t *testing.T) {
	b := sharedFile(t, globalFile)
	recs, rejects := readFile(t, b, Options{Agency: "CTDC", Source: globalFile})
	raw, n := rawColumns(t, b)
	if n != 47102 {
		t.Fatalf("the file has %d data rows, want 47,102 (see STATS.md)", n)
	}
	if len(recs)+len(rejects) != n {
		t.Fatalf("imported %d + rejected %d != %d rows", len(recs), len(rejects), n)
	}
	// Every row of this release is valid: the mapping must not reject any.
	if len(rejects) != 0 {
		t.Fatalf("%d real rows rejected; first: %v", len(rejects), rejects[0])
	}
	today := domain.DateOf(time.Now().UTC())
	got := map[string]counter{}
	count := func(what, k string) {
		if got[what] == nil {
			got[what] = counter{}
		}
		got[what].add(k)
	}
	keys := map[string]bool{}
	for _, r := range recs {
		c := r.Case
		if err := c.Validate(today); err != nil {
			t.Fatalf("row %d: %v", r.Row, err)
		}
		if keys[c.SourceKey] {
			t.Fatalf("row %d: source key %s repeats", r.Row, c.SourceKey)
		}
		keys[c.SourceKey] = true
		count("year", itoa(c.RegistrationYear))
		count("source", c.DataSource)
		count("status", c.Victim.TraffickingStatus)
		count("gender", c.Person.Gender)
		count("age", c.Victim.AgeBand)
		count("majority", c.Victim.MajorityStatus)
		count("majorityAtExploit", c.Victim.MajorityStatusAtExploit)
		count("majorityEntry", c.Victim.MajorityEntry)
		count("citizenship", strings.Join(c.Person.Citizenship, ","))
		count("coe", strings.Join(c.ExploitationCountries(), ","))
		for _, v := range c.Victim.MethodsOfControl {
			count("control", v)
		}
		for _, v := range c.Victim.TypeOfExploitation {
			count("exploitation", v)
		}
		for _, v := range c.Victim.LabourSectors {
			count("sector", v)
		}
		count("industry", c.Victim.ForcedLabourIndustry)
		for _, v := range c.Victim.TypeOfSexExploitation {
			count("sex", v)
		}
		ab := "nil"
		if c.Victim.Abduction != nil {
			ab = strconv.Itoa(btoi(*c.Victim.Abduction))
		}
		count("abduction", ab)
		for _, v := range c.Victim.RecruiterRelation {
			count("relation", v)
		}
		count("relationship", c.Victim.RelationshipToTrafficker)
	}

	// Figures published in STATS.md.
	checkCounts(t, "yearOfRegistration", got["year"], counter{
		"2002": 1116, "2003": 379, "2004": 250, "2005": 1617, "2006": 1534, "2007": 1469, "2008": 828, "2009": 792,
		"2010": 1521, "2011": 1823, "2012": 1395, "2013": 2113, "2014": 3129, "2015": 6739, "2016": 18813, "2017": 3584,
	})
	checkCounts(t, "Datasource", got["source"], counter{"CaseManagement": 36290, "Hotline": 10812})
	checkCounts(t, "trafficking status", got["status"], counter{"ActualVictimOfTrafficking": 36290, "PossibleVictimOfTrafficking": 10812})
	checkCounts(t, "gender", got["gender"], counter{"Feminine": 33850, "Masculine": 12997, "NonSpecifiedUnknown": 255})
	checkCounts(t, "exploitation", got["exploitation"], counter{
		"SexualExploitation": 12904, "ForcedLabour": 9004, "Other": 7782, "ForcedMarriage": 141,
	})
	checkCounts(t, "majorityStatus", got["majority"], counter{"Adult": 25230, "Minor": 8447, "Unknown": 1606, "": 11819})

	// Every column, counted in the raw input with the mapping spelled out
	// here independently of the package's tables.
	col := func(name string) []string { return raw[name] }
	miss := func(f func(string) string) func(string) string {
		return func(v string) string {
			if v == "-99" {
				return ""
			}
			return f(v)
		}
	}
	gender := map[string]string{"Female": "Feminine", "Male": "Masculine", "Unknown": "NonSpecifiedUnknown"}
	checkCounts(t, "gender (raw)", got["gender"], countRaw(col("gender"), miss(func(v string) string { return gender[v] })))
	checkCounts(t, "ageBroad", got["age"], countRaw(col("ageBroad"), miss(same)))
	checkCounts(t, "majorityStatusAtExploit", got["majorityAtExploit"], countRaw(col("majorityStatusAtExploit"), miss(same)))
	checkCounts(t, "majorityEntry", got["majorityEntry"], countRaw(col("majorityEntry"), miss(same)))
	checkCounts(t, "citizenship", got["citizenship"], countRaw(col("citizenship"), miss(same)))
	checkCounts(t, "CountryOfExploitation", got["coe"], countRaw(col("CountryOfExploitation"), miss(same)))

	ones := func(cols map[string]string) counter {
		c := counter{}
		for name, v := range cols {
			for _, x := range col(name) {
				if x == "1" {
					c.add(v)
				}
			}
		}
		return c
	}
	checkCounts(t, "meansOfControl", got["control"], ones(map[string]string{
		"meansOfControlDebtBondage": "DebtBondage", "meansOfControlTakesEarnings": "TakesEarnings",
		"meansOfControlRestrictsFinancialAccess": "RestrictsFinancialAccess", "meansOfControlThreats": "PhysicalThreats",
		"meansOfControlPsychologicalAbuse": "PsychologicalAbuse", "meansOfControlPhysicalAbuse": "PhysicalAbuse",
		"meansOfControlSexualAbuse": "SexualAbuse", "meansOfControlFalsePromises": "FalsePromises",
		"meansOfControlPsychoactiveSubstances": "PsychoactiveSubstance", "meansOfControlRestrictsMovement": "RestrictsMovement",
		"meansOfControlRestrictsMedicalCare": "RestrictsMedicalCare", "meansOfControlExcessiveWorkingHours": "ExcessiveWorkingHours",
		"meansOfControlUsesChildren": "ThreatensChildrenFamily", "meansOfControlThreatOfLawEnforcement": "ThreatsLawEnforcement",
		"meansOfControlWithholdsNecessities": "WithholdsNecessities", "meansOfControlWithholdsDocuments": "WithholdsDocuments",
		"meansOfControlOther": "Other",
	}))
	checkCounts(t, "exploitation (raw)", got["exploitation"], ones(map[string]string{
		"isForcedLabour": "ForcedLabour", "isSexualExploit": "SexualExploitation", "isOtherExploit": "Other",
		"isForcedMarriage": "ForcedMarriage", "isForcedMilitary": "ForcedMilitaryByNonStateActors", "isOrganRemoval": "OrganRemoval",
	}))
	checkCounts(t, "typeOfLabour", got["sector"], ones(map[string]string{
		"typeOfLabourAgriculture": "Agriculture", "typeOfLabourAquafarming": "Aquafarming", "typeOfLabourBegging": "Begging",
		"typeOfLabourConstruction": "Construction", "typeOfLabourDomesticWork": "DomesticWork", "typeOfLabourHospitality": "Hospitality",
		"typeOfLabourIllicitActivities": "IllicitActivities", "typeOfLabourManufacturing": "Manufacturing",
		"typeOfLabourMiningOrDrilling": "MiningOrDrilling", "typeOfLabourPeddling": "Peddling",
		"typeOfLabourTransportation": "Transportation", "typeOfLabourOther": "Other",
	}))
	checkCounts(t, "typeOfSex", got["sex"], ones(map[string]string{
		"typeOfSexProstitution": "Prostitution", "typeOfSexPornography": "Pornography",
		"typeOfSexRemoteInteractiveServices": "RemoteInteractiveServices", "typeOfSexPrivateSexualServices": "PrivateSexualServices",
	}))
	checkCounts(t, "recruiterRelation", got["relation"], ones(map[string]string{
		"recruiterRelationIntimatePartner": "IntimatePartner", "recruiterRelationFriend": "Friend",
		"recruiterRelationFamily": "Family", "recruiterRelationOther": "Other", "recruiterRelationUnknown": "Unknown",
	}))
	checkCounts(t, "isAbduction", got["abduction"], countRaw(col("isAbduction"), func(v string) string {
		if v == "-99" {
			return "nil"
		}
		return v
	}))
	// Single-sector rows give the industry; STATS.md: domestic work 2,590 in all.
	if n := got["industry"]["T_ActivitiesOfHouseholdsAsEmployers"]; n == 0 || n > 2590 {
		t.Errorf("domestic-work industry on %d cases, want 1..2590", n)
	}
	t.Logf("relationship to trafficker: %v", got["relationship"])
	t.Logf("forced-labour industry: %v", got["industry"])
}

func TestVPSyntheticFile(t *testing.T) {
	b := sharedFile(t, vpFile)
	recs, rejects := readFile(t, b, Options{Agency: "CTDC", Source: vpFile})
	raw, n := rawColumns(t, b)
	if n != 21195 {
		t.Fatalf("the file has %d data rows, want 21,195 (see STATS.md)", n)
	}
	if len(recs)+len(rejects) != n {
		t.Fatalf("imported %d + rejected %d != %d rows", len(recs), len(rejects), n)
	}
	if len(rejects) != 0 {
		t.Fatalf("%d real rows rejected; first: %v", len(rejects), rejects[0])
	}
	got := map[string]counter{}
	count := func(what, k string) {
		if got[what] == nil {
			got[what] = counter{}
		}
		got[what].add(k)
	}
	keys := map[string]bool{}
	for _, r := range recs {
		c := r.Case
		if keys[c.SourceKey] {
			t.Fatalf("row %d: source key %s repeats", r.Row, c.SourceKey)
		}
		keys[c.SourceKey] = true
		year := c.RegistrationPeriod
		if c.RegistrationYear != 0 {
			year = itoa(c.RegistrationYear)
		}
		count("year", year)
		count("gender", c.Person.Gender)
		count("majority", c.Victim.MajorityStatus)
		count("coo", c.Victim.CitizenshipRegion)
		count("coe", c.Victim.ExploitationRegion)
		count("status", c.Victim.TraffickingStatus)
		for _, v := range c.Victim.TypeOfExploitation {
			count("exploitation", v)
		}
		if len(c.Perpetrators) == 0 {
			count("perpetrators", "none")
			continue
		}
		p := c.Perpetrators[0]
		count("perpetrators", "one")
		count("ipGender", strings.Join(p.Genders, ";"))
		count("ipAge", strings.Join(p.AgeBands, ";"))
		count("ipRegion", strings.Join(slices.Sorted(slices.Values(p.CitizenshipRegion)), ";"))
		count("ipRelation", strings.Join(p.Relation, ";"))
		count("ipPay", strings.Join(p.VictimPaid, ";"))
		for _, v := range p.CTDCRoles {
			count("role", v)
		}
		for _, v := range p.RoleInProcess {
			count("roleInProcess", v)
		}
	}
	// Figures published in STATS.md.
	checkCounts(t, "yearRegister", got["year"], counter{
		"2005-2013": 2531, "2014-2018": 6274, "2019": 2398, "2020": 2002, "2021-2022": 4335, "": 3655,
	})
	checkCounts(t, "gender", got["gender"], counter{"Feminine": 9589, "Masculine": 7995, "": 3611})
	checkCounts(t, "majorityStatus", got["majority"], counter{"Adult": 16379, "Minor": 1212, "": 3604})
	checkCounts(t, "UN_COO_Region", got["coo"], counter{"Asia": 6139, "Europe": 5887, "Africa": 5282, "AmericasOceania": 277, "": 3610})
	checkCounts(t, "trafficking status", got["status"], counter{"ActualVictimOfTrafficking": n})

	// The perpetrator columns, counted in the raw input.
	hasIP := 0
	for i := 0; i < n; i++ {
		for h, vals := range raw {
			if strings.HasPrefix(h, "IP_") && vals[i] != "" {
				hasIP++
				break
			}
		}
	}
	checkCounts(t, "perpetrators", got["perpetrators"], counter{"one": hasIP, "none": n - hasIP})
	// IP_Gender in STATS.md: Male 9,820, Female 3,515, both 2,452, missing
	// 5,408 — of which the rows with another IP_ column count here as "".
	ipGender := got["ipGender"]
	checkCounts(t, "IP_Gender", counter{"Masculine": ipGender["Masculine"], "Feminine": ipGender["Feminine"], "Feminine;Masculine": ipGender["Feminine;Masculine"]},
		counter{"Masculine": 9820, "Feminine": 3515, "Feminine;Masculine": 2452})
	if ipGender[""] != 5408-(n-hasIP) {
		t.Errorf("perpetrators without gender: %d, want %d", ipGender[""], 5408-(n-hasIP))
	}
	ones := func(name string) int {
		k := 0
		for _, v := range raw[name] {
			if v == "1" {
				k++
			}
		}
		return k
	}
	checkCounts(t, "roles", got["role"], counter{
		"RecruiterBroker": 11865, "Exploiter": 9458, "TransactionProcess": 7344, "ControlAbuseKidnap": 2078,
	})
	checkCounts(t, "per_RoleInProcess", got["roleInProcess"], counter{
		"RecruiterOrIntermediary": ones("IP_RecruiterBroker"), "Exploiter": ones("IP_Exploiter"),
	})
	checkCounts(t, "exploitation", got["exploitation"], counter{
		"ForcedLabour": ones("isForcedLabour"), "SexualExploitation": ones("isSexualExploit"),
	})
	sorted := func(v string) string {
		parts := strings.Split(v, ";")
		slices.Sort(parts)
		return strings.Join(parts, ";")
	}
	region := strings.NewReplacer("Americas/Oceania", "AmericasOceania")
	perp := func(name string, f func(string) string) counter {
		c := counter{}
		for i, v := range raw[name] {
			hasIP := false
			for h, vals := range raw {
				hasIP = hasIP || strings.HasPrefix(h, "IP_") && vals[i] != ""
			}
			if hasIP {
				c.add(f(v))
			}
		}
		return c
	}
	checkCounts(t, "IP_citizen_UNRegion", got["ipRegion"], perp("IP_citizen_UNRegion", func(v string) string { return sorted(region.Replace(v)) }))
	checkCounts(t, "IP_ageBroad", got["ipAge"], perp("IP_ageBroad", same))
	checkCounts(t, "IP_Relation", got["ipRelation"], perp("IP_Relation", func(v string) string {
		// domain order: StrangerUnknownOther, FriendAcquaintance, FamilyIntimatePartner
		order := []string{"StrangerUnknownOther", "FriendAcquaintance", "FamilyIntimatePartner"}
		var out []string
		for _, o := range order {
			if slices.Contains(strings.Split(v, ";"), o) {
				out = append(out, o)
			}
		}
		return strings.Join(out, ";")
	}))
	checkCounts(t, "IP_PayMoney", got["ipPay"], perp("IP_PayMoney", func(v string) string {
		return strings.NewReplacer("No;Yes", "Yes;No").Replace(v)
	}))
}

// Reading the same file twice gives the same keys, and identical rows get
// distinct keys (the VP file has only 9,592 distinct row patterns).
func TestSourceKeysOfRealFile(t *testing.T) {
	b := sharedFile(t, vpFile)
	keys := func() []string {
		r, err := NewReader(bytes.NewReader(b), Options{Agency: "CTDC", Source: vpFile})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for {
			rec, _, err := r.Next()
			if errors.Is(err, io.EOF) {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec != nil {
				out = append(out, rec.Case.SourceKey)
			}
		}
	}
	first, second := keys(), keys()
	if !slices.Equal(first, second) {
		t.Fatal("reading the file twice gave different source keys")
	}
	distinct := map[string]bool{}
	contents := map[string]bool{}
	for _, k := range first {
		distinct[k] = true
		contents[k[:strings.LastIndexByte(k, ':')]] = true
	}
	if len(distinct) != len(first) {
		t.Fatalf("%d keys for %d rows", len(distinct), len(first))
	}
	t.Logf("%d rows, %d distinct contents", len(first), len(contents))
	if len(contents) != 9592 {
		t.Errorf("%d distinct row contents, want 9,592 (STATS.md)", len(contents))
	}
}

func BenchmarkReaderGlobal2017(b *testing.B) {
	data := sharedFile(b, globalFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), Options{Agency: "CTDC", Source: globalFile})
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, rej, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil || rec == nil {
				b.Fatal(err, rej)
			}
			rows++
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
