// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
)

// badCredentials is the one answer to a wrong e-mail, a wrong password and
// a disabled account, so that none of them reveals which accounts exist.
var badCredentials = domain.Errorf(domain.KindUnauthorized, "e-mail ou mot de passe incorrect / wrong e-mail or password")

type signInRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// sessionView is what a client learns about its session.
type sessionView struct {
	User *domain.User `json:"user"`
	// SecondFactor is "done", "required" (enter a TOTP or recovery code)
	// or "enrol" (set up TOTP first).
	SecondFactor string    `json:"second_factor"`
	CSRFToken    string    `json:"csrf_token,omitempty"`
	ExpiresAt    time.Time `json:"expires_at,omitzero"`
}

func (a *api) signIn(w http.ResponseWriter, r *http.Request) error {
	var req signInRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	now := a.Now()
	account := domain.NormalizeEmail(req.Email)
	addr := a.clientAddr(r)
	device := a.deviceFor(r, account)
	if wait := a.Throttle.Wait(account, addr, device, now); wait > 0 {
		e := domain.NewAuditEntry(r.Context(), domain.AuditSignInFailed)
		e.Addr, e.Outcome, e.Detail = addr, "denied", map[string]any{"reason": "throttled"}
		_ = a.Audit.Audit(r.Context(), e)
		secs := int(wait.Round(time.Second) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
		return domain.Errorf(domain.KindTooMany, "trop de tentatives : réessayez dans %d s / too many attempts: retry in %d s", secs, secs)
	}
	u, err := a.Users.User(r.Context(), account)
	if err == nil && u.Email != account {
		// Users.User finds a user by ID too. Only the e-mail signs in:
		// the ID would be a second throttle counter for the same account.
		u, err = nil, domain.Errorf(domain.KindNotFound, "no account with this e-mail")
	}
	var cred *domain.Credentials
	if err == nil {
		cred, err = a.Users.Credentials(r.Context(), u.ID)
	}
	ok := false
	if err != nil {
		// Spend the same time as a real check: timing must not tell
		// which accounts exist.
		auth.DummyVerify(req.Password)
	} else {
		var rehash bool
		ok, rehash, _ = auth.VerifyPassword(cred.PasswordHash, req.Password)
		ok = ok && !u.Disabled
		if ok && rehash {
			if h, err := auth.HashPassword(req.Password, auth.DefaultParams); err == nil {
				cred.PasswordHash = h
				_ = a.Users.SetCredentials(r.Context(), cred)
			}
		}
	}
	if !ok {
		a.Throttle.Failure(account, addr, device, now)
		e := domain.NewAuditEntry(r.Context(), domain.AuditSignInFailed)
		e.Addr, e.Outcome = addr, "failed"
		if u != nil {
			// Only a known account is named: a mistyped address may be a
			// password typed in the wrong field.
			e.ActorID, e.Actor, e.ActorAgency = u.ID, u.Email, u.Agency
		}
		_ = a.Audit.Audit(r.Context(), e)
		return badCredentials
	}
	a.Throttle.Success(account, addr, device, now)
	done := !domain.NeedsSecondFactor(u.Roles)
	view, err := a.startSession(w, r, u, done)
	if err != nil {
		return err
	}
	if done {
		a.setDeviceCookie(w, u.ID)
	}
	a.auditSignIn(r.Context(), u, addr, map[string]any{"second_factor": view.SecondFactor})
	writeJSON(w, http.StatusOK, view)
	return nil
}

// startSession mints a new session token: a token the client held before
// is never reused, so a planted (fixated) session cannot be upgraded.
func (a *api) startSession(w http.ResponseWriter, r *http.Request, u *domain.User, secondFactor bool) (*sessionView, error) {
	tok, hash, err := auth.NewToken("vgs_")
	if err != nil {
		return nil, domain.Wrap(domain.KindInternal, err, "drawing a session token")
	}
	now := a.Now()
	s := &domain.Session{TokenHash: hash, UserID: u.ID, SecondFactor: secondFactor, CreatedAt: now, LastSeen: now,
		ExpiresAt: now.Add(domain.SessionAbsoluteTimeout), Addr: a.clientAddr(r)}
	if err := a.Users.CreateSession(r.Context(), s); err != nil {
		return nil, err
	}
	a.setSessionCookie(w, tok, s.ExpiresAt)
	return &sessionView{User: u, SecondFactor: secondFactorState(u, secondFactor), CSRFToken: csrfToken(tok), ExpiresAt: s.ExpiresAt}, nil
}

func secondFactorState(u *domain.User, done bool) string {
	switch {
	case done:
		return "done"
	case u.TOTPEnabled:
		return "required"
	}
	return "enrol"
}

func (a *api) auditSignIn(ctx context.Context, u *domain.User, addr string, detail map[string]any) {
	e := domain.NewAuditEntry(ctx, domain.AuditSignIn)
	e.ActorID, e.Actor, e.ActorAgency, e.Addr, e.Detail = u.ID, u.Email, u.Agency, addr, detail
	_ = a.Audit.Audit(ctx, e)
}

func (a *api) session(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	v := sessionView{User: c.user, SecondFactor: "done"}
	if c.session != nil {
		v.SecondFactor = secondFactorState(c.user, !c.pending)
		v.CSRFToken, v.ExpiresAt = csrfToken(c.rawSession), c.session.ExpiresAt
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

type secondFactorRequest struct {
	Code         string `json:"code"`
	RecoveryCode string `json:"recovery_code"`
}

// secondFactor checks a TOTP or recovery code and upgrades the session
// under a new token.
func (a *api) secondFactor(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	if c.session == nil || !c.pending {
		return domain.Errorf(domain.KindConflict, "this session needs no second factor")
	}
	if !c.user.TOTPEnabled {
		return domain.Errorf(domain.KindConflict, "set up your authenticator first: POST /api/v1/auth/totp/enrol")
	}
	var req secondFactorRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	now, addr := a.Now(), a.clientAddr(r)
	account := c.user.Email
	// The device cookie counts here as it does for the password: on the
	// owner's own browser only its own failures slow the owner, never a
	// stranger's guesses at the account.
	device := a.deviceFor(r, account)
	if wait := a.Throttle.Wait(account, addr, device, now); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait/time.Second))))
		return domain.Errorf(domain.KindTooMany, "trop de tentatives / too many attempts: retry in %d s", int(wait/time.Second))
	}
	cred, err := a.Users.Credentials(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	ok := false
	via := "totp"
	left := len(cred.RecoveryCodes)
	// The code is consumed by a conditional update, so that the same code
	// sent twice at once signs in only once.
	switch {
	case req.RecoveryCode != "":
		via = "recovery_code"
		h := auth.HashRecoveryCode(req.RecoveryCode)
		for _, x := range cred.RecoveryCodes {
			if hmac.Equal([]byte(x), []byte(h)) {
				n, err := a.Users.UseRecoveryCode(r.Context(), c.user.ID, x)
				if err != nil && domain.KindOf(err) != domain.KindConflict {
					return err
				}
				ok, left = err == nil, n
				break
			}
		}
	default:
		step, valid := auth.CheckTOTP(cred.TOTPSecret, req.Code, now, cred.TOTPLastStep)
		if valid {
			err := a.Users.UseTOTPStep(r.Context(), c.user.ID, step)
			if err != nil && domain.KindOf(err) != domain.KindConflict {
				return err
			}
			ok = err == nil
		}
	}
	if !ok {
		a.Throttle.Failure(account, addr, device, now)
		e := domain.NewAuditEntry(r.Context(), domain.AuditSignInFailed)
		e.Outcome, e.Detail = "failed", map[string]any{"second_factor": via}
		_ = a.Audit.Audit(r.Context(), e)
		return domain.Errorf(domain.KindUnauthorized, "code incorrect ou déjà utilisé / wrong or already used code")
	}
	a.Throttle.Success(account, addr, device, now)
	detail := map[string]any{"second_factor": via}
	if via == "recovery_code" {
		detail["recovery_codes_left"] = left
	}
	return a.upgradeSession(w, r, c, detail, nil)
}

// upgradeSession ends the pending session and starts a full one under a
// new token.
func (a *api) upgradeSession(w http.ResponseWriter, r *http.Request, c *caller, detail map[string]any, extra func(*sessionView) any) error {
	if err := a.Users.DeleteSession(r.Context(), c.session.TokenHash); err != nil {
		return err
	}
	u, err := a.Users.User(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	view, err := a.startSession(w, r, u, true)
	if err != nil {
		return err
	}
	a.setDeviceCookie(w, u.ID)
	a.auditSignIn(r.Context(), u, a.clientAddr(r), detail)
	if extra != nil {
		writeJSON(w, http.StatusOK, extra(view))
		return nil
	}
	writeJSON(w, http.StatusOK, view)
	return nil
}

// totpEnrol offers a new TOTP secret; it takes effect once confirmed.
func (a *api) totpEnrol(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	if c.user.TOTPEnabled {
		return domain.Errorf(domain.KindConflict, "an authenticator is already set up for this account; an admin can reset it")
	}
	secret, url, err := auth.NewTOTP("Vigie", c.user.Email)
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "creating a TOTP secret")
	}
	cred, err := a.Users.Credentials(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	cred.TOTPPending = secret
	if err := a.Users.SetCredentials(r.Context(), cred); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"secret": secret, "otpauth_url": url})
	return nil
}

// totpConfirm turns the offered secret on when the user proves their
// authenticator produces its codes, and hands out recovery codes.
func (a *api) totpConfirm(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	var req secondFactorRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	cred, err := a.Users.Credentials(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	if c.user.TOTPEnabled || cred.TOTPPending == "" {
		return domain.Errorf(domain.KindConflict, "start with POST /api/v1/auth/totp/enrol")
	}
	step, ok := auth.CheckTOTP(cred.TOTPPending, req.Code, a.Now(), 0)
	if !ok {
		return fieldError("code", "validation.totp", "code incorrect : vérifiez l'heure du téléphone / wrong code: check the phone's clock")
	}
	plain, hashes, err := auth.NewRecoveryCodes()
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "drawing recovery codes")
	}
	cred.TOTPSecret, cred.TOTPPending, cred.TOTPLastStep, cred.RecoveryCodes = cred.TOTPPending, "", step, hashes
	if err := a.Users.SetCredentials(r.Context(), cred); err != nil {
		return err
	}
	if c.session == nil {
		writeJSON(w, http.StatusOK, map[string]any{"recovery_codes": plain})
		return nil
	}
	return a.upgradeSession(w, r, c, map[string]any{"second_factor": "totp_enrolled"}, func(v *sessionView) any {
		return map[string]any{"session": v, "recovery_codes": plain}
	})
}

func (a *api) signOut(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	if c.session != nil {
		if err := a.Users.DeleteSession(r.Context(), c.session.TokenHash); err != nil {
			return err
		}
	}
	a.clearSessionCookie(w)
	e := domain.NewAuditEntry(r.Context(), domain.AuditSignOut)
	_ = a.Audit.Audit(r.Context(), e)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *api) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	n, err := a.Users.DeleteSessions(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	a.clearSessionCookie(w)
	e := domain.NewAuditEntry(r.Context(), domain.AuditSignOut)
	e.Detail = map[string]any{"everywhere": true, "sessions": n}
	_ = a.Audit.Audit(r.Context(), e)
	writeJSON(w, http.StatusOK, map[string]int{"sessions_ended": n})
	return nil
}

type passwordChange struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

// changePassword needs the current password, and ends every other
// session.
func (a *api) changePassword(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	var req passwordChange
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	// A stolen session must not become a password oracle: wrong current
	// passwords count as failed sign-ins.
	now, addr := a.Now(), a.clientAddr(r)
	device := a.deviceFor(r, c.user.Email)
	if wait := a.Throttle.Wait(c.user.Email, addr, device, now); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait/time.Second))))
		return domain.Errorf(domain.KindTooMany, "trop de tentatives / too many attempts: retry in %d s", int(wait/time.Second))
	}
	cred, err := a.Users.Credentials(r.Context(), c.user.ID)
	if err != nil {
		return err
	}
	if ok, _, _ := auth.VerifyPassword(cred.PasswordHash, req.Current); !ok {
		a.Throttle.Failure(c.user.Email, addr, device, now)
		return fieldError("current_password", "validation.password_wrong", "mot de passe actuel incorrect / the current password is wrong")
	}
	if err := auth.CheckPassword(req.New, c.user.Email, c.user.Name); err != nil {
		return err
	}
	h, err := auth.HashPassword(req.New, auth.DefaultParams)
	if err != nil {
		return domain.Wrap(domain.KindInternal, err, "hashing the password")
	}
	cred.PasswordHash = h
	if err := a.Users.SetCredentials(r.Context(), cred); err != nil {
		return err
	}
	if _, err := a.Users.DeleteSessions(r.Context(), c.user.ID); err != nil {
		return err
	}
	e := domain.NewAuditEntry(r.Context(), domain.AuditPermission)
	e.Resource, e.RecordID, e.Detail = string(domain.ResUser), c.user.ID, map[string]any{"changed": "password"}
	_ = a.Audit.Audit(r.Context(), e)
	if c.session != nil {
		_, err = a.startSession(w, r, c.user, true)
		if err != nil {
			return err
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Device cookies (OWASP): a browser that signed in to an account gets a
// keyed cookie naming that account; its attempts are throttled apart from
// a stranger's, so an attacker cannot lock the real user out.
func (a *api) deviceFor(r *http.Request, account string) string {
	ck, err := r.Cookie(a.cookieName(deviceCookie))
	if err != nil {
		return ""
	}
	id, mac, ok := strings.Cut(ck.Value, ".")
	if !ok || a.MAC == nil {
		return ""
	}
	want := base64.RawURLEncoding.EncodeToString(a.MAC("device-cookie", id))
	if !hmac.Equal([]byte(mac), []byte(want)) {
		return ""
	}
	u, err := a.Users.User(r.Context(), account)
	if err != nil || u.ID != id {
		return ""
	}
	return "device:" + id + ":" + mac[:8]
}

func (a *api) setDeviceCookie(w http.ResponseWriter, userID string) {
	if a.MAC == nil {
		return
	}
	v := userID + "." + base64.RawURLEncoding.EncodeToString(a.MAC("device-cookie", userID))
	http.SetCookie(w, &http.Cookie{Name: a.cookieName(deviceCookie), Value: v, Path: "/", HttpOnly: true,
		Secure: a.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: 180 * 24 * 3600})
}
