// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"bufio"
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCatalogsHaveSameIDs: a page must never show an English sentence in
// French or the reverse, so both catalogs define exactly the same IDs.
func TestCatalogsHaveSameIDs(t *testing.T) {
	fr, en := rawCatalog(t, FR), rawCatalog(t, EN)
	for _, id := range sortedKeys(fr) {
		if _, ok := en[id]; !ok {
			t.Errorf("%s is in fr.toml but not in en.toml", id)
		}
	}
	for _, id := range sortedKeys(en) {
		if _, ok := fr[id]; !ok {
			t.Errorf("%s is in en.toml but not in fr.toml", id)
		}
	}
}

// TestLoadedIDsMatchFiles: go-i18n reads a table whose keys look like
// plural forms ("Other", "One") as a plural message, so the IDs it loads
// are compared with the files' own keys; IDs() is that list for French.
func TestLoadedIDsMatchFiles(t *testing.T) {
	for _, l := range Langs {
		want := sortedKeys(rawCatalog(t, l))
		var got []string
		for id := range messages.ids[l] {
			got = append(got, id)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: go-i18n loaded %d IDs, the file has %d", l, len(got), len(want))
		}
	}
	if got, want := IDs(), sortedKeys(rawCatalog(t, FR)); !slices.Equal(got, want) {
		t.Errorf("IDs() returns %d IDs, fr.toml has %d", len(got), len(want))
	}
}

// TestSameKeyOrder keeps each English file in the order of its French
// twin, which is what lets a translator read the two side by side.
func TestSameKeyOrder(t *testing.T) {
	order := func(name string) []string {
		b, err := locales.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		key := regexp.MustCompile(`^"([^"]+)"\s*=`)
		var out []string
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if m := key.FindStringSubmatch(sc.Text()); m != nil {
				out = append(out, m[1])
			}
		}
		return out
	}
	files, err := catalogFiles(FR)
	if err != nil {
		t.Fatal(err)
	}
	for _, frName := range files {
		enName := strings.TrimSuffix(frName, ".fr.toml") + ".en.toml"
		fr, en := order(frName), order(enName)
		for i := range min(len(fr), len(en)) {
			if fr[i] != en[i] {
				t.Fatalf("key %d: %s has %s, %s has %s", i+1, frName, fr[i], enName, en[i])
			}
		}
	}
}

// TestNoEmptyOrUntranslated: an empty message or one equal to its ID is a
// message nobody wrote.
func TestNoEmptyOrUntranslated(t *testing.T) {
	for _, l := range Langs {
		c := rawCatalog(t, l)
		for _, id := range sortedKeys(c) {
			for form, s := range c[id] {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %s (%s) is empty", l, id, form)
				}
				if s == id {
					t.Errorf("%s: %s (%s) is its own ID", l, id, form)
				}
			}
		}
	}
}

// TestPlaceholdersMatch: the code passes the same data whatever the
// language, so a placeholder of one language must exist in the other.
func TestPlaceholdersMatch(t *testing.T) {
	fr, en := rawCatalog(t, FR), rawCatalog(t, EN)
	for _, id := range sortedKeys(fr) {
		e, ok := en[id]
		if !ok {
			continue // reported by TestCatalogsHaveSameIDs
		}
		if pf, pe := placeholders(fr[id]), placeholders(e); !slices.Equal(pf, pe) {
			t.Errorf("%s: fr uses %v, en uses %v", id, pf, pe)
		}
	}
}

// pluralForms are the CLDR forms each language's plural messages need:
// French "many" is the exact millions ("1 000 000 de dossiers").
var pluralForms = map[Lang][]string{
	FR: {"many", "one", "other"},
	EN: {"one", "other"},
}

// TestPluralForms: a plural message has every form its language uses,
// and no other, so that N never falls back on the wrong grammar.
func TestPluralForms(t *testing.T) {
	for _, l := range Langs {
		c := rawCatalog(t, l)
		for _, id := range sortedKeys(c) {
			forms := slices.Sorted(func(yield func(string) bool) {
				for f := range c[id] {
					if !yield(f) {
						return
					}
				}
			})
			if len(forms) == 1 && forms[0] == "other" {
				continue
			}
			if !slices.Equal(forms, pluralForms[l]) {
				t.Errorf("%s: %s has forms %v, want %v", l, id, forms, pluralForms[l])
			}
		}
	}
}

// TestEveryMessageRenders executes every message of both catalogs, in
// every plural form, with data for its placeholders: a template error
// would show as "⟦id⟧" on a page.
func TestEveryMessageRenders(t *testing.T) {
	for _, l := range Langs {
		loc := For(l)
		c := rawCatalog(t, l)
		for _, id := range sortedKeys(c) {
			data := map[string]any{}
			for _, p := range placeholders(c[id]) {
				data[p] = "X"
			}
			var outs []string
			if len(c[id]) > 1 {
				for _, n := range []int{0, 1, 2, 1_000_000} {
					outs = append(outs, loc.N(id, n, data))
				}
			} else {
				outs = append(outs, loc.T(id, data))
			}
			for _, s := range outs {
				if strings.Contains(s, "⟦") || strings.Contains(s, "<no value>") || strings.Contains(s, "{{") {
					t.Errorf("%s: %s renders as %q", l, id, s)
				}
			}
		}
	}
}
