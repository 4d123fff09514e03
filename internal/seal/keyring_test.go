// SPDX-License-Identifier: AGPL-3.0-or-later

package seal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestOpenKeyringCreates(t *testing.T) {
	path := keyPath(t)
	k := mustOpen(t, path)
	if k.Path() != path {
		t.Errorf("Path() = %q, want %q", k.Path(), path)
	}
	if !regexp.MustCompile(`^k\d{8}T\d{4}Z-[0-9a-f]{4}$`).MatchString(k.ActiveKeyID()) {
		t.Errorf("ActiveKeyID() = %q, want k<UTC minute>-<4 hex>", k.ActiveKeyID())
	}
	if runtime.GOOS == "windows" {
		return
	}
	for _, c := range []struct {
		path string
		want os.FileMode
	}{{path, 0o600}, {filepath.Dir(path), 0o700}} {
		fi, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != c.want {
			t.Errorf("%s has mode %04o, want %04o", c.path, got, c.want)
		}
	}
	if tmps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".vigie-keyring-*")); len(tmps) != 0 {
		t.Errorf("temporary files left behind: %v", tmps)
	}
}

func TestOpenKeyringReopenKeepsKeys(t *testing.T) {
	path := keyPath(t)
	a := mustOpen(t, path)
	dek, wrapped, err := a.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	b := mustOpen(t, path)
	if a.ActiveKeyID() != b.ActiveKeyID() {
		t.Fatalf("active key %q after reopen, was %q", b.ActiveKeyID(), a.ActiveKeyID())
	}
	got, err := b.UnwrapDataKey(wrapped)
	if err != nil {
		t.Fatalf("unwrap after reopen: %v", err)
	}
	if !bytes.Equal(got, dek) {
		t.Fatal("unwrapped DEK differs after reopen")
	}
	if !bytes.Equal(a.BlindIndex("t", "x"), b.BlindIndex("t", "x")) {
		t.Error("blind index key changed on reopen")
	}
	if !bytes.Equal(a.AuditMAC(nil, []byte("e")), b.AuditMAC(nil, []byte("e"))) {
		t.Error("audit key changed on reopen")
	}
}

func TestOpenKeyringMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows permission bits do not reflect its ACLs")
	}
	tests := []struct {
		mode os.FileMode
		ok   bool
	}{
		{0o600, true},
		{0o400, true},
		{0o640, false},
		{0o644, false},
		{0o604, false},
		{0o620, false},
		{0o602, false},
		{0o660, false},
		{0o666, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%04o", tt.mode), func(t *testing.T) {
			path := keyPath(t)
			mustOpen(t, path)
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			_, err := OpenKeyring(path)
			if tt.ok {
				if err != nil {
					t.Fatalf("mode %04o refused: %v", tt.mode, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("mode %04o accepted", tt.mode)
			}
			for _, want := range []string{fmt.Sprintf("%04o", tt.mode), "chmod 600 " + path} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestOpenKeyringNotRegular(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyring.json")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenKeyring(path); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("directory as key file: got %v", err)
	}
	if _, err := OpenKeyring(""); err == nil {
		t.Fatal("empty path accepted")
	}
}

// TestOpenKeyringMalformed edits a valid key file in one way at a time; each
// edit must be refused with a message saying what is wrong and quoting no key.
func TestOpenKeyringMalformed(t *testing.T) {
	good, err := marshalKeyFile(newState(newFakeClock().now()))
	if err != nil {
		t.Fatal(err)
	}
	secrets := secretsIn(t, good)
	short := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 16))
	long := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 33))
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	key0 := func(m map[string]any) map[string]any { return m["keys"].([]any)[0].(map[string]any) }
	addKey := func(m map[string]any, id, state string) {
		e := map[string]any{}
		for k, v := range key0(m) {
			e[k] = v
		}
		e["id"], e["state"] = id, state
		m["keys"] = append(m["keys"].([]any), e)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"Empty", nil, "is empty"},
		{"Blank", []byte(" \n"), "is empty"},
		{"NotJSON", []byte("SECRETSECRET not json"), "not valid JSON"},
		{"Truncated", good[:len(good)/2], "not valid JSON"},
		{"TrailingData", append(append([]byte{}, good...), "{}"...), "more data after"},
		{"Array", []byte(`[1,2]`), "not a vigie key file"},
		{"Null", []byte(`null`), "not a vigie key file"},
		{"UnknownField", edit(func(m map[string]any) { m["index_kye"] = "x" }), "not a vigie key file"},
		{"WrongType", edit(func(m map[string]any) { m["keys"] = "x" }), `field "keys" has the wrong JSON type`},
		{"NoFormat", edit(func(m map[string]any) { delete(m, "format") }), "not a vigie key file"},
		{"OtherFormat", edit(func(m map[string]any) { m["format"] = "something-else" }), "not a vigie key file"},
		{"NewerFormat", edit(func(m map[string]any) { m["format"] = "vigie-keyring/2" }), `format "vigie-keyring/2"; this version of vigie reads only "vigie-keyring/1"`},
		{"NoKeys", edit(func(m map[string]any) { m["keys"] = []any{} }), "no master keys"},
		{"TwoActive", edit(func(m map[string]any) { addKey(m, "k2", "active") }), "2 master keys in state \"active\""},
		{"NoActive", edit(func(m map[string]any) { key0(m)["state"] = "retired" }), "0 master keys in state \"active\""},
		{"ActiveMismatch", edit(func(m map[string]any) { m["active"] = "k-other" }), `"active" field does not name`},
		{"UnknownState", edit(func(m map[string]any) { key0(m)["state"] = "spare" }), "neither"},
		{"DuplicateID", edit(func(m map[string]any) { addKey(m, key0(m)["id"].(string), "retired") }), "appears twice"},
		{"EmptyID", edit(func(m map[string]any) { key0(m)["id"] = ""; m["active"] = "" }), "master key #1 has an invalid id"},
		{"SpaceInID", edit(func(m map[string]any) { key0(m)["id"] = "k 1"; m["active"] = "k 1" }), "invalid id"},
		{"LongID", edit(func(m map[string]any) { id := strings.Repeat("k", 41); key0(m)["id"] = id; m["active"] = id }), "invalid id"},
		{"ShortKey", edit(func(m map[string]any) { key0(m)["key"] = short }), "is 16 bytes; it must be 32"},
		{"LongKey", edit(func(m map[string]any) { key0(m)["key"] = long }), "is 33 bytes; it must be 32"},
		{"BadBase64Key", edit(func(m map[string]any) { key0(m)["key"] = "!" + key0(m)["key"].(string)[1:] }), "is not valid base64"},
		{"MissingKey", edit(func(m map[string]any) { delete(key0(m), "key") }), "is missing"},
		{"BadCreated", edit(func(m map[string]any) { key0(m)["created"] = "27/11/2026" }), "invalid created time"},
		{"MissingIndexKey", edit(func(m map[string]any) { delete(m, "index_key") }), "index_key is missing"},
		{"ShortIndexKey", edit(func(m map[string]any) { m["index_key"] = short }), "index_key is 16 bytes"},
		{"BadBase64AuditKey", edit(func(m map[string]any) { m["audit_key"] = m["audit_key"].(string) + "%" }), "audit_key is not valid base64"},
		{"MissingAuditKey", edit(func(m map[string]any) { m["audit_key"] = "" }), "audit_key is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := keyPath(t)
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := OpenKeyring(path)
			if err == nil {
				t.Fatal("malformed key file accepted")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not contain %q and the path", err, tt.want)
			}
			assertNoSecret(t, err, append(append(secrets, secretsIn(t, tt.data)...), "SECRET", short, long))
			// A refused file must be left alone, not replaced by a fresh keyring.
			if !bytes.Equal(readFile(t, path), tt.data) {
				t.Error("malformed key file was modified")
			}
		})
	}
	t.Run("Valid", func(t *testing.T) {
		path := keyPath(t)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, good, 0o600); err != nil {
			t.Fatal(err)
		}
		mustOpen(t, path)
	})
}

// TestOpenKeyringConcurrentCreate starts several processes' worth of
// OpenKeyring on a path that does not exist: exactly one keyring must win
// and every caller must get it, or some would wrap DEKs under lost keys.
func TestOpenKeyringConcurrentCreate(t *testing.T) {
	path := keyPath(t)
	const n = 8
	rings := make([]*Keyring, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { rings[i], errs[i] = OpenKeyring(path) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("OpenKeyring #%d: %v", i, errs[i])
		}
		if rings[i].ActiveKeyID() != rings[0].ActiveKeyID() || !bytes.Equal(rings[i].BlindIndex("t", "x"), rings[0].BlindIndex("t", "x")) {
			t.Fatalf("keyring #%d differs from keyring #0", i)
		}
	}
}

func TestTestKeyring(t *testing.T) {
	a, b := NewTestKeyring(), NewTestKeyring()
	if a.Path() != "" {
		t.Errorf("test keyring has path %q", a.Path())
	}
	if a.ActiveKeyID() == "" {
		t.Error("test keyring has no active key")
	}
	if err := a.Refresh(); err != nil {
		t.Errorf("Refresh on a test keyring: %v", err)
	}
	_, w, err := a.NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.UnwrapDataKey(w); err == nil || !strings.Contains(err.Error(), "this in-memory keyring does not hold") {
		t.Fatalf("unwrap under another test keyring: got %v", err)
	}
}

// TestCreateExclusive covers the fallback for file systems without hard
// links: mode 0600, and an existing file is never overwritten.
func TestCreateExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyring.json")
	s := newState(newFakeClock().now())
	if _, err := createExclusive(path, s); err != nil {
		t.Fatal(err)
	}
	assertMode600(t, path)
	before := readFile(t, path)
	if _, err := createExclusive(path, newState(newFakeClock().now())); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second create: %v, want fs.ErrExist", err)
	}
	if !bytes.Equal(readFile(t, path), before) {
		t.Fatal("existing key file overwritten")
	}
	k := mustOpen(t, path)
	if k.ActiveKeyID() != s.active {
		t.Fatalf("active %q, want %q", k.ActiveKeyID(), s.active)
	}
}
