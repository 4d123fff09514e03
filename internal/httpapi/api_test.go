// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/seal"

	"vigie/internal/httpapi"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// eachServer runs fn against the API over a fresh SQLite database and over
// a fresh PostgreSQL schema, each with agency KIN.
func eachServer(t *testing.T, fn func(t *testing.T, srv *httptest.Server)) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		fn(t, newServerOn(t, db))
	})
}

func newServerOn(t *testing.T, db *sqlstore.DB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpapi.New(services(db)))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	if _, err := db.EnsureAgency(ctx, "KIN", "Division provinciale des affaires sociales, Kinshasa"); err != nil {
		t.Fatal(err)
	}
	// The tests of the case API act as a user holding every case role of
	// KIN and admin; roles and scopes have their own tests.
	tokens.Store(srv.URL, newUserToken(t, db, "tester@kin.example", "KIN", domain.RoleCaseworker, domain.RoleSupervisor, domain.RoleAdmin))
	return srv
}

// services wires every store interface of the API to db.
func services(db *sqlstore.DB) httpapi.Services {
	k := seal.NewTestKeyring()
	return httpapi.Services{Cases: db, Agencies: db, Situations: db, Users: db, Audit: db, Access: db, Search: db, Attachments: db, Training: db,
		Ping: db.Ping, Version: "test", Now: func() time.Time { return testNow },
		MAC: func(tag, msg string) []byte { return k.BlindIndex(tag, msg) }}
}

// tokens maps a test server's URL to the bearer token do sends.
var tokens sync.Map

// cheapParams keep test accounts fast to create; sign-in tests use the
// real parameters.
var cheapParams = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

const testPassword = "cheval batterie agrafe correct"

// newUserToken creates a user of an agency with these roles and returns
// an API token of theirs.
func newUserToken(t *testing.T, db *sqlstore.DB, email, agency string, roles ...domain.Role) string {
	t.Helper()
	ctx := context.Background()
	h, err := auth.HashPassword(testPassword, cheapParams)
	if err != nil {
		t.Fatal(err)
	}
	u := &domain.User{Email: email, Agency: agency, Roles: roles}
	if err := db.CreateUser(ctx, u, h); err != nil {
		t.Fatal(err)
	}
	tok, hash, err := auth.NewToken(auth.APITokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateToken(ctx, &domain.APIToken{UserID: u.ID, Name: "test", ExpiresAt: testNow.Add(24 * time.Hour)}, hash); err != nil {
		t.Fatal(err)
	}
	return tok
}

// do sends a request and checks its status; it returns the body.
func do(t *testing.T, srv *httptest.Server, method, path, body string, header map[string]string, want int) []byte {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok, ok := tokens.Load(srv.URL); ok {
		req.Header.Set("Authorization", "Bearer "+tok.(string))
	}
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body %s", method, path, resp.StatusCode, want, b)
	}
	if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%s %s: error with Content-Type %q", method, path, resp.Header.Get("Content-Type"))
	}
	return b
}

const validCase = `{"agency":"KIN","cas_Status":"Active","vig_RegistrationDate":"2026-03-14",
 "person":{"prs_FirstName":"Mbuyi","prs_SecondName":"Kabasele","prs_Gender":"Feminine","prs_Birthdate":"2008-02-01","prs_Citizenship":["CD"],"prs_MobilePhone":"+243812345678"},
 "victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking","vic_TypeOfExploitation":["ForcedLabour"],"vic_ForcedLabourIndustry":"B_MiningAndQuarrying"},
 "events":[{"hte_Type":"Exploitation","hte_Country":"CD","hte_State":"Lualaba"}],
 "consents":[{"con_Consent":true,"vig_ConsentDate":"2026-03-14"}]}`

type scenario struct {
	name         string
	method, path string
	body         string
	header       map[string]string
	status       int
	contains     []string // body fragments that must appear
	absent       []string // body fragments that must not appear
	maxBytes     int      // when > 0, the most the answer may weigh
}

func run(t *testing.T, srv *httptest.Server, tests []scenario) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := do(t, srv, tt.method, tt.path, tt.body, tt.header, tt.status)
			for _, s := range tt.contains {
				if !strings.Contains(string(b), s) {
					t.Errorf("body lacks %q: %s", s, b)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(string(b), s) {
					t.Errorf("body contains %q: %s", s, b)
				}
			}
			if tt.maxBytes > 0 && len(b) > tt.maxBytes {
				t.Errorf("the answer weighs %d bytes, more than %d", len(b), tt.maxBytes)
			}
		})
	}
}

func TestCaseRequestsRefused(t *testing.T) {
	eachServer(t, testCaseRequestsRefused)
}

func testCaseRequestsRefused(t *testing.T, srv *httptest.Server) {
	big := `{"agency":"KIN","cas_Status":"Active","victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"},"comments":[{"cco_CaseComment":"` + strings.Repeat("a", 1<<20) + `"}]}`
	run(t, srv, []scenario{
		{name: "ErrUnknownField", method: "POST", path: "/api/v1/cases", body: strings.Replace(validCase, `"prs_FirstName"`, `"prs_Firstname"`, 1), status: 422, contains: []string{`"field":"person.prs_Firstname"`, `did you mean \"prs_FirstName\"`, "validation.unknown_field"}},
		{name: "ErrMalformedJSON", method: "POST", path: "/api/v1/cases", body: `{"agency":"KIN",}`, status: 422, contains: []string{"malformed JSON at byte"}},
		{name: "ErrTruncatedJSON", method: "POST", path: "/api/v1/cases", body: `{"agency":"KIN"`, status: 422, contains: []string{"ends too early"}},
		{name: "ErrEmptyBody", method: "POST", path: "/api/v1/cases", body: ``, status: 422, contains: []string{"empty"}},
		{name: "ErrTwoValues", method: "POST", path: "/api/v1/cases", body: validCase + `{}`, status: 422, contains: []string{"more than one JSON value"}},
		{name: "ErrWrongType", method: "POST", path: "/api/v1/cases", body: strings.Replace(validCase, `"prs_Citizenship":["CD"]`, `"prs_Citizenship":"CD"`, 1), status: 422, contains: []string{`"field":"person.prs_Citizenship"`, "a list"}},
		{name: "ErrBadDate", method: "POST", path: "/api/v1/cases", body: strings.Replace(validCase, `"2008-02-01"`, `"01/02/2008"`, 1), status: 422, contains: []string{`"field":"person.prs_Birthdate"`, "validation.date_format"}},
		{name: "ErrFutureDate", method: "POST", path: "/api/v1/cases", body: strings.Replace(validCase, `"2008-02-01"`, `"2031-02-01"`, 1), status: 422, contains: []string{"validation.date_in_future"}},
		{name: "ErrWrongEnum", method: "POST", path: "/api/v1/cases", body: strings.Replace(validCase, `"Feminine"`, `"female"`, 1), status: 422, contains: []string{`"field":"person.prs_Gender"`, "validation.enum"}},
		{name: "ErrBadPhone", method: "POST", path: "/api/v1/cases", body: strings.Replace(validCase, `+243812345678`, `0812345678 ext`, 1), status: 422, contains: []string{`"field":"person.prs_MobilePhone"`}},
		{name: "ErrAssignedID", method: "POST", path: "/api/v1/cases", body: strings.Replace(validCase, `"agency":"KIN"`, `"agency":"KIN","id":"x","case_number":"KIN-2026-000099"`, 1), status: 422, contains: []string{`"field":"id"`, `"field":"case_number"`}},
		{name: "ErrTooLarge", method: "POST", path: "/api/v1/cases", body: big, status: 413, contains: []string{"larger than"}},
		{name: "ErrNotJSON", method: "POST", path: "/api/v1/cases", body: validCase, header: map[string]string{"Content-Type": "text/csv"}, status: 415, contains: []string{"must be JSON", "unsupported_media_type"}},
		// JSON is UTF-8: a body declared Latin-1 was read as UTF-8.
		{name: "ErrLatin1", method: "POST", path: "/api/v1/cases", body: validCase, header: map[string]string{"Content-Type": "application/json; charset=latin1"}, status: 415, contains: []string{"must be UTF-8", `\"latin1\"`}},
		{name: "CharsetUTF8", method: "POST", path: "/api/v1/cases", body: validCase, header: map[string]string{"Content-Type": "application/json; charset=UTF-8"}, status: 201},
		{name: "ErrOtherAgency", method: "POST", path: "/api/v1/cases", body: strings.Replace(validCase, `"agency":"KIN"`, `"agency":"XYZ"`, 1), status: 422, contains: []string{"you may create cases only for your agency (KIN)"}},
		{name: "ErrControlChars", method: "POST", path: "/api/v1/cases", body: strings.Replace(validCase, `"Mbuyi"`, `"Mb\u0000uyi"`, 1), status: 422, contains: []string{"validation.control_character"}},
		{name: "ErrNullPart", method: "POST", path: "/api/v1/cases", body: strings.Replace(validCase, `"events":[`, `"events":[null,`, 1), status: 422, contains: []string{`"field":"events[0]"`, "not null"}},
		{name: "ErrNotFound", method: "GET", path: "/api/v1/cases/KIN-2026-000404", status: 404, contains: []string{"does not exist"}},
		{name: "ErrNoRoute", method: "GET", path: "/api/v1/victims", status: 404, contains: []string{"openapi.json"}},
		{name: "ErrUnknownPart", method: "GET", path: "/api/v1/cases/KIN-2026-000001/photos", status: 404},
		{name: "ErrUnknownFilter", method: "GET", path: "/api/v1/cases?genre=Feminine", status: 422, contains: []string{`"field":"genre"`}},
		{name: "ErrBadFilterValue", method: "GET", path: "/api/v1/cases?gender=F%27%20OR%201%3D1--", status: 422, contains: []string{`"field":"gender"`}},
		{name: "ErrRepeatedFilter", method: "GET", path: "/api/v1/cases?status=Active&status=Closed", status: 422, contains: []string{"given 2 times"}},
		{name: "ErrBadLimit", method: "GET", path: "/api/v1/cases?limit=-1", status: 422, contains: []string{`"field":"limit"`}},
		{name: "ErrBadCursor", method: "GET", path: "/api/v1/cases?cursor=%3Cscript%3E", status: 422, contains: []string{`"field":"cursor"`}},
		{name: "ErrBadDateFilter", method: "GET", path: "/api/v1/cases?registered_from=yesterday", status: 422, contains: []string{`"field":"registered_from"`}},
	})
}

func TestCaseLifecycle(t *testing.T) {
	eachServer(t, testCaseLifecycle)
}

func testCaseLifecycle(t *testing.T, srv *httptest.Server) {
	var c struct {
		ID      string `json:"id"`
		Number  string `json:"case_number"`
		Version int64  `json:"version"`
		Events  []struct {
			ID      string `json:"id"`
			Version int64  `json:"version"`
		} `json:"events"`
	}
	b := do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201)
	if err := json.Unmarshal(b, &c); err != nil || c.Number != "KIN-2026-000001" || c.Version != 1 || len(c.Events) != 1 {
		t.Fatalf("created %s (%v)", b, err)
	}
	edited := strings.Replace(validCase, `"Active"`, `"FollowUp"`, 1)
	run(t, srv, []scenario{
		{name: "ReadByNumber", method: "GET", path: "/api/v1/cases/" + c.Number, status: 200, contains: []string{`"prs_FirstName":"Mbuyi"`, `"vic_ForcedLabourIndustry":"B_MiningAndQuarrying"`}},
		{name: "ReadByID", method: "GET", path: "/api/v1/cases/" + c.ID, status: 200, contains: []string{c.Number}},
		{name: "ErrUpdateWithoutVersion", method: "PUT", path: "/api/v1/cases/" + c.Number, body: edited, status: 422, contains: []string{`"field":"version"`}},
		{name: "UpdateWithIfMatch", method: "PUT", path: "/api/v1/cases/" + c.Number, body: edited, header: map[string]string{"If-Match": `"1"`}, status: 200, contains: []string{`"version":2`, `"cas_Status":"FollowUp"`, `"hte_State":"Lualaba"`}},
		{name: "ErrStaleVersion", method: "PUT", path: "/api/v1/cases/" + c.Number, body: strings.Replace(edited, `"agency":"KIN"`, `"agency":"KIN","version":1`, 1), status: 409, contains: []string{"changed by someone else", "version 1", "current version is 2"}},
		{name: "ErrVersionMismatch", method: "PUT", path: "/api/v1/cases/" + c.Number, body: strings.Replace(edited, `"agency":"KIN"`, `"agency":"KIN","version":1`, 1), header: map[string]string{"If-Match": `"2"`}, status: 422},
		{name: "AddComment", method: "POST", path: "/api/v1/cases/" + c.Number + "/comments", body: `{"cco_CaseComment":"Orientée vers le centre de santé de Kolwezi"}`, status: 201, contains: []string{`"version":1`}},
		{name: "ListComments", method: "GET", path: "/api/v1/cases/" + c.Number + "/comments", status: 200, contains: []string{"Kolwezi"}},
		{name: "ErrPartUnknownField", method: "POST", path: "/api/v1/cases/" + c.Number + "/referrals", body: `{"direction":"outgoing","cas_ReferredOrg":"X"}`, status: 422, contains: []string{`"field":"cas_ReferredOrg"`}},
		{name: "ErrPartStale", method: "PUT", path: "/api/v1/cases/" + c.Number + "/events/" + c.Events[0].ID, body: `{"hte_Type":"Transit","hte_Country":"ZM","version":7}`, status: 409},
		{name: "UpdatePart", method: "PUT", path: "/api/v1/cases/" + c.Number + "/events/" + c.Events[0].ID, body: `{"hte_Type":"Exploitation","hte_Country":"ZM","version":1}`, status: 200, contains: []string{`"version":2`}},
		{name: "ListFilteredByDerivedCountry", method: "GET", path: "/api/v1/cases?exploitation_country=ZM", status: 200, contains: []string{`"total":1`, c.Number}, absent: []string{"Mbuyi", "Kabasele", "+243"}},
		{name: "ErrDeleteWithoutVersion", method: "DELETE", path: "/api/v1/cases/" + c.Number + "/events/" + c.Events[0].ID, status: 422},
		{name: "DeletePart", method: "DELETE", path: "/api/v1/cases/" + c.Number + "/events/" + c.Events[0].ID + "?version=2", status: 204},
		{name: "ListAfterDelete", method: "GET", path: "/api/v1/cases?exploitation_country=ZM", status: 200, contains: []string{`"total":0`, `"items":[]`}},
		{name: "Health", method: "GET", path: "/healthz", status: 200, contains: []string{`"ok"`}},
	})
}

func TestListPagination(t *testing.T) {
	eachServer(t, testListPagination)
}

func testListPagination(t *testing.T, srv *httptest.Server) {
	for range 5 {
		do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201)
	}
	seen := map[string]bool{}
	path := "/api/v1/cases?limit=2&sort=number&gender=Feminine&citizenship=CD&exploitation=ForcedLabour&year_from=2026&age_group=Adult"
	for path != "" {
		var page struct {
			Items []struct {
				Number string `json:"case_number"`
			} `json:"items"`
			Total      int    `json:"total"`
			NextCursor string `json:"next_cursor"`
		}
		if err := json.Unmarshal(do(t, srv, "GET", path, "", nil, 200), &page); err != nil {
			t.Fatal(err)
		}
		if page.Total != 5 {
			t.Fatalf("total %d", page.Total)
		}
		for _, it := range page.Items {
			seen[it.Number] = true
		}
		path = ""
		if page.NextCursor != "" {
			path = "/api/v1/cases?limit=2&sort=number&gender=Feminine&citizenship=CD&exploitation=ForcedLabour&year_from=2026&age_group=Adult&cursor=" + page.NextCursor
		}
	}
	if len(seen) != 5 {
		t.Fatalf("paged through %d cases", len(seen))
	}
}
