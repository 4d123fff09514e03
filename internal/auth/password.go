// SPDX-License-Identifier: AGPL-3.0-or-later

// Package auth holds the security primitives of sign-in: password hashing
// and policy, TOTP second factor, recovery codes, opaque tokens and the
// throttle that slows password guessing. It stores nothing itself: callers
// persist the hashes, steps and counters it returns.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are argon2id parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	KeyLen  uint32 // bytes of derived key
	SaltLen uint32 // bytes of random salt
}

// DefaultParams is OWASP's minimum recommended argon2id configuration
// (m=19 MiB, t=2, p=1): about 30-60 ms on one core, cheap enough for a
// server with two cores and costly enough for an offline attacker.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// Bounds on parameters, for new hashes and for stored strings alike. The
// upper bounds exist so that a tampered or corrupt row cannot make one
// sign-in allocate gigabytes or burn a core for minutes.
const (
	maxMemory  = 1 << 20 // KiB = 1 GiB
	maxTime    = 20
	minSaltLen = 8 // PHC string format minimum
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 128
	// maxEncodedLen is far above the longest string the bounds allow; longer
	// input is refused before any parsing work.
	maxEncodedLen = 512
)

var b64 = base64.RawStdEncoding.Strict()

// hashSlots bounds the argon2 computations running at once. Each one holds
// Params.Memory KiB (19 MiB by default) for its whole duration, so a burst
// of sign-ins would otherwise be a burst of memory; queued callers only
// wait, and there are never more running than there are cores to run them.
var hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// argon2id runs argon2.IDKey inside a hash slot.
func argon2id(password, salt []byte, p Params) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// normalizePassword puts a password in Unicode NFC before hashing, so that
// "é" typed as one code point on a phone and as e + combining accent on a
// desktop is the same password (NIST SP 800-63B asks for normalisation).
func normalizePassword(password string) []byte {
	return []byte(norm.NFC.String(password))
}

// validate refuses parameters that argon2 would panic on or that exceed the
// bounds above.
func (p Params) validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("argon2 time %d not in 1..%d", p.Time, maxTime)
	case p.Threads < 1:
		return errors.New("argon2 threads must be at least 1")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("argon2 memory %d KiB not in %d..%d", p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("argon2 key length %d not in %d..%d", p.KeyLen, minKeyLen, maxKeyLen)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("argon2 salt length %d not in %d..%d", p.SaltLen, minSaltLen, maxSaltLen)
	}
	return nil
}

// weakerThan reports whether any cost of p is below that of q; such a
// hash is upgraded at the next successful sign-in.
func (p Params) weakerThan(q Params) bool {
	return p.Memory < q.Memory || p.Time < q.Time || p.KeyLen < q.KeyLen || p.SaltLen < q.SaltLen
}

// HashPassword returns a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<b64 salt>$<b64 hash> (unpadded standard
// base64). The password is NFC-normalised first.
func HashPassword(password string, p Params) (string, error) {
	if err := p.validate(); err != nil {
		return "", fmt.Errorf("auth: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2id(normalizePassword(password), salt, p)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword checks password against a PHC string in constant time.
// needsRehash is true when the password matched and the stored parameters
// are weaker than DefaultParams: the caller should then store a new
// HashPassword(password, DefaultParams). A malformed string, or one whose
// parameters are out of bounds, is an error (the row is corrupt or was
// tampered with), never a panic.
func VerifyPassword(encoded, password string) (ok, needsRehash bool, err error) {
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2id(normalizePassword(password), salt, p)
	ok = subtle.ConstantTimeCompare(got, want) == 1
	return ok, ok && p.weakerThan(DefaultParams), nil
}

// dummySalt is any fixed salt: DummyVerify only has to cost the same.
var dummySalt = make([]byte, 16)

// DummyVerify spends the time of a VerifyPassword against a DefaultParams
// hash, so that a sign-in with an unknown e-mail takes as long as one with
// a known e-mail and a wrong password and does not reveal which accounts
// exist.
func DummyVerify(password string) {
	p := DefaultParams
	got := argon2id(normalizePassword(password), dummySalt[:p.SaltLen], p)
	subtle.ConstantTimeCompare(got, make([]byte, len(got)))
}

// parsePHC decodes $argon2id$v=19$m=M,t=T,p=P$salt$hash strictly: one
// algorithm, one version, parameters in the PHC order, canonical base64.
func parsePHC(encoded string) (p Params, salt, key []byte, err error) {
	bad := func(what string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("auth: stored password hash: %s", what)
	}
	if len(encoded) > maxEncodedLen {
		return bad("too long")
	}
	if strings.ContainsAny(encoded, "\r\n") { // base64 decoding would skip them
		return bad("contains a line break")
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("not a PHC string")
	}
	if parts[1] != "argon2id" {
		return bad("algorithm is not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("unsupported argon2 version")
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return bad("parameters are not m,t,p")
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, found := strings.CutPrefix(kv[i], name+"=")
		if !found {
			return bad("parameters are not m,t,p")
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("parameter " + name + " is not a number")
		}
		vals[i] = n
	}
	if vals[2] > 255 {
		return bad("parameter p out of range")
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return bad("salt is not base64")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil {
		return bad("hash is not base64")
	}
	p = Params{
		Memory:  uint32(vals[0]),
		Time:    uint32(vals[1]),
		Threads: uint8(vals[2]),
		KeyLen:  uint32(len(key)),
		SaltLen: uint32(len(salt)),
	}
	if err := p.validate(); err != nil {
		return bad(err.Error())
	}
	return p, salt, key, nil
}
