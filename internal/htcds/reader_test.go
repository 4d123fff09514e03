// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"vigie/internal/domain"
)

// templateHeader is row 1 of the IOM templates: a blank first column of
// row numbers, the misspelt decision-making column and a blank name for
// the reason for outgoing referral.
var templateHeader = append([]string{""}, strings.Fields(`cas_CaseOwner prs_Salutation prs_FirstName
	prs_SecondName con_Consent prs_Birthdate prs_Gender prs_Citizenship prs_Title prs_Email prs_HomePhone
	prs_MobilePhone prs_MailingCity prs_MailingCountry prs_MailingState prs_MailingStreet prs_MailingPostalCode
	vic_TraffickingStatus vic_TraffickinStatusDecisionMakingOrg vic_MethodOfRecruitment vic_LocationOfRecruitment
	vic_MethodsOfControl vic_TypeOfExploitation vic_ForcedLabourIndustry vic_TypeOfSexExploitation
	vic_LocationOfExploitation cas_Status cas_ReferringOrganisation cas_IncomingReferralDate
	cas_ReferringPrimaryCaseWorker cas_ReasonForIncomingReferral cas_IncomingReferralDetails
	cas_ReferredOrganisation cas_ReferredPrimaryCaseWorker BLANK cas_OutgoingReferralDate
	cas_OutgoingReferralDetails cas_ReasonForCaseClosure`)...)

// templateLabels is row 2 of the IOM templates (with the mailing labels
// in their different order).
var templateLabels = []string{"", "Case Owner", "Salutation", "First Name", "Second Name", "Consent", "Birthdate",
	"Gender", "Citizenship", "Title", "Email", "Home Phone", "Mobile Phone", "Mailing Street", "Mailing City",
	"Mailing State/Province", "Mailing Zip/Postal Code", "Mailing Country", "Trafficking Status",
	"Trafficking Status Decision Making Organization", "Method of Recruitment", "Location of Recruitment",
	"Methods of Control", "Type of Exploitation", "Forced Labour Industry", "Type of Sex Exploitation",
	"Location of Exploitation", "Status", "Referring Organisation", "Incoming Referral Date",
	"Referring Primary Case Worker", "Reason for Incoming Referral", "Incoming Referral Details",
	"Referred Organisation", "Referred Primary Case Worker", "Reason for Outgoing Referral",
	"Outgoing Referral Date", "Outgoing Referral Details", "Reason for Case Closure"}

func init() {
	templateHeader[slices.Index(templateHeader, "BLANK")] = ""
}

// templateRow fills a row of the template layout from field → value, as a
// person does: under the field's label (row 2), which for the mailing
// address is not above the field's name in row 1.
func templateRow(num string, values map[string]string) []string {
	row := make([]string, len(templateHeader))
	row[0] = num
	for i, h := range templateHeader {
		if h == "" && i > 0 {
			h = "cas_ReasonForOutgoingReferral"
		}
		if li, ok := labelColumn(i, templateLabels); ok {
			h = columns[li].Name
		}
		if v, ok := values[h]; ok && i > 0 {
			row[i] = v
		}
	}
	return row
}

func TestIOMTemplates(t *testing.T) {
	dir := sharedDir(t)
	for _, name := range []string{"HTCDS Excel Spreadsheet v2.0.xlsx", "HTCDS Excel Spreadsheet single select with validation v2.0.xlsx"} {
		t.Run(name+"/NoRecords", func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, "toolkit", name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := NewReader(f, "xlsx", testOptions)
			if err != nil {
				t.Fatalf("the template's header is refused: %v", err)
			}
			defer r.Close()
			recs, errs := readAll(t, r)
			if len(recs) != 0 || len(errs) != 0 {
				t.Fatalf("an empty template gave %d records and errors %v", len(recs), errs)
			}
			if r.dec.names[colReasonOut] != "" || r.cols[35] != colReasonOut || r.cols[0] != skipRowNumber {
				t.Errorf("the blank columns are not resolved: %v", r.cols)
			}
		})
		// Filled in as a person does, under the labels of row 2: row 1
		// of columns N–R names other fields than their labels.
		t.Run(name+"/FilledUnderLabels", func(t *testing.T) {
			x, err := excelize.OpenFile(filepath.Join(dir, "toolkit", name))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			sheet := x.GetSheetList()[0]
			labels, err := x.GetRows(sheet)
			if err != nil || len(labels) < 2 {
				t.Fatalf("rows: %v", err)
			}
			values := map[string]string{"Trafficking Status": "Possible victim of trafficking", "Status": "Active",
				"Mailing Street": "12 Avenue du Commerce", "Mailing City": "Kinshasa", "Mailing State/Province": "Kinshasa",
				"Mailing Zip/Postal Code": "BP 1234", "Mailing Country": "CD", "Reason for Outgoing Referral": "Migration Or Change Of Location",
				"Referred Organisation": "Caritas"}
			filled := 0
			for i, label := range labels[1] {
				if v, ok := values[strings.TrimSpace(label)]; ok {
					cell, _ := excelize.CoordinatesToCellName(i+1, 3)
					if err := x.SetCellStr(sheet, cell, v); err != nil {
						t.Fatal(err)
					}
					filled++
				}
			}
			if filled != len(values) {
				t.Fatalf("found %d of the %d labels in row 2", filled, len(values))
			}
			var buf bytes.Buffer
			if err := x.Write(&buf); err != nil {
				t.Fatal(err)
			}
			recs, errs := importBytes(t, "xlsx", buf.Bytes(), testOptions)
			if len(errs) != 0 || len(recs) != 1 {
				t.Fatalf("got %d records and errors %v", len(recs), errs)
			}
			p := recs[0].Case.Person
			got := [5]string{p.MailingStreet, p.MailingCity, p.MailingState, p.MailingPostalCode, p.MailingCountry}
			if want := [5]string{"12 Avenue du Commerce", "Kinshasa", "Kinshasa", "BP 1234", "CD"}; got != want {
				t.Errorf("mailing address %q, want %q", got, want)
			}
			if rs := recs[0].Case.Referrals; len(rs) != 1 || rs[0].ReasonForOutgoingReferral != "MigrationOrChangeOfLocation" {
				t.Errorf("referrals %+v", rs)
			}
		})
	}
}

// TestLabelRowWithATranslatedLabel: one label of row 2 translated (or a
// column added with a label of its own) made row 2 a case, rejected, and
// the columns were read by row 1 alone, which in the template names other
// fields than the labels of columns N–R: the street went into the city.
func TestLabelRowWithATranslatedLabel(t *testing.T) {
	labels := slices.Clone(templateLabels)
	labels[slices.Index(labels, "First Name")] = "Prénom"
	data := csvText(templateHeader, labels, templateRow("1", map[string]string{
		"prs_FirstName": "Amani", "vic_TraffickingStatus": "PossibleVictimOfTrafficking", "cas_Status": "Active",
		// Under the labels Mailing Street, Zip/Postal Code and Country.
		"prs_MailingStreet": "12 av. de la Paix", "prs_MailingPostalCode": "01234", "prs_MailingCountry": "CD",
	}))
	recs, errs := importBytes(t, "csv", data, testOptions)
	if len(errs) != 0 || len(recs) != 1 {
		t.Fatalf("got %d records and errors %v", len(recs), errs)
	}
	p := recs[0].Case.Person
	if p.FirstName != "Amani" || p.MailingStreet != "12 av. de la Paix" || p.MailingPostalCode != "01234" || p.MailingCountry != "CD" || p.MailingCity != "" {
		t.Errorf("person %+v", p)
	}
}

// TestLabelRowInFrench: the template's label row translated with the
// labels Vigie's pages show ("Adresse", "Ville", "Pays", …) was read by
// row 1, which in columns N–R names other fields: refused as a column
// repeated, or worse. A page label two columns share ("Ville": the
// victim's and an event's) names the one of row 1's group.
func TestLabelRowInFrench(t *testing.T) {
	// ("Province" is left in English: it is the label of vig_Province.)
	french := map[string]string{"First Name": "Prénom", "Mailing Street": "Adresse", "Mailing City": "Ville",
		"Mailing Zip/Postal Code": "Code postal", "Mailing Country": "Pays"}
	labels := slices.Clone(templateLabels)
	n := 0
	for i, l := range labels {
		if fr, ok := french[l]; ok {
			labels[i] = fr
			n++
		}
	}
	if n != len(french) {
		t.Fatalf("translated %d of %d labels", n, len(french))
	}
	data := csvText(templateHeader, labels, templateRow("1", map[string]string{
		"prs_FirstName": "Amani", "vic_TraffickingStatus": "PossibleVictimOfTrafficking", "cas_Status": "Active",
		"prs_MailingStreet": "12 av. de la Paix", "prs_MailingCity": "Goma", "prs_MailingState": "Nord-Kivu",
		"prs_MailingPostalCode": "01234", "prs_MailingCountry": "CD",
	}))
	recs, errs := importBytes(t, "csv", data, testOptions)
	if len(errs) != 0 || len(recs) != 1 {
		t.Fatalf("got %d records and errors %v", len(recs), errs)
	}
	p := recs[0].Case.Person
	got := [6]string{p.FirstName, p.MailingStreet, p.MailingCity, p.MailingState, p.MailingPostalCode, p.MailingCountry}
	if want := [6]string{"Amani", "12 av. de la Paix", "Goma", "Nord-Kivu", "01234", "CD"}; got != want {
		t.Errorf("person %q, want %q", got, want)
	}
}

// handTemplateCSV is a CSV in the template layout, filled by hand with
// labels rather than value names.
func handTemplateCSV() []byte {
	return csvText(templateHeader, templateLabels,
		templateRow("1", map[string]string{
			"cas_CaseOwner":                          "Agent Mbuyi",
			"prs_FirstName":                          "Élodie",
			"prs_SecondName":                         "Kabasele Ngalula wa Mutombo",
			"con_Consent":                            "oui",
			"prs_Birthdate":                          " 2004-07-01 ",
			"prs_Gender":                             "Not Specified/Unknown\u00a0",
			"prs_Citizenship":                        "cd; AO",
			"prs_MobilePhone":                        "+243 81 234-5678",
			"prs_MailingCountry":                     "cd",
			"vic_TraffickingStatus":                  "Possible victim of trafficking",
			"vic_TraffickingStatusDecisionMakingOrg": "Court or prosecution",
			"prs_MailingStreet":                      "12 Avenue du Commerce",
			"prs_MailingCity":                        "Kinshasa",
			"prs_MailingPostalCode":                  "BP 1234",
			"vic_MethodOfRecruitment":                "Through friends or social events;At work",
			"vic_MethodsOfControl":                   "Debt bondage ;Threats of law enforcement;Physical threats",
			"vic_TypeOfExploitation":                 "Forced labour",
			"vic_ForcedLabourIndustry":               "Mining and quarrying",
			"cas_Status":                             "Follow up",
			"cas_ReferringOrganisation":              "Police",
			"cas_IncomingReferralDate":               "2025-01-10",
			"cas_ReasonForIncomingReferral":          "Additional Services Required",
			"cas_ReferredOrganisation":               "Caritas",
			"cas_ReasonForOutgoingReferral":          "Migration Or Change Of Location",
		}),
		templateRow("2", map[string]string{"vic_TraffickingStatus": "Actual victim of trafficking", "prs_Gender": "F",
			"prs_Citizenship": "Congo, Democratic Republic of the; côte d'ivoire", "prs_MailingCountry": "United States of America"}),
		templateRow("3", nil),
		templateRow("4", nil),
	)
}

func TestReaderTemplateLayout(t *testing.T) {
	recs, errs := importBytes(t, "csv", handTemplateCSV(), testOptions)
	if len(errs) > 0 || len(recs) != 2 {
		t.Fatalf("got %d records and errors %v", len(recs), errs)
	}
	t.Run("LabelsBecomeValueNames", func(t *testing.T) {
		c := recs[0].Case
		if recs[0].Row != 3 {
			t.Errorf("row %d, want 3", recs[0].Row)
		}
		checks := map[string][2]any{
			"gender":  {c.Person.Gender, "NonSpecifiedUnknown"},
			"birth":   {c.Person.Birthdate, domain.NewDate(2004, 7, 1)},
			"citizen": {strings.Join(c.Person.Citizenship, ","), "CD,AO"},
			"phone":   {c.Person.MobilePhone, "+243812345678"},
			"country": {c.Person.MailingCountry, "CD"},
			// Under their labels, not under row 1's names.
			"street":     {c.Person.MailingStreet, "12 Avenue du Commerce"},
			"city":       {c.Person.MailingCity, "Kinshasa"},
			"postalCode": {c.Person.MailingPostalCode, "BP 1234"},
			"status":     {c.Victim.TraffickingStatus, "PossibleVictimOfTrafficking"},
			"org":        {c.Victim.TraffickingStatusDecisionOrg, "CourtOrProsecution"},
			"recruit":    {strings.Join(c.Victim.MethodOfRecruitment, ","), "ThroughFriendsOrSocialEvents,AtWork"},
			"control":    {strings.Join(c.Victim.MethodsOfControl, ","), "DebtBondage,ThreatsLawEnforcement,PhysicalThreats"},
			"industry":   {c.Victim.ForcedLabourIndustry, "B_MiningAndQuarrying"},
			"casStatus":  {c.Status, "FollowUp"},
			"consent":    {len(c.Consents) == 1 && c.Consents[0].Consent, true},
			"referrals":  {len(c.Referrals), 2},
			"inReason":   {c.Referrals[0].ReasonForIncomingReferral, "AdditionalServicesRequired"},
			"outReason":  {c.Referrals[1].ReasonForOutgoingReferral, "MigrationOrChangeOfLocation"},
			"agency":     {c.Agency, "KIN"},
			// The template has no registration column: registered on
			// the day of the import (it was in no year's figures).
			"regDate":    {c.RegistrationDate, today},
			"regYear":    {c.RegistrationYear, today.Year()},
			"sourceKey":  {strings.HasPrefix(c.SourceKey, "test:") && strings.HasSuffix(c.SourceKey, ":1"), true},
			"secondName": {c.Person.SecondName, "Kabasele Ngalula wa Mutombo"},
		}
		for name, ch := range checks {
			if ch[0] != ch[1] {
				t.Errorf("%s: got %v, want %v", name, ch[0], ch[1])
			}
		}
	})
	t.Run("SecondRow/Row4", func(t *testing.T) {
		p := recs[1].Case.Person
		if recs[1].Row != 4 || p.Gender != "Feminine" || recs[1].Case.Status != "Active" {
			t.Errorf("got row %d, %+v", recs[1].Row, p)
		}
		// The template's citizenship drop-down offers country names.
		if strings.Join(p.Citizenship, ",") != "CD,CI" || p.MailingCountry != "US" {
			t.Errorf("countries by name: citizenship %v, mailing country %q", p.Citizenship, p.MailingCountry)
		}
	})
	t.Run("SameFileTwice/SameSourceKeys", func(t *testing.T) {
		again, _ := importBytes(t, "csv", handTemplateCSV(), testOptions)
		for i := range recs {
			if recs[i].Case.SourceKey != again[i].Case.SourceKey {
				t.Errorf("row %d: key %s then %s", recs[i].Row, recs[i].Case.SourceKey, again[i].Case.SourceKey)
			}
		}
	})
}

func TestReaderXLSX(t *testing.T) {
	// A workbook laid out like the templates, with real date cells.
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i := range templateHeader {
		a, _ := excelize.CoordinatesToCellName(i+1, 1)
		b, _ := excelize.CoordinatesToCellName(i+1, 2)
		_ = f.SetCellValue(sheet, a, templateHeader[i])
		_ = f.SetCellValue(sheet, b, templateLabels[i])
	}
	col := func(name string) string {
		i := slices.Index(templateHeader, name)
		s, _ := excelize.ColumnNumberToName(i + 1)
		return s
	}
	set := func(cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	// Row 3: a date cell, a boolean cell and a phone typed as a number.
	set("A3", 1)
	set(col("vic_TraffickingStatus")+"3", "ActualVictimOfTrafficking")
	set(col("prs_Birthdate")+"3", time.Date(2004, 7, 1, 0, 0, 0, 0, time.UTC))
	set(col("con_Consent")+"3", true)
	set(col("prs_MobilePhone")+"3", 243812345678)
	// Row 4: a bare number in a date column.
	set("A4", 2)
	set(col("vic_TraffickingStatus")+"4", "ActualVictimOfTrafficking")
	set(col("prs_Birthdate")+"4", 2021)
	// Row 5: an ambiguous date typed as text.
	set(col("vic_TraffickingStatus")+"5", "ActualVictimOfTrafficking")
	set(col("prs_Birthdate")+"5", "3/4/21")
	// Rows 6 to 9 have only row numbers.
	for r := 6; r < 10; r++ {
		set("A"+itoaTest(r), r-2)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	recs, errs := importBytes(t, "xlsx", buf.Bytes(), testOptions)
	t.Run("DateCell/Accepted", func(t *testing.T) {
		if len(recs) != 1 || recs[0].Row != 3 {
			t.Fatalf("got %v", recs)
		}
		p := recs[0].Case.Person
		if p.Birthdate != domain.NewDate(2004, 7, 1) || p.MobilePhone != "+243812345678" && p.MobilePhone != "243812345678" {
			t.Errorf("got %+v", p)
		}
		if len(recs[0].Case.Consents) != 1 || !recs[0].Case.Consents[0].Consent {
			t.Errorf("consent = %+v", recs[0].Case.Consents)
		}
	})
	t.Run("NumberInDateColumn/Rejected", func(t *testing.T) {
		wantError(t, errs, 4, "prs_Birthdate", "validation.date")
	})
	t.Run("AmbiguousText/Rejected", func(t *testing.T) {
		e := wantError(t, errs, 5, "prs_Birthdate", "validation.date")
		if !strings.Contains(e.Reason, "ambiguous") {
			t.Errorf("reason %q does not say why", e.Reason)
		}
	})
	if len(errs) != 2 {
		t.Errorf("got %d errors, want 2: %v", len(errs), errs)
	}
}

func itoaTest(n int) string { return encodeCell(&n) }

// wantError finds the row error of a row and column, failing if absent.
func wantError(t *testing.T, errs []domain.RowError, row int, column, code string) domain.RowError {
	t.Helper()
	for _, e := range errs {
		if e.Row == row && e.Column == column && e.Code == code {
			if e.Reason == "" {
				t.Errorf("row %d, %s: empty reason", row, column)
			}
			return e
		}
	}
	t.Errorf("no error %s for row %d, column %s; got %v", code, row, column, errs)
	return domain.RowError{}
}

func TestReaderHeader(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		opt   Options
		field string // the wrong column named in the error
		code  string
		text  string // expected in the message
	}{
		{"UnknownColumn/ErrInvalid", "vic_TraffickingStatus,prs_Frstname\n", testOptions, "prs_Frstname", "import.unknown_column", "did you mean prs_FirstName?"},
		{"UnknownColumnFarOff/ErrInvalid", "vic_TraffickingStatus,shoe size\n", testOptions, "shoe size", "import.unknown_column", `unknown column "shoe size"`},
		{"DuplicateColumn/ErrInvalid", "vic_TraffickingStatus,prs_FirstName,PRS_FIRSTNAME\n", testOptions, "PRS_FIRSTNAME", "import.duplicate_column", "repeats column B"},
		{"BothSpellings/ErrInvalid", "vic_TraffickingStatus,vic_TraffickingStatusDecisionMakingOrg,vic_TraffickinStatusDecisionMakingOrg\n", testOptions, "vic_TraffickinStatusDecisionMakingOrg", "import.duplicate_column", "repeats"},
		{"NoTraffickingStatus/ErrInvalid", "prs_FirstName\n", testOptions, "vic_TraffickingStatus", "import.missing_column", "vic_TraffickingStatus is missing"},
		{"NoAgency/ErrInvalid", "vic_TraffickingStatus\n", Options{Today: today}, "agency", "import.missing_column", "no agency"},
		{"EmptyFile/ErrInvalid", "", testOptions, "", "", "empty"},
		{"UTF16/ErrInvalid", "\xff\xfev\x00", testOptions, "", "", "UTF-16"},
		{"BadQuoteInHeader/ErrInvalid", "vic_TraffickingStatus,prs_First\"Name\nPossibleVictimOfTrafficking,a\n", testOptions, "", "", "header row is not valid CSV: a quote (\") inside a cell that is not quoted (line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.data), "csv", tt.opt)
			if err == nil {
				_, _, err = r.Next()
			}
			if domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("got %v, want an invalid-kind error", err)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q does not contain %q", err, tt.text)
			}
			if tt.field != "" {
				fe := domain.FieldErrors(err)
				if len(fe) == 0 || fe[0].Field != tt.field || fe[0].Code != tt.code {
					t.Errorf("field errors %+v, want %s %s first", fe, tt.field, tt.code)
				}
			}
		})
	}
	t.Run("UnknownFormat/ErrInvalid", func(t *testing.T) {
		if _, err := NewReader(strings.NewReader("x"), "ods", testOptions); domain.KindOf(err) != domain.KindInvalid {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("NotXLSX/ErrInvalid", func(t *testing.T) {
		if _, err := NewReader(strings.NewReader("not a zip"), "xlsx", testOptions); domain.KindOf(err) != domain.KindInvalid {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("BadAgencyOption/ErrInvalid", func(t *testing.T) {
		if _, err := NewReader(strings.NewReader("vic_TraffickingStatus\n"), "csv", Options{Agency: "kin"}); domain.KindOf(err) != domain.KindInvalid {
			t.Fatalf("got %v", err)
		}
	})
}

func TestReaderFileShapes(t *testing.T) {
	const row = "PossibleVictimOfTrafficking,Élodie"
	tests := []struct {
		name  string
		data  string
		rows  []int // rows of the records
		first string
	}{
		{"OnlyHeader/NoRecords", "vic_TraffickingStatus,prs_FirstName\n", nil, ""},
		{"OnlyHeaderNoNewline/NoRecords", "vic_TraffickingStatus,prs_FirstName", nil, ""},
		{"BOM/OK", "\ufeffvic_TraffickingStatus,prs_FirstName\n" + row + "\n", []int{2}, "Élodie"},
		{"CRLF/OK", "vic_TraffickingStatus,prs_FirstName\r\n" + row + "\r\n" + row + "\r\n", []int{2, 3}, "Élodie"},
		{"TrailingEmptyRows/Skipped", "vic_TraffickingStatus,prs_FirstName\n" + row + "\n,\n , \n\n,\n", []int{2}, "Élodie"},
		{"EmptyRowInside/Skipped", "vic_TraffickingStatus,prs_FirstName\n,\n" + row + "\n", []int{3}, "Élodie"},
		{"BlankLines/Counted", "vic_TraffickingStatus,prs_FirstName\n\n\n" + row + "\n\r\n" + row + "\n", []int{4, 6}, "Élodie"},
		{"MultilineThenBlank/Counted", "vic_TraffickingStatus,cas_ReasonForCaseClosure\nPossibleVictimOfTrafficking,\"a\r\nb\nc\"\n\n" + row + "\n", []int{2, 4}, ""},
		{"Semicolons/OK", "vic_TraffickingStatus;prs_FirstName;prs_Citizenship\nPossibleVictimOfTrafficking;Élodie;\"CD;AO\"\n", []int{2}, "Élodie"},
		{"ShortRowOfAnUnnamedColumn/OK", "vic_TraffickingStatus,prs_FirstName,\nPossibleVictimOfTrafficking,Élodie\n", []int{2}, "Élodie"},
		{"LabelRow/Skipped", "vic_TraffickingStatus,prs_FirstName\nTrafficking Status,First Name\n" + row + "\n", []int{3}, "Élodie"},
		{"LabelsAsHeader/OK", "Trafficking Status,First Name\n" + row + "\n", []int{2}, "Élodie"},
		{"MultilineCell/OneRow", "vic_TraffickingStatus,prs_FirstName,cas_ReasonForCaseClosure\n" + row + ",\"a\nb\"\n" + row + ",\n", []int{2, 3}, "Élodie"},
		{"QuotedFormula/Unquoted", "vic_TraffickingStatus,prs_FirstName\nPossibleVictimOfTrafficking,'=1+1\n", []int{2}, "=1+1"},
		// An apostrophe that protects nothing is the cell's own.
		{"LeadingApostrophe/Kept", "vic_TraffickingStatus,prs_FirstName\nPossibleVictimOfTrafficking,'Quoted\n", []int{2}, "'Quoted"},
		{"QuotedApostrophe/OneKept", "vic_TraffickingStatus,prs_FirstName\nPossibleVictimOfTrafficking,''Quoted\n", []int{2}, "'Quoted"},
		{"TextKeptExactly/OK", "vic_TraffickingStatus,prs_FirstName\nPossibleVictimOfTrafficking, Élodie \n", []int{2}, " Élodie "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, errs := importBytes(t, "csv", []byte(tt.data), testOptions)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			var rows []int
			for _, r := range recs {
				rows = append(rows, r.Row)
			}
			if !slices.Equal(rows, tt.rows) {
				t.Fatalf("records at rows %v, want %v", rows, tt.rows)
			}
			if len(recs) > 0 && recs[0].Case.Person.FirstName != tt.first {
				t.Errorf("first name %q, want %q", recs[0].Case.Person.FirstName, tt.first)
			}
		})
	}
	t.Run("AfterEOF/EOFAgain", func(t *testing.T) {
		r, err := NewReader(strings.NewReader("vic_TraffickingStatus\n"), "csv", testOptions)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, _, err := r.Next(); !errors.Is(err, io.EOF) {
				t.Fatalf("got %v", err)
			}
		}
	})
}

func TestReaderSourceKeys(t *testing.T) {
	data := "vic_TraffickingStatus,prs_FirstName,id,vig_SourceKey\n" +
		"PossibleVictimOfTrafficking,A,,\n" +
		"PossibleVictimOfTrafficking,A,,\n" +
		"PossibleVictimOfTrafficking,B,,\n" +
		"PossibleVictimOfTrafficking,C,0190f6a0-0000-7000-8000-000000000001,\n" +
		"PossibleVictimOfTrafficking,D,0190-y,ctdc:42\n"
	recs, errs := importBytes(t, "csv", []byte(data), testOptions)
	if len(errs) > 0 || len(recs) != 5 {
		t.Fatalf("got %d records, errors %v", len(recs), errs)
	}
	k := func(i int) string { return recs[i].Case.SourceKey }
	t.Run("IdenticalRows/Counted", func(t *testing.T) {
		a, b := strings.TrimSuffix(k(0), ":1"), strings.TrimSuffix(k(1), ":2")
		if a != b || a == k(0) || !strings.HasPrefix(a, "test:") || len(a) != len("test:")+16 {
			t.Errorf("keys %s and %s", k(0), k(1))
		}
	})
	t.Run("DifferentRows/DifferentKeys", func(t *testing.T) {
		if strings.TrimSuffix(k(2), ":1") == strings.TrimSuffix(k(0), ":1") {
			t.Errorf("rows A and B share %s", k(2))
		}
	})
	t.Run("ID/KeyFromID", func(t *testing.T) {
		if k(3) != "id:0190f6a0-0000-7000-8000-000000000001" {
			t.Errorf("got %s", k(3))
		}
	})
	t.Run("SourceKey/Kept", func(t *testing.T) {
		if k(4) != "ctdc:42" {
			t.Errorf("got %s", k(4))
		}
	})
	t.Run("DefaultSource/htcds", func(t *testing.T) {
		recs, _ := importBytes(t, "csv", []byte(data), Options{Agency: "KIN", Today: today})
		if !strings.HasPrefix(recs[0].Case.SourceKey, "htcds:") {
			t.Errorf("got %s", recs[0].Case.SourceKey)
		}
	})
	t.Run("AgencyColumn/Wins", func(t *testing.T) {
		recs, _ := importBytes(t, "csv", []byte("vic_TraffickingStatus,agency\nPossibleVictimOfTrafficking,GOM\nPossibleVictimOfTrafficking,\n"), testOptions)
		if len(recs) != 2 || recs[0].Case.Agency != "GOM" || recs[1].Case.Agency != "KIN" {
			t.Errorf("got %v", recs)
		}
	})
}

func TestReaderRejects(t *testing.T) {
	const ts = "vic_TraffickingStatus"
	const ok = "PossibleVictimOfTrafficking"
	long := strings.Repeat("é", 100<<10)
	tests := []struct {
		name   string
		header []string
		value  []string // the row after ts
		column string
		code   string
		reason string // expected in the reason
	}{
		{"BadEnum", []string{"prs_Gender"}, []string{"Martian"}, "prs_Gender", "validation.enum", "Feminine"},
		{"BadMultiEnum", []string{"vic_MethodsOfControl"}, []string{"DebtBondage;Magic"}, "vic_MethodsOfControl", "validation.enum", `"Magic"`},
		{"AmbiguousDate", []string{"prs_Birthdate"}, []string{"3/4/21"}, "prs_Birthdate", "validation.date", "ambiguous"},
		{"AmbiguousDateFourDigitYear", []string{"prs_Birthdate"}, []string{"05/11/2001"}, "prs_Birthdate", "validation.date", "ambiguous"},
		{"DayFirstDate", []string{"prs_Birthdate"}, []string{"27/11/2001"}, "prs_Birthdate", "validation.date", "write 2001-11-27"},
		{"MonthFirstDate", []string{"prs_Birthdate"}, []string{"11/27/2001"}, "prs_Birthdate", "validation.date", "write 2001-11-27"},
		{"DottedDayFirstDate", []string{"prs_Birthdate"}, []string{"31.12.1999"}, "prs_Birthdate", "validation.date", "write 1999-12-31"},
		{"DayFirstImpossibleDate", []string{"prs_Birthdate"}, []string{"31/02/2001"}, "prs_Birthdate", "validation.date", "not a calendar date"},
		{"ImpossibleDate", []string{"prs_Birthdate"}, []string{"2021-02-30"}, "prs_Birthdate", "validation.date", "calendar"},
		{"TextDate", []string{"prs_Birthdate"}, []string{"yesterday"}, "prs_Birthdate", "validation.date", "YYYY-MM-DD"},
		{"FutureDate", []string{"prs_Birthdate"}, []string{"2030-01-01"}, "prs_Birthdate", "validation.date_in_future", "future"},
		{"FutureEventDate", []string{"hte_Type", "hte_Date"}, []string{"Transit", "2027-01-01"}, "hte_Date", "validation.date_in_future", "future"},
		{"FutureReferralDate", []string{"cas_ReferringOrganisation", "cas_IncomingReferralDate"}, []string{"Police", "2027-01-01"}, "cas_IncomingReferralDate", "validation.date_in_future", "future"},
		{"BadPhone", []string{"prs_MobilePhone"}, []string{"+243 abc"}, "prs_MobilePhone", "validation.phone", "E.164"},
		{"PhoneTooLong", []string{"prs_HomePhone"}, []string{"+2438123456789012345"}, "prs_HomePhone", "validation.phone", "E.164"},
		{"BadCountry", []string{"prs_Citizenship"}, []string{"CD;ZX"}, "prs_Citizenship", "validation.country", `"ZX"`},
		{"CountryName", []string{"prs_MailingCountry"}, []string{"Kongo"}, "prs_MailingCountry", "validation.country", "alpha-2"},
		{"CountryNameCongoIsAmbiguous", []string{"prs_MailingCountry"}, []string{"Congo"}, "prs_MailingCountry", "validation.country", "write CG for the Republic of the Congo"},
		{"BadEventCountry", []string{"hte_Type", "hte_Country"}, []string{"Transit", "XX"}, "hte_Country", "validation.country", "alpha-2"},
		{"BadLanguage", []string{"prs_PrimaryLanguage"}, []string{"french"}, "prs_PrimaryLanguage", "validation.language", "639-2"},
		{"BadBoolean", []string{"con_Consent"}, []string{"maybe"}, "con_Consent", "validation.boolean", "TRUE"},
		{"BadNumber", []string{"prs_NumberOfChildren"}, []string{"two"}, "prs_NumberOfChildren", "validation.number", "whole"},
		{"NumberOutOfRange", []string{"prs_NumberOfChildren"}, []string{"50"}, "prs_NumberOfChildren", "validation.range", "between"},
		{"CommaDecimalTwice", []string{"prs_MailingLatitude"}, []string{"-4,3,2"}, "prs_MailingLatitude", "validation.decimal", "dot"},
		{"CommaDecimalExponent", []string{"prs_MailingLatitude"}, []string{"4,5e1"}, "prs_MailingLatitude", "validation.decimal", "dot"},
		{"LatitudeOutOfRange", []string{"prs_MailingLatitude"}, []string{"95"}, "prs_MailingLatitude", "validation.latitude", "-90"},
		{"NotANumber", []string{"hte_Type", "hte_Longitude"}, []string{"Transit", "NaN"}, "hte_Longitude", "validation.decimal", "decimal"},
		{"BadEmail", []string{"prs_Email"}, []string{"nobody"}, "prs_Email", "validation.email", "e-mail"},
		// A long number a spreadsheet wrote with an exponent lost digits.
		// In CSV, in the form Excel saves such a number (1.23457E+17).
		{"ScientificIdentity", []string{"prs_IdentityNumber"}, []string{"1.23457E+17"}, "prs_IdentityNumber", "validation.scientific_notation", "scientific"},
		{"ScientificPostalCode", []string{"prs_MailingPostalCode"}, []string{"1,23457E+11"}, "prs_MailingPostalCode", "validation.scientific_notation", "scientific"},
		{"BadTimestamp", []string{"created_at"}, []string{"hier"}, "created_at", "validation.timestamp", "2026"},
		{"BadAgency", []string{"agency"}, []string{"kin!"}, "agency", "validation.agency_code", "agency code"},
		{"BadPeriod", []string{"vig_RegistrationPeriod"}, []string{"2018-2014"}, "vig_RegistrationPeriod", "validation.period", "span"},
		{"YearMismatch", []string{"vig_RegistrationDate", "vig_RegistrationYear"}, []string{"2024-01-01", "2023"}, "vig_RegistrationYear", "validation.mismatch", "2024"},
		{"MissingStatus", nil, nil, ts, "validation.required", "required"},
		{"EventWithoutType", []string{"hte_Country"}, []string{"CD"}, "hte_Type", "validation.required", "required"},
		{"OutgoingReasonOnly", []string{"cas_ReasonForOutgoingReferral"}, []string{"Other"}, "cas_ReferredOrganisation", "validation.required", "outgoing"},
		{"MisspeltColumn/NamedAsWritten", []string{"vic_TraffickinStatusDecisionMakingOrg"}, []string{"Sorcerer"}, "vic_TraffickinStatusDecisionMakingOrg", "validation.enum", "Police"},
		{"BlankColumn/CanonicalName", []string{"cas_ReferredOrganisation", "cas_ReferredPrimaryCaseWorker", "", "cas_OutgoingReferralDate"}, []string{"Caritas", "", "Sometimes", ""}, "cas_ReasonForOutgoingReferral", "validation.enum", "Other"},
		{"NUL", []string{"prs_FirstName"}, []string{"Élo\x00die"}, "prs_FirstName", "validation.control_character", "U+0000"},
		{"InvalidUTF8", []string{"prs_FirstName"}, []string{"\x81\xe9lodie"}, "prs_FirstName", "validation.invalid_utf8", "UTF-8"},
		{"InvalidUTF8InCode", []string{"prs_Gender"}, []string{"F\x81minine"}, "prs_Gender", "validation.invalid_utf8", "UTF-8"},
		{"HugeCell", []string{"prs_FirstName"}, []string{long}, "prs_FirstName", "validation.too_long", "limit"},
		{"HugeLongText", []string{"cas_ReasonForCaseClosure"}, []string{long}, "cas_ReasonForCaseClosure", "validation.too_long", "20000"},
		{"ControlCharInID", []string{"case_number"}, []string{"KIN\x07"}, "case_number", "validation.identifier", "control"},
		{"BeyondHeader", []string{"prs_FirstName"}, []string{"A", "extra"}, "column C", "import.beyond_header", "beyond"},
		{"UnnamedColumn", []string{"prs_FirstName", "", "prs_SecondName"}, []string{"A", "stray", "B"}, "column C", "import.unnamed_column", "name"},
		{"EventsNotJSON", []string{"vig_Events"}, []string{"two events"}, "vig_Events", "validation.json", "JSON list"},
		{"EventsTruncated", []string{"vig_Events"}, []string{`[{"hte_Type":`}, "vig_Events", "validation.json", "JSON"},
		{"EventsNull", []string{"vig_Events"}, []string{"[null]"}, "vig_Events", "validation.json", "null"},
		{"EventsUnknownField", []string{"vig_Events"}, []string{`[{"hte_Type":"Transit","hte_Colour":"red"}]`}, "vig_Events", "validation.unknown_field", "item 1: hte_Colour: is not a field"},
		{"EventsFieldCase", []string{"vig_Events"}, []string{`[{"hte_Type":"Transit"},{"HTE_TYPE":"Transit"}]`}, "vig_Events", "validation.unknown_field", `item 2: HTE_TYPE: is not a field of this record; did you mean "hte_Type"?`},
		{"EventsWrongType", []string{"vig_Events"}, []string{`[{"hte_Type":5}]`}, "vig_Events", "validation.type", "hte_Type: must be a string"},
		{"EventsBadDate", []string{"vig_Events"}, []string{`[{"hte_Type":"Transit","hte_Date":"01/02/2020"}]`}, "vig_Events", "validation.date_format", "item 1: hte_Date"},
		{"EventsBadCountry", []string{"vig_Events"}, []string{`[{"hte_Type":"Transit","hte_Country":"XX"}]`}, "vig_Events", "validation.country", "item 1: hte_Country"},
		{"FurtherEventBadCountry", []string{"hte_Type", "vig_Events"}, []string{"Transit", `[{"hte_Type":"Transit"},{"hte_Type":"Transit","hte_Country":"XX"}]`}, "vig_Events", "validation.country", "item 2: hte_Country"},
		{"EventMetaWithoutEvent", []string{"vig_EventMeta"}, []string{`{"id":"x","version":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`}, "vig_EventMeta", "validation.orphan", "hte_"},
		{"PerpetratorBadEmail", []string{"vig_Perpetrators"}, []string{`[{"person":{"prs_Email":"x"}}]`}, "vig_Perpetrators", "validation.email", "item 1: person.prs_Email"},
		{"CommentEmpty", []string{"vig_Comments"}, []string{`[{"cco_CaseComment":""}]`}, "vig_Comments", "validation.required", "item 1"},
		{"ReferralWrongDirection", []string{"vig_Referrals"}, []string{`[{"direction":"sideways"}]`}, "vig_Referrals", "validation.enum", "item 1: direction"},
		{"ReferralsDisagree", []string{"cas_ReferringOrganisation", "vig_Referrals"}, []string{"Police", `[{"direction":"incoming","cas_ReferringOrganisation":"OIM"}]`}, "cas_ReferringOrganisation", "validation.inconsistent", `"OIM"`},
		{"ConsentsDisagree", []string{"con_Consent", "vig_Consents"}, []string{"FALSE", `[{"con_Consent":true}]`}, "con_Consent", "validation.inconsistent", "latest"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/Rejected", func(t *testing.T) {
			header := append([]string{ts}, tt.header...)
			value := []string{ok}
			if tt.name == "MissingStatus" {
				value = []string{""}
				header = append(header, "prs_FirstName")
				value = append(value, "A")
			}
			value = append(value, tt.value...)
			good := make([]string, len(header))
			good[0] = ok
			data := csvText(header, value, good)
			recs, errs := importBytes(t, "csv", data, testOptions)
			e := wantError(t, errs, 2, tt.column, tt.code)
			if !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("reason %q does not contain %q", e.Reason, tt.reason)
			}
			if len(e.Value) > 4*maxErrorValue+8 {
				t.Errorf("the error repeats %d bytes of the value", len(e.Value))
			}
			if len(recs) != 1 || recs[0].Row != 3 {
				t.Errorf("the next row is not imported: %v", recs)
			}
			for _, x := range errs {
				if x.Row != 2 {
					t.Errorf("error for row %d: %v", x.Row, x)
				}
			}
		})
	}
}

func TestReaderAgreeingColumns(t *testing.T) {
	// An export's cas_ columns agree with vig_Referrals; an edited file
	// may clear them, and vig_Referrals alone speaks.
	c := fullCase()
	data := export(t, "csv", c)
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range rows[0] {
		if referralColumn(columnByName[strings.ToLower(name)], "incoming") || name == "con_Consent" {
			rows[1][i] = ""
		}
	}
	recs, errs := importBytes(t, "csv", csvText(rows...), testOptions)
	if len(errs) > 0 || len(recs) != 1 {
		t.Fatalf("got %v", errs)
	}
	assertSameCase(t, c, recs[0].Case)
}
