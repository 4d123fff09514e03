// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The catalogs are compiled in, so that a deployed binary can never miss
// a translation file. Each area of the product has its own pair of files,
// locales/AREA.fr.toml and locales/AREA.en.toml, so that translators (and
// developers working side by side) edit short files; an ID is defined in
// exactly one area.
//
//go:embed locales/*.toml
var locales embed.FS

// catalogFiles returns the paths of a language's catalog files, sorted.
func catalogFiles(l Lang) ([]string, error) {
	names, err := fs.Glob(locales, "locales/*."+string(l)+".toml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}

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
	areas := map[Lang][]string{}
	for _, l := range Langs {
		files, err := catalogFiles(l)
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("catalog %s: no files (%v)", l, err)
		}
		ids := map[string]bool{}
		for _, name := range files {
			// The file name (core.fr.toml) gives go-i18n the language tag.
			f, err := b.LoadMessageFileFS(locales, name)
			if err != nil {
				return nil, fmt.Errorf("catalog %s: %w", name, err)
			}
			for _, m := range f.Messages {
				if ids[m.ID] {
					return nil, fmt.Errorf("catalog %s: %s is defined in two files", name, m.ID)
				}
				ids[m.ID] = true
			}
			areas[l] = append(areas[l], strings.TrimSuffix(path.Base(name), "."+string(l)+".toml"))
		}
		c.ids[l] = ids
	}
	if !slices.Equal(areas[FR], areas[EN]) {
		return nil, fmt.Errorf("catalog areas differ: fr has %v, en has %v", areas[FR], areas[EN])
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
