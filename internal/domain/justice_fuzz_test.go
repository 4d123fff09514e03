// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"encoding/json"
	"testing"

	"vigie/internal/domain"
)

// FuzzStepJSON feeds any JSON to every kind of step and to a
// proceeding, as the API decodes them: validation never panics, and what
// it accepts stays accepted after a round trip (the store re-reads what
// it wrote), its dates not in the future.
func FuzzStepJSON(f *testing.F) {
	for _, s := range []string{
		`{"suspect_id":"KIN-S-2026-000001","arrested_on":"2026-03-03","arrest_place":"Kolwezi"}`,
		`{"defendant_id":"d","article_id":"A","charged_on":"2026-04-01","acts":["AtWork"],"means":["DebtBondage"],"purposes":["ForcedLabour"],"verdict":"Convicted","verdict_on":"2026-09-01"}`,
		`{"date":"2027-01-10","court":"TGI","outcome":""}`,
		`{"defendant_id":"d","sentenced_on":"2026-09-01","prison_months":96,"suspended":true,"fine":{"amount":5,"currency":"USD"}}`,
		`{"lodged_on":"2026-09-10","by":"Defence","court":"CA","outcome":"Upheld","decided_on":"2026-10-01"}`,
		`{"case_number":"KIN-2026-000001","witness":true,"testified_on":"2026-06-01","protection":["ClosedHearing"]}`,
		`{"agency":"KIN","complaint":{"date":"2026-03-01","source":"NGO"},"investigation":{"unit":"PJ","opened":"2026-03-02","closed":"2026-02-01"}}`,
		`{"date":"2026-02-30","court":"\u0000"}`, `{"prison_months":-1}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, k := range domain.StepKinds {
			s := domain.NewStep(k)
			if json.Unmarshal(b, s) != nil || s.Validate(justiceToday).Err() != nil {
				continue
			}
			again := domain.NewStep(k)
			out, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(out, again); err != nil {
				t.Fatalf("%s: %s does not read back: %v", k, out, err)
			}
			if err := again.Validate(justiceToday).Err(); err != nil {
				t.Fatalf("%s: %s accepted, then refused after a round trip: %v", k, out, err)
			}
		}
		var pr domain.Proceeding
		if json.Unmarshal(b, &pr) == nil && pr.Validate(justiceToday) == nil {
			if pr.Complaint.Date.After(justiceToday) || !pr.Investigation.Closed.IsZero() && pr.Investigation.Closed.Before(pr.Investigation.Opened) {
				t.Fatalf("accepted %+v", pr)
			}
			_ = pr.Timeline()
			_ = pr.Check()
			_ = pr.Summary("", justiceToday)
		}
	})
}
