// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"sync"
	"testing"
)

func TestT(t *testing.T) {
	fr, en := For(FR), For(EN)
	tests := []struct {
		loc  *Localizer
		id   string
		data []map[string]any
		want string
	}{
		{fr, "nav.cases", nil, "Dossiers"},
		{en, "nav.cases", nil, "Cases"},
		{fr, "signin.error.too_many", []map[string]any{{"Seconds": 30}}, "Trop de tentatives. Réessayez dans 30\u00a0s."},
		{en, "signin.error.too_many", []map[string]any{{"Seconds": 30}}, "Too many attempts. Try again in 30\u00a0s."},
		// Maps are merged, the later winning.
		{en, "case.title", []map[string]any{{"Number": "KIN-1"}, {"Number": "KIN-2"}}, "Case KIN-2"},
		// Text in the data is not interpreted.
		{en, "case.title", []map[string]any{{"Number": "{{.X}}"}}, "Case {{.X}}"},
		// A missing message, or missing data, shows as a marker.
		{fr, "no.such.id", nil, "⟦no.such.id⟧"},
		{en, "", nil, "⟦⟧"},
		{fr, "signin.error.too_many", nil, "⟦signin.error.too_many⟧"},
		// Extra data is harmless.
		{en, "nav.home", []map[string]any{{"Unused": 1}}, "Home"},
	}
	for _, tt := range tests {
		if got := tt.loc.T(tt.id, tt.data...); got != tt.want {
			t.Errorf("%s: T(%q, %v) = %q, want %q", tt.loc.Lang(), tt.id, tt.data, got, tt.want)
		}
	}
}

func TestN(t *testing.T) {
	tests := []struct {
		lang  Lang
		count int
		want  string
	}{
		{FR, 0, "0 dossier au total"},
		{FR, 1, "1 dossier au total"},
		{FR, 2, "2 dossiers au total"},
		{FR, 1047102, "1\u202f047\u202f102 dossiers au total"},
		{FR, 1000000, "1\u202f000\u202f000 de dossiers au total"},
		{FR, 3000000, "3\u202f000\u202f000 de dossiers au total"},
		{EN, 0, "0 cases in total"},
		{EN, 1, "1 case in total"},
		{EN, 2, "2 cases in total"},
		{EN, 1000000, "1,000,000 cases in total"},
		{EN, -1, "-1 case in total"},
	}
	for _, tt := range tests {
		if got := For(tt.lang).N("case.list.total", tt.count); got != tt.want {
			t.Errorf("%s: N(case.list.total, %d) = %q, want %q", tt.lang, tt.count, got, tt.want)
		}
	}
	// The caller may set Count itself; its map is left untouched.
	data := map[string]any{"Count": "dix"}
	if got := For(FR).N("search.results", 10, data); got != "dix résultats" {
		t.Errorf("N with Count = %q", got)
	}
	data = map[string]any{}
	For(EN).N("search.results", 10, data)
	if len(data) != 0 {
		t.Errorf("N wrote into the caller's map: %v", data)
	}
	if got := For(EN).N("no.such.id", 2); got != "⟦no.such.id⟧" {
		t.Errorf("N of a missing ID = %q", got)
	}
}

func TestFor(t *testing.T) {
	for _, l := range Langs {
		if got := For(l).Lang(); got != l {
			t.Errorf("For(%q).Lang() = %q", l, got)
		}
	}
	// An unknown language gets the default rather than nil.
	if got := For("de").Lang(); got != FR {
		t.Errorf("For(de).Lang() = %q, want fr", got)
	}
	if For(FR).T("lang.switch") != "English" || For(EN).T("lang.switch") != "Français" {
		t.Error("the language switch must name the other language in that language")
	}
}

// TestConcurrentUse: one Localizer serves every request of its language.
// Run with -race to make this test meaningful.
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			l := For(Langs[i%len(Langs)])
			for n := range 200 {
				_ = l.T("signin.error.too_many", map[string]any{"Seconds": n})
				_ = l.N("case.list.total", n)
				_ = l.Enum("prs_Gender", "Feminine")
			}
		})
	}
	wg.Wait()
}
