// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

const (
	providerBody  = `{"name":"Maison Espoir","type":"NGO","phone":"+243812345678","provinces":["CD-KN","CD-NK"],"services":["Shelter","Psychosocial"],"beds_total":20,"beds_free":4,"capacity_date":"2026-11-20"}`
	awarenessBody = `{"type":"Radio","date":"2026-10-03","province":"CD-NK","locality":"Goma","reached":{"female_children":1,"female_adults":2,"male_children":3,"male_adults":4}}`
)

func init() {
	openAPIAreaBodies["POST /api/v1/providers"] = providerBody
	openAPIAreaBodies["PUT /api/v1/providers/{id}"] = versioned(providerBody, 1)
	openAPIAreaBodies["POST /api/v1/awareness"] = awarenessBody
	openAPIAreaBodies["PUT /api/v1/awareness/{id}"] = versioned(awarenessBody, 1)
	matrixAreas = append(matrixAreas, preventionMatrix)
}

// newProvider stores a provider for one cell of the matrix.
func newProvider(t *testing.T, db *sqlstore.DB, name string) *domain.Provider {
	t.Helper()
	p := &domain.Provider{Name: name, Type: "NGO", Provinces: []string{"CD-KN"}, Services: []string{"Shelter"}}
	if err := db.CreateProvider(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

// newActivity stores an awareness activity of agency.
func newActivity(t *testing.T, db *sqlstore.DB, agency string) *domain.Awareness {
	t.Helper()
	a := &domain.Awareness{Type: "Market", Date: domain.NewDate(2026, 9, 1), Province: "CD-KN", Agency: agency, Reached: domain.Reached{FemaleAdults: 12}}
	if err := db.CreateAwareness(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// providerVersion is the stored version of a provider (0: gone).
func providerVersion(t *testing.T, db *sqlstore.DB, id string) int64 {
	p, err := db.Provider(context.Background(), id)
	if domain.KindOf(err) == domain.KindNotFound {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return p.Version
}

func activityVersion(t *testing.T, db *sqlstore.DB, id string) int64 {
	a, err := db.Awareness(context.Background(), id)
	if domain.KindOf(err) == domain.KindNotFound {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return a.Version
}

// preventionMatrix: the directory is read by every role and kept by
// supervisors and admins (deleted by admins only); activities are
// recorded by the organiser agency's caseworkers and supervisors and
// read nationally by coordinators; another agency's activity is "not
// found" to the agency roles.
func preventionMatrix() []*entry {
	// intact checks that a refused change left the record as it was.
	providerIntact := func(x *cell, id string, status int) {
		if status >= 400 && providerVersion(x.t, x.f.db, id) != 1 {
			x.t.Errorf("a refused %s changed provider %s", x.e.method, id)
		}
	}
	activityIntact := func(x *cell, id string, status int) {
		if status >= 400 && activityVersion(x.t, x.f.db, id) != 1 {
			x.t.Errorf("a refused %s changed activity %s", x.e.method, id)
		}
	}
	var lastProvider, lastActivity cellIDs
	return []*entry{
		{method: "GET", pattern: "/api/v1/providers", in: every(200),
			req: func(x *cell) request { return request{path: "/api/v1/providers?service=Shelter&province=CD-KN"} }},
		{method: "GET", pattern: "/api/v1/providers/{id}", in: every(200),
			req: func(x *cell) request {
				p := newProvider(x.t, x.f.db, fmt.Sprintf("Centre %d", x.f.next()))
				return request{path: x.fill("{id}", p.ID)}
			}},
		{method: "POST", pattern: "/api/v1/providers", in: want{cw: 403, sup: 201, jus: 403, coord: 403, admin: 201, ro: 403},
			req: func(x *cell) request {
				return request{path: x.e.pattern, body: strings.Replace(providerBody, "Maison Espoir", fmt.Sprintf("Maison %d", x.f.next()), 1)}
			}},
		{method: "PUT", pattern: "/api/v1/providers/{id}", in: want{cw: 403, sup: 200, jus: 403, coord: 403, admin: 200, ro: 403},
			req: func(x *cell) request {
				p := newProvider(x.t, x.f.db, fmt.Sprintf("Centre %d", x.f.next()))
				lastProvider.set(x, p.ID)
				return request{path: x.fill("{id}", p.ID), body: versioned(providerBody, 1)}
			},
			check: func(x *cell, status int, body []byte) { providerIntact(x, lastProvider.get(x), status) }},
		{method: "DELETE", pattern: "/api/v1/providers/{id}", in: want{cw: 403, sup: 403, jus: 403, coord: 403, admin: 204, ro: 403},
			req: func(x *cell) request {
				p := newProvider(x.t, x.f.db, fmt.Sprintf("Centre %d", x.f.next()))
				lastProvider.set(x, p.ID)
				return request{path: x.fill("{id}", p.ID) + "?version=1"}
			},
			check: func(x *cell, status int, body []byte) { providerIntact(x, lastProvider.get(x), status) }},

		{method: "GET", pattern: "/api/v1/awareness",
			in:  want{cw: 200, sup: 200, jus: 403, coord: 200, admin: 403, ro: 200},
			out: want{cw: 403, sup: 403, jus: 403, coord: 200, admin: 403, ro: 403},
			req: func(x *cell) request {
				newActivity(x.t, x.f.db, x.target())
				return request{path: "/api/v1/awareness?agency=" + x.target()}
			},
			check: func(x *cell, status int, body []byte) {
				if status == 200 && (len(jsonItems(x.t, body)) == 0 || strings.Contains(string(body), `"agency":"`+otherAgency(x, x.target())+`"`)) {
					x.t.Errorf("the list of %s's activities: %s", x.target(), body)
				}
			}},
		{method: "GET", pattern: "/api/v1/awareness/summary",
			in:  want{cw: 200, sup: 200, jus: 403, coord: 200, admin: 403, ro: 200},
			out: want{cw: 403, sup: 403, jus: 403, coord: 200, admin: 403, ro: 403},
			req: func(x *cell) request {
				return request{path: "/api/v1/awareness/summary?from=2026-01-01&to=2026-12-31&agency=" + x.target()}
			}},
		{method: "GET", pattern: "/api/v1/awareness/{id}",
			in:  want{cw: 200, sup: 200, jus: 403, coord: 200, admin: 403, ro: 200},
			out: want{cw: 404, sup: 404, jus: 403, coord: 200, admin: 403, ro: 404},
			req: func(x *cell) request {
				a := newActivity(x.t, x.f.db, x.target())
				return request{path: x.fill("{id}", a.ID), ref: a.ID}
			}},
		{method: "POST", pattern: "/api/v1/awareness",
			in:  want{cw: 201, sup: 201, jus: 403, coord: 403, admin: 403, ro: 403},
			out: want{cw: 422, sup: 422, jus: 403, coord: 403, admin: 403, ro: 403},
			req: func(x *cell) request {
				return request{path: x.e.pattern, body: strings.Replace(awarenessBody, `{"type"`, fmt.Sprintf(`{"agency":%q,"type"`, x.target()), 1)}
			},
			check: func(x *cell, status int, body []byte) { wantField(x, status, body, "agency") }},
		{method: "PUT", pattern: "/api/v1/awareness/{id}",
			in:  want{cw: 200, sup: 200, jus: 403, coord: 403, admin: 403, ro: 403},
			out: want{cw: 404, sup: 404, jus: 403, coord: 403, admin: 403, ro: 403},
			req: func(x *cell) request {
				a := newActivity(x.t, x.f.db, x.target())
				lastActivity.set(x, a.ID)
				return request{path: x.fill("{id}", a.ID), body: versioned(awarenessBody, 1), ref: a.ID}
			},
			check: func(x *cell, status int, body []byte) { activityIntact(x, lastActivity.get(x), status) }},
		{method: "DELETE", pattern: "/api/v1/awareness/{id}",
			in:  want{cw: 403, sup: 204, jus: 403, coord: 403, admin: 403, ro: 403},
			out: want{cw: 403, sup: 404, jus: 403, coord: 403, admin: 403, ro: 403},
			req: func(x *cell) request {
				a := newActivity(x.t, x.f.db, x.target())
				lastActivity.set(x, a.ID)
				return request{path: x.fill("{id}", a.ID) + "?version=1", ref: a.ID}
			},
			check: func(x *cell, status int, body []byte) { activityIntact(x, lastActivity.get(x), status) }},
	}
}

// otherAgency is the fixture's agency that is not code.
func otherAgency(x *cell, code string) string {
	if x.c.agency == code {
		return x.c.other
	}
	return x.c.agency
}

// cellIDs remembers the record each cell made, for its check.
type cellIDs struct{ m sync.Map }

func (s *cellIDs) set(x *cell, id string) { s.m.Store(x, id) }
func (s *cellIDs) get(x *cell) string {
	v, _ := s.m.Load(x)
	id, _ := v.(string)
	return id
}

// TestPreventionAPI: hostile and malformed input, stale versions and the
// summary, through real HTTP on both databases.
func TestPreventionAPI(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		testPreventionAPI(t, srv, db)
	})
}

func testPreventionAPI(t *testing.T, srv *httptest.Server, db *sqlstore.DB) {
	hostile := strings.Replace(providerBody, "Maison Espoir", `<script>alert(1)</script>`, 1)
	var p domain.Provider
	if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/providers", hostile, nil, 201), &p); err != nil {
		t.Fatal(err)
	}
	if p.Name != "<script>alert(1)</script>" || p.Version != 1 {
		t.Errorf("stored %+v", p)
	}
	for name, c := range map[string]struct {
		body, field string
	}{
		"long name":      {strings.Replace(providerBody, "Maison Espoir", strings.Repeat("x", 10000), 1), "name"},
		"control char":   {strings.Replace(providerBody, "Maison Espoir", `Maison\u0007`, 1), "name"},
		"province":       {strings.Replace(providerBody, "CD-NK", "CD-ZZ", 1), "provinces"},
		"service":        {strings.Replace(providerBody, `"Shelter"`, `"Spa"`, 1), "services"},
		"free over beds": {strings.Replace(providerBody, `"beds_free":4`, `"beds_free":40`, 1), "beds_free"},
		"bad date":       {strings.Replace(providerBody, "2026-11-20", "20/11/2026", 1), "capacity_date"},
		"phone":          {strings.Replace(providerBody, "+243812345678", "0812345678", 1), "phone"},
		"unknown key":    {strings.Replace(providerBody, `"name"`, `"nom":"x","name"`, 1), "nom"},
		"unknown agency": {strings.Replace(providerBody, `"name"`, `"agency_code":"NOPE","name"`, 1), "agency_code"},
	} {
		body := do(t, srv, "POST", "/api/v1/providers", c.body, nil, 422)
		if !strings.Contains(string(body), `"field":"`+c.field+`"`) {
			t.Errorf("%s: %s", name, body)
		}
	}
	do(t, srv, "GET", "/api/v1/providers?service=Spa", "", nil, 422)
	do(t, srv, "GET", "/api/v1/providers?province=CD-KN&province=CD-NK", "", nil, 422)
	do(t, srv, "GET", "/api/v1/providers?limit=-1", "", nil, 422)
	list := do(t, srv, "GET", "/api/v1/providers?service=Shelter&province=CD-NK&q=script", "", nil, 200)
	if !strings.Contains(string(list), `"total":1`) {
		t.Errorf("list %s", list)
	}
	do(t, srv, "GET", "/api/v1/providers/not-an-id", "", nil, 404)

	// Only admins link a provider to a Vigie agency (a referral to it
	// opens the case to that agency); supervisors keep the rest.
	sup := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "sup-only@kin.example", "KIN", domain.RoleSupervisor)}
	linked := strings.Replace(providerBody, `"name"`, `"agency_code":"KIN","name"`, 1)
	if body := do(t, srv, "POST", "/api/v1/providers", linked, sup, 422); !strings.Contains(string(body), `"field":"agency_code"`) {
		t.Errorf("a supervisor linking a provider: %s", body)
	}
	var q domain.Provider
	if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/providers", linked, nil, 201), &q); err != nil {
		t.Fatal(err)
	}
	do(t, srv, "PUT", "/api/v1/providers/"+q.ID, versioned(providerBody, 1), sup, 422)
	do(t, srv, "PUT", "/api/v1/providers/"+q.ID, versioned(strings.Replace(linked, `"beds_free":4`, `"beds_free":2`, 1), 1), sup, 200)

	// Stale versions: 409, nothing saved.
	edited := strings.Replace(providerBody, `"beds_free":4`, `"beds_free":0`, 1)
	do(t, srv, "PUT", "/api/v1/providers/"+p.ID, edited, nil, 422) // no version
	do(t, srv, "PUT", "/api/v1/providers/"+p.ID, edited, map[string]string{"If-Match": `"1"`}, 200)
	do(t, srv, "PUT", "/api/v1/providers/"+p.ID, versioned(edited, 1), nil, 409)
	do(t, srv, "DELETE", "/api/v1/providers/"+p.ID+"?version=1", "", nil, 409)
	do(t, srv, "DELETE", "/api/v1/providers/"+p.ID+"?version=x", "", nil, 422)
	do(t, srv, "DELETE", "/api/v1/providers/"+p.ID+"?version=2", "", nil, 204)

	// Activities.
	var a domain.Awareness
	if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/awareness", strings.Replace(awarenessBody, "Goma", "<img src=x onerror=alert(1)>", 1), nil, 201), &a); err != nil {
		t.Fatal(err)
	}
	if a.Agency != "KIN" {
		t.Errorf("organiser %q, want the caller's agency", a.Agency)
	}
	for name, c := range map[string]struct{ body, field string }{
		"future":   {strings.Replace(awarenessBody, "2026-10-03", "2027-10-03", 1), "date"},
		"negative": {strings.Replace(awarenessBody, `"male_adults":4`, `"male_adults":-4`, 1), "reached.male_adults"},
		"type":     {strings.Replace(awarenessBody, "Radio", "Concert", 1), "type"},
		"notes":    {strings.Replace(awarenessBody, `{"type"`, `{"notes":"`+strings.Repeat("n", 10000)+`","type"`, 1), "notes"},
	} {
		body := do(t, srv, "POST", "/api/v1/awareness", c.body, nil, 422)
		if !strings.Contains(string(body), `"field":"`+c.field+`"`) {
			t.Errorf("%s: %s", name, body)
		}
	}
	do(t, srv, "PUT", "/api/v1/awareness/"+a.ID, versioned(awarenessBody, 1), nil, 200)
	do(t, srv, "PUT", "/api/v1/awareness/"+a.ID, versioned(awarenessBody, 1), nil, 409)
	sum := do(t, srv, "GET", "/api/v1/awareness/summary?from=2026-01-01&to=2026-12-31", "", nil, 200)
	if !strings.Contains(string(sum), `"activities":1`) || !strings.Contains(string(sum), `"total":10`) {
		t.Errorf("summary %s", sum)
	}
	do(t, srv, "GET", "/api/v1/awareness/summary?from=2026-12-31&to=2026-01-01", "", nil, 422)
	do(t, srv, "GET", "/api/v1/awareness/summary?from=hier", "", nil, 422)
	do(t, srv, "GET", "/api/v1/awareness?limit=1", "", nil, 200)
}
