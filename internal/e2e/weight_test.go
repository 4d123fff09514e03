// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"vigie/internal/demo"
)

// budget is the issue's: at most 60 KB transferred per page, compressed,
// not counting the assets the browser keeps (served under content-hash
// URLs with a year-long Cache-Control).
const budget = 60 * 1024

// client is a plain HTTP client with a cookie jar that asks for gzip and
// reads bodies as they travel (compressed).
type client struct {
	t *testing.T
	e *env
	c *http.Client
}

func newClient(t *testing.T, e *env) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, e: e, c: &http.Client{Jar: jar}}
}

// fetch returns the status, the headers, the bytes as transferred and
// the decoded body.
func (c *client) fetch(method, path string, form url.Values) (int, http.Header, int, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.e.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	// Set by hand, the transport leaves the body compressed.
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	text := string(raw)
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(strings.NewReader(text))
		if err != nil {
			c.t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			c.t.Fatal(err)
		}
		text = string(b)
	}
	return resp.StatusCode, resp.Header, len(raw), text
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signIn signs in through the forms, as the browser does.
func (c *client) signIn(a demo.Account) {
	c.t.Helper()
	_, _, _, home := c.fetch("POST", "/sign-in", url.Values{"email": {a.Email}, "password": {a.Password}})
	if a.TOTPSecret == "" {
		if !strings.Contains(home, `action="/sign-out"`) {
			c.t.Fatalf("%s: not signed in:\n%s", a.Email, home)
		}
		return
	}
	_, _, _, page := c.fetch("GET", "/sign-in/code", nil)
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		c.t.Fatalf("%s: no code page after the password:\n%s", a.Email, page)
	}
	c.e.clock.Advance(31 * time.Second)
	code, err := totp.GenerateCode(a.TOTPSecret, c.e.clock.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	if st, _, _, p := c.fetch("POST", "/sign-in/code", url.Values{"code": {code}, "csrf_token": {m[1]}}); st != http.StatusOK || !strings.Contains(p, `action="/sign-out"`) {
		c.t.Fatalf("%s: the code did not sign in (%d):\n%s", a.Email, st, p)
	}
}

var assetRe = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// hashedAsset is a file name that holds a hash of its content.
var hashedAsset = regexp.MustCompile(`\.[0-9a-f]{16,64}\.(css|js|png|svg|woff2)$`)

// TestPageWeight fetches every main page, signed in as the role that
// uses it, and checks its compressed size against the budget; the sizes
// are logged for BENCHMARKS.md. The assets the pages name must be cached
// for good under hashed names.
func TestPageWeight(t *testing.T) {
	for _, pg := range []bool{false, true} {
		name := map[bool]string{false: "sqlite", true: "postgres"}[pg]
		t.Run(name, func(t *testing.T) {
			// Enough cases for full list pages.
			e := newEnv(t, envOptions{postgres: pg, cases: 120, demo: true})
			mas := e.firstCase(t, "DEMOMAS")
			pol := e.firstCase(t, "DEMOPOL")
			pages := []struct {
				role  string // "" signed out
				paths []string
			}{
				{"", []string{"/sign-in"}},
				{"caseworker", []string{"/", "/cases", "/cases/" + mas, "/registration", "/registration/new", "/search?q=Mukendi", "/account",
					"/cases/" + mas + "/edit", "/cases/" + mas + "/consent", "/cases/" + mas + "/refer", "/cases/" + mas + "/comments/new"}},
				{"shelter", []string{"/", "/referrals"}},
				{"supervisor", []string{"/", "/cases?status=Active", "/audit", "/cases/" + mas + "/audit", "/dashboard"}},
				{"justice", []string{"/", "/cases/" + pol}},
				{"coordinator", []string{"/", "/dashboard", "/dashboard?from=2025-01&to=2025-06&province=CD-NK"}},
				{"admin", []string{"/", "/admin/agencies", "/admin/users", "/admin/users/new"}},
			}
			assets := map[string]bool{}
			for _, p := range pages {
				c := newClient(t, e)
				if p.role != "" {
					c.signIn(e.accounts[p.role])
				}
				for _, path := range p.paths {
					st, _, n, body := c.fetch("GET", path, nil)
					if st != http.StatusOK {
						t.Errorf("%s %s: status %d", roleName(p.role), path, st)
						continue
					}
					t.Logf("%-12s %-40s %6.1f KB compressed (%6.1f KB HTML)", roleName(p.role), path, float64(n)/1024, float64(len(body))/1024)
					if n > budget {
						t.Errorf("%s %s: %d bytes compressed, over the %d-byte budget", roleName(p.role), path, n, budget)
					}
					for _, m := range assetRe.FindAllStringSubmatch(body, -1) {
						assets[m[1]] = true
					}
				}
			}
			if len(assets) == 0 {
				t.Fatal("no page names a style sheet")
			}
			c := newClient(t, e)
			for a := range assets {
				st, h, n, _ := c.fetch("GET", a, nil)
				cc := h.Get("Cache-Control")
				if st != http.StatusOK || !hashedAsset.MatchString(a) || !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
					t.Errorf("asset %s: status %d, Cache-Control %q: want 200 under a content-hash name, cached a year, immutable", a, st, cc)
				}
				t.Logf("asset %-45s %6.1f KB compressed, cached", a, float64(n)/1024)
			}
		})
	}
}

func roleName(r string) string {
	if r == "" {
		return "signed-out"
	}
	return fmt.Sprint(r)
}
