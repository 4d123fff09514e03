// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"strings"
	"time"
)

// Closure of a case is a two-person decision, as in Primero: a caseworker
// requests it with a reason, a supervisor of the owning agency approves
// (the case becomes Closed with that reason) or rejects it. The request is
// a record of its own, not a case status, so that the case keeps its real
// status (Active, FollowUp) while the request waits, and the history of
// requests and decisions stays readable after a reopening.
const (
	ClosurePending  = "pending"
	ClosureApproved = "approved"
	ClosureRejected = "rejected"
)

// IsClosedStatus reports whether a cas_Status value closes the case.
func IsClosedStatus(s string) bool { return s == "Closed" || s == "ClosedReferred" }

// ClosureRequest is one request to close a case and its decision. Reason
// and Note are free text (sealed at rest with the case's key).
type ClosureRequest struct {
	ID          string    `json:"id"`
	CaseID      string    `json:"case_id"`
	CaseNumber  string    `json:"case_number"`
	Status      string    `json:"status"`
	Reason      string    `json:"reason,omitempty"`
	RequestedBy string    `json:"requested_by"` // the requester's e-mail
	RequestedAt time.Time `json:"requested_at"`
	DecidedBy   string    `json:"decided_by,omitempty"`
	DecidedAt   time.Time `json:"decided_at,omitzero"`
	Note        string    `json:"note,omitempty"`
}

// ValidateClosureText checks a closure reason (required) or a decision
// note (optional).
func ValidateClosureText(field, v string, required bool) error {
	var p Problems
	if required && strings.TrimSpace(v) == "" {
		p.Add(field, "validation.required", "is required")
	}
	checkText(&p, field, v, MaxLongText)
	return p.Err()
}

// Answers of a receiving agency to a referral. A declined referral is
// closed at once, which ends the receiving agency's access to the case.
const (
	ReferralAccepted = "accepted"
	ReferralDeclined = "declined"
)

// ReferralAnswer is the receiving agency's answer to an outgoing referral:
// the feedback its sender sees on the case. Reason is free text (sealed).
type ReferralAnswer struct {
	ReferralID string    `json:"referral_id"`
	Agency     string    `json:"agency"` // the answering agency's code
	Answer     string    `json:"answer"`
	Reason     string    `json:"reason,omitempty"`
	AnsweredBy string    `json:"answered_by"` // e-mail
	AnsweredAt time.Time `json:"answered_at"`
}

// ValidateReferralAnswer checks an answer: a decline needs its reason, so
// that the sender knows where to refer the victim instead.
func ValidateReferralAnswer(answer, reason string) error {
	var p Problems
	switch answer {
	case ReferralAccepted:
	case ReferralDeclined:
		if strings.TrimSpace(reason) == "" {
			p.Add("reason", "validation.required", "is required to decline a referral")
		}
	case "":
		p.Add("answer", "validation.required", "is required: accepted or declined")
	default:
		p.Add("answer", "validation.enum", "must be accepted or declined")
	}
	checkText(&p, "reason", reason, MaxLongText)
	return p.Err()
}

// InboxReferral is a case actively referred to an agency, with the answer
// given so far ("" while it waits). It carries no personal data.
type InboxReferral struct {
	CaseNumber string
	From       string // the sending agency's code
	ReferralID string
	SentAt     time.Time
	Answer     string
}

// FollowUp is a support plan whose planned end date is near or past and
// that has not ended: a reminder, without personal data.
type FollowUp struct {
	CaseNumber string
	PlanID     string
	Due        Date
}

// CaseworkService is the case workflow around the registry: closure
// requests, answers to referrals, and the reminders of the home page.
type CaseworkService interface {
	// RequestClosure records a pending request; a case has at most one.
	RequestClosure(ctx context.Context, caseRef, reason string) (*ClosureRequest, error)
	// DecideClosure approves (closing the case, in the same transaction)
	// or rejects the pending request id of the case.
	DecideClosure(ctx context.Context, caseRef, id string, approve bool, note string) error
	// ClosureRequests lists a case's requests, newest first, reasons open.
	ClosureRequests(ctx context.Context, caseRef string) ([]*ClosureRequest, error)
	// PendingClosures lists an agency's waiting requests (no reasons).
	PendingClosures(ctx context.Context, agencyID string, limit int) ([]*ClosureRequest, error)

	// AnswerReferral records the answer of agency (a code) to the referral
	// id of the case; declining closes the referral.
	AnswerReferral(ctx context.Context, caseRef, id, agency, answer, reason string) error
	// ReferralAnswers returns a case's answers by referral ID.
	ReferralAnswers(ctx context.Context, caseRef string) (map[string]*ReferralAnswer, error)
	// ReferralInbox lists the cases actively referred to an agency (an ID),
	// waiting ones first.
	ReferralInbox(ctx context.Context, agencyID string, limit int) ([]InboxReferral, error)

	// FollowUpsDue lists the open support plans due by until, of the cases
	// an agency (an ID) reaches, soonest first.
	FollowUpsDue(ctx context.Context, agencyID string, until Date, limit int) ([]FollowUp, error)
}

// KeepStatus fills an update's left-out status and closure from the
// stored case: a status left out is the stored one (Normalize would make
// it Active, the default of a new case, and so reopen a closed case), and
// a closed case's reason left out is its reason (an edit of the victim's
// details is no edit of the closure).
func KeepStatus(c, cur *Case) {
	if c.Status == "" {
		c.Status = cur.Status
	}
	if IsClosedStatus(c.Status) && IsClosedStatus(cur.Status) && c.ReasonForCaseClosure == "" {
		c.ReasonForCaseClosure = cur.ReasonForCaseClosure
	}
}

// ImmutableChanges lists the values an update may not change: a case stays
// with the agency that registered it, under its number and source key.
// Values left out (empty) keep the stored ones.
func ImmutableChanges(c, cur *Case) Problems {
	var p Problems
	if c.Agency != "" && c.Agency != cur.Agency {
		p.Add("agency", "validation.immutable", "cannot be changed (it is %s): a case stays with the agency that registered it; refer it to another agency to share it", cur.Agency)
	}
	if c.Number != "" && c.Number != cur.Number {
		p.Add("case_number", "validation.immutable", "cannot be changed (it is %s)", cur.Number)
	}
	if c.SourceKey != cur.SourceKey && c.SourceKey != "" {
		p.Add("vig_SourceKey", "validation.immutable", "cannot be changed")
	}
	return p
}
