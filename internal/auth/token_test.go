// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	for _, prefix := range []string{SessionTokenPrefix, APITokenPrefix, ""} {
		seen := map[string]bool{}
		for range 1000 {
			token, hash, err := NewToken(prefix)
			if err != nil {
				t.Fatal(err)
			}
			body, found := strings.CutPrefix(token, prefix)
			if !found || len(token) != len(prefix)+43 {
				t.Fatalf("token %q: want %q and 43 characters", token, prefix)
			}
			if raw, err := base64.RawURLEncoding.DecodeString(body); err != nil || len(raw) != 32 {
				t.Fatalf("token %q: body is not 32 bytes of unpadded base64url (%v)", token, err)
			}
			if seen[token] {
				t.Fatalf("token %q repeated", token)
			}
			seen[token] = true
			sum := sha256.Sum256([]byte(token))
			if !bytes.Equal(hash, sum[:]) || !bytes.Equal(HashToken(token), hash) {
				t.Fatalf("hash of %q is not SHA-256 of the token", token)
			}
		}
	}
	if bytes.Equal(HashToken("vgs_a"), HashToken("vgt_a")) {
		t.Error("the prefix is not part of the hash")
	}
}
