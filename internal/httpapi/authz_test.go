// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vigie/internal/auth"
	"vigie/internal/domain"
	"vigie/internal/httpapi"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// The authorisation matrix: every route the router serves × every kind of
// caller (each role of two agencies, a read-only token, nobody) × a target
// in the caller's reach, out of it, and reached through a referral → the
// status that the permission table (internal/domain/access.go) and the
// handlers must give. A route without a line fails the test: a new route
// cannot ship without someone deciding who may call it.

// want is the status each kind of signed-in caller must get. ro is a
// caseworker calling with a read-only API token: it reads as the
// caseworker does; a change to a case in reach is 403 (the case is
// readable, the action is not), out of reach 404 as for everyone;
// creating a case or a situation and breaking the glass are 403. Routes
// outside the permission table (the caller's own account and tokens) do
// not look at read-only.
type want struct{ cw, sup, jus, coord, admin, ro int }

func every(status int) want { return want{status, status, status, status, status, status} }

// adminOnly: admins get status, everyone else 403.
func adminOnly(status int) want { return want{403, 403, 403, 403, status, 403} }

// Scopes of a cell: the target is the caller's agency's record, another
// agency's, or another agency's record referred to the caller's agency by
// an active referral. Routes that target no record run once, "any".
const (
	scopeAny      = "any"
	scopeIn       = "in"
	scopeOut      = "out"
	scopeReferred = "referred"
)

// entry is one line of the matrix: one route (method and pattern), or a
// variant, another request on the same route (closing a case, an ID of
// another case's record).
type entry struct {
	method, pattern string
	variant         string
	// public routes answer without credentials; anon is then the status
	// an anonymous caller gets. Anonymous callers of every other route get
	// 401.
	public bool
	anon   int
	// in applies to scope in (or any); out, when set, adds an out-of-scope
	// cell; ref, when set, a referred cell.
	in, out, ref want
	// justice, for part routes, lists the kinds of part on which justice
	// gets its status in reach; the other kinds are 403.
	justice []domain.PartKind
	// ownerOnly, for part routes, lists the kinds of part that only the
	// owning agency may change: a referred agency's caseworkers and
	// supervisors get 403 on them (a referral is not passed on).
	ownerOnly []domain.PartKind
	// req builds the request (nil: the pattern, no body).
	req func(x *cell) request
	// check asserts more on the answer (always called).
	check func(x *cell, status int, body []byte)
}

func (e *entry) key() string { return e.method + " " + e.pattern }

func (e *entry) scopes() []string {
	if e.out == (want{}) {
		return []string{scopeAny}
	}
	s := []string{scopeIn, scopeOut}
	if e.ref != (want{}) {
		s = append(s, scopeReferred)
	}
	return s
}

func (e *entry) kinds() []domain.PartKind {
	if strings.Contains(e.pattern, "{part}") {
		return domain.PartKinds
	}
	return []domain.PartKind{""}
}

func (e *entry) expect(c *caller, scope string, kind domain.PartKind) int {
	if c.role == "" {
		if e.public {
			return e.anon
		}
		return 401
	}
	w := e.in
	switch scope {
	case scopeOut:
		w = e.out
	case scopeReferred:
		w = e.ref
	}
	// A read-only token changes nothing, its own account included: the
	// guard refuses every unsafe method before looking at the record.
	if c.readOnly && e.method != "GET" && !e.public {
		return 403
	}
	if c.readOnly {
		return w.ro
	}
	if scope == scopeReferred && slices.Contains(e.ownerOnly, kind) && (c.role == domain.RoleCaseworker || c.role == domain.RoleSupervisor) {
		return 403
	}
	switch c.role {
	case domain.RoleCaseworker:
		return w.cw
	case domain.RoleSupervisor:
		return w.sup
	case domain.RoleJustice:
		if e.justice != nil && scope != scopeOut && !slices.Contains(e.justice, kind) {
			return 403
		}
		return w.jus
	case domain.RoleCoordinator:
		return w.coord
	case domain.RoleAdmin:
		return w.admin
	}
	panic("unknown role " + c.role)
}

// request is what a cell sends. ref, when set, is the case or situation
// reference in path: an answer 404 must then be the very answer for a
// reference that does not exist.
type request struct {
	path, body string
	header     map[string]string
	ref        string
}

// caller is one kind of caller; anonymous callers have no role and stand
// in agency KIN.
type caller struct {
	name, agency, other string
	role                domain.Role
	readOnly            bool
	token, userID       string
	email               string
}

type victim struct{ first, middle, last, phone, email string }

type fixtureCase struct {
	id, number, agency string
	victim             victim
	attachment         string                     // a file of the case
	parts              map[domain.PartKind]string // a part of each kind
}

// matrixFixture is the data every cell shares: two agencies, their staff,
// in each a case with every kind of part, a case referred to the other
// agency and a situation.
type matrixFixture struct {
	srv       *httptest.Server
	db        *sqlstore.DB
	agencyID  map[string]string
	main      map[string]fixtureCase // an agency's case with every part
	referred  map[string]fixtureCase // an agency's case referred to the other
	glass     map[string]fixtureCase // the target of refused break-the-glass
	situation map[string]string
	staff     map[string]map[domain.Role]*caller
	callers   []*caller
	token     map[string]string // an API token of each agency's caseworker
	secrets   []string          // what no refusal may contain
	seq       atomic.Int64
	requests  atomic.Int64
	// missing holds the answer to a reference that names nothing, per
	// line, kind of part and caller.
	mu      sync.Mutex
	missing map[string]*missingAnswer
}

type missingAnswer struct {
	once sync.Once
	body string
}

// cell is one cell of the matrix being run.
type cell struct {
	t      *testing.T
	f      *matrixFixture
	c      *caller
	e      *entry
	scope  string
	kind   domain.PartKind
	status int // expected
}

// succeeds reports whether the cell expects its request to be carried
// out. Only such cells get records of their own to change; a refused
// request is sent to the shared records, which it must leave alone.
func (x *cell) succeeds() bool { return x.status < 300 }

// target is the agency whose record the cell acts on.
func (x *cell) target() string {
	if x.scope == scopeOut || x.scope == scopeReferred {
		return x.c.other
	}
	return x.c.agency
}

// kase is the shared case the cell acts on.
func (x *cell) kase() fixtureCase {
	switch x.scope {
	case scopeOut:
		return x.f.main[x.c.other]
	case scopeReferred:
		return x.f.referred[x.c.other]
	}
	return x.f.main[x.c.agency]
}

// caseToChange is the case a cell that changes a case acts on: a new one
// when the change is to succeed, else the shared one.
func (x *cell) caseToChange() fixtureCase {
	if !x.succeeds() {
		return x.kase()
	}
	switch x.scope {
	case scopeOut:
		return x.f.newCase(x.t, x.c.other, "")
	case scopeReferred:
		return x.f.newCase(x.t, x.c.other, x.c.agency)
	}
	return x.f.newCase(x.t, x.c.agency, "")
}

// partToChange is the part of case kc a cell that changes a part acts
// on: a new one when the change is to succeed, else the shared one.
func (x *cell) partToChange(kc fixtureCase) string {
	if !x.succeeds() {
		return kc.parts[x.kind]
	}
	return x.f.newPart(x.t, kc.number, x.kind)
}

// fill replaces the pattern's wildcards: pairs of name and value.
func (x *cell) fill(pairs ...string) string {
	p := strings.Replace(x.e.pattern, "{part}", string(x.kind), 1)
	return strings.NewReplacer(pairs...).Replace(p)
}

// onCase is a request on case ref.
func (x *cell) onCase(ref, body string, pairs ...string) request {
	return request{path: x.fill(append([]string{"{ref}", ref}, pairs...)...), body: body, ref: ref}
}

var partBodies = map[domain.PartKind]string{
	domain.PartEvents:       `{"hte_Type":"Transit","hte_Country":"ZM"}`,
	domain.PartSupportPlans: `{"spl_Type":"Legal","spl_Objectives":"Accompagnement au tribunal"}`,
	domain.PartConsents:     `{"con_Consent":true,"vig_ConsentDate":"2026-03-15"}`,
	domain.PartComments:     `{"cco_CaseComment":"Entretien de suivi"}`,
	domain.PartReferrals:    `{"direction":"incoming","cas_ReferringOrganisation":"Brigade des mineurs"}`,
	domain.PartPerpetrators: `{"person":{"prs_FirstName":"Ilunga"},"per_Organisation":"Agence de voyage"}`,
}

// versioned adds "version":v to a JSON object.
func versioned(body string, v int) string {
	return fmt.Sprintf(`{"version":%d,`, v) + strings.TrimPrefix(body, "{")
}

const attachmentText = "Attestation de prise en charge"

// throwawayCase is the body of a case that no check looks for.
func throwawayCase(agency, status string) string {
	reason := "" // closing a case says why
	if status == "Closed" || status == "ClosedReferred" {
		reason = "Essai terminé"
	}
	return fmt.Sprintf(`{"agency":%q,"cas_Status":%q,"cas_ReasonForCaseClosure":%q,"person":{"prs_FirstName":"Essai","prs_SecondName":"Jetable"},
 "victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking"}}`, agency, status, reason)
}

// caseRead is reading a case: the case roles in reach, nobody else.
var caseRead = want{cw: 200, sup: 200, jus: 200, coord: 404, admin: 404, ro: 200}

// authorisationMatrix is the table. Lines run one after the other, in
// this order, reads first; the cells of a line run together. A cell that
// is to change a record changes one made for it; a cell that is to be
// refused is sent to the shared records, which it must leave alone.
// matrixAreas are the lines of other areas of the API (prevention,
// training…), each declared in its own test file with an init function,
// so that every route still has exactly one line.
var matrixAreas []func() []*entry

func authorisationMatrix() []*entry {
	out := caseMatrix()
	for _, area := range matrixAreas {
		out = append(out, area()...)
	}
	return out
}

func caseMatrix() []*entry {
	search := want{cw: 200, sup: 200, jus: 200, coord: 403, admin: 403, ro: 200}
	attachmentRead := want{cw: 200, sup: 200, jus: 403, coord: 404, admin: 404, ro: 200}
	return []*entry{
		{method: "GET", pattern: "/healthz", public: true, anon: 200, in: every(200)},
		{method: "GET", pattern: "/api/v1/openapi.json", public: true, anon: 200, in: every(200)},
		{method: "GET", pattern: "/api/v1/auth/session", in: every(200)},
		{method: "GET", pattern: "/api/v1/tokens", in: every(200)},
		{method: "GET", pattern: "/api/v1/users", in: adminOnly(200), out: adminOnly(200),
			req: func(x *cell) request { return request{path: "/api/v1/users?agency=" + x.target()} },
			check: func(x *cell, status int, body []byte) {
				if status == 200 && !strings.Contains(string(body), x.f.staff[x.target()][domain.RoleCaseworker].email) {
					x.t.Errorf("the list lacks %s's users: %s", x.target(), body)
				}
			}},
		{method: "GET", pattern: "/api/v1/users/{id}", in: adminOnly(200), out: adminOnly(200),
			req: func(x *cell) request {
				return request{path: x.fill("{id}", x.f.staff[x.target()][domain.RoleCaseworker].userID)}
			}},
		{method: "GET", pattern: "/api/v1/agencies", in: every(200)},
		{method: "GET", pattern: "/api/v1/agencies/{code}", in: every(200), out: every(200),
			req: func(x *cell) request { return request{path: x.fill("{code}", x.target())} }},

		// Lists hold no names: a coordinator lists every agency's cases,
		// the other case roles their own agency's only.
		{method: "GET", pattern: "/api/v1/cases",
			in:  want{cw: 200, sup: 200, jus: 200, coord: 200, admin: 403, ro: 200},
			out: want{cw: 403, sup: 403, jus: 403, coord: 200, admin: 403, ro: 403},
			req: func(x *cell) request {
				if x.scope == scopeOut {
					return request{path: "/api/v1/cases?agency=" + x.target()}
				}
				return request{path: "/api/v1/cases"}
			},
			check: func(x *cell, status int, body []byte) {
				if status != 200 {
					return
				}
				x.f.noSecrets(x.t, body)
				if strings.Contains(string(body), "prs_FirstName") {
					x.t.Errorf("a list shows names: %s", body)
				}
				if !strings.Contains(string(body), x.f.main[x.target()].number) {
					x.t.Errorf("the list lacks %s: %s", x.f.main[x.target()].number, body)
				}
				if x.c.role != domain.RoleCoordinator && strings.Contains(string(body), x.f.main[x.c.other].number) {
					x.t.Errorf("the list shows %s of another agency: %s", x.f.main[x.c.other].number, body)
				}
			}},
		{method: "GET", pattern: "/api/v1/cases/{ref}", in: caseRead, out: every(404), ref: caseRead,
			req:   func(x *cell) request { return x.onCase(x.kase().number, "") },
			check: checkCaseBody},
		{method: "GET", pattern: "/api/v1/cases/{ref}", variant: "by id", in: caseRead, out: every(404), ref: caseRead,
			req:   func(x *cell) request { return x.onCase(x.kase().id, "") },
			check: checkCaseBody},
		// A case's audit trail: supervisors of its own agency (not of an
		// agency it is referred to), and admins, who read the whole log.
		{method: "GET", pattern: "/api/v1/cases/{ref}/audit",
			in:  want{cw: 404, sup: 200, jus: 404, coord: 404, admin: 200, ro: 404},
			out: want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 200, ro: 404},
			ref: want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 200, ro: 404},
			req: func(x *cell) request { return x.onCase(x.kase().number, "") },
			check: func(x *cell, status int, body []byte) {
				if status != 200 {
					return
				}
				items := jsonItems(x.t, body)
				if len(items) == 0 {
					x.t.Errorf("no entry in the audit trail of %s", x.kase().number)
				}
				for _, it := range items {
					if it["case_id"] != x.kase().id {
						x.t.Errorf("the audit trail of %s shows an entry of another case: %v", x.kase().number, it)
					}
				}
			}},
		// Justice reads events and perpetrators only.
		{method: "GET", pattern: "/api/v1/cases/{ref}/{part}", in: caseRead, out: every(404), ref: caseRead,
			justice: []domain.PartKind{domain.PartEvents, domain.PartPerpetrators},
			req:     func(x *cell) request { return x.onCase(x.kase().number, "") },
			check: func(x *cell, status int, body []byte) {
				if status == 200 && len(jsonItems(x.t, body)) == 0 {
					x.t.Errorf("no %s listed: %s", x.kind, body)
				}
			}},
		{method: "GET", pattern: "/api/v1/cases/{ref}/attachments", in: attachmentRead, out: every(404), ref: attachmentRead,
			req: func(x *cell) request { return x.onCase(x.kase().number, "") },
			check: func(x *cell, status int, body []byte) {
				if status == 200 && !strings.Contains(string(body), x.kase().attachment) {
					x.t.Errorf("the list lacks the case's file: %s", body)
				}
			}},
		{method: "GET", pattern: "/api/v1/cases/{ref}/attachments/{id}", in: attachmentRead, out: every(404), ref: attachmentRead,
			req: func(x *cell) request { return x.onCase(x.kase().number, "", "{id}", x.kase().attachment) },
			check: func(x *cell, status int, body []byte) {
				if status == 200 && string(body) != attachmentText {
					x.t.Errorf("the file reads %q", body)
				}
			}},
		// A file of another agency's case, asked for through one's own case.
		{method: "GET", pattern: "/api/v1/cases/{ref}/attachments/{id}", variant: "foreign id",
			in: want{cw: 404, sup: 404, jus: 403, coord: 404, admin: 404, ro: 404},
			req: func(x *cell) request {
				return request{path: x.fill("{ref}", x.f.main[x.c.agency].number, "{id}", x.f.main[x.c.other].attachment)}
			}},
		{method: "GET", pattern: "/api/v1/persons/search", in: search, out: search, ref: search,
			req: func(x *cell) request {
				v := x.kase().victim
				return request{path: "/api/v1/persons/search?name=" + url.QueryEscape(v.first+" "+v.last)}
			},
			check: func(x *cell, status int, body []byte) {
				if status != 200 {
					return
				}
				found := strings.Contains(string(body), x.kase().number)
				if x.scope == scopeOut && found {
					x.t.Errorf("the search finds %s of another agency: %s", x.kase().number, body)
				}
				if x.scope != scopeOut && !found {
					x.t.Errorf("the search misses %s: %s", x.kase().number, body)
				}
			}},
		// Answering a referral: only the agency it is addressed to (its
		// case workers), on a case referred to it; the sender and anyone
		// else find no such referral. The answer is read by both.
		{method: "POST", pattern: "/api/v1/cases/{ref}/referrals/{id}/answer",
			in:  want{cw: 404, sup: 404, jus: 403, coord: 404, admin: 404, ro: 403},
			out: want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 404, ro: 403},
			ref: want{cw: 201, sup: 201, jus: 403, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				kc := x.kase()
				if x.scope == scopeIn {
					kc = x.f.referred[x.c.agency] // the caller's own, referred out
				}
				if x.succeeds() {
					kc = x.caseToChange()
				}
				r := request{path: x.fill("{ref}", kc.number, "{id}", x.f.referralOf(x.t, kc.number)), body: `{"answer":"accepted"}`}
				if x.scope == scopeOut {
					r.ref = kc.number
				}
				return r
			}},
		{method: "GET", pattern: "/api/v1/cases/{ref}/referrals/{id}/answer",
			in:  want{cw: 200, sup: 200, jus: 403, coord: 404, admin: 404, ro: 200},
			out: every(404),
			ref: want{cw: 200, sup: 200, jus: 403, coord: 404, admin: 404, ro: 200},
			req: func(x *cell) request {
				// A case referred and answered for this cell: by the
				// other agency (scope in), by the caller's (referred).
				var kc fixtureCase
				var answering string
				switch x.scope {
				case scopeOut:
					kc = x.f.main[x.c.other]
					return request{path: x.fill("{ref}", kc.number, "{id}", kc.parts[domain.PartReferrals]), ref: kc.number}
				case scopeReferred:
					kc, answering = x.f.newCase(x.t, x.c.other, x.c.agency), x.c.agency
				default:
					kc, answering = x.f.newCase(x.t, x.c.agency, x.c.other), x.c.other
				}
				id := x.f.referralOf(x.t, kc.number)
				if err := x.f.db.AnswerReferral(context.Background(), kc.number, id, answering, domain.ReferralAccepted, ""); err != nil {
					x.t.Fatal(err)
				}
				return request{path: x.fill("{ref}", kc.number, "{id}", id)}
			},
			check: func(x *cell, status int, body []byte) {
				if status == 200 && !strings.Contains(string(body), `"answer":"accepted"`) {
					x.t.Errorf("the answer is not read: %s", body)
				}
			}},
		{method: "GET", pattern: "/api/v1/referrals/incoming", in: want{cw: 200, sup: 200, jus: 200, coord: 403, admin: 403, ro: 200},
			check: func(x *cell, status int, body []byte) {
				if status != 200 {
					return
				}
				if !strings.Contains(string(body), x.f.referred[x.c.other].number) {
					x.t.Errorf("the incoming referrals lack %s: %s", x.f.referred[x.c.other].number, body)
				}
				if strings.Contains(string(body), x.f.referred[x.c.agency].number) {
					x.t.Errorf("the incoming referrals show the agency's own outgoing %s: %s", x.f.referred[x.c.agency].number, body)
				}
			}},
		{method: "GET", pattern: "/api/v1/situations/{id}", in: caseRead, out: every(404),
			req: func(x *cell) request {
				id := x.f.situation[x.target()]
				return request{path: x.fill("{id}", id), ref: id}
			}},
		// The log: supervisors their agency's records, admins all.
		{method: "GET", pattern: "/api/v1/audit", in: want{cw: 403, sup: 200, jus: 403, coord: 403, admin: 200, ro: 403},
			req: func(*cell) request { return request{path: "/api/v1/audit?limit=1000"} },
			check: func(x *cell, status int, body []byte) {
				if status != 200 {
					return
				}
				own, other := x.f.agencyID[x.c.agency], x.f.agencyID[x.c.other]
				seenOther := false
				items := jsonItems(x.t, body)
				for _, it := range items {
					if x.c.role == domain.RoleSupervisor && it["agency_id"] != own {
						x.t.Errorf("a supervisor of %s reads an entry of agency %v: %v", x.c.agency, it["agency_id"], it)
					}
					seenOther = seenOther || it["agency_id"] == other
				}
				if len(items) == 0 {
					x.t.Error("the audit log is empty")
				}
				if x.c.role == domain.RoleAdmin && !seenOther {
					x.t.Errorf("an admin does not see %s's entries", x.c.other)
				}
			}},

		{method: "POST", pattern: "/api/v1/auth/sign-in", public: true, anon: 401, in: every(200),
			req: func(x *cell) request {
				if x.c.role == "" {
					return request{path: x.e.pattern, body: `{"email":"personne@kin.example","password":"pas le bon mot de passe"}`}
				}
				return request{path: x.e.pattern, body: fmt.Sprintf(`{"email":%q,"password":%q}`, x.c.email, testPassword)}
			},
			check: func(x *cell, status int, body []byte) {
				if x.c.role == "" && !strings.Contains(string(body), "wrong e-mail or password") {
					x.t.Errorf("an anonymous sign-in is not answered as a sign-in: %s", body)
				}
			}},
		// API tokens have no session: no second factor to give.
		{method: "POST", pattern: "/api/v1/auth/second-factor", in: every(409),
			req: func(x *cell) request { return request{path: x.e.pattern, body: `{"code":"123456"}`} }},
		// Account routes are not in the permission table: any signed-in
		// user may call them for their own account (read-only tokens
		// may not: see expect).
		{method: "POST", pattern: "/api/v1/auth/totp/enrol", in: every(200)},
		{method: "POST", pattern: "/api/v1/auth/totp/confirm", in: every(422),
			req: func(x *cell) request { return request{path: x.e.pattern, body: `{"code":"abcdef"}`} }},
		{method: "POST", pattern: "/api/v1/auth/sign-out", in: every(204)},
		{method: "POST", pattern: "/api/v1/auth/sign-out-everywhere", in: every(200)},
		{method: "POST", pattern: "/api/v1/auth/password", in: every(422),
			req: func(x *cell) request {
				return request{path: x.e.pattern, body: `{"current_password":"pas le bon mot de passe","new_password":"cheval batterie agrafe correct bis"}`}
			}},
		// Tokens cannot mint tokens.
		{method: "POST", pattern: "/api/v1/tokens", in: every(403),
			req: func(x *cell) request { return request{path: x.e.pattern, body: `{"name":"intégration"}`} }},
		{method: "POST", pattern: "/api/v1/users", in: adminOnly(201), out: adminOnly(201),
			req: func(x *cell) request {
				return request{path: x.e.pattern, body: fmt.Sprintf(`{"email":"nouveau%d@%s.example","agency":%q,"roles":["caseworker"],"password":%q}`,
					x.f.next(), strings.ToLower(x.target()), x.target(), testPassword)}
			}},
		{method: "POST", pattern: "/api/v1/agencies", in: adminOnly(201),
			req: func(x *cell) request {
				return request{path: x.e.pattern, body: fmt.Sprintf(`{"code":"N%03d","org_Name":"Centre d'accueil"}`, x.f.next())}
			}},
		{method: "POST", pattern: "/api/v1/cases",
			in:  want{cw: 201, sup: 201, jus: 403, coord: 403, admin: 403, ro: 403},
			out: want{cw: 422, sup: 422, jus: 403, coord: 403, admin: 403, ro: 403},
			req: func(x *cell) request { return request{path: x.e.pattern, body: throwawayCase(x.target(), "Active")} },
			check: func(x *cell, status int, body []byte) {
				wantField(x, status, body, "agency")
			}},
		// Only supervisors close cases, on creation as on update.
		{method: "POST", pattern: "/api/v1/cases", variant: "close",
			in:  want{cw: 422, sup: 201, jus: 403, coord: 403, admin: 403, ro: 403},
			req: func(x *cell) request { return request{path: x.e.pattern, body: throwawayCase(x.target(), "Closed")} },
			check: func(x *cell, status int, body []byte) {
				wantField(x, status, body, "cas_Status")
			}},
		// Supervisors break the glass on another agency's case; the case
		// is then theirs to read. A case they already reach (their own,
		// here) needs no glass broken (409).
		{method: "POST", pattern: "/api/v1/cases/{ref}/break-glass",
			in:  want{cw: 403, sup: 409, jus: 403, coord: 403, admin: 403, ro: 403},
			out: want{cw: 403, sup: 201, jus: 403, coord: 403, admin: 403, ro: 403},
			req: func(x *cell) request {
				// A refusal is sent to a case of its own: a glass broken
				// by mistake must not open the shared cases to later lines.
				kc := x.f.glass[x.target()]
				if x.succeeds() {
					kc = x.caseToChange()
				}
				if x.scope == scopeOut && x.succeeds() {
					x.f.as(x.t, x.c, "GET", "/api/v1/cases/"+kc.number, "", nil, 404)
				}
				r := x.onCase(kc.number, `{"reason":"victime hospitalisée, équipe de garde","hours":2}`)
				r.ref = "" // 404 is never expected
				return r
			},
			check: func(x *cell, status int, body []byte) {
				if status != 201 {
					return
				}
				var g struct {
					CaseID string `json:"case_id"`
				}
				if err := json.Unmarshal(body, &g); err != nil {
					x.t.Fatal(err)
				}
				b := x.f.as(x.t, x.c, "GET", "/api/v1/cases/"+g.CaseID, "", nil, 200)
				if !strings.Contains(string(b), `"prs_FirstName":"Essai"`) || strings.Contains(string(b), x.f.main[x.c.other].number) {
					x.t.Errorf("after breaking the glass the case reads %s", b)
				}
				// The glass opens the case for reading, not for changing.
				x.f.as(x.t, x.c, "POST", "/api/v1/cases/"+g.CaseID+"/comments", `{"cco_CaseComment":"vu en urgence"}`, nil, 403)
			}},
		// Justice adds perpetrators only.
		{method: "POST", pattern: "/api/v1/cases/{ref}/{part}",
			in:      want{cw: 201, sup: 201, jus: 201, coord: 404, admin: 404, ro: 403},
			out:     every(404),
			ref:     want{cw: 201, sup: 201, jus: 201, coord: 404, admin: 404, ro: 403},
			justice: []domain.PartKind{domain.PartPerpetrators},
			// The consent sent is one given: the referred agency
			// records withdrawals only (TestReferredAgencyRecordsWithdrawalsOnly).
			ownerOnly: []domain.PartKind{domain.PartReferrals, domain.PartConsents},
			req:       func(x *cell) request { return x.onCase(x.kase().number, partBodies[x.kind]) }},
		{method: "POST", pattern: "/api/v1/cases/{ref}/attachments",
			in:  want{cw: 201, sup: 201, jus: 403, coord: 404, admin: 404, ro: 403},
			out: every(404),
			ref: want{cw: 201, sup: 201, jus: 403, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				r := x.onCase(x.kase().number, attachmentText)
				r.path += "?name=attestation.txt"
				r.header = map[string]string{"Content-Type": "text/plain"}
				return r
			}},
		{method: "POST", pattern: "/api/v1/situations",
			in:  want{cw: 201, sup: 201, jus: 403, coord: 403, admin: 403, ro: 403},
			out: want{cw: 422, sup: 422, jus: 403, coord: 403, admin: 403, ro: 403},
			req: func(x *cell) request {
				return request{path: x.e.pattern, body: fmt.Sprintf(`{"agency":%q,"title":"Réseau de la route de Kasumbalesa"}`, x.target())}
			},
			check: func(x *cell, status int, body []byte) {
				wantField(x, status, body, "agency")
			}},

		{method: "PUT", pattern: "/api/v1/users/{id}", in: adminOnly(200), out: adminOnly(200),
			req: func(x *cell) request {
				email := x.f.staff[x.target()][domain.RoleCaseworker].email
				if x.succeeds() {
					email = fmt.Sprintf("jetable%d@%s.example", x.f.next(), strings.ToLower(x.target()))
					newUserToken(x.t, x.f.db, email, x.target(), domain.RoleCaseworker)
				}
				u, err := x.f.db.User(context.Background(), email)
				if err != nil {
					x.t.Fatal(err)
				}
				return request{path: x.fill("{id}", u.ID), body: fmt.Sprintf(`{"agency":%q,"roles":["justice"],"version":%d}`, x.target(), u.Version)}
			}},
		{method: "PUT", pattern: "/api/v1/cases/{ref}",
			in:  want{cw: 200, sup: 200, jus: 403, coord: 404, admin: 404, ro: 403},
			out: every(404),
			ref: want{cw: 200, sup: 200, jus: 403, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				kc := x.caseToChange()
				// The owning agency moves the status; an agency the
				// case is referred to changes the rest (the status is
				// the owner's: TestReferredAgencyCannotCloseOrReopen).
				status := "FollowUp"
				if x.scope == scopeReferred {
					status = "Active"
				}
				return x.onCase(kc.number, versioned(throwawayCase(kc.agency, status), 1))
			}},
		// Closing is the owning agency's: a supervisor of an agency the
		// case is referred to may not close it (as on the pages).
		{method: "PUT", pattern: "/api/v1/cases/{ref}", variant: "close",
			in:  want{cw: 422, sup: 200, jus: 403, coord: 404, admin: 404, ro: 403},
			out: every(404),
			ref: want{cw: 422, sup: 403, jus: 403, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				kc := x.caseToChange()
				return x.onCase(kc.number, versioned(throwawayCase(kc.agency, "Closed"), 1))
			},
			check: func(x *cell, status int, body []byte) {
				wantField(x, status, body, "cas_Status")
				if status == 200 && !strings.Contains(string(body), `"cas_Status":"Closed"`) {
					x.t.Errorf("the case is not closed: %s", body)
				}
			}},
		{method: "PUT", pattern: "/api/v1/cases/{ref}/{part}/{id}",
			in:        want{cw: 200, sup: 200, jus: 200, coord: 404, admin: 404, ro: 403},
			out:       every(404),
			ref:       want{cw: 200, sup: 200, jus: 200, coord: 404, admin: 404, ro: 403},
			justice:   []domain.PartKind{domain.PartPerpetrators},
			ownerOnly: []domain.PartKind{domain.PartReferrals, domain.PartConsents},
			req: func(x *cell) request {
				kc := x.kase()
				return x.onCase(kc.number, versioned(partBodies[x.kind], 1), "{id}", x.partToChange(kc))
			}},
		// A record of another agency's case, changed through one's own case.
		{method: "PUT", pattern: "/api/v1/cases/{ref}/{part}/{id}", variant: "foreign id",
			in:        want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 404, ro: 403},
			justice:   []domain.PartKind{domain.PartPerpetrators},
			ownerOnly: []domain.PartKind{domain.PartReferrals, domain.PartConsents},
			req: func(x *cell) request {
				id := x.f.main[x.c.other].parts[x.kind]
				x.t.Cleanup(func() { x.f.partIntact(x.t, x.f.main[x.c.other].number, x.kind, id) })
				return request{path: x.fill("{ref}", x.f.main[x.c.agency].number, "{id}", id), body: versioned(partBodies[x.kind], 1)}
			}},

		{method: "DELETE", pattern: "/api/v1/tokens/{id}", in: every(204), out: every(404),
			req: func(x *cell) request {
				if x.succeeds() {
					return request{path: x.fill("{id}", x.f.newToken(x.t, x.c.userID))}
				}
				owner, id := x.f.staff[x.c.other][domain.RoleCaseworker].userID, x.f.token[x.c.other]
				x.t.Cleanup(func() { x.f.tokenLive(x.t, owner, id) })
				return request{path: x.fill("{id}", id)}
			}},
		{method: "DELETE", pattern: "/api/v1/cases/{ref}/{part}/{id}",
			in:        want{cw: 204, sup: 204, jus: 204, coord: 404, admin: 404, ro: 403},
			out:       every(404),
			ref:       want{cw: 204, sup: 204, jus: 204, coord: 404, admin: 404, ro: 403},
			justice:   []domain.PartKind{domain.PartPerpetrators},
			ownerOnly: []domain.PartKind{domain.PartReferrals, domain.PartConsents},
			req: func(x *cell) request {
				kc := x.kase()
				r := x.onCase(kc.number, "", "{id}", x.partToChange(kc))
				r.path += "?version=1"
				return r
			}},
		{method: "DELETE", pattern: "/api/v1/cases/{ref}/{part}/{id}", variant: "foreign id",
			in:        want{cw: 404, sup: 404, jus: 404, coord: 404, admin: 404, ro: 403},
			justice:   []domain.PartKind{domain.PartPerpetrators},
			ownerOnly: []domain.PartKind{domain.PartReferrals, domain.PartConsents},
			req: func(x *cell) request {
				id := x.f.main[x.c.other].parts[x.kind]
				x.t.Cleanup(func() { x.f.partIntact(x.t, x.f.main[x.c.other].number, x.kind, id) })
				return request{path: x.fill("{ref}", x.f.main[x.c.agency].number, "{id}", id) + "?version=1"}
			}},
		{method: "DELETE", pattern: "/api/v1/cases/{ref}/attachments/{id}",
			in:  want{cw: 204, sup: 204, jus: 403, coord: 404, admin: 404, ro: 403},
			out: every(404),
			ref: want{cw: 204, sup: 204, jus: 403, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				kc := x.kase()
				id := kc.attachment
				if x.succeeds() {
					id = x.f.newAttachment(x.t, kc)
				}
				return x.onCase(kc.number, "", "{id}", id)
			}},
		{method: "DELETE", pattern: "/api/v1/cases/{ref}/attachments/{id}", variant: "foreign id",
			in: want{cw: 404, sup: 404, jus: 403, coord: 404, admin: 404, ro: 403},
			req: func(x *cell) request {
				foreign := x.f.main[x.c.other]
				id := foreign.attachment
				x.t.Cleanup(func() {
					x.f.as(x.t, x.f.staff[foreign.agency][domain.RoleCaseworker], "GET", "/api/v1/cases/"+foreign.number+"/attachments/"+id, "", nil, 200)
				})
				return request{path: x.fill("{ref}", x.f.main[x.c.agency].number, "{id}", id)}
			}},
	}
}

// checkCaseBody checks what a case shows: everything to caseworkers and
// supervisors; to justice the identity, the trafficking context, events
// and perpetrators, never contact, health or assistance.
func checkCaseBody(x *cell, status int, body []byte) {
	if status != 200 {
		return
	}
	var c struct {
		Person map[string]any `json:"person"`
		Victim map[string]any `json:"victim"`
		Parts  map[string]json.RawMessage
	}
	if err := json.Unmarshal(body, &c); err != nil {
		x.t.Fatal(err)
	}
	if err := json.Unmarshal(body, &c.Parts); err != nil {
		x.t.Fatal(err)
	}
	v := x.kase().victim
	if c.Person["prs_FirstName"] != v.first {
		x.t.Errorf("prs_FirstName is %v, want %s", c.Person["prs_FirstName"], v.first)
	}
	for _, k := range []string{"events", "perpetrators"} {
		if len(c.Parts[k]) < 3 {
			x.t.Errorf("%s is missing", k)
		}
	}
	if x.c.role != domain.RoleJustice {
		if c.Person["prs_MobilePhone"] != v.phone || c.Victim["vic_DetailsOfVulnerabilities"] == nil || c.Parts["support_plans"] == nil {
			x.t.Errorf("a %s sees only part of the case: %s", x.c.role, body)
		}
		return
	}
	for _, k := range []string{"support_plans", "consents", "comments", "referrals"} {
		if c.Parts[k] != nil {
			x.t.Errorf("justice reads %s: %s", k, c.Parts[k])
		}
	}
	for _, k := range []string{"prs_MobilePhone", "prs_Email", "prs_MailingStreet"} {
		if c.Person[k] != nil {
			x.t.Errorf("justice reads %s: %v", k, c.Person[k])
		}
	}
	for _, k := range []string{"vic_DetailsOfVulnerabilities", "vic_Vulnerabilities"} {
		if c.Victim[k] != nil {
			x.t.Errorf("justice reads %s: %v", k, c.Victim[k])
		}
	}
	for _, s := range []string{v.phone, v.email} {
		if strings.Contains(string(body), s) {
			x.t.Errorf("justice reads %s", s)
		}
	}
}

// wantField checks that a 422 names field.
func wantField(x *cell, status int, body []byte, field string) {
	if status == 422 && !strings.Contains(string(body), `"field":"`+field+`"`) {
		x.t.Errorf("the refusal does not name field %s: %s", field, body)
	}
}

func jsonItems(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return page.Items
}

// TestAuthorisationMatrix runs every line of the matrix for every caller
// and scope, on both databases. It fails when a route of the router has
// no line, or a line names a route the router does not serve.
func TestAuthorisationMatrix(t *testing.T) {
	matrix := authorisationMatrix()
	served := map[string]bool{}
	lines := map[string]*entry{}
	for _, e := range matrix {
		if e.variant == "" {
			if lines[e.key()] != nil {
				t.Errorf("route %s has two entries in the authorisation matrix", e.key())
			}
			lines[e.key()] = e
		}
	}
	for _, r := range httpapi.Routes() {
		key := r.Method + " " + r.Pattern
		served[key] = true
		e := lines[key]
		if e == nil {
			t.Errorf("route %s has no entry in the authorisation matrix: add one", key)
			continue
		}
		if e.public != r.Public {
			t.Errorf("route %s: the router says public=%v, the authorisation matrix public=%v", key, r.Public, e.public)
		}
	}
	for _, e := range matrix {
		if !served[e.key()] {
			t.Errorf("the authorisation matrix has an entry for %s, a route the router does not serve", e.key())
		}
	}
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		start := time.Now()
		f := newMatrixFixture(t, db)
		cells, routes := 0, map[string]bool{}
		// The cells of a line run together (they change only records of
		// their own); the lines run one after the other, in order.
		sem := make(chan struct{}, 8)
		for _, e := range matrix {
			if !served[e.key()] {
				continue
			}
			routes[e.key()] = true
			for _, kind := range e.kinds() {
				name := strings.Replace(e.key(), "{part}", string(kind), 1)
				if e.variant != "" {
					name += " [" + e.variant + "]"
				}
				t.Run(name, func(t *testing.T) {
					var wg sync.WaitGroup
					for _, c := range f.callers {
						for _, scope := range e.scopes() {
							cells++
							wg.Add(1)
							sem <- struct{}{}
							go func() {
								defer func() { <-sem; wg.Done() }()
								t.Run(c.name+"/"+scope, func(t *testing.T) { f.run(t, e, c, scope, kind) })
							}()
						}
					}
					wg.Wait()
				})
			}
		}
		t.Logf("authorisation matrix: %d routes (%d lines with variants) × %d callers × their scopes = %d cells, %d requests, %v",
			len(routes), len(matrix), len(f.callers), cells, f.requests.Load(), time.Since(start).Round(time.Millisecond))
	})
}

// run runs one cell.
func (f *matrixFixture) run(t *testing.T, e *entry, c *caller, scope string, kind domain.PartKind) {
	status := e.expect(c, scope, kind)
	x := &cell{t: t, f: f, c: c, e: e, scope: scope, kind: kind, status: status}
	r := request{path: e.pattern}
	if e.req != nil {
		r = e.req(x)
	}
	body := f.as(t, c, e.method, r.path, r.body, r.header, status)
	if status >= 400 {
		f.noSecrets(t, body)
		if c.role == "" && !e.public && !strings.Contains(string(body), "sign in first") {
			t.Errorf("an anonymous call is refused with %s", body)
		}
	}
	// Out of reach must look exactly like not there: no probing.
	if status == 404 && r.ref != "" {
		missing := f.missingRef(r.ref)
		f.mu.Lock()
		key := e.key() + "[" + e.variant + "]" + string(kind) + " " + c.name
		m := f.missing[key]
		if m == nil {
			m = &missingAnswer{}
			f.missing[key] = m
		}
		f.mu.Unlock()
		m.once.Do(func() {
			other := f.as(t, c, e.method, strings.Replace(r.path, r.ref, missing, 1), r.body, r.header, 404)
			m.body = strings.ReplaceAll(string(other), missing, "{ref}")
		})
		got, absent := strings.ReplaceAll(string(body), r.ref, "{ref}"), m.body
		if got != absent {
			t.Errorf("a record out of reach answers\n%s\nbut one that does not exist\n%s", got, absent)
		}
	}
	if e.check != nil {
		e.check(x, status, body)
	}
}

// as sends a request as caller c (nil or anonymous: no credentials).
func (f *matrixFixture) as(t *testing.T, c *caller, method, path, body string, header map[string]string, want int) []byte {
	t.Helper()
	h := map[string]string{"Authorization": ""}
	if c != nil && c.token != "" {
		h["Authorization"] = "Bearer " + c.token
	}
	for k, v := range header {
		h[k] = v
	}
	f.requests.Add(1)
	return do(t, f.srv, method, path, body, h, want)
}

func (f *matrixFixture) noSecrets(t *testing.T, body []byte) {
	t.Helper()
	for _, s := range f.secrets {
		if strings.Contains(string(body), s) {
			t.Errorf("the answer holds %q: %s", s, body)
		}
	}
}

// missingRef is a reference like ref that names nothing.
func (f *matrixFixture) missingRef(ref string) string {
	if len(ref) == 36 {
		return "00000000-0000-4000-8000-000000000000"
	}
	agency, _, _ := strings.Cut(ref, "-")
	return agency + "-2026-999999"
}

func (f *matrixFixture) next() int64 { return f.seq.Add(1) }

var matrixVictims = map[string]victim{
	"KIN":          {"Zawadi", "Kabeya", "Mutombo", "+243815550101", "zawadi.mutombo@example.org"},
	"KIN-referred": {"Amani", "Kavira", "Lukusa", "+243815550103", "amani.lukusa@example.org"},
	"GOM":          {"Neema", "Furaha", "Bisimwa", "+243997770202", "neema.bisimwa@example.org"},
	"GOM-referred": {"Baraka", "Sifa", "Ndayishimiye", "+243997770204", "baraka.ndayishimiye@example.org"},
}

// victimCase is a case with every kind of part; referTo, when set, adds
// an active outgoing referral to that agency.
func victimCase(agency, situation string, v victim, referTo string) string {
	referral := `{"direction":"incoming","cas_ReferringOrganisation":"Police des mines de Kolwezi"}`
	if referTo != "" {
		referral = fmt.Sprintf(`{"direction":"outgoing","cas_ReferredOrganisation":"Centre de transit","vig_ReferredAgency":%q}`, referTo)
	}
	sit := ""
	if situation != "" {
		sit = fmt.Sprintf(`"situation_id":%q,`, situation)
	}
	return fmt.Sprintf(`{"agency":%q,%s"cas_Status":"Active","vig_RegistrationDate":"2026-03-14",
 "person":{"prs_FirstName":%q,"prs_MiddleName":%q,"prs_SecondName":%q,"prs_Gender":"Feminine","prs_Birthdate":"2007-05-09",
  "prs_Citizenship":["CD"],"prs_MobilePhone":%q,"prs_Email":%q,"prs_MailingStreet":"14 avenue Kasa-Vubu","prs_MailingCity":"Kinshasa"},
 "victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking","vic_TypeOfExploitation":["ForcedLabour"],
  "vic_ForcedLabourIndustry":"B_MiningAndQuarrying","vic_Vulnerabilities":["MentalHealth"],"vic_DetailsOfVulnerabilities":"Suivi psychiatrique hebdomadaire"},
 "events":[{"hte_Type":"Exploitation","hte_Country":"CD","hte_State":"Lualaba"}],
 "support_plans":[{"spl_Type":"Health","spl_Objectives":"Soins au centre de santé"}],
 "consents":[{"con_Consent":true,"vig_ConsentDate":"2026-03-14"}],
 "comments":[{"cco_CaseComment":"Hébergée au centre d'accueil"}],
 "referrals":[%s],
 "perpetrators":[{"person":{"prs_FirstName":"Kasongo"},"per_Organisation":"Coopérative minière"}]}`,
		agency, sit, v.first, v.middle, v.last, v.phone, v.email, referral)
}

func newMatrixFixture(t *testing.T, db *sqlstore.DB) *matrixFixture {
	t.Helper()
	ctx := context.Background()
	f := &matrixFixture{db: db, agencyID: map[string]string{}, main: map[string]fixtureCase{}, referred: map[string]fixtureCase{},
		glass:     map[string]fixtureCase{},
		situation: map[string]string{}, staff: map[string]map[domain.Role]*caller{}, token: map[string]string{},
		missing: map[string]*missingAnswer{}}
	f.srv = httptest.NewServer(httpapi.New(services(db)))
	t.Cleanup(f.srv.Close)
	agencies := [][2]string{{"KIN", "Division provinciale des affaires sociales, Kinshasa"}, {"GOM", "Centre de transit et d'orientation, Goma"}}
	for _, a := range agencies {
		ag, err := db.EnsureAgency(ctx, a[0], a[1])
		if err != nil {
			t.Fatal(err)
		}
		f.agencyID[a[0]] = ag.ID
	}
	other := map[string]string{"KIN": "GOM", "GOM": "KIN"}
	for _, a := range agencies {
		code := a[0]
		f.staff[code] = map[domain.Role]*caller{}
		for _, r := range domain.Roles {
			email := fmt.Sprintf("%s@%s.example", r, strings.ToLower(code))
			tok := newUserToken(t, db, email, code, r)
			u, err := db.User(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			c := &caller{name: code + "-" + string(r), agency: code, other: other[code], role: r, token: tok, userID: u.ID, email: email}
			f.staff[code][r] = c
			f.callers = append(f.callers, c)
		}
		cw := f.staff[code][domain.RoleCaseworker]
		tok, hash, err := auth.NewToken(auth.APITokenPrefix)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateToken(ctx, &domain.APIToken{UserID: cw.userID, Name: "lecture seule", ReadOnly: true, ExpiresAt: testNow.Add(24 * time.Hour)}, hash); err != nil {
			t.Fatal(err)
		}
		f.token[code] = f.newToken(t, cw.userID)
		f.callers = append(f.callers, &caller{name: code + "-caseworker-readonly", agency: code, other: other[code], role: domain.RoleCaseworker,
			readOnly: true, token: tok, userID: cw.userID, email: cw.email})
	}
	f.callers = append(f.callers, &caller{name: "anonymous", agency: "KIN", other: "GOM"})

	// The shared records are made through the API by each agency's
	// caseworker, as in real use.
	for _, a := range agencies {
		code := a[0]
		cw := f.staff[code][domain.RoleCaseworker]
		var s struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(f.as(t, cw, "POST", "/api/v1/situations", `{"title":"Réseau des carrières"}`, nil, 201), &s); err != nil {
			t.Fatal(err)
		}
		f.situation[code] = s.ID
		f.main[code] = f.createVictimCase(t, cw, victimCase(code, s.ID, matrixVictims[code], ""), matrixVictims[code])
		v := matrixVictims[code+"-referred"]
		f.referred[code] = f.createVictimCase(t, cw, victimCase(code, "", v, other[code]), v)
		f.glass[code] = f.newCase(t, code, "")
	}
	for _, v := range matrixVictims {
		f.secrets = append(f.secrets, v.first, v.last, v.phone)
	}
	return f
}

func (f *matrixFixture) createVictimCase(t *testing.T, cw *caller, body string, v victim) fixtureCase {
	t.Helper()
	var c struct {
		ID     string `json:"id"`
		Number string `json:"case_number"`
		Agency string `json:"agency"`
	}
	b := f.as(t, cw, "POST", "/api/v1/cases", body, nil, 201)
	var fields map[domain.PartKind]json.RawMessage
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	fc := fixtureCase{id: c.ID, number: c.Number, agency: c.Agency, victim: v, parts: map[domain.PartKind]string{}}
	for _, k := range domain.PartKinds {
		var parts []struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(fields[k], &parts); err != nil || len(parts) != 1 {
			t.Fatalf("the case was created with %s %s (%v)", fields[k], k, err)
		}
		fc.parts[k] = parts[0].ID
	}
	fc.attachment = f.newAttachment(t, fc)
	return fc
}

// newCase stores a case for one cell; referTo, when set, refers it to
// that agency.
func (f *matrixFixture) newCase(t *testing.T, agency, referTo string) fixtureCase {
	t.Helper()
	c := &domain.Case{Agency: agency, Status: "Active", Person: domain.Person{FirstName: "Essai", SecondName: "Jetable"},
		Victim: domain.Victim{TraffickingStatus: "PossibleVictimOfTrafficking"}}
	if referTo != "" {
		c.Consents = []*domain.Consent{{Consent: true}} // a referral needs it
		c.Referrals = []*domain.Referral{{Direction: domain.ReferralOutgoing, ReferredOrganisation: "Centre de transit", ReferredAgency: referTo}}
	}
	if err := f.db.CreateCase(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return fixtureCase{id: c.ID, number: c.Number, agency: agency}
}

// referralOf is the ID of the first referral of case ref.
func (f *matrixFixture) referralOf(t *testing.T, ref string) string {
	t.Helper()
	c, err := f.db.Case(context.Background(), ref)
	if err != nil || len(c.Referrals) == 0 {
		t.Fatalf("case %s has no referral (%v)", ref, err)
	}
	return c.Referrals[0].ID
}

// newPart stores a part of kind k on case ref and returns its ID (its
// version is 1).
func (f *matrixFixture) newPart(t *testing.T, ref string, k domain.PartKind) string {
	t.Helper()
	p, _ := domain.NewPart(k)
	if err := json.Unmarshal([]byte(partBodies[k]), p); err != nil {
		t.Fatal(err)
	}
	if err := f.db.AddPart(context.Background(), ref, k, p); err != nil {
		t.Fatal(err)
	}
	return p.PartMeta().ID
}

// partIntact fails unless part id of case ref is still there, unchanged.
func (f *matrixFixture) partIntact(t *testing.T, ref string, k domain.PartKind, id string) {
	t.Helper()
	c, err := f.db.Case(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range c.Parts(k) {
		if m := p.PartMeta(); m.ID == id {
			if m.Version != 1 {
				t.Errorf("%s %s of %s was changed through another case (version %d)", k, id, ref, m.Version)
			}
			return
		}
	}
	t.Errorf("%s %s of %s was deleted through another case", k, id, ref)
}

// newAttachment adds a file to case fc as its agency's caseworker.
func (f *matrixFixture) newAttachment(t *testing.T, fc fixtureCase) string {
	t.Helper()
	var a struct {
		ID string `json:"id"`
	}
	b := f.as(t, f.staff[fc.agency][domain.RoleCaseworker], "POST", "/api/v1/cases/"+fc.number+"/attachments?name=attestation.txt",
		attachmentText, map[string]string{"Content-Type": "text/plain"}, 201)
	if err := json.Unmarshal(b, &a); err != nil || a.ID == "" {
		t.Fatalf("adding a file: %v: %s", err, b)
	}
	return a.ID
}

// newToken stores an API token of a user and returns its ID.
func (f *matrixFixture) newToken(t *testing.T, userID string) string {
	t.Helper()
	_, hash, err := auth.NewToken(auth.APITokenPrefix)
	if err != nil {
		t.Fatal(err)
	}
	tk := &domain.APIToken{UserID: userID, Name: "jetable", ExpiresAt: testNow.Add(24 * time.Hour)}
	if err := f.db.CreateToken(context.Background(), tk, hash); err != nil {
		t.Fatal(err)
	}
	return tk.ID
}

// tokenLive fails unless token id of the user is unrevoked.
func (f *matrixFixture) tokenLive(t *testing.T, userID, id string) {
	t.Helper()
	list, err := f.db.Tokens(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range list {
		if tk.ID == id {
			if tk.Revoked {
				t.Errorf("token %s of another user was revoked", id)
			}
			return
		}
	}
	t.Errorf("token %s of another user is gone", id)
}
