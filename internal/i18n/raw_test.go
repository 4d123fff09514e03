// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"maps"
	"regexp"
	"slices"
	"testing"

	"github.com/BurntSushi/toml"
)

// rawMessage is one entry of a catalog file as written: its plural forms
// ("other" alone for a simple message).
type rawMessage map[string]string

// rawCatalog decodes a catalog file directly, without go-i18n, so that the
// tests see what the translators wrote: every plural form, and keys that
// go-i18n might have read differently.
func rawCatalog(t *testing.T, l Lang) map[string]rawMessage {
	t.Helper()
	files, err := catalogFiles(l)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	for _, name := range files {
		b, err := locales.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var one map[string]any
		if err := toml.Unmarshal(b, &one); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for id, v := range one {
			if _, dup := m[id]; dup {
				t.Errorf("%s: %s is already defined in another file", name, id)
			}
			m[id] = v
		}
	}
	out := make(map[string]rawMessage, len(m))
	for id, v := range m {
		switch v := v.(type) {
		case string:
			out[id] = rawMessage{"other": v}
		case map[string]any:
			forms := rawMessage{}
			for form, s := range v {
				str, ok := s.(string)
				if !ok {
					t.Errorf("%s: %s.%s is a %T, not a string", l, id, form, s)
				}
				forms[form] = str
			}
			out[id] = forms
		default:
			t.Errorf("%s: %s is a %T, not a string or a table of plural forms", l, id, v)
		}
	}
	return out
}

var actionRe = regexp.MustCompile(`\{\{.*?\}\}`)
var fieldRe = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)

// placeholders returns the data fields that the message's templates read
// ({{.Count}} gives "Count"), over all its forms, sorted.
func placeholders(m rawMessage) []string {
	set := map[string]bool{}
	for _, s := range m {
		for _, action := range actionRe.FindAllString(s, -1) {
			for _, f := range fieldRe.FindAllStringSubmatch(action, -1) {
				set[f[1]] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// sortedKeys returns a catalog's IDs in order, for stable test output.
func sortedKeys(c map[string]rawMessage) []string {
	return slices.Sorted(maps.Keys(c))
}
