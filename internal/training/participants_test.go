// SPDX-License-Identifier: AGPL-3.0-or-later

package training

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vigie/internal/domain"
)

func TestParseCSV(t *testing.T) {
	long := strings.Repeat("x", 10000)
	tests := []struct {
		name     string
		in       string
		rows     int
		rejects  []string // "row:column:code"
		errKind  domain.Kind
		checkRow func(t *testing.T, r []Row)
	}{
		{name: "OKFrench", in: "\ufeffPrénom;Nom;Sexe;Ministère;Fonction;Province;Rôle;Présent;Pré-test;Post-test;Certifié;Certifié formateur\n" +
			"Aline;Mukendi;F;Ministère de la Justice;Magistrate;Nord-Kivu;participant;oui;40;85%;oui;oui\n\n" +
			"Benoît;Kasongo;H;Police nationale;OPJ;CD-KN;Participant;oui;30;70;non;non\n",
			rows: 2, checkRow: func(t *testing.T, r []Row) {
				a := r[0]
				if a.Line != 2 || a.FirstName != "Aline" || a.Sex != "Female" || a.Province != "CD-NK" || *a.Attendance.PostScore != 85 || !a.Attendance.CertifiedTrainer {
					t.Errorf("row: %+v %+v", a.Trainee, a.Attendance)
				}
				if r[1].Line != 4 || r[1].Sex != "Male" || r[1].Attendance.Certified {
					t.Errorf("row 4: %+v", r[1])
				}
			}},
		{name: "OKEnglishComma", in: "first name,last name,sex,ministry,pre_score,post_score,certified\nJean,Ilunga,Male,DGM,10,90,yes\n", rows: 1},
		{name: "OKExistingPerson", in: "trainee_id,role\n0190a000-0000-7000-8000-000000000000,trainer\n", rows: 1},
		{name: "ErrUnknownColumn", in: "first name,last name,sex,ministry,salary\nA,B,F,C,100\n", rejects: []string{"1:salary:import.unknown_column"}},
		{name: "ErrMissingColumn", in: "first name,sex,ministry\nA,F,C\n", rejects: []string{"1:last_name:import.missing_column"}},
		{name: "ErrDuplicateColumn", in: "prénom,first name,nom,sexe,ministère\nA,A,B,F,C\n", rejects: []string{"1:first name:import.duplicate_column"}},
		{name: "ErrRows", in: "prénom;nom;sexe;ministère;post-test;présent;certifié\n" +
			"A;B;X;C;50;oui;oui\n" + // bad sex
			"A;B;F;C;150;oui;non\n" + // score
			"<script>alert(1)</script>;B;F;C;50;peut-être;non\n" + // boolean
			"A;\x1b[2J;F;C;50;oui;non\n" + // control character
			"A;" + long + ";F;C;50;oui;non\n" + // too long
			"A;B;F;C;50;non;oui\n" + // certified but absent
			";;;;;;\n" + // blank: skipped
			"A;B;F;C;50;oui;non;extra\n", // a cell without header
			rejects: []string{"2:sexe:validation.enum", "3:post-test:validation.training_score", "4:présent:validation.boolean",
				"5:nom:validation.control_character", "6:nom:validation.too_long", "7:certifié:validation.training_certified_absent", "9:8:import.unnamed_column"},
			rows: 1},
		{name: "ErrBadQuotes", in: "prénom,nom\n\"A,B\n", errKind: domain.KindInvalid},
		// French Excel's « CSV (séparateur : point-virgule) »: Windows-1252.
		{name: "OKWindows1252", in: "Pr\xe9nom;Nom;Sexe;Minist\xe8re;Fonction\r\nH\xe9l\xe8ne;N\x92Sele;F;Minist\xe8re de la Justice;Greffi\xe8re\r\n", rows: 1,
			checkRow: func(t *testing.T, r []Row) {
				if r[0].FirstName != "Hélène" || r[0].LastName != "N’Sele" || r[0].Ministry != "Ministère de la Justice" || r[0].Function != "Greffière" {
					t.Errorf("row: %+v", r[0].Trainee)
				}
			}},
		{name: "ErrNotText", in: "pr\xe9nom;nom\n\x81\x8d;x\n", errKind: domain.KindInvalid},
		{name: "ErrBinary", in: "prénom;nom;sexe;ministère\nA;B\x00;F;C\n", errKind: domain.KindInvalid},
		{name: "ErrEmpty", in: "", errKind: domain.KindInvalid},
		{name: "ErrHeaderOnly", in: "prénom;nom;sexe;ministère\n", errKind: domain.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, rejects, err := Parse(strings.NewReader(tt.in), "liste.csv")
			if domain.KindOf(err) != tt.errKind {
				t.Fatalf("err %v, want kind %q", err, tt.errKind)
			}
			var got []string
			for _, r := range rejects {
				got = append(got, strings.Join([]string{itoa(r.Row), r.Column, r.Code}, ":"))
			}
			if strings.Join(got, " ") != strings.Join(tt.rejects, " ") {
				t.Errorf("rejects:\n got %v\nwant %v", got, tt.rejects)
			}
			if len(rows) != tt.rows {
				t.Errorf("%d rows, want %d", len(rows), tt.rows)
			}
			if tt.checkRow != nil && len(rows) > 0 {
				tt.checkRow(t, rows)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// xlsx builds a workbook of rows.
func xlsx(t testing.TB, rows [][]any) []byte {
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestParseXLSX(t *testing.T) {
	b := xlsx(t, [][]any{
		{"First name", "Last name", "Sex", "Ministry", "Province", "Pre-test", "Post-test", "Certified"},
		{"Aline", "Mukendi", "Female", "Justice", "CD-KN", 40, 85, "yes"},
		{"Benoît", "Kasongo", "Male", "Police", "Atlantis", 30, 70, "no"},
	})
	rows, rejects, err := Parse(bytes.NewReader(b), "liste.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || *rows[0].Attendance.PostScore != 85 || len(rejects) != 1 || rejects[0].Row != 3 || rejects[0].Column != "Province" {
		t.Errorf("rows %v rejects %v", rows, rejects)
	}
	// A damaged workbook is refused as a whole.
	if _, _, err := Parse(bytes.NewReader(b[:len(b)/2]), "liste.xlsx"); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("truncated workbook: %v", err)
	}
}

// FuzzParse: no input makes the parser panic, and every row it accepts
// is valid.
func FuzzParse(f *testing.F) {
	f.Add([]byte("prénom;nom;sexe;ministère;post-test\nA;B;F;C;50\n"), "a.csv")
	f.Add([]byte("first name,last name,sex,ministry\n\"A\"\"\",B,M,C\n"), "a.csv")
	f.Add(xlsx(f, [][]any{{"prénom", "nom", "sexe", "ministère"}, {"A", "B", "F", "C"}}), "a.xlsx")
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		rows, _, err := Parse(bytes.NewReader(b), name)
		if err != nil {
			return
		}
		for _, r := range rows {
			if r.TraineeID == "" {
				if err := r.Trainee.Validate(); err != nil {
					t.Fatalf("accepted an invalid person: %v", err)
				}
			}
			if err := r.Attendance.Validate(); err != nil {
				t.Fatalf("accepted an invalid attendance: %v", err)
			}
		}
	})
}
