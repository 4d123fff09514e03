// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"errors"
	"io"
	"strings"
	"testing"

	"vigie/internal/domain"
)

func TestJSONReader(t *testing.T) {
	const good = `{"agency":"KIN","cas_Status":"Active","vig_SourceKey":"k","person":{},"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}}`
	tests := []struct {
		name    string
		element string
		column  string
		code    string
		reason  string
	}{
		{"UnknownField", `{"prs_Bogus":1}`, "prs_Bogus", "validation.unknown_field", "not a field"},
		{"WrongCase", `{"person":{"prs_firstname":"A"}}`, "person.prs_firstname", "validation.unknown_field", `did you mean "prs_FirstName"?`},
		{"WrongType", `{"person":{"prs_NumberOfChildren":"two"}}`, "person.prs_NumberOfChildren", "validation.type", "whole number"},
		{"NotAnObject", `5`, "", "validation.json", "not a JSON object"},
		{"Null", `null`, "", "validation.json", "not a JSON object"},
		{"NullPart", `{"events":[{"hte_Type":"Transit"},null]}`, "events[1]", "validation.json", "null"},
		{"BadDate", `{"person":{"prs_Birthdate":"31/12/2001"},"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}}`, "person.prs_Birthdate", "validation.date_format", "YYYY-MM-DD"},
		{"Invalid", `{"person":{"prs_Email":"nobody"},"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}}`, "person.prs_Email", "validation.email", "e-mail"},
		{"Label", `{"victim":{"vic_TraffickingStatus":"Actual victim of trafficking"}}`, "victim.vic_TraffickingStatus", "validation.enum", "ActualVictimOfTrafficking"},
		{"BadPart", `{"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"},"events":[{"hte_Type":"Transit","hte_Country":"XX"}]}`, "events[0].hte_Country", "validation.country", "alpha-2"},
		{"BadAgency", `{"agency":"kin","victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}}`, "agency", "validation.agency_code", "agency code"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/Rejected", func(t *testing.T) {
			other := strings.Replace(good, `"vig_SourceKey":"k"`, `"vig_SourceKey":"k2"`, 1) // one key, one case
			recs, errs := importBytes(t, "json", []byte("["+good+",\n"+tt.element+",\n"+other+"]"), testOptions)
			if len(recs) != 2 || recs[0].Row != 1 || recs[1].Row != 3 {
				t.Fatalf("the good elements are not all imported: %v", recs)
			}
			e := wantError(t, errs, 2, tt.column, tt.code)
			if !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("reason %q does not contain %q", e.Reason, tt.reason)
			}
		})
	}

	fatal := []struct {
		name, data, text string
	}{
		{"Empty", "", "empty"},
		{"NotAnArray", `{"agency":"KIN"}`, "array"},
		{"Syntax", "[" + good + ",{", "element 2"},
		{"Unclosed", "[" + good, "not closed"},
		{"TrailingData", "[" + good + "] []", "after the JSON array"},
	}
	for _, tt := range fatal {
		t.Run(tt.name+"/ErrInvalid", func(t *testing.T) {
			r, err := NewJSONReader(strings.NewReader(tt.data), testOptions)
			for err == nil {
				_, _, err = r.Next()
			}
			if errors.Is(err, io.EOF) || domain.KindOf(err) != domain.KindInvalid || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("got %v, want an invalid-kind error about %q", err, tt.text)
			}
			if r != nil {
				if _, _, again := r.Next(); again != err {
					t.Errorf("the error is not sticky: then %v", again)
				}
			}
		})
	}

	t.Run("SourceKeys/IdenticalElementsCounted", func(t *testing.T) {
		const noKey = `{"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}}`
		spaced := strings.ReplaceAll(noKey, ":", " : ")
		recs, errs := importBytes(t, "json", []byte("["+noKey+","+spaced+`,{"id":"abc","victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}}]`), testOptions)
		if len(errs) > 0 || len(recs) != 3 {
			t.Fatalf("got %v, %v", recs, errs)
		}
		a, b := recs[0].Case.SourceKey, recs[1].Case.SourceKey
		if !strings.HasSuffix(a, ":1") || strings.TrimSuffix(a, ":1")+":2" != b {
			t.Errorf("keys %s and %s", a, b)
		}
		// Not a Vigie case ID: another system's number, within its file.
		if recs[2].Case.SourceKey != "test:id:abc" || recs[0].Case.Agency != "KIN" {
			t.Errorf("got %+v", recs[2].Case)
		}
	})
}

// TestJSONReaderByteOrderMark: a JSON file saved by Notepad as "UTF-8 with
// BOM" imports like the same file without the mark — it was refused as a
// whole, "the file is not JSON", while the CSV import and the API read it.
func TestJSONReaderByteOrderMark(t *testing.T) {
	const good = `{"agency":"KIN","cas_Status":"Active","vig_SourceKey":"k","person":{},"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}}`
	recs, errs := importBytes(t, "json", []byte("\xef\xbb\xbf["+good+"]"), testOptions)
	if len(recs) != 1 || len(errs) != 0 {
		t.Fatalf("with a byte order mark: %v %v", recs, errs)
	}
	// A mark anywhere else is not skipped: it is no JSON.
	if _, err := NewJSONReader(strings.NewReader(" \xef\xbb\xbf["+good+"]"), testOptions); err == nil {
		t.Fatal("a mark after a space was read as JSON")
	}
}

// TestJSONReaderUTF16: a JSON file in UTF-16 (Windows PowerShell 5 writes
// it for '>' and Out-File), with or without its byte order mark, is
// refused saying so — it was 'the file is not JSON: invalid character
// 'ÿ' looking for beginning of value'.
func TestJSONReaderUTF16(t *testing.T) {
	utf16le := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			b.WriteByte(byte(r))
			b.WriteByte(0)
		}
		return b.String()
	}
	for name, in := range map[string]string{
		"LEWithMark":    "\xff\xfe" + utf16le(`[{"agency":"KIN"}]`),
		"BEWithMark":    "\xfe\xff\x00[\x00{",
		"LEWithoutMark": utf16le(`[{"agency":"KIN"}]`),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewJSONReader(strings.NewReader(in), testOptions)
			if domain.KindOf(err) != domain.KindInvalid || !strings.Contains(err.Error(), "UTF-16") {
				t.Fatalf("error %v", err)
			}
		})
	}
}

// TestJSONRejectsShowTheValue: a JSON element's reject left the value
// column empty ("Femme" was only inside the reason), where the CSV and
// XLSX rejects show the cell; and an element with a value of the wrong
// type was rejected for it alone, its other mistakes left for the next
// try.
func TestJSONRejectsShowTheValue(t *testing.T) {
	const el = `[{"person":{"prs_Gender":"Femme","prs_NumberOfChildren":"two"},"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"},"events":[{"hte_Type":"Transit","hte_Country":"Congo"}]}]`
	_, errs := importBytes(t, "json", []byte(el), testOptions)
	got := map[string]string{}
	for _, e := range errs {
		got[e.Column+" "+e.Code] = e.Value
	}
	want := map[string]string{
		"person.prs_Gender validation.enum":           "Femme",
		"person.prs_NumberOfChildren validation.type": "two",
		"events[0].hte_Country validation.country":    "Congo",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: value %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}
