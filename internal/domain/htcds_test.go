// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"vigie/internal/domain"
)

// sharedFile opens a file of ../shared, skipping (or failing under CI)
// when the folder is absent.
func sharedFile(t *testing.T, rel string) *os.File {
	t.Helper()
	f, err := os.Open("../../../shared/" + rel)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared file missing under CI: %v", err)
		}
		t.Skipf("shared file absent (%v); these tests need ../shared beside the checkout", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// jsonKeys collects every JSON key the model can produce.
func jsonKeys(t reflect.Type, into map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeFor[domain.Date]() {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if name := strings.Split(f.Tag.Get("json"), ",")[0]; name != "" && name != "-" {
			into[name] = true
		}
		jsonKeys(f.Type, into)
	}
}

// TestEveryHTCDSFieldAndValue reads the standard's own field sheet and
// checks that the model has every field (as a JSON key) and every picklist
// value, spelled exactly as the standard spells it (trimmed).
func TestEveryHTCDSFieldAndValue(t *testing.T) {
	cr := csv.NewReader(sharedFile(t, "htcds/derived/HTCDS Field Standards 2.0.csv"))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, ty := range []reflect.Type{reflect.TypeFor[domain.Case](), reflect.TypeFor[domain.Agency]()} {
		jsonKeys(ty, keys)
	}
	// Fields the model stores under another shape, with the reason.
	elsewhere := map[string]string{
		"org_Name": "Agency.Name", "org_ShippingPostalCode": "Agency.ShippingPostal",
	}
	fields := 0
	for _, r := range rows[1:] {
		// The sheet's export drops trailing empty cells.
		for len(r) < 13 {
			r = append(r, "")
		}
		if r[3] == "" || r[4] == "" || r[1] == "N/A" {
			continue
		}
		name := strings.TrimSpace(r[3]) + strings.TrimSpace(r[4])
		if name == "per_Organisation" || strings.HasPrefix(name, "per_Organi") {
			name = "per_Organisation"
		}
		fields++
		if !keys[name] && elsewhere[name] == "" {
			t.Errorf("HTCDS field %s has no JSON key in the model", name)
		}
		values := strings.Split(r[9], "\n")
		if r[7] != "Picklist" && r[7] != "Multiselect Picklist" || strings.HasPrefix(r[9], "Use ISO") {
			continue
		}
		e, ok := domain.EnumFor(name)
		if !ok {
			t.Errorf("picklist %s has no enum", name)
			continue
		}
		for _, v := range values {
			v = strings.TrimSpace(v)
			if v != "" && !e.Valid(v) {
				t.Errorf("%s: value %q of the standard is not accepted", name, v)
			}
		}
	}
	if fields < 80 {
		t.Logf("read %d fields", fields)
		t.Fatalf("read only %d fields from the standard's sheet; is the CSV complete?", fields)
	}
}

// TestXLSFormChoices checks the toolkit's choice lists (value names) too.
func TestXLSFormChoices(t *testing.T) {
	rows, err := csv.NewReader(sharedFile(t, "htcds/derived/htcds_xlsform choices.csv")).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]*domain.Enum{
		"gender": domain.Gender, "methodofrecruitment": domain.MethodOfRecruitment, "methodsofcontrol": domain.MethodsOfControl,
		"typeofexploitation": domain.TypeOfExploitation, "forcedlabourindustry": domain.ForcedLabourIndustry,
		"typeofsexexploitation": domain.TypeOfSexExploitation, "status": domain.CaseStatus,
		"traffickingstatus": domain.TraffickingStatus, "traffickingstatusdecisionmakingorg": domain.DecisionMakingOrg,
	}
	for _, r := range rows[1:] {
		name := strings.TrimSpace(r[1])
		if r[0] == "citizenship" {
			if _, ok := domain.CountryName(name); !ok {
				t.Errorf("toolkit country %q not accepted", name)
			}
			continue
		}
		if e := lists[r[0]]; e != nil {
			if got, ok := e.Normalize(name); !ok || got != name {
				t.Errorf("%s: toolkit value %q not accepted as itself (got %q)", r[0], r[1], got)
			}
		}
	}
}

func TestEnumNormalize(t *testing.T) {
	tests := []struct {
		e        *domain.Enum
		in, want string
		ok       bool
	}{
		{domain.MethodsOfControl, "DebtBondage ", "DebtBondage", true},
		{domain.MethodsOfControl, "Threats", "PhysicalThreats", true},
		{domain.MethodsOfControl, "UsesChildren", "ThreatensChildrenFamily", true},
		{domain.Gender, "Female", "Feminine", true},
		{domain.Gender, "masculine", "Masculine", true},
		{domain.Gender, "\u00a0Feminine\u00a0", "Feminine", true},
		{domain.Gender, "Robot", "", false},
		{domain.CaseStatus, "Follow Up", "FollowUp", true},
		{domain.RelationshipToTrafficker, "Unaquainted", "Unaquainted", true},
		{domain.TypeOfExploitation, "<script>", "", false},
	}
	for _, tt := range tests {
		got, ok := tt.e.Normalize(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s.Normalize(%q) = %q, %v; want %q, %v", tt.e.Field, tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCaseNumbers(t *testing.T) {
	n := domain.FormatCaseNumber("KIN", 2026, 123)
	if n != "KIN-2026-000123" {
		t.Fatal(n)
	}
	a, y, s, ok := domain.ParseCaseNumber(n)
	if !ok || a != "KIN" || y != 2026 || s != 123 {
		t.Fatal(a, y, s, ok)
	}
	for _, bad := range []string{"", "KIN-26-000001", "kin-2026-000001", "KIN-2026-1", "KIN-2026-000001; DROP TABLE cases"} {
		if _, _, _, ok := domain.ParseCaseNumber(bad); ok {
			t.Errorf("%q parsed as a case number", bad)
		}
	}
}

func TestAgeGroup(t *testing.T) {
	tests := []struct {
		name string
		c    domain.Case
		want string
	}{
		{"BirthdayNotYetReached", domain.Case{RegistrationDate: domain.NewDate(2026, 3, 1), Person: domain.Person{Birthdate: domain.NewDate(2008, 3, 2)}}, "Child"},
		{"EighteenthBirthday", domain.Case{RegistrationDate: domain.NewDate(2026, 3, 2), Person: domain.Person{Birthdate: domain.NewDate(2008, 3, 2)}}, "Adult"},
		{"FromBand", domain.Case{Victim: domain.Victim{AgeBand: "9--17"}}, "Child"},
		{"FromMajority", domain.Case{Victim: domain.Victim{MajorityStatus: "Adult"}}, "Adult"},
		{"Unknown", domain.Case{}, "Unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.AgeGroup(); got != tt.want {
				t.Fatalf("got %s", got)
			}
		})
	}
}

// TestAgeBandOf: the band a case is counted under comes from the birth
// date when it is known (every CTDC band edge), else from vig_AgeBand.
func TestAgeBandOf(t *testing.T) {
	reg := domain.NewDate(2026, 3, 1)
	born := func(age int, band string) domain.Case {
		return domain.Case{RegistrationDate: reg, Person: domain.Person{Birthdate: domain.NewDate(2026-age, 3, 1)},
			Victim: domain.Victim{AgeBand: band}}
	}
	tests := []struct {
		name string
		c    domain.Case
		want string
	}{
		{"Newborn", born(0, ""), "0--8"},
		{"Eight", born(8, ""), "0--8"},
		{"Nine", born(9, ""), "9--17"},
		{"Seventeen", born(17, ""), "9--17"},
		{"Eighteen", born(18, ""), "18--20"},
		{"TwentyThree", born(23, ""), "21--23"},
		{"TwentyFour", born(24, ""), "24--26"},
		{"TwentyNine", born(29, ""), "27--29"},
		{"ThirtyEight", born(38, ""), "30--38"},
		{"FortySeven", born(47, ""), "39--47"},
		{"FortyEight", born(48, ""), "48+"},
		{"DayBeforeBirthday", domain.Case{RegistrationDate: reg, Person: domain.Person{Birthdate: domain.NewDate(2017, 3, 2)}}, "0--8"},
		{"YearOnly", domain.Case{RegistrationYear: 2020, Person: domain.Person{Birthdate: domain.NewDate(2002, 6, 1)}}, "18--20"},
		{"BirthDateWinsOverUnknown", born(30, "Unknown"), "30--38"},
		{"BandAlone", domain.Case{Victim: domain.Victim{AgeBand: "39--47"}}, "39--47"},
		{"NoRegistration", domain.Case{Person: domain.Person{Birthdate: domain.NewDate(2000, 1, 1)}, Victim: domain.Victim{AgeBand: "21--23"}}, "21--23"},
		{"Nothing", domain.Case{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.AgeBandOf(); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidateCase(t *testing.T) {
	today := domain.NewDate(2026, 11, 27)
	base := func() *domain.Case {
		c := &domain.Case{Agency: "KIN", Victim: domain.Victim{TraffickingStatus: "ActualVictimOfTrafficking"}}
		c.Normalize(today)
		return c
	}
	tests := []struct {
		name  string
		edit  func(*domain.Case)
		field string // "" means valid
	}{
		{"OK", func(*domain.Case) {}, ""},
		{"ErrNoStatus", func(c *domain.Case) { c.Victim.TraffickingStatus = "" }, "victim.vic_TraffickingStatus"},
		{"ErrPhone", func(c *domain.Case) { c.Person.MobilePhone = "0812" }, "person.prs_MobilePhone"},
		{"OKPhone", func(c *domain.Case) { c.Person.MobilePhone = "+243812345678" }, ""},
		{"ErrLanguage", func(c *domain.Case) { c.Person.PrimaryLanguage = "fr" }, "person.prs_PrimaryLanguage"},
		{"OKLanguage", func(c *domain.Case) { c.Person.PrimaryLanguage = "lin" }, ""},
		{"ErrCountry", func(c *domain.Case) { c.Person.Citizenship = []string{"COD"} }, "person.prs_Citizenship"},
		{"ErrDuplicateValue", func(c *domain.Case) { c.Victim.TypeOfExploitation = []string{"ForcedLabour", "ForcedLabour"} }, "victim.vic_TypeOfExploitation"},
		{"ErrYearMismatch", func(c *domain.Case) { c.RegistrationYear = 2020 }, "vig_RegistrationYear"},
		{"ErrLongName", func(c *domain.Case) { c.Person.FirstName = strings.Repeat("é", 201) }, "person.prs_FirstName"},
		{"ErrBadUTF8", func(c *domain.Case) { c.Person.FirstName = "\xff\xfe" }, "person.prs_FirstName"},
		{"ErrPeriod", func(c *domain.Case) { c.RegistrationPeriod = "2018-2014" }, "vig_RegistrationPeriod"},
		{"ErrPeriodFuture", func(c *domain.Case) {
			c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = domain.Date{}, 0, "2014-2099"
		}, "vig_RegistrationPeriod"},
		{"ErrPeriodTooOld", func(c *domain.Case) {
			c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = domain.Date{}, 0, "1980-1985"
		}, "vig_RegistrationPeriod"},
		{"ErrYearOutsidePeriod", func(c *domain.Case) {
			c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = domain.Date{}, 1999, "1990-1995"
		}, "vig_RegistrationYear"},
		{"OKYearInPeriod", func(c *domain.Case) {
			c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = domain.Date{}, 1992, "1990-1995"
		}, ""},
		{"OKPeriodToThisYear", func(c *domain.Case) {
			c.RegistrationDate, c.RegistrationYear, c.RegistrationPeriod = domain.Date{}, 0, "2022-2026"
		}, ""},
		{"ErrNameNewline", func(c *domain.Case) { c.Person.FirstName = "Ali\nBaba" }, "person.prs_FirstName"},
		{"ErrNameBidiOverride", func(c *domain.Case) { c.Person.SecondName = "Ali\u202eecnA" }, "person.prs_SecondName"},
		{"ErrNameBidiIsolate", func(c *domain.Case) { c.Person.MiddleName = "\u2067Ali" }, "person.prs_MiddleName"},
		{"OKNameArabic", func(c *domain.Case) { c.Person.FirstName = "علي" }, ""},
		{"ErrReferralDirection", func(c *domain.Case) {
			c.Referrals = []*domain.Referral{{Direction: "incoming", ReferringOrganisation: "X", ReferredOrganisation: "Y"}}
		}, "referrals[0].cas_ReferredOrganisation"},
		{"ErrLatitude", func(c *domain.Case) { c.Events = []*domain.Event{{Type: "Transit", Latitude: ptr(91.0)}} }, "events[0].hte_Latitude"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.edit(c)
			err := c.Validate(today)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			for _, f := range domain.FieldErrors(err) {
				if f.Field == tt.field {
					return
				}
			}
			t.Fatalf("no error on %s: %v", tt.field, err)
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestMalformedDateIsReportedWithItsField(t *testing.T) {
	var c domain.Case
	if err := json.Unmarshal([]byte(`{"agency":"KIN","victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"},"person":{"prs_Birthdate":"31/12/2001"}}`), &c); err != nil {
		t.Fatal(err)
	}
	c.Normalize(domain.NewDate(2026, 1, 1))
	err := c.Validate(domain.NewDate(2026, 1, 1))
	fe := domain.FieldErrors(err)
	if len(fe) != 1 || fe[0].Field != "person.prs_Birthdate" || fe[0].Code != "validation.date_format" {
		t.Fatalf("got %v", err)
	}
}

func TestKindTables(t *testing.T) {
	for _, k := range []domain.Kind{domain.KindInvalid, domain.KindNotFound, domain.KindConflict, domain.KindForbidden, domain.KindUnauthorized, domain.KindTooLarge, domain.KindUnavailable, domain.KindInternal} {
		if k.HTTPStatus() < 400 {
			t.Errorf("%s maps to HTTP %d", k, k.HTTPStatus())
		}
		if k.ExitCode() == 0 || k.ExitCode() == domain.ExitUsage {
			t.Errorf("%s maps to exit code %d", k, k.ExitCode())
		}
	}
	if domain.SafeMessage(domain.Wrap(domain.KindInternal, os.ErrPermission, "secret path /etc/x")) != "internal error" {
		t.Error("internal errors must not show their message")
	}
}

func TestMalformedRegistrationDateIsNotReplaced(t *testing.T) {
	var c domain.Case
	if err := json.Unmarshal([]byte(`{"agency":"KIN","vig_RegistrationDate":"hier","victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}}`), &c); err != nil {
		t.Fatal(err)
	}
	today := domain.NewDate(2026, 11, 27)
	c.Normalize(today)
	if c.RegistrationDate.String() != "hier" {
		t.Fatalf("malformed date replaced by %q", c.RegistrationDate)
	}
	fe := domain.FieldErrors(c.Validate(today))
	if len(fe) != 1 || fe[0].Field != "vig_RegistrationDate" {
		t.Fatalf("got %v", fe)
	}
}
