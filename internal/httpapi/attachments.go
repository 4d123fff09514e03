// SPDX-License-Identifier: AGPL-3.0-or-later

package httpapi

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"vigie/internal/domain"
)

// AttachmentStore keeps the files of cases, sealed (sqlstore.DB).
type AttachmentStore interface {
	AddAttachment(ctx context.Context, caseRef string, name, contentType string, data []byte) (*domain.Attachment, error)
	Attachments(ctx context.Context, caseRef string) ([]*domain.Attachment, error)
	Attachment(ctx context.Context, caseRef, id string) (*domain.Attachment, []byte, error)
	DeleteAttachment(ctx context.Context, caseRef, id string) error
}

// attachments is the store of the cases' files.
func (a *api) attachments() (AttachmentStore, error) {
	if a.Attachments == nil {
		return nil, domain.Errorf(domain.KindUnavailable, "this server's store does not keep attachments")
	}
	return a.Attachments, nil
}

func (a *api) listAttachments(w http.ResponseWriter, r *http.Request) error {
	store, err := a.attachments()
	if err != nil {
		return err
	}
	acc, number, err := a.reachCase(r, r.PathValue("ref"), domain.ResAttachments, domain.ActList)
	if err != nil {
		return err
	}
	list, err := store.Attachments(r.Context(), acc.CaseID)
	if err != nil {
		return err
	}
	// File names may name the victim: the list is a read of personal data.
	if err := a.auditCaseRead(r, acc, number, domain.ResAttachments, []domain.Resource{domain.ResAttachments}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

// uploadParams are the query parameters of an upload.
var uploadParams = []string{"name"}

// addAttachment takes the file as the raw body (not multipart: nothing to
// parse, and the Content-Type header is the file's type), its name in
// ?name=. Cheap checks come first, then the caller's access, and only
// then is the body read, so that no one makes the server read 10 MiB to
// be told that the name or the case is wrong.
func (a *api) addAttachment(w http.ResponseWriter, r *http.Request) error {
	store, err := a.attachments()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var p domain.Problems
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case k != "name":
			p.Add(k, "validation.unknown_parameter", "n'est pas un paramètre de l'envoi / is not a parameter of an upload; known: %s", strings.Join(uploadParams, ", "))
		case len(q[k]) > 1:
			p.Add(k, "validation.repeated_parameter", "est donné %d fois / is given %d times; give it once", len(q[k]), len(q[k]))
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	name, err := domain.CleanAttachmentName(q.Get("name"))
	if err != nil {
		return err
	}
	declared := ""
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil {
			return fieldError("content_type", "validation.file_type", "l'en-tête Content-Type est illisible / the Content-Type header cannot be parsed")
		}
		declared = mt
	}
	if declared == "" || !domain.AllowedAttachmentType(declared) {
		// Sniffing cannot make an unaccepted declared type right.
		return domain.CheckAttachmentType(declared, declared)
	}
	if r.ContentLength > domain.MaxAttachmentBytes {
		return domain.AttachmentTooLarge(r.ContentLength)
	}
	acc, _, err := a.reachCase(r, r.PathValue("ref"), domain.ResAttachments, domain.ActCreate)
	if err != nil {
		return err
	}
	data, err := readFile(w, r)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		return fieldError("file", "validation.required", "le fichier est vide / the file is empty: send its bytes as the request body")
	}
	// The type is decided by the bytes, not by the client: a PDF called
	// photo.jpg, or HTML sent as text/plain, is refused.
	if err := domain.CheckAttachmentType(declared, http.DetectContentType(data)); err != nil {
		return err
	}
	att, err := store.AddAttachment(r.Context(), acc.CaseID, name, declared, data)
	if err != nil {
		return err
	}
	w.Header().Set("Location", r.URL.Path+"/"+att.ID)
	writeJSON(w, http.StatusCreated, att)
	return nil
}

// readFile reads an upload's body, at most MaxAttachmentBytes.
func readFile(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, domain.MaxAttachmentBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, domain.AttachmentTooLarge(0)
		}
		return nil, domain.Wrap(domain.KindInvalid, err, "le fichier n'a pas pu être lu / the file could not be read")
	}
	return data, nil
}

// getAttachment sends a file. It is always offered as a download, never
// shown inline, and the browser is told not to guess its type nor run
// anything in it: a hostile file that got past the checks still cannot
// render in Vigie's origin, where it could read the session's data.
func (a *api) getAttachment(w http.ResponseWriter, r *http.Request) error {
	store, err := a.attachments()
	if err != nil {
		return err
	}
	acc, number, err := a.reachCase(r, r.PathValue("ref"), domain.ResAttachments, domain.ActRead)
	if err != nil {
		return err
	}
	att, data, err := store.Attachment(r.Context(), acc.CaseID, r.PathValue("id"))
	if err != nil {
		return err
	}
	// Showing a file whose reading cannot be recorded is refused.
	e := domain.NewAuditEntry(r.Context(), domain.AuditRead)
	e.Resource, e.RecordID, e.CaseID, e.CaseNumber, e.AgencyID = string(domain.ResAttachments), att.ID, acc.CaseID, number, acc.AgencyID
	e.Detail = map[string]any{"size": att.Size, "content_type": att.ContentType}
	if acc.BreakGlass && acc.AgencyID != principal(r).AgencyID {
		e.Detail["break_glass"] = true
	}
	if err := a.Audit.Audit(r.Context(), e); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", att.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", contentDisposition(att.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
	return nil
}

func (a *api) deleteAttachment(w http.ResponseWriter, r *http.Request) error {
	store, err := a.attachments()
	if err != nil {
		return err
	}
	acc, _, err := a.reachCase(r, r.PathValue("ref"), domain.ResAttachments, domain.ActDelete)
	if err != nil {
		return err
	}
	if err := store.DeleteAttachment(r.Context(), acc.CaseID, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// contentDisposition offers name as a download (RFC 6266), encoded as
// RFC 8187 ext-value: every byte outside attr-char is percent-encoded, so
// no quote, semicolon, CR/LF or markup of a hostile name reaches the
// header as itself.
func contentDisposition(name string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.WriteString("attachment; filename*=UTF-8''")
	for i := 0; i < len(name); i++ {
		c := name[i]
		if attrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// attrChar reports whether c may appear unencoded in an RFC 8187 value.
func attrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
