// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// keyPath returns a key file path inside a directory that does not exist
// yet, so that OpenKeyring has to create both.
func keyPath(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "secrets", "keyring.json")
}

func mustOpen(t *testing.T, path string) *Keyring {
	t.Helper()
	k, err := OpenKeyring(path)
	if err != nil {
		t.Fatalf("OpenKeyring: %v", err)
	}
	return k
}

// fakeClock is a clock tests move by hand to step over the Refresh rate limit.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// withClock makes k use c; it sets the field under fileMu, as Refresh reads it there.
func withClock(k *Keyring, c *fakeClock) {
	k.fileMu.Lock()
	k.now = c.now
	k.lastCheck = c.now()
	k.fileMu.Unlock()
}

// replaceFile puts data at path the way a well-behaved process does
// (temporary file and rename), so a reader never sees a partial file.
func replaceFile(t *testing.T, path string, data []byte) {
	t.Helper()
	tmp := path + ".test-tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// secretsIn returns every key in a key file, as written (base64) and raw,
// for checking that no error message leaks one.
func secretsIn(t *testing.T, data []byte) []string {
	t.Helper()
	var f keyFileJSON
	// A file that is not a key file holds no keys to leak.
	if json.Unmarshal(data, &f) != nil {
		return nil
	}
	var out []string
	add := func(b64 string) {
		out = append(out, b64)
		if raw, err := base64.StdEncoding.DecodeString(b64); err == nil {
			out = append(out, string(raw))
		}
	}
	for _, k := range f.Keys {
		add(k.Key)
	}
	add(f.IndexKey)
	add(f.AuditKey)
	return out
}

func assertNoSecret(t *testing.T, err error, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Fatalf("error message leaks key material: %v", err)
		}
	}
}
