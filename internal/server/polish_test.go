// SPDX-License-Identifier: AGPL-3.0-or-later

package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"vigie/internal/seal"
	"vigie/internal/server"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestCrossSiteRefused: a request from another site is refused (403) with
// a small page in the visitor's language on the pages' paths, and with
// problem+json on the API's; a request from the site itself is not.
func TestCrossSiteRefused(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	sqltest.ForEachDB(t, now, func(t *testing.T, db *sqlstore.DB) {
		srv := httptest.NewServer(server.New(server.Config{DB: db, Keys: seal.NewTestKeyring(), Version: "test"}))
		t.Cleanup(srv.Close)
		const (
			fr      = "Cette demande venait d’un autre site"
			en      = "This request came from another site"
			problem = "cross-site request refused"
		)
		tests := []struct {
			name, method, path string
			header             map[string]string
			status             int
			ctype              string
			want, forbid       []string
		}{
			{"a page, French by default", "POST", "/sign-in", map[string]string{"Sec-Fetch-Site": "cross-site"},
				403, "text/html", []string{fr, `<html lang="fr">`, `href="/lang/en?next=%2F"`}, []string{problem, en}},
			{"a page, English asked for", "POST", "/cases/KIN-2026-000001/comments",
				map[string]string{"Sec-Fetch-Site": "cross-site", "Accept-Language": "en-GB,en;q=0.9"},
				403, "text/html", []string{en, `<html lang="en">`}, []string{problem, fr}},
			{"a page, by the Origin header", "POST", "/sign-out", map[string]string{"Origin": "https://evil.example"},
				403, "text/html", []string{fr}, []string{problem}},
			{"a hostile path", "POST", "/%3Cscript%3Ealert(1)%3C/script%3E", map[string]string{"Sec-Fetch-Site": "cross-site"},
				403, "text/html", []string{fr}, []string{"<script>alert"}},
			{"the API", "POST", "/api/v1/cases", map[string]string{"Sec-Fetch-Site": "cross-site", "Accept-Language": "en"},
				403, "application/problem+json", []string{problem}, []string{"<html", en}},
			{"the API's root", "DELETE", "/api", map[string]string{"Sec-Fetch-Site": "cross-site"},
				403, "application/problem+json", []string{problem}, []string{"<html"}},
			{"the site itself", "POST", "/sign-in", map[string]string{"Sec-Fetch-Site": "same-origin"},
				0, "text/html", nil, []string{fr, problem}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req, err := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader("email=a%40b.example&password=x"))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				for k, v := range tt.header {
					req.Header.Set(k, v)
				}
				resp, err := http.DefaultTransport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				body := string(b)
				if tt.status != 0 && resp.StatusCode != tt.status {
					t.Fatalf("status %d, want %d:\n%s", resp.StatusCode, tt.status, body)
				}
				if tt.status == 0 && resp.StatusCode == http.StatusForbidden {
					t.Fatalf("refused:\n%s", body)
				}
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
					t.Errorf("Content-Type %q, want %s", ct, tt.ctype)
				}
				if resp.Header.Get("X-Frame-Options") != "DENY" {
					t.Error("no security headers")
				}
				for _, s := range tt.want {
					if !strings.Contains(body, s) {
						t.Errorf("body lacks %q:\n%s", s, body)
					}
				}
				for _, s := range tt.forbid {
					if strings.Contains(body, s) {
						t.Errorf("body holds %q:\n%s", s, body)
					}
				}
			})
		}
	})
}
