// SPDX-License-Identifier: AGPL-3.0-or-later

package training

import (
	"io"
	"strconv"

	"github.com/go-pdf/fpdf"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// Certificate writes the certificate of a participant of a session as a
// one-page PDF in the language of l. It refuses a participant who is not
// certified. fpdf's core fonts speak cp1252, which covers French: text is
// translated to it, and characters outside it become "?" rather than
// garbage.
func Certificate(w io.Writer, l *i18n.Localizer, s *domain.TrainingSession, a *domain.Attendance) error {
	if a.Role != "Participant" || !a.Certified || a.Person == nil {
		return domain.Errorf(domain.KindConflict, "this participant is not certified: there is no certificate to print")
	}
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetTitle(l.T("training.certificate.title"), true)
	pdf.SetCreator("Vigie", true)
	pdf.SetAutoPageBreak(false, 10)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AddPage()
	pdf.SetLineWidth(1)
	pdf.Rect(10, 10, 277, 190, "D")
	line := func(style string, size float64, text string, h float64) {
		pdf.SetFont("Helvetica", style, size)
		pdf.SetX(20)
		pdf.MultiCell(257, h, tr(clipRunes(text, 300)), "", "C", false)
	}
	pdf.SetY(28)
	line("B", 28, l.T("training.certificate.title"), 14)
	pdf.Ln(6)
	line("", 14, l.T("training.certificate.awarded_to"), 8)
	line("B", 22, a.Person.Name(), 11)
	line("", 13, a.Person.Ministry, 7)
	pdf.Ln(6)
	line("", 14, l.T("training.certificate.for_completing"), 8)
	line("B", 16, s.CurriculumTitle, 9)
	line("", 14, s.Title, 8)
	pdf.Ln(4)
	dates := s.StartDate.String()
	if s.EndDate != s.StartDate && !s.EndDate.IsZero() {
		dates = l.T("training.certificate.period", map[string]any{"From": s.StartDate.String(), "To": s.EndDate.String()})
	}
	line("", 13, dates+" · "+s.Place+", "+l.Enum("vig_Province", s.Province), 7)
	if a.PostScore != nil {
		line("", 13, l.T("training.certificate.score", map[string]any{"Score": strconv.Itoa(*a.PostScore)}), 7)
	}
	if a.CertifiedTrainer {
		line("B", 13, l.T("training.certificate.trainer"), 7)
	}
	pdf.SetY(178)
	line("I", 10, l.T("training.certificate.organised_by", map[string]any{"Organiser": s.Organiser})+" · "+l.T("training.certificate.reference", map[string]any{"ID": a.ID}), 5)
	if err := pdf.Output(w); err != nil {
		return domain.Wrap(domain.KindInternal, err, "writing the certificate")
	}
	return nil
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
