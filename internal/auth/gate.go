// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"vigie/internal/domain"
)

// Gate applies the sign-in rules — passwords, throttling, second factor,
// session time-outs, API tokens — the same way for every surface (the
// JSON API and the web pages), so that a rule fixed once is fixed for
// both. It knows nothing of HTTP: callers pass the client's address and
// device cookie, and set the cookies it returns.
type Gate struct {
	Users    domain.UserService
	Audit    domain.AuditLog
	Throttle *Throttle
	// MAC keys device cookies (the keyring's blind-index HMAC).
	MAC func(tag, msg string) []byte
	Now func() time.Time
}

// Client is what the gate needs to know of the caller.
type Client struct {
	Addr string
	// Device is the device cookie the client sent, if any.
	Device string
}

// Started is a session just created: the token goes in the session
// cookie; Device, when set, is a new device cookie value.
type Started struct {
	Token   string
	Session *domain.Session
	User    *domain.User
	// State is "done", "required" (enter a TOTP or recovery code) or
	// "enrol" (set up TOTP first).
	State  string
	Device string
}

// Throttled is the error of an attempt refused for being too many; After
// is how long to wait (the Retry-After header).
type Throttled struct {
	Err   *domain.Error
	After time.Duration
}

func (t *Throttled) Error() string { return t.Err.Error() }
func (t *Throttled) Unwrap() error { return t.Err }

func throttled(wait time.Duration) error {
	secs := max(1, int(wait.Round(time.Second)/time.Second))
	return &Throttled{Err: domain.Errorf(domain.KindTooMany, "trop de tentatives : réessayez dans %d s / too many attempts: retry in %d s", secs, secs), After: time.Duration(secs) * time.Second}
}

// BadCredentials is the one answer to a wrong e-mail, a wrong password
// and a disabled account, so that none of them reveals which accounts
// exist.
var BadCredentials = domain.Errorf(domain.KindUnauthorized, "e-mail ou mot de passe incorrect / wrong e-mail or password")

// SessionState says what a session still needs.
func SessionState(u *domain.User, secondFactorDone bool) string {
	switch {
	case secondFactorDone:
		return "done"
	case u.TOTPEnabled:
		return "required"
	}
	return "enrol"
}

// CSRFToken is derived from the session token, which a page of another
// site cannot read: a request that carries it comes from Vigie's own pages
// or a client that holds the session.
func CSRFToken(rawSession string) string {
	sum := sha256.Sum256([]byte("vigie-csrf\x00" + rawSession))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// SignIn checks an e-mail and password and starts a session, complete or
// waiting for the second factor.
func (g *Gate) SignIn(ctx context.Context, email, password string, cl Client) (*Started, error) {
	now := g.Now()
	account := domain.NormalizeEmail(email)
	device := g.device(ctx, cl.Device, account)
	if wait := g.Throttle.Wait(account, cl.Addr, device, now); wait > 0 {
		e := domain.NewAuditEntry(ctx, domain.AuditSignInFailed)
		e.Addr, e.Outcome, e.Detail = cl.Addr, "denied", map[string]any{"reason": "throttled"}
		_ = g.Audit.Audit(ctx, e)
		return nil, throttled(wait)
	}
	u, err := g.Users.User(ctx, account)
	if err == nil && u.Email != account {
		// Users.User finds a user by ID too. Only the e-mail signs in:
		// the ID would be a second throttle counter for the same account.
		u, err = nil, domain.Errorf(domain.KindNotFound, "no account with this e-mail")
	}
	var cred *domain.Credentials
	if err == nil {
		cred, err = g.Users.Credentials(ctx, u.ID)
	}
	ok := false
	if err != nil {
		// Spend the same time as a real check: timing must not tell
		// which accounts exist.
		DummyVerify(password)
	} else {
		var rehash bool
		ok, rehash, _ = VerifyPassword(cred.PasswordHash, password)
		ok = ok && !u.Disabled
		if ok && rehash {
			if h, err := HashPassword(password, DefaultParams); err == nil {
				cred.PasswordHash = h
				_ = g.Users.SetCredentials(ctx, cred)
			}
		}
	}
	if !ok {
		g.Throttle.Failure(account, cl.Addr, device, now)
		e := domain.NewAuditEntry(ctx, domain.AuditSignInFailed)
		e.Addr, e.Outcome = cl.Addr, "failed"
		if u != nil {
			// Only a known account is named: a mistyped address may be a
			// password typed in the wrong field.
			e.ActorID, e.Actor, e.ActorAgency = u.ID, u.Email, u.Agency
		}
		_ = g.Audit.Audit(ctx, e)
		return nil, BadCredentials
	}
	g.Throttle.Success(account, cl.Addr, device, now)
	done := !domain.NeedsSecondFactor(u.Roles)
	st, err := g.start(ctx, u, done, cl)
	if err != nil {
		return nil, err
	}
	g.auditSignIn(ctx, u, cl.Addr, map[string]any{"second_factor": st.State})
	return st, nil
}

// start mints a new session token: a token the client held before is
// never reused, so a planted (fixated) session cannot be upgraded.
func (g *Gate) start(ctx context.Context, u *domain.User, secondFactor bool, cl Client) (*Started, error) {
	tok, hash, err := NewToken(SessionTokenPrefix)
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "drawing a session token")
	}
	now := g.Now()
	s := &domain.Session{TokenHash: hash, UserID: u.ID, SecondFactor: secondFactor, CreatedAt: now, LastSeen: now,
		ExpiresAt: now.Add(domain.SessionAbsoluteTimeout), Addr: cl.Addr}
	if err := g.Users.CreateSession(ctx, s); err != nil {
		return nil, err
	}
	st := &Started{Token: tok, Session: s, User: u, State: SessionState(u, secondFactor)}
	if secondFactor {
		st.Device = g.deviceCookie(u.ID)
	}
	return st, nil
}

func (g *Gate) auditSignIn(ctx context.Context, u *domain.User, addr string, detail map[string]any) {
	e := domain.NewAuditEntry(ctx, domain.AuditSignIn)
	e.ActorID, e.Actor, e.ActorAgency, e.Addr, e.Detail = u.ID, u.Email, u.Agency, addr, detail
	_ = g.Audit.Audit(ctx, e)
}

// SecondFactor checks a TOTP or recovery code for a pending session and
// replaces it with a complete one under a new token.
func (g *Gate) SecondFactor(ctx context.Context, s *domain.Session, u *domain.User, code, recovery string, cl Client) (*Started, error) {
	if s == nil || s.SecondFactor {
		return nil, domain.Errorf(domain.KindConflict, "this session needs no second factor")
	}
	if !u.TOTPEnabled {
		return nil, domain.Errorf(domain.KindConflict, "set up your authenticator first: POST /api/v1/auth/totp/enrol")
	}
	now := g.Now()
	account := u.Email
	// The device cookie counts here as it does for the password: on the
	// owner's own browser only its own failures slow the owner, never a
	// stranger's guesses at the account.
	device := g.device(ctx, cl.Device, account)
	if wait := g.Throttle.Wait(account, cl.Addr, device, now); wait > 0 {
		return nil, throttled(wait)
	}
	cred, err := g.Users.Credentials(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	ok := false
	via := "totp"
	left := len(cred.RecoveryCodes)
	// The code is consumed by a conditional update, so that the same code
	// sent twice at once signs in only once.
	switch {
	case recovery != "":
		via = "recovery_code"
		h := HashRecoveryCode(recovery)
		for _, x := range cred.RecoveryCodes {
			if hmac.Equal([]byte(x), []byte(h)) {
				n, err := g.Users.UseRecoveryCode(ctx, u.ID, x)
				if err != nil && domain.KindOf(err) != domain.KindConflict {
					return nil, err
				}
				ok, left = err == nil, n
				break
			}
		}
	default:
		step, valid := CheckTOTP(cred.TOTPSecret, code, now, cred.TOTPLastStep)
		if valid {
			err := g.Users.UseTOTPStep(ctx, u.ID, step)
			if err != nil && domain.KindOf(err) != domain.KindConflict {
				return nil, err
			}
			ok = err == nil
		}
	}
	if !ok {
		g.Throttle.Failure(account, cl.Addr, device, now)
		e := domain.NewAuditEntry(ctx, domain.AuditSignInFailed)
		e.Outcome, e.Detail = "failed", map[string]any{"second_factor": via}
		_ = g.Audit.Audit(ctx, e)
		return nil, domain.Errorf(domain.KindUnauthorized, "code incorrect ou déjà utilisé / wrong or already used code")
	}
	g.Throttle.Success(account, cl.Addr, device, now)
	detail := map[string]any{"second_factor": via}
	if via == "recovery_code" {
		detail["recovery_codes_left"] = left
	}
	return g.upgrade(ctx, s, u, detail, cl)
}

// upgrade ends a pending session and starts a complete one under a new
// token.
func (g *Gate) upgrade(ctx context.Context, s *domain.Session, u *domain.User, detail map[string]any, cl Client) (*Started, error) {
	if err := g.Users.DeleteSession(ctx, s.TokenHash); err != nil {
		return nil, err
	}
	fresh, err := g.Users.User(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	st, err := g.start(ctx, fresh, true, cl)
	if err != nil {
		return nil, err
	}
	g.auditSignIn(ctx, fresh, cl.Addr, detail)
	return st, nil
}

// EnrolTOTP offers a new TOTP secret; it takes effect once confirmed.
func (g *Gate) EnrolTOTP(ctx context.Context, u *domain.User) (secret, url string, err error) {
	if u.TOTPEnabled {
		return "", "", domain.Errorf(domain.KindConflict, "an authenticator is already set up for this account; an admin can reset it")
	}
	secret, url, err = NewTOTP("Vigie", u.Email)
	if err != nil {
		return "", "", domain.Wrap(domain.KindInternal, err, "creating a TOTP secret")
	}
	cred, err := g.Users.Credentials(ctx, u.ID)
	if err != nil {
		return "", "", err
	}
	cred.TOTPPending = secret
	if err := g.Users.SetCredentials(ctx, cred); err != nil {
		return "", "", err
	}
	return secret, url, nil
}

// ConfirmTOTP turns the offered secret on when the user proves their
// authenticator produces its codes, and hands out recovery codes. With a
// pending session, the session is upgraded (st is nil otherwise).
func (g *Gate) ConfirmTOTP(ctx context.Context, s *domain.Session, u *domain.User, code string, cl Client) (st *Started, recovery []string, err error) {
	cred, err := g.Users.Credentials(ctx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	if u.TOTPEnabled || cred.TOTPPending == "" {
		return nil, nil, domain.Errorf(domain.KindConflict, "start with POST /api/v1/auth/totp/enrol")
	}
	step, ok := CheckTOTP(cred.TOTPPending, code, g.Now(), 0)
	if !ok {
		var p domain.Problems
		p.Add("code", "validation.totp", "code incorrect : vérifiez l’heure du téléphone / wrong code: check the phone's clock")
		return nil, nil, p.Err()
	}
	plain, hashes, err := NewRecoveryCodes()
	if err != nil {
		return nil, nil, domain.Wrap(domain.KindInternal, err, "drawing recovery codes")
	}
	cred.TOTPSecret, cred.TOTPPending, cred.TOTPLastStep, cred.RecoveryCodes = cred.TOTPPending, "", step, hashes
	if err := g.Users.SetCredentials(ctx, cred); err != nil {
		return nil, nil, err
	}
	if s == nil {
		return nil, plain, nil
	}
	st, err = g.upgrade(ctx, s, u, map[string]any{"second_factor": "totp_enrolled"}, cl)
	return st, plain, err
}

// Resolve returns the live session of a session token, enforcing the idle
// and absolute time-outs (an expired session is deleted).
func (g *Gate) Resolve(ctx context.Context, token string) (*domain.Session, *domain.User, *domain.Agency, error) {
	now := g.Now()
	hash := HashToken(token)
	s, err := g.Users.Session(ctx, hash)
	if err != nil {
		return nil, nil, nil, domain.Errorf(domain.KindUnauthorized, "session expired or signed out; sign in again")
	}
	if !now.Before(s.ExpiresAt) || now.Sub(s.LastSeen) > domain.SessionIdleTimeout {
		_ = g.Users.DeleteSession(ctx, hash)
		return nil, nil, nil, domain.Errorf(domain.KindUnauthorized, "session expired; sign in again")
	}
	u, ag, err := g.user(ctx, s.UserID)
	if err != nil {
		return nil, nil, nil, err
	}
	// Activity is recorded at most once a minute: the idle time-out is
	// counted in minutes and each touch is a write.
	if now.Sub(s.LastSeen) > time.Minute {
		_ = g.Users.TouchSession(ctx, hash, now)
	}
	return s, u, ag, nil
}

// Bearer returns the live API token of a bearer value with its user.
func (g *Gate) Bearer(ctx context.Context, value string) (*domain.APIToken, *domain.User, *domain.Agency, error) {
	now := g.Now()
	bad := domain.Errorf(domain.KindUnauthorized, "unknown, revoked or expired API token")
	t, err := g.Users.TokenByHash(ctx, HashToken(strings.TrimSpace(value)))
	if err != nil || t.Revoked || !now.Before(t.ExpiresAt) {
		return nil, nil, nil, bad
	}
	u, ag, err := g.user(ctx, t.UserID)
	if err != nil {
		return nil, nil, nil, err
	}
	// Last use is recorded at most once a minute per token.
	if t.LastUsed == nil || now.Sub(*t.LastUsed) > time.Minute {
		_ = g.Users.TouchToken(ctx, t.ID, now)
	}
	return t, u, ag, nil
}

func (g *Gate) user(ctx context.Context, id string) (*domain.User, *domain.Agency, error) {
	u, ag, err := g.Users.UserByID(ctx, id)
	if err != nil || u.Disabled {
		return nil, nil, domain.Errorf(domain.KindUnauthorized, "this account is disabled or no longer exists")
	}
	return u, ag, nil
}

// SignOut ends one session.
func (g *Gate) SignOut(ctx context.Context, s *domain.Session) error {
	if s != nil {
		if err := g.Users.DeleteSession(ctx, s.TokenHash); err != nil {
			return err
		}
	}
	_ = g.Audit.Audit(ctx, domain.NewAuditEntry(ctx, domain.AuditSignOut))
	return nil
}

// SignOutEverywhere ends every session of a user.
func (g *Gate) SignOutEverywhere(ctx context.Context, u *domain.User) (int, error) {
	n, err := g.Users.DeleteSessions(ctx, u.ID)
	if err != nil {
		return 0, err
	}
	e := domain.NewAuditEntry(ctx, domain.AuditSignOut)
	e.Detail = map[string]any{"everywhere": true, "sessions": n}
	_ = g.Audit.Audit(ctx, e)
	return n, nil
}

// ChangePassword needs the current password (throttled like a sign-in:
// a stolen session must not become a password oracle), ends every
// session, and starts a new one when the change came from a session.
func (g *Gate) ChangePassword(ctx context.Context, s *domain.Session, u *domain.User, current, next string, cl Client) (*Started, error) {
	now := g.Now()
	device := g.device(ctx, cl.Device, u.Email)
	if wait := g.Throttle.Wait(u.Email, cl.Addr, device, now); wait > 0 {
		return nil, throttled(wait)
	}
	cred, err := g.Users.Credentials(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if ok, _, _ := VerifyPassword(cred.PasswordHash, current); !ok {
		g.Throttle.Failure(u.Email, cl.Addr, device, now)
		var p domain.Problems
		p.Add("current_password", "validation.password_wrong", "mot de passe actuel incorrect / the current password is wrong")
		return nil, p.Err()
	}
	if err := CheckPassword(next, u.Email, u.Name); err != nil {
		return nil, err
	}
	h, err := HashPassword(next, DefaultParams)
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "hashing the password")
	}
	cred.PasswordHash = h
	if err := g.Users.SetCredentials(ctx, cred); err != nil {
		return nil, err
	}
	if _, err := g.Users.DeleteSessions(ctx, u.ID); err != nil {
		return nil, err
	}
	e := domain.NewAuditEntry(ctx, domain.AuditPermission)
	e.Resource, e.RecordID, e.Detail = string(domain.ResUser), u.ID, map[string]any{"changed": "password"}
	_ = g.Audit.Audit(ctx, e)
	if s == nil {
		return nil, nil
	}
	return g.start(ctx, u, true, cl)
}

// Device cookies (OWASP): a browser that signed in to an account gets a
// keyed value naming that account; its attempts are throttled apart from
// a stranger's, so an attacker cannot lock the real user out.
func (g *Gate) device(ctx context.Context, cookie, account string) string {
	id, mac, ok := strings.Cut(cookie, ".")
	if !ok || g.MAC == nil || len(mac) < 8 {
		return ""
	}
	want := base64.RawURLEncoding.EncodeToString(g.MAC("device-cookie", id))
	if !hmac.Equal([]byte(mac), []byte(want)) {
		return ""
	}
	u, err := g.Users.User(ctx, account)
	if err != nil || u.ID != id {
		return ""
	}
	return "device:" + id + ":" + mac[:8]
}

// deviceCookie is the device cookie value for a user ("" without a key).
func (g *Gate) deviceCookie(userID string) string {
	if g.MAC == nil {
		return ""
	}
	return userID + "." + base64.RawURLEncoding.EncodeToString(g.MAC("device-cookie", userID))
}
