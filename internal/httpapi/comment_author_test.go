// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// A comment written through the API is by the caller: a body naming
// someone else as its author is not believed, on creation or on update.
func TestCommentAuthorIsTheCaller(t *testing.T) {
	eachServer(t, testCommentAuthorIsTheCaller)
}

func testCommentAuthorIsTheCaller(t *testing.T, srv *httptest.Server) {
	var c struct {
		Number string `json:"case_number"`
	}
	if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/cases/" + c.Number + "/comments"
	var made struct {
		ID     string `json:"id"`
		Author string `json:"vig_Author"`
	}
	b := do(t, srv, "POST", base, `{"cco_CaseComment":"Vue au centre","vig_Author":"Procureur Kabila"}`, nil, 201)
	if err := json.Unmarshal(b, &made); err != nil || made.Author != "tester@kin.example" {
		t.Fatalf("created %s (%v): the author must be the caller", b, err)
	}
	run(t, srv, []scenario{
		{name: "WithoutAuthor", method: "POST", path: base, body: `{"cco_CaseComment":"Sans auteur"}`, status: 201,
			contains: []string{`"vig_Author":"tester@kin.example"`}},
		{name: "UpdateKeepsAuthor", method: "PUT", path: base + "/" + made.ID, body: `{"cco_CaseComment":"Vue au centre, suivie","vig_Author":"Procureur Kabila","version":1}`,
			status: 200, contains: []string{`"vig_Author":"tester@kin.example"`, "suivie"}, absent: []string{"Kabila"}},
		{name: "ListShowsCaller", method: "GET", path: base, status: 200, contains: []string{"tester@kin.example"}, absent: []string{"Kabila"}},
	})
	// The comments of a new case too: a vig_Author in the case's body
	// wrote them in another's name, and none left them anyone's.
	body := strings.Replace(validCase, `"cas_Status":"Active",`,
		`"cas_Status":"Active","comments":[{"cco_CaseComment":"Signé ailleurs","vig_Author":"Procureur Kabila"},{"cco_CaseComment":"Sans signature"}],`, 1)
	var withComments struct {
		Comments []struct {
			Author string `json:"vig_Author"`
		} `json:"comments"`
	}
	b = do(t, srv, "POST", "/api/v1/cases", body, nil, 201)
	if err := json.Unmarshal(b, &withComments); err != nil || len(withComments.Comments) != 2 {
		t.Fatalf("created %s (%v)", b, err)
	}
	for i, cm := range withComments.Comments {
		if cm.Author != "tester@kin.example" {
			t.Fatalf("comment %d of a new case is by %q, not the caller: %s", i, cm.Author, b)
		}
	}
}

// TestCommentChangedByItsAuthorOnly: a caseworker rewrote a supervisor's
// comment (200, still signed by the supervisor) and could delete it
// (204). Only its author changes or deletes a comment now.
func TestCommentChangedByItsAuthorOnly(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		var c struct {
			Number string `json:"case_number"`
		}
		if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c); err != nil {
			t.Fatal(err)
		}
		base := "/api/v1/cases/" + c.Number + "/comments"
		var made struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(do(t, srv, "POST", base, `{"cco_CaseComment":"Vue au centre"}`, nil, 201), &made); err != nil {
			t.Fatal(err)
		}
		other := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "autre@kin.example", "KIN", domain.RoleCaseworker, domain.RoleSupervisor)}
		do(t, srv, "PUT", base+"/"+made.ID, `{"cco_CaseComment":"Réécrit","version":1}`, other, 403)
		do(t, srv, "DELETE", base+"/"+made.ID+"?version=1", "", other, 403)
		b := do(t, srv, "GET", base, "", nil, 200)
		if !strings.Contains(string(b), "Vue au centre") || strings.Contains(string(b), "Réécrit") {
			t.Fatalf("the comment changed: %s", b)
		}
		do(t, srv, "PUT", base+"/"+made.ID, `{"cco_CaseComment":"Vue au centre, suivie","version":1}`, nil, 200)
		do(t, srv, "DELETE", base+"/"+made.ID+"?version=2", "", nil, 204)
	})
}
