// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"time"
)

// Audit actions. Every access to personal data, every change and every
// sign-in attempt writes one entry.
const (
	AuditCreate       = "create"
	AuditRead         = "read"
	AuditUpdate       = "update"
	AuditDelete       = "delete"
	AuditExport       = "export"
	AuditImport       = "import"
	AuditSearch       = "search"
	AuditSignIn       = "sign_in"
	AuditSignInFailed = "sign_in_failed"
	AuditSignOut      = "sign_out"
	AuditDenied       = "denied"
	AuditPermission   = "permission_change"
	AuditBreakGlass   = "break_glass"
	AuditTokenCreate  = "token_create"
	AuditTokenRevoke  = "token_revoke"
	AuditKeysRotate   = "keys_rotate"
)

// AuditEntry is one line of the append-only, hash-chained audit log. It
// names records by ID and case number and field groups by name, never by
// their values: the log holds no personal data.
type AuditEntry struct {
	Seq         int64     `json:"seq"`
	At          time.Time `json:"at"`
	ActorID     string    `json:"actor_id,omitempty"`
	Actor       string    `json:"actor"` // e-mail, or "cli:USER" for an operator on the server
	ActorAgency string    `json:"actor_agency,omitempty"`
	Action      string    `json:"action"`
	Resource    string    `json:"resource,omitempty"`
	RecordID    string    `json:"record_id,omitempty"`
	CaseID      string    `json:"case_id,omitempty"`
	CaseNumber  string    `json:"case_number,omitempty"`
	AgencyID    string    `json:"agency_id,omitempty"` // the agency that owns the record
	Addr        string    `json:"addr,omitempty"`
	Outcome     string    `json:"outcome"` // ok, denied, failed
	// Detail lists names only: changed fields, kept field groups, counts.
	Detail map[string]any `json:"detail,omitempty"`
}

// AuditFilter selects entries of the log, newest first.
type AuditFilter struct {
	CaseID   string
	AgencyID string // entries about records owned by this agency
	ActorID  string
	Action   string    // one of the Audit… actions ("" for any)
	From     time.Time // entries at or after From (zero: no bound)
	To       time.Time // entries before To (zero: no bound)
	Before   int64     // entries with Seq < Before (0: from the newest)
	Limit    int
}

// AuditLog appends to and reads the audit log.
type AuditLog interface {
	Audit(ctx context.Context, e *AuditEntry) error
	AuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
}

// AuditProblem is the first entry of the log that fails verification.
type AuditProblem struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

type actorKey struct{}

// WithActor returns a context that carries who acts, so that the store
// writes each change's audit entry in the change's own transaction.
func WithActor(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, actorKey{}, p)
}

// ActorFrom returns the principal carried by ctx, or nil.
func ActorFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(actorKey{}).(*Principal)
	return p
}

type importAgenciesKey struct{}

// WithImportAgencies returns a context in which an import creates the
// agencies its rows name that do not exist yet (--create-agencies), in
// the transaction that writes the rows: on SQLite's single writer, an
// agency created beside that open transaction waited for it forever.
func WithImportAgencies(ctx context.Context) context.Context {
	return context.WithValue(ctx, importAgenciesKey{}, true)
}

// ImportCreatesAgencies reports whether ctx is such a context.
func ImportCreatesAgencies(ctx context.Context) bool {
	on, _ := ctx.Value(importAgenciesKey{}).(bool)
	return on
}

// NewAuditEntry starts an entry for an action by the context's actor.
func NewAuditEntry(ctx context.Context, action string) *AuditEntry {
	e := &AuditEntry{Action: action, Outcome: "ok", Actor: "system"}
	if p := ActorFrom(ctx); p != nil {
		e.ActorID, e.Actor, e.ActorAgency, e.Addr = p.UserID, p.Email, p.Agency, p.Addr
	}
	return e
}
