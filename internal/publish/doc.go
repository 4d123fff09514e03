// SPDX-License-Identifier: AGPL-3.0-or-later

// Package publish makes the file of a public release from the cases of a
// period: record-level data anonymised by internal/anonymize (k-anonymous
// CTDC rows, measured by its one evaluator), or aggregate tables
// protected by internal/disclosure (cell suppression or differential
// privacy). The file is a ZIP holding the data as CSV, a manifest.json of
// what a reader may know about how it was made, and a LISEZMOI/README;
// the release's manifest for the reviewers (risk and utility measured
// against the true data) is returned beside it and is never in the file.
package publish
