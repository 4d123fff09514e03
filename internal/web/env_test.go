// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/seal"
	"vigie/internal/sqlstore"
	"vigie/internal/web"
)

// The tests drive the pages as a browser does: forms, a cookie jar,
// redirects followed; a clock the test moves feeds the server, the store
// and the TOTP codes.

const password = "cheval batterie agrafe correct"

// cheap keeps test accounts fast to create.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

type env struct {
	db    *sqlstore.DB
	srv   *httptest.Server
	clock *clock
	// pages are every body a test fetched, checked at the end for the
	// missing-translation marker.
	pages map[string]string
}

// newEnv starts the pages over db with agencies KIN and GOM. The clock
// starts at the real time: the cookie jar judges Expires by it.
func newEnv(t *testing.T, db *sqlstore.DB) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{db: db, clock: &clock{}, pages: map[string]string{}}
	e.clock.ns.Store(time.Now().UTC().Truncate(time.Second).UnixNano())
	db.Now = e.clock.Now
	for _, code := range []string{"KIN", "GOM"} {
		if _, err := db.EnsureAgency(ctx, code, "Division provinciale des affaires sociales "+code); err != nil {
			t.Fatal(err)
		}
	}
	k := seal.NewTestKeyring()
	gate := &auth.Gate{Users: db, Audit: db, Throttle: auth.NewThrottle(1000), Now: e.clock.Now,
		MAC: func(tag, msg string) []byte { return k.BlindIndex(tag, msg) }}
	h := web.New(web.Services{Cases: db, Users: db, Audit: db, Access: db, Search: db, Drafts: db, Agencies: db, Grants: db, Training: db, Gate: gate, Now: e.clock.Now})
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	t.Cleanup(func() {
		for path, body := range e.pages {
			if strings.Contains(body, "⟦") {
				t.Errorf("%s holds a missing translation: %s", path, missingAround(body))
			}
		}
	})
	return e
}

func missingAround(body string) string {
	i := strings.Index(body, "⟦")
	return body[i:min(len(body), i+80)]
}

func (e *env) user(t *testing.T, email, agency string, roles ...domain.Role) *domain.User {
	t.Helper()
	h, err := auth.HashPassword(password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	u := &domain.User{Email: email, Agency: agency, Roles: roles}
	if err := e.db.CreateUser(context.Background(), u, h); err != nil {
		t.Fatal(err)
	}
	return u
}

// newCase stores a case of agency whose victim has this first name.
func (e *env) newCase(t *testing.T, agency, firstName string) *domain.Case {
	t.Helper()
	ctx := domain.WithActor(context.Background(), &domain.Principal{Email: "setup@test", Agency: agency, Via: "cli"})
	c := &domain.Case{Agency: agency,
		Person: domain.Person{FirstName: firstName, SecondName: "Mukendi", Gender: "Feminine"},
		Victim: domain.Victim{TraffickingStatus: "PossibleVictimOfTrafficking", TypeOfExploitation: []string{"ForcedLabour"}},
		Events: []*domain.Event{{Type: "Exploitation", Country: "CD", City: "Kolwezi",
			Date: domain.DateOf(e.clock.Now().AddDate(0, -2, 0))}},
		Comments: []*domain.Comment{{Text: "Premier entretien au centre d’accueil"}},
	}
	if err := e.db.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// browser is a client with a cookie jar that follows redirects.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{e: e, c: &http.Client{Jar: jar}}
}

// page is an answer, read whole.
type page struct {
	status int
	header http.Header
	body   string
	url    string // after redirects
}

func (b *browser) do(t *testing.T, req *http.Request) page {
	t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	p := page{status: resp.StatusCode, header: resp.Header, body: string(raw), url: resp.Request.URL.Path}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		b.e.pages[req.Method+" "+req.URL.RequestURI()] = p.body
	}
	return p
}

func (b *browser) get(t *testing.T, path string) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b.do(t, req)
}

func (b *browser) post(t *testing.T, path string, form url.Values) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

func want(t *testing.T, p page, status int, what string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("%s: status %d, want %d; body:\n%s", what, p.status, status, p.body)
	}
}

var (
	csrfRe   = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	secretRe = regexp.MustCompile(`<code id="secret">([^<]+)</code>`)
	cssRe    = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">`)
	langRe   = regexp.MustCompile(`<html lang="([a-z]+)">`)
)

func find(t *testing.T, re *regexp.Regexp, body string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in:\n%s", re, body)
	}
	return m[1]
}
