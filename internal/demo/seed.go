// SPDX-License-Identifier: AGPL-3.0-or-later

// Package demo fills an empty database marked as a demonstration with
// fictitious people, so that a newcomer sees a living system in one
// command (vigie serve --demo). Everything it makes is clearly fake: the
// agencies' codes (hence every case number) start with DEMO, the names
// are common names combined at random, and every case says so in a
// comment.
package demo

import (
	"context"
	"encoding/base32"
	"fmt"
	"math/rand/v2"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
)

// Store is what seeding needs (sqlstore.DB is one).
type Store interface {
	CreateAgency(ctx context.Context, a *domain.Agency) error
	Agency(ctx context.Context, code string) (*domain.Agency, error)
	CreateSituation(ctx context.Context, s *domain.Situation) error
	CreateCase(ctx context.Context, c *domain.Case) error
	RequestClosure(ctx context.Context, caseRef, reason string) (*domain.ClosureRequest, error)
	CreateUser(ctx context.Context, u *domain.User, passwordHash string) error
	User(ctx context.Context, ref string) (*domain.User, error)
	Credentials(ctx context.Context, userID string) (*domain.Credentials, error)
	SetCredentials(ctx context.Context, c *domain.Credentials) error
}

// Options tune seeding; the zero value is the demo's.
type Options struct {
	// Seed makes the generated people and TOTP secrets reproducible.
	Seed uint64
	// Cases is how many cases to make (default 200).
	Cases int
	// Hash is the password hashing cost (default auth.DefaultParams);
	// tests use a cheap one.
	Hash auth.Params
	// Now is the demo's "today" (default time.Now).
	Now time.Time
}

// Seeded reports whether the demo is already there. An interrupted
// seeding (agencies without the last account) is an error: the demo
// directory is disposable, and starting it again is the fix.
func Seeded(ctx context.Context, s Store) (bool, error) {
	last := Accounts[len(Accounts)-1].Email
	if _, err := s.User(ctx, last); err == nil {
		return true, nil
	} else if domain.KindOf(err) != domain.KindNotFound {
		return false, err
	}
	if _, err := s.Agency(ctx, Agencies[0].Code); err == nil {
		return false, domain.Errorf(domain.KindConflict, "la démonstration est incomplète (interrompue ?) : supprimez son dossier et relancez / the demo database is incomplete (interrupted?): delete its directory and start again")
	} else if domain.KindOf(err) != domain.KindNotFound {
		return false, err
	}
	return false, nil
}

// Seed makes the demo agencies, cases and accounts, and returns the
// accounts with their TOTP secrets. Call it once, on an empty database
// marked demo (see Seeded).
func Seed(ctx context.Context, s Store, o Options) ([]Account, error) {
	if o.Cases == 0 {
		o.Cases = 200
	}
	if o.Hash == (auth.Params{}) {
		o.Hash = auth.DefaultParams
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	r := rand.New(rand.NewPCG(o.Seed, 0x7669676965)) // "vigie"
	ctx = domain.WithActor(ctx, &domain.Principal{Email: "demo-seed", Agency: Agencies[0].Code, Via: "cli"})
	for _, a := range Agencies {
		if err := s.CreateAgency(ctx, &a); err != nil {
			return nil, fmt.Errorf("demo agency %s: %w", a.Code, err)
		}
	}
	g := &generator{r: r, today: domain.DateOf(o.Now.UTC())}
	situations, err := g.situations(ctx, s)
	if err != nil {
		return nil, err
	}
	closures := 0
	var made []*domain.Case
	for i := range o.Cases {
		c := g.newCase(i, situations)
		actx := domain.WithActor(ctx, &domain.Principal{Email: "demo-seed", Agency: c.Agency, Via: "cli"})
		if err := s.CreateCase(actx, c); err != nil {
			return nil, fmt.Errorf("demo case %d: %w", i, err)
		}
		made = append(made, c)
		// A few closure requests wait for the demo supervisor.
		if c.Agency == Accounts[0].Agency && c.Status == "FollowUp" && closures < 3 {
			cctx := domain.WithActor(ctx, &domain.Principal{Email: Accounts[0].Email, Agency: c.Agency, Via: "cli"})
			if _, err := s.RequestClosure(cctx, c.Number, "Demande fictive : objectifs du plan atteints (démonstration)"); err != nil {
				return nil, fmt.Errorf("demo closure request: %w", err)
			}
			closures++
		}
	}
	suspects, err := seedSuspects(ctx, s, made)
	if err != nil {
		return nil, err
	}
	if err := seedJustice(ctx, s, o.Now, suspects, made); err != nil {
		return nil, err
	}
	// Accounts last: their presence says the seeding finished.
	out := make([]Account, len(Accounts))
	for i, a := range Accounts {
		a.TOTPSecret = g.totpSecret()
		// Roles that read no personal data sign in without a second
		// factor (domain.NeedsSecondFactor): no secret to print.
		if !domain.NeedsSecondFactor([]domain.Role{a.Role}) {
			a.TOTPSecret = ""
		}
		if err := createAccount(ctx, s, a, o.Hash); err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func createAccount(ctx context.Context, s Store, a Account, p auth.Params) error {
	hash, err := auth.HashPassword(a.Password, p)
	if err != nil {
		return err
	}
	u := &domain.User{Email: a.Email, Name: a.Name, Agency: a.Agency, Roles: []domain.Role{a.Role}}
	if err := s.CreateUser(ctx, u, hash); err != nil {
		return fmt.Errorf("demo account %s: %w", a.Email, err)
	}
	if a.TOTPSecret == "" {
		return nil
	}
	c, err := s.Credentials(ctx, u.ID)
	if err != nil {
		return err
	}
	c.TOTPSecret = a.TOTPSecret
	return s.SetCredentials(ctx, c)
}

// Secrets returns the demo accounts with their stored TOTP secrets, to
// print at every start.
func Secrets(ctx context.Context, s Store) ([]Account, error) {
	out := make([]Account, len(Accounts))
	for i, a := range Accounts {
		u, err := s.User(ctx, a.Email)
		if err != nil {
			return nil, err
		}
		c, err := s.Credentials(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		a.TOTPSecret = c.TOTPSecret
		out[i] = a
	}
	return out, nil
}

func (g *generator) totpSecret() string {
	b := make([]byte, 20)
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}
