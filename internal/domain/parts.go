// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"strings"
	"time"
)

// Meta is the record header every stored record carries: a time-ordered
// UUID (v7), an optimistic-concurrency version and timestamps.
type Meta struct {
	ID        string    `json:"id,omitempty"`
	Version   int64     `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Part is one of a case's child records (events, support plans, consents,
// comments, referrals, perpetrators). Each has its own version.
type Part interface {
	PartMeta() *Meta
	Validate(today Date) Problems
}

// PartKind names a kind of part as it appears in URLs and table names.
type PartKind string

const (
	PartEvents       PartKind = "events"
	PartSupportPlans PartKind = "support_plans"
	PartConsents     PartKind = "consents"
	PartComments     PartKind = "comments"
	PartReferrals    PartKind = "referrals"
	PartPerpetrators PartKind = "perpetrators"
)

// PartKinds lists every kind of part.
var PartKinds = []PartKind{PartEvents, PartSupportPlans, PartConsents, PartComments, PartReferrals, PartPerpetrators}

// NewPart returns an empty part of kind k.
func NewPart(k PartKind) (Part, bool) {
	switch k {
	case PartEvents:
		return &Event{}, true
	case PartSupportPlans:
		return &SupportPlan{}, true
	case PartConsents:
		return &Consent{}, true
	case PartComments:
		return &Comment{}, true
	case PartReferrals:
		return &Referral{}, true
	case PartPerpetrators:
		return &Perpetrator{}, true
	}
	return nil, false
}

// Event is a historic trafficking event (hte_): recruitment, transit or
// exploitation, where and when.
type Event struct {
	Meta
	Type        string   `json:"hte_Type,omitempty"`
	Date        Date     `json:"hte_Date,omitzero"`
	Country     string   `json:"hte_Country,omitempty"`
	State       string   `json:"hte_State,omitempty"`
	City        string   `json:"hte_City,omitempty"`
	Street      string   `json:"hte_Street,omitempty"`
	PostalCode  string   `json:"hte_PostalCode,omitempty"`
	Latitude    *float64 `json:"hte_Latitude,omitempty"`
	Longitude   *float64 `json:"hte_Longitude,omitempty"`
	Description string   `json:"hte_Description,omitempty"`
}

func (e *Event) PartMeta() *Meta { return &e.Meta }

func (e *Event) Validate(today Date) Problems {
	var p Problems
	if e.Type == "" {
		p.Add("hte_Type", "validation.required", "is required (Recruitment, Transit or Exploitation)")
	}
	checkEnum(&p, EventType, e.Type)
	checkPastDate(&p, "hte_Date", e.Date, today)
	checkCountry(&p, "hte_Country", e.Country)
	checkText(&p, "hte_State", e.State, MaxShortText)
	checkText(&p, "hte_City", e.City, MaxShortText)
	checkText(&p, "hte_Street", e.Street, MaxShortText)
	checkText(&p, "hte_PostalCode", e.PostalCode, MaxShortText)
	checkLatLon(&p, "hte_Latitude", e.Latitude, "hte_Longitude", e.Longitude)
	checkText(&p, "hte_Description", e.Description, MaxLongText)
	return p
}

// SupportPlan is one plan of assistance (spl_).
type SupportPlan struct {
	Meta
	Type           string `json:"spl_Type,omitempty"`
	Objectives     string `json:"spl_Objectives,omitempty"`
	ActionPlan     string `json:"spl_ActionPlan,omitempty"`
	PlannedEndDate Date   `json:"spl_PlannedEndDate,omitzero"`
	ActualEndDate  Date   `json:"spl_ActualEndDate,omitzero"`
}

func (s *SupportPlan) PartMeta() *Meta { return &s.Meta }

func (s *SupportPlan) Validate(today Date) Problems {
	var p Problems
	if s.Type == "" {
		p.Add("spl_Type", "validation.required", "is required")
	}
	checkEnum(&p, SupportPlanType, s.Type)
	checkText(&p, "spl_Objectives", s.Objectives, MaxLongText)
	checkText(&p, "spl_ActionPlan", s.ActionPlan, MaxLongText)
	// A planned end date may lie in the future; the actual one may not.
	checkPlannedDate(&p, "spl_PlannedEndDate", s.PlannedEndDate, today)
	checkPastDate(&p, "spl_ActualEndDate", s.ActualEndDate, today)
	return p
}

// Consent records the victim's informed consent (con_Consent) and when it
// was given. HTCDS 2.0 has one checkbox that stands for all the points the
// interviewer must cover; the date and recorder are Vigie extensions.
type Consent struct {
	Meta
	Consent    bool   `json:"con_Consent"`
	Date       Date   `json:"vig_ConsentDate,omitzero"`
	RecordedBy string `json:"vig_RecordedBy,omitempty"`
}

func (c *Consent) PartMeta() *Meta { return &c.Meta }

func (c *Consent) Validate(today Date) Problems {
	var p Problems
	checkPastDate(&p, "vig_ConsentDate", c.Date, today)
	checkText(&p, "vig_RecordedBy", c.RecordedBy, MaxShortText)
	return p
}

// Comment is a formal update from a caseworker (cco_CaseComment).
type Comment struct {
	Meta
	Text   string `json:"cco_CaseComment"`
	Author string `json:"vig_Author,omitempty"`
}

func (c *Comment) PartMeta() *Meta { return &c.Meta }

func (c *Comment) Validate(Date) Problems {
	var p Problems
	if strings.TrimSpace(c.Text) == "" {
		p.Add("cco_CaseComment", "validation.required", "is required")
	}
	checkText(&p, "cco_CaseComment", c.Text, MaxLongText)
	checkText(&p, "vig_Author", c.Author, MaxShortText)
	return p
}

// Referral directions.
const (
	ReferralIncoming = "incoming"
	ReferralOutgoing = "outgoing"
)

// Referral is one incoming or outgoing referral. HTCDS flattens referrals
// onto the case while noting there may be several; Vigie keeps one row per
// referral and uses the standard's field names for each direction.
type Referral struct {
	Meta
	Direction string `json:"direction"`

	ReferringOrganisation      string `json:"cas_ReferringOrganisation,omitempty"`
	IncomingReferralDate       Date   `json:"cas_IncomingReferralDate,omitzero"`
	ReferringPrimaryCaseWorker string `json:"cas_ReferringPrimaryCaseWorker,omitempty"`
	ReasonForIncomingReferral  string `json:"cas_ReasonForIncomingReferral,omitempty"`
	IncomingReferralDetails    string `json:"cas_IncomingReferralDetails,omitempty"`
	ReferredOrganisation       string `json:"cas_ReferredOrganisation,omitempty"`
	ReferredPrimaryCaseWorker  string `json:"cas_ReferredPrimaryCaseWorker,omitempty"`
	ReasonForOutgoingReferral  string `json:"cas_ReasonForOutgoingReferral,omitempty"`
	OutgoingReferralDate       Date   `json:"cas_OutgoingReferralDate,omitzero"`
	OutgoingReferralDetails    string `json:"cas_OutgoingReferralDetails,omitempty"`

	// ReferredAgency is the code of the Vigie agency an outgoing referral
	// sends the case to: its users reach the case while the referral is
	// active.
	ReferredAgency string `json:"vig_ReferredAgency,omitempty"`
	// ReferredProvider is the ID of the service provider of the directory
	// an outgoing referral sends the victim to (cas_ReferredOrganisation
	// holds its name, which stays if the provider is removed).
	ReferredProvider string `json:"vig_ReferredProvider,omitempty"`
	// ReferralStatus is Active (the default) or Closed.
	ReferralStatus string `json:"vig_ReferralStatus,omitempty"`
}

// Referral statuses.
const (
	ReferralActive = "Active"
	ReferralClosed = "Closed"
)

// ConsentOnRecord reports whether the victim's consent is on record: the
// victim's latest answer says yes. A referral to another agency shares the
// case and needs it; a withdrawn consent (con_Consent false, given later)
// stops new referrals. Latest is by vig_ConsentDate (the day the victim
// answered; the day it was recorded when undated), then by recording, then
// by order in the list: a refusal dated 2 November recorded beside a yes
// of 1 November, in one body, is the answer that counts.
func (c *Case) ConsentOnRecord() bool {
	var last *Consent
	for _, x := range c.Consents {
		if x != nil && (last == nil || !x.answeredBefore(last)) {
			last = x
		}
	}
	return last != nil && last.Consent
}

// ConsentEverGiven reports whether the victim said yes in any of the
// case's consents, whatever came after.
func (c *Case) ConsentEverGiven() bool {
	for _, x := range c.Consents {
		if x != nil && x.Consent {
			return true
		}
	}
	return false
}

// answeredBefore orders consents by answer day, then by recording.
func (x *Consent) answeredBefore(y *Consent) bool {
	day := func(c *Consent) Date {
		if !c.Date.IsZero() || c.CreatedAt.IsZero() {
			return c.Date
		}
		return DateOf(c.CreatedAt)
	}
	if a, b := day(x), day(y); !a.IsZero() && !b.IsZero() && (a.Before(b) || b.Before(a)) {
		return a.Before(b)
	}
	return x.CreatedAt.Before(y.CreatedAt)
}

// GivesAccess reports whether the referral opens the case to another
// Vigie agency now.
func (r *Referral) GivesAccess() bool {
	return r.Direction == ReferralOutgoing && r.ReferredAgency != "" && r.ReferralStatus != ReferralClosed
}

func (r *Referral) PartMeta() *Meta { return &r.Meta }

func (r *Referral) Validate(today Date) Problems {
	var p Problems
	switch r.Direction {
	case ReferralIncoming:
		if r.ReferringOrganisation == "" {
			p.Add("cas_ReferringOrganisation", "validation.required", "is required for an incoming referral")
		}
		for f, v := range map[string]string{"cas_ReferredOrganisation": r.ReferredOrganisation, "cas_ReferredPrimaryCaseWorker": r.ReferredPrimaryCaseWorker, "cas_ReasonForOutgoingReferral": r.ReasonForOutgoingReferral, "cas_OutgoingReferralDetails": r.OutgoingReferralDetails} {
			if v != "" {
				p.Add(f, "validation.wrong_direction", "belongs to an outgoing referral, not an incoming one")
			}
		}
		if !r.OutgoingReferralDate.IsZero() {
			p.Add("cas_OutgoingReferralDate", "validation.wrong_direction", "belongs to an outgoing referral, not an incoming one")
		}
	case ReferralOutgoing:
		if r.ReferredOrganisation == "" {
			p.Add("cas_ReferredOrganisation", "validation.required", "is required for an outgoing referral")
		}
		for f, v := range map[string]string{"cas_ReferringOrganisation": r.ReferringOrganisation, "cas_ReferringPrimaryCaseWorker": r.ReferringPrimaryCaseWorker, "cas_ReasonForIncomingReferral": r.ReasonForIncomingReferral, "cas_IncomingReferralDetails": r.IncomingReferralDetails} {
			if v != "" {
				p.Add(f, "validation.wrong_direction", "belongs to an incoming referral, not an outgoing one")
			}
		}
		if !r.IncomingReferralDate.IsZero() {
			p.Add("cas_IncomingReferralDate", "validation.wrong_direction", "belongs to an incoming referral, not an outgoing one")
		}
	case "":
		p.Add("direction", "validation.required", "is required: \"incoming\" or \"outgoing\"")
	default:
		p.Add("direction", "validation.enum", "must be \"incoming\" or \"outgoing\"")
	}
	checkText(&p, "cas_ReferringOrganisation", r.ReferringOrganisation, MaxShortText)
	checkText(&p, "cas_ReferringPrimaryCaseWorker", r.ReferringPrimaryCaseWorker, MaxShortText)
	checkText(&p, "cas_ReferredOrganisation", r.ReferredOrganisation, MaxShortText)
	checkText(&p, "vig_ReferredProvider", r.ReferredProvider, 40)
	checkText(&p, "cas_ReferredPrimaryCaseWorker", r.ReferredPrimaryCaseWorker, MaxShortText)
	checkEnum(&p, ReasonForIncomingReferral, r.ReasonForIncomingReferral)
	checkEnum(&p, ReasonForOutgoingReferral, r.ReasonForOutgoingReferral)
	checkPastDate(&p, "cas_IncomingReferralDate", r.IncomingReferralDate, today)
	checkPastDate(&p, "cas_OutgoingReferralDate", r.OutgoingReferralDate, today)
	checkText(&p, "cas_IncomingReferralDetails", r.IncomingReferralDetails, MaxLongText)
	checkText(&p, "cas_OutgoingReferralDetails", r.OutgoingReferralDetails, MaxLongText)
	if r.ReferredAgency != "" {
		if r.Direction != ReferralOutgoing {
			p.Add("vig_ReferredAgency", "validation.wrong_direction", "belongs to an outgoing referral, not an incoming one")
		}
		if !ValidAgencyCode(r.ReferredAgency) {
			p.Add("vig_ReferredAgency", "validation.agency_code", "%q is not an agency code", r.ReferredAgency)
		}
	}
	if r.ReferralStatus != "" && r.ReferralStatus != ReferralActive && r.ReferralStatus != ReferralClosed {
		p.Add("vig_ReferralStatus", "validation.enum", "must be \"Active\" or \"Closed\"")
	}
	return p
}

// Perpetrator is a (suspected) perpetrator in the context of a case: the
// HTCDS person fields for identity plus the per_ context fields.
type Perpetrator struct {
	Meta
	Person        Person   `json:"person"`
	RoleInProcess []string `json:"per_RoleInProcess,omitempty"`
	RoleDetails   string   `json:"per_RoleDetails,omitempty"`
	Organisation  string   `json:"per_Organisation,omitempty"`

	// Group attributes from the CTDC victim–perpetrator dataset, whose
	// rows describe all the perpetrators of one victim together.
	Genders           []string `json:"vig_Genders,omitempty"`
	AgeBands          []string `json:"vig_PerpetratorAgeBands,omitempty"`
	CitizenshipRegion []string `json:"vig_CitizenshipRegions,omitempty"`
	Relation          []string `json:"vig_PerpetratorRelation,omitempty"`
	VictimPaid        []string `json:"vig_VictimPaid,omitempty"`
	CTDCRoles         []string `json:"vig_CTDCRoles,omitempty"`
}

func (x *Perpetrator) PartMeta() *Meta { return &x.Meta }

func (x *Perpetrator) Validate(today Date) Problems {
	var p Problems
	p.Merge("person.", x.Person.Validate(today))
	checkEnums(&p, RoleInProcess, x.RoleInProcess)
	checkText(&p, "per_RoleDetails", x.RoleDetails, MaxLongText)
	checkText(&p, "per_Organisation", x.Organisation, MaxShortText)
	for _, g := range x.Genders {
		if !Gender.Valid(g) {
			p.Add("vig_Genders", "validation.enum", "%q is not a prs_Gender value", g)
		}
	}
	for _, r := range x.CitizenshipRegion {
		if !UNRegion.Valid(r) {
			p.Add("vig_CitizenshipRegions", "validation.enum", "%q is not a UN region", r)
		}
	}
	checkEnumsAs(&p, "vig_PerpetratorAgeBands", PerpetratorAgeBand, x.AgeBands)
	checkEnumsAs(&p, "vig_PerpetratorRelation", PerpetratorRelation, x.Relation)
	checkEnumsAs(&p, "vig_VictimPaid", YesNo, x.VictimPaid)
	checkEnumsAs(&p, "vig_CTDCRoles", CTDCRole, x.CTDCRoles)
	return p
}

// Parts returns the case's parts of kind k (null entries left out; Validate
// reports them).
func (c *Case) Parts(k PartKind) []Part {
	var out []Part
	add := func(p Part, isNil bool) {
		if !isNil {
			out = append(out, p)
		}
	}
	switch k {
	case PartEvents:
		for _, p := range c.Events {
			add(p, p == nil)
		}
	case PartSupportPlans:
		for _, p := range c.SupportPlans {
			add(p, p == nil)
		}
	case PartConsents:
		for _, p := range c.Consents {
			add(p, p == nil)
		}
	case PartComments:
		for _, p := range c.Comments {
			add(p, p == nil)
		}
	case PartReferrals:
		for _, p := range c.Referrals {
			add(p, p == nil)
		}
	case PartPerpetrators:
		for _, p := range c.Perpetrators {
			add(p, p == nil)
		}
	}
	return out
}

// AddPart appends p to the list of its kind.
func (c *Case) AddPart(p Part) {
	switch x := p.(type) {
	case *Event:
		c.Events = append(c.Events, x)
	case *SupportPlan:
		c.SupportPlans = append(c.SupportPlans, x)
	case *Consent:
		c.Consents = append(c.Consents, x)
	case *Comment:
		c.Comments = append(c.Comments, x)
	case *Referral:
		c.Referrals = append(c.Referrals, x)
	case *Perpetrator:
		c.Perpetrators = append(c.Perpetrators, x)
	}
}

// ClearParts removes every part of kind k from the case (used to redact
// what a role may not read).
func (c *Case) ClearParts(k PartKind) {
	switch k {
	case PartEvents:
		c.Events = nil
	case PartSupportPlans:
		c.SupportPlans = nil
	case PartConsents:
		c.Consents = nil
	case PartComments:
		c.Comments = nil
	case PartReferrals:
		c.Referrals = nil
	case PartPerpetrators:
		c.Perpetrators = nil
	}
}
