// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"vigie/internal/sqlstore/sqltest"
)

// Distinctive personal data: none of it may ever be found in clear in the
// database file, its WAL, the server's logs, or a PostgreSQL schema.
var secrets = []string{"Zawadikabeya", "Mwanzambala", "+243815550177", "Rue Lukunga 1893", "zawadi.mwanzambala@example.cd",
	"nous a raconté le dépôt de Kipushi"}

const secretCase = `{"cas_Status":"Active","vig_RegistrationDate":"2026-03-14",
 "person":{"prs_FirstName":"Zawadikabeya","prs_SecondName":"Mwanzambala","prs_Gender":"Feminine","prs_Birthdate":"2007-05-09",
  "prs_Citizenship":["CD"],"prs_MobilePhone":"+243815550177","prs_MailingStreet":"Rue Lukunga 1893","prs_Email":"zawadi.mwanzambala@example.cd"},
 "victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking","vic_TypeOfExploitation":["ForcedLabour"]},
 "comments":[{"cco_CaseComment":"Elle nous a raconté le dépôt de Kipushi et le nom du contremaître."}]}`

// startServer runs "vigie serve" on a free loopback port and returns its
// base URL, a function that stops it, and its output so far.
func startServer(t *testing.T, args ...string) (string, func() string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), &out, &errb)
	}()
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	for range 200 {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			var once sync.Once
			return "http://" + m[1], func() string {
				once.Do(func() {
					cancel()
					<-done
				})
				return out.String() + errb.String()
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	t.Fatalf("server did not start: %s %s", out.String(), errb.String())
	return "", nil
}

func call(t *testing.T, method, url, token, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// bootstrap makes an installation the way the README says: the first
// admin, an agency, a caseworker, and a token for them.
func bootstrap(t *testing.T, dbArgs ...string) string {
	t.Helper()
	if code, _, errs := vigie(t, "azerty123456\n", append([]string{"admin", "create", "admin@vigie.example"}, dbArgs...)...); code != 3 || !strings.Contains(errs, "password") {
		t.Fatalf("a common password was not refused: %d %s", code, errs)
	}
	if code, _, errs := vigie(t, "lune orange tambour 2026\n", append([]string{"admin", "create", "admin@vigie.example"}, dbArgs...)...); code != 0 {
		t.Fatalf("admin create: %d %s", code, errs)
	}
	if code, _, errs := vigie(t, "", append([]string{"agency", "add", "KIN", "Affaires sociales Kinshasa"}, dbArgs...)...); code != 0 {
		t.Fatalf("agency add: %d %s", code, errs)
	}
	if code, _, errs := vigie(t, "pirogue fleuve matin 77\n", append([]string{"user", "add", "cw@kin.example", "--agency", "KIN", "--role", "caseworker,supervisor"}, dbArgs...)...); code != 0 {
		t.Fatalf("user add: %d %s", code, errs)
	}
	if code, _, errs := vigie(t, "pirogue fleuve matin 77\n", append([]string{"user", "add", "cw@kin.example", "--agency", "KIN", "--role", "caseworker"}, dbArgs...)...); code != 5 {
		t.Fatalf("a second account with the same e-mail: %d %s", code, errs)
	}
	if code, _, errs := vigie(t, "x\n", append([]string{"user", "add", "j@kin.example", "--agency", "KIN", "--role", "judge"}, dbArgs...)...); code != 3 || !strings.Contains(errs, "not a role") {
		t.Fatalf("an unknown role: %d %s", code, errs)
	}
	code, out, errs := vigie(t, "", append([]string{"token", "create", "cw@kin.example"}, dbArgs...)...)
	if code != 0 || !strings.HasPrefix(out, "vgt_") {
		t.Fatalf("token create: %d %q %s", code, out, errs)
	}
	return strings.TrimSpace(out)
}

// TestNamesNeverInClear registers a victim through the API of a real
// server, reads and searches it, sends invalid requests carrying the same
// data, then searches every byte the installation wrote.
func TestNamesNeverInClear(t *testing.T) {
	data := t.TempDir()
	token := bootstrap(t, "--data", data)
	base, stop := startServer(t, "--data", data)
	code, body := call(t, "POST", base+"/api/v1/cases", token, secretCase)
	if code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	var c struct {
		Number string `json:"case_number"`
	}
	json.Unmarshal(body, &c)
	if code, body := call(t, "GET", base+"/api/v1/cases/"+c.Number, token, ""); code != 200 || !bytes.Contains(body, []byte("Zawadikabeya")) {
		t.Fatalf("read: %d %s", code, body)
	}
	if code, body := call(t, "GET", base+"/api/v1/persons/search?name=Zawadi+Mwanzambala&mode=fuzzy", token, ""); code != 200 || !bytes.Contains(body, []byte(c.Number)) {
		t.Fatalf("search: %d %s", code, body)
	}
	// A second registration of the same person is flagged.
	if code, body := call(t, "POST", base+"/api/v1/cases", token, secretCase); code != 201 || !bytes.Contains(body, []byte("possible match: "+c.Number)) {
		t.Fatalf("duplicate warning: %d %s", code, body)
	}
	// Invalid requests that carry the same data must not log it.
	bad := strings.Replace(secretCase, `"2007-05-09"`, `"2099-05-09"`, 1)
	call(t, "POST", base+"/api/v1/cases", token, bad)
	call(t, "POST", base+"/api/v1/cases", token, strings.Replace(secretCase, `"prs_FirstName"`, `"prs_Firstname"`, 1))
	call(t, "GET", base+"/api/v1/cases/Zawadikabeya", token, "")
	call(t, "GET", base+"/api/v1/cases", "vgt_Mwanzambala", "")
	logs := stop()

	var files []string
	filepath.WalkDir(data, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 2 {
		t.Fatalf("expected the database and the key file in %s, found %v", data, files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		assertNoSecret(t, f, b)
	}
	assertNoSecret(t, "the server's output", []byte(logs))
	// The audit log (part of the database file, checked above) names the
	// case and who read it.
	if code, out, errs := vigie(t, "", "audit", "verify", "--data", data); code != 0 {
		t.Fatalf("audit verify: %d %s %s", code, out, errs)
	}
}

func assertNoSecret(t *testing.T, where string, b []byte) {
	t.Helper()
	lower := bytes.ToLower(b)
	for _, s := range secrets {
		for _, form := range [][]byte{[]byte(s), []byte(strings.ToLower(s)), utf16le(s)} {
			if bytes.Contains(b, form) || bytes.Contains(lower, bytes.ToLower(form)) {
				t.Errorf("%s holds %q in clear", where, s)
			}
		}
	}
}

func utf16le(s string) []byte {
	var out []byte
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// TestNamesNeverInClearPostgres does the same on PostgreSQL, reading every
// row of every table of the schema as text.
func TestNamesNeverInClearPostgres(t *testing.T) {
	url := sqltest.PostgresSchemaURL(t)
	data := t.TempDir()
	token := bootstrap(t, "--data", data, "--db", url)
	base, stop := startServer(t, "--data", data, "--db", url)
	if code, body := call(t, "POST", base+"/api/v1/cases", token, secretCase); code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	logs := stop()
	assertNoSecret(t, "the server's output", []byte(logs))
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("found only tables %v", tables)
	}
	for _, tbl := range tables {
		// encode(…, 'escape') shows bytea as text, so clear bytes would
		// appear as themselves.
		r, err := db.Query(`SELECT t::text FROM ` + tbl + ` t`)
		if err != nil {
			t.Fatal(err)
		}
		var all bytes.Buffer
		for r.Next() {
			var s string
			r.Scan(&s)
			all.WriteString(s)
		}
		r.Close()
		assertNoSecret(t, "table "+tbl, all.Bytes())
		assertNoSecret(t, "table "+tbl+" (bytea)", unhex(all.Bytes()))
	}
}

// unhex decodes the \x… hex of bytea columns in a row's text, so that
// clear text stored in bytea is found too.
func unhex(b []byte) []byte {
	re := regexp.MustCompile(`\\\\x([0-9a-f]+)`)
	var out []byte
	for _, m := range re.FindAllSubmatch(b, -1) {
		h := m[1]
		for i := 0; i+1 < len(h); i += 2 {
			out = append(out, hexVal(h[i])<<4|hexVal(h[i+1]))
		}
		out = append(out, '\n')
	}
	return out
}

func hexVal(c byte) byte {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}

// TestKeysRotateWhileServing rotates the master key while a server runs:
// the server keeps reading and writing, the old key leaves the file, and
// every record still opens.
func TestKeysRotateWhileServing(t *testing.T) {
	data := t.TempDir()
	token := bootstrap(t, "--data", data)
	base, stop := startServer(t, "--data", data)
	defer stop()
	var numbers []string
	for range 3 {
		code, body := call(t, "POST", base+"/api/v1/cases", token, secretCase)
		if code != 201 {
			t.Fatalf("create: %d %s", code, body)
		}
		var c struct {
			Number string `json:"case_number"`
		}
		json.Unmarshal(body, &c)
		numbers = append(numbers, c.Number)
	}
	before, _ := os.ReadFile(filepath.Join(data, "vigie.key"))
	var old struct {
		Active string `json:"active"`
	}
	json.Unmarshal(before, &old)
	code, out, errs := vigie(t, "", "keys", "rotate", "--data", data, "--settle", "1500ms")
	if code != 0 || !strings.Contains(out, "key rotated") {
		t.Fatalf("keys rotate: %d %s %s", code, out, errs)
	}
	after, _ := os.ReadFile(filepath.Join(data, "vigie.key"))
	if bytes.Contains(after, []byte(old.Active)) {
		t.Fatalf("the old key %s is still in the key file", old.Active)
	}
	if info, _ := os.Stat(filepath.Join(data, "vigie.key")); info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode after rotation: %v", info.Mode())
	}
	// The running server reads old records and writes new ones.
	for _, n := range numbers {
		if code, body := call(t, "GET", base+"/api/v1/cases/"+n, token, ""); code != 200 {
			t.Fatalf("read %s after rotation: %d %s", n, code, body)
		}
	}
	if code, body := call(t, "POST", base+"/api/v1/cases", token, secretCase); code != 201 {
		t.Fatalf("create after rotation: %d %s", code, body)
	}
	stop()
	// A fresh process with the rotated file reads everything.
	for _, n := range numbers {
		if code, _, errs := vigie(t, "", "case", "show", n, "--data", data); code != 0 {
			t.Fatalf("case show %s after rotation: %d %s", n, code, errs)
		}
	}
	if code, out, errs := vigie(t, "", "audit", "verify", "--data", data); code != 0 {
		t.Fatalf("audit verify after rotation: %d %s %s", code, out, errs)
	}
	// Without the key file, nothing opens and no new key is made.
	os.Rename(filepath.Join(data, "vigie.key"), filepath.Join(data, "backup.key"))
	if code, _, errs := vigie(t, "", "case", "show", numbers[0], "--data", data); code != 7 || !strings.Contains(errs, "restore it from your backup") {
		t.Fatalf("without the key file: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(data, "vigie.key")); !os.IsNotExist(err) {
		t.Fatalf("a new key file was created beside encrypted data")
	}
}
