// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"vigie/internal/domain"
)

// TestEveryEnumValueHasLabels walks the domain's registry of picklists, so
// that a value added to an enum without labels fails here.
func TestEveryEnumValueHasLabels(t *testing.T) {
	enums := domain.Enums()
	if len(enums) == 0 {
		t.Fatal("domain.Enums() is empty")
	}
	for _, e := range enums {
		for _, v := range e.Values {
			for _, l := range Langs {
				id := "enum." + e.Field + "." + v
				if !messages.ids[l][id] {
					t.Errorf("%s: no label %s", l, id)
					continue
				}
				if got := For(l).Enum(e.Field, v); strings.TrimSpace(got) == "" || strings.Contains(got, "⟦") {
					t.Errorf("%s: Enum(%s, %s) = %q", l, e.Field, v, got)
				}
			}
		}
	}
}

// TestNoStaleEnumLabels: a label whose value the domain no longer accepts
// is a renamed value whose new spelling lacks a label.
func TestNoStaleEnumLabels(t *testing.T) {
	for _, id := range IDs() {
		rest, ok := strings.CutPrefix(id, "enum.")
		if !ok {
			continue
		}
		field, value, _ := strings.Cut(rest, ".")
		e, ok := domain.EnumFor(field)
		if !ok || !e.Valid(value) {
			t.Errorf("%s labels no value of a domain enum", id)
		}
	}
}

// TestEnum covers the fallbacks of Enum.
func TestEnum(t *testing.T) {
	tests := []struct {
		lang         Lang
		field, value string
		want         string
	}{
		{FR, "vic_TypeOfExploitation", "ForcedLabour", "Travail forcé"},
		{EN, "vic_TypeOfExploitation", "ForcedLabour", "Forced labour"},
		{FR, "vic_TraffickingStatus", "PossibleVictimOfTrafficking", "Victime présumée de la traite"},
		{FR, "vic_TypeOfExploitation", "Other", "Autre"},
		{FR, "vig_AgeBand", "48+", "48 ans et plus"},
		{EN, "vic_RelationshipToTrafficker", "Unaquainted", "Unacquainted"},
		// Unknown values and fields read as themselves.
		{FR, "vic_TypeOfExploitation", "Piracy", "Piracy"},
		{EN, "no_Field", "Value", "Value"},
		{FR, "prs_Gender", "", ""},
		// An alias is not a stored value: the caller normalises first.
		{FR, "prs_Gender", "Female", "Female"},
	}
	for _, tt := range tests {
		if got := For(tt.lang).Enum(tt.field, tt.value); got != tt.want {
			t.Errorf("%s: Enum(%q, %q) = %q, want %q", tt.lang, tt.field, tt.value, got, tt.want)
		}
	}
}

// requireIDs fails the test for each of ids that a catalog lacks.
func requireIDs(t *testing.T, what string, ids []string) {
	t.Helper()
	for _, id := range ids {
		for _, l := range Langs {
			if !messages.ids[l][id] {
				t.Errorf("%s: %s: no message %s", l, what, id)
			}
		}
	}
}

// htcdsField matches the identifiers of HTCDS fields and Vigie extensions.
var htcdsField = regexp.MustCompile(`^[a-z]{3}_[A-Za-z]+$`)

// domainFields returns the HTCDS and vig_ field identifiers that the
// domain's records carry, read from their JSON tags.
func domainFields() []string {
	seen := map[reflect.Type]bool{}
	fields := map[string]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for f := range t.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if htcdsField.MatchString(name) {
				fields[name] = true
			}
			walk(f.Type)
		}
	}
	for _, v := range []any{domain.Case{}, domain.Agency{}, domain.CaseSummary{}} {
		walk(reflect.TypeOf(v))
	}
	out := make([]string, 0, len(fields))
	for f := range fields {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// TestEveryFieldHasLabel: forms and validation messages name fields, so
// every field of a case or an agency has a label, and every label a field.
func TestEveryFieldHasLabel(t *testing.T) {
	fields := domainFields()
	if len(fields) < 100 {
		t.Fatalf("found only %d fields in the domain types", len(fields))
	}
	var ids []string
	for _, f := range fields {
		ids = append(ids, "field."+f)
	}
	requireIDs(t, "field", ids)
	for _, id := range IDs() {
		if f, ok := strings.CutPrefix(id, "field."); ok && !slices.Contains(fields, f) {
			t.Errorf("%s labels no field of the domain", id)
		}
	}
}

// TestDomainListsHaveLabels covers the domain's other closed lists. Roles,
// part kinds and sort orders are exported lists; error kinds, audit
// actions and resources are constants without one, so they are listed
// here (an exported list in domain would let this test follow them).
func TestDomainListsHaveLabels(t *testing.T) {
	var roles, parts, sorts []string
	for _, r := range domain.Roles {
		roles = append(roles, "role."+string(r), "role."+string(r)+".help")
	}
	for _, k := range domain.PartKinds {
		parts = append(parts, "part."+string(k), "resource."+string(domain.PartResource(k)))
	}
	for _, s := range domain.CaseSorts {
		sorts = append(sorts, "case.sort."+s)
	}
	requireIDs(t, "role", roles)
	requireIDs(t, "part", parts)
	requireIDs(t, "sort", sorts)

	var kinds []string
	for _, k := range []domain.Kind{domain.KindInvalid, domain.KindNotFound, domain.KindConflict, domain.KindForbidden,
		domain.KindUnauthorized, domain.KindTooLarge, domain.KindMethod, domain.KindTooMany, domain.KindUnavailable, domain.KindInternal} {
		kinds = append(kinds, "error."+string(k))
	}
	requireIDs(t, "error kind", kinds)

	var actions []string
	for _, a := range []string{domain.AuditCreate, domain.AuditRead, domain.AuditUpdate, domain.AuditDelete,
		domain.AuditExport, domain.AuditImport, domain.AuditSearch, domain.AuditSignIn, domain.AuditSignInFailed,
		domain.AuditSignOut, domain.AuditDenied, domain.AuditPermission, domain.AuditBreakGlass,
		domain.AuditTokenCreate, domain.AuditTokenRevoke, domain.AuditKeysRotate} {
		actions = append(actions, "audit.action."+a)
	}
	requireIDs(t, "audit action", actions)

	var resources []string
	for _, r := range []domain.Resource{domain.ResCase, domain.ResIdentity, domain.ResContact, domain.ResVictim,
		domain.ResVulnerabilities, domain.ResAttachments, domain.ResSituation, domain.ResAgency, domain.ResUser,
		domain.ResAudit, domain.ResStatistics} {
		resources = append(resources, "resource."+string(r))
	}
	requireIDs(t, "resource", resources)

	requireIDs(t, "referral", []string{
		"referral.direction." + domain.ReferralIncoming, "referral.direction." + domain.ReferralOutgoing,
		"referral.status." + domain.ReferralActive, "referral.status." + domain.ReferralClosed,
	})
}
