// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"time"
)

// Draft is a registration in progress: the values a caseworker typed in
// the screening and registration forms, kept as typed (valid or not) so
// that nothing is lost when validation fails or the connection drops.
// A draft is its owner's alone. Its ID is drawn when the first form is
// shown and is the idempotency key of the final submission.
type Draft struct {
	ID      string
	OwnerID string
	Agency  string // code
	// Step is the last step the owner saved.
	Step string
	// Values are the form fields, by name, as typed.
	Values map[string][]string
	// CaseID and CaseNumber are set once the draft is registered.
	CaseID     string
	CaseNumber string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Registered reports whether the draft became a case.
func (d *Draft) Registered() bool { return d.CaseID != "" || d.CaseNumber != "" }

// DraftLifetime is how long an open draft is kept after its last save:
// what was typed in it is personal data that never became a case, so it
// does not stay for ever (a new draft of the same owner removes it).
const DraftLifetime = 30 * 24 * time.Hour

// MaxDraftValues bounds what one draft keeps (fields × values), so that a
// draft cannot be used to store arbitrary amounts of data.
const MaxDraftValues = 400

// DraftService keeps drafts. Every method takes the owner: a draft of
// someone else is "not found", exactly like a missing one.
type DraftService interface {
	// SaveDraft creates the draft d.ID or replaces its step and values.
	// A registered draft is a conflict (its case number is in the
	// returned draft).
	SaveDraft(ctx context.Context, d *Draft) error
	Draft(ctx context.Context, id, ownerID string) (*Draft, error)
	// Drafts lists the owner's open drafts, newest first, without their
	// values (a list shows no personal data).
	Drafts(ctx context.Context, ownerID string) ([]*Draft, error)
	DeleteDraft(ctx context.Context, id, ownerID string) error
	// RegisterDraft creates c (validated and audited as CreateCase does)
	// and links it to the draft in one transaction, clearing the draft's
	// values. If the draft is already registered, nothing is created and
	// its case number is returned with created false.
	RegisterDraft(ctx context.Context, id, ownerID string, c *Case) (number string, created bool, err error)
}
