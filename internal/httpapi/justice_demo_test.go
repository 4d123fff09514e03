// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"testing"

	"vigie/internal/demo"
	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestJusticeFiguresOnDemo: on the demo database, the justice figures the
// API gives a coordinator are not empty — the demo proceedings count —
// and the demo's justice officer sees its three proceedings.
func TestJusticeFiguresOnDemo(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		if _, err := demo.Seed(context.Background(), db, demo.Options{Seed: 1, Cases: 40, Hash: cheapParams, Now: testNow}); err != nil {
			t.Fatal(err)
		}
		srv := newServerOn(t, db)
		coord := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "coord-figures@demo.vigie.example", "DEMOMAS", domain.RoleCoordinator)}
		var fig domain.JusticeFigures
		if err := json.Unmarshal(do(t, srv, "GET", "/api/v1/figures/justice", "", coord, 200), &fig); err != nil {
			t.Fatal(err)
		}
		if fig.Proceedings != 3 || fig.Investigated.Total == 0 || fig.Prosecuted.Total == 0 || fig.Convicted.Total == 0 ||
			fig.Sentences.Count == 0 || len(fig.Offences) == 0 {
			t.Errorf("demo figures %+v", fig)
		}
		jus := map[string]string{"Authorization": "Bearer " + newUserToken(t, db, "jus-figures@demo.vigie.example", "DEMOPOL", domain.RoleJustice)}
		var list struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal(do(t, srv, "GET", "/api/v1/proceedings", "", jus, 200), &list); err != nil || list.Total != 3 {
			t.Errorf("the demo justice officer lists %d proceedings (%v), want 3", list.Total, err)
		}
	})
}
