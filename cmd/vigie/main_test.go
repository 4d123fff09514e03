// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// vigie runs the command line and returns exit code, stdout and stderr.
func vigie(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpEverywhere(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"agency", "--help"}, {"agency", "add", "--help"},
		{"agency", "list", "--help"}, {"case", "--help"}, {"case", "add", "--help"}, {"case", "show", "--help"},
		{"case", "list", "--help"}, {"import", "--help"}, {"import", "ctdc", "--help"}, {"import", "htcds", "--help"},
		{"export", "--help"}, {"export", "htcds", "--help"}, {"version", "--help"},
	} {
		code, out, _ := vigie(t, "", args...)
		if code != 0 || !strings.Contains(out, "Utilisation / usage") {
			t.Errorf("vigie %v: exit %d, output %q", args, code, out)
		}
	}
}

// TestImportAgencyHelp: --agency of an HTCDS import fills the rows that
// name no agency, and its help says so — it said "agency code that owns
// the cases", which a file whose agency column is filled contradicts.
func TestImportAgencyHelp(t *testing.T) {
	for _, tt := range []struct{ format, want string }{
		{"htcds", "agency of the rows that name none"},
		{"ctdc", "agency code that owns the cases"},
	} {
		_, out, _ := vigie(t, "", "import", tt.format, "--help")
		if !strings.Contains(out, tt.want) {
			t.Errorf("import %s --help does not say %q:\n%s", tt.format, tt.want, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, ""},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"case"}, 2, "missing subcommand"},
		{[]string{"case", "nuke"}, 2, "unknown subcommand"},
		{[]string{"case", "show", "--data", data}, 2, "expects 1 argument"},
		{[]string{"case", "list", "--data", data, "--limit", "many"}, 3, `--limit: Saisissez un nombre entier positif. / "many" is not a positive whole number`},
		{[]string{"serve", "--addr", "0.0.0.0:8080", "--data", data}, 2, "HTTPS"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--tls-cert", "x.pem", "--data", data}, 2, "go together"},
		{[]string{"user", "add", "a@b.cd", "--role", "caseworker", "--data", data}, 2, "--agency is required"},
		{[]string{"token", "create", "nobody@example.org", "--data", data}, 4, "does not exist"},
		{[]string{"serve", "--addr", "8080", "--data", data}, 2, "HOST:PORT"},
		{[]string{"serve", "--addr", "127.0.0.1:99999", "--data", data}, 2, "port 0 to 65535"},
		{[]string{"serve", "--addr", "127.0.0.1:http", "--data", data}, 2, "port 0 to 65535"},
		{[]string{"case", "show", "KIN-2026-000001", "--data", data}, 4, "does not exist"},
		{[]string{"case", "list", "--gender", "female", "--data", data}, 3, "gender: Choisissez une des valeurs proposées. / \"female\" is not one of"},
		{[]string{"agency", "add", "kin", "Kinshasa", "--data", data}, 3, "capital letters"},
		// Not a server that is down (exit 7): a --db to fix, a usage error
		// as a bad --format is, its password hidden.
		{[]string{"migrate", "--db", "mysql://x", "--data", data}, 2, "postgres://"},
		{[]string{"import", "ctdc", "x.csv", "--db", "mysql://foo", "--data", data}, 2, "postgres://"},
		{[]string{"migrate", "--db", "Postgres://postgres@127.0.0.1:5432/x", "--data", data}, 2, "lower case, postgres:// (not Postgres://)"},
		{[]string{"migrate", "--db", "postgres://%zz", "--data", data}, 2, "not a valid PostgreSQL URL"},
		{[]string{"migrate", "--db", "postgres://u:secret@127.0.0.1:5432/x?sslmode=bogus", "--data", data}, 2, "u:xxxxx@"},
		// A required input that is missing is a usage error.
		{[]string{"admin", "create", "a@b.cd", "--data", data}, 2, "no password on standard input"},
		{[]string{"migrate", "--db", "postgres://nobody@127.0.0.1:1/none", "--data", data}, 7, "cannot reach PostgreSQL"},
		{[]string{"import", "ctdc", filepath.Join(data, "missing.csv"), "--data", data}, 4, "cannot open"},
		// A folder given as the file: the command's mistake, as --reject
		// and --out naming a folder are (it was 3, invalid data).
		{[]string{"import", "ctdc", t.TempDir(), "--data", data}, 2, "is a folder"},
		{[]string{"import", "htcds", t.TempDir(), "--format", "csv", "--agency", "KIN", "--data", data}, 2, "is a folder"},
		{[]string{"case", "add", t.TempDir(), "--data", data}, 2, "is a folder"},
		{[]string{"anonymize", "ctdc", t.TempDir(), filepath.Join(t.TempDir(), "o.csv")}, 2, "is a folder"},
		{[]string{"report", "annual", "--year", "2025", "--format", "csv", "--out", t.TempDir(), "--data", data}, 2, "is a folder"},
		{[]string{"case", "list", "--db", "sqlite:", "--data", data}, 2, "sqlite:PATH"},
		// A negative year was taken for no bound: everything exported.
		{[]string{"export", "htcds", "--format", "csv", "--out", filepath.Join(t.TempDir(), "x.csv"), "--year-from", "-5", "--data", data}, 3, "year_from"},
	}
	for _, tt := range tests {
		code, _, stderr := vigie(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.msg) {
			t.Errorf("vigie %v: exit %d (want %d), stderr %q (want %q)", tt.args, code, tt.code, stderr, tt.msg)
		}
	}
}

func TestAgencyAndCaseCommands(t *testing.T) {
	data := t.TempDir()
	if code, out, errs := vigie(t, "", "agency", "add", "KIN", "Affaires sociales Kinshasa", "--type", "CentralGovernmentOrganisation", "--data", data); code != 0 {
		t.Fatalf("agency add: %d %s %s", code, out, errs)
	}
	if code, _, errs := vigie(t, "", "agency", "add", "KIN", "Encore", "--data", data); code != 5 {
		t.Fatalf("duplicate agency: exit %d %s", code, errs)
	}
	doc := `{"agency":"KIN","person":{"prs_FirstName":"Aimée","prs_Gender":"Feminine","prs_Citizenship":["CD"]},"victim":{"vic_TraffickingStatus":"PossibleVictimOfTrafficking","vic_TypeOfExploitation":["ForcedMarriage"]}}`
	code, out, errs := vigie(t, doc, "case", "add", "-", "--data", data)
	if code != 0 || !regexp.MustCompile(`^KIN-\d{4}-000001\n$`).MatchString(out) {
		t.Fatalf("case add: %d %q %s", code, out, errs)
	}
	number := strings.TrimSpace(out)
	code, out, _ = vigie(t, "", "case", "show", number, "--data", data)
	if code != 0 || !strings.Contains(out, `"prs_FirstName": "Aimée"`) {
		t.Fatalf("case show: %d %s", code, out)
	}
	code, out, _ = vigie(t, "", "case", "list", "--exploitation", "ForcedMarriage", "--data", data)
	if code != 0 || !strings.Contains(out, number) || !strings.Contains(out, "total: 1") || strings.Contains(out, "Aimée") {
		t.Fatalf("case list: %d %s", code, out)
	}
	bad := strings.Replace(doc, `"prs_FirstName"`, `"prs_firstname"`, 1)
	if code, _, errs := vigie(t, bad, "case", "add", "-", "--data", data); code != 3 || !strings.Contains(errs, `did you mean "prs_FirstName"`) {
		t.Fatalf("case add with a misspelt field: %d %s", code, errs)
	}
	// A consent without its answer would be stored as a refusal.
	noAnswer := strings.Replace(doc, `"victim":`, `"consents":[{"vig_ConsentDate":"2026-03-14"}],"victim":`, 1)
	if code, _, errs := vigie(t, noAnswer, "case", "add", "-", "--data", data); code != 3 || !strings.Contains(errs, "consents[0].con_Consent") {
		t.Fatalf("case add with a consent without its answer: %d %s", code, errs)
	}
}

func TestServeLoopback(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data}, strings.NewReader(""), &out, &errb)
	}()
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	var addr string
	for range 100 {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if addr == "" {
		t.Fatalf("server did not start: %s %s", out.String(), errb.String())
	}
	get := func(host string) int {
		req, _ := http.NewRequest("GET", "http://"+addr+"/healthz", nil)
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := get(""); s != 200 {
		t.Fatalf("healthz %d", s)
	}
	resp, err := http.Get("http://" + addr + "/api/v1/cases")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// Without credentials, nothing but health and the API description.
	if resp.StatusCode != 401 || resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("list through the server without credentials: %d %v", resp.StatusCode, resp.Header)
	}
	// A cross-site form post from a browser is refused.
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/agencies", strings.NewReader(`{"code":"EVIL","org_Name":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("cross-site POST got %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if s := get("attacker.example:80"); s != http.StatusMisdirectedRequest {
		t.Fatalf("a request for another host name got %d (DNS rebinding)", s)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d: %s", code, errb.String())
	}
	for _, f := range []string{"vigie.db", "vigie.key"} {
		info, err := os.Stat(filepath.Join(data, f))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("%s file mode %v %v", f, info.Mode(), err)
		}
	}
	if !strings.Contains(out.String(), "vigie admin create") {
		t.Fatalf("an empty installation does not say how to create the first admin: %s", out.String())
	}
}
