// SPDX-License-Identifier: AGPL-3.0-or-later

package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"vigie/internal/domain"
	"vigie/internal/sqlstore"
	"vigie/internal/sqlstore/sqltest"
)

// Distinctive texts that must never appear in clear in the database.
const (
	secretName    = "Kalala_Mwamba_passeport_7f3a9c2e.txt"
	secretContent = "Témoignage de Kalala Mwamba, née à Likasi, pièce 4d1be0f9"
)

func TestAttachmentRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := domain.WithActor(context.Background(), &domain.Principal{UserID: "0190f4d2-0000-7000-8000-000000000001", Email: "agent@kin.example", Agency: "KIN"})
		MustCreateAgency(t, db, "KIN")
		c := MustCreateCase(t, db, NewCase("KIN"))
		other := MustCreateCase(t, db, NewCase("KIN"))

		a, err := db.AddAttachment(ctx, c.Number, "../../"+secretName, "text/plain; charset=utf-8", []byte(secretContent))
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != secretName || a.ContentType != "text/plain" || a.Size != int64(len(secretContent)) || a.CaseID != c.ID ||
			a.CreatedBy != "0190f4d2-0000-7000-8000-000000000001" || !a.CreatedAt.Equal(fixedNow) {
			t.Fatalf("added %+v", a)
		}
		pdf := []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj << >> endobj\n%%EOF\n")
		b, err := db.AddAttachment(ctx, c.ID, "Consentement signé.pdf", "application/pdf", pdf)
		if err != nil {
			t.Fatal(err)
		}

		list, err := db.Attachments(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != a.ID || list[1].Name != "Consentement signé.pdf" || list[0].Name != secretName {
			t.Fatalf("listed %+v", list)
		}
		if empty, err := db.Attachments(ctx, other.Number); err != nil || empty == nil || len(empty) != 0 {
			t.Fatalf("another case lists %v, %v; want an empty list", empty, err)
		}

		got, data, err := db.Attachment(ctx, c.Number, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, pdf) || *got != *b {
			t.Fatalf("read %+v %q, want %+v %q", got, data, b, pdf)
		}
		if _, data, err := db.Attachment(ctx, c.Number, strings.ToUpper(a.ID)); err != nil || string(data) != secretContent {
			t.Fatalf("by upper-case ID: %q %v", data, err)
		}

		t.Run("ErrOtherCase", func(t *testing.T) {
			_, _, err := db.Attachment(ctx, other.Number, a.ID)
			wantKind(t, err, domain.KindNotFound)
			wantKind(t, db.DeleteAttachment(ctx, other.ID, a.ID), domain.KindNotFound)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			for _, id := range []string{"", "x", "'; DROP TABLE attachments; --", other.ID} {
				_, _, err := db.Attachment(ctx, c.Number, id)
				wantKind(t, err, domain.KindNotFound)
			}
			_, err := db.Attachments(ctx, "KIN-2026-999999")
			wantKind(t, err, domain.KindNotFound)
			_, err = db.AddAttachment(ctx, "KIN-2026-999999", "a.pdf", "application/pdf", pdf)
			wantKind(t, err, domain.KindNotFound)
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, tt := range []struct {
				name, ct, field string
				data            []byte
			}{
				{".htaccess", "text/plain", "name", []byte("x")},
				{"CON.pdf", "application/pdf", "name", pdf},
				{"page.html", "text/html", "content_type", []byte("<p>")},
				{"vide.pdf", "application/pdf", "file", nil},
			} {
				_, err := db.AddAttachment(ctx, c.ID, tt.name, tt.ct, tt.data)
				if tt.field == "content_type" {
					wantKind(t, err, domain.KindMediaType) // a type outside the list: 415
				} else {
					wantKind(t, err, domain.KindInvalid)
				}
				if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Field != tt.field {
					t.Errorf("%s: %v, want a problem with %s", tt.name, err, tt.field)
				}
			}
			_, err := db.AddAttachment(ctx, c.ID, "big.pdf", "application/pdf", make([]byte, domain.MaxAttachmentBytes+1))
			wantKind(t, err, domain.KindTooLarge)
		})

		if err := db.DeleteAttachment(ctx, c.Number, a.ID); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.DeleteAttachment(ctx, c.Number, a.ID), domain.KindNotFound)
		_, _, err = db.Attachment(ctx, c.Number, a.ID)
		wantKind(t, err, domain.KindNotFound)
		if list, err := db.Attachments(ctx, c.Number); err != nil || len(list) != 1 || list[0].ID != b.ID {
			t.Fatalf("after delete: %+v %v", list, err)
		}

		// Each change is audited, with size and type but never the name.
		entries, err := db.AuditEntries(ctx, domain.AuditFilter{CaseID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			if e.Resource != string(domain.ResAttachments) {
				continue
			}
			actions = append(actions, e.Action+" "+e.RecordID)
			raw, _ := json.Marshal(e)
			if bytes.Contains(raw, []byte("Kalala")) || bytes.Contains(raw, []byte("Consentement")) {
				t.Errorf("audit entry holds the file name: %s", raw)
			}
			if e.CaseNumber != c.Number || e.AgencyID == "" || e.ActorID == "" || e.Detail["size"] == nil || e.Detail["content_type"] == nil {
				t.Errorf("audit entry %s", raw)
			}
		}
		want := []string{"delete " + a.ID, "create " + b.ID, "create " + a.ID} // newest first
		if strings.Join(actions, ",") != strings.Join(want, ",") {
			t.Fatalf("audited %v, want %v", actions, want)
		}
		if _, problem, err := db.VerifyAudit(ctx, nil); err != nil || problem != nil {
			t.Fatalf("audit chain: %v %v", problem, err)
		}
	})
}

// TestAttachmentSealedOnDisk reads the SQLite files raw: neither the
// content nor the name of a file may be found in them, in the WAL before
// a checkpoint nor in the database after one.
func TestAttachmentSealedOnDisk(t *testing.T) {
	// PostgreSQL's files are not ours to read; its columns are the same.
	db := sqltest.MustOpenSQLite(t, fixedNow)
	path, ok := strings.CutPrefix(db.Location, "sqlite:")
	if !ok {
		t.Fatalf("location %q", db.Location)
	}
	ctx := context.Background()
	MustCreateAgency(t, db, "KIN")
	c := MustCreateCase(t, db, NewCase("KIN"))
	if _, err := db.AddAttachment(ctx, c.Number, secretName, "text/plain", []byte(secretContent)); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		var all []byte
		for _, f := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(f)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		// The clear content type is there: the files were read, so
		// the absence of the rest means something.
		if !bytes.Contains(all, []byte("text/plain")) {
			t.Fatalf("%s: the database files do not hold the content type: the test reads the wrong files", when)
		}
		for _, secret := range []string{secretContent, secretName, "Kalala", "4d1be0f9", "7f3a9c2e"} {
			if bytes.Contains(all, []byte(secret)) {
				t.Errorf("%s: %q is in the database files in clear", when, secret)
			}
		}
	}
	check("before checkpoint")

	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var busy, logPages, done int
	if err := conn.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: busy %d, %v", busy, err)
	}
	check("after checkpoint")
}
