// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/httpapi"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// refusingReads is an audit log that cannot record reads of cases while
// refuse is set, as when the log's writer is busy past its timeout.
type refusingReads struct {
	*sqlstore.DB
	refuse atomic.Bool
}

func (l *refusingReads) Audit(ctx context.Context, e *domain.AuditEntry) error {
	if l.refuse.Load() && e.Action == domain.AuditRead {
		return domain.Errorf(domain.KindUnavailable, "the audit log is busy")
	}
	return l.DB.Audit(ctx, e)
}

// TestUpdateSavedWhenItsReadIsNotAudited: a PUT whose change is committed
// but whose answer (the case as stored, a read of personal data) cannot be
// audited answered 503, and the client that sent its change again got a
// 409 for its own change. It is 204 with the new ETag now, without the
// case; the change is stored once.
func TestUpdateSavedWhenItsReadIsNotAudited(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		log := &refusingReads{DB: db}
		s := services(db)
		s.Audit = log
		srv := httptest.NewServer(httpapi.New(s))
		t.Cleanup(srv.Close)
		if _, err := db.EnsureAgency(context.Background(), "KIN", "Kinshasa"); err != nil {
			t.Fatal(err)
		}
		tokens.Store(srv.URL, newUserToken(t, db, "tester@kin.example", "KIN", domain.RoleCaseworker, domain.RoleSupervisor))
		var c struct {
			Number string `json:"case_number"`
		}
		if err := json.Unmarshal(do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201), &c); err != nil {
			t.Fatal(err)
		}
		log.refuse.Store(true)
		body := strings.Replace(validCase, `"prs_Gender":"Feminine"`, `"prs_Gender":"Masculine"`, 1)
		if b := do(t, srv, "PUT", "/api/v1/cases/"+c.Number, body, ifMatch(1), 204); len(b) != 0 {
			t.Fatalf("answer holds %q", b)
		}
		log.refuse.Store(false)
		got := string(do(t, srv, "GET", "/api/v1/cases/"+c.Number, "", nil, 200))
		if !strings.Contains(got, `"version":2`) || !strings.Contains(got, `"prs_Gender":"Masculine"`) {
			t.Fatalf("the change is not stored once: %s", got)
		}
	})
}
