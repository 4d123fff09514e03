// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/httpapi"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// Attack-class tests of signing in: the whole browser flow, session
// fixation, password and code guessing, stolen and forged tokens, session
// time-outs. Helpers are in attackenv_test.go.

// TestAttackSignInFlow walks a caseworker through a browser's life: the
// password, TOTP enrolment, CSRF-protected changes, sign-out, and the
// second factor with codes that must not work twice.
func TestAttackSignInFlow(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		const email = "amani.kabongo@kin.example"
		// Created through the API: the password is hashed as in production.
		do(t, e.srv, "POST", "/api/v1/users", `{"email":"`+email+`","name":"Amani Kabongo","agency":"KIN","roles":["caseworker"],"password":"`+testPassword+`"}`, nil, 201)
		b := e.browser("198.51.100.7")

		// The password opens a pending session only.
		r, s := b.signIn(t, email, testPassword, http.StatusOK)
		if s.SecondFactor != "enrol" || s.CSRFToken == "" || s.User.Email != email {
			t.Fatalf("sign-in answered %s", r.body)
		}
		ck := r.cookie("vigie_session")
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.Domain != "" || !strings.HasPrefix(ck.Value, auth.SessionTokenPrefix) {
			t.Fatalf("session cookie %+v", ck)
		}
		if r.cookie("vigie_device") != nil {
			t.Error("the password alone earned a trusted-device cookie")
		}
		pending, pendingCSRF := ck.Value, s.CSRFToken
		b.want(t, "GET", "/api/v1/cases", "", http.StatusUnauthorized)
		b.want(t, "POST", "/api/v1/tokens", `{"name":"cli"}`, http.StatusUnauthorized)
		var sv atkSession
		b.want(t, "GET", "/api/v1/auth/session", "", http.StatusOK).decode(t, &sv)
		if sv.SecondFactor != "enrol" || sv.CSRFToken != pendingCSRF {
			t.Fatalf("pending session: %+v", sv)
		}

		// Enrolment, already under the CSRF check.
		b.send(t, "POST", "/api/v1/auth/totp/enrol", "", map[string]string{"X-CSRF-Token": ""}).expect(t, "enrol without CSRF token", http.StatusForbidden)
		var en struct {
			Secret string `json:"secret"`
			URL    string `json:"otpauth_url"`
		}
		b.want(t, "POST", "/api/v1/auth/totp/enrol", "", http.StatusOK).decode(t, &en)
		if en.Secret == "" || !strings.HasPrefix(en.URL, "otpauth://totp/") {
			t.Fatalf("enrolment: %+v", en)
		}
		good := e.code(t, en.Secret)
		b.want(t, "POST", "/api/v1/auth/totp/confirm", `{"code":"`+e.wrongCodes(t, en.Secret, 1)[0]+`"}`, http.StatusUnprocessableEntity)
		r = b.want(t, "POST", "/api/v1/auth/totp/confirm", `{"code":"`+good+`"}`, http.StatusOK)
		var conf struct {
			Session       atkSession `json:"session"`
			RecoveryCodes []string   `json:"recovery_codes"`
		}
		r.decode(t, &conf)
		if len(conf.RecoveryCodes) != 10 || len(slices.Compact(slices.Sorted(slices.Values(conf.RecoveryCodes)))) != 10 {
			t.Fatalf("recovery codes %q", conf.RecoveryCodes)
		}
		if conf.Session.SecondFactor != "done" || conf.Session.CSRFToken == "" || conf.Session.CSRFToken == pendingCSRF {
			t.Fatalf("session after enrolment: %+v", conf.Session)
		}
		ck = r.cookie("vigie_session")
		if ck == nil || ck.Value == pending || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" {
			t.Fatalf("the session was not rotated: %+v", ck)
		}
		full := ck.Value
		if b.cookie("vigie_session") != full {
			t.Fatal("the browser did not keep the new session cookie")
		}
		if dc := r.cookie("vigie_device"); dc == nil || !dc.HttpOnly || dc.SameSite != http.SameSiteStrictMode {
			t.Errorf("device cookie after the second factor: %+v", dc)
		}
		e.raw(t, "GET", "/api/v1/auth/session", "", map[string]string{"Cookie": "vigie_session=" + pending}).expect(t, "the pending token after the upgrade", http.StatusUnauthorized)
		b.csrf = conf.Session.CSRFToken

		// Signed in: reads need the cookie, changes the CSRF token of this
		// very session.
		b.want(t, "GET", "/api/v1/auth/session", "", http.StatusOK).decode(t, &sv)
		if sv.SecondFactor != "done" || sv.CSRFToken != conf.Session.CSRFToken {
			t.Fatalf("session: %+v", sv)
		}
		b.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
		for name, tok := range map[string]string{"none": "", "the pending session's": pendingCSRF, "a made-up": atkFlipFirst(sv.CSRFToken)} {
			b.send(t, "POST", "/api/v1/cases", validCase, map[string]string{"X-CSRF-Token": tok}).expect(t, "POST with "+name+" CSRF token", http.StatusForbidden)
		}
		b.want(t, "POST", "/api/v1/cases", validCase, http.StatusCreated)

		// Sign-out is a change too, and it ends the session for good.
		b.send(t, "POST", "/api/v1/auth/sign-out", "", map[string]string{"X-CSRF-Token": ""}).expect(t, "sign-out without CSRF token", http.StatusForbidden)
		r = b.want(t, "POST", "/api/v1/auth/sign-out", "", http.StatusNoContent)
		if ck = r.cookie("vigie_session"); ck == nil || ck.Value != "" || ck.MaxAge >= 0 {
			t.Errorf("sign-out did not clear the cookie: %+v", ck)
		}
		if b.cookie("vigie_session") != "" {
			t.Error("the browser still holds the session cookie")
		}
		b.want(t, "GET", "/api/v1/cases", "", http.StatusUnauthorized)
		e.raw(t, "GET", "/api/v1/cases", "", map[string]string{"Cookie": "vigie_session=" + full}).expect(t, "the signed-out token", http.StatusUnauthorized)

		// Next time the code is required, and the authenticator cannot be
		// replaced by whoever knows the password.
		if _, s = b.signIn(t, email, testPassword, http.StatusOK); s.SecondFactor != "required" {
			t.Fatalf("second sign-in: %+v", s)
		}
		b.want(t, "POST", "/api/v1/auth/totp/enrol", "", http.StatusConflict)
		code := e.code(t, en.Secret)
		b.secondFactor(t, `{"code":"`+e.wrongCodes(t, en.Secret, 1)[0]+`"}`, http.StatusUnauthorized)
		b.want(t, "GET", "/api/v1/cases", "", http.StatusUnauthorized)
		b.secondFactor(t, `{"code":"`+code+`"}`, http.StatusOK)
		b.want(t, "GET", "/api/v1/cases", "", http.StatusOK)

		// The same code again, within its 30 s, on a new pending session.
		b.signIn(t, email, testPassword, http.StatusOK)
		b.secondFactor(t, `{"code":"`+code+`"}`, http.StatusUnauthorized)
		b.want(t, "GET", "/api/v1/cases", "", http.StatusUnauthorized)

		// A recovery code works once.
		b.secondFactor(t, `{"recovery_code":"`+conf.RecoveryCodes[0]+`"}`, http.StatusOK)
		b.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
		b.signIn(t, email, testPassword, http.StatusOK)
		b.secondFactor(t, `{"recovery_code":"`+conf.RecoveryCodes[0]+`"}`, http.StatusUnauthorized)
		b.secondFactor(t, `{"recovery_code":"`+strings.ToUpper(conf.RecoveryCodes[1])+`"}`, http.StatusOK)
		b.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
	})
}

// TestAttackSessionFixation plants a session cookie in the browser before
// its user signs in: sign-in must mint a new token, and the planted value
// must never open anything; with Secure cookies, a cookie tossed under the
// unprefixed name is ignored.
func TestAttackSessionFixation(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		e.user(t, "coordination@kin.example", "KIN", domain.RoleCoordinator)
		e.user(t, "travailleuse@kin.example", "KIN", domain.RoleCaseworker)
		for _, tt := range []struct{ name, email, planted string }{
			{"PasswordOnly", "coordination@kin.example", auth.SessionTokenPrefix + strings.Repeat("A", 43)},
			{"WithSecondFactor", "travailleuse@kin.example", auth.SessionTokenPrefix + strings.Repeat("B", 43)},
			{"Garbage", "coordination@kin.example", "x"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				b := e.browser("198.51.100.20")
				b.plant("vigie_session", tt.planted)
				b.want(t, "GET", "/api/v1/auth/session", "", http.StatusUnauthorized)
				_, s := b.signIn(t, tt.email, testPassword, http.StatusOK)
				seen := []string{b.cookie("vigie_session")}
				if s.SecondFactor == "enrol" {
					b.enrol(t)
					seen = append(seen, b.cookie("vigie_session"))
				}
				b.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
				for _, tok := range seen {
					if tok == "" || tok == tt.planted {
						t.Errorf("session token after sign-in %q (planted %q)", tok, tt.planted)
					}
				}
				e.raw(t, "GET", "/api/v1/cases", "", map[string]string{"Cookie": "vigie_session=" + tt.planted}).expect(t, "the planted cookie", http.StatusUnauthorized)
				if _, err := db.Session(context.Background(), auth.HashToken(tt.planted)); err == nil {
					t.Error("the planted token is a stored session")
				}
			})
		}

		// With Secure cookies the session cookie is __Host-vigie_session,
		// which a sibling subdomain cannot set (cookie tossing); the plain
		// name is then ignored, so a tossed cookie opens nothing.
		t.Run("HostPrefix", func(t *testing.T) {
			srv := httptest.NewServer(httpapi.New(e.services(func(s *httpapi.Services) { s.SecureCookies = true })))
			defer srv.Close()
			send := func(method, path, body string, h map[string]string) atkResp {
				return atkSend(t, http.DefaultClient, method, srv.URL+path, body, h)
			}
			r := send("POST", "/api/v1/auth/sign-in", atkCredentials("coordination@kin.example", testPassword), nil).expect(t, "sign-in", http.StatusOK)
			ck := r.cookie("__Host-vigie_session")
			if ck == nil || !ck.Secure || !ck.HttpOnly || ck.Path != "/" || ck.Domain != "" || ck.SameSite != http.SameSiteStrictMode {
				t.Fatalf("session cookie %+v (all: %v)", ck, r.cookies)
			}
			if dc := r.cookie("__Host-vigie_device"); dc == nil || !dc.Secure {
				t.Errorf("device cookie %+v", dc)
			}
			send("GET", "/api/v1/cases", "", map[string]string{"Cookie": "__Host-vigie_session=" + ck.Value}).expect(t, "the __Host- cookie", http.StatusOK)
			send("GET", "/api/v1/cases", "", map[string]string{"Cookie": "vigie_session=" + ck.Value}).expect(t, "the token under the plain name", http.StatusUnauthorized)
		})
	})
}

// TestAttackPasswordGuessing: a stranger guessing one account's password
// is slowed down, learns nothing from the answers, and cannot lock the
// account's owner out.
func TestAttackPasswordGuessing(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		const email = "nsimba.lukeba@kin.example"
		u := e.user(t, email, "KIN", domain.RoleCaseworker)
		guess := func(i int) string { return fmt.Sprintf("devinette-numero-%02d", i) }
		for i := range 31 {
			e.secrets = append(e.secrets, guess(i))
		}

		// The owner's browser signed in before: it holds a device cookie.
		own := e.browser("198.51.100.7")
		own.signIn(t, email, testPassword, http.StatusOK)
		secret, _ := own.enrol(t)
		if own.cookie("vigie_device") == "" {
			t.Fatal("no device cookie after a full sign-in")
		}
		own.want(t, "POST", "/api/v1/auth/sign-out", "", http.StatusNoContent)
		e.cheapen(t, u)

		// 30 wrong passwords from one address, each sent as soon as the
		// throttle allows.
		stranger := e.browser("203.0.113.66")
		var statuses []int
		for guesses := 0; guesses < 30; {
			if len(statuses) > 300 {
				t.Fatalf("the throttle let %d guesses through in %d tries", guesses, len(statuses))
			}
			r := stranger.send(t, "POST", "/api/v1/auth/sign-in", atkCredentials(email, guess(guesses)), nil)
			statuses = append(statuses, r.status)
			switch r.status {
			case http.StatusUnauthorized:
				r.expect(t, "wrong password", http.StatusUnauthorized)
				guesses++
			case http.StatusTooManyRequests:
				r.expect(t, "throttled guess", http.StatusTooManyRequests)
				e.clock.Advance(atkRetryAfter(t, r))
			default:
				t.Fatalf("guess %d: status %d: %s", guesses, r.status, r.body)
			}
		}
		if want := []int{401, 401, 401, 401, 401, 429}; !slices.Equal(statuses[:6], want) {
			t.Errorf("first answers %v, want %v", statuses[:6], want)
		}

		// Throttled: the right password gets exactly the answer a wrong
		// one gets, so the throttle is no oracle.
		right := stranger.send(t, "POST", "/api/v1/auth/sign-in", atkCredentials(email, testPassword), nil).expect(t, "the right password while throttled", http.StatusTooManyRequests)
		wrong := stranger.send(t, "POST", "/api/v1/auth/sign-in", atkCredentials(email, guess(30)), nil).expect(t, "a wrong password while throttled", http.StatusTooManyRequests)
		if !bytes.Equal(right.body, wrong.body) || right.header.Get("Retry-After") != wrong.header.Get("Retry-After") {
			t.Errorf("throttled answers differ:\nright %s %s\nwrong %s %s", right.header.Get("Retry-After"), right.body, wrong.header.Get("Retry-After"), wrong.body)
		}
		atkRetryAfter(t, right)

		// Without the device cookie the account stays slowed, even from
		// the owner's usual address...
		e.browser("198.51.100.7").signIn(t, email, testPassword, http.StatusTooManyRequests)
		// ...but the owner's own browser gets in, from any address, second
		// factor included.
		own.addr = "192.0.2.10"
		if _, s := own.signIn(t, email, testPassword, http.StatusOK); s.SecondFactor != "required" {
			t.Fatalf("owner's sign-in: %+v", s)
		}
		own.secondFactor(t, `{"code":"`+e.code(t, secret)+`"}`, http.StatusOK)
		own.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
	})
}

// TestAttackCodeGuessing: whoever has the password but not the phone is
// slowed down guessing TOTP codes; the right code does not get through a
// throttled attempt.
func TestAttackCodeGuessing(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		const email = "mbombo@kin.example"
		e.user(t, email, "KIN", domain.RoleCaseworker)
		own := e.browser("198.51.100.7")
		own.signIn(t, email, testPassword, http.StatusOK)
		secret, _ := own.enrol(t)

		thief := e.browser("203.0.113.9")
		thief.signIn(t, email, testPassword, http.StatusOK)
		code := e.code(t, secret)
		for _, c := range e.wrongCodes(t, secret, 5) {
			thief.secondFactor(t, `{"code":"`+c+`"}`, http.StatusUnauthorized)
		}
		r := thief.send(t, "POST", "/api/v1/auth/second-factor", `{"code":"`+code+`"}`, nil).expect(t, "the right code while throttled", http.StatusTooManyRequests)
		atkRetryAfter(t, r)
		thief.want(t, "GET", "/api/v1/cases", "", http.StatusUnauthorized)
		// Recovery codes are guesses too.
		thief.send(t, "POST", "/api/v1/auth/second-factor", `{"recovery_code":"abcd-efgh-jkmn"}`, nil).expect(t, "a recovery code while throttled", http.StatusTooManyRequests)
		// The thief goes on guessing whenever the throttle allows, until
		// each guess waits a minute.
		for guesses, tries := 0, 0; guesses < 10; tries++ {
			if tries > 100 {
				t.Fatal("the throttle never let a guess through")
			}
			r := thief.send(t, "POST", "/api/v1/auth/second-factor", `{"code":"`+e.wrongCodes(t, secret, 1)[0]+`"}`, nil)
			switch r.status {
			case http.StatusUnauthorized:
				guesses++
			case http.StatusTooManyRequests:
				e.clock.Advance(atkRetryAfter(t, r))
			default:
				t.Fatalf("guess: status %d: %s", r.status, r.body)
			}
		}

		// The owner's browser is not locked out by the thief's guesses...
		own.want(t, "POST", "/api/v1/auth/sign-out", "", http.StatusNoContent)
		own.signIn(t, email, testPassword, http.StatusOK)
		own.secondFactor(t, `{"code":"`+e.code(t, secret)+`"}`, http.StatusOK)
		// ...and its device cookie is no way around the throttle either.
		own.want(t, "POST", "/api/v1/auth/sign-out", "", http.StatusNoContent)
		own.signIn(t, email, testPassword, http.StatusOK)
		code = e.code(t, secret)
		for _, c := range e.wrongCodes(t, secret, 5) {
			own.secondFactor(t, `{"code":"`+c+`"}`, http.StatusUnauthorized)
		}
		own.send(t, "POST", "/api/v1/auth/second-factor", `{"code":"`+code+`"}`, nil).expect(t, "the owner's right code after five wrong ones", http.StatusTooManyRequests)
	})
}

// TestAttackAccountEnumeration: an unknown account, a wrong password and a
// disabled account get the same answers, before and after the throttle;
// only an e-mail address signs in (not a user ID, which would be a second
// throttle counter for the same account); and X-Forwarded-For cannot be
// forged to spread guesses over many addresses.
func TestAttackAccountEnumeration(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		ctx := context.Background()
		known := e.user(t, "kasongo@kin.example", "KIN", domain.RoleCoordinator)
		off := e.user(t, "ancien@kin.example", "KIN", domain.RoleCoordinator)
		off.Disabled = true
		if err := db.UpdateUser(ctx, off); err != nil {
			t.Fatal(err)
		}
		const wrongPassword = "pas-le-bon-mot-de-passe"
		e.secrets = append(e.secrets, wrongPassword)
		var bodies [][][]byte // per kind: the six answers
		for i, tt := range []struct{ name, email, password string }{
			{"WrongPassword", "kasongo@kin.example", wrongPassword},
			{"UnknownAccount", "personne@kin.example", wrongPassword},
			{"DisabledAccount", "ancien@kin.example", testPassword},
			{"UserID", known.ID, testPassword},
		} {
			b := e.browser(fmt.Sprintf("192.0.2.%d", 100+i))
			var got [][]byte
			for n := range 6 {
				want := http.StatusUnauthorized
				if n == 5 {
					want = http.StatusTooManyRequests
				}
				r, _ := b.signIn(t, tt.email, tt.password, want)
				got = append(got, r.body)
			}
			bodies = append(bodies, got)
		}
		for i := 1; i < len(bodies); i++ {
			for n := range bodies[i] {
				if !bytes.Equal(bodies[0][n], bodies[i][n]) {
					t.Errorf("answer %d differs between kinds 0 and %d:\n%s\n%s", n, i, bodies[0][n], bodies[i][n])
				}
			}
		}
		// The known account itself still signs in with its e-mail, from a
		// fresh browser once its counter has decayed.
		e.clock.Advance(16 * time.Minute)
		e.browser("192.0.2.200").signIn(t, "KASONGO@kin.example ", testPassword, http.StatusOK)

		// The client address is the proxy's last hop, and only when a
		// proxy is trusted: a client cannot escape the per-address
		// throttle by writing its own X-Forwarded-For.
		t.Run("ForwardedFor", func(t *testing.T) {
			const wrongPassword = "toujours-pas-le-bon"
			e.secrets = append(e.secrets, wrongPassword)
			var accounts []string
			for i := range 11 {
				accounts = append(accounts, fmt.Sprintf("agent%02d@kin.example", i))
				e.user(t, accounts[i], "KIN", domain.RoleCoordinator)
			}
			for _, tt := range []struct {
				name     string
				trust    bool
				xff      func(i int) string
				eleventh int
			}{
				{"NoProxyForged", false, func(i int) string { return fmt.Sprintf("203.0.113.%d", i) }, http.StatusTooManyRequests},
				{"ProxyForgedFirstHops", true, func(i int) string { return fmt.Sprintf("203.0.113.%d, 198.51.100.99", i) }, http.StatusTooManyRequests},
				// Control: eleven real clients behind the proxy are eleven addresses.
				{"ProxyRealClients", true, func(i int) string { return fmt.Sprintf("203.0.113.%d", i) }, http.StatusUnauthorized},
			} {
				t.Run(tt.name, func(t *testing.T) {
					srv := httptest.NewServer(httpapi.New(e.services(func(s *httpapi.Services) { s.TrustProxy = tt.trust })))
					defer srv.Close()
					for i, account := range accounts {
						want := http.StatusUnauthorized
						if i == 10 {
							want = tt.eleventh
						}
						atkSend(t, http.DefaultClient, "POST", srv.URL+"/api/v1/auth/sign-in", atkCredentials(account, wrongPassword),
							map[string]string{"X-Forwarded-For": tt.xff(i)}).expect(t, fmt.Sprintf("attempt %d", i+1), want)
					}
				})
			}
		})
	})
}

// TestAttackTokens: expired, revoked, disabled, forged and malformed
// bearer tokens open nothing; tokens cannot mint tokens; signing out
// everywhere ends every session.
func TestAttackTokens(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		ctx := context.Background()
		now := e.clock.Now()
		u := e.user(t, "coordination@kin.example", "KIN", domain.RoleCoordinator)
		valid := e.token(t, u, now.Add(time.Hour))
		expired := e.token(t, u, now.Add(-time.Second))
		expiresNow := e.token(t, u, now)
		rtok, rhash, err := auth.NewToken(auth.APITokenPrefix)
		if err != nil {
			t.Fatal(err)
		}
		rinfo := &domain.APIToken{UserID: u.ID, Name: "revoked", ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateToken(ctx, rinfo, rhash); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeToken(ctx, u.ID, rinfo.ID); err != nil {
			t.Fatal(err)
		}
		gone := e.user(t, "parti@kin.example", "KIN", domain.RoleCoordinator)
		goneTok := e.token(t, gone, now.Add(time.Hour))
		gone.Disabled = true
		if err := db.UpdateUser(ctx, gone); err != nil {
			t.Fatal(err)
		}
		b := e.browser("198.51.100.50")
		b.signIn(t, "coordination@kin.example", testPassword, http.StatusOK)
		session := b.cookie("vigie_session")

		for _, tt := range []struct {
			name, header string
			want         int
		}{
			{"Valid", "Bearer " + valid, http.StatusOK},
			{"Expired", "Bearer " + expired, http.StatusUnauthorized},
			{"ExpiresNow", "Bearer " + expiresNow, http.StatusUnauthorized},
			{"Revoked", "Bearer " + rtok, http.StatusUnauthorized},
			{"DisabledUser", "Bearer " + goneTok, http.StatusUnauthorized},
			{"Basic", "Basic x", http.StatusUnauthorized},
			{"BasicWithToken", "Basic " + base64.StdEncoding.EncodeToString([]byte(u.Email+":"+valid)), http.StatusUnauthorized},
			{"EmptyBearer", "Bearer ", http.StatusUnauthorized},
			{"SchemeOnly", "Bearer", http.StatusUnauthorized},
			{"Huge", "Bearer vgt_" + strings.Repeat("A", 10<<10), http.StatusUnauthorized},
			{"Truncated", "Bearer " + valid[:len(valid)-1], http.StatusUnauthorized},
			{"SessionTokenAsBearer", "Bearer " + session, http.StatusUnauthorized},
		} {
			t.Run(tt.name, func(t *testing.T) {
				e.raw(t, "GET", "/api/v1/cases", "", map[string]string{"Authorization": tt.header}).expect(t, tt.name, tt.want)
			})
		}
		// A token is no session cookie either.
		e.raw(t, "GET", "/api/v1/cases", "", map[string]string{"Cookie": "vigie_session=" + valid}).expect(t, "a token as the session cookie", http.StatusUnauthorized)

		// Tokens cannot mint tokens (a leaked token must not outlive its
		// expiry); a signed-in session can.
		e.raw(t, "POST", "/api/v1/tokens", `{"name":"relais"}`, map[string]string{"Authorization": "Bearer " + valid}).expect(t, "a token minting a token", http.StatusForbidden)
		var minted struct {
			Token string `json:"token"`
		}
		b.want(t, "POST", "/api/v1/tokens", `{"name":"script","expires_in_days":1}`, http.StatusCreated).decode(t, &minted)
		e.raw(t, "GET", "/api/v1/cases", "", map[string]string{"Authorization": "Bearer " + minted.Token}).expect(t, "the minted token", http.StatusOK)

		// Sign-out everywhere ends both browsers' sessions, not another
		// user's.
		e.user(t, "superviseure@kin.example", "KIN", domain.RoleCoordinator)
		other := e.browser("198.51.100.52")
		other.signIn(t, "superviseure@kin.example", testPassword, http.StatusOK)
		b2 := e.browser("198.51.100.51")
		b2.signIn(t, "coordination@kin.example", testPassword, http.StatusOK)
		var ended struct {
			N int `json:"sessions_ended"`
		}
		b.want(t, "POST", "/api/v1/auth/sign-out-everywhere", "", http.StatusOK).decode(t, &ended)
		if ended.N != 2 {
			t.Errorf("sessions ended: %d, want 2", ended.N)
		}
		b.want(t, "GET", "/api/v1/cases", "", http.StatusUnauthorized)
		b2.want(t, "GET", "/api/v1/cases", "", http.StatusUnauthorized)
		e.raw(t, "GET", "/api/v1/cases", "", map[string]string{"Cookie": "vigie_session=" + session}).expect(t, "an ended session", http.StatusUnauthorized)
		other.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
	})
}

// TestAttackSessionTimeouts: a session left alone 30 minutes is ended and
// forgotten; no session outlives 12 hours, however busy.
func TestAttackSessionTimeouts(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		ctx := context.Background()
		e.user(t, "coordination@kin.example", "KIN", domain.RoleCoordinator)

		idle, busy := e.browser("198.51.100.60"), e.browser("198.51.100.61")
		idle.signIn(t, "coordination@kin.example", testPassword, http.StatusOK)
		busy.signIn(t, "coordination@kin.example", testPassword, http.StatusOK)
		idleToken := idle.cookie("vigie_session")
		e.clock.Advance(20 * time.Minute)
		busy.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
		e.clock.Advance(10*time.Minute + time.Second)
		idle.want(t, "GET", "/api/v1/cases", "", http.StatusUnauthorized)
		busy.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
		if _, err := db.Session(ctx, auth.HashToken(idleToken)); err == nil {
			t.Error("the idle session is still stored")
		}

		abs := e.browser("198.51.100.62")
		start := e.clock.Now()
		_, s := abs.signIn(t, "coordination@kin.example", testPassword, http.StatusOK)
		if !s.ExpiresAt.Equal(start.Add(12 * time.Hour)) {
			t.Errorf("session expires at %v, want %v", s.ExpiresAt, start.Add(12*time.Hour))
		}
		absToken := abs.cookie("vigie_session")
		for e.clock.Now().Add(25 * time.Minute).Before(start.Add(12 * time.Hour)) {
			e.clock.Advance(25 * time.Minute)
			abs.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
		}
		e.clock.Advance(start.Add(12*time.Hour - time.Second).Sub(e.clock.Now()))
		abs.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
		e.clock.Advance(time.Second)
		abs.want(t, "GET", "/api/v1/cases", "", http.StatusUnauthorized)
		if _, err := db.Session(ctx, auth.HashToken(absToken)); err == nil {
			t.Error("the expired session is still stored")
		}
		abs.signIn(t, "coordination@kin.example", testPassword, http.StatusOK)
		abs.want(t, "GET", "/api/v1/cases", "", http.StatusOK)
	})
}
