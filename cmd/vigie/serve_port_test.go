// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServePortInUseCreatesNothing: vigie serve on a port another process
// holds stops before it touches the data folder — it created the folder,
// an empty database and a new master key ('Clé maîtresse créée… back it
// up'), then said it could not listen, leaving a key to back up for a
// server that never ran.
func TestServePortInUseCreatesNothing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := filepath.Join(t.TempDir(), "vigie-data")
	code, _, errs := vigie(t, "", "serve", "--addr", ln.Addr().String(), "--data", data)
	if code != 7 || !strings.Contains(errs, "cannot listen on "+ln.Addr().String()+": bind: address already in use (un autre serveur ? / is another server running there?)") || strings.Contains(errs, "master key created") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("the data folder was created: %v", err)
	}
}
