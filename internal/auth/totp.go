// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"crypto/subtle"
	"encoding/base32"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"vigie/internal/domain"
)

// TOTP (RFC 6238) with SHA-1, 6 digits and a 30 s period: the only
// combination that every authenticator app supports, so a field worker can
// use whatever app their phone already has.
const (
	totpPeriod    = 30 // seconds
	totpDigits    = 6
	totpSecretLen = 20 // bytes: 160 bits, the RFC 4226 recommendation
	// totpMinSecretLen refuses a stored secret that is empty or truncated;
	// with an empty HMAC key anyone could compute the codes. 128 bits is
	// the RFC 4226 minimum.
	totpMinSecretLen = 16
)

var totpOpts = otp.Digits(totpDigits)

// NewTOTP creates a secret for an account. secret is base32 without
// padding, to be stored (encrypted at rest if possible) and shown for
// manual entry; url is the otpauth:// URL to show as a QR code.
func NewTOTP(issuer, account string) (secret, url string, err error) {
	// A colon separates issuer and account in the otpauth label: one
	// inside either would make apps show the wrong names.
	if issuer == "" || account == "" || strings.Contains(issuer, ":") || strings.Contains(account, ":") {
		return "", "", domain.Errorf(domain.KindInvalid,
			"émetteur et compte TOTP requis, sans deux-points / TOTP issuer and account are required, without colons")
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		SecretSize:  totpSecretLen,
		Digits:      totpOpts,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", domain.Wrap(domain.KindInternal, err, "TOTP secret generation failed")
	}
	return key.Secret(), key.URL(), nil
}

// CheckTOTP validates code at time now, allowing one period of clock skew
// either side (a phone's clock is often a few seconds off and typing takes
// time). It returns the time step (counter) that matched, which the caller
// stores: a code whose step <= lastStep is refused, so a code seen over a
// shoulder or in a proxy log cannot be replayed within its window. Codes
// are 6 ASCII digits; spaces ("123 456") are stripped first.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, code)
	if len(code) != totpDigits || strings.IndexFunc(code, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, false
	}
	secret, valid := normalizeTOTPSecret(secret)
	if !valid {
		return 0, false
	}
	current := floorDiv(now.Unix(), totpPeriod)
	opts := hotp.ValidateOpts{Digits: totpOpts, Algorithm: otp.AlgorithmSHA1}
	// Oldest first, so that when two steps give the same code (one chance
	// in a million) the smaller step is stored and the later one stays
	// usable.
	for s := current - 1; s <= current+1; s++ {
		if s <= lastStep || s < 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// normalizeTOTPSecret accepts the base32 secret as NewTOTP returns it or as
// users copy it (lower case, spaces, padding) and refuses one too short to
// be a real key.
func normalizeTOTPSecret(secret string) (string, bool) {
	secret = strings.ToUpper(strings.Join(strings.Fields(secret), ""))
	secret = strings.TrimRight(secret, "=")
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil || len(raw) < totpMinSecretLen {
		return "", false
	}
	return secret, true
}

// floorDiv divides rounding towards minus infinity, so that times before
// 1970 (a broken clock) still map to distinct, ordered steps.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
