// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"strings"
	"testing"

	"vigie/internal/httpapi"
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

// TestCaseListFiltersAsTheAPI: vigie case list has a flag for every
// parameter of GET /api/v1/cases and refuses a bad value with the API's
// code, naming the flag — it had no --trafficking-status, --age-band,
// --situation, --registered-from/-to or --updated-from/-to (the README
// promises date ranges), read --limit and the years as Go integers (exit 2
// "invalid value" where the API says validation.integer) and did not
// trim values as the API does.
func TestCaseListFiltersAsTheAPI(t *testing.T) {
	flags := map[string]bool{}
	for _, fl := range caseListFlags {
		flags[fl.param] = true
	}
	for _, p := range httpapi.CaseListParams() {
		if !flags[p] {
			t.Errorf("GET /api/v1/cases takes %s, vigie case list has no flag for it", p)
		}
	}
	data := t.TempDir()
	if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Affaires sociales Kinshasa", "--data", data); code != 0 {
		t.Fatalf("agency add: %d %s", code, errs)
	}
	doc := `{"agency":"KIN","vig_RegistrationDate":"2024-05-02","person":{"prs_Gender":"Feminine"},"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking","vig_AgeBand":"9--17"}}`
	if code, _, errs := vigie(t, doc, "case", "add", "-", "--data", data); code != 0 {
		t.Fatalf("case add: %d %s", code, errs)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--trafficking-status", "ActualVictimOfTrafficking"}, 0, "total: 1"},
		{[]string{"--trafficking-status", "PossibleVictimOfTrafficking"}, 0, "total: 0"},
		{[]string{"--trafficking-status", "actual"}, 3, `--trafficking-status: Choisissez une des valeurs proposées. / "actual" is not one of`},
		{[]string{"--age-band", "9--17"}, 0, "total: 1"},
		{[]string{"--age-band", "9-17"}, 3, "--age-band: "},
		{[]string{"--registered-from", "2024-05-02", "--registered-to", "2024-05-02"}, 0, "total: 1"},
		{[]string{"--registered-from", "2024-05-03"}, 0, "total: 0"},
		{[]string{"--registered-from", "2024-02-30"}, 3, "--registered-from: "},
		{[]string{"--registered-from", "2025-01-01", "--registered-to", "2024-01-01"}, 3, "--registered-from: Cette valeur est en dehors des limites permises. / is after"},
		{[]string{"--updated-from", "2000-01-01T00:00:00Z"}, 0, "total: 1"},
		{[]string{"--updated-to", "2000-01-01"}, 0, "total: 0"},
		{[]string{"--updated-from", "yesterday"}, 3, "--updated-from: "},
		{[]string{"--situation", "01a221ae-790f-7ca0-93b1-7d6d23dd45a9"}, 0, "total: 0"},
		{[]string{"--status", " Active "}, 0, "total: 1"},
		{[]string{"--province", "Nord-Kivu"}, 0, "total: 0"},
		{[]string{"--province", "Atlantis"}, 3, "--province: "},
		{[]string{"--year-from", "2024", "--year-to", "2024"}, 0, "total: 1"},
		{[]string{"--year-from", "deux mille"}, 3, `--year-from: Saisissez un nombre entier positif. / "deux mille" is not a positive whole number`},
		{[]string{"--limit", "501"}, 3, "--limit: Cette valeur est en dehors des limites permises. / must be between 1 and 500"},
		{[]string{"--cursor", "abc"}, 3, "--cursor: "},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := vigie(t, "", append([]string{"case", "list", "--data", data}, tt.args...)...)
			if code != tt.code || !strings.Contains(out+errs, tt.want) {
				t.Fatalf("exit %d (want %d), stdout %q, stderr %q (want %q)", code, tt.code, out, errs, tt.want)
			}
		})
	}
}

// TestCaseAddFileWithByteOrderMark: a case file saved by Notepad as
// "UTF-8 with BOM" is registered (it was refused as "invalid character
// 'ï'"), and a consent without its answer in such a file is still refused.
func TestCaseAddFileWithByteOrderMark(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Affaires sociales Kinshasa", "--data", data); code != 0 {
		t.Fatalf("agency add: %d %s", code, errs)
	}
	doc := "\ufeff" + `{"agency":"KIN","person":{"prs_Gender":"Feminine"},"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"consents":[{"con_Consent":true}]}`
	if code, out, errs := vigie(t, doc, "case", "add", "-", "--data", data); code != 0 || !strings.HasPrefix(out, "KIN-") {
		t.Fatalf("case add: %d %q %s", code, out, errs)
	}
	noAnswer := strings.Replace(doc, `"con_Consent":true`, `"vig_ConsentDate":"2026-03-14"`, 1)
	if code, _, errs := vigie(t, noAnswer, "case", "add", "-", "--data", data); code != 3 || !strings.Contains(errs, "consents[0].con_Consent") {
		t.Fatalf("consent without its answer: %d %s", code, errs)
	}
}
