// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
)

// Case is one victim's file, as in HTCDS and Primero: the person, the
// victim context, the case fields (cas_) and its parts. Several cases are
// linked through a trafficking situation when one situation involved
// several victims and perpetrators.
type Case struct {
	Meta
	Number      string `json:"case_number"`
	Agency      string `json:"agency"`
	SituationID string `json:"situation_id,omitempty"`

	Status               string `json:"cas_Status"`
	ReasonForCaseClosure string `json:"cas_ReasonForCaseClosure,omitempty"`
	CaseOwner            string `json:"cas_CaseOwner,omitempty"`

	// RegistrationDate is when the agency registered the case. Imported
	// statistical records (CTDC) only know the year.
	RegistrationDate Date `json:"vig_RegistrationDate,omitzero"`
	RegistrationYear int  `json:"vig_RegistrationYear,omitempty"`
	// RegistrationPeriod is a span of years ("2014-2018") for imported
	// records whose source only gives a band.
	RegistrationPeriod string `json:"vig_RegistrationPeriod,omitempty"`
	DataSource         string `json:"vig_DataSource,omitempty"`
	// Province is the DRC province where the victim was identified or
	// registered (an ISO 3166-2:CD code of the Province picklist); empty
	// when the victim was identified abroad or the record does not say.
	// It is a statistical dimension, kept in a plain column.
	Province string `json:"vig_Province,omitempty"`
	// Repatriated says whether the victim was returned to their country
	// (from the DRC, or back to it) with the help of the case's agencies;
	// nil when unknown. The annual report counts it.
	Repatriated *bool `json:"vig_Repatriated,omitempty"`
	// SourceKey identifies the record in the file it was imported from, so
	// that importing the same file twice creates nothing new.
	SourceKey string `json:"vig_SourceKey,omitempty"`

	Person Person `json:"person"`
	Victim Victim `json:"victim"`

	Events       []*Event       `json:"events,omitempty"`
	SupportPlans []*SupportPlan `json:"support_plans,omitempty"`
	Consents     []*Consent     `json:"consents,omitempty"`
	Comments     []*Comment     `json:"comments,omitempty"`
	Referrals    []*Referral    `json:"referrals,omitempty"`
	Perpetrators []*Perpetrator `json:"perpetrators,omitempty"`

	// Warnings are computed when a case is saved (possible duplicates);
	// never stored, ignored on input.
	Warnings []Warning `json:"warnings,omitempty"`
}

// Warning is advice about a saved record that does not stop the save.
type Warning struct {
	Code       string  `json:"code"`
	Message    string  `json:"message"`
	CaseNumber string  `json:"case_number,omitempty"`
	Score      float64 `json:"score,omitempty"`
}

// MinRegistrationYear is the earliest year a case may be registered in
// (CTDC data starts in 2002; older files exist).
const MinRegistrationYear = 1990

// Normalize fills derived fields before validation: the registration date
// (today for a case registered by a person, never for an import), the year
// from the date, and the default status.
func (c *Case) Normalize(today Date) {
	if c.RegistrationDate.IsZero() && c.RegistrationYear == 0 && c.RegistrationPeriod == "" && c.SourceKey == "" {
		c.RegistrationDate = today
	}
	if !c.RegistrationDate.IsZero() && !c.RegistrationDate.Malformed() && c.RegistrationYear == 0 {
		c.RegistrationYear = c.RegistrationDate.Year()
	}
	if c.Status == "" {
		c.Status = "Active"
	}
}

// RegisteredToday gives a case that a person registers (on the pages,
// through the API or the CLI) today's date when it carries no
// registration. Normalize leaves a case with a source key undated, as an
// imported statistical record; a client's own key (vig_SourceKey, for its
// retries) made a case registered today drop out of every year filter and
// yearly figure.
func (c *Case) RegisteredToday(today Date) {
	if c.RegistrationDate.IsZero() && c.RegistrationYear == 0 && c.RegistrationPeriod == "" {
		c.RegistrationDate = today
	}
}

// Validate checks the case's own fields, its person and victim context,
// and every part. Field names of parts are prefixed with their list and
// index, e.g. "events[0].hte_Country".
func (c *Case) Validate(today Date) error {
	var p Problems
	if c.Agency == "" {
		p.Add("agency", "validation.required", "is required (the code of the registering agency)")
	} else if !ValidAgencyCode(c.Agency) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code (2 to 10 capital letters or digits)", truncate(c.Agency, 40))
	}
	if c.SituationID != "" && !looksLikeUUID(c.SituationID) {
		p.Add("situation_id", "validation.identifier", "%q is not the ID of a trafficking situation", truncate(c.SituationID, 40))
	}
	if c.Status == "" {
		p.Add("cas_Status", "validation.required", "is required")
	}
	checkEnum(&p, CaseStatus, c.Status)
	checkText(&p, "cas_ReasonForCaseClosure", c.ReasonForCaseClosure, MaxLongText)
	checkText(&p, "cas_CaseOwner", c.CaseOwner, MaxShortText)
	before := len(p)
	checkPastDate(&p, "vig_RegistrationDate", c.RegistrationDate, today)
	dateRefused := len(p) > before
	switch {
	case c.RegistrationYear == 0:
		// Unknown: only imported statistical records lack it; cases
		// created by people get today's date (see Normalize).
	case dateRefused && c.RegistrationDate.Year() == c.RegistrationYear:
		// The year is the refused date's (Normalize derives it): one
		// problem, on the field the person wrote, not a second one on
		// a year they never gave.
	case c.RegistrationYear < MinRegistrationYear || c.RegistrationYear > today.Year():
		p.Add("vig_RegistrationYear", "validation.range", "%d is not between %d and %d", c.RegistrationYear, MinRegistrationYear, today.Year())
	case !c.RegistrationDate.IsZero() && !c.RegistrationDate.Malformed() && c.RegistrationDate.Year() != c.RegistrationYear:
		p.Add("vig_RegistrationYear", "validation.mismatch", "%d does not match vig_RegistrationDate %s", c.RegistrationYear, c.RegistrationDate)
	}
	if c.RegistrationPeriod != "" {
		m := periodPattern.FindStringSubmatch(c.RegistrationPeriod)
		switch {
		case m == nil || m[1] > m[2]:
			p.Add("vig_RegistrationPeriod", "validation.period", "%q is not a span of years such as 2014-2018", truncate(c.RegistrationPeriod, 40))
		case atoi(m[1]) < MinRegistrationYear || atoi(m[2]) > today.Year():
			// As a year alone: no case is registered in the future
			// (the CTDC import refuses such spans the same way).
			p.Add("vig_RegistrationPeriod", "validation.range", "%s is not within %d-%d", c.RegistrationPeriod, MinRegistrationYear, today.Year())
		case c.RegistrationYear != 0 && (c.RegistrationYear < atoi(m[1]) || c.RegistrationYear > atoi(m[2])):
			p.Add("vig_RegistrationYear", "validation.mismatch", "%d is not within vig_RegistrationPeriod %s", c.RegistrationYear, c.RegistrationPeriod)
		}
	}
	checkEnum(&p, DataSource, c.DataSource)
	checkEnum(&p, Province, c.Province)
	checkText(&p, "vig_SourceKey", c.SourceKey, MaxShortText)
	p.Merge("person.", c.Person.Validate(today))
	if b := c.Person.Birthdate; !b.IsZero() && !b.Malformed() {
		// A person is registered after being born; the other order would
		// count the victim as of unknown age group.
		switch r := c.RegistrationDate; {
		case !r.IsZero() && !r.Malformed() && b.After(r):
			p.Add("person.prs_Birthdate", "validation.date_order", "%s is after the registration date %s", b, r)
		case r.IsZero() && c.RegistrationYear != 0 && b.Year() > c.RegistrationYear:
			p.Add("person.prs_Birthdate", "validation.date_order", "%s is after the registration year %d", b, c.RegistrationYear)
		case r.IsZero() && c.RegistrationYear == 0 && c.RegistrationPeriod != "":
			// A span of years that ends before the birth (a registration
			// year or date before it was refused, a span was not).
			if m := periodPattern.FindStringSubmatch(c.RegistrationPeriod); m != nil && b.Year() > atoi(m[2]) {
				p.Add("person.prs_Birthdate", "validation.date_order", "%s is after the registration period %s", b, c.RegistrationPeriod)
			}
		}
	}
	if c.Victim.TraffickingStatus == "" {
		p.Add("victim.vic_TraffickingStatus", "validation.required", "is required (PossibleVictimOfTrafficking, ActualVictimOfTrafficking or NotAVictimOfTrafficking)")
	}
	p.Merge("victim.", c.Victim.Validate(today))
	validateParts(&p, "events", c.Events, today)
	validateParts(&p, "support_plans", c.SupportPlans, today)
	validateParts(&p, "consents", c.Consents, today)
	validateParts(&p, "comments", c.Comments, today)
	validateParts(&p, "referrals", c.Referrals, today)
	validateParts(&p, "perpetrators", c.Perpetrators, today)
	c.checkChronology(&p, today)
	return p.Err()
}

func validateParts[T Part](p *Problems, list string, parts []T, today Date) {
	for i, x := range parts {
		if reflect.ValueOf(x).IsNil() {
			p.Add(fmt.Sprintf("%s[%d]", list, i), "validation.null", "must be an object, not null")
			continue
		}
		p.Merge(fmt.Sprintf("%s[%d].", list, i), x.Validate(today))
	}
}

// AgeGroup is Child, Adult or Unknown: from the birth date on the
// registration date when both are known, else from the CTDC age band or
// majority status.
func (c *Case) AgeGroup() string {
	if age := c.ageAtRegistration(); age >= 0 {
		if age < 18 {
			return "Child"
		}
		return "Adult"
	}
	switch c.Victim.AgeBand {
	case "0--8", "9--17":
		return "Child"
	case "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+":
		return "Adult"
	}
	switch c.Victim.MajorityStatus {
	case "Minor":
		return "Child"
	case "Adult":
		return "Adult"
	}
	return "Unknown"
}

// ageAtRegistration is the victim's age on the registration date (31
// December of the registration year when only the year is known), -1 when
// the birth date or both are unknown.
func (c *Case) ageAtRegistration() int {
	ref := c.RegistrationDate
	if ref.IsZero() && c.RegistrationYear > 0 {
		ref = NewDate(c.RegistrationYear, 12, 31)
	}
	return c.Person.AgeOn(ref)
}

// AgeBandOf is the CTDC age band the case is counted and filtered under:
// from the birth date on the registration date when both are known (as
// AgeGroup, so band and group never disagree), else vig_AgeBand as given
// (CTDC records carry only the band). A case registered through the API
// or the pages with a birth date is thus counted in its band without its
// record saying so: vig_AgeBand stays what was written, even when it
// disagrees with the birth date (a file may give the band of the age at
// exploitation; refusing the row would lose the case over a derived
// figure), and AgeGroup has always let the birth date win the same way.
func (c *Case) AgeBandOf() string {
	if age := c.ageAtRegistration(); age >= 0 {
		return ageBand(age)
	}
	return c.Victim.AgeBand
}

// ageBand is the vig_AgeBand of an age, in CTDC's bands.
func ageBand(age int) string {
	switch {
	case age <= 8:
		return "0--8"
	case age <= 17:
		return "9--17"
	case age <= 20:
		return "18--20"
	case age <= 23:
		return "21--23"
	case age <= 26:
		return "24--26"
	case age <= 29:
		return "27--29"
	case age <= 38:
		return "30--38"
	case age <= 47:
		return "39--47"
	}
	return "48+"
}

// ServiceTypes are the distinct types of the case's support plans, sorted:
// the services the victim was assisted with.
func (c *Case) ServiceTypes() []string {
	var out []string
	for _, s := range c.SupportPlans {
		if s != nil && s.Type != "" && !slices.Contains(out, s.Type) {
			out = append(out, s.Type)
		}
	}
	slices.Sort(out)
	return out
}

// YesNoOf spells an optional yes/no as the vig_YesNo values ("" unknown).
func YesNoOf(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "Yes"
	}
	return "No"
}

// ParseYesNo reads a vig_YesNo value ("" is unknown, nil).
func ParseYesNo(s string) (*bool, bool) {
	switch s {
	case "":
		return nil, true
	case "Yes":
		b := true
		return &b, true
	case "No":
		b := false
		return &b, true
	}
	return nil, false
}

// ExploitationCountries are the countries of the case's exploitation
// events, each once, in the order of the events: a victim exploited in
// Benin, then in Angola, is listed and counted under both.
func (c *Case) ExploitationCountries() []string {
	var out []string
	for _, e := range c.Events {
		if e.Type == "Exploitation" && e.Country != "" && !slices.Contains(out, e.Country) {
			out = append(out, e.Country)
		}
	}
	return out
}

var periodPattern = regexp.MustCompile(`^(\d{4})-(\d{4})$`)

// atoi reads the four digits periodPattern matched.
func atoi(digits string) int {
	n, _ := strconv.Atoi(digits)
	return n
}

var caseNumberPattern = regexp.MustCompile(`^([A-Z0-9]{2,10})-(\d{4})-(\d{6,})$`)

// FormatCaseNumber builds the human case number, e.g. KIN-2026-000123.
func FormatCaseNumber(agency string, year int, seq int64) string {
	return fmt.Sprintf("%s-%04d-%06d", agency, year, seq)
}

// ParseCaseNumber splits a case number into agency code, year and sequence.
func ParseCaseNumber(s string) (agency string, year int, seq int64, ok bool) {
	m := caseNumberPattern.FindStringSubmatch(s)
	if m == nil {
		return "", 0, 0, false
	}
	year, _ = strconv.Atoi(m[2])
	seq, err := strconv.ParseInt(m[3], 10, 64)
	if err != nil {
		return "", 0, 0, false
	}
	return m[1], year, seq, true
}
