// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vigie/internal/domain"
)

// today is the fixed "today" of every test.
var today = domain.NewDate(2026, 6, 15)

var testOptions = Options{Agency: "KIN", Source: "test", Today: today}

func ptr[T any](v T) *T { return &v }

func meta(id string) domain.Meta {
	t := time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)
	return domain.Meta{ID: id, Version: 3, CreatedAt: t, UpdatedAt: t.Add(90 * time.Minute)}
}

// fullCase fills every field of a case and gives it several parts of
// each kind.
func fullCase() *domain.Case {
	return &domain.Case{
		Meta:                 meta("0190f6a0-0000-7000-8000-000000000001"),
		Number:               "KIN-2025-000123",
		Agency:               "KIN",
		SituationID:          "0190f6a0-0000-7000-8000-0000000000aa",
		Status:               "Closed",
		ReasonForCaseClosure: "Retour en famille.\nSuivi terminé.",
		CaseOwner:            "Agent Mbuyi",
		RegistrationDate:     domain.NewDate(2025, 3, 4),
		RegistrationYear:     2025,
		DataSource:           "CaseManagement",
		SourceKey:            "test:full",
		Person: domain.Person{
			Salutation: "Mme", FirstName: "Kabasele Ngalula wa Mutombo", MiddleName: "Élodie", SecondName: "Tshibanda",
			Birthdate: domain.NewDate(2004, 7, 1), Gender: "Feminine", Deceased: ptr(false), MaritalStatus: "Single",
			NumberOfChildren: ptr(0), PrimaryLanguage: "lin", SecondaryLanguage: "fre", HighestLevelOfEducation: "PrimaryEducation",
			Citizenship: []string{"CD", "AO"}, IdentityNumber: "CD 123 456", Title: "Vendeuse", Email: "elodie@example.org",
			HomePhone: "+243812345678", MobilePhone: "+243998877665", MailingCity: "Kinshasa", MailingCountry: "CD",
			MailingState: "Kinshasa", MailingStreet: "12, av. de la Paix\nQuartier 3", MailingPostalCode: "B.P. 7248",
			MailingLongitude: ptr(15.3136), MailingLatitude: ptr(-4.3317),
		},
		Victim: domain.Victim{
			AgreementToManagePersonalData: ptr(true),
			TraffickingStatus:             "ActualVictimOfTrafficking",
			TraffickingStatusDecisionOrg:  "CourtOrProsecution",
			RelationshipToTrafficker:      "Unaquainted",
			AgeWhenTrafficked:             ptr(16),
			RecruitmentWebsitesAndApps:    []string{"WhatsApp", "4Sale"},
			MethodOfRecruitment:           []string{"ThroughFriendsOrSocialEvents", "AtWork"},
			LocationOfRecruitment:         "Marché central",
			MethodsOfControl:              []string{"DebtBondage", "RestrictsMovement", "ThreatsLawEnforcement"},
			TypeOfExploitation:            []string{"ForcedLabour", "SexualExploitation"},
			ForcedLabourIndustry:          "B_MiningAndQuarrying",
			TypeOfSexExploitation:         []string{"Prostitution"},
			LocationOfExploitation:        "Kolwezi",
			ExploitationWebsitesAndApps:   []string{"Facebook"},
			Vulnerabilities:               []string{"Poverty", "Migration"},
			DetailsOfVulnerabilities:      "Orpheline ; sans papiers",
			AgeBand:                       "9--17",
			MajorityStatus:                "Minor",
			MajorityStatusAtExploit:       "Minor",
			MajorityEntry:                 "Minor",
			RecruiterRelation:             []string{"Friend"},
			LabourSectors:                 []string{"MiningOrDrilling", "DomesticWork"},
			Abduction:                     ptr(false),
			CitizenshipRegion:             "Africa",
			ExploitationRegion:            "Africa",
		},
		Events: []*domain.Event{
			{Meta: meta("ev-1"), Type: "Recruitment", Date: domain.NewDate(2020, 5, 1), Country: "CD", State: "Kinshasa", City: "Kinshasa", Street: "Rond-point Victoire", PostalCode: "", Latitude: ptr(-4.3317), Longitude: ptr(15.3136), Description: "Offre d'emploi « facile »"},
			{Meta: meta("ev-2"), Type: "Transit", Country: "ZM"},
			{Meta: meta("ev-3"), Type: "Exploitation", Date: domain.NewDate(2020, 6, 1), Country: "CD", City: "Kolwezi", Description: "Mine artisanale"},
		},
		SupportPlans: []*domain.SupportPlan{
			{Meta: meta("sp-1"), Type: "Health", Objectives: "Soins", ActionPlan: "Hôpital", PlannedEndDate: domain.NewDate(2026, 12, 31), ActualEndDate: domain.NewDate(2026, 1, 31)},
			{Meta: meta("sp-2"), Type: "Education"},
		},
		Consents: []*domain.Consent{
			{Meta: meta("co-1"), Consent: false, Date: domain.NewDate(2025, 3, 4), RecordedBy: "Agent Mbuyi"},
			{Meta: meta("co-2"), Consent: true, Date: domain.NewDate(2025, 3, 10), RecordedBy: "Agent Mbuyi"},
		},
		Comments: []*domain.Comment{
			{Meta: meta("cm-1"), Text: "Premier entretien.\nTrès coopérative.", Author: "Agent Mbuyi"},
			{Meta: meta("cm-2"), Text: "Kabasele Ngalula wa Mutombo a rejoint sa famille ✓"},
		},
		Referrals: []*domain.Referral{
			{Meta: meta("rf-1"), Direction: "incoming", ReferringOrganisation: "Police de Kinshasa", IncomingReferralDate: domain.NewDate(2025, 3, 3), ReferringPrimaryCaseWorker: "OPJ Kasongo", ReasonForIncomingReferral: "AdditionalServicesRequired", IncomingReferralDetails: "Arrivée de nuit"},
			{Meta: meta("rf-2"), Direction: "outgoing", ReferredOrganisation: "Hôpital général", ReferredPrimaryCaseWorker: "Dr Ilunga", ReasonForOutgoingReferral: "Other", OutgoingReferralDate: domain.NewDate(2025, 4, 1), OutgoingReferralDetails: "Soins"},
			{Meta: meta("rf-3"), Direction: "incoming", ReferringOrganisation: "OIM"},
		},
		Perpetrators: []*domain.Perpetrator{
			{Meta: meta("pe-1"), Person: domain.Person{FirstName: "Inconnu", Gender: "Masculine", Citizenship: []string{"CD"}}, RoleInProcess: []string{"RecruiterOrIntermediary", "Exploiter"}, RoleDetails: "Chef de chantier", Organisation: "Réseau X"},
			{Meta: meta("pe-2"), Genders: []string{"Masculine"}, AgeBands: []string{"30--38"}, CitizenshipRegion: []string{"Africa"}, Relation: []string{"FriendAcquaintance"}, VictimPaid: []string{"No"}, CTDCRoles: []string{"Exploiter"}},
		},
	}
}

// minimalCase is a case with only what validation requires.
func minimalCase(key string) *domain.Case {
	return &domain.Case{Agency: "KIN", Status: "Active", SourceKey: key, Victim: domain.Victim{TraffickingStatus: "PossibleVictimOfTrafficking"}}
}

// hostileCase holds strings that a spreadsheet would run as formulas.
func hostileCase() *domain.Case {
	c := minimalCase("test:hostile")
	c.Person.FirstName = "=cmd|' /C calc'!A0"
	c.Person.SecondName = "+SUM(1,2)"
	c.Person.MiddleName = "-2+3+cmd|' /C calc'!A0"
	c.Person.Salutation = "@SUM(A1:A2)"
	c.Person.Title = "'already quoted"
	c.CaseOwner = "\rowner after a carriage return"
	c.Person.MailingStreet = "\tStreet after a tab" // a name is one line; an address may hold tabs
	c.Person.MailingCity = "''twice"
	c.Person.IdentityNumber = "-42"
	c.Person.Email = "=x@example.org"
	c.Person.MailingLatitude = ptr(-4.5)
	c.ReasonForCaseClosure = "=HYPERLINK(\"http://evil.example\",\"clic\")"
	c.Events = []*domain.Event{{Type: "Exploitation", Description: "@evil", Longitude: ptr(-12.25)}}
	c.Comments = []*domain.Comment{{Text: "=1+1"}}
	return c
}

// mustValid fails the test if c does not pass validation.
func mustValid(t testing.TB, c *domain.Case) {
	t.Helper()
	if err := c.Validate(today); err != nil {
		t.Fatalf("fixture case is not valid: %v", err)
	}
}

func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// assertSameCase compares two cases as JSON.
func assertSameCase(t testing.TB, want, got *domain.Case) {
	t.Helper()
	if w, g := jsonOf(t, want), jsonOf(t, got); w != g {
		t.Errorf("case differs after the round trip:\n%s", diffLines(w, g))
	}
}

func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
		if len(out) > 40 {
			break
		}
	}
	return strings.Join(out, "\n")
}

// export writes cases in a format.
func export(t testing.TB, format string, cases ...*domain.Case) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, format)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if err := w.Write(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// nexter is what Reader and JSONReader have in common.
type nexter interface {
	Next() (*Record, []domain.RowError, error)
}

// readAll drains a reader that must not stop on a fatal error.
func readAll(t testing.TB, r nexter) ([]*Record, []domain.RowError) {
	t.Helper()
	recs, errs, fatal := readUntilFatal(t, r)
	if fatal != nil {
		t.Fatalf("Next: %v", fatal)
	}
	return recs, errs
}

// readUntilFatal drains a reader up to its end or its first fatal error,
// which it returns with the records and row errors read before it.
func readUntilFatal(t testing.TB, r nexter) ([]*Record, []domain.RowError, error) {
	t.Helper()
	var recs []*Record
	var errs []domain.RowError
	for {
		rec, rowErrs, err := r.Next()
		if errors.Is(err, io.EOF) {
			return recs, errs, nil
		}
		if err != nil {
			return recs, errs, err
		}
		if rec != nil && len(rowErrs) > 0 || rec == nil && len(rowErrs) == 0 {
			t.Fatalf("Next returned record %v and %d row errors: exactly one was expected", rec, len(rowErrs))
		}
		if rec != nil {
			recs = append(recs, rec)
		}
		errs = append(errs, rowErrs...)
	}
}

// wantFatal checks a reader's fatal error: none when want is "", else an
// invalid-data error whose message holds want.
func wantFatal(t testing.TB, fatal error, want string) {
	t.Helper()
	switch {
	case want == "" && fatal != nil:
		t.Errorf("error %v", fatal)
	case want != "" && (domain.KindOf(fatal) != domain.KindInvalid || !strings.Contains(fatal.Error(), want)):
		t.Errorf("error %v, want an invalid-data error naming %q", fatal, want)
	}
}

// importBytes reads cases back from an export.
func importBytes(t testing.TB, format string, data []byte, opt Options) ([]*Record, []domain.RowError) {
	t.Helper()
	if format == "json" {
		r, err := NewJSONReader(bytes.NewReader(data), opt)
		if err != nil {
			t.Fatal(err)
		}
		return readAll(t, r)
	}
	r, err := NewReader(bytes.NewReader(data), format, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return readAll(t, r)
}

// csvText builds a CSV file from rows of cells.
func csvText(rows ...[]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.WriteAll(rows)
	return buf.Bytes()
}

// sharedDir locates the read-only HTCDS reference files. Outside CI a
// missing directory skips the test; under CI=true it fails it.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "htcds")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the shared HTCDS files are missing at %s: %v", dir, err)
		}
		t.Skipf("the shared HTCDS files are not at %s; skipping", dir)
	}
	return dir
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
