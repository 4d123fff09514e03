// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	  "referrals":[{"direction":"outgoing","cas_ReferredOrganisation":"Centre GOM","vig_ReferredAgency":"GOM","cas_OutgoingReferralDate":"2026-11-02"}]}`
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
	if code, list, _ := vigie(t, "", "agency", "list", "--data", fresh); code != 0 || !strings.Contains(list, "GOM") {
		t.Fatalf("GOM not created: %s", list)
	}
}
