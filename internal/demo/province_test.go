// SPDX-License-Identifier: AGPL-3.0-or-later

package demo

import (
	"testing"

	"vigie/internal/domain"
)

// Every demo city has its province, so that every demo case has one (the
// annual report's provinces and the dashboard's map are not empty).
func TestEveryCityHasAProvince(t *testing.T) {
	for _, c := range cities {
		if p := cityProvince[c]; !domain.ValidProvince(p) {
			t.Errorf("city %s: province %q", c, p)
		}
	}
}
