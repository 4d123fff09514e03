// SPDX-License-Identifier: AGPL-3.0-or-later

// Package e2e holds Vigie's browser tests: the whole server (API, pages,
// store) as `vigie serve` builds it, driven through Debian's Chromium with
// chromedp, checked with axe-core and against the page-weight budget, and
// photographed into artifacts/screenshots/. It has tests only.
//
// The flows run on SQLite (VIGIE_E2E_DB=postgres runs them on PostgreSQL;
// the page-weight test always runs on both). Without Chromium (or node and
// npm, for axe-core) the tests skip with a message, except under CI=true,
// where they fail. VIGIE_CHROMIUM names another browser binary and
// VIGIE_ARTIFACTS another folder for the screenshots.
package e2e
