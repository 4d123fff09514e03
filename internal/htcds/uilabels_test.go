// SPDX-License-Identifier: AGPL-3.0-or-later

package htcds

import (
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/i18n"
)

// TestUILabels: a picklist cell may hold the label Vigie's pages show for
// the value, in French or English ("Masculin", "Actif", "Travail forcé"),
// as a caseworker copies it into a template — each was rejected as 'not
// one of: Feminine, Masculine, …'. Every label of every enum is read as
// its value.
func TestUILabels(t *testing.T) {
	checked := 0
	for _, e := range domain.Enums() {
		for _, l := range i18n.Langs {
			loc := i18n.For(l)
			for _, v := range e.Values {
				label := loc.Enum(e.Field, v)
				for _, spelt := range []string{label, strings.ToUpper(label), " " + label + " "} {
					if got, ok := normalizeValue(e, spelt); !ok || got != v {
						t.Errorf("%s (%s): label %q gives %q, %v; want %q", e.Field, l, spelt, got, ok, v)
					}
				}
				checked++
			}
		}
	}
	if checked < 400 {
		t.Fatalf("checked only %d labels", checked)
	}
}

// TestFrenchTemplateRow: a template row filled with the French labels of
// the pages imports as the same case as one filled with value names.
func TestFrenchTemplateRow(t *testing.T) {
	french := templateRow("1", map[string]string{
		"prs_Gender": "Masculin", "cas_Status": "En suivi", "con_Consent": "oui",
		"vic_TraffickingStatus":  "Victime présumée de la traite",
		"vic_TypeOfExploitation": "Travail forcé;EXPLOITATION SEXUELLE",
	})
	names := templateRow("1", map[string]string{
		"prs_Gender": "Masculine", "cas_Status": "FollowUp", "con_Consent": "TRUE",
		"vic_TraffickingStatus":  "PossibleVictimOfTrafficking",
		"vic_TypeOfExploitation": "ForcedLabour;SexualExploitation",
	})
	fr, errs := importBytes(t, "csv", csvText(templateHeader, templateLabels, french), testOptions)
	if len(errs) > 0 || len(fr) != 1 {
		t.Fatalf("French labels: %d records, errors %v", len(fr), errs)
	}
	want, _ := importBytes(t, "csv", csvText(templateHeader, templateLabels, names), testOptions)
	fr[0].Case.SourceKey, want[0].Case.SourceKey = "", ""
	assertSameCase(t, want[0].Case, fr[0].Case)
}
