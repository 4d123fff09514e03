// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"fmt"
	"regexp"
	"strings"
)

// The criminal-justice chain (issue 5): a proceeding ("dossier
// judiciaire") follows one complaint from its report through the
// investigation, arrests, charges, prosecution, hearings, verdicts,
// sentences and appeals, with the victims who take part as witnesses.
//
// A proceeding holds no personal data of its own: defendants are suspects
// of the perpetrator registry (their identity is sealed there) and victims
// are cases (sealed there); a proceeding names them by ID. Its free text
// (units, courts, places, outcomes, notes) may still point to people, so
// the store seals a proceeding's details and its steps' with a data key
// of the proceeding's own; only the dates, stage and references the
// lists and figures need stay in clear.
const (
	// ResJustice is a proceeding in full: defendants, charges, verdicts,
	// sentences. Justice roles of the owning agency only.
	ResJustice Resource = "justice"
	// ResJusticeSummary is what the workers of a victim's case see of the
	// proceedings the victim takes part in: stage, dates, counts of
	// outcomes and that victim's protection measures; no defendant.
	ResJusticeSummary Resource = "justice.summary"
	// ResLaw is the configurable list of offences (articles of national
	// law) that charges cite.
	ResLaw Resource = "law"
)

// Picklists of the chain (Vigie extensions; labels in the justice
// catalogs).
var (
	ComplaintSource = newEnum("vig_ComplaintSource", []string{"Victim", "Family", "Witness", "NGO", "Police", "LabourInspection", "Prosecutor", "Anonymous", "Other"}, nil)
	Verdict         = newEnum("vig_Verdict", []string{"Convicted", "Acquitted", "Dismissed", "Withdrawn"}, nil)
	AppealParty     = newEnum("vig_AppealParty", []string{"Prosecution", "Defence", "CivilParty"}, nil)
	AppealOutcome   = newEnum("vig_AppealOutcome", []string{"Pending", "Upheld", "Overturned", "Modified", "Withdrawn"}, nil)
	ProtectionKind  = newEnum("vig_ProtectionMeasure", []string{"IdentityConcealment", "ClosedHearing", "Relocation", "PoliceProtection", "VideoTestimony", "Other"}, nil)
	// Currency of fines and compensation: ISO 4217 codes in use in the
	// DRC's courts (francs congolais and dollars).
	Currency = newEnum("vig_Currency", []string{"CDF", "USD"}, nil)
)

// Bounds: beyond them it is a typing error.
const (
	MaxPrisonMonths = 12 * 100
	MaxMoney        = 1_000_000_000_000 // in the currency's units
	MaxSteps        = 500               // steps of one kind in a proceeding
)

// StepKind names a kind of step as it appears in URLs and the steps table.
type StepKind string

const (
	StepDefendant StepKind = "defendants"
	StepCharge    StepKind = "charges"
	StepHearing   StepKind = "hearings"
	StepSentence  StepKind = "sentences"
	StepAppeal    StepKind = "appeals"
	StepVictim    StepKind = "victims"
)

// StepKinds lists every kind of step, in the order of the chain.
var StepKinds = []StepKind{StepDefendant, StepCharge, StepHearing, StepSentence, StepAppeal, StepVictim}

// ValidStepKind reports whether k is a kind of step.
func ValidStepKind(k StepKind) bool {
	for _, s := range StepKinds {
		if s == k {
			return true
		}
	}
	return false
}

// Step is one dated record of a proceeding, versioned on its own so that
// two officers recording two hearings do not collide.
type Step interface {
	StepMeta() *Meta
	StepKind() StepKind
	Validate(today Date) Problems
}

// Proceeding is a criminal proceeding: its header (complaint,
// investigation, prosecution, closure) and, read only, its steps.
type Proceeding struct {
	Meta
	// Number is AGENCY-J-YEAR-SEQUENCE, e.g. KIN-J-2026-000003.
	Number string `json:"number,omitempty"`
	// Agency is the code of the owning agency (police unit, parquet).
	Agency string `json:"agency"`
	// SituationID links the trafficking situation the complaint is about.
	SituationID   string        `json:"situation_id,omitempty"`
	Complaint     Complaint     `json:"complaint"`
	Investigation Investigation `json:"investigation"`
	Prosecution   Prosecution   `json:"prosecution"`
	ClosedOn      Date          `json:"closed_on,omitzero"`
	Notes         string        `json:"notes,omitempty"`

	// Read only: the steps, the derived status and order warnings.
	Defendants []*Defendant     `json:"defendants,omitempty"`
	Charges    []*Charge        `json:"charges,omitempty"`
	Hearings   []*Hearing       `json:"hearings,omitempty"`
	Sentences  []*Sentence      `json:"sentences,omitempty"`
	Appeals    []*Appeal        `json:"appeals,omitempty"`
	Victims    []*Participation `json:"victims,omitempty"`
	Status     string           `json:"status,omitempty"`
	Warnings   []FieldError     `json:"warnings,omitempty"`
}

// Complaint is the report that opens a proceeding.
type Complaint struct {
	Date       Date   `json:"date"`
	Source     string `json:"source"`                // vig_ComplaintSource
	ReceivedBy string `json:"received_by,omitempty"` // unit that received it
}

// Investigation is who investigates and when.
type Investigation struct {
	Unit   string `json:"unit,omitempty"`
	Opened Date   `json:"opened,omitzero"`
	Closed Date   `json:"closed,omitzero"`
}

// Prosecution is the case brought before a court.
type Prosecution struct {
	Court  string `json:"court,omitempty"`
	Docket string `json:"docket,omitempty"` // the court's number (RP, RMP…)
	Filed  Date   `json:"filed,omitzero"`
}

// Validate checks the header. Dates that cannot be in that order within
// the header are errors; the order of steps against each other is only
// warned about (Proceeding.Check), because the law allows it: an arrest
// in flagrante delicto comes before any complaint.
func (pr *Proceeding) Validate(today Date) error {
	var p Problems
	if !ValidAgencyCode(pr.Agency) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code", truncate(pr.Agency, 40))
	}
	checkText(&p, "situation_id", pr.SituationID, 40)
	c := &pr.Complaint
	if c.Date.IsZero() {
		p.Add("complaint.date", "validation.required", "is required")
	}
	checkPastDate(&p, "complaint.date", c.Date, today)
	if c.Source == "" {
		p.Add("complaint.source", "validation.required", "is required")
	}
	checkEnumsAs(&p, "complaint.source", ComplaintSource, nonEmpty(c.Source))
	checkLine(&p, "complaint.received_by", &c.ReceivedBy)
	i := &pr.Investigation
	checkLine(&p, "investigation.unit", &i.Unit)
	checkPastDate(&p, "investigation.opened", i.Opened, today)
	checkPastDate(&p, "investigation.closed", i.Closed, today)
	if !i.Closed.IsZero() && i.Opened.IsZero() {
		p.Add("investigation.opened", "validation.required", "an investigation closed must have been opened")
	}
	checkOrder(&p, "investigation.closed", i.Opened, i.Closed)
	if !i.Opened.IsZero() && i.Unit == "" {
		p.Add("investigation.unit", "validation.required", "name the unit that investigates")
	}
	s := &pr.Prosecution
	checkLine(&p, "prosecution.court", &s.Court)
	checkLine(&p, "prosecution.docket", &s.Docket)
	checkPastDate(&p, "prosecution.filed", s.Filed, today)
	if !s.Filed.IsZero() && s.Court == "" {
		p.Add("prosecution.court", "validation.required", "name the court seized")
	}
	checkPastDate(&p, "closed_on", pr.ClosedOn, today)
	checkOrder(&p, "closed_on", c.Date, pr.ClosedOn)
	checkText(&p, "notes", pr.Notes, MaxNoteText)
	return p.Err()
}

// checkLine trims a one-line text and bounds it.
func checkLine(p *Problems, field string, v *string) {
	*v = strings.TrimSpace(*v)
	checkText(p, field, *v, MaxShortText)
	checkOneLine(p, field, *v)
}

// checkOrder refuses a later date before an earlier one (both set).
func checkOrder(p *Problems, field string, earlier, later Date) {
	if !earlier.IsZero() && !later.IsZero() && !earlier.Malformed() && !later.Malformed() && later.Before(earlier) {
		p.Add(field, "validation.justice_date_order", "%s is before %s", later, earlier)
	}
}

// Defendant is a suspect of the registry prosecuted in this proceeding,
// with their arrest.
type Defendant struct {
	Meta
	SuspectID string `json:"suspect_id"`
	// SuspectNumber is the registry's number (read only).
	SuspectNumber string `json:"suspect_number,omitempty"`
	ArrestedOn    Date   `json:"arrested_on,omitzero"`
	ArrestPlace   string `json:"arrest_place,omitempty"`
	Notes         string `json:"notes,omitempty"`
}

func (d *Defendant) StepMeta() *Meta    { return &d.Meta }
func (d *Defendant) StepKind() StepKind { return StepDefendant }
func (d *Defendant) Validate(today Date) Problems {
	var p Problems
	if strings.TrimSpace(d.SuspectID) == "" {
		p.Add("suspect_id", "validation.required", "name the suspect (ID or number)")
	}
	checkLine(&p, "suspect_id", &d.SuspectID)
	checkPastDate(&p, "arrested_on", d.ArrestedOn, today)
	checkLine(&p, "arrest_place", &d.ArrestPlace)
	checkText(&p, "notes", d.Notes, MaxNoteText)
	return p
}

// Charge is one offence a defendant is charged with, with the three
// elements of trafficking the charge rests on (HTCDS picklists, as in the
// screening) and the verdict on it.
type Charge struct {
	Meta
	DefendantID string `json:"defendant_id"`
	ArticleID   string `json:"article_id"`
	// ArticleCode and SuspectID are read only.
	ArticleCode string   `json:"article_code,omitempty"`
	SuspectID   string   `json:"suspect_id,omitempty"`
	ChargedOn   Date     `json:"charged_on"`
	Acts        []string `json:"acts,omitempty"`     // vic_MethodOfRecruitment
	Means       []string `json:"means,omitempty"`    // vic_MethodsOfControl
	Purposes    []string `json:"purposes,omitempty"` // vic_TypeOfExploitation
	Verdict     string   `json:"verdict,omitempty"`  // vig_Verdict; empty while pending
	VerdictOn   Date     `json:"verdict_on,omitzero"`
}

func (c *Charge) StepMeta() *Meta    { return &c.Meta }
func (c *Charge) StepKind() StepKind { return StepCharge }
func (c *Charge) Validate(today Date) Problems {
	var p Problems
	if c.DefendantID == "" {
		p.Add("defendant_id", "validation.required", "is required")
	}
	checkText(&p, "defendant_id", c.DefendantID, 40)
	if c.ArticleID == "" {
		p.Add("article_id", "validation.required", "choose the article of law")
	}
	checkText(&p, "article_id", c.ArticleID, 40)
	if c.ChargedOn.IsZero() {
		p.Add("charged_on", "validation.required", "is required")
	}
	checkPastDate(&p, "charged_on", c.ChargedOn, today)
	checkEnumsAs(&p, "acts", MethodOfRecruitment, c.Acts)
	checkEnumsAs(&p, "means", MethodsOfControl, c.Means)
	checkEnumsAs(&p, "purposes", TypeOfExploitation, c.Purposes)
	checkEnumsAs(&p, "verdict", Verdict, nonEmpty(c.Verdict))
	checkPastDate(&p, "verdict_on", c.VerdictOn, today)
	if (c.Verdict == "") != c.VerdictOn.IsZero() {
		p.Add("verdict_on", "validation.justice_verdict_date", "a verdict and its date go together")
	}
	checkOrder(&p, "verdict_on", c.ChargedOn, c.VerdictOn)
	return p
}

// Hearing is one sitting of the court. Its date may lie ahead: a hearing
// is scheduled before it is held, and the summary shows the next one.
type Hearing struct {
	Meta
	Date    Date   `json:"date"`
	Court   string `json:"court"`
	Outcome string `json:"outcome,omitempty"` // adjourned, pleadings heard…
	Notes   string `json:"notes,omitempty"`
}

func (h *Hearing) StepMeta() *Meta    { return &h.Meta }
func (h *Hearing) StepKind() StepKind { return StepHearing }
func (h *Hearing) Validate(today Date) Problems {
	var p Problems
	if h.Date.IsZero() {
		p.Add("date", "validation.required", "is required")
	}
	checkPlannedDate(&p, "date", h.Date, today)
	if strings.TrimSpace(h.Court) == "" {
		p.Add("court", "validation.required", "is required")
	}
	checkLine(&p, "court", &h.Court)
	checkLine(&p, "outcome", &h.Outcome)
	if !h.Date.IsZero() && h.Date.After(today) && h.Outcome != "" {
		p.Add("outcome", "validation.justice_hearing_outcome_future", "a hearing still to come has no outcome")
	}
	checkText(&p, "notes", h.Notes, MaxNoteText)
	return p
}

// Money is an amount in a currency's units.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

func checkMoney(p *Problems, field string, m *Money) {
	if m == nil {
		return
	}
	if m.Amount <= 0 || m.Amount > MaxMoney {
		p.Add(field+".amount", "validation.count_range", "must be between 1 and %d", int64(MaxMoney))
	}
	if m.Currency == "" {
		p.Add(field+".currency", "validation.required", "is required")
	}
	checkEnumsAs(p, field+".currency", Currency, nonEmpty(m.Currency))
}

// Sentence is what the court ordered against one defendant.
type Sentence struct {
	Meta
	DefendantID  string `json:"defendant_id"`
	SuspectID    string `json:"suspect_id,omitempty"` // read only
	SentencedOn  Date   `json:"sentenced_on"`
	PrisonMonths *int   `json:"prison_months,omitempty"`
	Suspended    bool   `json:"suspended,omitempty"`
	Fine         *Money `json:"fine,omitempty"`
	Compensation *Money `json:"compensation,omitempty"` // ordered to the victims
	Confiscated  string `json:"confiscated,omitempty"`  // assets confiscated
}

func (s *Sentence) StepMeta() *Meta    { return &s.Meta }
func (s *Sentence) StepKind() StepKind { return StepSentence }
func (s *Sentence) Validate(today Date) Problems {
	var p Problems
	if s.DefendantID == "" {
		p.Add("defendant_id", "validation.required", "is required")
	}
	checkText(&p, "defendant_id", s.DefendantID, 40)
	if s.SentencedOn.IsZero() {
		p.Add("sentenced_on", "validation.required", "is required")
	}
	checkPastDate(&p, "sentenced_on", s.SentencedOn, today)
	if s.PrisonMonths != nil && (*s.PrisonMonths < 0 || *s.PrisonMonths > MaxPrisonMonths) {
		p.Add("prison_months", "validation.count_range", "must be between 0 and %d", MaxPrisonMonths)
	}
	checkMoney(&p, "fine", s.Fine)
	checkMoney(&p, "compensation", s.Compensation)
	checkText(&p, "confiscated", s.Confiscated, MaxNoteText)
	if s.PrisonMonths == nil && s.Fine == nil && s.Compensation == nil && strings.TrimSpace(s.Confiscated) == "" {
		p.Add("prison_months", "validation.justice_sentence_empty", "give a prison term, a fine, a compensation or confiscated assets")
	}
	if s.Suspended && (s.PrisonMonths == nil || *s.PrisonMonths == 0) {
		p.Add("suspended", "validation.justice_suspended_no_term", "only a prison term can be suspended")
	}
	return p
}

// Appeal is an appeal against the judgment, by one party, for one
// defendant or (DefendantID empty) the whole judgment.
type Appeal struct {
	Meta
	DefendantID string `json:"defendant_id,omitempty"`
	LodgedOn    Date   `json:"lodged_on"`
	By          string `json:"by"` // vig_AppealParty
	Court       string `json:"court"`
	Outcome     string `json:"outcome"` // vig_AppealOutcome
	DecidedOn   Date   `json:"decided_on,omitzero"`
}

func (a *Appeal) StepMeta() *Meta    { return &a.Meta }
func (a *Appeal) StepKind() StepKind { return StepAppeal }
func (a *Appeal) Validate(today Date) Problems {
	var p Problems
	checkText(&p, "defendant_id", a.DefendantID, 40)
	if a.LodgedOn.IsZero() {
		p.Add("lodged_on", "validation.required", "is required")
	}
	checkPastDate(&p, "lodged_on", a.LodgedOn, today)
	if a.By == "" {
		p.Add("by", "validation.required", "is required")
	}
	checkEnumsAs(&p, "by", AppealParty, nonEmpty(a.By))
	if strings.TrimSpace(a.Court) == "" {
		p.Add("court", "validation.required", "is required")
	}
	checkLine(&p, "court", &a.Court)
	if a.Outcome == "" {
		a.Outcome = "Pending"
	}
	checkEnumsAs(&p, "outcome", AppealOutcome, []string{a.Outcome})
	checkPastDate(&p, "decided_on", a.DecidedOn, today)
	checkOrder(&p, "decided_on", a.LodgedOn, a.DecidedOn)
	if (a.Outcome == "Pending") != a.DecidedOn.IsZero() {
		p.Add("decided_on", "validation.justice_appeal_decision", "a decided appeal has a date and an outcome other than Pending")
	}
	return p
}

// Participation is one victim's part in the proceeding: as a witness,
// and the measures that protect them.
type Participation struct {
	Meta
	CaseNumber  string   `json:"case_number"`
	CaseID      string   `json:"case_id,omitempty"` // read only
	Witness     bool     `json:"witness"`
	TestifiedOn Date     `json:"testified_on,omitzero"`
	Protection  []string `json:"protection,omitempty"` // vig_ProtectionMeasure
	Notes       string   `json:"notes,omitempty"`
}

func (v *Participation) StepMeta() *Meta    { return &v.Meta }
func (v *Participation) StepKind() StepKind { return StepVictim }
func (v *Participation) Validate(today Date) Problems {
	var p Problems
	if strings.TrimSpace(v.CaseNumber) == "" {
		p.Add("case_number", "validation.required", "is required")
	}
	checkLine(&p, "case_number", &v.CaseNumber)
	checkPastDate(&p, "testified_on", v.TestifiedOn, today)
	if !v.TestifiedOn.IsZero() && !v.Witness {
		p.Add("testified_on", "validation.justice_testified_not_witness", "a victim who testified is a witness")
	}
	checkEnumsAs(&p, "protection", ProtectionKind, v.Protection)
	checkText(&p, "notes", v.Notes, MaxNoteText)
	return p
}

// NewStep returns an empty step of kind k, nil for an unknown kind.
func NewStep(k StepKind) Step {
	switch k {
	case StepDefendant:
		return &Defendant{}
	case StepCharge:
		return &Charge{}
	case StepHearing:
		return &Hearing{}
	case StepSentence:
		return &Sentence{}
	case StepAppeal:
		return &Appeal{}
	case StepVictim:
		return &Participation{}
	}
	return nil
}

var proceedingNumberPattern = regexp.MustCompile(`^[A-Z0-9]{2,10}-J-\d{4}-\d{6,}$`)

// FormatProceedingNumber builds a proceeding's number, e.g.
// KIN-J-2026-000003.
func FormatProceedingNumber(agency string, year int, seq int64) string {
	return fmt.Sprintf("%s-J-%04d-%06d", agency, year, seq)
}

// ValidProceedingNumber reports whether s is shaped like a proceeding
// number.
func ValidProceedingNumber(s string) bool { return proceedingNumberPattern.MatchString(s) }
