// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vigie/internal/domain"
)

func TestColumns(t *testing.T) {
	t.Run("NamesAndLabelsUnique", func(t *testing.T) {
		names, labels := map[string]bool{}, map[string]bool{}
		for _, c := range columns {
			if names[strings.ToLower(c.Name)] || labels[fold(c.Label)] {
				t.Errorf("column %s: name or label %q is not unique", c.Name, c.Label)
			}
			names[strings.ToLower(c.Name)], labels[fold(c.Label)] = true, true
			if (c.kind == kEnum || c.kind == kEnums) != (c.enum != nil) {
				t.Errorf("column %s: picklist kind and enum disagree", c.Name)
			}
		}
	})
	t.Run("TemplateColumnsFirst", func(t *testing.T) {
		want := strings.Fields(`cas_CaseOwner prs_Salutation prs_FirstName prs_SecondName con_Consent
			prs_Birthdate prs_Gender prs_Citizenship prs_Title prs_Email prs_HomePhone prs_MobilePhone
			prs_MailingCity prs_MailingCountry prs_MailingState prs_MailingStreet prs_MailingPostalCode
			vic_TraffickingStatus vic_TraffickingStatusDecisionMakingOrg vic_MethodOfRecruitment
			vic_LocationOfRecruitment vic_MethodsOfControl vic_TypeOfExploitation vic_ForcedLabourIndustry
			vic_TypeOfSexExploitation vic_LocationOfExploitation cas_Status cas_ReferringOrganisation
			cas_IncomingReferralDate cas_ReferringPrimaryCaseWorker cas_ReasonForIncomingReferral
			cas_IncomingReferralDetails cas_ReferredOrganisation cas_ReferredPrimaryCaseWorker
			cas_ReasonForOutgoingReferral cas_OutgoingReferralDate cas_OutgoingReferralDetails
			cas_ReasonForCaseClosure`)
		if len(want) != templateColumns {
			t.Fatalf("the template has %d columns, not %d", len(want), templateColumns)
		}
		for i, n := range want {
			if columns[i].Name != n {
				t.Errorf("column %d is %s, want %s", i, columns[i].Name, n)
			}
		}
	})
	t.Run("EveryFieldHasAColumn", func(t *testing.T) {
		// Every JSON key of the case, person and victim has a column, so
		// that nothing is lost (parts go to JSON columns).
		keys := map[string]any{}
		if err := jsonUnmarshal(jsonOf(t, fullCase()), &keys); err != nil {
			t.Fatal(err)
		}
		for _, group := range []string{"person", "victim"} {
			for k := range keys[group].(map[string]any) {
				keys[k] = nil
			}
			delete(keys, group)
		}
		for k := range keys {
			if _, ok := columnByName[strings.ToLower(k)]; !ok && !isListKey(k) {
				t.Errorf("JSON field %s has no column", k)
			}
		}
	})
}

func isListKey(k string) bool {
	for _, l := range domain.PartKinds {
		if string(l) == k {
			return true
		}
	}
	return false
}

func TestRoundTrip(t *testing.T) {
	withoutKey := fullCase()
	withoutKey.SourceKey = ""
	oneEvent := minimalCase("test:one-event")
	oneEvent.Events = []*domain.Event{{Type: "Transit", Country: "UG"}}
	oneReferralEach := minimalCase("test:referrals")
	oneReferralEach.Referrals = []*domain.Referral{
		{Direction: "outgoing", ReferredOrganisation: "Caritas"},
		{Direction: "incoming", ReferringOrganisation: "Police"},
	}
	plainConsent := minimalCase("test:consent")
	plainConsent.Consents = []*domain.Consent{{Consent: true}}
	unicode := minimalCase("test:unicode")
	unicode.Person.FirstName = "Kabasele Ngalula wa Mutombo"
	unicode.Person.SecondName = "Élodie Nzuzi"
	unicode.Person.MailingStreet = "  espaces gardés  "
	unicode.Victim.DetailsOfVulnerabilities = "日本語, عربي, emoji 🙂; guillemets \"doubles\""

	cases := map[string]*domain.Case{
		"Full":                fullCase(),
		"Minimal":             minimalCase("test:minimal"),
		"Unicode":             unicode,
		"Hostile":             hostileCase(),
		"OneEvent":            oneEvent,
		"ReferralsOutOfOrder": oneReferralEach,
		"PlainConsent":        plainConsent,
	}
	for name, c := range cases {
		mustValid(t, c)
		for _, format := range []string{"csv", "xlsx", "json"} {
			t.Run(name+"/"+format+"/Equal", func(t *testing.T) {
				recs, errs := importBytes(t, format, export(t, format, c), testOptions)
				if len(errs) > 0 || len(recs) != 1 {
					t.Fatalf("got %d records and errors %v", len(recs), errs)
				}
				assertSameCase(t, c, recs[0].Case)
			})
		}
	}

	t.Run("SeveralCases/csv/RowsNumbered", func(t *testing.T) {
		recs, errs := importBytes(t, "csv", export(t, "csv", fullCase(), minimalCase("test:2"), hostileCase()), testOptions)
		if len(errs) > 0 || len(recs) != 3 {
			t.Fatalf("got %d records and errors %v", len(recs), errs)
		}
		for i, r := range recs {
			if r.Row != i+2 {
				t.Errorf("record %d has row %d, want %d", i, r.Row, i+2)
			}
		}
	})
	t.Run("SeveralCases/xlsx/RowsNumbered", func(t *testing.T) {
		recs, errs := importBytes(t, "xlsx", export(t, "xlsx", fullCase(), minimalCase("test:2")), testOptions)
		if len(errs) > 0 || len(recs) != 2 || recs[0].Row != 3 || recs[1].Row != 4 {
			t.Fatalf("got records %v and errors %v; want rows 3 and 4", recs, errs)
		}
	})

	for _, format := range []string{"csv", "xlsx", "json"} {
		t.Run("NoSourceKey/"+format+"/KeyFromID", func(t *testing.T) {
			recs, errs := importBytes(t, format, export(t, format, withoutKey), testOptions)
			if len(errs) > 0 || len(recs) != 1 {
				t.Fatalf("got %d records and errors %v", len(recs), errs)
			}
			want := fullCase()
			want.SourceKey = "id:" + want.ID
			assertSameCase(t, want, recs[0].Case)
		})
		t.Run("Empty/"+format+"/NoRecords", func(t *testing.T) {
			recs, errs := importBytes(t, format, export(t, format), testOptions)
			if len(recs) != 0 || len(errs) != 0 {
				t.Fatalf("got %v, %v from an empty export", recs, errs)
			}
		})
	}

	t.Run("CRLFInText/csv/BecomesLF", func(t *testing.T) {
		c := minimalCase("test:crlf")
		c.ReasonForCaseClosure = "one\r\ntwo"
		recs, _ := importBytes(t, "csv", export(t, "csv", c), testOptions)
		if len(recs) != 1 || recs[0].Case.ReasonForCaseClosure != "one\ntwo" {
			t.Fatalf("got %v", recs)
		}
	})
	for _, format := range []string{"xlsx", "json"} {
		t.Run("CRLFInText/"+format+"/Kept", func(t *testing.T) {
			c := minimalCase("test:crlf")
			c.ReasonForCaseClosure = "one\r\ntwo"
			recs, _ := importBytes(t, format, export(t, format, c), testOptions)
			if len(recs) != 1 || recs[0].Case.ReasonForCaseClosure != "one\r\ntwo" {
				t.Fatalf("got %v", recs)
			}
		})
	}
}

func TestFlatEncoding(t *testing.T) {
	row := func(t *testing.T, c *domain.Case) map[string]string {
		t.Helper()
		recs, err := csv.NewReader(bytes.NewReader(export(t, "csv", c))).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("export: %v, %d rows", err, len(recs))
		}
		m := map[string]string{}
		for i, name := range recs[0] {
			m[name] = recs[1][i]
		}
		return m
	}
	t.Run("Full/ColumnsHoldFirstAndLatest", func(t *testing.T) {
		m := row(t, fullCase())
		for col, want := range map[string]string{
			"prs_Citizenship":           "CD;AO",
			"vic_MethodsOfControl":      "DebtBondage;RestrictsMovement;ThreatsLawEnforcement",
			"con_Consent":               "TRUE",
			"cas_ReferringOrganisation": "Police de Kinshasa",
			"cas_ReferredOrganisation":  "Hôpital général",
			"hte_Type":                  "Recruitment",
			"hte_Latitude":              "-4.3317",
			"prs_Birthdate":             "2004-07-01",
			"prs_Deceased":              "FALSE",
			"prs_NumberOfChildren":      "0",
			"created_at":                "2026-01-02T03:04:05.0000006Z",
		} {
			if m[col] != want {
				t.Errorf("%s = %q, want %q", col, m[col], want)
			}
		}
		for _, col := range []string{"vig_Events", "vig_EventMeta", "vig_Consents", "vig_Referrals", "vig_SupportPlans", "vig_Comments", "vig_Perpetrators"} {
			if !strings.HasPrefix(m[col], "[") && !strings.HasPrefix(m[col], "{") {
				t.Errorf("%s = %q, want JSON", col, m[col])
			}
		}
		if strings.Contains(m["vig_Events"], "ev-1") || !strings.Contains(m["vig_EventMeta"], "ev-1") {
			t.Errorf("the first event must be in the hte_ columns and vig_EventMeta only; vig_Events = %s", m["vig_Events"])
		}
	})
	t.Run("Simple/NoJSONColumns", func(t *testing.T) {
		m := row(t, func() *domain.Case {
			c := minimalCase("test:simple")
			c.Referrals = []*domain.Referral{{Direction: "incoming", ReferringOrganisation: "Police"}}
			c.Consents = []*domain.Consent{{Consent: false}}
			c.Events = []*domain.Event{{Type: "Exploitation", Country: "CD"}}
			return c
		}())
		for name, v := range m {
			if strings.HasPrefix(name, "vig_") && columns[columnByName[strings.ToLower(name)]].kind == kJSON && v != "" {
				t.Errorf("%s = %q, want empty: the HTCDS columns hold everything", name, v)
			}
		}
		if m["con_Consent"] != "FALSE" || m["cas_ReferringOrganisation"] != "Police" || m["hte_Country"] != "CD" {
			t.Errorf("HTCDS columns not filled: %v", m)
		}
	})
}

// dangerous reports whether a cell would start a formula in a spreadsheet.
func dangerous(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && !plainNumber.MatchString(s)
}

func TestFormulaInjection(t *testing.T) {
	c := hostileCase()
	t.Run("csv/CellsQuoted", func(t *testing.T) {
		rows, err := csv.NewReader(bytes.NewReader(export(t, "csv", c))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		checkCells(t, rows)
		if !bytes.Contains(export(t, "csv", c), []byte(`'=cmd|' /C calc'!A0`)) {
			t.Error("the formula is not prefixed with a quote")
		}
	})
	// In XLSX a text cell is never run, so the value is written as it is
	// (a quote in it was a visible apostrophe before every phone number),
	// in a cell of Excel's Text format, which an edit keeps text; no cell
	// is a formula.
	t.Run("xlsx/TextCells", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(export(t, "xlsx", c)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(SheetName)
		if err != nil {
			t.Fatal(err)
		}
		risky := 0
		for i, row := range rows {
			for j, v := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if formula, _ := f.GetCellFormula(SheetName, cell); formula != "" {
					t.Errorf("%s is a formula: %q", cell, formula)
				}
				if !dangerous(v) {
					continue
				}
				risky++
				id, err := f.GetCellStyle(SheetName, cell)
				if err != nil {
					t.Fatal(err)
				}
				if st, err := f.GetStyle(id); err != nil || st.NumFmt != 49 {
					t.Errorf("%s (%q) is not a Text cell: %+v %v", cell, v, st, err)
				}
			}
		}
		if risky == 0 {
			t.Fatal("the hostile case gave no cell to check")
		}
		if v, _ := f.GetCellValue(SheetName, "C3"); v != "=cmd|' /C calc'!A0" {
			t.Errorf("C3 = %q, want the value as it is", v)
		}
	})
	t.Run("NumbersNotQuoted", func(t *testing.T) {
		for _, s := range []string{"-4.5", "-42", "12"} {
			if needsQuote(s) {
				t.Errorf("%q is quoted", s)
			}
		}
		for _, s := range []string{"-", "-4.5e3", "+243812345678", "'", "@", "=1"} {
			if !needsQuote(s) {
				t.Errorf("%q is not quoted", s)
			}
		}
	})
}

func checkCells(t *testing.T, rows [][]string) {
	t.Helper()
	for i, row := range rows {
		for j, cell := range row {
			if dangerous(cell) {
				t.Errorf("row %d, column %d: %q would run as a formula", i+1, j+1, cell)
			}
		}
	}
}

func TestWriter(t *testing.T) {
	t.Run("UnknownFormat/ErrInvalid", func(t *testing.T) {
		if _, err := NewWriter(&bytes.Buffer{}, "ods"); domain.KindOf(err) != domain.KindInvalid {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("json/OneCasePerLine", func(t *testing.T) {
		out := string(export(t, "json", minimalCase("test:1"), minimalCase("test:2")))
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 4 || lines[0] != "[" || lines[3] != "]" || !strings.HasSuffix(lines[1], ",") {
			t.Fatalf("unexpected layout:\n%s", out)
		}
		b, _ := jsonMarshal(minimalCase("test:2"))
		if lines[2] != string(b) {
			t.Errorf("line 3 is not the encoding/json of the case:\n%s\n%s", lines[2], b)
		}
	})
	t.Run("json/EmptyArray", func(t *testing.T) {
		if out := string(export(t, "json")); out != "[]\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("xlsx/LabelRowAndHiddenNames", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(export(t, "xlsx", minimalCase("test:1"))))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if v, _ := f.GetCellValue(SheetName, "C1"); v != "prs_FirstName" {
			t.Errorf("C1 = %q", v)
		}
		if v, _ := f.GetCellValue(SheetName, "C2"); v != "First Name" {
			t.Errorf("C2 = %q", v)
		}
		if visible, _ := f.GetRowVisible(SheetName, 1); visible {
			t.Error("row 1 is visible")
		}
	})
	t.Run("xlsx/CellTooLong/ErrInvalid", func(t *testing.T) {
		c := minimalCase("test:long")
		c.Comments = []*domain.Comment{{Text: strings.Repeat("x", 20000)}, {Text: strings.Repeat("y", 20000)}}
		w, err := NewWriter(&bytes.Buffer{}, "xlsx")
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		err = w.Write(c)
		if domain.KindOf(err) != domain.KindInvalid || !strings.Contains(err.Error(), "vig_Comments") {
			t.Fatalf("got %v", err)
		}
		if err := w.Write(minimalCase("test:next")); err != nil {
			t.Fatalf("the writer is not usable after a rejected case: %v", err)
		}
	})
	t.Run("WriteAfterClose/Err", func(t *testing.T) {
		w, _ := NewWriter(&bytes.Buffer{}, "csv")
		_ = w.Close()
		if err := w.Write(minimalCase("x")); err == nil {
			t.Fatal("no error")
		}
	})
}

// TestXLSXOwnQuoteKept: a value that starts with a quote of its own was
// written with a second one ("”quoted" shown in Excel); only a quote
// the import would remove (before =, +, -, @) is doubled, and both come
// back as they were.
func TestXLSXOwnQuoteKept(t *testing.T) {
	c := minimalCase("test:quote")
	c.Person.FirstName, c.Person.SecondName = "'quoted", "'=x"
	b := export(t, "xlsx", c)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetName)
	if err != nil || len(rows) < 3 {
		t.Fatalf("rows: %v", err)
	}
	cells := map[string]string{}
	for i, name := range rows[0] {
		if i < len(rows[2]) {
			cells[name] = rows[2][i]
		}
	}
	if cells["prs_FirstName"] != "'quoted" || cells["prs_SecondName"] != "''=x" {
		t.Errorf("cells %q and %q", cells["prs_FirstName"], cells["prs_SecondName"])
	}
	recs, errs := importBytes(t, "xlsx", b, testOptions)
	if len(errs) != 0 || len(recs) != 1 || recs[0].Case.Person.FirstName != "'quoted" || recs[0].Case.Person.SecondName != "'=x" {
		t.Fatalf("re-imported %v %v", recs, errs)
	}
}
