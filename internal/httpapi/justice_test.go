// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

const (
	proceedingBody = `{"complaint":{"date":"2026-03-01","source":"NGO","received_by":"Police des mines"},"investigation":{"unit":"Police des mines","opened":"2026-03-02"}}`
	hearingBody    = `{"date":"2026-06-10","court":"TGI Kolwezi","outcome":"Renvoi"}`
	lawBody        = `{"code":"TEST-ART-1","law":"Loi de test","article":"1","title_fr":"Traite des personnes","title_en":"Trafficking in persons","active":true}`
)

func init() {
	openAPIAreaBodies["POST /api/v1/proceedings"] = proceedingBody
	openAPIAreaBodies["PUT /api/v1/proceedings/{ref}"] = versioned(proceedingBody, 1)
	openAPIAreaBodies["POST /api/v1/proceedings/{ref}/{kind}"] = hearingBody
	openAPIAreaBodies["PUT /api/v1/proceedings/{ref}/{kind}/{id}"] = versioned(hearingBody, 1)
	openAPIAreaBodies["POST /api/v1/law-articles"] = lawBody
	openAPIAreaBodies["PUT /api/v1/law-articles/{id}"] = versioned(lawBody, 1)
	matrixAreas = append(matrixAreas, justiceMatrix)
}

// justiceData is what the matrix's justice lines share, per agency: a
// proceeding whose victim is the agency's main case, with a suspect as
// defendant and a hearing.
type justiceData struct {
	proceeding, hearing, suspectNumber string
}

var (
	justiceMu    sync.Mutex
	justiceByFix = map[*matrixFixture]map[string]*justiceData{}
)

// justiceOf builds (once per fixture and agency) the agency's proceeding.
func justiceOf(x *cell, agency string) *justiceData {
	justiceMu.Lock()
	defer justiceMu.Unlock()
	m := justiceByFix[x.f]
	if m == nil {
		m = map[string]*justiceData{}
		justiceByFix[x.f] = m
	}
	if d := m[agency]; d != nil {
		return d
	}
	pr, h, s := newJusticeProceeding(x.t, x.f.db, agency, x.f.main[agency].number)
	d := &justiceData{proceeding: pr.ID, hearing: h.ID, suspectNumber: s.Number}
	m[agency] = d
	return d
}

// newJusticeProceeding stores a proceeding of agency with a defendant,
// the victim of caseNumber and a hearing.
func newJusticeProceeding(t *testing.T, db *sqlstore.DB, agency, caseNumber string) (*domain.Proceeding, *domain.Hearing, *domain.Suspect) {
	t.Helper()
	ctx := context.Background()
	s := &domain.Suspect{Agency: agency, Gender: "Masculine", AgeGroup: "Adult", Citizenship: "CD",
		Identity: &domain.SuspectIdentity{FirstName: "Trafiquant", LastName: "Secret" + agency}}
	if err := db.CreateSuspect(ctx, s); err != nil {
		t.Fatal(err)
	}
	pr := &domain.Proceeding{Agency: agency, Complaint: domain.Complaint{Date: domain.NewDate(2026, 3, 1), Source: "Victim"}}
	if err := db.CreateProceeding(ctx, pr); err != nil {
		t.Fatal(err)
	}
	h := &domain.Hearing{Date: domain.NewDate(2026, 6, 10), Court: "TGI"}
	for _, st := range []domain.Step{&domain.Defendant{SuspectID: s.ID}, &domain.Participation{CaseNumber: caseNumber, Witness: true, Protection: []string{"ClosedHearing"}}, h} {
		if err := db.AddStep(ctx, pr.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	return pr, h, s
}

func proceedingVersion(t *testing.T, db *sqlstore.DB, id string) int64 {
	t.Helper()
	list, _, err := db.Proceedings(context.Background(), domain.ProceedingFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.ID == id {
			return p.Version
		}
	}
	return 0
}

// justiceMatrix: proceedings are their agency's justice users' only (a
// proceeding of another agency is "not found"); a case's justice summary
// is for whoever reads the case; coordinators keep the list of offences
// and read the figures with supervisors (their agency); admins nothing.
func justiceMatrix() []*entry {
	onlyJus := func(s int) want { return want{cw: 403, sup: 403, jus: s, coord: 403, admin: 403, ro: 403} }
	figures := want{cw: 403, sup: 200, jus: 403, coord: 200, admin: 403, ro: 403}
	figuresOut := want{cw: 403, sup: 403, jus: 403, coord: 200, admin: 403, ro: 403}
	intact := func(x *cell, id string, status int) {
		if status >= 400 && status != 404 && proceedingVersion(x.t, x.f.db, id) != 1 {
			x.t.Errorf("a refused %s changed proceeding %s", x.e.method, id)
		}
	}
	var lastProceeding cellIDs
	// proceedingFor is the proceeding a cell acts on: a new one when it
	// is to change it, else the shared one.
	proceedingFor := func(x *cell) (string, string) {
		d := justiceOf(x, x.target())
		if x.succeeds() && x.e.method != "GET" {
			pr, h, _ := newJusticeProceeding(x.t, x.f.db, x.target(), x.f.main[x.target()].number)
			lastProceeding.set(x, pr.ID)
			return pr.ID, h.ID
		}
		lastProceeding.set(x, d.proceeding)
		return d.proceeding, d.hearing
	}
	onProceeding := func(x *cell, body string, kind bool) request {
		pr, h := proceedingFor(x)
		path := strings.NewReplacer("{ref}", pr, "{kind}", "hearings", "{id}", h).Replace(x.e.pattern)
		if x.e.method == "DELETE" {
			path += "?version=1"
		}
		return request{path: path, body: body, ref: pr}
	}
	return []*entry{
		{method: "GET", pattern: "/api/v1/proceedings", in: onlyJus(200), out: onlyJus(403),
			req: func(x *cell) request {
				justiceOf(x, x.target())
				return request{path: "/api/v1/proceedings?agency=" + x.target()}
			},
			check: func(x *cell, status int, body []byte) {
				if status == 200 && (len(jsonItems(x.t, body)) == 0 || strings.Contains(string(body), `"agency":"`+x.c.other+`"`)) {
					x.t.Errorf("the list of %s's proceedings: %s", x.target(), body)
				}
			}},
		{method: "POST", pattern: "/api/v1/proceedings", in: onlyJus(201), out: onlyJus(422),
			req: func(x *cell) request {
				return request{path: x.e.pattern, body: strings.Replace(proceedingBody, `{"complaint"`, fmt.Sprintf(`{"agency":%q,"complaint"`, x.target()), 1)}
			},
			check: func(x *cell, status int, body []byte) { wantField(x, status, body, "agency") }},
		{method: "GET", pattern: "/api/v1/proceedings/{ref}", in: onlyJus(200), out: onlyJus(404),
			req: func(x *cell) request { return onProceeding(x, "", false) },
			check: func(x *cell, status int, body []byte) {
				if status != 200 {
					return
				}
				d := justiceOf(x, x.target())
				if !strings.Contains(string(body), `"timeline"`) || !strings.Contains(string(body), d.suspectNumber) {
					x.t.Errorf("a proceeding without its timeline or defendant: %s", body)
				}
				if strings.Contains(string(body), "Secret"+x.target()) || strings.Contains(string(body), matrixVictims[x.target()].last) {
					x.t.Errorf("a proceeding shows a name: %s", body)
				}
			}},
		{method: "PUT", pattern: "/api/v1/proceedings/{ref}", in: onlyJus(200), out: onlyJus(404),
			req:   func(x *cell) request { return onProceeding(x, versioned(proceedingBody, 1), false) },
			check: func(x *cell, status int, body []byte) { intact(x, lastProceeding.get(x), status) }},
		{method: "DELETE", pattern: "/api/v1/proceedings/{ref}", in: onlyJus(204), out: onlyJus(404),
			req:   func(x *cell) request { return onProceeding(x, "", false) },
			check: func(x *cell, status int, body []byte) { intact(x, lastProceeding.get(x), status) }},
		{method: "POST", pattern: "/api/v1/proceedings/{ref}/{kind}", in: onlyJus(201), out: onlyJus(404),
			req: func(x *cell) request { return onProceeding(x, hearingBody, true) }},
		{method: "PUT", pattern: "/api/v1/proceedings/{ref}/{kind}/{id}", in: onlyJus(200), out: onlyJus(404),
			req: func(x *cell) request { return onProceeding(x, versioned(hearingBody, 1), true) }},
		{method: "DELETE", pattern: "/api/v1/proceedings/{ref}/{kind}/{id}", in: onlyJus(204), out: onlyJus(404),
			req: func(x *cell) request { return onProceeding(x, "", true) }},
		// The summary follows the case: whoever reads the case reads it;
		// it names no defendant.
		{method: "GET", pattern: "/api/v1/cases/{ref}/justice", in: caseRead, out: every(404), ref: caseRead,
			req: func(x *cell) request {
				justiceOf(x, x.kase().agency)
				return x.onCase(x.kase().number, "")
			},
			check: func(x *cell, status int, body []byte) {
				if status != 200 {
					return
				}
				d := justiceOf(x, x.kase().agency)
				if strings.Contains(string(body), d.suspectNumber) || strings.Contains(string(body), "Secret") {
					x.t.Errorf("a summary names a defendant: %s", body)
				}
				if x.scope == scopeIn && !strings.Contains(string(body), `"ClosedHearing"`) {
					x.t.Errorf("the summary lacks the victim's protection: %s", body)
				}
			}},
		{method: "GET", pattern: "/api/v1/law-articles", in: want{cw: 403, sup: 403, jus: 200, coord: 200, admin: 403, ro: 403}},
		{method: "POST", pattern: "/api/v1/law-articles", in: want{cw: 403, sup: 403, jus: 403, coord: 201, admin: 403, ro: 403},
			req: func(x *cell) request {
				return request{path: x.e.pattern, body: strings.Replace(lawBody, "TEST-ART-1", fmt.Sprintf("M-%d", x.f.next()), 1)}
			}},
		{method: "PUT", pattern: "/api/v1/law-articles/{id}", in: want{cw: 403, sup: 403, jus: 403, coord: 200, admin: 403, ro: 403},
			req: func(x *cell) request {
				code := fmt.Sprintf("M-%d", x.f.next())
				l := &domain.LawArticle{Code: code, Law: "Loi", Article: "1", TitleFR: "Traite", Active: true}
				if err := x.f.db.CreateLawArticle(context.Background(), l); err != nil {
					x.t.Fatal(err)
				}
				return request{path: x.fill("{id}", l.ID), body: versioned(strings.Replace(lawBody, "TEST-ART-1", code, 1), 1)}
			}},
		{method: "GET", pattern: "/api/v1/figures/justice", in: figures, out: figuresOut,
			req: func(x *cell) request {
				justiceOf(x, x.target())
				return request{path: "/api/v1/figures/justice?from=2026-01-01&agency=" + x.target()}
			},
			check: func(x *cell, status int, body []byte) {
				if status == 200 && !strings.Contains(string(body), `"agency":"`+x.target()+`"`) {
					x.t.Errorf("figures of another agency: %s", body)
				}
			}},
		{method: "GET", pattern: "/api/v1/figures", in: figures, out: figuresOut,
			req: func(x *cell) request { return request{path: "/api/v1/figures?agency=" + x.target()} }},
	}
}

// TestJusticeAPI: the check through real HTTP on both databases
// — one situation, three victims, two suspects, from the complaint to
// the verdict — with hostile and malformed input, stale versions, the
// caseworker's summary and figures that reconcile with the records.
func TestJusticeAPI(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		ctx := context.Background()
		jus := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "procureur@kin.example", "KIN", domain.RoleJustice)}
		coord := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "comite@cnltp.example", "KIN", domain.RoleCoordinator)}
		cw := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "assistante@kin.example", "KIN", domain.RoleCaseworker)}
		sit := &domain.Situation{Agency: "KIN", Title: "Réseau de Kolwezi"}
		if err := db.CreateSituation(ctx, sit); err != nil {
			t.Fatal(err)
		}
		var cases []*domain.Case
		for i := range 3 {
			c := &domain.Case{Agency: "KIN", Status: "Active", RegistrationDate: domain.NewDate(2026, 3, 1),
				Person: domain.Person{FirstName: fmt.Sprintf("Victime%d", i), Gender: "Feminine"},
				Victim: domain.Victim{TraffickingStatus: "PossibleVictimOfTrafficking"}}
			if err := db.CreateCase(ctx, c); err != nil {
				t.Fatal(err)
			}
			cases = append(cases, c)
		}
		var sus []*domain.Suspect
		for i, g := range []string{"Masculine", "Feminine"} {
			s := &domain.Suspect{Agency: "KIN", Gender: g, AgeGroup: "Adult", Citizenship: []string{"CD", "AO"}[i],
				Identity: &domain.SuspectIdentity{FirstName: "Suspect", LastName: fmt.Sprintf("Nom%d", i)}}
			if err := db.CreateSuspect(ctx, s); err != nil {
				t.Fatal(err)
			}
			sus = append(sus, s)
		}
		// The list of offences: coordinators only.
		do(t, srv, "POST", "/api/v1/law-articles", lawBody, jus, 403)
		var art domain.LawArticle
		json.Unmarshal(do(t, srv, "POST", "/api/v1/law-articles", lawBody, coord, 201), &art)
		do(t, srv, "POST", "/api/v1/law-articles", lawBody, coord, 409)
		do(t, srv, "POST", "/api/v1/law-articles", strings.Replace(lawBody, "TEST-ART-1", "<b>", 1), coord, 422)

		body := strings.Replace(proceedingBody, `{"complaint"`, fmt.Sprintf(`{"situation_id":%q,"complaint"`, sit.ID), 1)
		var pr domain.Proceeding
		json.Unmarshal(do(t, srv, "POST", "/api/v1/proceedings", body, jus, 201), &pr)
		base := "/api/v1/proceedings/" + pr.Number
		for name, c := range map[string]struct{ body, field string }{
			"future":      {strings.Replace(proceedingBody, "2026-03-01", "2027-03-01", 1), "complaint.date"},
			"source":      {strings.Replace(proceedingBody, `"NGO"`, `"<script>"`, 1), "complaint.source"},
			"control":     {strings.Replace(proceedingBody, "Police des mines", `Police\u001b[2J`, 1), "complaint.received_by"},
			"bad date":    {strings.Replace(proceedingBody, "2026-03-02", "02/03/2026", 1), "investigation.opened"},
			"unknown key": {strings.Replace(proceedingBody, `{"complaint"`, `{"juge":"x","complaint"`, 1), "juge"},
			"situation":   {strings.Replace(proceedingBody, `{"complaint"`, `{"situation_id":"00000000-0000-4000-8000-000000000000","complaint"`, 1), "situation_id"},
			"steps":       {strings.Replace(proceedingBody, `{"complaint"`, `{"defendants":[{"suspect_id":"x"}],"complaint"`, 1), "defendants"},
		} {
			if b := do(t, srv, "POST", "/api/v1/proceedings", c.body, jus, 422); !strings.Contains(string(b), `"field":"`+c.field+`"`) {
				t.Errorf("%s: %s", name, b)
			}
		}
		// A situation of another agency, none of whose cases the caller
		// reaches, answers like a missing one.
		if _, err := db.EnsureAgency(ctx, "GOM", "Parquet de Goma"); err != nil {
			t.Fatal(err)
		}
		gomSit := &domain.Situation{Agency: "GOM", Title: "Réseau de Goma"}
		if err := db.CreateSituation(ctx, gomSit); err != nil {
			t.Fatal(err)
		}
		foreign := strings.Replace(proceedingBody, `{"complaint"`, fmt.Sprintf(`{"situation_id":%q,"complaint"`, gomSit.ID), 1)
		if b := do(t, srv, "POST", "/api/v1/proceedings", foreign, jus, 422); !strings.Contains(string(b), `"field":"situation_id"`) {
			t.Errorf("another agency's situation: %s", b)
		}
		do(t, srv, "POST", "/api/v1/proceedings", "{", jus, 422)
		do(t, srv, "POST", "/api/v1/proceedings", "[]", jus, 422)
		do(t, srv, "GET", "/api/v1/proceedings/../../etc/passwd", "", jus, 404)
		do(t, srv, "GET", "/api/v1/proceedings?status=nowhere", "", jus, 422)
		do(t, srv, "GET", "/api/v1/proceedings?case=KIN-2026-999999", "", jus, 404)

		step := func(kind, body string, want int) map[string]any {
			t.Helper()
			var m map[string]any
			json.Unmarshal(do(t, srv, "POST", base+"/"+kind, body, jus, want), &m)
			return m
		}
		d1 := step("defendants", fmt.Sprintf(`{"suspect_id":%q,"arrested_on":"2026-03-03","arrest_place":"Kolwezi"}`, sus[0].Number), 201)
		d2 := step("defendants", fmt.Sprintf(`{"suspect_id":%q,"arrested_on":"2026-03-05"}`, sus[1].ID), 201)
		step("defendants", `{"suspect_id":"KIN-S-2026-999999"}`, 422)
		step("defendants", `{"suspect_id":"' OR 1=1 --"}`, 422)
		for _, c := range cases {
			step("victims", fmt.Sprintf(`{"case_number":%q,"witness":true,"protection":["IdentityConcealment","VideoTestimony"]}`, c.Number), 201)
		}
		step("victims", `{"case_number":"KIN-2026-999999"}`, 422)
		step("victims", `{"case_number":"x","protection":["Bunker"]}`, 422)
		step("teleport", `{}`, 404)
		charge := func(def map[string]any, verdict string) map[string]any {
			c := step("charges", fmt.Sprintf(`{"defendant_id":%q,"article_id":"TEST-ART-1","charged_on":"2026-04-01","acts":["AtWork"],"means":["DebtBondage"],"purposes":["ForcedLabour"]}`, def["id"]), 201)
			b := fmt.Sprintf(`{"version":1,"defendant_id":%q,"article_id":"TEST-ART-1","charged_on":"2026-04-01","purposes":["ForcedLabour"],"verdict":%q,"verdict_on":"2026-09-01"}`, def["id"], verdict)
			do(t, srv, "PUT", fmt.Sprintf("%s/charges/%s", base, c["id"]), b, jus, 200)
			do(t, srv, "PUT", fmt.Sprintf("%s/charges/%s", base, c["id"]), b, jus, 409)
			return c
		}
		step("charges", fmt.Sprintf(`{"defendant_id":%q,"article_id":"TEST-ART-1","charged_on":"2026-04-01","verdict":"Guilty","verdict_on":"2026-09-01"}`, d1["id"]), 422)
		charge(d1, "Convicted")
		charge(d2, "Acquitted")
		step("hearings", `{"date":"2026-06-10","court":"TGI Kolwezi","outcome":"Plaidoiries"}`, 201)
		step("sentences", fmt.Sprintf(`{"defendant_id":%q,"sentenced_on":"2026-09-01","prison_months":120,"fine":{"amount":1000,"currency":"USD"},"compensation":{"amount":2500,"currency":"USD"}}`, d1["id"]), 201)
		step("sentences", fmt.Sprintf(`{"defendant_id":%q,"sentenced_on":"2026-09-01","prison_months":-3}`, d1["id"]), 422)

		full := do(t, srv, "GET", base, "", jus, 200)
		if !strings.Contains(string(full), `"status":"verdict"`) || !strings.Contains(string(full), `"kind":"sentence"`) {
			t.Errorf("proceeding %s", full)
		}
		// The caseworker of a victim's case sees the summary only.
		do(t, srv, "GET", base, "", cw, 403)
		sum := do(t, srv, "GET", "/api/v1/cases/"+cases[0].Number+"/justice", "", cw, 200)
		if !strings.Contains(string(sum), `"Convicted":1`) || !strings.Contains(string(sum), `"VideoTestimony"`) || strings.Contains(string(sum), sus[0].Number) || strings.Contains(string(sum), "TEST-ART-1") {
			t.Errorf("summary %s", sum)
		}
		do(t, srv, "GET", "/api/v1/figures/justice", "", cw, 403)

		// Figures reconcile with what was recorded.
		var fig domain.JusticeFigures
		json.Unmarshal(do(t, srv, "GET", "/api/v1/figures/justice?from=2026-01-01&to=2026-12-31", "", coord, 200), &fig)
		if fig.Proceedings != 1 || fig.Investigated.Total != 2 || fig.Prosecuted.Total != 2 || fig.Convicted.Total != 1 ||
			fig.Convicted.ByGender["Masculine"] != 1 || fig.Prosecuted.ByCitizenship["AO"] != 1 || fig.Sentences.Count != 1 ||
			fig.Sentences.PrisonMonths["61-120"] != 1 || fig.Sentences.Compensation["USD"] != 2500 || len(fig.Offences) != 1 || fig.Offences[0].Charges != 2 {
			t.Errorf("figures %+v", fig)
		}
		do(t, srv, "GET", "/api/v1/figures/justice?from=2026-12-01&to=2026-01-01", "", coord, 422)
		do(t, srv, "GET", "/api/v1/figures/justice?from=hier", "", coord, 422)
		do(t, srv, "GET", "/api/v1/figures/justice?agency=<x>", "", coord, 422)
		all := do(t, srv, "GET", "/api/v1/figures?from=2026-01-01", "", coord, 200)
		for _, k := range []string{`"justice"`, `"training"`, `"awareness"`} {
			if !strings.Contains(string(all), k) {
				t.Errorf("figures lack %s: %s", k, all)
			}
		}
		// An appeal, decided; then the proceeding is closed.
		step("appeals", fmt.Sprintf(`{"defendant_id":%q,"lodged_on":"2026-09-10","by":"Defence","court":"Cour d'appel de Lubumbashi","outcome":"Upheld"}`, d1["id"]), 422)
		step("appeals", fmt.Sprintf(`{"defendant_id":%q,"lodged_on":"2026-09-10","by":"Defence","court":"Cour d'appel de Lubumbashi","outcome":"Upheld","decided_on":"2026-11-02"}`, d1["id"]), 201)
		if b := do(t, srv, "GET", base, "", jus, 200); !strings.Contains(string(b), `"status":"appeal"`) || !strings.Contains(string(b), `"kind":"appeal_decided"`) {
			t.Errorf("after the appeal: %s", b)
		}
		var cur domain.Proceeding
		json.Unmarshal(do(t, srv, "GET", base, "", jus, 200), &cur)
		closing := strings.Replace(body, `"investigation"`, fmt.Sprintf(`"version":%d,"closed_on":"2026-11-20","prosecution":{"court":"TGI Kolwezi","docket":"RP 77","filed":"2026-05-02"},"investigation"`, cur.Version), 1)
		do(t, srv, "PUT", base, strings.Replace(closing, "2026-11-20", "2026-02-01", 1), jus, 422)
		do(t, srv, "PUT", base, closing, jus, 200)
		if b := do(t, srv, "GET", "/api/v1/proceedings?status=closed", "", jus, 200); !strings.Contains(string(b), pr.Number) {
			t.Errorf("closed list: %s", b)
		}
		do(t, srv, "PUT", base, closing, jus, 409)

		// Stale deletes, and the defendant with charges stays.
		do(t, srv, "DELETE", fmt.Sprintf("%s/defendants/%s?version=1", base, d1["id"]), "", jus, 409)
		do(t, srv, "DELETE", base+"?version=9", "", jus, 409)
	})
}
