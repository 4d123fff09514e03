// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"vigie/internal/domain"
)

// checkImport drains a reader and checks the import contract: no panic,
// fatal errors of the invalid kind, every case valid, and every case
// coming back equal from an export in the same format.
func checkImport(t *testing.T, format string, r nexter) {
	for range 500 {
		rec, errs, err := r.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			if domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("fatal error of kind %s: %v", domain.KindOf(err), err)
			}
			return
		}
		if rec == nil {
			if len(errs) == 0 {
				t.Fatal("neither a record nor row errors")
			}
			for _, e := range errs {
				if e.Row < 1 || e.Reason == "" || e.Code == "" {
					t.Fatalf("incomplete row error %+v", e)
				}
			}
			continue
		}
		if len(errs) > 0 {
			t.Fatal("a record with row errors")
		}
		if err := rec.Case.Validate(today); err != nil {
			t.Fatalf("row %d: an imported case is invalid: %v", rec.Row, err)
		}
		back, rejects := importBytes(t, format, export(t, format, rec.Case), testOptions)
		if len(rejects) > 0 || len(back) != 1 {
			t.Fatalf("row %d: the export of an imported case does not re-import: %v", rec.Row, rejects)
		}
		assertSameCase(t, rec.Case, back[0].Case)
	}
}

func FuzzCSVReader(f *testing.F) {
	f.Add(export(f, "csv", fullCase(), hostileCase(), minimalCase("seed:1")))
	f.Add(handTemplateCSV())
	f.Add([]byte("vic_TraffickingStatus\nPossibleVictimOfTrafficking\n"))
	f.Add([]byte("\ufeffvic_TraffickingStatus;prs_Citizenship;prs_MailingLatitude\r\nActual victim of trafficking;\"cd; ao\";-4.5\r\n"))
	f.Add([]byte(",cas_ReferredOrganisation,cas_ReferredPrimaryCaseWorker,,cas_OutgoingReferralDate,vic_TraffickingStatus\n1,Caritas,,Other,2020-01-01,PossibleVictimOfTrafficking\n"))
	f.Add([]byte("vic_TraffickingStatus,hte_Type,vig_Events,vig_Referrals,cas_ReferringOrganisation\nPossibleVictimOfTrafficking,Transit,\"[{\"\"hte_Type\"\":\"\"Exploitation\"\"}]\",\"[{\"\"direction\"\":\"\"incoming\"\",\"\"cas_ReferringOrganisation\"\":\"\"A\"\"}]\",A\n"))
	f.Add([]byte("vic_TraffickingStatus,prs_FirstName,prs_Birthdate\nPossibleVictimOfTrafficking,'=1+1,3/4/21\nPossibleVictimOfTrafficking,\x00\xff,2030-01-01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), "csv", testOptions)
		if err != nil {
			if domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("header error of kind %s: %v", domain.KindOf(err), err)
			}
			return
		}
		defer r.Close()
		checkImport(t, "csv", r)
	})
}

func FuzzJSONReader(f *testing.F) {
	f.Add(export(f, "json", fullCase(), hostileCase(), minimalCase("seed:1")))
	f.Add([]byte(`[{"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"}}]`))
	f.Add([]byte(`[{"events":[null]},{"person":{"prs_firstname":"x"}},5,null,{"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking"},"person":{"prs_Birthdate":"31/12/2001"}}]`))
	f.Add([]byte(`[{"agency":"KIN","version":-1,"created_at":"2026-01-01T00:00:00+01:00","victim":{"vic_TraffickingStatus":"NotAVictimOfTrafficking","vig_AgeBand":"48+"},"referrals":[{"direction":"incoming","cas_ReferringOrganisation":"A"},{"direction":"incoming","cas_ReferringOrganisation":"B"}],"consents":[{"con_Consent":true,"vig_ConsentDate":"2020-01-01"},{"con_Consent":false}]}]`))
	f.Add([]byte(`[`))
	f.Add([]byte(`[] x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewJSONReader(bytes.NewReader(data), testOptions)
		if err != nil {
			if domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("error of kind %s: %v", domain.KindOf(err), err)
			}
			return
		}
		checkImport(t, "json", r)
	})
}

// FuzzXLSXReader: workbooks are zip archives of XML, so most mutations are
// broken archives; each must be refused as invalid input, never panic.
func FuzzXLSXReader(f *testing.F) {
	good := export(f, "xlsx", fullCase(), hostileCase(), minimalCase("seed:1"))
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("PK\x03\x04not really a zip"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), "xlsx", testOptions)
		if err != nil {
			if domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("error of kind %s: %v", domain.KindOf(err), err)
			}
			return
		}
		defer r.Close()
		checkImport(t, "xlsx", r)
	})
}
