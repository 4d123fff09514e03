// SPDX-License-Identifier: AGPL-3.0-or-later

package report_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/csv"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vigie/internal/domain"
	"vigie/internal/i18n"
	"vigie/internal/report"
)

// fakeCube serves fixed rows.
type fakeCube []domain.CubeRow

func (f fakeCube) CaseCube(context.Context, domain.StatsFilter, bool) ([]domain.CubeRow, error) {
	return f, nil
}

func sample(t *testing.T) *report.Report {
	t.Helper()
	cube := fakeCube{
		{Year: 2026, Gender: "Feminine", AgeGroup: "Child", AgeBand: "9--17", Province: "CD-NK", Citizenship: []string{"CD"},
			Exploitation: []string{"SexualExploitation", "ForcedLabour"}, Services: []string{"Health"}, Repatriated: "No", Agency: "KIN", N: 1234},
		{Year: 2026, Gender: "Masculine", AgeGroup: "Adult", AgeBand: "30--38", ExploitationCountries: []string{"AO"}, Citizenship: []string{"AO"},
			Exploitation: []string{"ForcedLabour"}, Repatriated: "Yes", Agency: "KIN", N: 7},
	}
	src := report.Sources{Cube: cube,
		Justice: func(context.Context, domain.FiguresFilter) (*domain.JusticeFigures, error) {
			j := &domain.JusticeFigures{Investigated: domain.NewPersonCounts(), Prosecuted: domain.NewPersonCounts(), Convicted: domain.NewPersonCounts(),
				Sentences: domain.SentenceFigures{PrisonMonths: map[string]int{"13-60": 2}, Fines: map[string]int64{"CDF": 500000}, Count: 2}}
			j.Investigated.Add("Masculine", "Adult", "CD")
			j.Investigated.Add("Feminine", "Adult", "RW")
			j.Convicted.Add("Masculine", "Adult", "CD")
			j.Offences = []domain.OffenceCount{{ArticleCode: "L09-174", Law: "Loi 09/001", Article: "174 j", Charges: 3, Verdicts: map[string]int{"Convicted": 2, "Pending": 1}}}
			return j, nil
		},
		Training: func(context.Context, domain.Date, domain.Date) (*domain.TrainingSummary, error) {
			return &domain.TrainingSummary{Groups: []domain.ReachCount{{Ministry: "=Ministère de la Justice", Province: "CD-KN", Sex: "Female", Count: 12}}}, nil
		},
		Awareness: func(context.Context, domain.AwarenessFilter) (*domain.AwarenessSummary, error) {
			return &domain.AwarenessSummary{Rows: []domain.AwarenessTotal{{Province: "CD-SK", Type: "Radio", Activities: 3,
				Reached: domain.Reached{FemaleChildren: 40, MaleAdults: 15}}}}, nil
		},
	}
	r, err := report.Build(context.Background(), src, report.Period{From: 2026, To: 2026}, "")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func pdfText(b []byte) string {
	var out strings.Builder
	out.Write(b)
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`).FindAllSubmatch(b, -1) {
		if r, err := zlib.NewReader(bytes.NewReader(m[1])); err == nil {
			plain, _ := io.ReadAll(r)
			out.Write(plain)
		}
	}
	return out.String()
}

// Every format, in both languages: titles and figures present, no
// message missing, the ministry typed as a formula kept as text.
func TestRenderings(t *testing.T) {
	r := sample(t)
	for _, lang := range []i18n.Lang{i18n.FR, i18n.EN} {
		l := i18n.For(lang)
		title := r.Table("victims_sex_age").Title(l)
		t.Run(string(lang), func(t *testing.T) {
			var b bytes.Buffer
			if err := report.WriteCSV(&b, l, r); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, row := range rows {
				if row[7] == "victims_sex_age" && row[8] == "Feminine" && row[9] == "Child" && row[4] == "1234" {
					found = true
				}
				if strings.HasPrefix(row[2], "=") {
					t.Fatalf("a formula in the CSV: %v", row)
				}
			}
			if !found || !strings.Contains(b.String(), title) || strings.Contains(b.String(), "⟦") {
				t.Fatalf("CSV:\n%s", b.String())
			}

			b.Reset()
			if err := report.WriteXLSX(&b, l, r); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&b)
			if err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, sh := range f.GetSheetList() {
				xrows, err := f.GetRows(sh)
				if err != nil {
					t.Fatal(err)
				}
				for _, xr := range xrows {
					all.WriteString(strings.Join(xr, "\t") + "\n")
				}
			}
			if len(f.GetSheetList()) != 5 || !strings.Contains(all.String(), title) || !strings.Contains(all.String(), "1234") ||
				strings.Contains(all.String(), "⟦") || !strings.Contains(all.String(), l.T("report.exact_note")) {
				t.Fatalf("XLSX sheets %v:\n%s", f.GetSheetList(), all.String())
			}

			b.Reset()
			if err := report.WriteHTML(&b, l, r, "2026-11-27"); err != nil {
				t.Fatal(err)
			}
			h := b.String()
			if !strings.Contains(h, l.T("report.note.training_national")) {
				t.Fatal("the HTML lacks the training tables' note")
			}
			if !strings.Contains(h, "<caption>"+title) || !strings.Contains(h, `<th scope="row">`) || strings.Contains(h, "<a ") ||
				strings.Contains(h, "⟦") || !strings.Contains(h, l.Number(1234)) {
				t.Fatalf("HTML:\n%s", h)
			}

			b.Reset()
			if err := report.WritePDF(&b, l, r, "2026-11-27"); err != nil {
				t.Fatal(err)
			}
			if p := pdfText(b.Bytes()); !strings.HasPrefix(p, "%PDF") || !strings.Contains(p, "1 234") && !strings.Contains(p, "1,234") {
				t.Fatalf("PDF without its figures (%d bytes)", b.Len())
			}
		})
	}
	// The page's tables link the figures the linker gives an address.
	html, err := report.Tables(i18n.For(i18n.FR), r, "", func(tb *report.Table, row, col string) string {
		if !tb.Drill {
			return "" // no list behind it: a figure without a link
		}
		return "/report/cases?t=" + tb.ID + "&r=" + row + "&c=" + col
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), `href="/report/cases?t=victims_sex_age&amp;r=Feminine&amp;c=Child"`) ||
		strings.Contains(string(html), "t=justice_offences") {
		t.Fatalf("links:\n%s", html)
	}
}
