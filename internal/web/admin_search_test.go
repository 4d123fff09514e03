// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// TestSearch: a name finds the cases within reach only; a name or a
// number of a case out of reach gives exactly what one that does not
// exist gives; the log counts results and never holds what was typed.
func TestSearch(t *testing.T) {
	sqltest.ForEachDB(t, testNow, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		mine := e.newCase(t, "KIN", "Esther")
		theirs := e.newCase(t, "GOM", "Esther")
		only := e.newCase(t, "GOM", "Bahati")
		b, _ := e.signedIn(t, "cw@kin.example", "KIN", domain.RoleCaseworker)

		want(t, b.get(t, "/search"), http.StatusOK, "the empty search form")
		for _, mode := range []string{"fuzzy", "exact"} {
			p := b.get(t, "/search?mode="+mode+"&q="+url.QueryEscape("Esther Mukendi"))
			want(t, p, http.StatusOK, mode+" search")
			if !strings.Contains(p.body, `href="/cases/`+mine.Number+`"`) || strings.Contains(p.body, theirs.Number) {
				t.Fatalf("%s search must find %s and not %s:\n%s", mode, mine.Number, theirs.Number, p.body)
			}
		}
		if p := b.get(t, "/search?q="+url.QueryEscape("Esther Moukendi")); !strings.Contains(p.body, mine.Number) {
			t.Errorf("a fuzzy search with another spelling missed %s", mine.Number)
		}

		// Out of reach reads as absent, by name and by number.
		same := func(what, a, b string, pa, pb page) {
			t.Helper()
			if pa.status != pb.status || strings.ReplaceAll(pa.body, a, "Q") != strings.ReplaceAll(pb.body, b, "Q") {
				t.Errorf("%s: out of reach and absent differ:\n%s\n----\n%s", what, pa.body, pb.body)
			}
		}
		same("name", "Bahati", "Zawadi", b.get(t, "/search?q=Bahati"), b.get(t, "/search?q=Zawadi"))
		missing := "GOM-2026-999999"
		same("number", only.Number, missing, b.get(t, "/search?q="+only.Number), b.get(t, "/search?q="+missing))
		if p := b.get(t, "/search?q="+only.Number); p.status != http.StatusOK || !strings.Contains(p.body, "Aucune personne trouvée.") {
			t.Errorf("a number out of reach: %d\n%s", p.status, p.body)
		}

		// A reachable number opens the case.
		p := b.get(t, "/search?q="+strings.ToLower(mine.Number))
		want(t, p, http.StatusOK, "a reachable case number")
		if p.url != "/cases/"+mine.Number {
			t.Errorf("a reachable case number led to %s", p.url)
		}

		// Refusals and hostile text.
		for name, c := range map[string]struct {
			q      string
			status int
		}{
			"one character":     {"E", http.StatusBadRequest},
			"10,000 characters": {strings.Repeat("Esther ", 1500), http.StatusBadRequest},
			"a bad mode":        {"Esther&mode=regex", http.StatusBadRequest},
			"markup":            {"<script>alert(1)</script>", http.StatusOK},
			"control chars":     {"Es\x00th\x1ber", http.StatusOK},
		} {
			p := b.get(t, "/search?q="+strings.ReplaceAll(url.QueryEscape(c.q), "%26mode%3D", "&mode="))
			want(t, p, c.status, name)
			if strings.Contains(p.body, "<script>") {
				t.Errorf("%s: markup not escaped", name)
			}
		}

		// The log: searches counted, never the text searched.
		if n := e.countEntries(t, domain.AuditSearch, nil); n < 6 {
			t.Errorf("%d search entries, want at least 6", n)
		}
		for _, en := range e.entries(t) {
			for _, s := range []string{"Esther", "Bahati", "Zawadi", "Mukendi", "script"} {
				if strings.Contains(detail(en, "ref")+detail(en, "mode")+detail(en, "query")+en.RecordID, s) {
					t.Errorf("the log holds %q: %+v", s, en)
				}
			}
		}
		for _, en := range e.entries(t) {
			if en.Action == domain.AuditSearch && detail(en, "results") == "" {
				t.Errorf("a search entry without its count: %+v", en)
			}
		}

		// Roles that may not read identities may not search.
		for _, role := range []domain.Role{domain.RoleCoordinator, domain.RoleAdmin} {
			o, _ := e.signedIn(t, string(role)+"@kin.example", "KIN", role)
			want(t, o.get(t, "/search?q=Esther"), http.StatusForbidden, string(role)+" searching")
			if strings.Contains(o.get(t, "/").body, `href="/search"`) {
				t.Errorf("the nav offers %s the search", role)
			}
		}
	})
}
