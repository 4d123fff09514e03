// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"strings"
)

// The directory and awareness activities are the prevention side of
// Vigie (issue 5). Neither holds a victim's personal data: a provider is
// an organisation, an activity counts people without naming them. Their
// free text is still free text: pages escape it, Validate bounds it.
const (
	// ResProvider is the service directory: the organisations cases are
	// referred to.
	ResProvider Resource = "provider"
	// ResAwareness is the awareness activities and their totals.
	ResAwareness Resource = "awareness"
)

// Picklists of the directory and of awareness activities (Vigie
// extensions; labels in the prevention catalogs).
var (
	ProviderType    = newEnum("vig_ProviderType", []string{"Government", "NGO", "InternationalOrganisation", "FaithBased", "CommunityBased", "Private", "Other"}, nil)
	ProviderService = newEnum("vig_ProviderService", []string{"Shelter", "Medical", "Psychosocial", "Legal", "Education", "Livelihood", "ReturnReintegration"}, nil)
	AwarenessType   = newEnum("vig_AwarenessType", []string{"CommunityMeeting", "Radio", "School", "Market", "Church", "SocialMedia", "Other"}, nil)
)

// MaxNoteText bounds the notes of a provider or an activity.
const MaxNoteText = 4000

// MaxBeds and MaxReached bound counts: beyond them it is a typing error.
const (
	MaxBeds    = 100_000
	MaxReached = 100_000_000
)

// Provider is an organisation of the referral network with the services
// it offers, where, and how much room it has now.
type Provider struct {
	Meta
	Name string `json:"name"`
	// AgencyCode is set when the provider is also a Vigie agency: a
	// referral to it then opens the case to that agency's users.
	AgencyCode string   `json:"agency_code,omitempty"`
	Type       string   `json:"type"`
	Phone      string   `json:"phone,omitempty"` // E.164
	Email      string   `json:"email,omitempty"`
	Address    string   `json:"address,omitempty"`
	Provinces  []string `json:"provinces"` // vig_Province codes
	Services   []string `json:"services"`  // vig_ProviderService values
	// Shelter capacity, as of CapacityDate.
	BedsTotal    *int   `json:"beds_total,omitempty"`
	BedsFree     *int   `json:"beds_free,omitempty"`
	CapacityDate Date   `json:"capacity_date,omitzero"`
	Notes        string `json:"notes,omitempty"`
}

// Offers reports whether the provider offers service s.
func (p *Provider) Offers(s string) bool {
	for _, v := range p.Services {
		if v == s {
			return true
		}
	}
	return false
}

// Validate checks the provider; today bounds the capacity date.
func (p *Provider) Validate(today Date) error {
	var pr Problems
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		pr.Add("name", "validation.required", "is required")
	}
	checkText(&pr, "name", p.Name, MaxShortText)
	if p.AgencyCode != "" && !ValidAgencyCode(p.AgencyCode) {
		pr.Add("agency_code", "validation.agency_code", "%q must be 2 to 10 capital letters or digits (e.g. KIN)", truncate(p.AgencyCode, 40))
	}
	if p.Type == "" {
		pr.Add("type", "validation.required", "is required")
	} else if !ProviderType.Valid(p.Type) {
		pr.Add("type", "validation.enum", "%q is not one of: %s", truncate(p.Type, 40), strings.Join(ProviderType.Values, ", "))
	}
	checkPhone(&pr, "phone", p.Phone)
	if p.Email != "" && !ValidEmail(p.Email) {
		pr.Add("email", "validation.email", "is not an e-mail address")
	}
	checkText(&pr, "address", p.Address, MaxShortText*2)
	if len(p.Provinces) == 0 {
		pr.Add("provinces", "validation.required", "name at least one province covered")
	}
	checkProvinces(&pr, "provinces", p.Provinces)
	if len(p.Services) == 0 {
		pr.Add("services", "validation.required", "name at least one service offered")
	}
	checkEnumsAs(&pr, "services", ProviderService, p.Services)
	checkCount(&pr, "beds_total", p.BedsTotal, MaxBeds)
	checkCount(&pr, "beds_free", p.BedsFree, MaxBeds)
	if p.BedsTotal != nil && p.BedsFree != nil && *p.BedsFree > *p.BedsTotal {
		pr.Add("beds_free", "validation.beds_free_over_total", "%d free beds is more than the %d beds in total", *p.BedsFree, *p.BedsTotal)
	}
	checkPastDate(&pr, "capacity_date", p.CapacityDate, today)
	checkText(&pr, "notes", p.Notes, MaxNoteText)
	return pr.Err()
}

func checkCount(p *Problems, field string, n *int, max int) {
	if n != nil && (*n < 0 || *n > max) {
		p.Add(field, "validation.count_range", "must be between 0 and %d", max)
	}
}

// ProviderFilter selects providers of the directory. Empty fields do
// not filter.
type ProviderFilter struct {
	Service  string // one vig_ProviderService value
	Province string // one vig_Province code
	Query    string // part of the name, any case
	Offset   int
	Limit    int // 1..MaxPageSize, default DefaultPageSize
}

// Validate checks the filter's values before any query runs.
func (f *ProviderFilter) Validate() error {
	var p Problems
	if f.Service != "" && !ProviderService.Valid(f.Service) {
		p.Add("service", "validation.enum", "%q is not a vig_ProviderService value", truncate(f.Service, 40))
	}
	if f.Province != "" && !ValidProvince(f.Province) {
		p.Add("province", "validation.enum", "%q is not a province code (e.g. CD-KN)", truncate(f.Province, 40))
	}
	checkText(&p, "q", f.Query, MaxShortText)
	checkPage(&p, &f.Offset, &f.Limit)
	return p.Err()
}

func checkPage(p *Problems, offset, limit *int) {
	if *offset < 0 {
		p.Add("offset", "validation.range", "must not be negative")
	}
	switch {
	case *limit == 0:
		*limit = DefaultPageSize
	case *limit < 0 || *limit > MaxPageSize:
		p.Add("limit", "validation.range", "must be between 1 and %d", MaxPageSize)
	}
}

// Reached counts the people an activity reached, by sex and age group.
type Reached struct {
	FemaleChildren int `json:"female_children"`
	FemaleAdults   int `json:"female_adults"`
	MaleChildren   int `json:"male_children"`
	MaleAdults     int `json:"male_adults"`
}

// Total is everyone reached.
func (r Reached) Total() int {
	return r.FemaleChildren + r.FemaleAdults + r.MaleChildren + r.MaleAdults
}

// Add adds o to r.
func (r *Reached) Add(o Reached) {
	r.FemaleChildren += o.FemaleChildren
	r.FemaleAdults += o.FemaleAdults
	r.MaleChildren += o.MaleChildren
	r.MaleAdults += o.MaleAdults
}

// Awareness is one awareness activity: a meeting, a broadcast, a visit
// to a school, and how many people it reached.
type Awareness struct {
	Meta
	Type      string  `json:"type"` // vig_AwarenessType
	Date      Date    `json:"date"`
	Province  string  `json:"province"`
	Locality  string  `json:"locality,omitempty"`
	Agency    string  `json:"agency"` // organiser's agency code
	Partner   string  `json:"partner,omitempty"`
	Audience  string  `json:"audience,omitempty"`
	Reached   Reached `json:"reached"`
	Materials string  `json:"materials,omitempty"`
	Notes     string  `json:"notes,omitempty"`
}

// Validate checks the activity; it cannot lie in the future.
func (a *Awareness) Validate(today Date) error {
	var p Problems
	if a.Type == "" {
		p.Add("type", "validation.required", "is required")
	} else if !AwarenessType.Valid(a.Type) {
		p.Add("type", "validation.enum", "%q is not one of: %s", truncate(a.Type, 40), strings.Join(AwarenessType.Values, ", "))
	}
	if a.Date.IsZero() {
		p.Add("date", "validation.required", "is required")
	}
	checkPastDate(&p, "date", a.Date, today)
	if a.Province == "" {
		p.Add("province", "validation.required", "is required")
	} else if !ValidProvince(a.Province) {
		p.Add("province", "validation.enum", "%q is not a province code (e.g. CD-KN)", truncate(a.Province, 40))
	}
	if a.Agency == "" {
		p.Add("agency", "validation.required", "is required")
	} else if !ValidAgencyCode(a.Agency) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code", truncate(a.Agency, 40))
	}
	checkText(&p, "locality", a.Locality, MaxShortText)
	checkText(&p, "partner", a.Partner, MaxShortText)
	checkText(&p, "audience", a.Audience, MaxShortText*2)
	checkText(&p, "materials", a.Materials, MaxShortText*2)
	checkText(&p, "notes", a.Notes, MaxNoteText)
	for f, n := range map[string]int{"reached.female_children": a.Reached.FemaleChildren, "reached.female_adults": a.Reached.FemaleAdults, "reached.male_children": a.Reached.MaleChildren, "reached.male_adults": a.Reached.MaleAdults} {
		checkCount(&p, f, &n, MaxReached)
	}
	return p.Err()
}

// AwarenessFilter selects activities. Empty fields do not filter; From
// and To are inclusive.
type AwarenessFilter struct {
	From, To Date
	Province string
	Type     string
	Agency   string // organiser's agency code
	Offset   int
	Limit    int
}

// Validate checks the filter's values before any query runs.
func (f *AwarenessFilter) Validate() error {
	var p Problems
	checkDate(&p, "from", f.From)
	checkDate(&p, "to", f.To)
	if !f.From.IsZero() && !f.To.IsZero() && f.From.After(f.To) {
		p.Add("from", "validation.range", "is after to")
	}
	if f.Province != "" && !ValidProvince(f.Province) {
		p.Add("province", "validation.enum", "%q is not a province code (e.g. CD-KN)", truncate(f.Province, 40))
	}
	if f.Type != "" && !AwarenessType.Valid(f.Type) {
		p.Add("type", "validation.enum", "%q is not a vig_AwarenessType value", truncate(f.Type, 40))
	}
	if f.Agency != "" && !ValidAgencyCode(f.Agency) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code", truncate(f.Agency, 40))
	}
	checkPage(&p, &f.Offset, &f.Limit)
	return p.Err()
}

// AwarenessTotal is the activities and people reached of one province
// and type of activity over a period.
type AwarenessTotal struct {
	Province   string  `json:"province"`
	Type       string  `json:"type"`
	Activities int     `json:"activities"`
	Reached    Reached `json:"reached"`
	Total      int     `json:"total"`
}

// AwarenessSummary is the totals of a period, per province and type,
// and over all of them.
type AwarenessSummary struct {
	From       Date             `json:"from,omitzero"`
	To         Date             `json:"to,omitzero"`
	Agency     string           `json:"agency,omitempty"`
	Rows       []AwarenessTotal `json:"rows"`
	Activities int              `json:"activities"`
	Reached    Reached          `json:"reached"`
	Total      int              `json:"total"`
}

// PreventionService stores the directory and the awareness activities.
// Writes are audited in their own transaction; updates and deletes carry
// the version they were based on and fail with a conflict when stale.
type PreventionService interface {
	CreateProvider(ctx context.Context, p *Provider) error
	Provider(ctx context.Context, id string) (*Provider, error)
	UpdateProvider(ctx context.Context, p *Provider) error
	DeleteProvider(ctx context.Context, id string, version int64) error
	Providers(ctx context.Context, f ProviderFilter) ([]*Provider, int, error)

	CreateAwareness(ctx context.Context, a *Awareness) error
	Awareness(ctx context.Context, id string) (*Awareness, error)
	UpdateAwareness(ctx context.Context, a *Awareness) error
	DeleteAwareness(ctx context.Context, id string, version int64) error
	Awarenesses(ctx context.Context, f AwarenessFilter) ([]*Awareness, int, error)
	AwarenessSummary(ctx context.Context, f AwarenessFilter) (*AwarenessSummary, error)
}

// preventionGrants are the permission table's lines for the directory and
// awareness activities (appended to permissions in access.go).
//
// The directory is one national list that names organisations, not
// victims: every role that refers or receives victims (caseworkers,
// supervisors, justice officers) reads it, and coordinators read it to
// see the network's coverage. Supervisors keep it up to date — they know
// the partners and update a shelter's free beds — and admins, who manage
// the organisations of the instance, may too; only admins delete a
// provider (a referral may still name it). The scope is All: a provider
// belongs to no agency.
//
// Awareness activities are recorded by the caseworkers and supervisors
// of the organiser agency (Agency scope; a supervisor may also delete a
// mistaken entry). Coordinators read them nationally, for the figures;
// they hold counts and no personal data. Justice and admins have no use
// for them.
func preventionGrants() []grant {
	return []grant{
		{RoleCaseworker, ResProvider, ro, ScopeAll},
		{RoleSupervisor, ResProvider, caseRW, ScopeAll},
		{RoleJustice, ResProvider, ro, ScopeAll},
		{RoleCoordinator, ResProvider, ro, ScopeAll},
		{RoleAdmin, ResProvider, rw, ScopeAll},

		{RoleCaseworker, ResAwareness, caseRW, ScopeAgency},
		{RoleSupervisor, ResAwareness, rw, ScopeAgency},
		{RoleCoordinator, ResAwareness, ro, ScopeAll},
	}
}

// MayLinkProviderAgency reports whether the principal may set or change
// the Vigie agency a provider stands for. A referral to such a provider
// opens the victim's case to that agency, so linking one is an act on
// agencies (admins), not on the directory: a supervisor who could link a
// shelter to their own agency would receive other agencies' referrals.
func (p *Principal) MayLinkProviderAgency() bool {
	return p.Allowed(ResAgency, ActUpdate) != ScopeNone
}
