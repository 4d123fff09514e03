// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

var (
	sessionURLRe = regexp.MustCompile(`^/training/sessions/([0-9a-f-]{36})$`)
	certLinkRe   = regexp.MustCompile(`href="(/training/sessions/[0-9a-f-]+/participants/[0-9a-f-]+/certificate)"`)
	versionRe    = regexp.MustCompile(`name="version" value="(\d+)"`)
	trainerOptRe = regexp.MustCompile(`<option value="([0-9a-f-]{36})">Aline Mukendi`)
)

// upload posts a file in a multipart form with the browser's CSRF token.
func (b *browser) upload(t *testing.T, path, name, content string) page {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", b.csrf(t))
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.e.srv.URL+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(t, req)
}

func sessionForm(title, day, organiser string) url.Values {
	return url.Values{"title": {title}, "curriculum": {"TDT1"}, "start_date": {day}, "end_date": {day}, "place": {"Goma"},
		"province": {"CD-NK"}, "organiser": {organiser}, "format": {"InPerson"}, "funding_partner": {"OIM"}}
}

func TestTrainingPages(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		if err := db.CreateCurriculum(context.Background(), &domain.Curriculum{Code: "TDT1", Title: "Identification des victimes"}); err != nil {
			t.Fatal(err)
		}
		coord, _ := e.signedIn(t, "comite@kin.example", "KIN", domain.RoleCoordinator)
		cw, _ := e.signedIn(t, "agent@kin.example", "KIN", domain.RoleCaseworker)
		gomSup, _ := e.signedIn(t, "chef@gom.example", "GOM", domain.RoleSupervisor)
		admin, _ := e.signedIn(t, "admin@kin.example", "KIN", domain.RoleAdmin)

		want(t, admin.get(t, "/training"), http.StatusForbidden, "an admin's training list")
		want(t, cw.get(t, "/training/sessions/new"), http.StatusForbidden, "a caseworker's new session")
		want(t, cw.form(t, "/training/sessions", sessionForm("Atelier", "2026-01-10", "KIN")), http.StatusForbidden, "a caseworker's session")
		want(t, coord.post(t, "/training/sessions", sessionForm("Atelier", "2026-01-10", "KIN")), http.StatusForbidden, "no CSRF token")

		t.Run("Curricula", func(t *testing.T) {
			want(t, admin.get(t, "/training/curricula"), http.StatusForbidden, "an admin's curricula")
			p := cw.get(t, "/training/curricula")
			want(t, p, http.StatusOK, "a caseworker's curricula")
			if strings.Contains(p.body, `action="/training/curricula"`) {
				t.Errorf("a caseworker sees the form to add a curriculum")
			}
			want(t, cw.form(t, "/training/curricula", url.Values{"code": {"XX1"}, "title": {"X"}}), http.StatusForbidden, "a caseworker's curriculum")
			p = coord.form(t, "/training/curricula", url.Values{"code": {"tdt1"}, "title": {"Encore"}})
			want(t, p, http.StatusBadRequest, "a code used already")
			p = coord.form(t, "/training/curricula", url.Values{"code": {"LEG2"}, "title": {"Cadre légal"}, "modules": {"Loi de 2022\r\n\r\nProcédure pénale\x07"}})
			want(t, p, http.StatusBadRequest, "a module with a control character")
			p = coord.form(t, "/training/curricula", url.Values{"code": {"leg2"}, "title": {"Cadre légal <i>"}, "modules": {"Loi de 2022\r\n\r\nProcédure pénale"}})
			want(t, p, http.StatusOK, "a new curriculum")
			checkPage(t, "curricula", p.body)
			if !strings.Contains(p.body, "<li>Procédure pénale</li>") || !strings.Contains(p.body, "LEG2") || strings.Contains(p.body, "<i>") {
				t.Errorf("the curriculum is not listed as typed")
			}
		})

		p := coord.get(t, "/training/sessions/new")
		want(t, p, http.StatusOK, "the new session form")
		checkPage(t, "/training/sessions/new", p.body)
		bad := sessionForm(strings.Repeat("é", 10000), "2026-01-10", "KIN")
		bad.Set("end_date", "2025-01-01")
		p = coord.form(t, "/training/sessions", bad)
		want(t, p, http.StatusBadRequest, "an invalid session")
		if !strings.Contains(p.body, `id="title-error"`) || !strings.Contains(p.body, `id="end-error"`) {
			t.Errorf("the errors are not shown next to their fields")
		}
		hostile := `<script>alert(1)</script>Atelier de Goma`
		p = coord.form(t, "/training/sessions", sessionForm(hostile, "2026-01-10", "KIN"))
		want(t, p, http.StatusOK, "the new session")
		root := find(t, sessionURLRe, p.url)
		if strings.Contains(p.body, "<script>alert") || !strings.Contains(p.body, "&lt;script&gt;") {
			t.Errorf("the title is not escaped")
		}
		checkPage(t, p.url, p.body)

		add := url.Values{"first_name": {"Aline"}, "last_name": {"Mukendi"}, "sex": {"Female"}, "ministry": {"Ministère de la Justice"},
			"province": {"CD-NK"}, "role": {"Participant"}, "attended": {"1"}, "pre_score": {"40"}, "post_score": {"88"}, "certified": {"1"}, "certified_trainer": {"1"}}
		p = coord.form(t, "/training/sessions/"+root+"/participants", add)
		want(t, p, http.StatusOK, "adding a participant")
		cert := find(t, certLinkRe, p.body)
		add.Set("post_score", "150")
		add.Set("first_name", "Benoît")
		want(t, coord.form(t, "/training/sessions/"+root+"/participants", add), http.StatusBadRequest, "a score of 150")

		pdf := cw.get(t, cert)
		if pdf.status != 200 || !strings.HasPrefix(pdf.body, "%PDF-") || pdf.header.Get("Content-Type") != "application/pdf" {
			t.Errorf("certificate: %d %q", pdf.status, pdf.header.Get("Content-Type"))
		}

		t.Run("PersonPage", func(t *testing.T) {
			add := url.Values{"first_name": {"Erreur"}, "last_name": {"Saisie"}, "sex": {"Male"}, "ministry": {"PNC"}, "role": {"Participant"}, "attended": {"1"}}
			p := coord.form(t, "/training/sessions/"+root+"/participants", add)
			m := regexp.MustCompile(`href="(/training/sessions/[0-9a-f-]+/participants/[0-9a-f-]+)" aria-label="Modifier Erreur Saisie"`).FindStringSubmatch(p.body)
			if m == nil {
				t.Fatalf("no edit link for the person")
			}
			person := m[1]
			want(t, cw.get(t, person), http.StatusForbidden, "a caseworker's person page")
			p = coord.get(t, person)
			want(t, p, http.StatusOK, "the person page")
			checkPage(t, "person", p.body)
			want(t, coord.form(t, person, url.Values{"version": {"1"}, "attended": {"1"}, "post_score": {"abc"}}), http.StatusBadRequest, "a score that is no number")
			want(t, coord.form(t, person+"/person", url.Values{"version": {"1"}, "first_name": {"Err\u200bor\x1b"}, "last_name": {"Saisie"}, "sex": {"Male"}, "ministry": {"PNC"}}), http.StatusBadRequest, "a control character")
			want(t, coord.form(t, person+"/person", url.Values{"version": {"1"}, "first_name": {"Erwan"}, "last_name": {"Saisie"}, "sex": {"Male"}, "ministry": {"PNC"}}), http.StatusOK, "a correction")
			want(t, coord.form(t, person+"/person", url.Values{"version": {"1"}, "first_name": {"Autre"}, "last_name": {"Saisie"}, "sex": {"Male"}, "ministry": {"PNC"}}), http.StatusConflict, "a stale correction")
			want(t, cw.form(t, person+"/delete", url.Values{"version": {"1"}}), http.StatusForbidden, "a caseworker removes")
			want(t, coord.form(t, person+"/delete", url.Values{"version": {"7"}}), http.StatusConflict, "a stale remove")
			p = coord.form(t, person+"/delete", url.Values{"version": {"1"}})
			want(t, p, http.StatusOK, "a remove")
			if strings.Contains(p.body, "Erwan Saisie") {
				t.Errorf("the person is still listed")
			}
		})

		t.Run("AuditLabels", func(t *testing.T) {
			p := admin.get(t, "/audit")
			want(t, p, http.StatusOK, "the audit trail")
			for _, s := range []string{"Formation des agents", "participation à une session"} {
				if !strings.Contains(p.body, s) {
					t.Errorf("the audit trail lacks %q", s)
				}
			}
		})

		t.Run("Import", func(t *testing.T) {
			bad := "Prénom;Nom;Sexe;Ministère;Post-test\nChantal;Kasongo;F;PNC;70\nDésiré;<b>x</b>;Q;PNC;70\n"
			p := coord.upload(t, "/training/sessions/"+root+"/import", "liste.csv", bad)
			want(t, p, http.StatusBadRequest, "a list with a bad row")
			if !strings.Contains(p.body, "<td>3</td><td>Sexe</td>") || strings.Contains(p.body, "Chantal") {
				t.Errorf("the rejects are not shown, or a row was imported")
			}
			p = coord.upload(t, "/training/sessions/"+root+"/import", "liste.xlsx", "PK\x03\x04 not a workbook")
			want(t, p, http.StatusBadRequest, "a damaged workbook")
			p = coord.upload(t, "/training/sessions/"+root+"/import", "liste.csv", "Prénom;Nom;Sexe;Ministère;Post-test\nChantal;Kasongo;F;PNC;70\n")
			want(t, p, http.StatusOK, "a good list")
			if !strings.Contains(p.body, "Chantal") {
				t.Errorf("the imported person is not listed")
			}
			// A list of 2,000 officials (over 64 KB) goes through the page
			// as through the API; a file over the 4 MiB bound is refused.
			var big strings.Builder
			big.WriteString("Prénom;Nom;Sexe;Ministère;Post-test\n")
			for i := range 2000 {
				fmt.Fprintf(&big, "Agent%d;Kabongo-Mwamba;F;Ministère des Affaires sociales;%d\n", i, 50+i%50)
			}
			if big.Len() < 64<<10 {
				t.Fatalf("the big list is only %d bytes", big.Len())
			}
			p = coord.upload(t, "/training/sessions/"+root+"/import", "grande-liste.csv", big.String())
			want(t, p, http.StatusOK, "a list of 2,000 rows")
			huge := strings.Repeat("x", 5<<20)
			p = coord.upload(t, "/training/sessions/"+root+"/import", "enorme.csv", huge)
			want(t, p, http.StatusRequestEntityTooLarge, "a 5 MiB file")
			mustContain(t, p, "a 5 MiB file", "Ce fichier dépasse 4\u00a0Mio", `name="file"`)
		})

		t.Run("StaleEdit", func(t *testing.T) {
			edit := coord.get(t, "/training/sessions/"+root+"/edit")
			want(t, edit, http.StatusOK, "the edit form")
			checkPage(t, "edit", edit.body)
			f := sessionForm("Atelier de Goma", "2026-01-10", "KIN")
			f.Set("version", find(t, versionRe, edit.body))
			want(t, coord.form(t, "/training/sessions/"+root+"/edit", f), http.StatusOK, "the first save")
			f.Set("title", "Écrasement")
			p := coord.form(t, "/training/sessions/"+root+"/edit", f)
			want(t, p, http.StatusConflict, "a stale save")
			want(t, gomSup.get(t, "/training/sessions/"+root+"/edit"), http.StatusForbidden, "another agency's supervisor")
			want(t, gomSup.get(t, "/training/sessions/"+root), http.StatusOK, "another agency's supervisor reads")
		})

		t.Run("Cascade", func(t *testing.T) {
			p := coord.form(t, "/training/sessions", sessionForm("Relais de Beni", "2026-02-10", "KIN"))
			child := find(t, sessionURLRe, p.url)
			trainee := find(t, trainerOptRe, p.body)
			p = coord.form(t, "/training/sessions/"+child+"/participants", url.Values{"trainee_id": {trainee}, "role": {"Trainer"}, "attended": {"1"}})
			want(t, p, http.StatusOK, "an existing trainer")
			p = coord.form(t, "/training/sessions/"+child+"/participants", url.Values{"first_name": {"Esther"}, "last_name": {"Mbuyi"}, "sex": {"Female"},
				"ministry": {"DGM"}, "role": {"Participant"}, "attended": {"1"}})
			want(t, p, http.StatusOK, "a participant of the child")
			for _, lang := range []string{"fr", "en"} {
				cw.get(t, "/lang/"+lang)
				p = cw.get(t, "/training/sessions/"+root+"/cascade")
				want(t, p, http.StatusOK, "the cascade page")
				checkPage(t, "cascade", p.body)
				if !regexp.MustCompile(`(?s)<ul class="tree"><li>.*Atelier de Goma.*<ul><li>.*Relais de Beni`).MatchString(p.body) {
					t.Errorf("the tree does not nest the child session:\n%s", p.body)
				}
				if !strings.Contains(p.body, "<dd>2</dd>") { // levels
					t.Errorf("no levels in the reach")
				}
				list := cw.get(t, "/training?province=CD-NK&ministry=DGM&from=2026-02-01")
				want(t, list, http.StatusOK, "the filtered list")
				checkPage(t, "list", list.body)
				if !strings.Contains(list.body, "Relais de Beni") || strings.Contains(list.body, "Atelier de Goma") {
					t.Errorf("the filter does not work")
				}
			}
			want(t, cw.get(t, "/training?from=hier"), http.StatusBadRequest, "a bad date")
		})
	})
}
