// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReferredThenWithdrawnRoundTrip: a case referred while the victim
// consented, whose consent was withdrawn afterwards (the referral stays
// open, as the README says), is exported and imported into a new database
// with --create-agencies: it was refused twice, first because the agency
// it is referred to did not exist there (--create-agencies created only
// the rows' own agencies), then because its latest consent is a
// withdrawal. A new record tells its history at once.
func TestReferredThenWithdrawnRoundTrip(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	for _, code := range []string{"KIN", "GOM"} {
		if code, _, errs := vigie(t, "", "agency", "add", code, "Agence "+code, "--data", data); code != 0 {
			t.Fatalf("agency add: %s", errs)
		}
	}
	doc := `{"agency":"KIN","vig_RegistrationDate":"2026-10-01","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},
	  "consents":[{"con_Consent":true,"vig_ConsentDate":"2026-11-01"},{"con_Consent":false,"vig_ConsentDate":"2026-11-03"}],
	  "referrals":[{"direction":"outgoing","cas_ReferredOrganisation":"Centre GOM","vig_ReferredAgency":"GOM","cas_OutgoingReferralDate":"2026-11-02"},
	    {"direction":"outgoing","cas_ReferredOrganisation":"Centre BUK","vig_ReferredAgency":"BUK","vig_ReferralStatus":"Closed"}]}`
	if code, out, errs := vigie(t, doc, "case", "add", "-", "--data", data); code != 0 {
		t.Fatalf("case add: exit %d %s %s", code, out, errs)
	}
	// Never consented: refused, as before.
	never := strings.Replace(doc, `{"con_Consent":true,"vig_ConsentDate":"2026-11-01"},`, ``, 1)
	if code, _, errs := vigie(t, never, "case", "add", "-", "--data", data); code != 3 || !strings.Contains(errs, "validation.consent_required") && !strings.Contains(errs, "consent") {
		t.Fatalf("never consented: exit %d %s", code, errs)
	}
	out := filepath.Join(dir, "kin.json")
	if code, _, errs := vigie(t, "", "export", "htcds", "--agency", "KIN", "--format", "json", "--out", out, "--data", data); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	fresh := filepath.Join(dir, "fresh")
	code, stdout, errs := vigie(t, "", "import", "htcds", out, "--create-agencies", "--data", fresh, "--quiet")
	if code != 0 || !strings.Contains(stdout, "imported: 1 rejected: 0") {
		rej, _ := os.ReadFile(out + ".rejects.csv")
		t.Fatalf("import: exit %d\nstdout: %q\nstderr: %q\nrejects: %s", code, stdout, errs, rej)
	}
	// The agency of a closed referral too.
	if code, list, _ := vigie(t, "", "agency", "list", "--data", fresh); code != 0 || !strings.Contains(list, "GOM") || !strings.Contains(list, "BUK") {
		t.Fatalf("GOM or BUK not created: %s", list)
	}
	// Run again (every row skipped: its keys are its own), then a renamed
	// copy: the file is still known — the rerun forgot it, and the copy
	// was not said to be the same content, and the rerun was told its
	// rows had been edited.
	for i := range 2 {
		if code, stdout, errs := vigie(t, "", "import", "htcds", out, "--data", fresh, "--quiet"); code != 0 || !strings.Contains(stdout, "skipped: 1") || strings.Contains(errs, "never changes") {
			t.Fatalf("rerun %d: exit %d %q %q", i+1, code, stdout, errs)
		}
	}
	cp := filepath.Join(dir, "copie.json")
	b, _ := os.ReadFile(out)
	if err := os.WriteFile(cp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, stdout, errs := vigie(t, "", "import", "htcds", cp, "--data", fresh, "--quiet"); code != 0 || !strings.Contains(stdout, `same content as "kin.json"`) || strings.Contains(errs, "never changes") {
		t.Fatalf("renamed copy: exit %d %q %q", code, stdout, errs)
	}
}

// TestRoundTripKeepsTimes: a case moved to another database through an
// export keeps when it and its parts were created and changed: each took
// the import's time, and a comment, which has no other date, lost its own.
// A time after the import or before 1990 is not kept.
func TestRoundTripKeepsTimes(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Kinshasa", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	doc := `{"agency":"KIN","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"comments":[{"cco_CaseComment":"Premier entretien"}]}`
	if code, _, errs := vigie(t, doc, "case", "add", "-", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	out := filepath.Join(dir, "e.json")
	if code, _, errs := vigie(t, "", "export", "htcds", "--format", "json", "--out", out, "--data", data); code != 0 {
		t.Fatal(errs)
	}
	times := func(path string) []string {
		t.Helper()
		var cases []struct {
			Created  string `json:"created_at"`
			Updated  string `json:"updated_at"`
			Comments []struct {
				Created string `json:"created_at"`
			} `json:"comments"`
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &cases); err != nil || len(cases) != 1 || len(cases[0].Comments) != 1 {
			t.Fatalf("%v: %s", err, b)
		}
		return []string{cases[0].Created, cases[0].Updated, cases[0].Comments[0].Created}
	}
	before := times(out)
	// Times the file could not hold: after the import, before 1990.
	odd := filepath.Join(dir, "odd.json")
	b, _ := os.ReadFile(out)
	if err := os.WriteFile(odd, []byte(strings.Replace(strings.Replace(string(b), before[0], "2999-01-01T00:00:00Z", 1), before[2], "1900-01-01T00:00:00Z", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	for name, file := range map[string]string{"kept": out, "odd": odd} {
		fresh := filepath.Join(dir, "fresh-"+name)
		if code, stdout, errs := vigie(t, "", "import", "htcds", file, "--create-agencies", "--data", fresh, "--quiet"); code != 0 || !strings.Contains(stdout, "imported: 1") {
			t.Fatalf("%s: import: %s %s", name, stdout, errs)
		}
		again := filepath.Join(dir, "again-"+name+".json")
		if code, _, errs := vigie(t, "", "export", "htcds", "--format", "json", "--out", again, "--data", fresh); code != 0 {
			t.Fatal(errs)
		}
		after := times(again)
		switch name {
		case "kept":
			if strings.Join(after, " ") != strings.Join(before, " ") {
				t.Fatalf("times changed: %v → %v", before, after)
			}
		case "odd":
			if after[0] == "2999-01-01T00:00:00Z" || after[2] == "1900-01-01T00:00:00Z" || after[0] <= before[0] {
				t.Fatalf("impossible times kept: %v", after)
			}
		}
	}
}
