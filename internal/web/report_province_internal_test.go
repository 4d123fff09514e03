// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/url"
	"testing"
	"time"

	"vigie/internal/domain"
)

// regToCase carries the screening's province onto the case.
func TestRegToCaseProvince(t *testing.T) {
	c, probs := regToCase(url.Values{"vig_Province": {"CD-KN"}}, &domain.Principal{Agency: "KIN"}, domain.NewDate(2026, time.November, 27))
	if c.Province != "CD-KN" {
		t.Fatalf("province %q, problems %v", c.Province, probs)
	}
}
