// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"strings"
	"testing"
	"time"
)

// testParams make a hash cost microseconds: the tests that are not about
// the parameters use them so that the suite stays fast.
var testParams = Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestHashVerifyRoundTrip(t *testing.T) {
	tests := []struct {
		name       string
		stored     string // password hashed
		given      string // password verified
		wantOK     bool
		wantRehash bool // testParams are weaker than DefaultParams
	}{
		{"same password", "cheval batterie agrafe correct", "cheval batterie agrafe correct", true, true},
		{"wrong password", "cheval batterie agrafe correct", "cheval batterie agrafe correcte", false, false},
		{"case matters", "Kinshasa la belle 2026", "kinshasa la belle 2026", false, false},
		{"empty given", "cheval batterie agrafe correct", "", false, false},
		{"NFC composed vs decomposed", "caf\u00e9 au lait chaud", "cafe\u0301 au lait chaud", true, true},
		{"emoji", "🐆 léopard du Congo 🇨🇩", "🐆 léopard du Congo 🇨🇩", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, err := HashPassword(tt.stored, testParams)
			if err != nil {
				t.Fatal(err)
			}
			ok, rehash, err := VerifyPassword(enc, tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK || rehash != tt.wantRehash {
				t.Errorf("VerifyPassword = ok %v rehash %v, want %v %v", ok, rehash, tt.wantOK, tt.wantRehash)
			}
		})
	}
}

func TestWeakerThan(t *testing.T) {
	d := DefaultParams
	tests := []struct {
		name string
		p    Params
		want bool
	}{
		{"default", d, false},
		{"stronger memory", Params{d.Memory * 2, d.Time, d.Threads, d.KeyLen, d.SaltLen}, false},
		{"more threads", Params{d.Memory, d.Time, 4, d.KeyLen, d.SaltLen}, false},
		{"less memory", Params{d.Memory - 1, d.Time, d.Threads, d.KeyLen, d.SaltLen}, true},
		{"fewer passes", Params{d.Memory, 1, d.Threads, d.KeyLen, d.SaltLen}, true},
		{"shorter key", Params{d.Memory, d.Time, d.Threads, 16, d.SaltLen}, true},
		{"shorter salt", Params{d.Memory, d.Time, d.Threads, d.KeyLen, 8}, true},
	}
	for _, tt := range tests {
		if got := tt.p.weakerThan(DefaultParams); got != tt.want {
			t.Errorf("%s: weakerThan = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestHashDiffersPerCall(t *testing.T) {
	seen := map[string]bool{}
	for range 5 {
		enc, err := HashPassword("cheval batterie agrafe correct", testParams)
		if err != nil {
			t.Fatal(err)
		}
		if seen[enc] {
			t.Fatalf("hash %q repeated: the salt is not random", enc)
		}
		seen[enc] = true
	}
}

func TestHashPasswordRefusesBadParams(t *testing.T) {
	for _, p := range []Params{
		{Memory: 64, Time: 0, Threads: 1, KeyLen: 32, SaltLen: 16},  // argon2 would panic
		{Memory: 64, Time: 1, Threads: 0, KeyLen: 32, SaltLen: 16},  // argon2 would panic
		{Memory: 4, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16},   // below 8 KiB per lane
		{Memory: 64, Time: 1, Threads: 1, KeyLen: 4, SaltLen: 16},   // key too short
		{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 0},   // no salt
		{Memory: 64, Time: 21, Threads: 1, KeyLen: 32, SaltLen: 16}, // beyond the stored bounds
		{},
	} {
		if enc, err := HashPassword("x", p); err == nil {
			t.Errorf("HashPassword(%+v) = %q, want an error", p, enc)
		}
	}
}

// TestVerifyMalformed feeds corrupt, tampered and absurd PHC strings: each
// must be an error, never a panic nor a match.
func TestVerifyMalformed(t *testing.T) {
	const salt = "c2FsdHNhbHRzYWx0c2FsdA"                      // 16 bytes
	const hash = "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g" // 32 bytes
	ok := "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash
	if _, _, err := VerifyPassword(ok, "x"); err != nil {
		t.Fatalf("the well-formed base string is refused: %v", err)
	}
	tests := []struct{ name, enc string }{
		{"empty", ""},
		{"dollar only", "$"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + hash},
		{"argon2d", "$argon2d$v=19$m=64,t=1,p=1$" + salt + "$" + hash},
		{"old version", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + hash},
		{"no version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + hash},
		{"no leading dollar", "argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash},
		{"extra field", ok + "$"},
		{"missing hash", "$argon2id$v=19$m=64,t=1,p=1$" + salt},
		{"params out of order", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + hash},
		{"missing p", "$argon2id$v=19$m=64,t=1$" + salt + "$" + hash},
		{"extra param", "$argon2id$v=19$m=64,t=1,p=1,x=2$" + salt + "$" + hash},
		{"memory over 1 GiB", "$argon2id$v=19$m=1048577,t=1,p=1$" + salt + "$" + hash},
		{"memory overflow", "$argon2id$v=19$m=99999999999999999999,t=1,p=1$" + salt + "$" + hash},
		{"memory below 8 KiB a lane", "$argon2id$v=19$m=7,t=1,p=1$" + salt + "$" + hash},
		{"negative memory", "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + hash},
		{"plus sign", "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + hash},
		{"time 0", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + hash},
		{"time 21", "$argon2id$v=19$m=64,t=21,p=1$" + salt + "$" + hash},
		{"threads 0", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + hash},
		{"threads 256", "$argon2id$v=19$m=4096,t=1,p=256$" + salt + "$" + hash},
		{"hex memory", "$argon2id$v=19$m=0x40,t=1,p=1$" + salt + "$" + hash},
		{"padded salt", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + hash},
		{"salt not base64", "$argon2id$v=19$m=64,t=1,p=1$c2Fsd*Nhb$" + hash},
		{"url base64 salt", "$argon2id$v=19$m=64,t=1,p=1$c2Fs_HNhbHRzYWx0c2FsdA$" + hash},
		{"salt too short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + hash},
		{"hash too short", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$aGFzaA"},
		{"hash too long", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + strings.Repeat("A", 200)},
		{"non-canonical base64", "$argon2id$v=19$m=64,t=1,p=1$" + salt[:len(salt)-1] + "B$" + hash},
		{"line break", "$argon2id$v=19$m=64,t=1,p=1$" + salt[:8] + "\n" + salt[8:] + "$" + hash},
		{"huge", ok + strings.Repeat("A", 1<<16)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword(tt.enc, "x")
			if err == nil || ok || rehash {
				t.Errorf("VerifyPassword(%q) = %v %v %v, want an error", tt.enc, ok, rehash, err)
			}
		})
	}
}

// TestVerifyTampered changes the stored hash, salt or parameters of a
// valid string: still well-formed, so no error, but no match either.
func TestVerifyTampered(t *testing.T) {
	enc, err := HashPassword("cheval batterie agrafe correct", testParams)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(enc, "$")
	flip := func(s string) string { // change the first character, keeping base64
		if s[0] == 'A' {
			return "B" + s[1:]
		}
		return "A" + s[1:]
	}
	tests := map[string]string{
		"hash":   strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], flip(parts[5])}, "$"),
		"salt":   strings.Join([]string{"", parts[1], parts[2], parts[3], flip(parts[4]), parts[5]}, "$"),
		"memory": strings.Join([]string{"", parts[1], parts[2], "m=72,t=1,p=1", parts[4], parts[5]}, "$"),
		"time":   strings.Join([]string{"", parts[1], parts[2], "m=64,t=2,p=1", parts[4], parts[5]}, "$"),
	}
	for name, tampered := range tests {
		ok, _, err := VerifyPassword(tampered, "cheval batterie agrafe correct")
		if err != nil || ok {
			t.Errorf("%s tampered: VerifyPassword = %v %v, want false nil", name, ok, err)
		}
	}
}

// TestDefaultParams checks the PHC string of the real parameters, that a
// hash made with them needs no rehash, and that DummyVerify costs about
// what a VerifyPassword against it costs. The bounds of the timing check are
// loose (and use the fastest of two runs) to stay stable on a busy machine:
// a DummyVerify that did not run argon2 with the default parameters would
// be a thousand times faster. One test for all three because each default
// hash costs tens of milliseconds, hundreds under the race detector.
func TestDefaultParams(t *testing.T) {
	enc, err := HashPassword("cheval batterie agrafe correct", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("PHC string %q does not start with the default parameters", enc)
	}
	parts := strings.Split(enc, "$")
	if len(parts[4]) != 22 || len(parts[5]) != 43 { // 16 and 32 bytes, unpadded base64
		t.Errorf("salt %q or hash %q has the wrong length", parts[4], parts[5])
	}
	ok, rehash, err := VerifyPassword(enc, "cheval batterie agrafe correct")
	if err != nil || !ok || rehash {
		t.Errorf("VerifyPassword = %v %v %v, want true false nil", ok, rehash, err)
	}

	fastest := func(f func()) time.Duration {
		best := time.Duration(1 << 62)
		for range 2 {
			start := time.Now()
			f()
			best = min(best, time.Since(start))
		}
		return best
	}
	verify := fastest(func() {
		if ok, _, _ := VerifyPassword(enc, "wrong password here"); ok {
			t.Error("a wrong password matched")
		}
	})
	dummy := fastest(func() { DummyVerify("wrong password here") })
	if dummy < verify/3 || dummy > verify*3 {
		t.Errorf("DummyVerify took %v, VerifyPassword %v: not comparable", dummy, verify)
	}
}

// FuzzVerifyPassword: no stored string, however broken, makes
// VerifyPassword panic, and an error never comes with a match.
func FuzzVerifyPassword(f *testing.F) {
	good, err := HashPassword("cheval batterie agrafe correct", testParams)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, "cheval batterie agrafe correct")
	f.Add(good, "")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$$", "x")
	f.Add("$argon2id$v=19$m=4294967295,t=4294967295,p=255$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "x")
	f.Add("$argon2id$v=19$m=,t=,p=$$", "x")
	f.Add("$$$$$", "\xff")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, encoded, password string) {
		p, _, _, err := parsePHC(encoded)
		if err == nil && (p.Memory > 1024 || p.Time > 2 || p.Threads > 4) {
			t.Skip("valid but too costly to hash at fuzzing speed")
		}
		ok, rehash, err := VerifyPassword(encoded, password)
		if err != nil && (ok || rehash) {
			t.Errorf("error %v with ok %v rehash %v", err, ok, rehash)
		}
		if rehash && !ok {
			t.Error("needsRehash without a match")
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := HashPassword("cheval batterie agrafe correct", DefaultParams); err != nil {
			b.Fatal(err)
		}
	}
}
