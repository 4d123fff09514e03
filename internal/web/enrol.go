// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"bytes"
	"image/png"
	"net/http"
	"net/url"

	"github.com/pquerna/otp"

	"vigie/internal/auth"
	"vigie/internal/domain"
)

// Enrolment shows the pending secret that Gate.EnrolTOTP stored, as text
// and as a QR code. The otpauth URL is not kept anywhere: it is rebuilt
// from the pending secret and the e-mail with the parameters auth.NewTOTP
// uses (SHA-1, 6 digits, 30 s, issuer Vigie), so a restart or a second
// server loses nothing and no secret sits in server memory.

type enrolForm struct {
	// Groups is the secret in groups of four characters, easier to type
	// by hand from a phone screen.
	Groups []string
	Error  *formError
}

// pendingSecret returns the secret waiting for confirmation, offering a
// new one (once) when there is none.
func (s *site) pendingSecret(r *http.Request, u *domain.User) (string, error) {
	cred, err := s.Users.Credentials(r.Context(), u.ID)
	if err != nil {
		return "", err
	}
	if cred.TOTPPending != "" {
		return cred.TOTPPending, nil
	}
	secret, _, err := s.Gate.EnrolTOTP(r.Context(), u)
	return secret, err
}

// enrolling is true when the visitor is at the enrolment step; others
// are sent where they belong.
func (s *site) enrolling(w http.ResponseWriter, r *http.Request) bool {
	v := visitorFrom(r)
	if state := auth.SessionState(v.user, !v.pending); state != "enrol" {
		redirect(w, stepPath(state))
		return false
	}
	return true
}

func (s *site) enrolPage(w http.ResponseWriter, r *http.Request) {
	if !s.enrolling(w, r) {
		return
	}
	secret, err := s.pendingSecret(r, visitorFrom(r).user)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "enrol", "signin.enrol.title", enrolForm{Groups: groups(secret)})
}

// enrol confirms the first code; the answer shows the recovery codes,
// once: they are not stored in the clear, so a reload cannot show them.
func (s *site) enrol(w http.ResponseWriter, r *http.Request) {
	if !s.enrolling(w, r) {
		return
	}
	v := visitorFrom(r)
	st, recovery, err := s.Gate.ConfirmTOTP(r.Context(), v.session, v.user, r.PostFormValue("code"), s.client(r))
	if err != nil {
		fe, status, ok := gateFailure(w, err, "signin.error.code")
		if !ok {
			s.fail(w, r, err)
			return
		}
		secret, err := s.pendingSecret(r, v.user)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status, "enrol", "signin.enrol.title", enrolForm{Groups: groups(secret), Error: fe})
		return
	}
	s.started(w, st)
	// The old session has ended: the page's sign-out form must carry the
	// new session's CSRF token.
	next := &visitor{p: v.p, user: st.User, session: st.Session, raw: st.Token}
	s.render(w, with(r, next), http.StatusOK, "recovery", "signin.recovery.title", recovery)
}

func (s *site) enrolQR(w http.ResponseWriter, r *http.Request) {
	if !s.enrolling(w, r) {
		return
	}
	v := visitorFrom(r)
	cred, err := s.Users.Credentials(r.Context(), v.user.ID)
	if err != nil || cred.TOTPPending == "" {
		s.notFoundPage(w, r)
		return
	}
	key, err := otp.NewKeyFromURL(otpauthURL(cred.TOTPPending, v.user.Email))
	if err != nil {
		s.fail(w, r, domain.Wrap(domain.KindInternal, err, "building the otpauth URL"))
		return
	}
	img, err := key.Image(240, 240)
	if err != nil {
		s.fail(w, r, domain.Wrap(domain.KindInternal, err, "drawing the QR code"))
		return
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		s.fail(w, r, domain.Wrap(domain.KindInternal, err, "encoding the QR code"))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	// The image is the secret: never cached.
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

// otpauthURL is the URL auth.NewTOTP gives for this secret and account.
func otpauthURL(secret, account string) string {
	v := url.Values{}
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("issuer", "Vigie")
	v.Set("period", "30")
	v.Set("secret", secret)
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/Vigie:" + account, RawQuery: v.Encode()}
	return u.String()
}

func groups(secret string) []string {
	var out []string
	for len(secret) > 4 {
		out = append(out, secret[:4])
		secret = secret[4:]
	}
	if secret != "" {
		out = append(out, secret)
	}
	return out
}
