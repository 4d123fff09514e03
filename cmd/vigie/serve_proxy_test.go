// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeSaysWhoCanConnect: --behind-proxy on an address other
// machines can reach serves plain HTTP there and takes the client's
// address from X-Forwarded-For, so whoever reaches the port without the
// proxy sends passwords in clear and picks the address the throttle and
// the audit log see. vigie serve now says so when it starts (it said
// nothing); on loopback, where only this machine's proxy can connect, it
// does not.
func TestServeSaysWhoCanConnect(t *testing.T) {
	tests := []struct {
		addr string
		warn bool
	}{
		{"0.0.0.0:0", true},
		{"127.0.0.1:0", false},
	}
	// On loopback it says that only this machine can connect, and how
	// to open to the network (it said 'listening on http://127.0.0.1:8080'
	// alone, the issue's « says so when it starts »).
	loopbackNote := "boucle locale seulement / loopback only"
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var out, errb syncBuffer
			done := make(chan int)
			go func() {
				done <- Main(ctx, []string{"serve", "--behind-proxy", "--addr", tt.addr, "--data", t.TempDir()}, strings.NewReader(""), &out, &errb)
			}()
			re := regexp.MustCompile(`listening on http://`)
			for range 500 {
				if re.MatchString(out.String()) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			cancel()
			if code := <-done; code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			warned := strings.Contains(errb.String(), "X-Forwarded-For") && strings.Contains(errb.String(), "HTTP en clair / plain HTTP")
			if noted := strings.Contains(out.String(), loopbackNote) && strings.Contains(out.String(), "--tls-cert"); noted == tt.warn {
				t.Errorf("--addr %s: loopback note %v; stdout %q", tt.addr, noted, out.String())
			}
			if warned != tt.warn {
				t.Errorf("--behind-proxy --addr %s: warned %v, want %v; stderr %q", tt.addr, warned, tt.warn, errb.String())
			}
		})
	}
}
