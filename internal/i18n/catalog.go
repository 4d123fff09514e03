// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"embed"
	"fmt"
	"slices"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The catalogs are compiled in, so that a deployed binary can never miss
// a translation file.
//
//go:embed locales/fr.toml locales/en.toml
var locales embed.FS

// catalog is the loaded message bundle and, per language, the set of IDs
// it defines. The sets let a Localizer tell a missing message from one
// that go-i18n would silently take from the default language.
type catalog struct {
	bundle *goi18n.Bundle
	ids    map[Lang]map[string]bool
}

// messages is loaded when the package initialises. A catalog that does
// not parse is a programming error of the same order as a syntax error,
// and every test of every package that imports i18n then fails at once.
var messages = mustLoad()

func mustLoad() *catalog {
	c, err := load()
	if err != nil {
		panic("i18n: " + err.Error())
	}
	return c
}

func load() (*catalog, error) {
	b := goi18n.NewBundle(language.French)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &catalog{bundle: b, ids: map[Lang]map[string]bool{}}
	for _, l := range Langs {
		// The file name (fr.toml) gives go-i18n the language tag.
		f, err := b.LoadMessageFileFS(locales, "locales/"+string(l)+".toml")
		if err != nil {
			return nil, fmt.Errorf("catalog %s: %w", l, err)
		}
		ids := make(map[string]bool, len(f.Messages))
		for _, m := range f.Messages {
			ids[m.ID] = true
		}
		c.ids[l] = ids
	}
	return c, nil
}

// IDs returns every message ID of the French catalog, sorted. French is
// the reference: the tests check that English has exactly the same IDs.
func IDs() []string {
	out := make([]string, 0, len(messages.ids[FR]))
	for id := range messages.ids[FR] {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
