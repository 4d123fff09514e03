// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vigie/internal/domain"
)

func readSharedCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedDir(t), "derived", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestValueLabels(t *testing.T) {
	t.Run("Standard/EveryLabelAndNameAccepted", func(t *testing.T) {
		checked := 0
		for _, r := range readSharedCSV(t, "HTCDS Field Standards 2.0.csv")[1:] {
			for len(r) < 11 {
				r = append(r, "")
			}
			e, ok := domain.EnumFor(strings.TrimSpace(r[6]))
			if !ok || !strings.Contains(r[9], "\n") {
				continue
			}
			names, labels := strings.Split(r[9], "\n"), strings.Split(r[10], "\n")
			for i, name := range names {
				want := strings.TrimSpace(name)
				if want == "" {
					continue
				}
				if got, ok := normalizeValue(e, name); !ok || got != want {
					t.Errorf("%s: value name %q gives %q, %v", e.Field, name, got, ok)
				}
				if i < len(labels) {
					if got, ok := normalizeValue(e, labels[i]); !ok || got != want {
						t.Errorf("%s: label %q gives %q, %v; want %q", e.Field, labels[i], got, ok, want)
					}
				}
				checked++
			}
		}
		if checked < 150 {
			t.Fatalf("checked only %d values; is the sheet complete?", checked)
		}
	})
	t.Run("ValidationSheet/EveryLabelAccepted", func(t *testing.T) {
		rows := readSharedCSV(t, "HTCDS Excel v2.0 validation lists.csv")
		header := rows[1]
		checked := 0
		for j, h := range header {
			var e *domain.Enum
			if ci, ok := columnByLabelOf(fold(h)); ok {
				e = columns[ci].enum
			}
			if h == "Vulnerabilities" {
				e = domain.Vulnerabilities
			}
			for _, r := range rows[2:] {
				if j >= len(r) || r[j] == "" {
					continue
				}
				switch {
				case h == "Country Code":
					if _, ok := domain.CountryName(r[j]); !ok {
						t.Errorf("country code %q of the template is not accepted", r[j])
					}
				case h == "Country" && header[j-1] == "Country Code":
					// The template's citizenship drop-down lists these names.
					if got := countryCode(r[j]); got != r[j-1] && r[j] != "Congo" {
						t.Errorf("template country %q gives %q, want %q", r[j], got, r[j-1])
					}
				case e != nil:
					if _, ok := normalizeValue(e, r[j]); !ok {
						t.Errorf("%s: template label %q is not accepted", e.Field, r[j])
					}
				default:
					continue
				}
				checked++
			}
		}
		if checked < 300 {
			t.Fatalf("checked only %d values", checked)
		}
	})
	t.Run("NoTwoValuesFoldAlike", func(t *testing.T) {
		for _, e := range domain.Enums() {
			seen := map[string]string{}
			add := func(key, v string) {
				if other, ok := seen[key]; ok && other != v {
					t.Errorf("%s: %q and %q both fold to %q", e.Field, other, v, key)
				}
				seen[key] = v
			}
			for _, v := range e.Values {
				add(fold(v), v)
				if sectionPrefix.MatchString(v) {
					add(fold(v[2:]), v)
				}
			}
			for label, v := range valueLabels[e.Field] {
				add(fold(label), v)
				if !e.Valid(v) {
					t.Errorf("%s: label %q points to unknown value %q", e.Field, label, v)
				}
			}
		}
	})
	t.Run("Unknown/Refused", func(t *testing.T) {
		for _, s := range []string{"", "Robot", "Debt", "<script>"} {
			if v, ok := normalizeValue(domain.MethodsOfControl, s); ok {
				t.Errorf("%q accepted as %q", s, v)
			}
		}
	})
}
