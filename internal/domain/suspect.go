// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ResSuspect is the perpetrator registry: suspected and convicted
// traffickers as persons, kept once however many cases name them, and
// their links to victims' cases and trafficking situations.
const ResSuspect Resource = "suspect"

// Bounds of a suspect's lists: beyond them it is a typing or import error.
const (
	MaxSuspectAliases   = 20
	MaxSuspectDocuments = 10
	MaxSuspectPhones    = 10
)

// Suspect is a suspected or convicted trafficker as a person. Gender, age
// group and band and citizenship are kept in clear, because the figures
// (persons investigated, prosecuted, convicted by sex, age and
// citizenship) count by them; everything that identifies the person is in
// Identity, sealed at rest with a data key of the suspect's own, and found
// only through a blind index of names and aliases.
type Suspect struct {
	Meta
	// Number is the human reference, per agency and year:
	// AGENCY-S-YEAR-SEQUENCE, e.g. KIN-S-2026-000007 (the "S" keeps it
	// apart from case numbers, which have no letter there).
	Number string `json:"number,omitempty"`
	// Agency is the code of the agency that registered the suspect.
	Agency      string `json:"agency,omitempty"`
	Gender      string `json:"gender,omitempty"`      // prs_Gender value
	AgeGroup    string `json:"age_group,omitempty"`   // Child, Adult, Unknown
	AgeBand     string `json:"age_band,omitempty"`    // vig_PerpetratorAgeBand value
	Citizenship string `json:"citizenship,omitempty"` // ISO 3166-1 alpha-2
	// Identity is nil in what a role that may not read names receives.
	Identity *SuspectIdentity `json:"identity,omitempty"`
	// Links are the suspect's cases and situations (read only here:
	// written through LinkSuspect).
	Links []*SuspectLink `json:"links,omitempty"`
	// HiddenLinks counts the links to cases and situations the reader
	// does not reach, left out of Links (RedactLinks).
	HiddenLinks int `json:"hidden_links,omitempty"`
}

// SuspectIdentity is a suspect's personal data: sealed, never in a list
// a role without the right receives, never in a URL or the audit log.
type SuspectIdentity struct {
	FirstName   string             `json:"first_name,omitempty"`
	MiddleName  string             `json:"middle_name,omitempty"`
	LastName    string             `json:"last_name,omitempty"`
	Aliases     []string           `json:"aliases,omitempty"`
	Birthdate   Date               `json:"birthdate,omitzero"`
	Documents   []IdentityDocument `json:"documents,omitempty"`
	Address     string             `json:"address,omitempty"`
	Phones      []string           `json:"phones,omitempty"` // E.164
	Description string             `json:"description,omitempty"`
	Notes       string             `json:"notes,omitempty"`
}

// IdentityDocument is a passport, an identity card, a voter's card…
type IdentityDocument struct {
	Type    string `json:"type"` // vig_IdentityDocumentType value
	Number  string `json:"number"`
	Country string `json:"country,omitempty"` // issuing country, ISO alpha-2
}

// Picklists of the registry (Vigie extensions; labels in the suspect
// catalogs).
var (
	IdentityDocumentType = newEnum("vig_IdentityDocumentType", []string{"Passport", "NationalID", "VoterCard", "DrivingLicence", "ResidencePermit", "Other"}, nil)
)

// Name is the suspect's full name ("" when unknown or not shown).
func (s *Suspect) Name() string {
	if s.Identity == nil {
		return ""
	}
	return s.Identity.Name()
}

// Name is the full name.
func (i *SuspectIdentity) Name() string {
	return strings.Join(strings.Fields(i.FirstName+" "+i.MiddleName+" "+i.LastName), " ")
}

// Validate checks the suspect and derives the age group and band from
// the birth date when it is known (on today).
func (s *Suspect) Validate(today Date) error {
	var p Problems
	checkEnumsAs(&p, "gender", Gender, nonEmpty(s.Gender))
	checkEnumsAs(&p, "age_band", PerpetratorAgeBand, nonEmpty(s.AgeBand))
	checkEnumsAs(&p, "age_group", AgeGroup, nonEmpty(s.AgeGroup))
	checkCountry(&p, "citizenship", s.Citizenship)
	if s.Identity == nil {
		p.Add("identity", "validation.required", "is required (a name, an alias or a description at least)")
		return p.Err()
	}
	id := s.Identity
	p.Merge("identity.", id.Validate(today))
	if err := p.Err(); err != nil {
		return err
	}
	if age := (&Person{Birthdate: id.Birthdate}).AgeOn(today); age >= 0 {
		s.AgeGroup, s.AgeBand = "Adult", perpetratorBand(age)
		if age < 18 {
			s.AgeGroup = "Child"
		}
	}
	if s.AgeGroup == "" {
		s.AgeGroup = "Unknown"
	}
	return nil
}

// Validate checks the identity: something to know the person by, bounded
// text without control characters, known document types and countries.
func (i *SuspectIdentity) Validate(today Date) Problems {
	var p Problems
	i.FirstName, i.MiddleName, i.LastName = strings.TrimSpace(i.FirstName), strings.TrimSpace(i.MiddleName), strings.TrimSpace(i.LastName)
	for _, f := range []struct{ name, v string }{{"first_name", i.FirstName}, {"middle_name", i.MiddleName}, {"last_name", i.LastName}} {
		checkText(&p, f.name, f.v, MaxShortText)
		checkOneLine(&p, f.name, f.v)
	}
	if i.Name() == "" && len(i.Aliases) == 0 && strings.TrimSpace(i.Description) == "" {
		p.Add("last_name", "validation.suspect_unnamed", "give a name, an alias or a description")
	}
	if len(i.Aliases) > MaxSuspectAliases {
		p.Add("aliases", "validation.too_many", "at most %d aliases", MaxSuspectAliases)
	}
	seen := map[string]bool{}
	for n, a := range i.Aliases {
		a = strings.TrimSpace(a)
		i.Aliases[n] = a
		f := fmt.Sprintf("aliases[%d]", n)
		if a == "" {
			p.Add(f, "validation.required", "is empty")
		}
		checkText(&p, f, a, MaxShortText)
		checkOneLine(&p, f, a)
		if seen[strings.ToLower(a)] {
			p.Add(f, "validation.duplicate_value", "is listed twice")
		}
		seen[strings.ToLower(a)] = true
	}
	checkPastDate(&p, "birthdate", i.Birthdate, today)
	if len(i.Documents) > MaxSuspectDocuments {
		p.Add("documents", "validation.too_many", "at most %d documents", MaxSuspectDocuments)
	}
	for n, d := range i.Documents {
		f := fmt.Sprintf("documents[%d].", n)
		if d.Type == "" {
			p.Add(f+"type", "validation.required", "is required")
		} else if !IdentityDocumentType.Valid(d.Type) {
			p.Add(f+"type", "validation.enum", "%q is not one of: %s", truncate(d.Type, 40), strings.Join(IdentityDocumentType.Values, ", "))
		}
		if strings.TrimSpace(d.Number) == "" {
			p.Add(f+"number", "validation.required", "is required")
		}
		checkText(&p, f+"number", d.Number, MaxShortText)
		checkOneLine(&p, f+"number", d.Number)
		checkCountry(&p, f+"country", d.Country)
	}
	checkText(&p, "address", i.Address, MaxShortText*2)
	if len(i.Phones) > MaxSuspectPhones {
		p.Add("phones", "validation.too_many", "at most %d phone numbers", MaxSuspectPhones)
	}
	for n, ph := range i.Phones {
		checkPhone(&p, fmt.Sprintf("phones[%d]", n), ph)
	}
	checkText(&p, "description", i.Description, MaxNoteText)
	checkText(&p, "notes", i.Notes, MaxLongText)
	return p
}

func nonEmpty(v string) []string {
	if v == "" {
		return nil
	}
	return []string{v}
}

// perpetratorBand is the vig_PerpetratorAgeBand of an age.
func perpetratorBand(age int) string {
	switch {
	case age <= 29:
		return "0--29"
	case age <= 38:
		return "30--38"
	case age <= 47:
		return "39--47"
	}
	return "48+"
}

// SuspectLink ties a suspect to one victim's case (with the role the
// suspect played for that victim and their relation) or to one
// trafficking situation. Exactly one of CaseNumber and SituationID is set.
type SuspectLink struct {
	Meta
	SuspectID   string `json:"suspect_id,omitempty"`
	CaseID      string `json:"case_id,omitempty"`
	CaseNumber  string `json:"case_number,omitempty"`
	SituationID string `json:"situation_id,omitempty"`
	// Roles are per_RoleInProcess values; several are allowed (a
	// recruiter who also transports).
	Roles []string `json:"roles,omitempty"`
	// Relation is the suspect's relation to the victim
	// (vig_PerpetratorRelation); empty for a situation.
	Relation string `json:"relation,omitempty"`
	// Organisation is the organisation or network (per_Organisation),
	// sealed with the suspect's personal data.
	Organisation string `json:"organisation,omitempty"`
	// Reach lists the agencies that reach the link's case (its owner and
	// those it is actively referred to) or situation (its owner): set by
	// the store, never sent.
	Reach []string `json:"-"`
}

// RedactLinks leaves out of s.Links the cases and situations the
// principal does not reach, and counts them: a suspect seen through one
// victim's case must not reveal the numbers of other agencies' cases.
func (p *Principal) RedactLinks(s *Suspect) {
	if p.Allowed(ResSuspect, ActRead) == ScopeAll {
		return
	}
	kept := s.Links[:0]
	for _, l := range s.Links {
		if slices.Contains(l.Reach, p.AgencyID) {
			kept = append(kept, l)
		} else {
			s.HiddenLinks++
		}
	}
	s.Links = kept
}

// Validate checks the link's values (the store checks that its case or
// situation exists).
func (l *SuspectLink) Validate() error {
	var p Problems
	hasCase, hasSit := l.CaseNumber != "" || l.CaseID != "", l.SituationID != ""
	if hasCase == hasSit {
		p.Add("case_number", "validation.suspect_link_target", "name either a case or a situation")
	}
	checkText(&p, "case_number", l.CaseNumber, 40)
	checkText(&p, "situation_id", l.SituationID, 40)
	checkEnumsAs(&p, "roles", RoleInProcess, l.Roles)
	checkEnumsAs(&p, "relation", PerpetratorRelation, nonEmpty(l.Relation))
	if hasSit && l.Relation != "" {
		p.Add("relation", "validation.suspect_relation_situation", "a relation is to a victim: link the suspect to the victim's case")
	}
	l.Organisation = strings.TrimSpace(l.Organisation)
	checkText(&p, "organisation", l.Organisation, MaxShortText)
	checkOneLine(&p, "organisation", l.Organisation)
	return p.Err()
}

var suspectNumberPattern = regexp.MustCompile(`^([A-Z0-9]{2,10})-S-(\d{4})-(\d{6,})$`)

// FormatSuspectNumber builds a suspect's number, e.g. KIN-S-2026-000007.
func FormatSuspectNumber(agency string, year int, seq int64) string {
	return fmt.Sprintf("%s-S-%04d-%06d", agency, year, seq)
}

// ValidSuspectNumber reports whether s is shaped like a suspect number.
func ValidSuspectNumber(s string) bool {
	m := suspectNumberPattern.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	_, err := strconv.ParseInt(m[3], 10, 64)
	return err == nil
}

// SuspectAccess is what decides whether a suspect is within a user's
// reach: the agency that registered them, and the agencies that reach one
// of the cases the suspect is linked to (owning agency or active
// referral). Police and social workers of another province who work a
// victim's case thus see who that victim named, and no other suspect.
type SuspectAccess struct {
	SuspectID string
	Number    string
	AgencyID  string
	// CaseAgencies are the agencies reaching a linked case.
	CaseAgencies []string
}

// CanSuspect reports whether the principal may do act on the suspect.
// Deleting is for the registering agency only: an agency that reaches the
// suspect through a linked case works with the record, it does not own it.
func (p *Principal) CanSuspect(act Action, a SuspectAccess) bool {
	switch p.Allowed(ResSuspect, act) {
	case ScopeAll:
		return true
	case ScopeAgency:
		if a.AgencyID == p.AgencyID {
			return true
		}
		return act != ActDelete && slices.Contains(a.CaseAgencies, p.AgencyID)
	}
	return false
}

// SuspectFilter selects suspects of the registry. Empty fields do not
// filter.
type SuspectFilter struct {
	// Reach, when set, keeps the suspects that agency reaches (its own
	// and those linked to cases it reaches): set by the surfaces from the
	// caller's scope, never by the caller.
	Reach       string
	Agency      string // owning agency code
	Gender      string
	AgeGroup    string
	Citizenship string
	CaseID      string // linked to this case
	SituationID string // linked to this situation
	Offset      int
	Limit       int
}

// Validate checks the filter's values before any query runs.
func (f *SuspectFilter) Validate() error {
	var p Problems
	if f.Agency != "" && !ValidAgencyCode(f.Agency) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code", truncate(f.Agency, 40))
	}
	checkEnumsAs(&p, "gender", Gender, nonEmpty(f.Gender))
	checkEnumsAs(&p, "age_group", AgeGroup, nonEmpty(f.AgeGroup))
	checkCountry(&p, "citizenship", f.Citizenship)
	checkText(&p, "case_id", f.CaseID, 40)
	checkText(&p, "situation_id", f.SituationID, 40)
	checkPage(&p, &f.Offset, &f.Limit)
	return p.Err()
}

// SuspectCounts are the registry's totals for roles that may count
// suspects but never see one: by gender, age group and citizenship.
type SuspectCounts struct {
	Total         int            `json:"total"`
	ByGender      map[string]int `json:"by_gender"`
	ByAgeGroup    map[string]int `json:"by_age_group"`
	ByCitizenship map[string]int `json:"by_citizenship"`
}

// SuspectQuery is what a duplicate check compares: a name, aliases and a
// birth date, sent in a request body (never a URL).
type SuspectQuery struct {
	Name      string   `json:"name"`
	Aliases   []string `json:"aliases,omitempty"`
	Birthdate Date     `json:"birthdate,omitzero"`
}

// Validate bounds the query.
func (q *SuspectQuery) Validate(today Date) error {
	var p Problems
	checkText(&p, "name", q.Name, MaxShortText)
	if len(q.Aliases) > MaxSuspectAliases {
		p.Add("aliases", "validation.too_many", "at most %d aliases", MaxSuspectAliases)
	}
	for n, a := range q.Aliases {
		checkText(&p, fmt.Sprintf("aliases[%d]", n), a, MaxShortText)
	}
	checkPastDate(&p, "birthdate", q.Birthdate, today)
	if strings.TrimSpace(q.Name) == "" && len(q.Aliases) == 0 {
		p.Add("name", "validation.required", "give a name or an alias")
	}
	return p.Err()
}

// SuspectMatch is a registered suspect who may be the person of a
// duplicate check, with a score from 0 to 1.
type SuspectMatch struct {
	SuspectID string  `json:"suspect_id"`
	Number    string  `json:"number"`
	Agency    string  `json:"agency"`
	Name      string  `json:"name"`
	Score     float64 `json:"score"`
	// SameBirthdate is set when both birth dates are known and equal.
	SameBirthdate bool `json:"same_birthdate,omitempty"`
}

// SuspectService stores the registry. Writes carry the actor in the
// context (WithActor) and are audited; reads of personal data are
// audited by the surfaces, which know what they show.
type SuspectService interface {
	CreateSuspect(ctx context.Context, s *Suspect) error
	// Suspect reads a suspect, by ID or number, with their links.
	Suspect(ctx context.Context, ref string) (*Suspect, error)
	UpdateSuspect(ctx context.Context, s *Suspect) error
	DeleteSuspect(ctx context.Context, id string, version int64) error
	SuspectAccess(ctx context.Context, ref string) (SuspectAccess, error)
	FindSuspects(ctx context.Context, f SuspectFilter) ([]*Suspect, int, error)
	CountSuspects(ctx context.Context, f SuspectFilter) (*SuspectCounts, error)
	// CaseSuspects lists the suspects linked to a case, each with that
	// one link.
	CaseSuspects(ctx context.Context, caseID string) ([]*Suspect, error)
	LinkSuspect(ctx context.Context, l *SuspectLink) error
	UpdateSuspectLink(ctx context.Context, l *SuspectLink) error
	UnlinkSuspect(ctx context.Context, suspectID, linkID string, version int64) error
	// SuspectDuplicates ranks the suspects reachAgency reaches ("" for
	// every agency) whose names or aliases may be the query's.
	SuspectDuplicates(ctx context.Context, q SuspectQuery, reachAgency string, limit int) ([]SuspectMatch, error)
}
