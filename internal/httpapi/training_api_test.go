// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

func init() {
	openAPIAreaBodies["POST /api/v1/training/curricula"] = `{"code":"OA1","title":"Cursus"}`
	openAPIAreaBodies["POST /api/v1/training/sessions"] = `{"title":"Atelier","curriculum":"NONE","start_date":"2026-04-01","place":"Goma","province":"CD-NK","format":"Mixed"}`
	openAPIAreaBodies["PUT /api/v1/training/sessions/{id}"] = `{"version":1,"title":"Atelier","curriculum":"NONE","start_date":"2026-04-01","place":"Goma","province":"CD-NK","format":"Mixed"}`
	openAPIAreaBodies["POST /api/v1/training/sessions/{id}/attendance"] = `{"first_name":"A","last_name":"B","sex":"Male","ministry":"PNC","attendance":{"role":"Participant"}}`
	openAPIAreaBodies["POST /api/v1/training/sessions/{id}/import"] = "prénom;nom;sexe;ministère\nA;B;F;C\n"
	openAPIAreaBodies["PUT /api/v1/training/sessions/{id}/attendance/{aid}"] = `{"version":1,"role":"Participant"}`
	openAPIAreaBodies["PUT /api/v1/training/sessions/{id}/attendance/{aid}/person"] = `{"version":1,"first_name":"A","last_name":"B","sex":"Male","ministry":"PNC"}`
}

// trainingAPI is a server and a coordinator's and a KIN supervisor's
// headers (the default token holds caseworker, supervisor and admin).
type trainingAPI struct {
	srv   *httptest.Server
	coord map[string]string
}

func (x *trainingAPI) id(t *testing.T, method, path, body string, h map[string]string, want int) string {
	t.Helper()
	var v struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(do(t, x.srv, method, path, body, h, want), &v); err != nil {
		t.Fatal(err)
	}
	return v.ID
}

func sessionBody(title, day string) string {
	return fmt.Sprintf(`{"title":%q,"curriculum":"TDT1","start_date":%q,"end_date":%q,"place":"Goma","province":"CD-NK","organiser":"KIN","format":"InPerson","funding_partner":"OIM"}`, title, day, day)
}

func person(name, ministry string, att string) string {
	return fmt.Sprintf(`{"first_name":%q,"last_name":"Kabila","sex":"Female","ministry":%q,"province":"CD-NK","attendance":%s}`, name, ministry, att)
}

const (
	attCertTrainer = `{"role":"Participant","attended":true,"pre_score":40,"post_score":88,"certified":true,"certified_trainer":true}`
	attCertified   = `{"role":"Participant","attended":true,"pre_score":35,"post_score":75,"certified":true}`
	attPlain       = `{"role":"Participant","attended":true,"pre_score":20,"post_score":45}`
)

func TestTrainingAPI(t *testing.T) {
	eachServerDB(t, func(t *testing.T, srv *httptest.Server, db *sqlstore.DB) {
		x := &trainingAPI{srv: srv, coord: map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "coord@kin.example", "KIN", domain.RoleCoordinator)}}
		do(t, srv, "POST", "/api/v1/training/curricula", `{"code":"TDT1","title":"Identification des victimes"}`, nil, 403) // a supervisor
		do(t, srv, "POST", "/api/v1/training/curricula", `{"code":"TDT1","title":"Identification des victimes","modules":[{"title":"Cadre légal","hours":4}]}`, x.coord, 201)
		do(t, srv, "POST", "/api/v1/training/curricula", `{"code":"TDT1","title":"Encore"}`, x.coord, 409)

		t.Run("ErrInvalidSession", func(t *testing.T) {
			for _, tt := range []struct{ body, field string }{
				{sessionBody(strings.Repeat("a", 10000), "2026-02-10"), "title"},
				{strings.Replace(sessionBody("A", "2026-02-10"), `"title":"A"`, `"title":"A\u0007\u009b"`, 1), "title"},
				{strings.Replace(sessionBody("A", "2026-02-10"), "CD-NK", "CD-ZZ", 1), "province"},
				{strings.Replace(sessionBody("A", "2026-02-10"), `"end_date":"2026-02-10"`, `"end_date":"2026-01-10"`, 1), "end_date"},
				{strings.Replace(sessionBody("A", "2026-02-10"), `"2026-02-10"`, `"10/02/2026"`, 1), "start_date"},
				{strings.Replace(sessionBody("A", "2026-02-10"), `"organiser":"KIN"`, `"organiser":"GOM"`, 1), "organiser"},
			} {
				b := do(t, srv, "POST", "/api/v1/training/sessions", tt.body, nil, 422)
				if !strings.Contains(string(b), `"field":"`+tt.field+`"`) {
					t.Errorf("%.60s: %s", tt.body, b)
				}
			}
		})
		hostile := `<script>alert("x")</script> Atelier`
		root := x.id(t, "POST", "/api/v1/training/sessions", sessionBody(hostile, "2026-01-10"), nil, 201)
		t.Run("StaleVersion", func(t *testing.T) {
			do(t, srv, "PUT", "/api/v1/training/sessions/"+root, sessionBody("Sans version", "2026-01-10"), nil, 422)
			do(t, srv, "PUT", "/api/v1/training/sessions/"+root, sessionBody("Atelier de Goma", "2026-01-10"), map[string]string{"If-Match": `"1"`}, 200)
			do(t, srv, "PUT", "/api/v1/training/sessions/"+root, sessionBody("Écrasement", "2026-01-10"), map[string]string{"If-Match": `"1"`}, 409)
			b := do(t, srv, "GET", "/api/v1/training/sessions/"+root, "", nil, 200)
			if !strings.Contains(string(b), `"version":2`) || !strings.Contains(string(b), "Atelier de Goma") {
				t.Errorf("got %s", b)
			}
			do(t, srv, "GET", "/api/v1/training/sessions/not-an-id", "", nil, 404)
		})

		// A cascade three levels deep: root → b → c.
		x.id(t, "POST", "/api/v1/training/sessions/"+root+"/attendance", person("Maître", "OIM", `{"role":"Trainer","attended":true}`), nil, 201)
		var ta struct {
			ID      string `json:"id"`
			Trainee string `json:"trainee"`
		}
		json.Unmarshal(do(t, srv, "POST", "/api/v1/training/sessions/"+root+"/attendance", person("Aline", "Justice", attCertTrainer), nil, 201), &ta)
		plain := x.id(t, "POST", "/api/v1/training/sessions/"+root+"/attendance", person("Chantal", "Justice", attPlain), nil, 201)
		do(t, srv, "POST", "/api/v1/training/sessions/"+root+"/attendance", person("Score", "Justice", `{"role":"Participant","attended":true,"post_score":101}`), nil, 422)
		do(t, srv, "POST", "/api/v1/training/sessions/"+root+"/attendance", `{"trainee_id":"`+ta.Trainee+`","attendance":{"role":"Participant"}}`, nil, 409)

		b := x.id(t, "POST", "/api/v1/training/sessions", sessionBody("Relais de Beni", "2026-02-10"), x.coord, 201)
		do(t, srv, "POST", "/api/v1/training/sessions/"+b+"/attendance", `{"trainee_id":"`+ta.Trainee+`","attendance":{"role":"Trainer","attended":true}}`, nil, 201)

		t.Run("ImportCSV", func(t *testing.T) {
			bad := "Prénom;Nom;Sexe;Ministère;Pré-test;Post-test;Certifié;Certifié formateur\n" +
				"Désiré;Mulumba;H;Police nationale;30;80;oui;oui\n" +
				"<img src=x>;Tshala;F;DGM;30;180;oui;non\n" +
				"Esther;Mbuyi;Z;DGM;30;60;non;non\n"
			p := do(t, srv, "POST", "/api/v1/training/sessions/"+b+"/import?name=liste.csv", bad, map[string]string{"Content-Type": "text/csv"}, 422)
			for _, want := range []string{`"row":3`, `"column":"Post-test"`, `"row":4`, `"column":"Sexe"`, "nothing was imported"} {
				if !strings.Contains(string(p), want) {
					t.Errorf("the answer lacks %s: %s", want, p)
				}
			}
			if l := do(t, srv, "GET", "/api/v1/training/sessions/"+b+"/attendance", "", nil, 200); strings.Contains(string(l), "Mulumba") {
				t.Fatalf("half imported: %s", l)
			}
			do(t, srv, "POST", "/api/v1/training/sessions/"+b+"/import", "prénom;nom\n\"A;B\n", nil, 422)
			good := "Prénom;Nom;Sexe;Ministère;Province;Pré-test;Post-test;Certifié;Certifié formateur\n" +
				"Désiré;Mulumba;H;Police nationale;Nord-Kivu;30;80;oui;oui\n" +
				"Esther;Mbuyi;F;DGM;CD-NK;30;60;non;non\n"
			if p := do(t, srv, "POST", "/api/v1/training/sessions/"+b+"/import?name=liste.csv", good, map[string]string{"Content-Type": "text/csv"}, 201); !strings.Contains(string(p), `"imported":2`) {
				t.Errorf("got %s", p)
			}
		})
		var list struct {
			Items []struct {
				ID      string `json:"id"`
				Trainee string `json:"trainee"`
				Person  struct {
					FirstName string `json:"first_name"`
				} `json:"person"`
			} `json:"items"`
		}
		json.Unmarshal(do(t, srv, "GET", "/api/v1/training/sessions/"+b+"/attendance", "", nil, 200), &list)
		var desire string
		for _, it := range list.Items {
			if it.Person.FirstName == "Désiré" {
				desire = it.Trainee
			}
		}
		c := x.id(t, "POST", "/api/v1/training/sessions", sessionBody("Relais de Butembo", "2026-03-10"), nil, 201)
		do(t, srv, "POST", "/api/v1/training/sessions/"+c+"/attendance", `{"trainee_id":"`+desire+`","attendance":{"role":"Trainer","attended":true}}`, nil, 201)
		t.Run("ImportXLSX", func(t *testing.T) {
			f := excelize.NewFile()
			rows := [][]any{{"First name", "Last name", "Sex", "Ministry", "Post-test", "Certified"},
				{"Gloire", "Ilunga", "Male", "Social affairs", 70, "yes"}, {"Irène", "Kapinga", "Female", "Social affairs", 55, "no"}}
			for i, r := range rows {
				cell, _ := excelize.CoordinatesToCellName(1, i+1)
				f.SetSheetRow("Sheet1", cell, &r)
			}
			var buf bytes.Buffer
			f.WriteTo(&buf)
			do(t, srv, "POST", "/api/v1/training/sessions/"+c+"/import?name=liste.xlsx", buf.String(), map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, 201)
			do(t, srv, "POST", "/api/v1/training/sessions/"+c+"/import?name=liste.xlsx", buf.String()[:buf.Len()/2], nil, 422)
		})

		t.Run("Cascade", func(t *testing.T) {
			var cas domain.Cascade
			json.Unmarshal(do(t, srv, "GET", "/api/v1/training/sessions/"+root+"/cascade", "", nil, 200), &cas)
			// Root: Aline, Chantal; b: Désiré, Esther; c: Gloire, Irène.
			// Trainers certified: Aline, Désiré → multiplier 4/2.
			if cas.Levels != 3 || cas.Depth != 2 || cas.Sessions != 3 || cas.Trained != 6 || cas.Downstream != 4 || cas.TrainersCertified != 2 || cas.Multiplier != 2 {
				t.Errorf("cascade: %+v", cas)
			}
			if len(cas.Root.Children) != 1 || len(cas.Root.Children[0].Children) != 1 || cas.Root.Children[0].Children[0].Session.ID != c {
				t.Errorf("tree: %+v", cas.Root)
			}
		})
		t.Run("Certificate", func(t *testing.T) {
			pdf := do(t, srv, "GET", "/api/v1/training/sessions/"+root+"/attendance/"+ta.ID+"/certificate?lang=en", "", nil, 200)
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Errorf("not a PDF: %.20q", pdf)
			}
			do(t, srv, "GET", "/api/v1/training/sessions/"+root+"/attendance/"+plain+"/certificate", "", nil, 409)
			do(t, srv, "GET", "/api/v1/training/sessions/"+b+"/attendance/"+ta.ID+"/certificate", "", nil, 404)
		})
		t.Run("CorrectPerson", func(t *testing.T) {
			path := "/api/v1/training/sessions/" + root + "/attendance/" + ta.ID + "/person"
			do(t, srv, "PUT", path, `{"version":1,"first_name":"Aline","last_name":"`+strings.Repeat("K", 201)+`","sex":"Female","ministry":"Justice"}`, nil, 422)
			do(t, srv, "PUT", path, `{"version":1,"first_name":"Aline","last_name":"Kabila-Mukendi","sex":"Female","ministry":"Justice"}`, nil, 200)
			do(t, srv, "PUT", path, `{"version":1,"first_name":"Aline","last_name":"Autre","sex":"Female","ministry":"Justice"}`, nil, 409)
			do(t, srv, "PUT", "/api/v1/training/sessions/"+b+"/attendance/"+ta.ID+"/person", `{"version":2,"first_name":"A","last_name":"B","sex":"Female","ministry":"J"}`, nil, 404)
		})
		t.Run("UpdateAttendance", func(t *testing.T) {
			path := "/api/v1/training/sessions/" + root + "/attendance/" + plain
			do(t, srv, "PUT", path, `{"version":1,"role":"Participant","attended":true,"post_score":-5}`, nil, 422)
			do(t, srv, "PUT", path, `{"version":1,"role":"Participant","attended":true,"post_score":65,"certified":true}`, nil, 200)
			do(t, srv, "PUT", path, `{"version":1,"role":"Participant","attended":true,"post_score":70,"certified":true}`, nil, 409)
			do(t, srv, "GET", "/api/v1/training/sessions/"+root+"/attendance/"+plain+"/certificate", "", nil, 200)
			do(t, srv, "DELETE", path, "", nil, 422)
			do(t, srv, "DELETE", path+"?version=1", "", nil, 409)
			do(t, srv, "DELETE", path+"?version=abc", "", nil, 422)
			do(t, srv, "DELETE", path, "", map[string]string{"If-Match": `"2"`}, 204)
			do(t, srv, "DELETE", path+"?version=2", "", nil, 404)
		})
		t.Run("ListAndSummary", func(t *testing.T) {
			l := do(t, srv, "GET", "/api/v1/training/sessions?from=2026-02-01&province=CD-NK&ministry=DGM", "", nil, 200)
			if !strings.Contains(string(l), `"total":1`) || !strings.Contains(string(l), b) {
				t.Errorf("list: %s", l)
			}
			do(t, srv, "GET", "/api/v1/training/sessions?province=Narnia", "", nil, 422)
			do(t, srv, "GET", "/api/v1/training/sessions?sort=name", "", nil, 422)
			s := do(t, srv, "GET", "/api/v1/training/summary?from=2026-01-01&to=2026-12-31", "", x.coord, 200)
			// Six trained, less Chantal, removed from the root session above.
			if !strings.Contains(string(s), `"trained":5`) || !strings.Contains(string(s), `"sessions":3`) {
				t.Errorf("summary: %s", s)
			}
			do(t, srv, "GET", "/api/v1/training/summary?from=2026-13-01", "", nil, 422)
			do(t, srv, "GET", "/api/v1/training/summary?year=2026", "", nil, 422)
		})
	})
}
