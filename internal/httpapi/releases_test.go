// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/httpapi"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

const releaseBody = `{"kind":"tables","title":"Tableaux 2026","period_from":2026,"period_to":2026}`

func init() {
	openAPIAreaBodies["POST /api/v1/releases"] = releaseBody
	openAPIAreaBodies["POST /api/v1/releases/{id}/steps"] = `{"step":"review","version":1}`
	matrixAreas = append(matrixAreas, releaseMatrix)
}

// actingAs is a context in which c acts (the store needs the user).
func actingAs(c *caller) context.Context {
	return domain.WithActor(context.Background(), &domain.Principal{UserID: c.userID, Email: c.email, Agency: c.agency, Roles: []domain.Role{c.role}})
}

// newStoredRelease stores a small release drafted by author and moves it
// to state, reviewed and approved by other.
func newStoredRelease(t *testing.T, db *sqlstore.DB, author, other *caller, state domain.ReleaseStatus) *domain.Release {
	t.Helper()
	r, err := db.CreateRelease(actingAs(author), &domain.NewRelease{Kind: domain.ReleaseTables, Title: "Essai", From: 2025, To: 2025,
		Config: json.RawMessage(`{}`), Manifest: json.RawMessage(`{}`), FileName: "essai.zip", File: []byte("PK fichier d'essai")})
	if err != nil {
		t.Fatal(err)
	}
	steps := map[domain.ReleaseStatus][]domain.ReleaseStep{
		domain.ReleaseReviewed:  {domain.StepReview},
		domain.ReleasePublished: {domain.StepReview, domain.StepApprove, domain.StepPublish},
	}[state]
	for _, s := range steps {
		if r, err = db.StepRelease(actingAs(other), r.ID, r.Version, s, ""); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// coordinators of the caller's agency and of the other one.
func coordinators(x *cell) (mine, theirs *caller) {
	return x.f.staff[x.c.agency][domain.RoleCoordinator], x.f.staff[x.c.other][domain.RoleCoordinator]
}

// releaseMatrix: coordinators draft, review, approve and publish; every
// case role reads published releases and their files; a release not yet
// published is "not found" to them; admins have no part.
func releaseMatrix() []*entry {
	coordOnly := func(ok int) want { return want{cw: 403, sup: 403, jus: 403, coord: ok, admin: 403, ro: 403} }
	caseRoles := want{cw: 200, sup: 200, jus: 200, coord: 200, admin: 403, ro: 200}
	var last cellIDs
	return []*entry{
		{method: "GET", pattern: "/api/v1/releases", in: caseRoles,
			req: func(x *cell) request {
				mine, theirs := coordinators(x)
				newStoredRelease(x.t, x.f.db, theirs, mine, domain.ReleaseDraft)
				return request{path: "/api/v1/releases"}
			},
			check: func(x *cell, status int, body []byte) {
				if status == 200 && x.c.role != domain.RoleCoordinator && strings.Contains(string(body), `"status":"draft"`) {
					x.t.Errorf("%s sees drafts: %s", x.c.name, body)
				}
			}},
		{method: "POST", pattern: "/api/v1/releases", in: coordOnly(201),
			req: func(x *cell) request { return request{path: "/api/v1/releases", body: releaseBody} }},
		{method: "GET", pattern: "/api/v1/releases/budget", in: coordOnly(200),
			req: func(x *cell) request { return request{path: "/api/v1/releases/budget?from=2024&to=2026"} }},
		{method: "GET", pattern: "/api/v1/releases/{id}", in: caseRoles,
			req: func(x *cell) request {
				mine, theirs := coordinators(x)
				r := newStoredRelease(x.t, x.f.db, theirs, mine, domain.ReleasePublished)
				return request{path: x.fill("{id}", r.ID)}
			}},
		{method: "GET", pattern: "/api/v1/releases/{id}", variant: "draft",
			in: want{cw: 404, sup: 404, jus: 404, coord: 200, admin: 403, ro: 404},
			req: func(x *cell) request {
				mine, theirs := coordinators(x)
				r := newStoredRelease(x.t, x.f.db, theirs, mine, domain.ReleaseDraft)
				return request{path: x.fill("{id}", r.ID)}
			}},
		{method: "POST", pattern: "/api/v1/releases/{id}/steps", in: coordOnly(200),
			req: func(x *cell) request {
				mine, theirs := coordinators(x)
				r := newStoredRelease(x.t, x.f.db, theirs, mine, domain.ReleaseDraft)
				last.set(x, r.ID)
				return request{path: x.fill("{id}", r.ID), body: `{"step":"review","version":1}`}
			},
			check: func(x *cell, status int, body []byte) {
				r, err := x.f.db.Release(context.Background(), last.get(x))
				if err != nil {
					x.t.Fatal(err)
				}
				if (status == 200) != (r.State == domain.ReleaseReviewed) {
					x.t.Errorf("answer %d, release %s", status, r.State)
				}
			}},
		{method: "POST", pattern: "/api/v1/releases/{id}/steps", variant: "own release",
			in: coordOnly(403),
			req: func(x *cell) request {
				mine, theirs := coordinators(x)
				r := newStoredRelease(x.t, x.f.db, mine, theirs, domain.ReleaseDraft)
				return request{path: x.fill("{id}", r.ID), body: `{"step":"review","version":1}`}
			}},
		{method: "GET", pattern: "/api/v1/releases/{id}/file", in: caseRoles,
			req: func(x *cell) request {
				mine, theirs := coordinators(x)
				r := newStoredRelease(x.t, x.f.db, theirs, mine, domain.ReleasePublished)
				return request{path: x.fill("{id}", r.ID)}
			},
			check: func(x *cell, status int, body []byte) {
				if status == 200 && string(body) != "PK fichier d'essai" {
					x.t.Errorf("file %q", body)
				}
			}},
	}
}

// TestReleaseAPI drafts a real release from cases with names over HTTP,
// takes it through review by a second coordinator to publication, and
// checks the downloaded file: no name, the bytes as approved.
func TestReleaseAPI(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := httptest.NewServer(httpapi.New(services(db)))
		t.Cleanup(srv.Close)
		ctx := context.Background()
		if _, err := db.EnsureAgency(ctx, "CNC", "Comité national"); err != nil {
			t.Fatal(err)
		}
		a := newUserToken(t, db, "a@cnc.example", "CNC", domain.RoleCoordinator)
		b := newUserToken(t, db, "b@cnc.example", "CNC", domain.RoleCoordinator)
		cw := newUserToken(t, db, "cw@cnc.example", "CNC", domain.RoleCaseworker)
		names := []string{"Zawadi", "Kabeya", "Mutombo"}
		sup := newUserToken(t, db, "sup@cnc.example", "CNC", domain.RoleSupervisor)
		for i := range 40 {
			body := fmt.Sprintf(`{"agency":"CNC","cas_Status":"Active","vig_RegistrationDate":"2026-0%d-1%d","person":{"prs_FirstName":%q,"prs_SecondName":%q,"prs_Gender":"Feminine","prs_Citizenship":["CD"]},"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking","vig_AgeBand":"24--26"}}`,
				1+i%9, i%9, names[i%3], names[(i+1)%3])
			do(t, srv, "POST", "/api/v1/cases", body, bearer(sup), 201)
		}
		// Refusals: bad period, bad config, budget, unknown field.
		do(t, srv, "POST", "/api/v1/releases", `{"kind":"tables","title":"x","period_from":1800,"period_to":2026}`, bearer(a), 422)
		do(t, srv, "POST", "/api/v1/releases", `{"kind":"tables","title":"x","period_from":2026,"period_to":2026,"tables":{"method":"magic"}}`, bearer(a), 422)
		do(t, srv, "POST", "/api/v1/releases", `{"kind":"tables","title":"x","period_from":2026,"period_to":2026,"tables":{"method":"dp","epsilon":9,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}}`, bearer(a), 422)
		do(t, srv, "POST", "/api/v1/releases", `{"kind":"tables","title":"x","period_from":2026,"period_to":2026,"name":"x"}`, bearer(a), 422)
		do(t, srv, "POST", "/api/v1/releases", releaseBody, bearer(cw), 403)
		// Each bad setting is named in the problem document.
		rec := func(extra string) string {
			return `{"kind":"records","title":"x","period_from":2026,"period_to":2026` + extra + `}`
		}
		tab := func(cfg string) string {
			return `{"kind":"tables","title":"x","period_from":2026,"period_to":2026,"tables":` + cfg + `}`
		}
		for _, c := range []struct{ body, field string }{
			{rec(`,"k":0`), "k"},
			{rec(`,"k":1`), "k"},
			{rec(`,"k":-5`), "k"},
			{rec(`,"k":4294967298`), "k"},
			{rec(`,"k":41`), "k"}, // more than the 40 victims
			{rec(`,"k":"onze"`), "k"},
			{rec(`,"method":"magic"`), "method"},
			{rec(`,"quasi_identifiers":[]`), "quasi_identifiers"},
			{rec(`,"quasi_identifiers":["gender","prs_FirstName"]`), "quasi_identifiers"},
			{rec(`,"quasi_identifiers":["gender","gender"]`), "quasi_identifiers"},
			{`{"kind":"records","title":"x","period_from":2020,"period_to":2020}`, "period_from"},
			{`{"kind":"tables","title":"x","period_from":2026,"period_to":2025}`, "period_to"},
			{tab(`{"method":"dp","epsilon":0,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}`), "tables.epsilon"},
			{tab(`{"method":"dp","epsilon":-1,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}`), "tables.epsilon"},
			{tab(`{"method":"suppression","epsilon":1,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}`), "tables.epsilon"},
			{tab(`{"method":"suppression","threshold":0.5,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}`), "tables"},
			{tab(`{"method":"suppression","threshold":41,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}`), "threshold"},
			{tab(`{"method":"suppression","tables":[{"name":"../../etc/passwd","dims":[{"column":"gender"}]}]}`), "tables.tables[0]"},
		} {
			var p struct {
				Errors []domain.FieldError `json:"errors"`
			}
			if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/releases", c.body, bearer(a), 422), &p); err != nil {
				t.Fatal(err)
			}
			if c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field) {
				t.Errorf("%s: errors %+v, want one on %s", c.body, p.Errors, c.field)
			}
		}

		var rel domain.Release
		json.Unmarshal(do(t, srv, "POST", "/api/v1/releases", `{"kind":"records","title":"Données 2026","period_from":2026,"period_to":2026,"k":5,"quasi_identifiers":["gender","ageBroad","yearOfRegistration"]}`, bearer(a), 201), &rel)
		// The quasi-identifiers asked for, and majorityStatus with the age.
		if rel.State != domain.ReleaseDraft || !strings.Contains(string(rel.Manifest), "recordsAtRisk") ||
			!strings.Contains(string(rel.Config), `"quasiIdentifiers":["gender","ageBroad","yearOfRegistration","majorityStatus"]`) {
			t.Fatalf("draft %+v", rel)
		}
		path := "/api/v1/releases/" + rel.ID
		do(t, srv, "GET", path, "", bearer(cw), 404)
		do(t, srv, "GET", path+"/file", "", bearer(cw), 404)
		do(t, srv, "POST", path+"/steps", `{"step":"review","version":1}`, bearer(a), 403)
		do(t, srv, "POST", path+"/steps", `{"step":"approve","version":1}`, bearer(b), 409)
		do(t, srv, "POST", path+"/steps", `{"step":"review","version":1}`, bearer(b), 200)
		do(t, srv, "POST", path+"/steps", `{"step":"review","version":1}`, bearer(b), 409)
		do(t, srv, "POST", path+"/steps", `{"step":"approve","version":2}`, bearer(b), 200)
		do(t, srv, "POST", path+"/steps", `{"step":"publish","version":3}`, bearer(a), 200)
		file := do(t, srv, "GET", path+"/file", "", bearer(cw), 200)
		again := do(t, srv, "GET", path+"/file", "", bearer(a), 200)
		if !bytes.Equal(file, again) || len(file) != int(rel.FileSize) {
			t.Fatal("the published file changed between downloads")
		}
		zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			for _, n := range names {
				if strings.Contains(string(data), n) {
					t.Fatalf("%s holds the name %s", f.Name, n)
				}
			}
		}
		list := do(t, srv, "GET", "/api/v1/releases", "", bearer(cw), 200)
		if !strings.Contains(string(list), rel.ID) || strings.Contains(string(list), "recordsAtRisk") {
			t.Fatalf("published release not listed, or listed with the reviewers' manifest: %s", list)
		}
		if got := do(t, srv, "GET", path, "", bearer(cw), 200); strings.Contains(string(got), "recordsAtRisk") {
			t.Fatalf("a caseworker reads the reviewers' manifest: %s", got)
		}
		if got := do(t, srv, "GET", path, "", bearer(b), 200); !strings.Contains(string(got), "recordsAtRisk") {
			t.Fatalf("a coordinator lost the manifest: %s", got)
		}
	})
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

// TestReleaseSchema drafts a release of each kind through the API and
// checks the JSON it answers against the OpenAPI document's Release
// schema, its config and manifest against the schema of their kind: the
// document once typed both as arrays of integers (reflection's reading of
// json.RawMessage) and no test read a real release.
func TestReleaseSchema(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := httptest.NewServer(httpapi.New(services(db)))
		t.Cleanup(srv.Close)
		if _, err := db.EnsureAgency(context.Background(), "CNC", "Comité national"); err != nil {
			t.Fatal(err)
		}
		a := newUserToken(t, db, "a@cnc.example", "CNC", domain.RoleCoordinator)
		sup := newUserToken(t, db, "sup@cnc.example", "CNC", domain.RoleSupervisor)
		for i := range 30 {
			body := fmt.Sprintf(`{"agency":"CNC","cas_Status":"Active","vig_RegistrationDate":"2026-0%d-1%d","person":{"prs_FirstName":"Zawadi","prs_Gender":"Feminine","prs_Citizenship":["CD"]},"victim":{"vic_TraffickingStatus":"ActualVictimOfTrafficking","vig_AgeBand":"24--26"}}`,
				1+i%9, i%9)
			do(t, srv, "POST", "/api/v1/cases", body, bearer(sup), 201)
		}
		var doc openAPIDoc
		if err := json.Unmarshal(do(t, srv, "GET", "/api/v1/openapi.json", "", nil, 200), &doc); err != nil {
			t.Fatal(err)
		}
		schema := func(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
		// Records, then tables with ε (an exact release of the same year
		// in the other kind is refused as comparable).
		for _, c := range []struct{ body, config, manifest, other string }{
			{`{"kind":"records","title":"r","period_from":2026,"period_to":2026,"k":5}`, "RecordsConfig", "RecordsManifest", "Tables"},
			{`{"kind":"tables","title":"t","period_from":2026,"period_to":2026,"tables":{"method":"dp","epsilon":0.5,"tables":[{"name":"g","dims":[{"column":"gender"}]}]}}`, "TablesConfig", "TablesManifest", "Records"},
		} {
			var created struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/releases", c.body, bearer(a), 201), &created); err != nil {
				t.Fatal(err)
			}
			var rel map[string]any
			if err := json.Unmarshal(do(t, srv, "GET", "/api/v1/releases/"+created.ID, "", bearer(a), 200), &rel); err != nil {
				t.Fatal(err)
			}
			if err := conforms(doc, rel, schema("Release"), "$"); err != nil {
				t.Errorf("%s: %v", c.config, err)
			}
			for field, want := range map[string]string{"config": c.config, "manifest": c.manifest} {
				if _, ok := rel[field].(map[string]any); !ok {
					t.Fatalf("%s is %T, not an object", field, rel[field])
				}
				if err := conforms(doc, rel[field], schema(want), "$."+field); err != nil {
					t.Errorf("%s: %v", field, err)
				}
				// Each kind's JSON is told apart: it does not pass as the
				// other kind's.
				other := strings.Replace(want, strings.TrimSuffix(strings.TrimSuffix(want, "Config"), "Manifest"), c.other, 1)
				if err := conforms(doc, rel[field], schema(other), "$."+field); err == nil {
					t.Errorf("%s of a %s release passes as %s", field, c.config, other)
				}
			}
			// The Release schema holds each field to those types: an
			// object of neither kind is refused in its place.
			for _, field := range []string{"config", "manifest"} {
				bad := map[string]any{}
				for k, v := range rel {
					bad[k] = v
				}
				bad[field] = map[string]any{"k": "onze", "unknown": true}
				if err := conforms(doc, bad, schema("Release"), "$"); err == nil {
					t.Errorf("%s: a release whose %s is an object of neither kind passed", c.config, field)
				}
			}
			// The drift this test is for: a config or manifest typed as
			// integers is refused.
			wrong := openAPIDoc{Paths: doc.Paths}
			wrong.Components.Schemas = map[string]map[string]any{}
			for k, v := range doc.Components.Schemas {
				wrong.Components.Schemas[k] = v
			}
			props := map[string]any{}
			for k, v := range doc.Components.Schemas["Release"]["properties"].(map[string]any) {
				props[k] = v
			}
			props["config"] = map[string]any{"type": "array", "items": map[string]any{"type": "integer"}}
			wrong.Components.Schemas["Release"] = map[string]any{"type": "object", "properties": props, "additionalProperties": false}
			if err := conforms(wrong, rel, schema("Release"), "$"); err == nil || !strings.Contains(err.Error(), "$.config") {
				t.Errorf("a config typed as integers passed: %v", err)
			}
		}
		var page map[string]any
		if err := json.Unmarshal(do(t, srv, "GET", "/api/v1/releases", "", bearer(a), 200), &page); err != nil {
			t.Fatal(err)
		}
		if items, _ := page["items"].([]any); len(items) != 2 {
			t.Fatalf("list %v", page)
		}
		if err := conforms(doc, page, schema("ReleasePage"), "$"); err != nil {
			t.Error(err)
		}
	})
}
