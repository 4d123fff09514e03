// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestReferredAgencyCannotCloseOrReopen: an agency a case is referred to
// works on it but neither closes nor reopens it: those are the owning
// agency's, as on the pages (its supervisor closed the case through PUT
// /api/v1/cases/{ref}, and its caseworker reopened it). Each refusal
// leaves the case as it was; the owner's supervisor still closes it and
// its caseworker reopens it.
func TestReferredAgencyCannotCloseOrReopen(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		srv := newServerOn(t, db)
		if _, err := db.EnsureAgency(context.Background(), "GOM", "Centre de transit et d'orientation, Goma"); err != nil {
			t.Fatal(err)
		}
		bearer := func(email, agency string, role domain.Role) map[string]string {
			return map[string]string{"Authorization": "Bearer " + newUserToken(t, db, email, agency, role)}
		}
		gomSup, gomCW := bearer("sup@gom.example", "GOM", domain.RoleSupervisor), bearer("cw@gom.example", "GOM", domain.RoleCaseworker)
		kinSup, kinCW := bearer("sup@kin.example", "KIN", domain.RoleSupervisor), bearer("cw@kin.example", "KIN", domain.RoleCaseworker)
		body := strings.Replace(validCase, `"cas_Status":"Active",`, `"cas_Status":"Active","referrals":[{"direction":"outgoing","cas_ReferredOrganisation":"Centre de transit","vig_ReferredAgency":"GOM"}],`, 1)
		do(t, srv, "POST", "/api/v1/cases", body, nil, 201)
		const ref = "/api/v1/cases/KIN-2026-000001"
		as := func(who map[string]string, status, reason string) string {
			var c map[string]any
			if err := json.Unmarshal(do(t, srv, "GET", ref, "", who, 200), &c); err != nil {
				t.Fatal(err)
			}
			c["cas_Status"], c["cas_ReasonForCaseClosure"] = status, reason
			if status == "" { // left out, as a client that edits other fields may
				delete(c, "cas_Status")
				delete(c, "cas_ReasonForCaseClosure")
			}
			b, _ := json.Marshal(c)
			return string(b)
		}
		statusIs := func(want string) {
			t.Helper()
			if b := do(t, srv, "GET", ref, "", nil, 200); !strings.Contains(string(b), `"cas_Status":"`+want+`"`) {
				t.Fatalf("status is not %s: %s", want, b)
			}
		}
		do(t, srv, "PUT", ref, as(gomSup, "Closed", "Retour en famille"), gomSup, 403)
		statusIs("Active")
		do(t, srv, "PUT", ref, as(gomSup, "FollowUp", ""), gomSup, 403) // nor does it move the status
		statusIs("Active")
		do(t, srv, "PUT", ref, as(gomSup, "Active", ""), gomSup, 200) // other work stays open to it
		do(t, srv, "PUT", ref, as(kinSup, "Closed", "Retour en famille"), kinSup, 200)
		statusIs("Closed")
		// A closure is changed by those who may close, of the owning
		// agency: a caseworker rewrote the approved reason, the referred
		// agency the status.
		b := do(t, srv, "PUT", ref, as(kinSup, "Closed", "Décès"), kinCW, 422)
		if !strings.Contains(string(b), "validation.close_needs_supervisor") {
			t.Fatalf("a caseworker rewrote the closure: %s", b)
		}
		do(t, srv, "PUT", ref, as(kinSup, "ClosedReferred", "Retour en famille"), gomCW, 403)
		do(t, srv, "PUT", ref, as(kinSup, "ClosedReferred", "Retour en famille"), gomSup, 403)
		if b := do(t, srv, "GET", ref, "", nil, 200); !strings.Contains(string(b), `"cas_ReasonForCaseClosure":"Retour en famille"`) {
			t.Fatalf("the closure changed: %s", b)
		}
		do(t, srv, "PUT", ref, as(kinSup, "ClosedReferred", "Référé au CTO"), kinSup, 200)
		statusIs("ClosedReferred")
		// A PUT that leaves the status and the reason out keeps them: the
		// status became Active, the default of a new case, and reopened
		// the case past every check, for the referred agency too.
		for _, who := range []map[string]string{gomCW, kinCW} {
			do(t, srv, "PUT", ref, as(kinSup, "", ""), who, 200)
			if b := do(t, srv, "GET", ref, "", nil, 200); !strings.Contains(string(b), `"cas_Status":"ClosedReferred","cas_ReasonForCaseClosure":"Référé au CTO"`) {
				t.Fatalf("a PUT without a status moved the closure: %s", b)
			}
		}
		do(t, srv, "PUT", ref, as(kinSup, "Active", ""), gomCW, 403)
		statusIs("ClosedReferred")
		do(t, srv, "PUT", ref, as(kinSup, "Active", ""), kinCW, 200)
		statusIs("Active")
	})
}
