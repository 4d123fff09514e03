// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"time"
)

// Clock returns the current time; injected so tests can fix "today".
type Clock func() time.Time

// Today is the calendar date of the clock in UTC.
func (c Clock) Today() Date { return DateOf(c().UTC()) }

// CaseFilter selects cases for a list. Empty fields do not filter.
type CaseFilter struct {
	Agency              string // agency code
	Status              string // cas_Status
	TraffickingStatus   string
	Gender              string
	AgeGroup            string // Child, Adult, Unknown
	AgeBand             string
	Exploitation        string // one vic_TypeOfExploitation value
	Citizenship         string // one country code
	ExploitationCountry string // one country of any exploitation event
	SituationID         string
	Province            string // vig_Province, an ISO 3166-2:CD code
	YearFrom, YearTo    int    // registration year, inclusive; a span of years (RegistrationPeriod) matches when inside
	RegisteredFrom      Date   // registration date, inclusive
	RegisteredTo        Date
	UpdatedFrom         time.Time // inclusive
	UpdatedTo           time.Time // exclusive

	Sort   string // one of CaseSorts
	Cursor string // opaque, from CasePage.NextCursor
	Limit  int    // 1..MaxPageSize, default DefaultPageSize
}

// Sort orders of case lists; a leading "-" means descending.
var CaseSorts = []string{"-created", "created", "-updated", "updated", "-registered", "registered", "number", "-number"}

const (
	DefaultPageSize = 50
	MaxPageSize     = 500
	// MaxFilterYear bounds the years a list filter takes.
	MaxFilterYear = 99999
)

// Validate checks the filter's values before any query runs.
func (f *CaseFilter) Validate() error {
	var p Problems
	// Errors name the filter as given (the API's query parameter, the
	// CLI's flag), not the HTCDS field it filters.
	checkEnumAs(&p, "status", CaseStatus, f.Status)
	checkEnumAs(&p, "trafficking_status", TraffickingStatus, f.TraffickingStatus)
	checkEnumAs(&p, "gender", Gender, f.Gender)
	checkEnumAs(&p, "age_group", AgeGroup, f.AgeGroup)
	checkEnumAs(&p, "age_band", AgeBand, f.AgeBand)
	checkEnumAs(&p, "exploitation", TypeOfExploitation, f.Exploitation)
	if f.Province != "" && !Province.Valid(f.Province) {
		p.Add("province", "validation.enum", "%q is not a province code (CD-KN, CD-NK, …)", truncate(f.Province, 40))
	}
	checkCountry(&p, "citizenship", f.Citizenship)
	checkCountry(&p, "exploitation_country", f.ExploitationCountry)
	if f.Agency != "" && !ValidAgencyCode(f.Agency) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code", f.Agency)
	}
	if f.SituationID != "" && !looksLikeUUID(f.SituationID) {
		p.Add("situation_id", "validation.identifier", "%q is not the ID of a trafficking situation", truncate(f.SituationID, 40))
	}
	// 0 is no bound; past five digits a year is no year (and overflowed
	// PostgreSQL's integer: a 500), below 0 neither (the export took -5
	// for no bound).
	for _, y := range []struct {
		name string
		v    int
	}{{"year_from", f.YearFrom}, {"year_to", f.YearTo}} {
		if y.v < 0 || y.v > MaxFilterYear {
			p.Add(y.name, "validation.range", "must be between 1 and %d", MaxFilterYear)
		}
	}
	if f.YearFrom != 0 && f.YearTo != 0 && f.YearFrom > f.YearTo {
		p.Add("year_from", "validation.range", "is after year_to")
	}
	if !f.RegisteredFrom.IsZero() && !f.RegisteredTo.IsZero() && f.RegisteredFrom.After(f.RegisteredTo) {
		p.Add("registered_from", "validation.range", "is after registered_to")
	}
	if !f.UpdatedFrom.IsZero() && !f.UpdatedTo.IsZero() && !f.UpdatedFrom.Before(f.UpdatedTo) {
		// UpdatedTo is exclusive (a date ends after that day): a period
		// that ends where it starts holds nothing.
		p.Add("updated_from", "validation.range", "is not before updated_to")
	}
	if f.Sort == "" {
		f.Sort = "-created"
	}
	valid := false
	for _, s := range CaseSorts {
		valid = valid || s == f.Sort
	}
	if !valid {
		p.Add("sort", "validation.enum", "%q is not one of %v", f.Sort, CaseSorts)
	}
	switch {
	case f.Limit == 0:
		f.Limit = DefaultPageSize
	case f.Limit < 0 || f.Limit > MaxPageSize:
		p.Add("limit", "validation.range", "must be between 1 and %d", MaxPageSize)
	}
	return p.Err()
}

// CaseSummary is one row of a case list. It carries no personal data, so
// that lists never need to decrypt a person.
type CaseSummary struct {
	ID                 string   `json:"id"`
	Number             string   `json:"case_number"`
	Agency             string   `json:"agency"`
	Status             string   `json:"cas_Status"`
	TraffickingStatus  string   `json:"vic_TraffickingStatus"`
	Gender             string   `json:"prs_Gender,omitempty"`
	AgeGroup           string   `json:"vig_AgeGroup"`
	AgeBand            string   `json:"vig_AgeBand,omitempty"`
	Citizenship        []string `json:"prs_Citizenship,omitempty"`
	TypeOfExploitation []string `json:"vic_TypeOfExploitation,omitempty"`
	// ExploitationCountry is the first of ExploitationCountries (the
	// countries of the exploitation events, in their order), kept for
	// the clients written when a list carried one country.
	ExploitationCountry   string   `json:"exploitation_country,omitempty"`
	ExploitationCountries []string `json:"exploitation_countries,omitempty"`
	Province              string   `json:"vig_Province,omitempty"`
	RegistrationYear      int      `json:"vig_RegistrationYear,omitempty"`
	RegistrationDate      Date     `json:"vig_RegistrationDate,omitzero"`
	// RegistrationPeriod is the span of years of a case registered with
	// one ("2014-2018"), when it has neither a year nor a date.
	RegistrationPeriod string    `json:"vig_RegistrationPeriod,omitempty"`
	Version            int64     `json:"version"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// CasePage is one page of a list with the total number of matches.
type CasePage struct {
	Items      []CaseSummary `json:"items"`
	Total      int64         `json:"total"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// ImportResult says what an import batch did.
type ImportResult struct {
	Created int // new cases
	Skipped int // already imported (same source key)
}

// PreparedImport is a batch of cases validated and encoded by a store,
// ready to be written (see BatchImporter).
type PreparedImport interface{ Len() int }

// BatchImporter is implemented by stores that can prepare a batch without
// touching the database, so that an importer prepares the next batch while
// the previous one is written.
type BatchImporter interface {
	PrepareImport(cases []*Case) (PreparedImport, error)
	ImportPrepared(ctx context.Context, b PreparedImport) (ImportResult, error)
}

// CaseService is the registry of cases.
type CaseService interface {
	// CreateCase assigns ID, number and version 1, and stores c with its parts.
	CreateCase(ctx context.Context, c *Case) error
	// Case returns a case with its parts, by ID or case number.
	Case(ctx context.Context, ref string) (*Case, error)
	// UpdateCase replaces the case's own fields, person and victim context
	// (not its parts) if c.Version is the stored version; else a conflict.
	UpdateCase(ctx context.Context, c *Case) error
	FindCases(ctx context.Context, f CaseFilter) (*CasePage, error)

	AddPart(ctx context.Context, caseRef string, kind PartKind, p Part) error
	UpdatePart(ctx context.Context, caseRef string, kind PartKind, p Part) error
	DeletePart(ctx context.Context, caseRef string, kind PartKind, id string, version int64) error

	// ImportCases stores valid cases in one transaction, skipping those
	// whose SourceKey is already stored.
	ImportCases(ctx context.Context, cases []*Case) (ImportResult, error)
	// ExportCases calls fn for every case with its parts, in creation order.
	ExportCases(ctx context.Context, f CaseFilter, fn func(*Case) error) error
}

// AgencyService manages agencies.
type AgencyService interface {
	CreateAgency(ctx context.Context, a *Agency) error
	Agency(ctx context.Context, code string) (*Agency, error)
	Agencies(ctx context.Context) ([]*Agency, error)
	// EnsureAgency returns the agency with this code, creating it with the
	// given name when absent (used by imports).
	EnsureAgency(ctx context.Context, code, name string) (*Agency, error)
}

// SituationService manages trafficking situations.
type SituationService interface {
	CreateSituation(ctx context.Context, s *Situation) error
	Situation(ctx context.Context, id string) (*Situation, error)
}

// LooksLikeUUID reports whether s is written as a UUID (8-4-4-4-12
// hexadecimal digits), as Vigie's record IDs are.
func LooksLikeUUID(s string) bool { return looksLikeUUID(s) }

// looksLikeUUID reports whether s is written as a UUID
// (8-4-4-4-12 hexadecimal digits).
func looksLikeUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'):
			return false
		}
	}
	return true
}
