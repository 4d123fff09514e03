// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeStopsWithinItsGrace: on SIGINT or SIGTERM vigie serve says it
// is stopping, gives the requests in progress their grace, then cuts off
// those still running and stops with exit 0, saying so — a request still
// running after 10 s (a slow upload) made it end with 'erreur interne /
// internal error: shutting down (context deadline exceeded)', exit 1, as
// if it had crashed, and nothing was printed in the 10 s before.
func TestServeStopsWithinItsGrace(t *testing.T) {
	defer func(g time.Duration) { shutdownGrace = g }(shutdownGrace)
	shutdownGrace = 300 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, strings.NewReader(""), &out, &errb)
	}()
	re := regexp.MustCompile(`listening on http://(127\.0\.0\.1:\d+)`)
	var m []string
	for range 500 {
		if m = re.FindStringSubmatch(out.String()); m != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if m == nil {
		cancel()
		<-done
		t.Fatalf("server did not start: %s %s", out.String(), errb.String())
	}
	// A request whose body never finishes arriving.
	conn, err := net.Dial("tcp", m[1])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"email\":", m[1])
	time.Sleep(200 * time.Millisecond)
	cancel()
	var code int
	select {
	case code = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop within 5 s of its grace")
	}
	if code != 0 || strings.Contains(errb.String(), "erreur interne") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	for _, want := range []string{"arrêt en cours / stopping", "interrompue(s) / requests still running after 0.3 s cut off", "Vigie arrêté / stopped"} {
		if !strings.Contains(out.String()+errb.String(), want) {
			t.Errorf("does not say %q: stdout %q stderr %q", want, out.String(), errb.String())
		}
	}
}
