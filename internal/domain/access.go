// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"slices"
	"time"
)

// Role is what a user may do. A user may hold several roles; their rights
// add up. Each role is the least that its holders' work needs.
type Role string

const (
	// RoleCaseworker registers cases and works the cases of their agency
	// and those referred to it while the referral is active.
	RoleCaseworker Role = "caseworker"
	// RoleSupervisor sees every case of their agency, approves closures,
	// reads the agency's audit trail and may break the glass elsewhere.
	RoleSupervisor Role = "supervisor"
	// RoleJustice (police, prosecutor) sees perpetrators, events and the
	// victim's identity, never health, psychosocial or assistance details.
	RoleJustice Role = "justice"
	// RoleCoordinator (national committee) sees statistics and
	// de-identified lists only, never a name.
	RoleCoordinator Role = "coordinator"
	// RoleAdmin manages users, agencies and settings, and no victim's data.
	RoleAdmin Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleCaseworker, RoleSupervisor, RoleJustice, RoleCoordinator, RoleAdmin}

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool { return slices.Contains(Roles, r) }

// Resource is a kind of record or a group of a case's fields that the
// permission table grants access to separately.
type Resource string

const (
	// ResCase is a case's own fields (status, dates, owner) and its
	// de-identified columns: what a list shows.
	ResCase Resource = "case"
	// ResIdentity is the victim's identity: names, birth date, gender,
	// citizenship, identity number, salutation and title.
	ResIdentity Resource = "case.identity"
	// ResContact is how to reach the victim: e-mail, phones, address,
	// family, languages and education.
	ResContact Resource = "case.contact"
	// ResVictim is the trafficking context (vic_): recruitment, control,
	// exploitation.
	ResVictim Resource = "case.victim"
	// ResVulnerabilities is the victim's vulnerabilities and their
	// details: health and psychosocial information.
	ResVulnerabilities Resource = "case.vulnerabilities"
	// ResAttachments is the files kept with a case (scans, photos, signed
	// forms): their names and contents.
	ResAttachments Resource = "case.attachments"

	ResSituation  Resource = "situation"
	ResAgency     Resource = "agency"
	ResUser       Resource = "user"
	ResAudit      Resource = "audit"
	ResStatistics Resource = "statistics"
)

// PartResource is the resource of a kind of case part.
func PartResource(k PartKind) Resource { return Resource("case." + string(k)) }

// Action is what is done to a resource.
type Action string

const (
	ActRead   Action = "read"
	ActList   Action = "list"
	ActCreate Action = "create"
	ActUpdate Action = "update"
	ActDelete Action = "delete"
	// ActClose approves a case's closure (status Closed or ClosedReferred).
	ActClose Action = "close"
	// ActExport writes cases with personal data out of Vigie.
	ActExport Action = "export"
	// ActBreakGlass opens a case of another agency for a limited time.
	ActBreakGlass Action = "break_glass"
)

// Scope is how far a permission reaches. Larger values include smaller.
type Scope int

const (
	ScopeNone Scope = iota
	// ScopeAgency: records of the user's agency, cases referred to it by
	// an active referral, and cases opened by breaking the glass.
	ScopeAgency
	// ScopeAll: every agency's records.
	ScopeAll
)

func (s Scope) String() string {
	switch s {
	case ScopeAgency:
		return "agency"
	case ScopeAll:
		return "all"
	}
	return "none"
}

// grant is one line of the permission table.
type grant struct {
	role    Role
	res     Resource
	actions []Action
	scope   Scope
}

var (
	rw     = []Action{ActRead, ActList, ActCreate, ActUpdate, ActDelete}
	ro     = []Action{ActRead, ActList}
	caseRW = []Action{ActRead, ActList, ActCreate, ActUpdate}
)

// caseFieldResources are the field groups of a case that a case role may
// be granted.
var caseFieldResources = []Resource{ResIdentity, ResContact, ResVictim, ResVulnerabilities}

// permissions is the one table of who may do what, where. Anything not
// listed is refused. Tests enumerate it against every API route.
var permissions = func() []grant {
	var g []grant
	// Caseworkers work their agency's cases fully, but cannot close them
	// (a supervisor approves closures) nor export personal data.
	g = append(g, grant{RoleCaseworker, ResCase, caseRW, ScopeAgency})
	for _, r := range caseFieldResources {
		g = append(g, grant{RoleCaseworker, r, caseRW, ScopeAgency})
	}
	for _, k := range PartKinds {
		g = append(g, grant{RoleCaseworker, PartResource(k), rw, ScopeAgency})
	}
	g = append(g, grant{RoleCaseworker, ResAttachments, rw, ScopeAgency})
	g = append(g,
		grant{RoleCaseworker, ResSituation, caseRW, ScopeAgency},
		grant{RoleCaseworker, ResAgency, ro, ScopeAll},
	)

	// Supervisors: everything caseworkers may, plus closure, export, the
	// audit trail of their agency, and breaking the glass elsewhere.
	g = append(g, grant{RoleSupervisor, ResCase, append([]Action{ActClose, ActExport}, caseRW...), ScopeAgency})
	for _, r := range caseFieldResources {
		g = append(g, grant{RoleSupervisor, r, caseRW, ScopeAgency})
	}
	for _, k := range PartKinds {
		g = append(g, grant{RoleSupervisor, PartResource(k), rw, ScopeAgency})
	}
	g = append(g, grant{RoleSupervisor, ResAttachments, rw, ScopeAgency})
	g = append(g,
		grant{RoleSupervisor, ResCase, []Action{ActBreakGlass}, ScopeAll},
		grant{RoleSupervisor, ResSituation, caseRW, ScopeAgency},
		grant{RoleSupervisor, ResAgency, ro, ScopeAll},
		grant{RoleSupervisor, ResAudit, ro, ScopeAgency},
		grant{RoleSupervisor, ResStatistics, ro, ScopeAgency},
	)

	// Justice: the identity needed to identify the victim, the trafficking
	// context, events and perpetrators; no contact, health or assistance.
	g = append(g,
		grant{RoleJustice, ResCase, ro, ScopeAgency},
		grant{RoleJustice, ResIdentity, ro, ScopeAgency},
		grant{RoleJustice, ResVictim, ro, ScopeAgency},
		grant{RoleJustice, PartResource(PartEvents), ro, ScopeAgency},
		grant{RoleJustice, PartResource(PartPerpetrators), rw, ScopeAgency},
		grant{RoleJustice, ResSituation, ro, ScopeAgency},
		grant{RoleJustice, ResAgency, ro, ScopeAll},
	)

	// Coordinators: de-identified lists and statistics of every agency.
	g = append(g,
		grant{RoleCoordinator, ResCase, []Action{ActList}, ScopeAll},
		grant{RoleCoordinator, ResStatistics, ro, ScopeAll},
		grant{RoleCoordinator, ResAgency, ro, ScopeAll},
	)

	// Training of officials (no victim data; officials' names are sealed):
	// the national committee (coordinators) keeps every agency's training
	// records, a supervisor those of sessions their agency organises; all
	// case roles read them (a trainer may be a colleague). Admins: none.
	g = append(g,
		grant{RoleCoordinator, ResTraining, caseRW, ScopeAll},
		grant{RoleSupervisor, ResTraining, ro, ScopeAll},
		grant{RoleSupervisor, ResTraining, []Action{ActCreate, ActUpdate}, ScopeAgency},
		grant{RoleCaseworker, ResTraining, ro, ScopeAll},
		grant{RoleJustice, ResTraining, ro, ScopeAll},
	)

	// Admins: users, agencies, the audit log (which holds no personal
	// values); no case at all.
	g = append(g,
		grant{RoleAdmin, ResUser, rw, ScopeAll},
		grant{RoleAdmin, ResAgency, caseRW, ScopeAll},
		grant{RoleAdmin, ResAudit, ro, ScopeAll},
	)
	g = append(g, preventionGrants()...)
	g = append(g, suspectGrants()...)
	g = append(g, justiceGrants()...)
	g = append(g, reportGrants()...)
	g = append(g, releaseGrants()...)
	return g
}()

// Allowed returns the widest scope the roles give for action on res.
func Allowed(roles []Role, res Resource, act Action) Scope {
	best := ScopeNone
	for _, g := range permissions {
		if g.scope > best && slices.Contains(roles, g.role) && g.res == res && slices.Contains(g.actions, act) {
			best = g.scope
		}
	}
	return best
}

// PersonalDataRoles are the roles that can read a victim's personal data;
// their holders must sign in with a second factor.
func PersonalDataRoles() []Role {
	var out []Role
	for _, r := range Roles {
		for _, res := range caseFieldResources {
			if Allowed([]Role{r}, res, ActRead) != ScopeNone {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// NeedsSecondFactor reports whether a user with these roles must use TOTP.
// Admins must too: they create the accounts that can read personal data.
func NeedsSecondFactor(roles []Role) bool {
	for _, r := range roles {
		if r == RoleAdmin || slices.Contains(PersonalDataRoles(), r) {
			return true
		}
	}
	return false
}

// BreakGlassDuration is how long a break-the-glass grant lasts by default.
const BreakGlassDuration = 3 * time.Hour

// CaseAccess is what decides whether a case is within a user's reach: its
// owning agency, the agencies it is actively referred to, and whether the
// user holds a live break-the-glass grant on it.
type CaseAccess struct {
	CaseID     string
	AgencyID   string
	ReferredTo []string // agency IDs with an active referral
	BreakGlass bool     // the principal holds an unexpired grant
}

// Principal is the authenticated user on whose behalf a request runs.
type Principal struct {
	UserID   string
	Email    string
	AgencyID string
	Agency   string // code
	Roles    []Role
	// ReadOnly is set for API tokens scoped to reading.
	ReadOnly bool
	// Via says how the principal authenticated: "session", "token" or
	// "cli" (an operator on the server itself).
	Via  string
	Addr string
}

// Allowed is Allowed for the principal's roles, narrowed by a read-only
// token.
func (p *Principal) Allowed(res Resource, act Action) Scope {
	if p == nil {
		return ScopeNone
	}
	if p.ReadOnly && act != ActRead && act != ActList {
		return ScopeNone
	}
	return Allowed(p.Roles, res, act)
}

// Reaches reports whether a scope covers a case through the owning
// agency or an active referral.
func (p *Principal) Reaches(s Scope, c CaseAccess) bool {
	switch s {
	case ScopeAll:
		return true
	case ScopeAgency:
		return c.AgencyID == p.AgencyID || slices.Contains(c.ReferredTo, p.AgencyID)
	}
	return false
}

// Can reports whether the principal may do act on res of the case. A
// broken glass opens the case for reading only: an emergency look, not
// a transfer of the case.
//
// A referral is sent, changed and withdrawn by the agency that owns the
// case only: an agency the case was referred to works on it, and answers
// the referral (MayAnswerReferrals), but may not pass the victim's file
// on to a third agency — the victim consented to one referral, not to a
// chain of them. Likewise the consents on record are the owning agency's:
// an agency the case is referred to may record one, not change or delete
// the answers the referral rests on.
func (p *Principal) Can(res Resource, act Action, c CaseAccess) bool {
	s := p.Allowed(res, act)
	if c.BreakGlass && s != ScopeNone && (act == ActRead || act == ActList) {
		return true
	}
	if res == PartResource(PartReferrals) && act != ActRead && act != ActList && s == ScopeAgency && c.AgencyID != p.AgencyID {
		return false
	}
	if res == PartResource(PartConsents) && (act == ActUpdate || act == ActDelete) && s == ScopeAgency && c.AgencyID != p.AgencyID {
		return false
	}
	return p.Reaches(s, c)
}

// MayRecordConsent reports whether the principal, who may add consents to
// the case, may record this answer: an agency the case is referred to may
// record the victim's withdrawal (the victim may tell whoever works with
// them), not a consent given — the latest answer counts, and a consent
// recorded by the referred agency after the victim withdrew reopened the
// referrals the victim had stopped.
func (p *Principal) MayRecordConsent(c CaseAccess, given bool) bool {
	if !given {
		return true
	}
	return !(p.Allowed(PartResource(PartConsents), ActCreate) == ScopeAgency && c.AgencyID != p.AgencyID)
}

// MayAnswerReferrals reports whether the principal's roles let them
// accept or decline the referrals addressed to their agency (the store
// checks that a referral is addressed to it).
func (p *Principal) MayAnswerReferrals() bool {
	return p.Allowed(PartResource(PartReferrals), ActUpdate) != ScopeNone
}

// Redact removes from c every field group and part the principal may not
// read, so that a justice user never receives health or assistance data.
// It returns the resources that were kept, for the audit log.
func (p *Principal) Redact(c *Case, a CaseAccess) []Resource {
	var kept []Resource
	keep := func(r Resource) bool {
		ok := p.Can(r, ActRead, a)
		if ok {
			kept = append(kept, r)
		}
		return ok
	}
	if !keep(ResIdentity) {
		gender, cit := c.Person.Gender, c.Person.Citizenship
		contact := c.Person
		c.Person = Person{Gender: gender, Citizenship: cit}
		copyContact(&c.Person, &contact)
	}
	if !keep(ResContact) {
		clearContact(&c.Person)
	}
	if !keep(ResVulnerabilities) {
		c.Victim.Vulnerabilities, c.Victim.DetailsOfVulnerabilities = nil, ""
	}
	if !keep(ResVictim) {
		v := c.Victim
		c.Victim = Victim{TraffickingStatus: v.TraffickingStatus, TypeOfExploitation: v.TypeOfExploitation,
			AgeBand: v.AgeBand, Vulnerabilities: v.Vulnerabilities, DetailsOfVulnerabilities: v.DetailsOfVulnerabilities}
	}
	for _, k := range PartKinds {
		if !keep(PartResource(k)) {
			c.ClearParts(k)
		}
	}
	return kept
}

// copyContact copies the contact fields of from into to.
func copyContact(to, from *Person) {
	to.Email, to.HomePhone, to.MobilePhone = from.Email, from.HomePhone, from.MobilePhone
	to.MailingCity, to.MailingCountry, to.MailingState = from.MailingCity, from.MailingCountry, from.MailingState
	to.MailingStreet, to.MailingPostalCode = from.MailingStreet, from.MailingPostalCode
	to.MailingLongitude, to.MailingLatitude = from.MailingLongitude, from.MailingLatitude
	to.MaritalStatus, to.NumberOfChildren = from.MaritalStatus, from.NumberOfChildren
	to.PrimaryLanguage, to.SecondaryLanguage = from.PrimaryLanguage, from.SecondaryLanguage
	to.HighestLevelOfEducation = from.HighestLevelOfEducation
	to.Deceased = from.Deceased
}

func clearContact(p *Person) {
	var empty Person
	copyContact(p, &empty)
}
