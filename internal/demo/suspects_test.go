// SPDX-License-Identifier: AGPL-3.0-or-later

package demo_test

import (
	"context"
	"strings"
	"testing"

	"vigie/internal/demo"
	"vigie/internal/domain"
	"vigie/internal/sqlstore/sqltest"
)

// TestDemoSuspects: the demo has two fictitious suspects, "Démo" in
// their names, the first linked to two of its agency's victims.
func TestDemoSuspects(t *testing.T) {
	ctx := context.Background()
	db := sqltest.MustOpenSQLite(t, now)
	if _, err := demo.Seed(ctx, db, demo.Options{Seed: 1, Cases: 40, Hash: cheap, Now: now}); err != nil {
		t.Fatal(err)
	}
	list, total, err := db.FindSuspects(ctx, domain.SuspectFilter{})
	if err != nil || total != 2 {
		t.Fatalf("%d suspects, %v", total, err)
	}
	links := map[string]int{}
	for _, x := range list {
		if !strings.Contains(x.Name(), "Démo") {
			t.Errorf("a demo suspect without Démo in the name: %q", x.Name())
		}
		s, err := db.Suspect(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range s.Links {
			if !strings.HasPrefix(l.CaseNumber, s.Agency+"-") {
				t.Errorf("%s linked to another agency's case %s", s.Number, l.CaseNumber)
			}
		}
		links[s.Agency] = len(s.Links)
	}
	if links[demo.Agencies[0].Code] != 2 || links["DEMOPOL"] != 1 {
		t.Fatalf("links per agency: %v", links)
	}
}
