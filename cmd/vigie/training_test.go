// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/domain"
)

func TestTrainingImport(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Affaires sociales Kinshasa", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	d := dbFlags{data: data}
	db, err := d.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.CreateCurriculum(ctx, &domain.Curriculum{Code: "TDT1", Title: "Identification"}); err != nil {
		t.Fatal(err)
	}
	s := &domain.TrainingSession{Title: "Atelier", Curriculum: "TDT1", StartDate: domain.NewDate(2026, 2, 10), Place: "Goma", Province: "CD-NK", Organiser: "KIN", Format: "InPerson"}
	if err := db.CreateTrainingSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	db.Close()
	write := func(name, text string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("liste.csv", "Prénom;Nom;Sexe;Ministère;Post-test\nAline;Mukendi;F;Justice;80\nBenoît;Kasongo;Q;Police;101\n")
	good := write("good.csv", "first name,last name,sex,ministry,post-test,certified\nAline,Mukendi,F,Justice,80,yes\nBenoît,Kasongo,M,Police,60,no\n")
	for _, tt := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"training", "import", "--help"}, 0, "Utilisation / usage", ""},
		{[]string{"training", "import", s.ID, "--data", data}, 2, "", "expects 2 argument(s)"},
		{[]string{"training", "import", s.ID, filepath.Join(data, "absent.csv"), "--data", data}, 4, "", "cannot open"},
		{[]string{"training", "import", s.ID, bad, "--data", data}, 3, "", "row 3, colonne / column Sexe"},
		{[]string{"training", "import", "00000000-0000-4000-8000-000000000000", good, "--data", data}, 4, "", "does not exist"},
		{[]string{"training", "import", s.ID, good, "--data", data}, 0, "imported: 2", ""},
	} {
		code, out, errs := vigie(t, "", tt.args...)
		if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
			t.Errorf("vigie %v: exit %d (want %d), stdout %q, stderr %q", tt.args, code, tt.code, out, errs)
		}
	}
}
