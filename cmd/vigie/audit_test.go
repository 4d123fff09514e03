// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
)

// appendAuditEntries writes n entries to the SQLite database of data with
// the key file the command will read (created here).
func appendAuditEntries(t *testing.T, data string, n int) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "", data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	keys, err := seal.OpenKeyring(filepath.Join(data, "vigie.key"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetKeys(keys)
	for i := 1; i <= n; i++ {
		e := &domain.AuditEntry{Actor: fmt.Sprintf("agent%d@kin.example.org", i), Action: domain.AuditRead,
			Resource: "case", CaseNumber: fmt.Sprintf("KIN-2026-%06d", i), Outcome: "ok"}
		if err := db.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	t.Setenv("VIGIE_MASTER_KEY_FILE", "")
	data := t.TempDir()

	// Without the key file there is nothing to verify with, and verify
	// must not create one.
	code, _, errs := vigie(t, "", "audit", "verify", "--data", data)
	if code != domain.ExitNotFound || !strings.Contains(errs, "no key file") {
		t.Fatalf("without a key file: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(data, "vigie.key")); !os.IsNotExist(err) {
		t.Fatalf("verify created a key file: %v", err)
	}

	appendAuditEntries(t, data, 5)
	code, out, errs := vigie(t, "", "audit", "verify", "--data", data)
	if code != 0 || !strings.Contains(out, "audit: 5 entrées vérifiées, chaîne intacte / 5 entries verified, chain intact") ||
		!strings.Contains(out, "head 5 ") {
		t.Fatalf("intact log: exit %d\n%s%s", code, out, errs)
	}

	// The attacker edits the file directly, triggers first.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(data, "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TRIGGER audit_log_no_update`,
		`UPDATE audit_log SET actor = 'nobody@example.org' WHERE seq = 3`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	code, out, errs = vigie(t, "", "audit", "verify", "--data", data)
	if code != domain.ExitConflict || !strings.Contains(out, "audit: entrée 3 : modifiée") ||
		!strings.Contains(out, "entry 3: "+sqlstore.AuditReasonAltered) || !strings.Contains(errs, "after 2 verified entries") {
		t.Fatalf("altered log: exit %d\n%s%s", code, out, errs)
	}
}

func TestAuditVerifyUsage(t *testing.T) {
	for _, args := range [][]string{{"audit", "--help"}, {"audit", "verify", "--help"}} {
		if code, out, _ := vigie(t, "", args...); code != 0 || !strings.Contains(out, "Utilisation / usage") {
			t.Errorf("vigie %v: exit %d, %s", args, code, out)
		}
	}
	if code, _, errs := vigie(t, "", "audit"); code != domain.ExitUsage || !strings.Contains(errs, "missing subcommand") {
		t.Errorf("vigie audit: exit %d, %s", code, errs)
	}
	if code, _, errs := vigie(t, "", "audit", "verify", "extra", "--data", t.TempDir()); code != domain.ExitUsage || !strings.Contains(errs, "expects 0 argument") {
		t.Errorf("vigie audit verify extra: exit %d, %s", code, errs)
	}
}
