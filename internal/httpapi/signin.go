// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
)

// The sign-in rules themselves are in auth.Gate, shared with the web
// pages; these handlers only carry them over HTTP: JSON in, cookies and
// JSON out.

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

func (a *api) client(r *http.Request) auth.Client {
	return auth.ClientOf(r, a.TrustProxy, a.SecureCookies)
}

// gateError sets Retry-After on a throttled attempt.
func gateError(w http.ResponseWriter, err error) error {
	var t *auth.Throttled
	if errors.As(err, &t) {
		w.Header().Set("Retry-After", strconv.Itoa(int(t.After/time.Second)))
	}
	return err
}

// started sets the cookies of a new session and returns its view.
func (a *api) started(w http.ResponseWriter, st *auth.Started) *sessionView {
	a.setSessionCookie(w, st.Token, st.Session.ExpiresAt)
	if st.Device != "" {
		a.setDeviceCookie(w, st.Device)
	}
	return &sessionView{User: st.User, SecondFactor: st.State, CSRFToken: auth.CSRFToken(st.Token), ExpiresAt: st.Session.ExpiresAt}
}

func (a *api) signIn(w http.ResponseWriter, r *http.Request) error {
	var req signInRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	st, err := a.gate.SignIn(r.Context(), req.Email, req.Password, a.client(r))
	if err != nil {
		return gateError(w, err)
	}
	writeJSON(w, http.StatusOK, a.started(w, st))
	return nil
}

func (a *api) session(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	v := sessionView{User: c.user, SecondFactor: "done"}
	if c.session != nil {
		v.SecondFactor = auth.SessionState(c.user, !c.pending)
		v.CSRFToken, v.ExpiresAt = auth.CSRFToken(c.rawSession), c.session.ExpiresAt
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
	st, err := a.gate.SecondFactor(r.Context(), c.session, c.user, req.Code, req.RecoveryCode, a.client(r))
	if err != nil {
		return gateError(w, err)
	}
	writeJSON(w, http.StatusOK, a.started(w, st))
	return nil
}

// totpEnrol offers a new TOTP secret; it takes effect once confirmed.
func (a *api) totpEnrol(w http.ResponseWriter, r *http.Request) error {
	secret, url, err := a.gate.EnrolTOTP(r.Context(), callerFrom(r.Context()).user)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"secret": secret, "otpauth_url": url})
	return nil
}

// totpConfirm turns the offered secret on and hands out recovery codes.
func (a *api) totpConfirm(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	var req secondFactorRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	st, plain, err := a.gate.ConfirmTOTP(r.Context(), c.session, c.user, req.Code, a.client(r))
	if err != nil {
		return err
	}
	if st == nil {
		writeJSON(w, http.StatusOK, map[string]any{"recovery_codes": plain})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"session": a.started(w, st), "recovery_codes": plain})
	return nil
}

func (a *api) signOut(w http.ResponseWriter, r *http.Request) error {
	if err := a.gate.SignOut(r.Context(), callerFrom(r.Context()).session); err != nil {
		return err
	}
	a.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *api) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	n, err := a.gate.SignOutEverywhere(r.Context(), callerFrom(r.Context()).user)
	if err != nil {
		return err
	}
	a.clearSessionCookie(w)
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
	st, err := a.gate.ChangePassword(r.Context(), c.session, c.user, req.Current, req.New, a.client(r))
	if err != nil {
		return gateError(w, err)
	}
	if st != nil {
		a.started(w, st)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *api) setDeviceCookie(w http.ResponseWriter, value string) {
	http.SetCookie(w, &http.Cookie{Name: a.cookieName(deviceCookie), Value: value, Path: "/", HttpOnly: true,
		Secure: a.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: 180 * 24 * 3600})
}
