// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

func init() {
	openAPIAreaBodies["POST /api/v1/report/versions"] = `{"year":2025,"after":0}`
	matrixAreas = append(matrixAreas, reportMatrix)
}

// reportMatrix: coordinators read and lock every agency's report,
// supervisors their own agency's, caseworkers read their own; justice and
// admins have none. The cases behind a figure follow the same scopes.
func reportMatrix() []*entry {
	read := want{cw: 200, sup: 200, jus: 403, coord: 200, admin: 403, ro: 200}
	readOut := want{cw: 403, sup: 403, jus: 403, coord: 200, admin: 403, ro: 403}
	return []*entry{
		{method: "GET", pattern: "/api/v1/report", in: read, out: readOut,
			req: func(x *cell) request { return request{path: "/api/v1/report?year=2026&agency=" + x.target()} }},
		{method: "GET", pattern: "/api/v1/report/file", in: read, out: readOut,
			req: func(x *cell) request {
				return request{path: "/api/v1/report/file?year=2026&format=csv&lang=en&agency=" + x.target()}
			}},
		{method: "GET", pattern: "/api/v1/report/versions", in: read, out: readOut,
			req: func(x *cell) request { return request{path: "/api/v1/report/versions?year=2026&agency=" + x.target()} }},
		{method: "POST", pattern: "/api/v1/report/versions",
			in:  want{cw: 403, sup: 201, jus: 403, coord: 201, admin: 403, ro: 403},
			out: want{cw: 403, sup: 403, jus: 403, coord: 201, admin: 403, ro: 403},
			req: func(x *cell) request {
				// A year of its own per cell: each lock is a first lock.
				return request{path: x.e.pattern, body: fmt.Sprintf(`{"year":%d,"agency":%q,"after":0}`, 1990+x.f.next(), x.target())}
			}},
		{method: "GET", pattern: "/api/v1/report/cases", in: read, out: readOut,
			req: func(x *cell) request {
				return request{path: "/api/v1/report/cases?year=2026&table=victims_sex_age&row=Feminine&agency=" + x.target()}
			}},
	}
}

// A coordinator's drill-down lists case numbers and de-identified
// columns, never a name; a caseworker drills into their agency's cases
// only; a figure's list holds as many cases as the figure says.
func TestReportDrillDown(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		ctx := context.Background()
		if _, err := db.EnsureAgency(ctx, "GOM", "Goma"); err != nil {
			t.Fatal(err)
		}
		for i, agency := range []string{"KIN", "KIN", "GOM"} {
			c := &domain.Case{Agency: agency, Province: "CD-NK", RegistrationDate: domain.NewDate(2026, 3, 1+i),
				Person: domain.Person{FirstName: "Mbuyi", SecondName: "Kabasele", Gender: "Feminine", Birthdate: domain.NewDate(2012, 1, 1)},
				Victim: domain.Victim{TraffickingStatus: "PossibleVictimOfTrafficking", TypeOfExploitation: []string{"ForcedLabour"}}}
			if err := db.CreateCase(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		coord := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "coord@national.example", "KIN", domain.RoleCoordinator)}
		cw := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "cw@kin.example", "KIN", domain.RoleCaseworker)}

		var view struct {
			Report struct {
				Tables []struct {
					ID    string    `json:"id"`
					Cells [][]int64 `json:"cells"`
					Total int64     `json:"total"`
				} `json:"tables"`
			} `json:"report"`
			Locked bool `json:"locked"`
		}
		if err := json.Unmarshal(do(t, srv, "GET", "/api/v1/report?year=2026", "", coord, 200), &view); err != nil {
			t.Fatal(err)
		}
		if view.Locked || view.Report.Tables[0].ID != "victims_sex_age" || view.Report.Tables[0].Total != 3 ||
			view.Report.Tables[0].Cells[0][0] != 3 {
			t.Fatalf("national report: %+v", view)
		}
		body := do(t, srv, "GET", "/api/v1/report/cases?year=2026&table=victims_sex_age&row=Feminine&col=Child", "", coord, 200)
		var page domain.StatsCasePage
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		if page.Total != 3 || len(page.Items) != 3 || strings.Contains(string(body), "Mbuyi") || strings.Contains(string(body), "Kabasele") ||
			!strings.Contains(string(body), "GOM-2026-") {
			t.Fatalf("coordinator's drill-down: %s", body)
		}
		// The caseworker's report and list are KIN's; GOM's are refused.
		body = do(t, srv, "GET", "/api/v1/report/cases?year=2026&table=victims_sex_age", "", cw, 200)
		if strings.Contains(string(body), "GOM-") || !strings.Contains(string(body), `"total":2`) {
			t.Fatalf("caseworker's drill-down: %s", body)
		}
		do(t, srv, "GET", "/api/v1/report/cases?year=2026&table=victims_sex_age&agency=GOM", "", cw, 403)
		do(t, srv, "GET", "/api/v1/report?year=2026&agency=GOM", "", cw, 403)
		// Hostile and malformed queries.
		for _, q := range []string{"", "year=abc", "year=2026&table=justice_offences", "year=2026&table=victims_sex_age&row=%3Cscript%3E",
			"year=2026&table=victims_sex_age&limit=100000", "year=2026&table=victims_sex_age&cursor=xyz", "year=2026&to=2020", "year=2026&colour=red"} {
			do(t, srv, "GET", "/api/v1/report/cases?"+q, "", coord, 422)
		}
		do(t, srv, "GET", "/api/v1/report/file?year=2026&format=docx", "", coord, 422)
		do(t, srv, "POST", "/api/v1/report/versions", `{"year":2026,"after":0}`, cw, 403)
		do(t, srv, "POST", "/api/v1/report/versions", `{"year":2026,"after":0}`, coord, 201)
		do(t, srv, "POST", "/api/v1/report/versions", `{"year":2026,"after":0}`, coord, 409)
		do(t, srv, "POST", "/api/v1/report/versions", `{"year":2026,"after":1}`, coord, 422)
		do(t, srv, "POST", "/api/v1/report/versions", `{"year":2026,"after":1,"reason":"correction","extra":1}`, coord, 422)
		do(t, srv, "POST", "/api/v1/report/versions", `{"year":2026,"after":1,"reason":"correction"}`, coord, 201)
		pdf := do(t, srv, "GET", "/api/v1/report/file?year=2026&format=pdf&version=1", "", coord, 200)
		if !strings.HasPrefix(string(pdf), "%PDF") {
			t.Fatal("the PDF is not a PDF")
		}
		do(t, srv, "GET", "/api/v1/report/file?year=2026&format=pdf&version=9", "", coord, 404)
		// The case list filters by province too.
		if b := do(t, srv, "GET", "/api/v1/cases?province=CD-NK", "", nil, 200); !strings.Contains(string(b), `"total":2`) {
			t.Fatalf("KIN's cases in CD-NK: %s", b)
		}
		do(t, srv, "GET", "/api/v1/cases?province=Goma", "", nil, 422)
	})
}
