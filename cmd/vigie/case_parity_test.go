// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"strings"
	"testing"
)

// TestCaseAddRefusesAssignedValues: vigie case add refuses what Vigie
// assigns, as POST /api/v1/cases does (validation.assigned, by field) — it
// stored the case under a number of its own choosing when the file named
// one, and dropped the IDs and versions the file held, without a word.
func TestCaseAddRefusesAssignedValues(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Affaires sociales Kinshasa", "--data", data); code != 0 {
		t.Fatalf("agency add: %d %s", code, errs)
	}
	doc := `{"agency":"KIN",XX"person":{"prs_Gender":"Feminine"},"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"events":[{YY"hte_Type":"Exploitation","hte_Country":"CD"}]}`
	for _, tt := range []struct{ name, top, event, field string }{
		{"CaseNumber", `"case_number":"KIN-2026-000099",`, "", "case_number"},
		{"ID", `"id":"01a221ae-790f-7ca0-93b1-7d6d23dd45a9",`, "", "id"},
		{"Version", `"version":7,`, "", "version"},
		{"Timestamps", `"created_at":"2026-01-01T00:00:00Z",`, "", "created_at"},
		{"PartID", "", `"id":"01a221ae-7910-74aa-b286-c1465ad68822",`, "events[0].id"},
		{"PartVersion", "", `"version":3,`, "events[0].version"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.NewReplacer("XX", tt.top, "YY", tt.event).Replace(doc)
			code, out, errs := vigie(t, body, "case", "add", "-", "--data", data)
			if code != 3 || !strings.Contains(errs, tt.field+": ") || !strings.Contains(errs, "assigned by Vigie") || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 3 naming %s", code, out, errs, tt.field)
			}
		})
	}
	code, out, _ := vigie(t, "", "case", "list", "--data", data)
	if code != 0 || !strings.Contains(out, "total: 0") {
		t.Fatalf("a refused case was stored: %d %s", code, out)
	}
	if code, out, errs := vigie(t, strings.NewReplacer("XX", "", "YY", "").Replace(doc), "case", "add", "-", "--data", data); code != 0 || strings.TrimSpace(out) == "" {
		t.Fatalf("the same case without them: %d %q %s", code, out, errs)
	}
}
