// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestAdminCannotTakeCaseRoles: an admin made itself supervisor of KIN
// through PUT /api/v1/users/{own id} and then read the victims' records.
// The admin role now stays alone on an account (created or changed), and
// no admin gives itself a role; another admin may give a caseworker the
// supervisor role.
func TestAdminCannotTakeCaseRoles(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		ctx := context.Background()
		adminTok := newUserToken(t, db, "admin@kin.example", "KIN", domain.RoleAdmin)
		tokens.Store(srv.URL, adminTok)
		admin, err := db.User(ctx, "admin@kin.example")
		if err != nil {
			t.Fatal(err)
		}
		field := func(t *testing.T, body []byte, code string) {
			t.Helper()
			if !strings.Contains(string(body), code) {
				t.Fatalf("want %s: %s", code, body)
			}
		}
		// Itself: admin and supervisor, or the supervisor role alone.
		body := do(t, srv, "PUT", "/api/v1/users/"+admin.ID, fmt.Sprintf(`{"agency":"KIN","roles":["admin","supervisor"],"version":%d}`, admin.Version), nil, http.StatusUnprocessableEntity)
		field(t, body, "validation.admin_alone")
		field(t, body, "validation.self_grant")
		// A new account that is admin and caseworker.
		body = do(t, srv, "POST", "/api/v1/users", `{"email":"both@kin.example","agency":"KIN","roles":["admin","caseworker"],"password":"cheval batterie agrafe correct"}`, nil, http.StatusUnprocessableEntity)
		field(t, body, "validation.admin_alone")
		// The admin still reads no case.
		do(t, srv, "GET", "/api/v1/cases", "", nil, http.StatusForbidden)
		if u, err := db.User(ctx, admin.ID); err != nil || len(u.Roles) != 1 || u.Roles[0] != domain.RoleAdmin {
			t.Fatalf("admin's roles %v, %v", u.Roles, err)
		}
		// Another account, by an admin: allowed.
		newUserToken(t, db, "agent@kin.example", "KIN", domain.RoleCaseworker)
		agent, err := db.User(ctx, "agent@kin.example")
		if err != nil {
			t.Fatal(err)
		}
		do(t, srv, "PUT", "/api/v1/users/"+agent.ID, fmt.Sprintf(`{"agency":"KIN","roles":["caseworker","supervisor"],"version":%d}`, agent.Version), nil, http.StatusOK)
	})
}
