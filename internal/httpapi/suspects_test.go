// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// suspectLast is the last name of every suspect of the matrix: no refusal
// may contain it.
const suspectLast = "Tshibanda"

const (
	suspectBody = `{"gender":"Masculine","citizenship":"CD","identity":{"first_name":"Joseph","last_name":"Tshibanda","aliases":["Le Colonel"],` +
		`"birthdate":"1979-04-12","documents":[{"type":"NationalID","number":"CD-77-123","country":"CD"}],"phones":["+243990001122"]}}`
	linkBody = `{"roles":["RecruiterOrIntermediary","Transporter"],"relation":"FriendAcquaintance","organisation":"Réseau du fleuve"}`
)

func init() {
	openAPIAreaBodies["POST /api/v1/suspects"] = suspectBody
	openAPIAreaBodies["PUT /api/v1/suspects/{ref}"] = versioned(suspectBody, 1)
	openAPIAreaBodies["POST /api/v1/suspects/duplicates"] = `{"name":"Joseph Tshibanda","aliases":["Le Colonel"],"birthdate":"1979-04-12"}`
	openAPIAreaBodies["POST /api/v1/suspects/{ref}/links"] = `{"case_number":"KIN-2026-000001","roles":["Exploiter"],"relation":"FriendAcquaintance","organisation":"Réseau du fleuve"}`
	openAPIAreaBodies["PUT /api/v1/suspects/{ref}/links/{id}"] = versioned(linkBody, 1)
	matrixAreas = append(matrixAreas, suspectMatrix)
}

// newSuspect registers a suspect of agency, linked to the case numbered
// linkTo when set; it returns the suspect and the link's ID.
func newSuspect(t *testing.T, db *sqlstore.DB, agency, linkTo string) (*domain.Suspect, string) {
	t.Helper()
	s := &domain.Suspect{Agency: agency, Gender: "Masculine", Citizenship: "CD",
		Identity: &domain.SuspectIdentity{FirstName: "Joseph", LastName: suspectLast, Aliases: []string{"Le Colonel"}}}
	if err := db.CreateSuspect(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if linkTo == "" {
		return s, ""
	}
	l := &domain.SuspectLink{SuspectID: s.ID, CaseNumber: linkTo, Roles: []string{"Exploiter"}}
	if err := db.LinkSuspect(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	return s, l.ID
}

// suspectVersion is the stored version of a suspect (0: gone).
func suspectVersion(t *testing.T, db *sqlstore.DB, id string) int64 {
	s, err := db.Suspect(context.Background(), id)
	if domain.KindOf(err) == domain.KindNotFound {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return s.Version
}

// suspectMatrix: justice, supervisors and caseworkers of the agency
// reach its suspects and those linked to a case they reach (here the
// other agency's case referred to theirs); another agency's suspect is
// "not found"; coordinators count and never read; admins get nothing.
// Only justice and supervisors delete, only the registering agency's.
func suspectMatrix() []*entry {
	readable := want{cw: 200, sup: 200, jus: 200, coord: 404, admin: 404, ro: 200}
	hidden := every(404)
	noLeak := func(x *cell, status int, body []byte) {
		if status >= 400 && strings.Contains(string(body), suspectLast) {
			x.t.Errorf("a refusal names the suspect: %s", body)
		}
	}
	var last cellIDs
	intact := func(x *cell, status int, body []byte) {
		noLeak(x, status, body)
		if status >= 400 && suspectVersion(x.t, x.f.db, last.get(x)) != 1 {
			x.t.Errorf("a refused %s changed suspect %s", x.e.method, last.get(x))
		}
	}
	// suspect registers one for the cell: the target agency's, linked to
	// the cell's case (own, another agency's, or another agency's case
	// referred to the caller's agency) when link is set.
	suspect := func(x *cell, link bool) (*domain.Suspect, string) {
		to := ""
		if link {
			to = x.kase().number
		}
		s, l := newSuspect(x.t, x.f.db, x.target(), to)
		last.set(x, s.ID)
		return s, l
	}
	return []*entry{
		{method: "GET", pattern: "/api/v1/suspects", in: want{cw: 200, sup: 200, jus: 200, coord: 200, admin: 403, ro: 200},
			req: func(x *cell) request {
				newSuspect(x.t, x.f.db, x.c.agency, "")
				return request{path: "/api/v1/suspects?gender=Masculine"}
			},
			check: func(x *cell, status int, body []byte) {
				noLeak(x, status, body)
				if status != 200 {
					return
				}
				if x.c.role == domain.RoleCoordinator {
					if strings.Contains(string(body), suspectLast) || !strings.Contains(string(body), `"items":[]`) || !strings.Contains(string(body), `"by_gender":{"Masculine":`) {
						x.t.Errorf("a coordinator's list: %s", body)
					}
					return
				}
				if !strings.Contains(string(body), suspectLast) || strings.Contains(string(body), "CD-77-123") {
					x.t.Errorf("the list must name and show no document: %s", body)
				}
			}},
		{method: "GET", pattern: "/api/v1/suspects/{ref}", in: readable, out: hidden, ref: readable,
			req: func(x *cell) request {
				s, _ := suspect(x, x.scope != scopeIn)
				return request{path: x.fill("{ref}", s.ID), ref: s.ID}
			},
			check: func(x *cell, status int, body []byte) {
				noLeak(x, status, body)
				if status == 200 && (!strings.Contains(string(body), suspectLast) || (x.scope == scopeReferred && !strings.Contains(string(body), x.kase().number))) {
					x.t.Errorf("the suspect: %s", body)
				}
			}},
		{method: "GET", pattern: "/api/v1/cases/{ref}/suspects", in: readable, out: hidden, ref: readable,
			req: func(x *cell) request {
				suspect(x, true)
				return x.onCase(x.kase().number, "")
			},
			check: func(x *cell, status int, body []byte) {
				noLeak(x, status, body)
				if status == 200 && !strings.Contains(string(body), suspectLast) {
					x.t.Errorf("the case's suspects: %s", body)
				}
			}},
		{method: "POST", pattern: "/api/v1/suspects/duplicates", in: want{cw: 200, sup: 200, jus: 200, coord: 403, admin: 403, ro: 403},
			req: func(x *cell) request {
				newSuspect(x.t, x.f.db, x.c.agency, "")
				return request{path: x.e.pattern, body: `{"name":"Josef Tshibanda"}`}
			},
			check: func(x *cell, status int, body []byte) {
				noLeak(x, status, body)
				if status == 200 && !strings.Contains(string(body), suspectLast) {
					x.t.Errorf("no duplicate found: %s", body)
				}
			}},
		{method: "POST", pattern: "/api/v1/suspects",
			in:  want{cw: 201, sup: 201, jus: 201, coord: 403, admin: 403, ro: 403},
			out: want{cw: 422, sup: 422, jus: 422, coord: 403, admin: 403, ro: 403},
			req: func(x *cell) request {
				return request{path: x.e.pattern, body: strings.Replace(suspectBody, `{"gender"`, fmt.Sprintf(`{"agency":%q,"gender"`, x.target()), 1)}
			},
			check: func(x *cell, status int, body []byte) {
				noLeak(x, status, body)
				wantField(x, status, body, "agency")
			}},
		{method: "PUT", pattern: "/api/v1/suspects/{ref}",
			in:  want{cw: 200, sup: 200, jus: 200, coord: 404, admin: 404, ro: 403},
			out: want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 404, ro: 403},
			ref: want{cw: 200, sup: 200, jus: 200, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				s, _ := suspect(x, x.scope != scopeIn)
				return request{path: x.fill("{ref}", s.ID), body: versioned(suspectBody, 1), ref: s.ID}
			},
			check: intact},
		{method: "DELETE", pattern: "/api/v1/suspects/{ref}",
			in:  want{cw: 403, sup: 204, jus: 204, coord: 404, admin: 404, ro: 403},
			out: want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 404, ro: 403},
			ref: want{cw: 403, sup: 403, jus: 403, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				s, _ := suspect(x, x.scope == scopeReferred)
				return request{path: x.fill("{ref}", s.ID) + "?version=1", ref: s.ID}
			},
			check: intact},
		{method: "POST", pattern: "/api/v1/suspects/{ref}/links",
			in:  want{cw: 201, sup: 201, jus: 201, coord: 404, admin: 404, ro: 403},
			out: want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 404, ro: 403},
			ref: want{cw: 201, sup: 201, jus: 201, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				s, _ := suspect(x, x.scope == scopeReferred)
				body := strings.Replace(linkBody, "{", fmt.Sprintf(`{"case_number":%q,`, x.f.main[x.c.agency].number), 1)
				return request{path: x.fill("{ref}", s.ID), body: body, ref: s.ID}
			},
			check: noLeak},
		{method: "POST", pattern: "/api/v1/suspects/{ref}/links", variant: "to a case out of reach",
			in: want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				s, _ := newSuspect(x.t, x.f.db, x.c.agency, "")
				body := strings.Replace(linkBody, "{", fmt.Sprintf(`{"case_number":%q,`, x.f.main[x.c.other].number), 1)
				return request{path: x.fill("{ref}", s.ID), body: body}
			},
			check: func(x *cell, status int, body []byte) {
				noLeak(x, status, body)
				if x.c.role != "" && !x.c.readOnly && x.c.role != domain.RoleCoordinator && x.c.role != domain.RoleAdmin &&
					!strings.Contains(string(body), "case "+x.f.main[x.c.other].number+" does not exist") {
					x.t.Errorf("a case out of reach must be one that does not exist: %s", body)
				}
			}},
		{method: "POST", pattern: "/api/v1/suspects/{ref}/links", variant: "to a situation out of reach",
			in: want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				s, _ := newSuspect(x.t, x.f.db, x.c.agency, "")
				return request{path: x.fill("{ref}", s.ID), body: fmt.Sprintf(`{"situation_id":%q,"roles":["Exploiter"]}`, x.f.situation[x.c.other])}
			},
			check: noLeak},
		{method: "PUT", pattern: "/api/v1/suspects/{ref}/links/{id}",
			in:  want{cw: 200, sup: 200, jus: 200, coord: 404, admin: 404, ro: 403},
			out: want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 404, ro: 403},
			ref: want{cw: 200, sup: 200, jus: 200, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				s, l := suspect(x, true)
				return request{path: x.fill("{ref}", s.ID, "{id}", l), body: versioned(linkBody, 1), ref: s.ID}
			},
			check: noLeak},
		{method: "DELETE", pattern: "/api/v1/suspects/{ref}/links/{id}",
			in:  want{cw: 204, sup: 204, jus: 204, coord: 404, admin: 404, ro: 403},
			out: want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 404, ro: 403},
			ref: want{cw: 204, sup: 204, jus: 204, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				s, l := suspect(x, true)
				return request{path: x.fill("{ref}", s.ID, "{id}", l) + "?version=1", ref: s.ID}
			},
			check: noLeak},
	}
}

// TestSuspectAPI: a suspect named by two victims, hostile input, stale
// versions, duplicates with a spelling variant, refusals across agencies
// and roles, and the audit of reads, through real HTTP on both databases.
func TestSuspectAPI(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		testSuspectAPI(t, srv, db)
	})
}

func testSuspectAPI(t *testing.T, srv *httptest.Server, db *sqlstore.DB) {
	ctx := context.Background()
	if _, err := db.EnsureAgency(ctx, "GOM", "Centre de transit, Goma"); err != nil {
		t.Fatal(err)
	}
	as := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	jus := as(newUserToken(t, db, "opj@kin.example", "KIN", domain.RoleJustice))
	cw := as(newUserToken(t, db, "cw@kin.example", "KIN", domain.RoleCaseworker))
	gom := as(newUserToken(t, db, "cw@gom.example", "GOM", domain.RoleCaseworker, domain.RoleSupervisor, domain.RoleJustice))
	coord := as(newUserToken(t, db, "coord@cnltp.example", "KIN", domain.RoleCoordinator))
	admin := as(newUserToken(t, db, "admin@kin.example", "KIN", domain.RoleAdmin))

	var c1, c2 struct {
		Number string `json:"case_number"`
	}
	mustJSON(t, do(t, srv, "POST", "/api/v1/cases", validCase, cw, 201), &c1)
	mustJSON(t, do(t, srv, "POST", "/api/v1/cases", validCase, cw, 201), &c2)

	// Registration, then a second registration with a spelling variant is
	// told about the first.
	var s1, s2 struct {
		domain.Suspect
		Dupes []domain.SuspectMatch `json:"possible_duplicates"`
	}
	mustJSON(t, do(t, srv, "POST", "/api/v1/suspects", suspectBody, cw, 201), &s1)
	if s1.Number != "KIN-S-2026-000001" || len(s1.Dupes) != 0 || s1.AgeGroup != "Adult" {
		t.Fatalf("first registration: %+v", s1)
	}
	variant := strings.Replace(strings.Replace(suspectBody, `"Joseph"`, `"Josef"`, 1), "Tshibanda", "Tchibanda", 1)
	mustJSON(t, do(t, srv, "POST", "/api/v1/suspects", variant, jus, 201), &s2)
	if len(s2.Dupes) != 1 || s2.Dupes[0].Number != s1.Number || !s2.Dupes[0].SameBirthdate {
		t.Fatalf("the variant is not told about the first: %+v", s2.Dupes)
	}
	// Another agency's duplicate check does not see KIN's suspects.
	if b := do(t, srv, "POST", "/api/v1/suspects/duplicates", `{"name":"Joseph Tshibanda"}`, gom, 200); strings.Contains(string(b), suspectLast) {
		t.Fatalf("GOM sees KIN's suspects: %s", b)
	}

	// Hostile and malformed input.
	for _, bad := range []struct{ name, body, field string }{
		{"unknown field", strings.Replace(suspectBody, `"gender"`, `"is_admin":true,"gender"`, 1), "is_admin"},
		{"control character", strings.Replace(suspectBody, "Joseph", `Jo\u001bseph`, 1), "identity.first_name"},
		{"overlong", strings.Replace(suspectBody, "Joseph", strings.Repeat("J", 201), 1), "identity.first_name"},
		{"gender", strings.Replace(suspectBody, "Masculine", "Male", 1), "gender"},
		{"document type", strings.Replace(suspectBody, "NationalID", "Badge", 1), "identity.documents[0].type"},
		{"number given", strings.Replace(suspectBody, `{"gender"`, `{"number":"KIN-S-2026-000099","gender"`, 1), "number"},
		{"phone", strings.Replace(suspectBody, "+243990001122", "call me", 1), "identity.phones[0]"},
		{"nothing to know", `{"identity":{}}`, "identity.last_name"},
		{"not an object", `[]`, ""},
	} {
		b := do(t, srv, "POST", "/api/v1/suspects", bad.body, cw, 422)
		if bad.field != "" && !strings.Contains(string(b), `"field":"`+bad.field+`"`) {
			t.Errorf("%s: %s", bad.name, b)
		}
	}
	// HTML in a name is kept as typed (JSON escapes it; pages escape it).
	var h domain.Suspect
	mustJSON(t, do(t, srv, "POST", "/api/v1/suspects", strings.Replace(suspectBody, "Joseph", `<script>alert(1)</script>`, 1), cw, 201), &h)
	if h.Identity.FirstName != "<script>alert(1)</script>" {
		t.Fatalf("the name came back as %q", h.Identity.FirstName)
	}

	// Linked to two victims' cases; both cases list him.
	ref := "/api/v1/suspects/" + s1.Number
	for _, n := range []string{c1.Number, c2.Number} {
		do(t, srv, "POST", ref+"/links", strings.Replace(linkBody, "{", fmt.Sprintf(`{"case_number":%q,`, n), 1), cw, 201)
		if b := do(t, srv, "GET", "/api/v1/cases/"+n+"/suspects", "", jus, 200); !strings.Contains(string(b), s1.Number) || !strings.Contains(string(b), "Réseau du fleuve") {
			t.Fatalf("case %s: %s", n, b)
		}
	}
	do(t, srv, "POST", ref+"/links", strings.Replace(linkBody, "{", fmt.Sprintf(`{"case_number":%q,`, c1.Number), 1), cw, 409)
	do(t, srv, "POST", ref+"/links", `{"case_number":"`+c1.Number+`","relation":"Boss"}`, cw, 422)
	do(t, srv, "POST", ref+"/links", `{"case_number":"`+c1.Number+`","suspect_id":"`+s2.ID+`"}`, cw, 422)
	var got domain.Suspect
	mustJSON(t, do(t, srv, "GET", ref, "", jus, 200), &got)
	if len(got.Links) != 2 || got.Identity.Documents[0].Number != "CD-77-123" {
		t.Fatalf("the suspect: %+v", got)
	}

	// Versions: a stale edit is refused and changes nothing; no version at
	// all is invalid.
	do(t, srv, "PUT", ref, versioned(suspectBody, 1), jus, 200)
	do(t, srv, "PUT", ref, versioned(strings.Replace(suspectBody, "Joseph", "Autre", 1), 1), cw, 409)
	do(t, srv, "PUT", ref, suspectBody, cw, 422)
	do(t, srv, "DELETE", ref+"?version=2", "", jus, 409) // linked

	// Other agencies, coordinators and admins.
	for _, h := range []map[string]string{gom, coord, admin} {
		if b := do(t, srv, "GET", ref, "", h, 404); strings.Contains(string(b), suspectLast) {
			t.Fatalf("a refusal names him: %s", b)
		}
	}
	do(t, srv, "GET", "/api/v1/cases/"+c1.Number+"/suspects", "", gom, 404)
	do(t, srv, "GET", "/api/v1/cases/"+c1.Number+"/suspects", "", coord, 404)
	var gs domain.Suspect
	mustJSON(t, do(t, srv, "POST", "/api/v1/suspects", suspectBody, gom, 201), &gs)
	do(t, srv, "POST", "/api/v1/suspects/"+gs.Number+"/links", `{"case_number":"`+c1.Number+`"}`, gom, 404)
	do(t, srv, "GET", "/api/v1/suspects?agency=GOM", "", cw, 200)
	if b := do(t, srv, "GET", "/api/v1/suspects?agency=GOM", "", cw, 200); strings.Contains(string(b), gs.Number) {
		t.Fatalf("KIN lists GOM's suspect: %s", b)
	}
	b := do(t, srv, "GET", "/api/v1/suspects", "", coord, 200)
	if strings.Contains(string(b), suspectLast) || strings.Contains(string(b), "Tchibanda") || !strings.Contains(string(b), `"total":4`) {
		t.Fatalf("the coordinator's counts: %s", b)
	}
	do(t, srv, "GET", "/api/v1/suspects", "", admin, 403)
	do(t, srv, "GET", "/api/v1/suspects?limit=1000", "", cw, 422)
	do(t, srv, "GET", "/api/v1/suspects?nom=Tshibanda", "", cw, 422)
	do(t, srv, "GET", "/api/v1/suspects/Joseph%20Tshibanda", "", cw, 404)

	// Every read of his identity is in the log, without his name.
	es, err := db.AuditEntries(ctx, domain.AuditFilter{Action: domain.AuditRead})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, e := range es {
		if e.Resource == string(domain.ResSuspect) {
			if e.RecordID == s1.ID {
				reads++
			}
			raw, _ := json.Marshal(e)
			if strings.Contains(string(raw), suspectLast) {
				t.Fatalf("a name in the log: %s", raw)
			}
		}
	}
	if reads != 1 {
		t.Fatalf("%d audited reads of the suspect's page, want 1", reads)
	}
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}
