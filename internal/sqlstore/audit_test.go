// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
)

// auditKeys is a keyring with a fixed audit key, independent of package
// seal: these tests are about the chain, not about key management.
type auditKeys struct{ key []byte }

var (
	testAuditKeys  = auditKeys{key: []byte("vigie audit test key, 32 bytes!!")}
	otherAuditKeys = auditKeys{key: []byte("another audit key of 32 bytes!!!")}
)

var errNoDataKeys = errors.New("test keyring: no data keys")

func (auditKeys) ActiveKeyID() string                            { return "test" }
func (auditKeys) NewDataKey() (dek, wrapped []byte, err error)   { return nil, nil, errNoDataKeys }
func (auditKeys) UnwrapDataKey([]byte) ([]byte, error)           { return nil, errNoDataKeys }
func (auditKeys) Rewrap([]byte) (out []byte, ch bool, err error) { return nil, false, errNoDataKeys }
func (auditKeys) Refresh() error                                 { return nil }

func (k auditKeys) BlindIndex(tag, token string) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(tag + "\x00" + token))
	return m.Sum(nil)
}

func (k auditKeys) AuditMAC(prev, entry []byte) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write(prev)
	m.Write(entry)
	return m.Sum(nil)
}

var _ sqlstore.Keys = auditKeys{}

// forEachAuditDB is forEachDB with the test audit key attached.
func forEachAuditDB(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		db.SetKeys(testAuditKeys)
		fn(t, db)
	})
}

// auditEntry returns the i-th entry of the test logs (i from 1): three
// cases, two agencies, five actors, every field filled.
func auditEntry(i int) *domain.AuditEntry {
	e := &domain.AuditEntry{
		ActorID:     fmt.Sprintf("user-%d", i%5),
		Actor:       fmt.Sprintf("agent%d@kin.example.org", i%5),
		ActorAgency: "agency-kin",
		Action:      []string{domain.AuditRead, domain.AuditUpdate, domain.AuditExport}[i%3],
		Resource:    "case",
		RecordID:    fmt.Sprintf("record-%d", i),
		CaseID:      fmt.Sprintf("case-%d", i%3),
		CaseNumber:  fmt.Sprintf("KIN-2026-%06d", i%3),
		AgencyID:    []string{"agency-kin", "agency-lub"}[i%2],
		Addr:        "192.0.2.7",
		Outcome:     []string{"ok", "denied"}[i%2],
		Detail:      map[string]any{"fields": []any{"person", "victim"}, "n": fmt.Sprint(i)},
	}
	if i%4 == 0 {
		e.Detail = nil
	}
	return e
}

func mustAppend(t *testing.T, db *sqlstore.DB, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		e := auditEntry(i)
		if err := db.Audit(context.Background(), e); err != nil {
			t.Fatalf("appending entry %d: %v", i, err)
		}
		if e.Seq != int64(i) {
			t.Fatalf("entry %d got seq %d", i, e.Seq)
		}
	}
}

func mustExec(t *testing.T, db *sqlstore.DB, q string, args ...any) {
	t.Helper()
	if err := sqlstore.ExecForTest(db, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// dropAuditTriggers does what someone with the database file or a
// superuser account can do before editing the log.
func dropAuditTriggers(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	if db.Dialect() == "postgres" {
		mustExec(t, db, `DROP TRIGGER audit_log_no_change ON audit_log`)
		return
	}
	mustExec(t, db, `DROP TRIGGER audit_log_no_update`)
	mustExec(t, db, `DROP TRIGGER audit_log_no_delete`)
}

func mustVerify(t *testing.T, db *sqlstore.DB) (int64, *domain.AuditProblem) {
	t.Helper()
	checked, p, err := db.VerifyAudit(context.Background(), nil)
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	return checked, p
}

const auditCopyColumns = `at, actor_id, actor, actor_agency, action, resource, record_id, case_id, case_number, agency_id, addr, outcome, detail, mac`

func TestAuditTamper(t *testing.T) {
	const n, k = 20, 7
	forged := `INSERT INTO audit_log (seq, ` + auditCopyColumns + `)
		SELECT ?, at, actor_id, 'forger@example.org', actor_agency, action, resource, record_id, case_id, case_number, agency_id, addr, outcome, detail, mac
		FROM audit_log WHERE seq = ?`
	tests := []struct {
		name    string
		attack  func(t *testing.T, db *sqlstore.DB)
		seq     int64
		reason  string
		trigger bool // the attack needs the append-only triggers gone
	}{
		{"update actor", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET actor = 'someone.else@example.org' WHERE seq = ?`, k)
		}, k, sqlstore.AuditReasonAltered, true},
		{"update action", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET action = 'sign_out' WHERE seq = ?`, k)
		}, k, sqlstore.AuditReasonAltered, true},
		{"update detail", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET detail = '{"fields":["person"]}' WHERE seq = ?`, k)
		}, k, sqlstore.AuditReasonAltered, true},
		{"update at", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET at = '2026-11-27T09:29:59.000000Z' WHERE seq = ?`, k)
		}, k, sqlstore.AuditReasonAltered, true},
		{"update case_id", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET case_id = 'case-forged' WHERE seq = ?`, k)
		}, k, sqlstore.AuditReasonAltered, true},
		{"update outcome", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET outcome = 'ok' WHERE seq = ?`, k) // entry 7 was denied
		}, k, sqlstore.AuditReasonAltered, true},
		{"move text between columns", func(t *testing.T, db *sqlstore.DB) {
			// Same bytes overall, other boundaries: the lengths catch it.
			mustExec(t, db, `UPDATE audit_log SET resource = resource || substr(record_id, 1, 3), record_id = substr(record_id, 4) WHERE seq = ?`, k)
		}, k, sqlstore.AuditReasonAltered, true},
		{"delete", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = ?`, k)
		}, k, sqlstore.AuditReasonMissing, true},
		{"delete the first", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = 1`)
		}, 1, sqlstore.AuditReasonMissing, true},
		{"swap two entries", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET seq = -1 WHERE seq = ?`, k)
			mustExec(t, db, `UPDATE audit_log SET seq = ? WHERE seq = ?`, k, k+3)
			mustExec(t, db, `UPDATE audit_log SET seq = ? WHERE seq = -1`, k+3)
		}, k, sqlstore.AuditReasonAltered, true},
		{"renumber to close a gap", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = ?`, k)
			// Through negative numbers: both databases check the primary
			// key row by row.
			mustExec(t, db, `UPDATE audit_log SET seq = -(seq - 1) WHERE seq > ?`, k)
			mustExec(t, db, `UPDATE audit_log SET seq = -seq WHERE seq < 0`)
		}, k, sqlstore.AuditReasonAltered, true},
		{"mac of another entry", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET mac = (SELECT mac FROM audit_log WHERE seq = ?) WHERE seq = ?`, k+1, k)
		}, k, sqlstore.AuditReasonAltered, true},
		{"empty mac", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET mac = ? WHERE seq = ?`, []byte{}, k)
		}, k, sqlstore.AuditReasonMalformed, true},
		{"forged entry in the middle", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= ?`, k)
			mustExec(t, db, `UPDATE audit_log SET seq = -seq WHERE seq < 0`)
			mustExec(t, db, forged, k, k+1)
		}, k, sqlstore.AuditReasonAltered, true},
		{"forged entry at the end", func(t *testing.T, db *sqlstore.DB) {
			// INSERT is what the triggers cannot refuse.
			mustExec(t, db, forged, n+1, n)
		}, n + 1, sqlstore.AuditReasonAltered, false},
		{"forged entry 0", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, forged, 0, 1)
		}, 0, sqlstore.AuditReasonSequence, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			forEachAuditDB(t, func(t *testing.T, db *sqlstore.DB) {
				mustAppend(t, db, n)
				if tt.trigger {
					dropAuditTriggers(t, db)
				}
				tt.attack(t, db)
				checked, p := mustVerify(t, db)
				if p == nil {
					t.Fatalf("the attack went unnoticed (%d entries checked)", checked)
				}
				if p.Seq != tt.seq || p.Reason != tt.reason {
					t.Fatalf("problem %+v, want entry %d %q", *p, tt.seq, tt.reason)
				}
				if want := max(tt.seq-1, 0); checked != want {
					t.Errorf("checked %d before the problem, want %d", checked, want)
				}
			})
		})
	}
}

// TestAuditTailTruncation pins down the documented limit of the chain:
// removing the newest entries leaves a valid chain. Only a head recorded
// elsewhere (AuditHead) shows it.
func TestAuditTailTruncation(t *testing.T) {
	forEachAuditDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		mustAppend(t, db, 10)
		seq, mac, err := db.AuditHead(ctx)
		if err != nil || seq != 10 || len(mac) != sha256.Size {
			t.Fatalf("head: %d %x %v", seq, mac, err)
		}
		dropAuditTriggers(t, db)
		mustExec(t, db, `DELETE FROM audit_log WHERE seq > 7`)
		if checked, p := mustVerify(t, db); p != nil || checked != 7 {
			t.Fatalf("truncated log: checked %d, problem %v", checked, p)
		}
		seq2, mac2, err := db.AuditHead(ctx)
		if err != nil || seq2 != 7 || hmac.Equal(mac, mac2) {
			t.Fatalf("head after truncation: %d %x %v", seq2, mac2, err)
		}
	})
}

func TestAuditIntactLog(t *testing.T) {
	forEachAuditDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if checked, p := mustVerify(t, db); checked != 0 || p != nil {
			t.Fatalf("empty log: %d %v", checked, p)
		}
		mustAppend(t, db, 500)
		if checked, p := mustVerify(t, db); checked != 500 || p != nil {
			t.Fatalf("intact log: checked %d, problem %v", checked, p)
		}
		// Across chunk boundaries (64 does not divide 500), with progress.
		var calls []int64
		checked, p, err := sqlstore.VerifyAuditChunked(ctx, db, 64, func(done int64) { calls = append(calls, done) })
		if err != nil || checked != 500 || p != nil {
			t.Fatalf("chunked: checked %d, problem %v, %v", checked, p, err)
		}
		if len(calls) != 8 || calls[0] != 64 || calls[7] != 500 {
			t.Errorf("progress calls %v", calls)
		}
		// The chain is keyed: another key verifies nothing.
		db.SetKeys(otherAuditKeys)
		if _, p := mustVerify(t, db); p == nil || p.Seq != 1 || p.Reason != sqlstore.AuditReasonAltered {
			t.Fatalf("verified with another key: %v", p)
		}
	})
}

func TestAuditTriggersRefuseChanges(t *testing.T) {
	forEachAuditDB(t, func(t *testing.T, db *sqlstore.DB) {
		mustAppend(t, db, 3)
		for _, q := range []string{
			`UPDATE audit_log SET actor = 'x' WHERE seq = 2`,
			`UPDATE audit_log SET seq = 10 WHERE seq = 3`,
			`DELETE FROM audit_log WHERE seq = 2`,
			`DELETE FROM audit_log`,
		} {
			err := sqlstore.ExecForTest(db, q)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want the trigger's refusal", q, err)
			}
		}
		if checked, p := mustVerify(t, db); checked != 3 || p != nil {
			t.Fatalf("after refused changes: %d %v", checked, p)
		}
	})
}

func TestAuditConcurrentAppends(t *testing.T) {
	forEachAuditDB(t, func(t *testing.T, db *sqlstore.DB) {
		const workers, each = 20, 25
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[int64]bool{}
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					e := auditEntry(w*each + i + 1)
					if err := db.Audit(context.Background(), e); err != nil {
						errs <- err
						return
					}
					mu.Lock()
					seen[e.Seq] = true
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for s := int64(1); s <= workers*each; s++ {
			if !seen[s] {
				t.Fatalf("no append got seq %d (%d distinct)", s, len(seen))
			}
		}
		if checked, p := mustVerify(t, db); checked != workers*each || p != nil {
			t.Fatalf("after concurrent appends: checked %d, problem %v", checked, p)
		}
	})
}

func TestAuditEntries(t *testing.T) {
	forEachAuditDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		const n = 150
		mustAppend(t, db, n)
		seqs := func(f domain.AuditFilter) []int64 {
			t.Helper()
			list, err := db.AuditEntries(ctx, f)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			out := []int64{}
			for _, e := range list {
				out = append(out, e.Seq)
			}
			return out
		}
		want := func(keep func(i int) bool, limit int) []int64 {
			out := []int64{}
			for i := n; i >= 1 && len(out) < limit; i-- {
				if keep(i) {
					out = append(out, int64(i))
				}
			}
			return out
		}
		all := func(int) bool { return true }
		for _, tt := range []struct {
			f    domain.AuditFilter
			want []int64
		}{
			{domain.AuditFilter{}, want(all, 100)},
			{domain.AuditFilter{Limit: 1000}, want(all, n)},
			{domain.AuditFilter{Limit: 3}, []int64{150, 149, 148}},
			{domain.AuditFilter{Before: 3}, []int64{2, 1}},
			{domain.AuditFilter{CaseID: "case-1", Limit: 1000}, want(func(i int) bool { return i%3 == 1 }, n)},
			{domain.AuditFilter{AgencyID: "agency-lub", Limit: 1000}, want(func(i int) bool { return i%2 == 1 }, n)},
			{domain.AuditFilter{ActorID: "user-0", Limit: 1000}, want(func(i int) bool { return i%5 == 0 }, n)},
			{domain.AuditFilter{CaseID: "case-0", AgencyID: "agency-kin", ActorID: "user-0", Limit: 1000}, want(func(i int) bool { return i%30 == 0 }, n)},
			{domain.AuditFilter{CaseID: "case-2", Before: 20, Limit: 2}, []int64{17, 14}},
			{domain.AuditFilter{CaseID: "no-such-case"}, []int64{}},
		} {
			if got := seqs(tt.f); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%+v: got %v, want %v", tt.f, got, tt.want)
			}
		}

		// Keyset pagination walks a filter's whole list, once.
		var walked []int64
		f := domain.AuditFilter{AgencyID: "agency-kin", Limit: 7}
		for {
			page := seqs(f)
			if len(page) == 0 {
				break
			}
			walked = append(walked, page...)
			f.Before = page[len(page)-1]
		}
		if w := want(func(i int) bool { return i%2 == 0 }, n); !reflect.DeepEqual(walked, w) {
			t.Errorf("pages: %v, want %v", walked, w)
		}

		// Entries come back as written.
		list, err := db.AuditEntries(ctx, domain.AuditFilter{Before: 9, Limit: 2})
		if err != nil || len(list) != 2 {
			t.Fatalf("%v %v", list, err)
		}
		for _, got := range list {
			e := auditEntry(int(got.Seq))
			e.Seq, e.At = got.Seq, fixedNow
			if !reflect.DeepEqual(got, e) {
				t.Errorf("entry %d:\n got %+v\nwant %+v", got.Seq, got, e)
			}
		}

		for _, f := range []domain.AuditFilter{{Limit: 1001}, {Limit: -1}, {Before: -1}} {
			if _, err := db.AuditEntries(ctx, f); domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("%+v: %v, want invalid", f, err)
			}
		}
	})
}

func TestAuditEntriesUseThePartialIndexes(t *testing.T) {
	forEachAuditDB(t, func(t *testing.T, db *sqlstore.DB) {
		mustAppend(t, db, 30)
		for _, tt := range []struct {
			f     domain.AuditFilter
			index string
		}{
			{domain.AuditFilter{CaseID: "case-1", Before: 20}, "audit_case_idx"},
			{domain.AuditFilter{AgencyID: "agency-kin"}, "audit_agency_idx"},
			{domain.AuditFilter{ActorID: "user-3"}, "audit_actor_idx"},
		} {
			plan, err := sqlstore.ExplainAuditForTest(context.Background(), db, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, tt.index) {
				t.Errorf("%+v does not use %s:\n%s", tt.f, tt.index, plan)
			}
		}
	})
}

func TestAuditTransactions(t *testing.T) {
	forEachAuditDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		// An entry rolls back with the change it describes.
		if err := sqlstore.AuditThenFailForTest(ctx, db, auditEntry(1)); !errors.Is(err, sqlstore.ErrTestRollback) {
			t.Fatalf("failing transaction: %v", err)
		}
		if seq, _, err := db.AuditHead(ctx); err != nil || seq != 0 {
			t.Fatalf("head after a rollback: %d %v", seq, err)
		}

		// A cancelled request still leaves its trace.
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		e := auditEntry(1)
		e.Action, e.Outcome = domain.AuditSignInFailed, "failed"
		if err := db.Audit(cancelled, e); err != nil || e.Seq != 1 {
			t.Fatalf("audit with a cancelled context: seq %d, %v", e.Seq, err)
		}

		// Texts from outside are stored as PostgreSQL can keep them, and
		// the chain still verifies; the time is kept to the microsecond.
		e = &domain.AuditEntry{
			At:     time.Date(2026, 11, 27, 10, 0, 0, 123456789, time.FixedZone("WAT", 3600)),
			Actor:  "nul\x00byte\xffbad" + strings.Repeat("é", 1000),
			Action: domain.AuditSignInFailed, Outcome: "failed", Addr: "198.51.100.4",
		}
		if err := db.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(e.Actor, "nul\uFFFDbyte\uFFFDbad") || len(e.Actor) > 1024 {
			t.Errorf("actor stored as %q (%d bytes)", e.Actor[:20], len(e.Actor))
		}
		list, err := db.AuditEntries(ctx, domain.AuditFilter{Limit: 1})
		if err != nil || len(list) != 1 || list[0].Actor != e.Actor || !list[0].At.Equal(time.Date(2026, 11, 27, 9, 0, 0, 123456000, time.UTC)) {
			t.Fatalf("read back %+v %v", list, err)
		}
		if checked, p := mustVerify(t, db); checked != 2 || p != nil {
			t.Fatalf("checked %d, problem %v", checked, p)
		}

		// An entry needs an action and an outcome.
		if err := db.Audit(ctx, &domain.AuditEntry{Actor: "x"}); err == nil {
			t.Error("entry without action accepted")
		}

		// No keyring, no audit: never an unkeyed chain.
		db.SetKeys(nil)
		if err := db.Audit(ctx, auditEntry(3)); domain.KindOf(err) != domain.KindInternal {
			t.Errorf("audit without keys: %v", err)
		}
		if _, _, err := db.VerifyAudit(ctx, nil); err == nil {
			t.Error("verify without keys succeeded")
		}
	})
}
