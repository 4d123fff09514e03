// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const staleHeader = "yearRegister,gender,majorityStatus,isForcedLabour,isSexualExploit,UN_COO_Region,UN_COE_Region,IP_Exploiter,IP_Gender,IP_ageBroad,IP_citizen_UNRegion,IP_Relation,IP_PayMoney,IP_RecruiterBroker,IP_TransactionProcess,IP_ControlAbuseKidnap\n"

// TestImportTellsOfAStaleRejectFile: a re-run that rejects nothing leaves
// the reject file of the run before as it was, and says so on stderr — it
// said only "rejected: 0", and the old file of victims' rows could be taken
// for this run's or forgotten on the disk.
func TestImportTellsOfAStaleRejectFile(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "vp.csv")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(in, []byte(staleHeader+body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(t.TempDir(), "data")
	write("2019,Female,Adult,1,,Europe,Asia,,,,,,,,,\n2019,Martian,Adult,1,,Europe,Asia,,,,,,,,,\n")
	code, out, errOut := vigie(t, "", "import", "ctdc", in, "--data", data, "--quiet")
	rejects := filepath.Join(dir, "vp.rejects.csv")
	if code != 0 || !strings.Contains(out, "imported: 1 rejected: 1") || !strings.Contains(out, rejects) {
		t.Fatalf("first run: exit %d, %q %q", code, out, errOut)
	}
	if strings.Contains(errOut, "earlier import") {
		t.Fatalf("a run that wrote the reject file calls it earlier: %q", errOut)
	}
	before, err := os.ReadFile(rejects)
	if err != nil {
		t.Fatal(err)
	}
	// The corrected file: nothing rejected.
	write("2019,Female,Adult,1,,Europe,Asia,,,,,,,,,\n2019,Male,Adult,1,,Europe,Asia,,,,,,,,,\n")
	code, out, errOut = vigie(t, "", "import", "ctdc", in, "--data", data, "--quiet", "--source", "vp.csv") // its new version
	if code != 0 || !strings.Contains(out, "rejected: 0") {
		t.Fatalf("second run: exit %d, %q %q", code, out, errOut)
	}
	if !strings.Contains(errOut, rejects) || !strings.Contains(errOut, "is left from an earlier import") || !strings.Contains(errOut, "importation précédente") {
		t.Fatalf("second run does not tell of the old reject file: %q", errOut)
	}
	if after, err := os.ReadFile(rejects); err != nil || string(after) != string(before) {
		t.Fatalf("the old reject file changed: %v %q", err, after)
	}
}

// TestImportBatchBounds: --batch 0 or below meant the default without a
// word, and a batch beyond the bound made the whole file one transaction.
func TestImportBatchBounds(t *testing.T) {
	in := filepath.Join(t.TempDir(), "vp.csv")
	if err := os.WriteFile(in, []byte(staleHeader+"2019,Female,Adult,1,,Europe,Asia,,,,,,,,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		batch string
		code  int
	}{{"0", 2}, {"-5", 2}, {"100000000", 2}, {"1", 0}, {"100000", 0}} {
		data := filepath.Join(t.TempDir(), "data")
		code, out, errOut := vigie(t, "", "import", "ctdc", in, "--data", data, "--quiet", "--batch", tc.batch)
		if code != tc.code {
			t.Fatalf("--batch %s: exit %d (want %d), %q %q", tc.batch, code, tc.code, out, errOut)
		}
		if tc.code == 2 {
			if !strings.Contains(errOut, "--batch "+tc.batch) || !strings.Contains(errOut, "between 1 and 100000") {
				t.Fatalf("--batch %s: %q", tc.batch, errOut)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Fatalf("--batch %s created the data folder", tc.batch)
			}
		}
	}
}
