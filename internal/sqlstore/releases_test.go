// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/publish"
	"vigie/internal/sqlstore"
)

// mustCoordinator creates a coordinator and returns a context acting as them.
func mustCoordinator(tb testing.TB, db *sqlstore.DB, email string) context.Context {
	tb.Helper()
	u := &domain.User{Email: email, Agency: "CNC", Roles: []domain.Role{domain.RoleCoordinator}}
	if err := db.CreateUser(context.Background(), u, "hash-not-used"); err != nil {
		tb.Fatal(err)
	}
	return domain.WithActor(context.Background(), &domain.Principal{UserID: u.ID, Email: email, Roles: u.Roles, Agency: "CNC"})
}

func newRelease(eps int64, from, to int, file string) *domain.NewRelease {
	return &domain.NewRelease{Kind: domain.ReleaseTables, Title: "Tableaux 2025", From: from, To: to,
		Config: json.RawMessage(`{"method":"dp"}`), Manifest: json.RawMessage(`{"tables":[]}`), EpsilonMilli: eps,
		FileName: "vigie-2025.zip", File: []byte(file)}
}

func TestReleaseWorkflow(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		MustCreateAgency(t, db, "CNC")
		author := mustCoordinator(t, db, "auteur@cnc.cd")
		second := mustCoordinator(t, db, "second@cnc.cd")

		if _, err := db.CreateRelease(context.Background(), newRelease(0, 2025, 2025, "x")); domain.KindOf(err) != domain.KindForbidden {
			t.Fatalf("a release without a named user: %v", err)
		}
		file := "table,count\nTotal,42\n"
		r, err := db.CreateRelease(author, newRelease(1000, 2025, 2025, file))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(file))
		if r.State != domain.ReleaseDraft || r.Version != 1 || r.FileSHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("draft %+v", r)
		}

		// The author cannot review their own release, nor skip review.
		_, err = db.StepRelease(author, r.ID, 1, domain.StepReview, "")
		wantKind(t, err, domain.KindForbidden)
		_, err = db.StepRelease(second, r.ID, 1, domain.StepApprove, "")
		wantKind(t, err, domain.KindConflict)
		r, err = db.StepRelease(second, r.ID, 1, domain.StepReview, "")
		if err != nil {
			t.Fatal(err)
		}
		if r.State != domain.ReleaseReviewed || r.ReviewedByEmail != "second@cnc.cd" || r.ReviewedAt.IsZero() || r.Version != 2 {
			t.Fatalf("reviewed %+v", r)
		}
		// A stale version is a conflict.
		_, err = db.StepRelease(second, r.ID, 1, domain.StepApprove, "")
		wantKind(t, err, domain.KindConflict)
		_, err = db.StepRelease(author, r.ID, 2, domain.StepApprove, "")
		wantKind(t, err, domain.KindForbidden)
		if r, err = db.StepRelease(second, r.ID, 2, domain.StepApprove, ""); err != nil {
			t.Fatal(err)
		}
		if r, err = db.StepRelease(author, r.ID, 3, domain.StepPublish, ""); err != nil {
			t.Fatal(err)
		}
		if r.State != domain.ReleasePublished || r.PublishedByEmail != "auteur@cnc.cd" || r.CreatedByEmail != "auteur@cnc.cd" {
			t.Fatalf("published %+v", r)
		}
		_, err = db.StepRelease(second, r.ID, 4, domain.StepReject, "trop tard")
		wantKind(t, err, domain.KindConflict)

		got, data, err := db.ReleaseFile(second, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != file || got.FileSize != int64(len(file)) {
			t.Fatalf("downloaded %q", data)
		}
		if n := auditCount(t, db, domain.ResRelease, domain.AuditCreate); n != 1 {
			t.Fatalf("%d create entries", n)
		}
		if n := auditCount(t, db, domain.ResRelease, domain.AuditUpdate); n != 3 {
			t.Fatalf("%d step entries, want review, approve, publish", n)
		}
		if n := auditCount(t, db, domain.ResRelease, domain.AuditExport); n != 1 {
			t.Fatalf("%d download entries", n)
		}

		list, total, err := db.Releases(second, domain.ReleaseFilter{})
		if err != nil || total != 1 || len(list) != 1 || list[0].ID != r.ID {
			t.Fatalf("list %v %d %v", list, total, err)
		}
		pub := domain.ReleasePublished
		if _, total, _ := db.Releases(second, domain.ReleaseFilter{Status: &pub}); total != 1 {
			t.Fatalf("%d published", total)
		}
		draft := domain.ReleaseDraft
		if _, total, _ := db.Releases(second, domain.ReleaseFilter{Status: &draft}); total != 0 {
			t.Fatalf("%d drafts", total)
		}
		_, err = db.Release(second, "not-an-id")
		wantKind(t, err, domain.KindNotFound)
	})
}

// TestReleaseFileNeverChanges: the stored bytes of a release cannot be
// updated or deleted (triggers), and altered bytes are caught by the
// SHA-256 on download.
func TestReleaseFileNeverChanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		MustCreateAgency(t, db, "CNC")
		author := mustCoordinator(t, db, "auteur@cnc.cd")
		r, err := db.CreateRelease(author, newRelease(0, 2024, 2025, "original bytes"))
		if err != nil {
			t.Fatal(err)
		}
		raw := rawDB(t, db)
		if _, err := raw.Exec(rebindFor(db, `UPDATE release_files SET data = ? WHERE release_id = ?`), []byte("forged"), r.ID); err == nil {
			t.Fatal("a release file was updated")
		}
		if _, err := raw.Exec(rebindFor(db, `DELETE FROM release_files WHERE release_id = ?`), r.ID); err == nil {
			t.Fatal("a release file was deleted")
		}
		_, data, err := db.ReleaseFile(author, r.ID)
		if err != nil || !bytes.Equal(data, []byte("original bytes")) {
			t.Fatalf("file %q, %v", data, err)
		}
		// Someone who changes the recorded hash (or the bytes, triggers
		// dropped) is found out on download.
		if _, err := raw.Exec(rebindFor(db, `UPDATE releases SET file_sha256 = ? WHERE id = ?`), strings.Repeat("0", 64), r.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.ReleaseFile(author, r.ID)
		wantKind(t, err, domain.KindInternal)
	})
}

func rawDB(t *testing.T, db *sqlstore.DB) *sql.DB {
	t.Helper()
	var raw *sql.DB
	var err error
	if db.Dialect() == "postgres" {
		raw, err = sql.Open("pgx", db.Location)
	} else {
		raw, err = sql.Open("sqlite", "file:"+strings.TrimPrefix(db.Location, "sqlite:"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func rebindFor(db *sqlstore.DB, q string) string {
	if db.Dialect() != "postgres" {
		return q
	}
	n := 0
	var b strings.Builder
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + string(rune('0'+n)))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func TestReleaseBudget(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		MustCreateAgency(t, db, "CNC")
		author := mustCoordinator(t, db, "auteur@cnc.cd")
		if err := db.SetEpsilonBudget(author, 2000); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateRelease(author, newRelease(1500, 2024, 2025, "a")); err != nil {
			t.Fatal(err)
		}
		// 2025 has 0.5 left: 0.6 is refused, with a field error.
		_, err := db.CreateRelease(author, newRelease(600, 2025, 2025, "b"))
		wantKind(t, err, domain.KindInvalid)
		if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Code != "validation.epsilon_budget" {
			t.Fatalf("field errors %+v", fe)
		}
		// A rejected release still counts: its noise was drawn.
		r, err := db.CreateRelease(author, newRelease(500, 2025, 2026, "c"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.StepRelease(author, r.ID, 1, domain.StepReject, "retiré"); err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateRelease(author, newRelease(1, 2025, 2025, "d"))
		wantKind(t, err, domain.KindInvalid)
		// Releases without differential privacy spend nothing.
		if _, err := db.CreateRelease(author, newRelease(0, 2025, 2025, "e")); err != nil {
			t.Fatal(err)
		}
		b, err := db.ReleaseBudgets(author, 2023, 2026)
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{0, 1500, 2000, 500}
		for i, y := range b {
			if y.SpentMilli != want[i] || y.MaxMilli != 2000 {
				t.Fatalf("budget %+v, want spent %v", b, want)
			}
		}
	})
}

// TestReleaseRowsHaveNoNames seeds cases with names and checks that the
// rows a release is made from hold none of them, and skip non-victims.
func TestReleaseRowsHaveNoNames(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		MustCreateAgency(t, db, "KIN")
		names := []string{"Mbuyi", "Kabasele", "Ngalula", "Tshisekedi", "Mukendi"}
		for i, n := range names {
			c := NewCase("KIN")
			c.Person.FirstName, c.Person.SecondName = n, names[(i+1)%len(names)]
			c.RegistrationDate = domain.NewDate(2025, 3, 1+i)
			if i == 4 {
				c.Victim.TraffickingStatus = "NotAVictimOfTrafficking"
			}
			MustCreateCase(t, db, c)
		}
		var out bytes.Buffer
		n := 0
		err := db.ReleaseRows(context.Background(), 2025, 2025, func(row []string) error {
			if len(row) != len(domain.ReleaseColumns) {
				t.Fatalf("row of %d values for %d columns", len(row), len(domain.ReleaseColumns))
			}
			out.WriteString(strings.Join(row, ",") + "\n")
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 4 {
			t.Fatalf("%d rows, want the 4 victims", n)
		}
		for _, name := range names {
			if strings.Contains(strings.ToLower(out.String()), strings.ToLower(name)) {
				t.Fatalf("the name %s is in the rows:\n%s", name, out.String())
			}
		}
		if !strings.Contains(out.String(), "2025,Female,9--17,Minor,CD,") { // the band of the birth date (2009)
			t.Fatalf("rows:\n%s", out.String())
		}
	})
}

// TestReleaseRowsCountEveryVictim: the rows are read counted by group
// (releaseRowsQuery), and every victim still comes once — identical
// victims of several agencies and case statuses (grouped apart to keep
// the index's order) each counted, non-victims and other years left out.
func TestReleaseRowsCountEveryVictim(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		MustCreateAgency(t, db, "KIN")
		MustCreateAgency(t, db, "GOM")
		type seed struct {
			agency, status, gender, trafficking string
			year, n                             int
		}
		for _, s := range []seed{
			{"KIN", "Active", "Feminine", "ActualVictimOfTrafficking", 2025, 3},
			{"GOM", "Active", "Feminine", "ActualVictimOfTrafficking", 2025, 2},
			{"KIN", "Closed", "Feminine", "ActualVictimOfTrafficking", 2025, 1},
			{"KIN", "Active", "Feminine", "PossibleVictimOfTrafficking", 2025, 1},
			{"KIN", "Active", "Masculine", "ActualVictimOfTrafficking", 2025, 2},
			{"KIN", "Active", "Feminine", "NotAVictimOfTrafficking", 2025, 4},
			{"KIN", "Active", "Feminine", "ActualVictimOfTrafficking", 2024, 5},
		} {
			for i := range s.n {
				c := NewCase(s.agency)
				c.Status, c.Person.Gender, c.Victim.TraffickingStatus = s.status, s.gender, s.trafficking
				c.RegistrationDate = domain.NewDate(s.year, time.Month(1+i%12), 1+i)
				MustCreateCase(t, db, c)
			}
		}
		for _, c := range []struct {
			from, to int
			want     map[string]int // gender,year → rows
		}{
			{2025, 2025, map[string]int{"Female,2025": 7, "Male,2025": 2}},
			{2024, 2025, map[string]int{"Female,2025": 7, "Male,2025": 2, "Female,2024": 5}},
			{2024, 2024, map[string]int{"Female,2024": 5}},
			{2023, 2023, map[string]int{}},
		} {
			got := map[string]int{}
			g, y := slices.Index(domain.ReleaseColumns, "gender"), slices.Index(domain.ReleaseColumns, "yearOfRegistration")
			err := db.ReleaseRows(context.Background(), c.from, c.to, func(row []string) error {
				got[row[g]+","+row[y]]++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, c.want) {
				t.Errorf("%d–%d: %v, want %v", c.from, c.to, got, c.want)
			}
			// Counted, the same victims: every count at least 1.
			counted := map[string]int{}
			err = db.ReleaseRowCounts(context.Background(), c.from, c.to, func(row []string, n int) error {
				if n < 1 {
					t.Errorf("a count of %d", n)
				}
				counted[row[g]+","+row[y]] += n
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(counted, c.want) {
				t.Errorf("%d–%d counted: %v, want %v", c.from, c.to, counted, c.want)
			}
		}
		// An error from fn stops the read and comes back as is.
		stop := errors.New("stop")
		calls := 0
		if err := db.ReleaseRows(context.Background(), 2024, 2025, func([]string) error { calls++; return stop }); err != stop || calls != 1 {
			t.Fatalf("err %v after %d calls, want stop after 1", err, calls)
		}
	})
}

// TestReleaseQueriesUseIndexes: the lists, the budget and the scan of the
// victims' rows are backed by indexes on both databases; SQLite counts the
// rows as it walks the index, without sorting them first.
func TestReleaseQueriesUseIndexes(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		plans, err := sqlstore.ReleasePlansForTest(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		for name, indexes := range map[string][]string{
			"releases":           {"releases_pkey", "sqlite_autoindex_releases_1", "releases_list_idx"},
			"releases by status": {"releases_status_idx"},
			"count by status":    {"releases_status_idx"},
			"budget":             {"releases_budget_idx"},
			"rows":               {"cases_report_idx"},
		} {
			ok := false
			for _, i := range indexes {
				ok = ok || strings.Contains(plans[name], i)
			}
			if !ok {
				t.Errorf("%s uses none of %v:\n%s", name, indexes, plans[name])
			}
		}
		if strings.Contains(plans["rows"], "TEMP B-TREE") {
			t.Errorf("the rows are sorted before they are counted:\n%s", plans["rows"])
		}
	})
}

// TestReleaseOverlapRefused: an exact release that could be compared
// with another exact one is refused — years partly overlapping (of any
// kind), the same years in the other kind, the same years and kind with
// another file (cases added, other settings). The same file again, years
// apart, a rejected release or a DP one do not count.
func TestReleaseOverlapRefused(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		MustCreateAgency(t, db, "CNC")
		a := mustCoordinator(t, db, "auteur@cnc.cd")
		records := func(from, to int, file string) *domain.NewRelease {
			r := newRelease(0, from, to, file)
			r.Kind = domain.ReleaseRecords
			return r
		}
		rejected := newRelease(0, 2022, 2023, "c")
		for _, c := range []struct {
			name  string
			d     *domain.NewRelease
			field string // the problem's field and code, "" when accepted
			code  string
		}{
			{"first", newRelease(0, 2024, 2025, "a"), "", ""},
			{"years inside", newRelease(0, 2025, 2025, "b"), "period_from", "validation.release_overlap"},
			{"years across", newRelease(0, 2025, 2026, "b"), "period_from", "validation.release_overlap"},
			{"records of years inside", records(2025, 2025, "b"), "period_from", "validation.release_overlap"},
			{"same years, cases added", newRelease(0, 2024, 2025, "a + 3 cases"), "period_from", "validation.release_changed"},
			{"same years, records", records(2024, 2025, "a"), "kind", "validation.release_other_kind"},
			{"same years, same file", newRelease(0, 2024, 2025, "a"), "", ""},
			{"years apart", newRelease(0, 2026, 2026, "apart"), "", ""},
			{"records of other years", records(2020, 2020, "r"), "", ""},
			{"records again, other settings", records(2020, 2020, "r, k = 20"), "period_from", "validation.release_changed"},
			{"dp", newRelease(500, 2025, 2025, "dp"), "", ""},
			{"to be rejected", rejected, "", ""},
		} {
			_, err := db.CreateRelease(a, c.d)
			if c.code == "" {
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				continue
			}
			wantKind(t, err, domain.KindInvalid)
			if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Code != c.code || fe[0].Field != c.field {
				t.Fatalf("%s: field errors %+v, want %s on %s", c.name, fe, c.code, c.field)
			}
		}
		list, _, err := db.Releases(a, domain.ReleaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if list[0].From != 2022 {
			t.Fatalf("newest release %d–%d, want the one of 2022–2023", list[0].From, list[0].To)
		}
		if _, err := db.StepRelease(a, list[0].ID, 1, domain.StepReject, "erreur"); err != nil {
			t.Fatal(err)
		}
		for _, d := range []*domain.NewRelease{newRelease(0, 2023, 2023, "after a rejected one"), records(2022, 2022, "idem")} {
			if _, err := db.CreateRelease(a, d); err != nil {
				t.Fatalf("%d–%d after a rejected release: %v", d.From, d.To, err)
			}
		}
	})
}

// TestReleaseBudgetUnderConcurrentDrafts: ten drafts of ε 1 for the same
// year at once, with a budget of 5: exactly five are stored.
func TestReleaseBudgetUnderConcurrentDrafts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		MustCreateAgency(t, db, "CNC")
		a := mustCoordinator(t, db, "auteur@cnc.cd")
		if err := db.SetEpsilonBudget(a, 5000); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var ok, refused atomic.Int32
		for i := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.CreateRelease(a, newRelease(1000, 2025, 2025, fmt.Sprint("file ", i)))
				switch domain.KindOf(err) {
				case "":
					ok.Add(1)
				case domain.KindInvalid:
					refused.Add(1)
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 5 || refused.Load() != 5 {
			t.Fatalf("%d drafts stored, %d refused; want 5 and 5", ok.Load(), refused.Load())
		}
		b, err := db.ReleaseBudgets(a, 2025, 2025)
		if err != nil || b[0].SpentMilli != 5000 {
			t.Fatalf("budget %+v %v", b, err)
		}
	})
}

// TestReleaseAfterCasesAdded plays the differencing attack: records of a
// year are drafted, two victims of that year are registered, and the
// same release is made again. Subtracting the first file from the
// second gives exactly the two new victims' rows — every column, fewer
// than k — so the store refuses the second draft until the first is
// rejected. Tables of a year with cases added are refused the same way.
func TestReleaseAfterCasesAdded(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		MustCreateAgency(t, db, "CNC")
		a := mustCoordinator(t, db, "auteur@cnc.cd")
		addCases := func(year, n int, expl string) {
			for i := range n {
				c := NewCase("CNC")
				c.RegistrationDate = domain.NewDate(year, 3, 1+i%28)
				c.Victim.TraffickingStatus = "ActualVictimOfTrafficking"
				c.Victim.TypeOfExploitation = []string{expl}
				MustCreateCase(t, db, c)
			}
		}
		addCases(2025, 24, "ForcedLabour")
		addCases(2024, 24, "ForcedLabour")
		build := func(kind domain.ReleaseKind, year int) *domain.NewRelease {
			nr, err := publish.Build(a, db, publish.Options{Kind: kind, Title: "t", From: year, To: year, K: 5})
			if err != nil {
				t.Fatal(err)
			}
			return nr
		}
		first := build(domain.ReleaseRecords, 2025)
		r1, err := db.CreateRelease(a, first)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateRelease(a, build(domain.ReleaseRecords, 2025)); err != nil {
			t.Fatalf("the same release of unchanged data: %v", err)
		}
		tables := build(domain.ReleaseTables, 2024)
		if _, err := db.CreateRelease(a, tables); err != nil {
			t.Fatal(err)
		}

		addCases(2025, 2, "OrganRemoval")
		addCases(2024, 2, "OrganRemoval")
		second := build(domain.ReleaseRecords, 2025)
		// The attack: the second file less the first.
		lines := func(nr *domain.NewRelease) map[string]int {
			zr, err := zip.NewReader(bytes.NewReader(nr.File), int64(len(nr.File)))
			if err != nil {
				t.Fatal(err)
			}
			f, err := zr.Open("records.csv")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			m := map[string]int{}
			for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
				m[l]++
			}
			return m
		}
		before, after := lines(first), lines(second)
		var diff []string
		for l, n := range after {
			for range n - before[l] {
				diff = append(diff, l)
			}
		}
		if len(diff) != 2 || !strings.Contains(diff[0], "OrganRemoval") {
			t.Fatalf("the difference of the two files is %q, want the two new victims", diff)
		}
		for _, d := range []*domain.NewRelease{second, build(domain.ReleaseTables, 2024)} {
			_, err = db.CreateRelease(a, d)
			wantKind(t, err, domain.KindInvalid)
			if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Code != "validation.release_changed" {
				t.Fatalf("%s after cases were added: %+v", d.Kind, fe)
			}
		}
		// Once the first draft (and the identical one) are rejected, the
		// new data may go out.
		list, _, err := db.Releases(a, domain.ReleaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range list {
			if r.Kind == domain.ReleaseRecords {
				if _, err := db.StepRelease(a, r.ID, r.Version, domain.StepReject, "cas ajoutés"); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := db.CreateRelease(a, second); err != nil {
			t.Fatalf("after rejecting %s: %v", r1.ID, err)
		}
	})
}

// TestReleaseFilesHoldNoIdentifier plants a marker in every free-text and
// identifying field of victims' cases — names, birth date, identity
// number, contacts, address, places, vulnerabilities, comments, the case
// number — and checks that no release file of any kind holds any of them.
func TestReleaseFilesHoldNoIdentifier(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		MustCreateAgency(t, db, "CNC")
		a := mustCoordinator(t, db, "auteur@cnc.cd")
		markers := []string{"QZXFIRST", "QZXMIDDLE", "QZXSECOND", "QZXIDNUM", "qzxmail", "99911122", "QZXSTREET", "QZXCITY",
			"QZXPOST", "QZXRECRUIT", "QZXEXPLOIT", "QZXVULN", "QZXCOMMENT", "QZXEVENTCITY", "1931", "07-29", "29/07"}
		for i := range 24 {
			c := NewCase("CNC")
			c.RegistrationDate = domain.NewDate(2025, 2, 1+i)
			c.Victim.TraffickingStatus = "ActualVictimOfTrafficking"
			p := &c.Person
			p.FirstName, p.MiddleName, p.SecondName = "QZXFIRST", "QZXMIDDLE", "QZXSECOND"
			p.Birthdate = domain.NewDate(1931, 7, 29)
			p.IdentityNumber, p.Email = fmt.Sprintf("QZXIDNUM%d", i), fmt.Sprintf("qzxmail%d@example.cd", i)
			p.MobilePhone, p.HomePhone = "+243999111222", "+243999111223"
			p.MailingStreet, p.MailingCity, p.MailingPostalCode = "QZXSTREET 12", "QZXCITY", "QZXPOST"
			c.Victim.LocationOfRecruitment, c.Victim.LocationOfExploitation = "QZXRECRUIT", "QZXEXPLOIT"
			c.Victim.DetailsOfVulnerabilities = "QZXVULN"
			c.Comments = []*domain.Comment{{Text: "QZXCOMMENT: la victime a dit…"}}
			c.Events[0].City = "QZXEVENTCITY"
			MustCreateCase(t, db, c)
			markers = append(markers, c.Number)
		}
		dp, err := publish.TablesConfig(0, 0, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, opt := range []publish.Options{
			{Kind: domain.ReleaseRecords, Title: "r", From: 2025, To: 2025, K: 5},
			{Kind: domain.ReleaseRecords, Title: "r", From: 2025, To: 2025, K: 5, Method: "suppress", QIs: []string{"gender", "citizenship", "isForcedLabour"}},
			{Kind: domain.ReleaseTables, Title: "t", From: 2025, To: 2025},
			{Kind: domain.ReleaseTables, Title: "t", From: 2025, To: 2025, Tables: dp},
		} {
			nr, err := publish.Build(a, db, opt)
			if err != nil {
				t.Fatal(err)
			}
			zr, err := zip.NewReader(bytes.NewReader(nr.File), int64(len(nr.File)))
			if err != nil {
				t.Fatal(err)
			}
			all := string(nr.Manifest) + string(nr.Config) + nr.FileName
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				all += f.Name + "\n" + string(b)
			}
			if !strings.Contains(all, "2025") {
				t.Fatalf("%s: the release does not hold its year:\n%s", opt.Kind, all)
			}
			for _, m := range markers {
				if strings.Contains(strings.ToLower(all), strings.ToLower(m)) {
					t.Fatalf("%s %s: the release holds %q", opt.Kind, opt.Method, m)
				}
			}
		}
	})
}
