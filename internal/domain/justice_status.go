// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"slices"
	"sort"
)

// Stages of a proceeding, in order: the derived status that the summary
// and lists show.
const (
	StageComplaint     = "complaint"
	StageInvestigation = "investigation"
	StageProsecution   = "prosecution"
	StageTrial         = "trial"
	StageVerdict       = "verdict"
	StageAppeal        = "appeal"
	StageClosed        = "closed"
)

// Stages lists the stages in order.
var Stages = []string{StageComplaint, StageInvestigation, StageProsecution, StageTrial, StageVerdict, StageAppeal, StageClosed}

// Stage derives the furthest stage the proceeding has reached from what
// is recorded, so that it can never disagree with the steps.
func (pr *Proceeding) Stage() string {
	hasVerdict := slices.ContainsFunc(pr.Charges, func(c *Charge) bool { return c.Verdict != "" })
	switch {
	case !pr.ClosedOn.IsZero():
		return StageClosed
	case len(pr.Appeals) > 0:
		return StageAppeal
	case hasVerdict:
		return StageVerdict
	case len(pr.Hearings) > 0:
		return StageTrial
	case !pr.Prosecution.Filed.IsZero() || len(pr.Charges) > 0:
		return StageProsecution
	case !pr.Investigation.Opened.IsZero() || len(pr.Defendants) > 0:
		return StageInvestigation
	}
	return StageComplaint
}

// Event kinds of the timeline.
const (
	EventComplaint           = "complaint"
	EventInvestigationOpened = "investigation_opened"
	EventInvestigationClosed = "investigation_closed"
	EventArrest              = "arrest"
	EventCharge              = "charge"
	EventProsecution         = "prosecution"
	EventTestimony           = "testimony"
	EventHearing             = "hearing"
	EventVerdict             = "verdict"
	EventSentence            = "sentence"
	EventAppeal              = "appeal"
	EventAppealDecided       = "appeal_decided"
	EventClosed              = "closed"
)

// eventOrder breaks ties between events of the same day in the order of
// the chain.
var eventOrder = []string{EventComplaint, EventInvestigationOpened, EventArrest, EventCharge, EventInvestigationClosed,
	EventProsecution, EventHearing, EventTestimony, EventVerdict, EventSentence, EventAppeal, EventAppealDecided, EventClosed}

// TimelineEvent is one dated step of a proceeding.
type TimelineEvent struct {
	Date Date   `json:"date"`
	Kind string `json:"kind"`
	// StepID is the step the event comes from ("" for the header).
	StepID string `json:"step_id,omitempty"`
	// Ref is what the event is about: a suspect number, an article code,
	// a case number, a court (never a name).
	Ref string `json:"ref,omitempty"`
	// Value is the outcome: a verdict, an appeal's outcome.
	Value string `json:"value,omitempty"`
}

// Timeline lists every dated step in date order.
func (pr *Proceeding) Timeline() []TimelineEvent {
	var ev []TimelineEvent
	add := func(d Date, kind, id, ref, value string) {
		if !d.IsZero() {
			ev = append(ev, TimelineEvent{Date: d, Kind: kind, StepID: id, Ref: ref, Value: value})
		}
	}
	add(pr.Complaint.Date, EventComplaint, "", pr.Complaint.Source, "")
	add(pr.Investigation.Opened, EventInvestigationOpened, "", pr.Investigation.Unit, "")
	add(pr.Investigation.Closed, EventInvestigationClosed, "", pr.Investigation.Unit, "")
	add(pr.Prosecution.Filed, EventProsecution, "", pr.Prosecution.Court, pr.Prosecution.Docket)
	numbers := pr.defendantNumbers()
	for _, d := range pr.Defendants {
		add(d.ArrestedOn, EventArrest, d.ID, d.SuspectNumber, "")
	}
	for _, c := range pr.Charges {
		add(c.ChargedOn, EventCharge, c.ID, numbers[c.DefendantID]+" · "+c.ArticleCode, "")
		add(c.VerdictOn, EventVerdict, c.ID, numbers[c.DefendantID]+" · "+c.ArticleCode, c.Verdict)
	}
	for _, h := range pr.Hearings {
		add(h.Date, EventHearing, h.ID, h.Court, h.Outcome)
	}
	for _, s := range pr.Sentences {
		add(s.SentencedOn, EventSentence, s.ID, numbers[s.DefendantID], "")
	}
	for _, a := range pr.Appeals {
		add(a.LodgedOn, EventAppeal, a.ID, a.Court, a.By)
		add(a.DecidedOn, EventAppealDecided, a.ID, a.Court, a.Outcome)
	}
	for _, v := range pr.Victims {
		add(v.TestifiedOn, EventTestimony, v.ID, v.CaseNumber, "")
	}
	add(pr.ClosedOn, EventClosed, "", "", "")
	sort.SliceStable(ev, func(i, j int) bool {
		if !ev[i].Date.Time().Equal(ev[j].Date.Time()) {
			return ev[i].Date.Before(ev[j].Date)
		}
		return slices.Index(eventOrder, ev[i].Kind) < slices.Index(eventOrder, ev[j].Kind)
	})
	return ev
}

func (pr *Proceeding) defendantNumbers() map[string]string {
	m := make(map[string]string, len(pr.Defendants))
	for _, d := range pr.Defendants {
		m[d.ID] = d.SuspectNumber
	}
	return m
}

// Check lists what looks out of order across steps: warnings, not
// errors, because each has a lawful explanation (an arrest in flagrante
// delicto before the complaint is recorded, a complaint registered after
// the police acted) and refusing them would push officers to enter false
// dates. The pages and the API show them beside the record.
func (pr *Proceeding) Check() []FieldError {
	var w []FieldError
	warn := func(field, code, msg string) {
		w = append(w, FieldError{Field: field, Code: code, Message: msg})
	}
	start := pr.Complaint.Date
	before := func(d Date) bool { return !d.IsZero() && !start.IsZero() && d.Before(start) }
	if before(pr.Investigation.Opened) {
		warn("investigation.opened", "warning.before_complaint", "the investigation opened before the complaint")
	}
	for _, d := range pr.Defendants {
		if before(d.ArrestedOn) {
			warn("defendants."+d.ID+".arrested_on", "warning.before_complaint", "arrest before the complaint (in flagrante delicto?)")
		}
	}
	filed := pr.Prosecution.Filed
	if before(filed) {
		warn("prosecution.filed", "warning.before_complaint", "the court was seized before the complaint")
	}
	firstHearing := Date{}
	for _, h := range pr.Hearings {
		if firstHearing.IsZero() || h.Date.Before(firstHearing) {
			firstHearing = h.Date
		}
		if !filed.IsZero() && h.Date.Before(filed) {
			warn("hearings."+h.ID+".date", "warning.hearing_before_prosecution", "a hearing before the case was brought to court")
		}
	}
	if len(pr.Hearings) > 0 && filed.IsZero() {
		warn("prosecution.filed", "warning.hearing_without_prosecution", "hearings are recorded but not the court seized")
	}
	// The first conviction and the first verdict of each defendant ("" for
	// any defendant): a sentence follows a conviction, an appeal a verdict.
	convicted, verdict := map[string]Date{}, map[string]Date{}
	earliest := func(m map[string]Date, k string, d Date) {
		if cur, ok := m[k]; !ok || !d.IsZero() && (cur.IsZero() || d.Before(cur)) {
			m[k] = d
		}
	}
	for _, c := range pr.Charges {
		if c.Verdict == "Convicted" {
			earliest(convicted, c.DefendantID, c.VerdictOn)
		}
		if c.Verdict != "" {
			earliest(verdict, c.DefendantID, c.VerdictOn)
			earliest(verdict, "", c.VerdictOn)
		}
		if before(c.ChargedOn) {
			warn("charges."+c.ID+".charged_on", "warning.before_complaint", "a charge before the complaint")
		}
	}
	for _, s := range pr.Sentences {
		first, ok := convicted[s.DefendantID]
		switch {
		case !ok:
			warn("sentences."+s.ID, "warning.sentence_without_conviction", "a sentence for a defendant convicted of no charge")
		case !first.IsZero() && !s.SentencedOn.IsZero() && s.SentencedOn.Before(first):
			warn("sentences."+s.ID+".sentenced_on", "warning.sentence_before_verdict", "a sentence dated before the defendant's conviction")
		}
	}
	for _, a := range pr.Appeals {
		first, ok := verdict[a.DefendantID]
		if !ok || !first.IsZero() && !a.LodgedOn.IsZero() && a.LodgedOn.Before(first) {
			warn("appeals."+a.ID+".lodged_on", "warning.appeal_before_verdict", "an appeal lodged before any verdict it could challenge")
		}
	}
	for _, v := range pr.Victims {
		if !v.TestifiedOn.IsZero() && !firstHearing.IsZero() && v.TestifiedOn.Before(firstHearing) && !v.TestifiedOn.Before(filed) {
			warn("victims."+v.ID+".testified_on", "warning.testimony_before_hearing", "testimony before the first hearing recorded")
		}
	}
	return w
}

// VerdictCounts counts charges by verdict, "Pending" for none yet.
func (pr *Proceeding) VerdictCounts() map[string]int {
	m := map[string]int{}
	for _, c := range pr.Charges {
		v := c.Verdict
		if v == "" {
			v = "Pending"
		}
		m[v]++
	}
	return m
}

// JusticeSummary is what the workers of a victim's case see of a
// proceeding the victim takes part in. It names no defendant, shows no
// charge, article or docket: a caseworker who knows who is accused can be
// pressed to tell, and the defence's investigation is not theirs to see.
// It keeps what they need to support the victim: the stage, when the next
// hearing is, how the charges ended, and the victim's own protection.
type JusticeSummary struct {
	ProceedingID string         `json:"proceeding_id"`
	Number       string         `json:"number"`
	Agency       string         `json:"agency"`
	Status       string         `json:"status"`
	ComplaintOn  Date           `json:"complaint_on,omitzero"`
	Investigated Date           `json:"investigation_opened,omitzero"`
	Prosecuted   Date           `json:"prosecution_filed,omitzero"`
	Court        string         `json:"court,omitempty"`
	LastHearing  Date           `json:"last_hearing,omitzero"`
	NextHearing  Date           `json:"next_hearing,omitzero"`
	Defendants   int            `json:"defendants"`
	Verdicts     map[string]int `json:"verdicts"`
	Appeals      int            `json:"appeals"`
	ClosedOn     Date           `json:"closed_on,omitzero"`
	// Victim is this case's own participation.
	Victim *Participation `json:"victim,omitempty"`
}

// Summary is the proceeding as the workers of case caseID see it.
func (pr *Proceeding) Summary(caseID string, today Date) JusticeSummary {
	s := JusticeSummary{ProceedingID: pr.ID, Number: pr.Number, Agency: pr.Agency, Status: pr.Stage(),
		ComplaintOn: pr.Complaint.Date, Investigated: pr.Investigation.Opened, Prosecuted: pr.Prosecution.Filed,
		Court: pr.Prosecution.Court, Defendants: len(pr.Defendants), Verdicts: pr.VerdictCounts(),
		Appeals: len(pr.Appeals), ClosedOn: pr.ClosedOn}
	for _, h := range pr.Hearings {
		if h.Date.After(today) {
			if s.NextHearing.IsZero() || h.Date.Before(s.NextHearing) {
				s.NextHearing = h.Date
			}
		} else if h.Date.After(s.LastHearing) {
			s.LastHearing = h.Date
		}
	}
	for _, v := range pr.Victims {
		if v.CaseID == caseID {
			cp := *v
			cp.Notes = "" // the justice officer's notes stay theirs
			s.Victim = &cp
		}
	}
	return s
}
