// SPDX-License-Identifier: AGPL-3.0-or-later

package ctdc

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"vigie/internal/csvsep"
	"vigie/internal/domain"
)

// csvRows counts the data rows encoding/csv reads in data (records and
// rows it rejects as malformed), independently of Reader.
func csvRows(data []byte, skipBlank bool) int {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	// Line ends as the reader reads them: a CR alone ends a line too.
	cr := csv.NewReader(csvsep.CRLines(bytes.NewReader(data)))
	cr.FieldsPerRecord = -1
	n := 0
	for first := true; ; first = false {
		rec, err := cr.Read()
		var pe *csv.ParseError
		if err == io.EOF || err != nil && !errors.As(err, &pe) {
			break
		}
		if err == nil && !first && skipBlank && blankRow(rec) {
			continue // a row of separators only is skipped
		}
		n++
	}
	return n - 1 // the header
}

// FuzzReader feeds the reader CSV input: a known header (global2017 when
// header%3 == 1, vpsynthetic when 2) followed by body, or body alone (0),
// so that the rows are fuzzed with small inputs and the header too. The
// reader must never panic; every case it returns must be valid; every
// data row must come out as exactly one record or one reject.
func FuzzReader(f *testing.F) {
	const raw, global, vp = 0, 1, 2
	g, v := globalHeader()+"\n", vpHeader()+"\n"
	for _, seed := range []struct {
		header uint8
		body   string
	}{
		{global, globalLine(nil) + "\n"},
		{global, globalLine(map[string]string{"Datasource": "Hotline", "isSexAndLabour": "1", "CountryOfExploitation": "US", "RecruiterRelationship": "Friend; Intimate Partner"}) + "\r\n"},
		{global, globalLine(map[string]string{"typeOfLabourAgriculture": "1", "isAbduction": "0", "recruiterRelationUnknown": "1"}) + "\n" + globalLine(map[string]string{"isForcedLabour": "2"}) + "\n"},
		{global, "2016,Hotline\n" + strings.Replace(globalLine(nil), "Case Management", `Case "Management`, 1) + "\n"},
		{global, strings.Replace(globalLine(nil), "Case Management", `"Case Management`, 1) + "\n" + globalLine(nil)},
		{vp, vpLine(nil) + "\n" + vpLine(map[string]string{"yearRegister": "2014-2018", "IP_Gender": "Female;Male", "IP_PayMoney": "No;Yes", "IP_Exploiter": "1"}) + "\n"},
		{vp, vpLine(map[string]string{"yearRegister": "20x5", "UN_COO_Region": "Americas/Oceania"}) + "\n,,,\n\n"},
		{vp, vpLine(map[string]string{"gender": "<script>\x00", "IP_ageBroad": "\xff"}) + "\n"},
		{raw, "\uFEFF" + v + vpLine(nil) + "\r\n"},
		{raw, strings.Replace(v, "gender", "gendre", 1) + vpLine(nil)},
		{raw, g + globalLine(nil)},
		{raw, "a,b\n1,2\n"},
		{raw, ""},
		{raw, "\""},
	} {
		f.Add(seed.header, []byte(seed.body))
	}
	today := domain.DateOf(time.Now().UTC())
	f.Fuzz(func(t *testing.T, header uint8, body []byte) {
		var data []byte
		switch header % 3 {
		case global:
			data = append([]byte(g), body...)
		case vp:
			data = append([]byte(v), body...)
		default:
			data = body
		}
		r, err := NewReader(bytes.NewReader(data), Options{Agency: "CTDC", Source: "fuzz.csv"})
		if err != nil {
			if domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("header error of kind %s: %v", domain.KindOf(err), err)
			}
			return
		}
		records, rejected := 0, 0
		keys := map[string]bool{}
		// Rows are numbered as a spreadsheet shows them: each after the
		// one before.
		last := 1
		next := func(row int) {
			if row <= last {
				t.Fatalf("row %d after row %d", row, last)
			}
			last = row
		}
		for {
			rec, rej, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				// Fatal only for a quote left open to the end of the file.
				if domain.KindOf(err) != domain.KindInvalid || !strings.Contains(err.Error(), "is not closed before the end of the file") {
					t.Fatalf("unexpected fatal error: %v", err)
				}
				return
			}
			switch {
			case rec != nil && rej == nil:
				records++
				if err := rec.Case.Validate(today); err != nil {
					t.Fatalf("row %d: returned case is invalid: %v", rec.Row, err)
				}
				if keys[rec.Case.SourceKey] {
					t.Fatalf("row %d: source key %s repeats", rec.Row, rec.Case.SourceKey)
				}
				keys[rec.Case.SourceKey] = true
				next(rec.Row)
			case rec == nil && len(rej) > 0:
				rejected++
				next(rej[0].Row)
				for _, e := range rej {
					if e.Row < 2 || e.Code == "" || e.Reason == "" {
						t.Fatalf("incomplete reject %+v", e)
					}
					for _, s := range []string{e.Column, e.Value, e.Reason} {
						if !utf8.ValidString(s) || strings.ContainsFunc(s, isControl) || utf8.RuneCountInString(s) > 2000 {
							t.Fatalf("reject text is not clean: %q", s)
						}
					}
				}
			default:
				t.Fatalf("Next returned record %v and rejects %v", rec, rej)
			}
		}
		if records+rejected != r.Rows() {
			t.Fatalf("%d records + %d rejected != %d rows read", records, rejected, r.Rows())
		}
		if n := csvRows(data, true); records+rejected != n {
			t.Fatalf("%d records + %d rejected != %d rows in the file", records, rejected, n)
		}
	})
}
