// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

// Name search thresholds on names.Similarity (0..1), shared by the API
// and the pages so that "exact" and "fuzzy" find the same cases on both:
// an exact search wants every token (or its phonetic twin), a fuzzy one
// accepts a typo.
const (
	NameScoreExact = 0.9
	NameScoreFuzzy = 0.5
)

// NameSearchAgency returns the agency whose reach the principal's name
// searches are limited to ("" for every agency). ok is false when the
// role may not search names: a search by name reads identities.
func (p *Principal) NameSearchAgency() (agencyID string, ok bool) {
	switch p.Allowed(ResIdentity, ActRead) {
	case ScopeAll:
		return "", true
	case ScopeAgency:
		return p.AgencyID, true
	}
	return "", false
}
