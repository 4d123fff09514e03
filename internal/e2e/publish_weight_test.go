// SPDX-License-Identifier: AGPL-3.0-or-later

package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/publish"
)

// TestPublishPageWeight holds the release pages to the page budget (60 KB
// compressed, weight_test.go): the list with a dozen releases, a
// record-level draft's page with its manifest, a table release's page
// with its tables' report, the draft form, and a published release as a
// caseworker reads it. On SQLite and PostgreSQL; sizes are logged.
func TestPublishPageWeight(t *testing.T) {
	for _, pg := range []bool{false, true} {
		name := map[bool]string{false: "sqlite", true: "postgres"}[pg]
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, envOptions{postgres: pg, cases: 120, demo: true})
			ctx := context.Background()
			actor := func(role string) context.Context {
				u, err := e.db.User(ctx, e.accounts[role].Email)
				if err != nil {
					t.Fatal(err)
				}
				return domain.WithActor(ctx, &domain.Principal{UserID: u.ID, Email: u.Email, Agency: u.Agency, Roles: u.Roles})
			}
			author := actor("coordinator")
			year := e.clock.Now().Year()
			draft := func(opt publish.Options) *domain.Release {
				t.Helper()
				nr, err := publish.Build(author, e.db, opt)
				if err != nil {
					t.Fatal(err)
				}
				r, err := e.db.CreateRelease(author, nr)
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			records := draft(publish.Options{Kind: domain.ReleaseRecords, Title: "Données individuelles", From: year - 6, To: year, K: 5})
			// Tables with ε, ten of them (the year's whole budget): exact
			// tables of the same years as the records would be refused.
			cfg, err := publish.TablesConfig(0, 0, float64(domain.DefaultEpsilonBudget)/10_000)
			if err != nil {
				t.Fatal(err)
			}
			var tables *domain.Release
			for range 10 {
				tables = draft(publish.Options{Kind: domain.ReleaseTables, Title: "Tableaux bruités", From: year - 6, To: year, Tables: cfg})
			}
			// The records published (reviewed and approved by a second
			// coordinator), for the caseworker.
			other := &domain.User{Email: "second.coordinateur@demo.example", Agency: e.accounts["coordinator"].Agency, Roles: []domain.Role{domain.RoleCoordinator}}
			if err := e.db.CreateUser(ctx, other, "no sign-in"); err != nil {
				t.Fatal(err)
			}
			second := domain.WithActor(ctx, &domain.Principal{UserID: other.ID, Email: other.Email, Agency: other.Agency, Roles: other.Roles})
			rel := records
			for _, s := range []struct {
				ctx  context.Context
				step domain.ReleaseStep
			}{{second, domain.StepReview}, {second, domain.StepApprove}, {author, domain.StepPublish}} {
				if rel, err = e.db.StepRelease(s.ctx, rel.ID, rel.Version, s.step, ""); err != nil {
					t.Fatal(err)
				}
			}
			pages := []struct {
				role  string
				paths []string
				want  []string // what each page must show, so that the weight is the full page's
			}{
				{"coordinator", []string{"/publish", "/publish/new", "/publish/" + records.ID, "/publish/" + tables.ID},
					[]string{tables.ID, `name="from"`, `class="metrics"`, "sex_by_majority"}},
				{"caseworker", []string{"/publish", "/publish/" + records.ID}, []string{records.ID, rel.FileName}},
			}
			for _, p := range pages {
				c := newClient(t, e)
				c.signIn(e.accounts[p.role])
				for i, path := range p.paths {
					st, _, n, body := c.fetch("GET", path, nil)
					if st != http.StatusOK || !strings.Contains(body, p.want[i]) {
						t.Errorf("%s %s: status %d, or %q not shown:\n%s", p.role, path, st, p.want[i], body)
						continue
					}
					t.Logf("%-12s %-50s %6.1f KB compressed (%6.1f KB HTML)", p.role, path, float64(n)/1024, float64(len(body))/1024)
					if n > budget {
						t.Errorf("%s %s: %d bytes compressed, over the %d-byte budget", p.role, path, n, budget)
					}
				}
			}
		})
	}
}
