// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"net/http"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestBearerSchemeAndChallenge: the Authorization scheme is read in any
// letter case (RFC 9110: "bearer" was refused), and every 401 says which
// scheme it wants (WWW-Authenticate, which it lacked).
func TestBearerSchemeAndChallenge(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		tok := newUserToken(t, db, "agent@kin.example", "KIN", domain.RoleCaseworker)
		for _, tt := range []struct {
			auth string
			want int
		}{
			{"Bearer " + tok, 200}, {"bearer " + tok, 200}, {"BEARER  " + tok, 200},
			{"", 401}, {"Basic " + tok, 401}, {"Bearer", 401}, {"Bearer vigie_nope", 401},
		} {
			req, _ := http.NewRequest("GET", srv.URL+"/api/v1/cases", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("%.12q: %d, want %d", tt.auth, resp.StatusCode, tt.want)
			}
			if tt.want == 401 && resp.Header.Get("WWW-Authenticate") != `Bearer realm="vigie"` {
				t.Errorf("%.12q: 401 without its challenge: %q", tt.auth, resp.Header.Get("WWW-Authenticate"))
			}
		}
	})
}
