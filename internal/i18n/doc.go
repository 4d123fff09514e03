// SPDX-License-Identifier: AGPL-3.0-or-later

// Package i18n is the language layer of Vigie's web pages: French first,
// English beside it.
//
// The messages live in two catalogs compiled into the binary
// (locales/AREA.fr.toml and locales/AREA.en.toml), keyed by stable identifiers such
// as "nav.cases" or "validation.required", and are looked up through
// go-i18n so that plural forms follow the CLDR rules of each language.
// Labels of the HTCDS picklists are keyed "enum.<field>.<value>", labels
// of fields "field.<field>", so that the web layer never hard-codes a
// human string and the tests can check that every value the domain
// accepts has a label in both languages.
//
// A missing message never breaks a page: it renders as "⟦id⟧", which is
// easy to see on screen and to look for in page tests.
package i18n
