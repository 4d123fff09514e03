// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"strings"
	"testing"

	"vigie/internal/domain"
)

// TestBlankRequiredText: a required text made of spaces, tabs or line
// ends is refused as missing — a comment of "   " was stored and shown on
// the timeline as an empty entry, and an agency or a situation could be
// named "  " (acceptance pass).
func TestBlankRequiredText(t *testing.T) {
	for _, blank := range []string{" ", "   ", "\t\n", "\r\n "} {
		checks := map[string]error{
			"cco_CaseComment": problemsErr((&domain.Comment{Text: blank}).Validate(domain.Date{})),
			"org_Name":        (&domain.Agency{Code: "KIN", Name: blank}).Validate(),
			"title":           (&domain.Situation{Agency: "KIN", Title: blank}).Validate(),
			"closure":         domain.ValidateClosureText("closure", blank, true),
			"reason":          domain.ValidateReferralAnswer(domain.ReferralDeclined, blank),
		}
		for field, err := range checks {
			if err == nil || !strings.Contains(err.Error()+fieldsOf(err), field+" validation.required") {
				t.Errorf("%s %q: %v %s, want validation.required", field, blank, err, fieldsOf(err))
			}
		}
	}
	if err := problemsErr((&domain.Comment{Text: " suivi fait "}).Validate(domain.Date{})); err != nil {
		t.Fatalf("a comment with text: %v", err)
	}
}

func problemsErr(p domain.Problems) error { return p.Err() }

func fieldsOf(err error) string {
	var b strings.Builder
	for _, f := range domain.FieldErrors(err) {
		b.WriteString(" " + f.Field + " " + f.Code)
	}
	return b.String()
}
