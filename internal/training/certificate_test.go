// SPDX-License-Identifier: AGPL-3.0-or-later

package training

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// pdfText returns the PDF's bytes with its compressed streams inflated,
// so that a test can look for the text drawn on the page.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	var out strings.Builder
	out.Write(b)
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`).FindAllSubmatch(b, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		plain, _ := io.ReadAll(r)
		out.Write(plain)
	}
	return out.String()
}

func TestCertificate(t *testing.T) {
	post := 85
	s := &domain.TrainingSession{Title: "Atelier de Goma", CurriculumTitle: "Identification des victimes", StartDate: domain.NewDate(2026, 2, 10),
		EndDate: domain.NewDate(2026, 2, 12), Place: "Goma", Province: "CD-NK", Organiser: "KIN"}
	person := &domain.Trainee{FirstName: "Aline", LastName: "Mukendi", Ministry: "Ministère de la Justice"}
	ok := &domain.Attendance{Meta: domain.Meta{ID: "a1"}, Role: "Participant", Attended: true, Certified: true, PostScore: &post, Person: person}
	for _, tt := range []struct {
		name string
		a    *domain.Attendance
		ok   bool
	}{
		{"OK", ok, true},
		{"ErrNotCertified", &domain.Attendance{Role: "Participant", Attended: true, Person: person}, false},
		{"ErrTrainer", &domain.Attendance{Role: "Trainer", Attended: true, Certified: true, Person: person}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := Certificate(&b, i18n.For(i18n.FR), s, tt.a)
			if !tt.ok {
				if domain.KindOf(err) != domain.KindConflict || b.Len() != 0 {
					t.Fatalf("got %v and %d bytes", err, b.Len())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) || !bytes.Contains(b.Bytes(), []byte("%%EOF")) {
				t.Fatalf("not a PDF: %q", b.Bytes()[:min(20, b.Len())])
			}
			text := pdfText(t, b.Bytes())
			// cp1252: "Ministère" is written with the byte E8.
			for _, want := range []string{"Atelier de Goma", "Aline Mukendi", "Minist\xe8re de la Justice", "Certificat de formation", "85/100", "Nord-Kivu"} {
				if !strings.Contains(text, want) {
					t.Errorf("the certificate lacks %q", want)
				}
			}
		})
	}
}
