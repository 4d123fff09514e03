// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi_test

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestUpdateCaseAfterOthersChangedItsParts: a case read, edited and sent
// back whole (its parts as read) while someone else changed the case or
// its parts is refused as a conflict (409), not as invalid data — the
// answer was 422 validation.read_only "an update does not change the
// events", as if the client had edited the events, so a client that
// reloads on 409 showed its user an error instead. A part list the client
// itself changed is still refused as read only.
func TestUpdateCaseAfterOthersChangedItsParts(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		// A clock that moves, as it does between a client's read and its
		// write (the other tests' clock stands still).
		var tick atomic.Int64
		db.Now = func() time.Time { return testNow.Add(time.Duration(tick.Add(1)) * time.Millisecond) }
		srv := newServerOn(t, db)
		const ref = "/api/v1/cases/KIN-2026-000001"
		do(t, srv, "POST", "/api/v1/cases", validCase, nil, 201)
		read := func() map[string]any {
			var c map[string]any
			if err := json.Unmarshal(do(t, srv, "GET", ref, "", nil, 200), &c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		send := func(c map[string]any, name string) string {
			c["person"].(map[string]any)["prs_FirstName"] = name
			b, _ := json.Marshal(c)
			return string(b)
		}
		event := func(c map[string]any) map[string]any { return c["events"].([]any)[0].(map[string]any) }
		tests := []struct {
			name   string
			others func(read map[string]any) // what someone else does after the read
			edit   func(c map[string]any)    // what the client changes besides the name
			status int
			want   string
		}{
			{"ErrConflict/PartAdded", func(map[string]any) {
				do(t, srv, "POST", ref+"/events", `{"hte_Type":"Transit","hte_Country":"UG"}`, nil, 201)
			}, nil, 409, "reload"},
			{"ErrConflict/PartChanged", func(c map[string]any) {
				e := event(c)
				do(t, srv, "PUT", ref+"/events/"+e["id"].(string), `{"hte_Type":"Exploitation","hte_Country":"CD","hte_City":"Kolwezi"}`,
					map[string]string{"If-Match": `"` + jsonNumber(e["version"]) + `"`}, 200)
			}, nil, 409, "reload"},
			{"ErrConflict/CaseAndPartChanged", func(c map[string]any) {
				do(t, srv, "POST", ref+"/events", `{"hte_Type":"Recruitment"}`, nil, 201)
				do(t, srv, "PUT", ref, send(read(), "Autre"), nil, 200)
			}, nil, 409, "you edited version"},
			{"ErrReadOnly/ClientEditedPart", nil, func(c map[string]any) { event(c)["hte_City"] = "Likasi" }, 422, "validation.read_only"},
			{"ErrReadOnly/ClientAddedPart", nil, func(c map[string]any) {
				c["events"] = append(c["events"].([]any), map[string]any{"hte_Type": "Transit"})
			}, 422, "validation.read_only"},
			{"OK/NothingChangedMeanwhile", nil, nil, 200, `"prs_FirstName":"Mbuyi-OK"`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := read()
				if tt.others != nil {
					tt.others(c)
				}
				if tt.edit != nil {
					tt.edit(c)
				}
				b := do(t, srv, "PUT", ref, send(c, "Mbuyi-OK"), nil, tt.status)
				if !strings.Contains(string(b), tt.want) {
					t.Fatalf("answer %s lacks %q", b, tt.want)
				}
			})
		}
	})
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
