// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"vigie/internal/domain"
	"vigie/internal/httpapi"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// Attack-class tests of the API beyond signing in: cross-site requests,
// hostile text, oversized and deeply nested bodies, what errors and logs
// give away, and the audit trail of it all. Helpers are in
// attackenv_test.go.

// TestAttackCrossSite: behind the cross-origin protection that
// cmd/vigie/serve.go mounts, a browser's cross-site POST is refused
// whatever credentials ride along; and a cookie session's changes need
// the CSRF token of that very session.
func TestAttackCrossSite(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		e.user(t, "coordination@kin.example", "KIN", domain.RoleCoordinator)
		srv := httptest.NewServer(http.NewCrossOriginProtection().Handler(httpapi.New(e.services())))
		defer srv.Close()
		admin, _ := tokens.Load(e.srv.URL)
		bearer := "Bearer " + admin.(string)
		signIn := atkCredentials("coordination@kin.example", testPassword)
		for _, tt := range []struct {
			name, method, path, body string
			header                   map[string]string
			want                     int
		}{
			{"CrossSitePOSTWithToken", "POST", "/api/v1/cases", validCase, map[string]string{"Authorization": bearer, "Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
			{"CrossSiteSignIn", "POST", "/api/v1/auth/sign-in", signIn, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
			{"SameSiteSubdomain", "POST", "/api/v1/auth/sign-in", signIn, map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
			{"ForeignOrigin", "POST", "/api/v1/auth/sign-in", signIn, map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
			{"CrossSiteSignOut", "POST", "/api/v1/auth/sign-out", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
			{"CrossSiteDelete", "DELETE", "/api/v1/tokens/" + uuid.NewString(), "", map[string]string{"Authorization": bearer, "Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
			// Controls: the same requests from Vigie's own pages, from the
			// address bar, from a client that is no browser; and reads.
			{"SameOrigin", "POST", "/api/v1/auth/sign-in", signIn, map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusOK},
			{"UserInitiated", "POST", "/api/v1/auth/sign-in", signIn, map[string]string{"Sec-Fetch-Site": "none"}, http.StatusOK},
			{"NotABrowser", "POST", "/api/v1/cases", validCase, map[string]string{"Authorization": bearer}, http.StatusCreated},
			{"CrossSiteGET", "GET", "/api/v1/cases", "", map[string]string{"Authorization": bearer, "Sec-Fetch-Site": "cross-site"}, http.StatusOK},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r := atkSend(t, http.DefaultClient, tt.method, srv.URL+tt.path, tt.body, tt.header)
				if r.status != tt.want {
					t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.body)
				}
			})
		}

		// A signed-in browser: a change without this session's CSRF token
		// is refused, whatever form it takes.
		b := e.browser("198.51.100.70")
		b.signIn(t, "coordination@kin.example", testPassword, http.StatusOK)
		other := e.browser("198.51.100.71")
		other.signIn(t, "coordination@kin.example", testPassword, http.StatusOK)
		for name, h := range map[string]map[string]string{
			"no token":                {"X-CSRF-Token": ""},
			"another session's token": {"X-CSRF-Token": other.csrf},
			"an HTML form":            {"X-CSRF-Token": "", "Content-Type": "application/x-www-form-urlencoded"},
		} {
			b.send(t, "POST", "/api/v1/tokens", `{"name":"intrus"}`, h).expect(t, "POST /api/v1/tokens with "+name, http.StatusForbidden)
		}
		b.want(t, "POST", "/api/v1/tokens", `{"name":"script"}`, http.StatusCreated)
	})
}

// atkHostileTexts are strings an attacker (or a real name) may put in any
// text field.
var atkHostileTexts = []struct{ name, text string }{
	{"SQLQuote", `' OR 1=1; DROP TABLE cases; --`},
	{"SQLDoubleQuote", `"; DELETE FROM users; --`},
	{"Script", `<script>alert(1)</script>`},
	{"ImgOnerror", `<img src=x onerror=alert(1)>`},
	{"Template", `{{7*7}}`},
	{"JNDI", `${jndi:ldap://x}`},
	{"PathTraversal", `../../etc/passwd`},
	{"Lingala", atkLingala(190)},
	{"Emoji", "Mbuyi 👩🏾‍⚕️🇨🇩🙏🏿 Kabasele"},
}

// atkLingala returns n runes of Lingala with its tone marks, some as
// combining characters (which count as runes of their own).
func atkLingala(n int) string {
	const text = "Mwǎna mókɛ́ azalí na likambo; bato ya Kinsásá basálísí yě malámu mpé bakɔ́ngɔ́lí yě na ndáko ya bokɔ́nɔ́ɔ́. "
	var b strings.Builder
	for i := 0; i < n; {
		for _, r := range text {
			if i == n {
				break
			}
			b.WriteRune(r)
			i++
		}
	}
	return b.String()
}

// atkCase is validCase with the names and the case owner set to s.
func atkCase(t *testing.T, s string) string {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal([]byte(validCase), &c); err != nil {
		t.Fatal(err)
	}
	c["cas_CaseOwner"] = s
	p := c["person"].(map[string]any)
	p["prs_FirstName"], p["prs_SecondName"] = s, s
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func atkJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAttackHostileText: hostile text in the names, the case owner, a
// comment and a referral is stored and given back byte for byte, escaped
// by the JSON encoder (never a raw <script>), harms no table, and can be
// searched; control characters are refused by name.
func TestAttackHostileText(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		admin, _ := tokens.Load(e.srv.URL)
		bearer := "Bearer " + admin.(string)
		if n := utf8.RuneCountInString(atkLingala(190)); n != 190 {
			t.Fatalf("atkLingala(190) has %d runes", n)
		}
		for _, tt := range atkHostileTexts {
			t.Run(tt.name, func(t *testing.T) {
				var c struct {
					Number string `json:"case_number"`
				}
				if err := json.Unmarshal(do(t, e.srv, "POST", "/api/v1/cases", atkCase(t, tt.text), nil, 201), &c); err != nil {
					t.Fatal(err)
				}
				base := "/api/v1/cases/" + c.Number
				do(t, e.srv, "POST", base+"/comments", atkJSON(t, map[string]string{"cco_CaseComment": tt.text}), nil, 201)
				do(t, e.srv, "POST", base+"/referrals", atkJSON(t, map[string]string{"direction": "outgoing", "cas_ReferredOrganisation": "Caritas Kinshasa", "cas_OutgoingReferralDetails": tt.text}), nil, 201)

				// What the encoder makes of the text: the body must hold
				// exactly that, for every field.
				enc := atkJSON(t, tt.text)
				for path, fields := range map[string][]string{
					base:                {"prs_FirstName", "prs_SecondName", "cas_CaseOwner", "cco_CaseComment", "cas_OutgoingReferralDetails"},
					base + "/comments":  {"cco_CaseComment"},
					base + "/referrals": {"cas_OutgoingReferralDetails"},
				} {
					body := string(do(t, e.srv, "GET", path, "", nil, 200))
					for _, f := range fields {
						if !strings.Contains(body, `"`+f+`":`+enc) {
							t.Errorf("GET %s: %s is not %s: %s", path, f, enc, body)
						}
					}
					if low := strings.ToLower(body); strings.Contains(low, "<script") || strings.Contains(low, "<img") {
						t.Errorf("GET %s: raw HTML in the body: %s", path, body)
					}
				}
				do(t, e.srv, "GET", "/api/v1/persons/search?name="+url.QueryEscape(tt.text), "", nil, 200)
				do(t, e.srv, "GET", "/api/v1/persons/search?mode=exact&name="+url.QueryEscape(tt.text), "", nil, 200)
			})
		}
		// A bidirectional override makes a name display as another one
		// ("Mbuyi \u202Egnp.exe" shows as "Mbuyi exe.png"): refused in a
		// name, on its field; a narrative keeps it byte for byte.
		t.Run("RTLOverride", func(t *testing.T) {
			const rtl = "Mbuyi \u202Egnp.exe"
			b := do(t, e.srv, "POST", "/api/v1/cases", atkCase(t, rtl), nil, 422)
			if !strings.Contains(string(b), `"field":"person.prs_FirstName","code":"validation.control_character"`) {
				t.Fatalf("refused for another reason: %s", b)
			}
			var c struct {
				Number string `json:"case_number"`
			}
			if err := json.Unmarshal(do(t, e.srv, "POST", "/api/v1/cases", atkCase(t, "Mbuyi"), nil, 201), &c); err != nil {
				t.Fatal(err)
			}
			do(t, e.srv, "POST", "/api/v1/cases/"+c.Number+"/comments", atkJSON(t, map[string]string{"cco_CaseComment": rtl}), nil, 201)
			if body := string(do(t, e.srv, "GET", "/api/v1/cases/"+c.Number+"/comments", "", nil, 200)); !strings.Contains(body, atkJSON(t, rtl)) {
				t.Fatalf("the comment is not kept byte for byte: %s", body)
			}
		})
		// The script came back escaped, as the encoder does by default.
		if !strings.Contains(atkJSON(t, `<script>`), `\u003cscript\u003e`) {
			t.Fatal("encoding/json no longer escapes <")
		}

		// Every table is still there: the cases, the users (the token
		// still signs in), the parts.
		var list struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal(do(t, e.srv, "GET", "/api/v1/cases?limit=100", "", nil, 200), &list); err != nil || list.Total != len(atkHostileTexts)+1 {
			t.Fatalf("after the hostile texts: %d cases (%v), want %d", list.Total, err, len(atkHostileTexts)+1)
		}
		var c struct {
			Number string `json:"case_number"`
		}
		if err := json.Unmarshal(do(t, e.srv, "POST", "/api/v1/cases", validCase, nil, 201), &c); err != nil {
			t.Fatal(err)
		}
		do(t, e.srv, "GET", "/api/v1/users", "", nil, 200)

		// Control characters other than tab, line feed and carriage
		// return are refused, field by field.
		base := "/api/v1/cases/" + c.Number
		for _, ch := range []struct {
			name, text string
			gap        bool // known to be accepted: see the skip message
		}{
			{"NUL", "Mb\x00uyi", false}, {"SOH", "Mb\x01uyi", false}, {"Backspace", "Mbuyi\x08\x08\x08", false},
			{"Escape", "\x1b[31mMbuyi", false}, {"Delete", "Mb\x7fuyi", false},
			{"C1NextLine", "Mb\u0085uyi", false}, {"C1CSI", "\u009b31mMbuyi", false},
		} {
			t.Run("Control"+ch.name, func(t *testing.T) {
				if ch.gap {
					r := e.raw(t, "POST", "/api/v1/cases", atkCase(t, ch.text), map[string]string{"Authorization": bearer})
					if r.status == http.StatusCreated {
						t.Skip("KNOWN GAP: domain.checkText (internal/domain/values.go) refuses C0 controls and DEL only; C1 controls (U+0080-U+009F, e.g. U+009B, an 8-bit CSI) are stored")
					}
				}
				for _, f := range []struct{ path, body, field string }{
					{"/api/v1/cases", atkCase(t, ch.text), "person.prs_FirstName"},
					{"/api/v1/cases", atkCase(t, ch.text), "person.prs_SecondName"},
					{"/api/v1/cases", atkCase(t, ch.text), "cas_CaseOwner"},
					{base + "/comments", atkJSON(t, map[string]string{"cco_CaseComment": ch.text}), "cco_CaseComment"},
					{base + "/referrals", atkJSON(t, map[string]string{"direction": "outgoing", "cas_ReferredOrganisation": "Caritas", "cas_OutgoingReferralDetails": ch.text}), "cas_OutgoingReferralDetails"},
				} {
					b := string(do(t, e.srv, "POST", f.path, f.body, nil, 422))
					if !strings.Contains(b, `"field":"`+f.field+`","code":"validation.control_character"`) {
						t.Errorf("POST %s: no control_character error for %s: %s", f.path, f.field, b)
					}
				}
			})
		}
		do(t, e.srv, "POST", base+"/comments", atkJSON(t, map[string]string{"cco_CaseComment": "Premier point\n\tdeuxième point\r\nfin"}), nil, 201)
	})
}

// atkNested is depth arrays or objects inside one another.
func atkNested(depth int, objects bool) string {
	if objects {
		return strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
	}
	return strings.Repeat("[", depth) + strings.Repeat("]", depth)
}

// atkPadded is a case JSON document of exactly n bytes.
func atkPadded(t *testing.T, n int) string {
	t.Helper()
	const head, tail = `{"agency":"KIN","cas_Status":"Active","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"cas_CaseOwner":"`, `"}`
	s := head + strings.Repeat("a", n-len(head)-len(tail)) + tail
	if len(s) != n {
		t.Fatalf("padded: %d bytes", len(s))
	}
	return s
}

// TestAttackOversizedBodies: bodies past the limit, bodies nested past
// any reason and fields the API does not have are refused in
// problem+json, on public routes as on signed-in ones, and the server
// stays up.
func TestAttackOversizedBodies(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		noAuth := map[string]string{"Authorization": ""}
		admin, _ := tokens.Load(e.srv.URL)
		bearer := "Bearer " + admin.(string)
		// At the limit the body is read (and its field found too long);
		// one byte more and it is refused as too large.
		b := string(do(t, e.srv, "POST", "/api/v1/cases", atkPadded(t, httpapi.MaxBodyBytes), nil, 422))
		if !strings.Contains(b, `"field":"cas_CaseOwner","code":"validation.too_long"`) {
			t.Errorf("a body at the limit: %s", b)
		}
		for _, tt := range []struct {
			path   string
			header map[string]string
		}{{"/api/v1/cases", nil}, {"/api/v1/auth/sign-in", noAuth}} {
			b := string(do(t, e.srv, "POST", tt.path, atkPadded(t, httpapi.MaxBodyBytes+1), tt.header, 413))
			if !strings.Contains(b, "larger than 1048576 bytes") {
				t.Errorf("POST %s: %s", tt.path, b)
			}
		}

		for _, tt := range []struct{ name, path, body string }{
			{"Arrays", "/api/v1/cases", atkNested(100_000, false)},
			{"ArraysInAField", "/api/v1/cases", `{"agency":"KIN","events":` + atkNested(100_000, false) + `}`},
			{"Objects", "/api/v1/cases", atkNested(100_000, true)},
			{"ArraysPublic", "/api/v1/auth/sign-in", atkNested(100_000, false)},
			{"ObjectsPublic", "/api/v1/auth/sign-in", `{"email":` + atkNested(100_000, true) + `}`},
		} {
			t.Run("Nested"+tt.name, func(t *testing.T) {
				h := map[string]string{"Authorization": bearer}
				if strings.Contains(tt.path, "sign-in") {
					h = nil
				}
				r := e.raw(t, "POST", tt.path, tt.body, h)
				if r.status != 422 && r.status != 413 {
					t.Fatalf("status %d: %.300s", r.status, r.body)
				}
				r.expect(t, tt.name, r.status)
			})
		}
		do(t, e.srv, "GET", "/healthz", "", nil, 200)

		// Fields the API does not have are named, not ignored: nobody
		// signs in "with the second factor done" or creates a user "with
		// TOTP".
		for _, tt := range []struct{ path, body, field string }{
			{"/api/v1/auth/sign-in", `{"email":"tester@kin.example","password":"x","second_factor":"done"}`, "second_factor"},
			{"/api/v1/users", `{"email":"nouveau@kin.example","agency":"KIN","roles":["admin"],"password":"` + testPassword + `","totp_enabled":true}`, "totp_enabled"},
			{"/api/v1/cases", strings.Replace(validCase, `"agency":"KIN"`, `"agency":"KIN","vig_Secret":1`, 1), "vig_Secret"},
		} {
			b := string(do(t, e.srv, "POST", tt.path, tt.body, nil, 422))
			if !strings.Contains(b, `"field":"`+tt.field+`","code":"validation.unknown_field"`) {
				t.Errorf("POST %s: %s not named: %s", tt.path, tt.field, b)
			}
		}
	})
}

// atkFailingSearch fails every name search while fail is set, as a
// database in trouble would.
type atkFailingSearch struct {
	httpapi.NameSearcher
	fail *atomic.Bool
}

func (s atkFailingSearch) SearchNames(ctx context.Context, name, agencyID string, minScore float64, limit int) ([]domain.NameMatch, error) {
	if s.fail.Load() {
		return nil, errors.New("pq: canceling statement due to conflict with recovery")
	}
	return s.NameSearcher.SearchNames(ctx, name, agencyID, minScore, limit)
}

// TestAttackErrorsLeakNothing: a victim's name, phone and e-mail, sent in
// invalid and valid requests and in failing ones, reach neither the
// server's log nor the audit log; internal causes stay in the log; and a
// case out of reach answers exactly like a case that does not exist.
func TestAttackErrorsLeakNothing(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		var fail atomic.Bool
		e := newAtkEnv(t, db, func(s *httpapi.Services) {
			ping := s.Ping
			s.Ping = func(ctx context.Context) error {
				if fail.Load() {
					return errors.New("dial tcp 10.0.0.5:5432: connection refused")
				}
				return ping(ctx)
			}
			s.Search = atkFailingSearch{s.Search, &fail}
		})
		const first, second, phone, email = "Nzuzi", "Makiadi-Luvualu", "+243897001122", "nzuzi.makiadi@example.cd"
		e.secrets = append(e.secrets, first, second, strings.TrimPrefix(phone, "+"), email)
		victim := strings.NewReplacer("Mbuyi", first, "Kabasele", second, "+243812345678", phone).
			Replace(strings.Replace(validCase, `"prs_MobilePhone"`, `"prs_Email":"`+email+`","prs_MobilePhone"`, 1))

		// Invalid requests carrying the victim's data.
		for _, tt := range []struct {
			name, body string
			want       int
		}{
			{"BadDate", strings.Replace(victim, `"2008-02-01"`, `"31/02/2008"`, 1), 422},
			{"FutureDate", strings.Replace(victim, `"2008-02-01"`, `"2099-02-01"`, 1), 422},
			{"ControlCharacter", strings.Replace(victim, first, first+`\u0007`, 1), 422},
			{"UnknownField", strings.Replace(victim, `"prs_Gender"`, `"prs_Genre":"F","prs_Gender"`, 1), 422},
			{"Malformed", victim[:len(victim)-2], 422},
			{"TooLarge", strings.Replace(victim, `"cas_Status"`, `"cas_CaseOwner":"`+strings.Repeat("x", httpapi.MaxBodyBytes)+`","cas_Status"`, 1), 413},
			{"OtherAgency", strings.Replace(victim, `"agency":"KIN"`, `"agency":"GOM"`, 1), 422},
		} {
			t.Run(tt.name, func(t *testing.T) {
				do(t, e.srv, "POST", "/api/v1/cases", tt.body, nil, tt.want)
			})
		}
		// The victim's e-mail typed as an account, the phone as its
		// password.
		e.browser("198.51.100.80").signIn(t, email, phone, http.StatusUnauthorized)
		// The name typed where a case number belongs.
		do(t, e.srv, "GET", "/api/v1/cases/"+url.PathEscape(first+" "+second), "", nil, 404)

		// Valid requests, and failing ones.
		var c struct {
			Number string `json:"case_number"`
		}
		if err := json.Unmarshal(do(t, e.srv, "POST", "/api/v1/cases", victim, nil, 201), &c); err != nil {
			t.Fatal(err)
		}
		do(t, e.srv, "GET", "/api/v1/cases/"+c.Number, "", nil, 200)
		do(t, e.srv, "PUT", "/api/v1/cases/"+c.Number, victim, map[string]string{"If-Match": `"1"`}, 200)
		do(t, e.srv, "POST", "/api/v1/cases/"+c.Number+"/comments", `{"cco_CaseComment":"`+first+` `+second+` joignable au `+phone+`"}`, nil, 201)
		do(t, e.srv, "GET", "/api/v1/persons/search?name="+url.QueryEscape(first+" "+second), "", nil, 200)
		fail.Store(true)
		for _, path := range []string{"/api/v1/persons/search?name=" + url.QueryEscape(first+" "+second), "/healthz?name=" + first + "&phone=" + url.QueryEscape(phone)} {
			b := string(do(t, e.srv, "GET", path, "", nil, 500))
			if strings.Contains(b, "connection refused") || strings.Contains(b, "pq:") || strings.Contains(b, first) {
				t.Errorf("GET %s: the error shows its cause: %s", path, b)
			}
		}
		fail.Store(false)
		log := e.log.String()
		if !strings.Contains(log, "request failed") || !strings.Contains(log, "connection refused") {
			t.Errorf("the server's log lacks the failures and their causes: %s", log)
		}
		for _, s := range []string{first, second, phone, strings.TrimPrefix(phone, "+"), email} {
			if strings.Contains(log, s) {
				t.Errorf("the server's log holds %q: %s", s, log)
			}
		}
		// (checkAuditAndLog looks for them in the audit log when the test
		// ends.)

		// A case of another agency and a case that does not exist: the
		// same answer, byte for byte, once the reference is set aside.
		gom := e.user(t, "travail@gom.example", "GOM", domain.RoleCaseworker)
		gomToken := "Bearer " + e.token(t, gom, e.clock.Now().Add(24*time.Hour))
		var g struct {
			ID     string `json:"id"`
			Number string `json:"case_number"`
		}
		atkSend(t, http.DefaultClient, "POST", e.srv.URL+"/api/v1/cases", strings.Replace(validCase, `"agency":"KIN"`, `"agency":"GOM"`, 1), map[string]string{"Authorization": gomToken}).
			expect(t, "GOM case", 201).decode(t, &g)
		kin := e.user(t, "travail@kin.example", "KIN", domain.RoleCaseworker)
		kinToken := "Bearer " + e.token(t, kin, e.clock.Now().Add(24*time.Hour))
		missingNumber := strings.Replace(g.Number, "-000001", "-000999", 1)
		for _, rt := range []struct{ method, path, body string }{
			{"GET", "/api/v1/cases/{ref}", ""},
			{"PUT", "/api/v1/cases/{ref}", strings.Replace(validCase, `"agency":"KIN"`, `"agency":"GOM","version":1`, 1)},
			{"GET", "/api/v1/cases/{ref}/comments", ""},
			{"POST", "/api/v1/cases/{ref}/comments", `{"cco_CaseComment":"regard"}`},
			{"PUT", "/api/v1/cases/{ref}/events/" + uuid.NewString(), `{"hte_Type":"Transit","hte_Country":"CD","version":1}`},
			{"DELETE", "/api/v1/cases/{ref}/events/" + uuid.NewString() + "?version=1", ""},
			{"GET", "/api/v1/cases/{ref}/audit", ""},
		} {
			for _, refs := range [][2]string{{g.Number, missingNumber}, {g.ID, uuid.NewString()}} {
				var answers [2]atkResp
				for i, ref := range refs {
					answers[i] = atkSend(t, http.DefaultClient, rt.method, e.srv.URL+strings.Replace(rt.path, "{ref}", ref, 1), rt.body, map[string]string{"Authorization": kinToken}).
						expect(t, rt.method+" "+rt.path+" "+ref, 404)
				}
				a := strings.ReplaceAll(string(answers[0].body), refs[0], "{ref}")
				m := strings.ReplaceAll(string(answers[1].body), refs[1], "{ref}")
				if a != m || answers[0].header.Get("Content-Type") != answers[1].header.Get("Content-Type") {
					t.Errorf("%s %s: out of reach and missing differ:\n%s\n%s", rt.method, rt.path, a, m)
				}
			}
		}
	})
}

// TestAttackAudit: the attempts above leave their trace: sign-ins,
// failed ones (without the password tried), throttled ones, a wrong
// second factor, a refused case and a read one; and the chain verifies.
func TestAttackAudit(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newAtkEnv(t, db)
		ctx := context.Background()
		const tried = "Zq9-essai-de-mot-de-passe-Zq9"
		e.secrets = append(e.secrets, tried)
		coord := e.user(t, "coordination@kin.example", "KIN", domain.RoleCoordinator)
		cw := e.user(t, "travail@kin.example", "KIN", domain.RoleCaseworker)
		gom := e.user(t, "travail@gom.example", "GOM", domain.RoleCaseworker)

		b := e.browser("198.51.100.90")
		b.signIn(t, coord.Email, tried, http.StatusUnauthorized)
		b.signIn(t, "personne@kin.example", tried, http.StatusUnauthorized)
		b.signIn(t, coord.Email, testPassword, http.StatusOK)
		// Throttled: the account has had one failure; four more, then a
		// refusal.
		guesser := e.browser("203.0.113.90")
		for range 4 {
			guesser.signIn(t, coord.Email, tried, http.StatusUnauthorized)
		}
		guesser.signIn(t, coord.Email, tried, http.StatusTooManyRequests)

		// A wrong second factor.
		w := e.browser("198.51.100.91")
		w.signIn(t, cw.Email, testPassword, http.StatusOK)
		secret, _ := w.enrol(t)
		w.want(t, "POST", "/api/v1/auth/sign-out", "", http.StatusNoContent)
		w.signIn(t, cw.Email, testPassword, http.StatusOK)
		w.secondFactor(t, `{"code":"`+e.wrongCodes(t, secret, 1)[0]+`"}`, http.StatusUnauthorized)

		// A case of GOM refused to a KIN caseworker; a KIN case read.
		gomToken := "Bearer " + e.token(t, gom, e.clock.Now().Add(24*time.Hour))
		cwToken := "Bearer " + e.token(t, cw, e.clock.Now().Add(24*time.Hour))
		var g, k struct {
			Number string `json:"case_number"`
		}
		atkSend(t, http.DefaultClient, "POST", e.srv.URL+"/api/v1/cases", strings.Replace(validCase, `"agency":"KIN"`, `"agency":"GOM"`, 1), map[string]string{"Authorization": gomToken}).expect(t, "GOM case", 201).decode(t, &g)
		atkSend(t, http.DefaultClient, "POST", e.srv.URL+"/api/v1/cases", validCase, map[string]string{"Authorization": cwToken}).expect(t, "KIN case", 201).decode(t, &k)
		atkSend(t, http.DefaultClient, "GET", e.srv.URL+"/api/v1/cases/"+g.Number, "", map[string]string{"Authorization": cwToken}).expect(t, "GOM case read from KIN", 404)
		atkSend(t, http.DefaultClient, "GET", e.srv.URL+"/api/v1/cases/"+k.Number, "", map[string]string{"Authorization": cwToken}).expect(t, "KIN case read", 200)

		var list struct {
			Items []domain.AuditEntry `json:"items"`
		}
		raw := do(t, e.srv, "GET", "/api/v1/audit?limit=1000", "", nil, 200)
		if err := json.Unmarshal(raw, &list); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), tried) || strings.Contains(string(raw), testPassword) {
			t.Errorf("the audit log holds a password: %s", raw)
		}
		find := func(what string, match func(*domain.AuditEntry) bool) {
			t.Helper()
			for i := range list.Items {
				if match(&list.Items[i]) {
					return
				}
			}
			t.Errorf("no audit entry for %s in %s", what, raw)
		}
		find("the sign-in", func(x *domain.AuditEntry) bool {
			return x.Action == domain.AuditSignIn && x.ActorID == coord.ID && x.Outcome == "ok" && x.Addr == "198.51.100.90"
		})
		find("the wrong password", func(x *domain.AuditEntry) bool {
			return x.Action == domain.AuditSignInFailed && x.ActorID == coord.ID && x.Outcome == "failed" && x.Addr == "198.51.100.90" && len(x.Detail) == 0
		})
		find("the unknown account, unnamed", func(x *domain.AuditEntry) bool {
			return x.Action == domain.AuditSignInFailed && x.ActorID == "" && x.Actor == "system" && x.Outcome == "failed" && x.Addr == "198.51.100.90"
		})
		find("the throttled attempt", func(x *domain.AuditEntry) bool {
			return x.Action == domain.AuditSignInFailed && x.Outcome == "denied" && x.Addr == "203.0.113.90" && x.Detail["reason"] == "throttled"
		})
		find("the wrong second factor", func(x *domain.AuditEntry) bool {
			return x.Action == domain.AuditSignInFailed && x.ActorID == cw.ID && x.Outcome == "failed" && x.Detail["second_factor"] == "totp"
		})
		find("the refused case", func(x *domain.AuditEntry) bool {
			return x.Action == domain.AuditDenied && x.ActorID == cw.ID && x.Outcome == "denied" && x.Detail["reason"] == "out_of_scope" && x.Detail["ref"] == g.Number
		})
		find("the read case", func(x *domain.AuditEntry) bool {
			return x.Action == domain.AuditRead && x.ActorID == cw.ID && x.CaseNumber == k.Number && x.Outcome == "ok"
		})
		checked, problem, err := db.VerifyAudit(ctx, nil)
		if err != nil || problem != nil || checked < int64(len(list.Items)) {
			t.Errorf("VerifyAudit: checked %d of %d, problem %+v, err %v", checked, len(list.Items), problem, err)
		}
	})
}
