// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/httpapi"
	"vigie/internal/sqlstore"
)

// The attack-class tests (signin_test.go, attacks_test.go) drive the API
// the way a browser and an attacker do: cookie jars, forged cookies and
// headers, a clock the test moves. The helpers here are prefixed atk so
// that they do not collide with the other tests of the package.

// atkClock is a clock the test moves; the server, the store and the TOTP
// codes all read it.
type atkClock struct{ ns atomic.Int64 }

func (c *atkClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *atkClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// atkLog is the server's log output, safe for the handlers' goroutines.
type atkLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *atkLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *atkLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// atkEnv is one API server over one database, with agencies KIN and GOM
// and an admin of KIN (tester@kin.example, also caseworker and
// supervisor) whose bearer token do() sends.
type atkEnv struct {
	db    *sqlstore.DB
	srv   *httptest.Server
	clock *atkClock
	log   *atkLog
	// secrets are strings that must never reach the audit log or the
	// server's log (passwords tried in the test).
	secrets []string
}

// newAtkEnv starts the API over db. TrustProxy is on, so that browsers
// can come "from" different addresses through X-Forwarded-For; tweak
// changes the services before the server starts.
//
// The clock starts at the real time, not testNow: the cookie jar judges a
// cookie's Expires by the real clock, and the session cookie expires 12 h
// after the server's now.
func newAtkEnv(t *testing.T, db *sqlstore.DB, tweak ...func(*httpapi.Services)) *atkEnv {
	t.Helper()
	ctx := context.Background()
	e := &atkEnv{db: db, clock: &atkClock{}, log: &atkLog{}, secrets: []string{testPassword}}
	e.clock.ns.Store(time.Now().UTC().Truncate(time.Second).UnixNano())
	db.Now = e.clock.Now
	for code, name := range map[string]string{"KIN": "Division provinciale des affaires sociales, Kinshasa", "GOM": "Division provinciale des affaires sociales, Goma"} {
		if _, err := db.EnsureAgency(ctx, code, name); err != nil {
			t.Fatal(err)
		}
	}
	e.srv = httptest.NewServer(httpapi.New(e.services(tweak...)))
	t.Cleanup(e.srv.Close)
	admin := e.user(t, "tester@kin.example", "KIN", domain.RoleCaseworker, domain.RoleSupervisor, domain.RoleAdmin)
	tokens.Store(e.srv.URL, e.token(t, admin, e.clock.Now().Add(30*24*time.Hour)))
	t.Cleanup(func() { tokens.Delete(e.srv.URL) })
	// Cleanups run last-in first-out: this one runs while the server and
	// the database are still open, after the test's own requests.
	t.Cleanup(func() { e.checkAuditAndLog(t) })
	return e
}

// services are the API's services over the environment's database, clock
// and log, with a throttle of their own; tweak changes them.
func (e *atkEnv) services(tweak ...func(*httpapi.Services)) httpapi.Services {
	s := services(e.db)
	s.Now = e.clock.Now
	s.Log = slog.New(slog.NewTextHandler(e.log, nil))
	s.TrustProxy = true
	for _, f := range tweak {
		f(&s)
	}
	return s
}

// checkAuditAndLog runs after every attack test: the audit chain verifies
// and neither the audit log nor the server's log holds a secret.
func (e *atkEnv) checkAuditAndLog(t *testing.T) {
	ctx := context.Background()
	checked, problem, err := e.db.VerifyAudit(ctx, nil)
	if err != nil || problem != nil {
		t.Errorf("audit chain: checked %d, problem %+v, err %v", checked, problem, err)
	}
	entries, err := e.db.AuditEntries(ctx, domain.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(entries)
	log := e.log.String()
	for _, s := range e.secrets {
		if strings.Contains(string(raw), s) {
			t.Errorf("the audit log holds the secret %q", s)
		}
		if strings.Contains(log, s) {
			t.Errorf("the server's log holds the secret %q", s)
		}
	}
}

// user creates a user whose password is testPassword, hashed with the
// cheap test parameters.
func (e *atkEnv) user(t *testing.T, email, agency string, roles ...domain.Role) *domain.User {
	t.Helper()
	h, err := auth.HashPassword(testPassword, cheapParams)
	if err != nil {
		t.Fatal(err)
	}
	u := &domain.User{Email: email, Agency: agency, Roles: roles}
	if err := e.db.CreateUser(context.Background(), u, h); err != nil {
		t.Fatal(err)
	}
	return u
}

// cheapen puts back a cheap hash of testPassword: a successful sign-in
// upgrades the hash to the production parameters, which would make every
// later wrong guess of a test cost tens of milliseconds.
func (e *atkEnv) cheapen(t *testing.T, u *domain.User) {
	t.Helper()
	ctx := context.Background()
	cred, err := e.db.Credentials(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cred.PasswordHash, err = auth.HashPassword(testPassword, cheapParams); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetCredentials(ctx, cred); err != nil {
		t.Fatal(err)
	}
}

// token creates an API token of u.
func (e *atkEnv) token(t *testing.T, u *domain.User, expires time.Time) string {
	t.Helper()
	tok, hash, err := auth.NewToken(auth.APITokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateToken(context.Background(), &domain.APIToken{UserID: u.ID, Name: "test", ExpiresAt: expires}, hash); err != nil {
		t.Fatal(err)
	}
	return tok
}

// atkResp is an answer, read whole.
type atkResp struct {
	status  int
	header  http.Header
	body    []byte
	cookies []*http.Cookie // as set by this answer
}

// cookie returns the cookie of that name set by the answer, or nil.
func (r atkResp) cookie(name string) *http.Cookie {
	for _, c := range r.cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// decode unmarshals the body into v.
func (r atkResp) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// send sends one request with this client. header values replace the
// defaults; an empty value removes the header.
func atkSend(t *testing.T, c *http.Client, method, u, body string, header map[string]string) atkResp {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return atkResp{status: resp.StatusCode, header: resp.Header, body: b, cookies: resp.Cookies()}
}

// expect checks the status, and that errors are problem+json.
func (r atkResp) expect(t *testing.T, what string, want int) atkResp {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.status, want, r.body)
	}
	if r.status >= 400 && r.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%s: error with Content-Type %q: %s", what, r.header.Get("Content-Type"), r.body)
	}
	return r
}

// raw sends a request with no cookie jar and no bearer token: exactly the
// headers given (a forged cookie, a stolen token).
func (e *atkEnv) raw(t *testing.T, method, path, body string, header map[string]string) atkResp {
	t.Helper()
	return atkSend(t, http.DefaultClient, method, e.srv.URL+path, body, header)
}

// atkBrowser is a browser: a cookie jar, a client address (sent as
// X-Forwarded-For, which the server trusts) and the CSRF token of its
// current session, which it sends on unsafe methods like Vigie's pages do.
type atkBrowser struct {
	e    *atkEnv
	c    *http.Client
	jar  *cookiejar.Jar
	addr string
	csrf string
}

func (e *atkEnv) browser(addr string) *atkBrowser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		panic(err)
	}
	return &atkBrowser{e: e, c: &http.Client{Jar: jar}, jar: jar, addr: addr}
}

// send sends a request as this browser. header values replace the
// defaults (an empty value removes one: {"X-CSRF-Token": ""} sends none).
func (b *atkBrowser) send(t *testing.T, method, path, body string, header map[string]string) atkResp {
	t.Helper()
	h := map[string]string{"X-Forwarded-For": b.addr}
	if b.csrf != "" && method != http.MethodGet && method != http.MethodHead {
		h["X-CSRF-Token"] = b.csrf
	}
	for k, v := range header {
		h[k] = v
	}
	return atkSend(t, b.c, method, b.e.srv.URL+path, body, h)
}

// want sends a request and checks its status.
func (b *atkBrowser) want(t *testing.T, method, path, body string, want int) atkResp {
	t.Helper()
	return b.send(t, method, path, body, nil).expect(t, method+" "+path, want)
}

// cookie is the value of the jar's cookie of that name ("" if none).
func (b *atkBrowser) cookie(name string) string {
	u, _ := url.Parse(b.e.srv.URL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// plant puts a cookie in the jar as if another site (or an attacker with
// access to the browser) had set it.
func (b *atkBrowser) plant(name, value string) {
	u, _ := url.Parse(b.e.srv.URL)
	b.jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// atkSession is what sign-in and the second factor answer.
type atkSession struct {
	SecondFactor string    `json:"second_factor"`
	CSRFToken    string    `json:"csrf_token"`
	ExpiresAt    time.Time `json:"expires_at"`
	User         struct {
		Email string `json:"email"`
	} `json:"user"`
}

func atkCredentials(email, password string) string {
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	return string(b)
}

// signIn posts the password; on 200 it keeps the session's CSRF token.
func (b *atkBrowser) signIn(t *testing.T, email, password string, want int) (atkResp, atkSession) {
	t.Helper()
	r := b.send(t, "POST", "/api/v1/auth/sign-in", atkCredentials(email, password), nil).expect(t, "sign-in of "+email, want)
	var s atkSession
	if want == http.StatusOK {
		r.decode(t, &s)
		b.csrf = s.CSRFToken
	}
	return r, s
}

// enrol takes a session that waits for enrolment through TOTP set-up and
// returns the secret and the recovery codes.
func (b *atkBrowser) enrol(t *testing.T) (secret string, codes []string) {
	t.Helper()
	var en struct {
		Secret string `json:"secret"`
	}
	b.want(t, "POST", "/api/v1/auth/totp/enrol", "", http.StatusOK).decode(t, &en)
	if en.Secret == "" {
		t.Fatal("enrolment gave no secret")
	}
	var out struct {
		Session       atkSession `json:"session"`
		RecoveryCodes []string   `json:"recovery_codes"`
	}
	b.want(t, "POST", "/api/v1/auth/totp/confirm", `{"code":"`+b.e.code(t, en.Secret)+`"}`, http.StatusOK).decode(t, &out)
	b.csrf = out.Session.CSRFToken
	return en.Secret, out.RecoveryCodes
}

// code moves the clock on by one TOTP period, so that no code is ever a
// replay of the previous one, and returns the code of that moment.
func (e *atkEnv) code(t *testing.T, secret string) string {
	t.Helper()
	e.clock.Advance(30 * time.Second)
	return e.codeNow(t, secret)
}

// codeNow is the code of this moment.
func (e *atkEnv) codeNow(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCodes returns n well-formed codes that none of the time steps
// accepted now (the current one and its neighbours) produces.
func (e *atkEnv) wrongCodes(t *testing.T, secret string, n int) []string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := totp.GenerateCode(secret, e.clock.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid[c] = true
	}
	var out []string
	for i := 0; len(out) < n; i++ {
		c := fmt.Sprintf("%06d", (123456+i*111111)%1_000_000)
		if !valid[c] {
			out = append(out, c)
		}
	}
	return out
}

// secondFactor posts a body to the second-factor step; on 200 it keeps
// the new session's CSRF token.
func (b *atkBrowser) secondFactor(t *testing.T, body string, want int) atkResp {
	t.Helper()
	r := b.send(t, "POST", "/api/v1/auth/second-factor", body, nil).expect(t, "second factor "+body, want)
	if want == http.StatusOK {
		var s atkSession
		r.decode(t, &s)
		if s.SecondFactor != "done" {
			t.Fatalf("after the second factor: %s", r.body)
		}
		b.csrf = s.CSRFToken
	}
	return r
}

// atkFlipFirst changes the first character of s.
func atkFlipFirst(s string) string {
	if strings.HasPrefix(s, "A") {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

// atkRetryAfter reads a 429's Retry-After in seconds.
func atkRetryAfter(t *testing.T, r atkResp) time.Duration {
	t.Helper()
	n, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Fatalf("429 with Retry-After %q", r.header.Get("Retry-After"))
	}
	return time.Duration(n) * time.Second
}
