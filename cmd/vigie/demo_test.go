// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"vigie/internal/demo"
	"vigie/internal/sqlstore/sqltest"
)

// TestServeDemo starts the demo twice on each database: the first start
// seeds and prints the accounts, the second finds them; the pages carry
// the banner; and demo and real databases refuse each other.
func TestServeDemo(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			data := t.TempDir()
			args := []string{"--data", data}
			if dialect == "postgres" {
				args = append(args, "--db", sqltest.PostgresSchemaURL(t))
			}
			var secrets []string
			for run := range 2 {
				base, stop := startSlowServer(t, append([]string{"--demo"}, args...)...)
				resp, err := http.Get(base + "/sign-in")
				if err != nil {
					t.Fatal(err)
				}
				page, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				out := stop()
				if seeded := strings.Contains(out, "Creating the demo data"); seeded != (run == 0) {
					t.Fatalf("start %d: seeded %v:\n%s", run, seeded, out)
				}
				for i, a := range demo.Accounts {
					line := lineWith(out, a.Email)
					if !strings.Contains(line, a.Password) {
						t.Fatalf("start %d: no line for %s with its password:\n%s", run, a.Email, out)
					}
					secret := strings.Fields(line)[len(strings.Fields(line))-1]
					if run == 0 {
						secrets = append(secrets, secret)
					} else if secret != secrets[i] {
						t.Errorf("%s: TOTP secret %s, then %s", a.Email, secrets[i], secret)
					}
				}
				if !strings.Contains(string(page), "Données de démonstration") {
					t.Errorf("the sign-in page lacks the demo banner:\n%s", page)
				}
			}
			// No other command opens the demo database as a real one.
			code, _, errs := vigie(t, "", append([]string{"agency", "add", "KIN", "Kinshasa"}, args...)...)
			if code != 5 || !strings.Contains(errs, "demo database") {
				t.Errorf("agency add on the demo database: exit %d, %s", code, errs)
			}
			code, _, errs = vigie(t, "", append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
			if code != 5 || !strings.Contains(errs, "demo database") {
				t.Errorf("the real server on the demo database: exit %d, %s", code, errs)
			}
		})
	}
}

// TestDemoRefusesRealData: --demo on a database that holds real data, or
// that a real command opened first, is refused and adds nothing.
func TestDemoRefusesRealData(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			data := t.TempDir()
			args := []string{"--data", data}
			if dialect == "postgres" {
				args = append(args, "--db", sqltest.PostgresSchemaURL(t))
			}
			if code, _, errs := vigie(t, "", append([]string{"agency", "add", "KIN", "Kinshasa"}, args...)...); code != 0 {
				t.Fatalf("agency add: %d %s", code, errs)
			}
			code, out, errs := vigie(t, "", append([]string{"serve", "--demo", "--addr", "127.0.0.1:0"}, args...)...)
			if code != 5 || !strings.Contains(errs, "holds real data") || strings.Contains(out, "demo accounts") {
				t.Fatalf("--demo on a real database: exit %d\n%s\n%s", code, out, errs)
			}
			_, list, _ := vigie(t, "", append([]string{"agency", "list"}, args...)...)
			if strings.Contains(list, "DEMO") {
				t.Fatalf("the refused demo left agencies behind:\n%s", list)
			}
			// Beyond loopback the demo does not start at all.
			code, _, errs = vigie(t, "", "serve", "--demo", "--addr", "0.0.0.0:0", "--data", t.TempDir())
			if code != 2 || !strings.Contains(errs, "loopback only") {
				t.Errorf("--demo beyond loopback: exit %d, %s", code, errs)
			}
		})
	}
}

func lineWith(out, s string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// startSlowServer is startServer with time for the first start to seed
// the demo (200 cases: seconds on a loaded machine).
func startSlowServer(t *testing.T, args ...string) (string, func() string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), &out, &errb)
	}()
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
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
		select {
		case code := <-done:
			t.Fatalf("the server exited %d: %s %s", code, out.String(), errb.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("server did not start: %s %s", out.String(), errb.String())
	return "", nil
}
