// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"vigie/internal/domain"
)

// codeAt is what an authenticator app shows at time t.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{
		Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestNewTOTP(t *testing.T) {
	secret, u, err := NewTOTP("Vigie RDC", "jean@example.cd")
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != 32 { // 20 bytes in unpadded base32
		t.Errorf("secret %q: want 32 base32 characters", secret)
	}
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := parsed.Query()
	if parsed.Scheme != "otpauth" || parsed.Host != "totp" || parsed.Path != "/Vigie RDC:jean@example.cd" ||
		q.Get("secret") != secret || q.Get("issuer") != "Vigie RDC" || q.Get("digits") != "6" ||
		q.Get("period") != "30" || q.Get("algorithm") != "SHA1" {
		t.Errorf("otpauth URL %q is not what authenticator apps expect", u)
	}
	other, _, err := NewTOTP("Vigie RDC", "jean@example.cd")
	if err != nil || other == secret {
		t.Errorf("second secret %q (err %v) repeats the first", other, err)
	}
	for _, bad := range [][2]string{{"", "jean@example.cd"}, {"Vigie", ""}, {"Vigie:RDC", "jean@example.cd"}, {"Vigie", "a:b"}} {
		if _, _, err := NewTOTP(bad[0], bad[1]); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("NewTOTP(%q, %q): error %v, want kind invalid", bad[0], bad[1], err)
		}
	}
}

func TestCheckTOTP(t *testing.T) {
	// A fixed secret keeps the table deterministic: with a random one, a
	// code 60 s old would match the current one once in a million runs.
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // 20 bytes
	now := time.Date(2026, 3, 1, 10, 0, 15, 0, time.UTC)
	current := now.Unix() / 30
	tests := []struct {
		name     string
		secret   string
		code     string
		lastStep int64
		wantStep int64 // 0 = refused
	}{
		{"now", secret, codeAt(t, secret, now), 0, current},
		{"30 s ago (slow phone)", secret, codeAt(t, secret, now.Add(-30*time.Second)), 0, current - 1},
		{"in 30 s (fast phone)", secret, codeAt(t, secret, now.Add(30*time.Second)), 0, current + 1},
		{"60 s ago", secret, codeAt(t, secret, now.Add(-60*time.Second)), 0, 0},
		{"90 s ago", secret, codeAt(t, secret, now.Add(-90*time.Second)), 0, 0},
		{"in 60 s", secret, codeAt(t, secret, now.Add(60*time.Second)), 0, 0},
		{"replay of the same step", secret, codeAt(t, secret, now), current, 0},
		{"step older than the last", secret, codeAt(t, secret, now.Add(-30*time.Second)), current, 0},
		{"step after the last", secret, codeAt(t, secret, now), current - 1, current},
		{"typed with a space", secret, codeAt(t, secret, now)[:3] + " " + codeAt(t, secret, now)[3:], 0, current},
		{"lower-case secret with spaces", strings.ToLower(secret[:16] + " " + secret[16:]), codeAt(t, secret, now), 0, current},
		{"five digits", secret, codeAt(t, secret, now)[:5], 0, 0},
		{"seven digits", secret, codeAt(t, secret, now) + "0", 0, 0},
		{"a letter", secret, "12a456", 0, 0},
		{"sign", secret, "+12345", 0, 0},
		{"full-width digits", secret, "１２３４５６", 0, 0},
		{"empty code", secret, "", 0, 0},
		{"empty secret", "", hotpCode(t, "", uint64(current)), 0, 0},
		{"short secret", "JBSWY3DPEHPK3PXP", hotpCode(t, "JBSWY3DPEHPK3PXP", uint64(current)), 0, 0},
		{"secret not base32", "not base32 at all!!", "123456", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			step, ok := CheckTOTP(tt.secret, tt.code, now, tt.lastStep)
			if want := tt.wantStep != 0; ok != want || step != tt.wantStep {
				t.Errorf("CheckTOTP(%q) = %d %v, want %d %v", tt.code, step, ok, tt.wantStep, want)
			}
		})
	}
}

// hotpCode is the code for an arbitrary (even empty) secret, to show that
// CheckTOTP refuses secrets too short to be keys.
func hotpCode(t *testing.T, secret string, counter uint64) string {
	t.Helper()
	code, err := hotp.GenerateCodeCustom(secret, counter, hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestFloorDiv(t *testing.T) {
	for _, c := range [][3]int64{{59, 30, 1}, {60, 30, 2}, {0, 30, 0}, {-1, 30, -1}, {-30, 30, -1}, {-31, 30, -2}} {
		if got := floorDiv(c[0], c[1]); got != c[2] {
			t.Errorf("floorDiv(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}

// FuzzCheckTOTP: no secret, code or time makes CheckTOTP panic, and an
// accepted code is always within one step of now and after lastStep.
func FuzzCheckTOTP(f *testing.F) {
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	now := time.Date(2026, 3, 1, 10, 0, 15, 0, time.UTC)
	code, err := totp.GenerateCode(secret, now)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(secret, code, now.Unix(), int64(0))
	f.Add(secret, code, now.Unix(), now.Unix()/30)
	f.Add(secret, "000 000", int64(0), int64(-1))
	f.Add("", "123456", int64(-1<<63), int64(-1<<63))
	f.Add("====", "\x00\x00\x00\x00\x00\x00", int64(1<<62), int64(1<<63-1))
	f.Add(strings.ToLower(secret), "１２３４５６", int64(-31), int64(-5))
	f.Fuzz(func(t *testing.T, secret, code string, unix, lastStep int64) {
		step, ok := CheckTOTP(secret, code, time.Unix(unix, 0), lastStep)
		if !ok {
			if step != 0 {
				t.Errorf("refused with step %d", step)
			}
			return
		}
		if step <= lastStep {
			t.Errorf("step %d accepted with lastStep %d", step, lastStep)
		}
		if d := step - floorDiv(unix, 30); d < -1 || d > 1 {
			t.Errorf("step %d is %d steps from now", step, d)
		}
	})
}
