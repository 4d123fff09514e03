// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// testPDF is the smallest file http.DetectContentType takes for a PDF.
const testPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// eachServerDB is eachServer with the database, for tests that need users
// of other agencies.
func eachServerDB(t *testing.T, fn func(t *testing.T, srv *httptest.Server, db *sqlstore.DB)) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		fn(t, newServerOn(t, db), db)
	})
}

type attachmentJSON struct {
	ID          string `json:"id"`
	CaseID      string `json:"case_id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	CreatedBy   string `json:"created_by"`
}

func upload(t *testing.T, srv *httptest.Server, number, name, contentType, body string, want int) []byte {
	t.Helper()
	return do(t, srv, "POST", "/api/v1/cases/"+number+"/attachments?name="+url.QueryEscape(name), body,
		map[string]string{"Content-Type": contentType}, want)
}

func TestAttachments(t *testing.T) {
	eachServerDB(t, testAttachments)
}

func testAttachments(t *testing.T, srv *httptest.Server, db *sqlstore.DB) {
	var c struct {
		ID     string `json:"id"`
		Number string `json:"case_number"`
	}
	if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/cases/" + c.Number + "/attachments"

	var scan attachmentJSON
	if err := json.Unmarshal(upload(t, srv, c.Number, "scan.pdf", "application/pdf", testPDF, 201), &scan); err != nil {
		t.Fatal(err)
	}
	if scan.Name != "scan.pdf" || scan.ContentType != "application/pdf" || scan.Size != int64(len(testPDF)) || scan.CaseID != c.ID || scan.CreatedBy == "" {
		t.Fatalf("uploaded %+v", scan)
	}

	t.Run("Attacks", func(t *testing.T) {
		pdfPadded := testPDF + strings.Repeat("\n", domain.MaxAttachmentBytes-len(testPDF))
		for _, tt := range []struct {
			name, fileName, contentType, body string
			status                            int
			stored                            string // the name kept, for 201
			field                             string // the field refused, for 422
		}{
			// A path is reduced to its base name: no name climbs out of
			// a folder, and a client's full path is not an error.
			{"PathTraversal", "../../etc/passwd", "text/plain", "root:x:0:0:root:/root:/bin/sh\n", 201, "passwd", ""},
			{"WindowsTraversal", `..\..\boot.ini`, "text/plain", "[boot loader]\n", 201, "boot.ini", ""},
			{"DotDotInside", "a/b/../../c.pdf", "application/pdf", testPDF, 201, "c.pdf", ""},
			// "</" makes a path: only "script>.pdf" is kept.
			{"ScriptTag", "<script>alert(1)</script>.pdf", "application/pdf", testPDF, 201, "script>.pdf", ""},
			{"MarkupKeptVerbatim", "<img src=x onerror=alert(1)>.pdf", "application/pdf", testPDF, 201, "<img src=x onerror=alert(1)>.pdf", ""},
			{"AnyScript", "Déclaration de Mbuyi — إفادة.pdf", "application/pdf", testPDF, 201, "Déclaration de Mbuyi — إفادة.pdf", ""},
			{"ExactlyTheLimit", "grand.pdf", "application/pdf", pdfPadded, 201, "grand.pdf", ""},
			{"ErrReservedName", "CON.pdf", "application/pdf", testPDF, 422, "", "name"},
			{"ErrHidden", ".htaccess", "text/plain", "Deny from all\n", 422, "", "name"},
			{"ErrNUL", "x\x00.pdf", "application/pdf", testPDF, 422, "", "name"},
			{"ErrBidiOverride", "facture\u202Efdp.exe", "application/pdf", testPDF, 422, "", "name"},
			{"ErrLongName", strings.Repeat("n", 300) + ".pdf", "application/pdf", testPDF, 422, "", "name"},
			{"ErrNoName", "", "application/pdf", testPDF, 422, "", "name"},
			{"ErrPDFAsPNG", "photo.png", "image/png", testPDF, 422, "", "content_type"},
			{"ErrPDFAsJPEG", "photo.jpg", "image/jpeg", testPDF, 422, "", "content_type"},
			{"ErrHTMLAsText", "note.txt", "text/plain", "<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", 422, "", "content_type"},
			// A type outside the list is an unsupported media type (415),
			// as a JSON body sent as another type is; a content that is
			// not its declared type stays 422 (above).
			{"ErrHTML", "page.html", "text/html", "<html></html>", 415, "", "content_type"},
			{"ErrSVG", "logo.svg", "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`, 415, "", "content_type"},
			{"ErrOctetStream", "scan.bin", "application/octet-stream", testPDF, 415, "", "content_type"},
			{"ErrNoContentType", "scan.pdf", "", testPDF, 422, "", "content_type"},
			{"ErrBadContentType", "scan.pdf", "application/pdf; =", testPDF, 422, "", "content_type"},
			{"ErrEmpty", "vide.pdf", "application/pdf", "", 422, "", "file"},
			{"ErrTooLarge", "grand.pdf", "application/pdf", pdfPadded + "\n", 413, "", ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				b := upload(t, srv, c.Number, tt.fileName, tt.contentType, tt.body, tt.status)
				switch tt.status {
				case 201:
					var a attachmentJSON
					if err := json.Unmarshal(b, &a); err != nil || a.Name != tt.stored || a.Size != int64(len(tt.body)) {
						t.Fatalf("stored %+v (%v), want the name %q", a, err, tt.stored)
					}
				case 422, 415:
					var p struct {
						Errors []domain.FieldError `json:"errors"`
					}
					if err := json.Unmarshal(b, &p); err != nil || len(p.Errors) != 1 || p.Errors[0].Field != tt.field || !strings.Contains(p.Errors[0].Message, " / ") {
						t.Fatalf("want one bilingual problem on %s, got %s", tt.field, b)
					}
				case 413:
					if !strings.Contains(string(b), "10 MiB") || !strings.Contains(string(b), "10 Mio") {
						t.Fatalf("the 413 does not name the limit: %s", b)
					}
				}
			})
		}
	})

	run(t, srv, []scenario{
		{name: "ErrUnknownParameter", method: "POST", path: base + "?name=a.pdf&path=/etc", body: testPDF, header: map[string]string{"Content-Type": "application/pdf"}, status: 422, contains: []string{`"field":"path"`}},
		{name: "ErrRepeatedName", method: "POST", path: base + "?name=a.pdf&name=b.pdf", body: testPDF, header: map[string]string{"Content-Type": "application/pdf"}, status: 422, contains: []string{`"field":"name"`}},
		{name: "ErrNoCase", method: "POST", path: "/api/v1/cases/KIN-2026-000404/attachments?name=a.pdf", body: testPDF, header: map[string]string{"Content-Type": "application/pdf"}, status: 404},
		{name: "ErrNoAttachment", method: "GET", path: base + "/" + c.ID, status: 404},
		{name: "ErrBadID", method: "GET", path: base + "/..%2F..%2Fetc%2Fpasswd", status: 404},
		// The literal segment wins over {part}: the list is attachments,
		// the parts still answer, and attachments are not a part.
		{name: "ListIsAttachments", method: "GET", path: base, status: 200, contains: []string{`"content_type":"application/pdf"`, `"name":"scan.pdf"`, `"name":"passwd"`}},
		{name: "PartsStillRouted", method: "GET", path: "/api/v1/cases/" + c.Number + "/events", status: 200, contains: []string{`"hte_Type":"Exploitation"`}},
		{name: "ErrNotAPart", method: "PUT", path: base + "/" + scan.ID, body: `{"version":1}`, status: 404, contains: []string{"no part"}},
	})

	t.Run("Download", func(t *testing.T) {
		var list struct{ Items []attachmentJSON }
		if err := json.Unmarshal(do(t, srv, "GET", base, "", nil, 200), &list); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"scan.pdf":                         "scan.pdf",
			"<img src=x onerror=alert(1)>.pdf": "%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.pdf",
			"Déclaration de Mbuyi — إفادة.pdf": "D%C3%A9claration%20de%20Mbuyi%20%E2%80%94%20%D8%A5%D9%81%D8%A7%D8%AF%D8%A9.pdf",
		}
		seen := 0
		for _, a := range list.Items {
			enc, ok := want[a.Name]
			if !ok {
				continue
			}
			seen++
			resp, body := get(t, srv, base+"/"+a.ID)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: status %d %s", a.Name, resp.StatusCode, body)
			}
			for k, v := range map[string]string{
				"Content-Type":           "application/pdf",
				"Content-Disposition":    "attachment; filename*=UTF-8''" + enc,
				"X-Content-Type-Options": "nosniff",
				"Cache-Control":          "no-store",
			} {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s: %s %q, want %q", a.Name, k, got, v)
				}
			}
			if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
				t.Errorf("%s: no sandbox CSP", a.Name)
			}
			if a.Name == "scan.pdf" && body != testPDF {
				t.Errorf("downloaded %q", body)
			}
		}
		if seen != len(want) {
			t.Fatalf("listed %+v", list.Items)
		}
	})

	t.Run("Scope", func(t *testing.T) {
		ctx := context.Background()
		if _, err := db.EnsureAgency(ctx, "GOM", "Centre de Goma"); err != nil {
			t.Fatal(err)
		}
		other := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "agent@gom.example", "GOM", domain.RoleCaseworker, domain.RoleSupervisor)}
		justice := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "opj@kin.example", "KIN", domain.RoleJustice)}
		coordinator := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "cnltp@kin.example", "KIN", domain.RoleCoordinator)}
		withType := func(h map[string]string) map[string]string {
			out := map[string]string{"Content-Type": "application/pdf"}
			for k, v := range h {
				out[k] = v
			}
			return out
		}
		run(t, srv, []scenario{
			// Another agency cannot tell the case exists.
			{name: "ErrOtherAgencyList", method: "GET", path: base, header: other, status: 404, absent: []string{"scan.pdf"}},
			{name: "ErrOtherAgencyRead", method: "GET", path: base + "/" + scan.ID, header: other, status: 404, absent: []string{"PDF"}},
			{name: "ErrOtherAgencyAdd", method: "POST", path: base + "?name=x.pdf", body: testPDF, header: withType(other), status: 404},
			{name: "ErrOtherAgencyDelete", method: "DELETE", path: base + "/" + scan.ID, header: other, status: 404},
			// Justice reads the case, not its files; coordinators never
			// read a case.
			{name: "ErrJusticeList", method: "GET", path: base, header: justice, status: 403},
			{name: "ErrJusticeRead", method: "GET", path: base + "/" + scan.ID, header: justice, status: 403, absent: []string{"PDF"}},
			{name: "ErrCoordinatorList", method: "GET", path: base, header: coordinator, status: 404},
		})
	})

	t.Run("Audit", func(t *testing.T) {
		b := do(t, srv, "GET", "/api/v1/cases/"+c.Number+"/audit?limit=1000", "", nil, 200)
		var page struct {
			Items []domain.AuditEntry `json:"items"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range page.Items {
			if e.Resource == string(domain.ResAttachments) {
				count[e.Action+"/"+e.Outcome]++
			}
		}
		// 8 uploads, 2 lists and 3 downloads so far; refusals are
		// audited too, but not under the case (they name the ref as given).
		if count["create/ok"] != 8 || count["read/ok"] != 5 {
			t.Fatalf("audited %v", count)
		}
		for _, s := range []string{"scan.pdf", "passwd", "Mbuyi", "onerror"} {
			if strings.Contains(string(b), s) {
				t.Errorf("the audit trail holds the file name fragment %q", s)
			}
		}
	})

	do(t, srv, "DELETE", base+"/"+scan.ID, "", nil, 204)
	do(t, srv, "GET", base+"/"+scan.ID, "", nil, 404)
	do(t, srv, "DELETE", base+"/"+scan.ID, "", nil, 404)
}

// get sends an authenticated GET and returns the response (body read).
func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := tokens.Load(srv.URL)
	req.Header.Set("Authorization", "Bearer "+tok.(string))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}
