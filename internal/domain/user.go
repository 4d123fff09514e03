// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"context"
	"strings"
	"time"
)

// User is a person who signs in to Vigie. Every user belongs to one
// agency; their roles say what they may do there.
type User struct {
	Meta
	Email       string `json:"email"`
	Name        string `json:"name,omitempty"`
	Agency      string `json:"agency"` // agency code
	Roles       []Role `json:"roles"`
	Disabled    bool   `json:"disabled,omitempty"`
	TOTPEnabled bool   `json:"totp_enabled"`
	// Lang is the language the user chose for the pages ("fr", "en"; empty:
	// not chosen yet). It follows the user from one device to another.
	Lang string `json:"lang,omitempty"`
}

// NormalizeEmail lower-cases and trims an e-mail address, so that sign-in
// and uniqueness do not depend on how it was typed.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks the user's own fields.
func (u *User) Validate() error {
	var p Problems
	u.Email = NormalizeEmail(u.Email)
	if !ValidEmail(u.Email) {
		p.Add("email", "validation.email", "%q is not an e-mail address", u.Email)
	}
	checkText(&p, "name", u.Name, MaxShortText)
	checkOneLine(&p, "name", u.Name)
	if !ValidAgencyCode(u.Agency) {
		p.Add("agency", "validation.agency_code", "%q is not an agency code", u.Agency)
	}
	if len(u.Roles) == 0 {
		p.Add("roles", "validation.required", "give at least one role: caseworker, supervisor, justice, coordinator or admin")
	}
	seen := map[Role]bool{}
	for _, r := range u.Roles {
		if !ValidRole(r) {
			p.Add("roles", "validation.enum", "%q is not a role: use caseworker, supervisor, justice, coordinator or admin", r)
		}
		if seen[r] {
			p.Add("roles", "validation.duplicate_value", "%q is listed twice", r)
		}
		seen[r] = true
	}
	return p.Err()
}

// Credentials are a user's secrets. They never leave the store except to
// the sign-in code, and are never serialised to clients.
type Credentials struct {
	UserID        string
	PasswordHash  string
	TOTPSecret    string // empty until enrolled; sealed at rest
	TOTPPending   string // a secret offered for enrolment, not yet confirmed
	TOTPLastStep  int64
	RecoveryCodes []string // hashes of the unused recovery codes
}

// Session is a signed-in browser or client. Its token is known only to
// the client; the store keeps a hash.
type Session struct {
	TokenHash []byte
	UserID    string
	// SecondFactor is set once the user passed TOTP (or does not need it).
	SecondFactor bool
	CreatedAt    time.Time
	LastSeen     time.Time
	ExpiresAt    time.Time // absolute time-out
	Addr         string
}

// Session time-outs: idle, then absolute.
const (
	SessionIdleTimeout     = 30 * time.Minute
	SessionAbsoluteTimeout = 12 * time.Hour
)

// APIToken lets the CLI and integrations call the API. Only a hash of the
// token is stored.
type APIToken struct {
	ID        string     `json:"id"`
	UserID    string     `json:"user_id"`
	Name      string     `json:"name"`
	ReadOnly  bool       `json:"read_only"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	LastUsed  *time.Time `json:"last_used,omitempty"`
	Revoked   bool       `json:"revoked,omitempty"`
}

// DefaultTokenLifetime is how long an API token lasts unless told.
const DefaultTokenLifetime = 90 * 24 * time.Hour

// BreakGlass is a supervisor's time-limited access to a case of another
// agency, given with a reason.
type BreakGlass struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	CaseID    string    `json:"case_id"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// UserService stores users, their credentials, sessions and tokens.
type UserService interface {
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	User(ctx context.Context, ref string) (*User, error) // by ID or e-mail
	Users(ctx context.Context, agencyCode string) ([]*User, error)
	UpdateUser(ctx context.Context, u *User) error
	// SetUserLang records the user's language; it changes nothing else
	// (no new version, no sign-out).
	SetUserLang(ctx context.Context, userID, lang string) error
	UserByID(ctx context.Context, id string) (*User, *Agency, error)
	Credentials(ctx context.Context, userID string) (*Credentials, error)
	SetCredentials(ctx context.Context, c *Credentials) error
	// UseTOTPStep and UseRecoveryCode consume a second factor once, even
	// under concurrent requests (a conflict for the losers).
	UseTOTPStep(ctx context.Context, userID string, step int64) error
	UseRecoveryCode(ctx context.Context, userID, hash string) (left int, err error)

	CreateSession(ctx context.Context, s *Session) error
	Session(ctx context.Context, tokenHash []byte) (*Session, error)
	TouchSession(ctx context.Context, tokenHash []byte, at time.Time) error
	DeleteSession(ctx context.Context, tokenHash []byte) error
	DeleteSessions(ctx context.Context, userID string) (int, error)

	CreateToken(ctx context.Context, t *APIToken, hash []byte) error
	TokenByHash(ctx context.Context, hash []byte) (*APIToken, error)
	Tokens(ctx context.Context, userID string) ([]*APIToken, error)
	RevokeToken(ctx context.Context, userID, id string) error
	TouchToken(ctx context.Context, id string, at time.Time) error
}

// NameMatch is a case whose victim's name may be the one searched for.
type NameMatch struct {
	CaseID     string  `json:"case_id"`
	CaseNumber string  `json:"case_number"`
	Agency     string  `json:"agency"`
	Score      float64 `json:"score"` // 0..1, names.Similarity
}

// ReferredCase is a case referred to an agency by an active referral.
type ReferredCase struct {
	CaseNumber string `json:"case_number"`
	From       string `json:"from_agency"`
	ReferralID string `json:"referral_id"`
	Answer     string `json:"answer"` // accepted, declined, or "" while waiting
}
